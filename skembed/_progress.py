"""One progress reporter for every estimator, training driver and the CLI.

Estimators make one :class:`Progress` per fit (``Progress(name, verbose)``)
and hand it to their driver; drivers report what they know -- the start and
end of each epoch (loss, tokens or items processed, learning rate, threads),
and chunks within an epoch -- and free-form messages go through
:meth:`Progress.log`. Nothing else in skembed prints progress.

Output: plain lines on stderr, ``[name] ...``; ``verbose=0`` is silent,
``verbose>=1`` prints the messages and one line per epoch. Every epoch is
also recorded in :attr:`Progress.history` (seconds, throughput, estimated
time left), so that richer reporting (in-epoch lines at ``verbose>=2``, bars,
scikit-learn's ``sklearn.callback`` hooks of 1.9) extends this class alone:
:meth:`epoch_start`, :meth:`chunk` and :meth:`epoch_end` are the single
place where such hooks are to be called, without touching the estimators.
"""

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Progress of one fit (or one CLI command).

    Parameters
    ----------
    name : str
        Prefix of every line, e.g. the estimator's class name.
    verbose : int, default=0
        0 silent; 1 messages and one line per epoch; higher values are
        passed on (``log(..., level=2)`` prints from 2).
    """

    def __init__(self, name, verbose=0):
        self.name = name
        self.verbose = int(verbose or 0)
        self.history = []
        self._epoch_t0 = None
        self._fit_t0 = time.perf_counter()

    def __bool__(self):
        return self.verbose > 0

    # ----------------------------------------------------------- messages
    def log(self, message, *, level=1):
        """Print ``[name] message`` when ``verbose >= level``."""
        if self.verbose >= level:
            print(f"[{self.name}] {message}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------- epochs
    def epoch_start(self, epoch, n_epochs):
        """Epoch ``epoch`` (0-based) of ``n_epochs`` starts."""
        self._epoch_t0 = time.perf_counter()

    def chunk(self, epoch, done, total=None, **stats):
        """An in-epoch update from a driver: ``done`` of ``total`` units
        (chunks, batches) of epoch ``epoch``. Silent for now (issue #18 adds
        lines at ``verbose>=2``)."""

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
