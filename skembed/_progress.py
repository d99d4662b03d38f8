"""One progress reporter for every estimator, training driver and the CLI.

Estimators make one :class:`Progress` per fit (``Progress(name, verbose)``)
and hand it to their driver; drivers report what they know -- the start and
end of each epoch or step (loss, tokens or items processed, learning rate,
threads), and chunks within it -- and free-form messages go through
:meth:`Progress.log`. Nothing else in skembed prints progress.

Two outputs, both fed from here only:

* plain lines on stderr, ``[name] ...``: ``verbose=0`` is silent,
  ``verbose=1`` prints the messages and one line per epoch, ``verbose=2``
  adds in-epoch lines (percent, rate, ETA), at most one per
  :data:`LINE_SECONDS` seconds, or per 10 % of the task when the task is
  slower than :data:`LINE_MIN_SECONDS` per 10 %;
* scikit-learn's callbacks (``sklearn.callback``, scikit-learn >= 1.9):
  every estimator is a ``CallbackSupportMixin``, and its ``fit`` runs inside
  :func:`tracked_fit` (applied by ``skembed._compat._fit_context``, the
  decorator of every ``fit``), which opens the estimator's root task. Each
  task a driver starts (:meth:`Progress.start`: an epoch, the walks, a
  spectral step) is a sub-task of it, and its chunks are leaf tasks, so
  ``est.set_callbacks(ProgressBar())`` draws a bar per epoch and a search
  over a pipeline nests them under its own bars.

Below scikit-learn 1.9 there is no ``sklearn.callback``: ``set_callbacks``
is then absent and everything else works (:data:`HAS_CALLBACKS`).
The drivers never see the callback API; they ask :attr:`Progress.detailed`
whether in-task updates are wanted at all, so that ``verbose<=1`` without
callbacks costs one attribute test per block.
"""

import contextvars
import functools
import math
import sys
import time

from ._fitted import DERIVED

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin as _CallbackSupport

    HAS_CALLBACKS = True
except ImportError:  # pragma: no cover - exercised by simulating the absence

    class _CallbackSupport:
        """Stand-in below scikit-learn 1.9: no ``set_callbacks``."""

    HAS_CALLBACKS = False


class CallbackSupportMixin(_CallbackSupport):
    """scikit-learn's callback support (``set_callbacks``), in every skembed
    estimator. Callbacks are run-time hooks, not fitted state: never saved
    by ``save_model``."""

    _fitted_state: dict = {"_skl_callbacks": DERIVED}

__all__ = ["HAS_CALLBACKS", "CallbackSupportMixin", "Progress", "tracked_fit"]

#: an in-task line at least this often (seconds) at ``verbose>=2`` ...
LINE_SECONDS = 2.0
#: ... or at every further 10 % of the task, but never more often than this
LINE_MIN_SECONDS = 0.2
#: a task of known size reports to the callbacks in at most this many
#: leaf tasks (its percentage), however many chunks it has
TICKS = 100
#: a task of unknown size reports a leaf task at most this often (seconds)
UNSIZED_SECONDS = 0.5

#: the fit running in this thread (a :class:`_Fit`), set by `tracked_fit`
_CURRENT_FIT = contextvars.ContextVar("skembed_current_fit", default=None)

#: attributes of a running fit that scikit-learn's fit context tears down
_FIT_ATTRS = ("_callback_fit_ctx", "_skl_callbacks_to_teardown")


class _Fit:
    """The fit of one estimator, and its root callback task (or None)."""

    def __init__(self, estimator, root):
        self.estimator = estimator
        self.root = root
        self.stash = {}


def _wants_context(estimator):
    return HAS_CALLBACKS and (
        bool(getattr(estimator, "_skl_callbacks", None))
        or hasattr(estimator, "_parent_callback_ctx")
    )


def tracked_fit(fit_method):
    """Run ``fit_method`` as the root callback task of its estimator.

    Applied inside scikit-learn's ``_fit_context`` (whose exit tears the
    callbacks down), by ``skembed._compat._fit_context``. Without callbacks
    (or below scikit-learn 1.9) it only records the running fit, so that
    :class:`Progress` objects made during it know their estimator. A
    skembed estimator fitted inside another one's fit (the summarizer's
    vectorizer, ``SpectralPropagation``'s embedder) is a sub-task of it, and
    receives its auto-propagated callbacks, as a ``Pipeline`` step would.
    """

    @functools.wraps(fit_method)
    def fit(estimator, *args, **kwargs):
        outer = _CURRENT_FIT.get()
        if outer is not None and outer.estimator is estimator:
            # fit_transform calling fit: one task; keep the inner fit context
            # from tearing the callbacks down before the outer one ends
            try:
                return fit_method(estimator, *args, **kwargs)
            finally:
                for key in _FIT_ATTRS:
                    if key in estimator.__dict__:
                        outer.stash[key] = estimator.__dict__.pop(key)
        if (
            outer is not None
            and outer.root is not None
            and not hasattr(estimator, "_parent_callback_ctx")
            and hasattr(estimator, "set_callbacks")
        ):
            leaf = outer.root.subcontext(task_name=f"fit {type(estimator).__name__}")
            with leaf.propagate_callback_context(estimator):
                leaf.call_on_fit_task_begin(estimator=outer.estimator)
                result = _run_tracked(fit_method, estimator, args, kwargs)
                leaf.call_on_fit_task_end(estimator=outer.estimator)
            return result
        return _run_tracked(fit_method, estimator, args, kwargs)

    return fit


def _run_tracked(fit_method, estimator, args, kwargs):
    X = args[0] if args else kwargs.get("X")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    root = None
    if _wants_context(estimator):
        root = estimator._init_callback_context(max_subtasks=None)
        root.call_on_fit_task_begin(estimator=estimator, X=X, y=y)
    state = _Fit(estimator, root)
    token = _CURRENT_FIT.set(state)
    try:
        result = fit_method(estimator, *args, **kwargs)
        if root is not None:
            root.call_on_fit_task_end(estimator=estimator, X=X, y=y)
        return result
    finally:
        _CURRENT_FIT.reset(token)
        estimator.__dict__.update(state.stash)


class _Task:
    """A task of a fit in progress (an epoch, the walks, a spectral step)."""

    def __init__(self, name, total, unit, epoch, n_epochs, lines, ctx):
        self.name = name
        self.total = total
        self.unit = unit
        self.epoch = epoch
        self.n_epochs = n_epochs
        self.lines = lines
        self.ctx = ctx
        self.t0 = time.perf_counter()
        self.last_line = self.t0
        self.last_fraction = 0.0
        self.ticks = 0  # leaf tasks reported to the callbacks
        self.last_tick = self.t0


class Progress:
    """Progress of one fit (or one CLI command).

    Parameters
    ----------
    name : str
        Prefix of every line, e.g. the estimator's class name.
    verbose : int, default=0
        0 silent; 1 messages and one line per epoch; 2 adds in-task lines
        (percent, rate, ETA); ``log(..., level=2)`` prints from 2.

    Made during a fit, it reports that fit's tasks to the callbacks of the
    estimator (see the module docstring).
    """

    def __init__(self, name, verbose=0):
        self.name = name
        self.verbose = int(verbose or 0)
        self.history = []
        self._epoch_t0 = None
        self._fit_t0 = time.perf_counter()
        fit = _CURRENT_FIT.get()
        self._estimator = None if fit is None else fit.estimator
        self._root = None if fit is None else fit.root
        self._task = None

    def __bool__(self):
        return self.verbose > 0

    @property
    def detailed(self):
        """Whether in-task updates are shown (``verbose>=2``) or sent to
        callbacks: drivers cut their work finer only then."""
        return self.verbose >= 2 or self._root is not None

    # ----------------------------------------------------------- messages
    def log(self, message, *, level=1):
        """Print ``[name] message`` when ``verbose >= level``."""
        if self.verbose >= level:
            print(f"[{self.name}] {message}", file=sys.stderr, flush=True)

    # -------------------------------------------------------------- tasks
    def start(self, task, total=None, *, unit=None, lines=True, _epoch=None):
        """A task of the fit starts: ``total`` units of work (chunks, walks,
        steps, batches; None if unknown), reported by :meth:`advance`.

        ``lines=False`` leaves the in-task lines to the caller (which prints
        its own) and reports to the callbacks only.
        """
        ctx = None
        if self._root is not None:
            ctx = self._root.subcontext(
                task_name=task,
                max_subtasks=None if not total else min(int(total), TICKS),
            )
            ctx.call_on_fit_task_begin(estimator=self._estimator)
        epoch, n_epochs = _epoch if _epoch is not None else (None, None)
        self._task = _Task(task, total, unit, epoch, n_epochs, lines, ctx)

    def advance(self, done, total=None, *, processed=None):
        """``done`` units of the running task are done (of ``total``, which
        overrides the size given to :meth:`start`); ``processed`` counts the
        task's ``unit`` (e.g. words) for the rate, when it differs from
        ``done`` (e.g. chunks)."""
        task = self._task
        if task is None or not self.detailed:
            return
        if total is not None:
            task.total = total
        now = time.perf_counter()
        fraction = None
        if task.total:
            fraction = min(max(done / task.total, 0.0), 1.0)
        if task.ctx is not None:
            self._tick(task, fraction, now)
        if self.verbose >= 2 and task.lines and (fraction is None or fraction < 1):
            since = now - task.last_line
            step = fraction is not None and fraction - task.last_fraction >= 0.1
            if since >= LINE_SECONDS or (step and since >= LINE_MIN_SECONDS):
                task.last_line = now
                if fraction is not None:
                    task.last_fraction = fraction
                self.log(self._task_line(task, done, fraction, processed, now), level=2)

    def finish(self):
        """The running task ended (its remaining leaf tasks are reported)."""
        task, self._task = self._task, None
        if task is None or task.ctx is None:
            return
        if task.total:
            self._tick(task, 1.0, time.perf_counter())
        task.ctx.call_on_fit_task_end(estimator=self._estimator)

    def _tick(self, task, fraction, now):
        """Report the leaf tasks (chunks) done since the last call."""
        ctx = task.ctx
        if fraction is None:  # unknown size: one leaf per UNSIZED_SECONDS
            if now - task.last_tick < UNSIZED_SECONDS:
                return
            task.last_tick = now
            target = task.ticks + 1
        else:
            target = math.floor(fraction * ctx.max_subtasks + 1e-9)
        while task.ticks < target:
            task.ticks += 1
            leaf = ctx.subcontext(task_name="chunk")
            leaf.call_on_fit_task_begin(estimator=self._estimator)
            leaf.call_on_fit_task_end(estimator=self._estimator)

    def _task_line(self, task, done, fraction, processed, now):
        elapsed = now - task.t0
        parts = [task.name]
        if fraction is not None:
            parts.append(f"{100 * fraction:3.0f}%")
        else:
            parts.append(f"{done:,} {task.unit or 'done'}")
        count = processed if processed is not None else done
        if task.unit and elapsed > 0:
            parts.append(f"{task.unit}/s={count / elapsed:,.0f}")
        if fraction:
            left = elapsed * (1 - fraction) / fraction
            if task.n_epochs is not None:  # the epochs after this one
                left += elapsed / fraction * (task.n_epochs - task.epoch - 1)
            parts.append(f"eta {_seconds(left)}")
        return "  ".join(parts)

    # ------------------------------------------------------------- epochs
    def epoch_start(self, epoch, n_epochs, total=None, *, unit="words"):
        """Epoch ``epoch`` (0-based) of ``n_epochs`` starts; ``total``: its
        size in the units :meth:`chunk` reports (None if unknown)."""
        self._epoch_t0 = time.perf_counter()
        self.start(
            f"epoch {epoch + 1}/{n_epochs}", total, unit=unit,
            _epoch=(epoch, n_epochs),
        )

    def chunk(self, epoch, done, total=None, *, processed=None):
        """An in-epoch update from a driver: ``done`` of ``total`` units
        (chunks, tokens, batches) of epoch ``epoch``; see :meth:`advance`."""
        self.advance(done, total, processed=processed)

    def epoch_end(
        self,
        epoch,
        n_epochs,
        *,
        loss=None,
        processed=None,
        unit="words",
        seconds=None,
        lr=None,
        threads=None,
        loss_format=".4f",
        extra=None,
    ):
        """Epoch ``epoch`` (0-based) of ``n_epochs`` ended; record it and, at
        ``verbose>=1``, print ``[name] epoch e/n  loss=...  lr=...
        <unit>/s=...  threads=...`` (the fields that are given, then
        ``extra``, a mapping of already formatted values).

        ``seconds`` defaults to the time since :meth:`epoch_start`.
        """
        self.finish()
        now = time.perf_counter()
        if seconds is None:
            seconds = now - (self._epoch_t0 if self._epoch_t0 is not None else now)
        rate = None if processed is None else processed / max(seconds, 1e-9)
        done = epoch + 1
        elapsed = now - self._fit_t0
        record = {
            "epoch": done,
            "n_epochs": n_epochs,
            "loss": loss,
            "processed": processed,
            "unit": unit,
            "seconds": seconds,
            "rate": rate,
            "eta": elapsed / done * (n_epochs - done) if done else None,
            **(extra or {}),
        }
        self.history.append(record)
        if not self.verbose:
            return
        parts = [f"epoch {done}/{n_epochs}"]
        if loss is not None:
            parts.append(f"loss={loss:{loss_format}}")
        if lr is not None:
            parts.append(f"lr={lr:.5f}")
        if rate is not None:
            parts.append(f"{unit}/s={rate:,.0f}")
        if threads is not None:
            parts.append(f"threads={threads}")
        parts.extend(f"{k}={v}" for k, v in (extra or {}).items())
        self.log("  ".join(parts))


def _seconds(s):
    if s < 60:
        return f"{s:.1f}s"
    if s < 3600:
        return f"{int(s // 60)}m{int(s % 60):02d}s"
    return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m"
