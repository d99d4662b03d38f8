"""What progress reporting costs: word2vec training with verbose=0 against
verbose=1, verbose=2 and scikit-learn callbacks (issue #18: < 2 %).

Run (on a shared machine, inside the benchmark lock)::

    flock /tmp/skembed-bench.lock python benchmarks/bench_progress.py
    flock /tmp/skembed-bench.lock python benchmarks/bench_progress.py --quick

The corpus is bench_engine's (gensim's offline test data, chunked to 1,000
tokens per line; about 0.9 million tokens), cut to ``--tokens`` tokens if
given. Every mode trains the same ``Word2VecVectorizer`` (skip-gram, 100
dimensions, window 5, 5 negatives, ``--epochs`` epochs,
``analyzer=str.split``) in the same process, in rotated order, ``--repeat`` times; the
figure is the training call (``train_sgns``, the epoch loop with every
progress report in it) timed around it, as a ratio to the verbose=0 run of
the same round, median over rounds. Modes:

* ``verbose=0``: the reference (no in-epoch report, kernels run whole blocks);
* ``verbose=1``: one line per epoch;
* ``verbose=2``: in-epoch lines (kernels run in groups of chunks, reported
  between groups; lines go to a string buffer);
* ``callback``: a no-op callback (``set_callbacks``): the callback tasks,
  one leaf task per percent of the epoch, and the grouped kernels;
* ``ProgressBar``: scikit-learn's ``ProgressBar`` (rich, its own thread),
  drawing into a file.

A Markdown table is appended to ``benchmarks/results/progress.md``.
"""

import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's skembed, not an installed one
sys.path.insert(0, str(HERE))
RESULTS = HERE / "results" / "progress.md"


class _NoOp:
    """A callback that does nothing (the cost of the hooks themselves)."""

    max_propagation_depth = None

    def setup(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass


def _corpus(n_tokens):
    from bench_engine import CACHE, build_corpus

    path = CACHE / "engine_corpus.txt"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        build_corpus(path)
    docs, total = [], 0
    with open(path, encoding="utf8") as f:
        for line in f:
            docs.append(line)
            total += line.count(" ") + 1
            if n_tokens and total >= n_tokens:
                break
    return docs, total


def _timed_training():
    """Wrap the SGNS driver as the estimators call it; return the list that
    receives the (wall, CPU) seconds of each call."""
    from skembed._engine import _base

    seconds = []
    inner = _base.train_sgns

    def timed(*args, **kwargs):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            seconds.append((time.perf_counter() - t0, time.process_time() - c0))

    _base.train_sgns = timed
    return seconds


def _fit(mode, docs, n_jobs, seconds, sink, n_epochs=1):
    from skembed import Word2VecVectorizer

    est = Word2VecVectorizer(
        n_components=100, window=5, negative=5, min_count=5, n_epochs=n_epochs,
        analyzer=str.split, random_state=1, n_jobs=n_jobs,
        verbose={"verbose=1": 1, "verbose=2": 2}.get(mode, 0),
    )
    if mode == "callback":
        est.set_callbacks(_NoOp())
    elif mode == "ProgressBar":
        from sklearn.callback import ProgressBar

        est.set_callbacks(ProgressBar())
    with contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
        est.fit(docs)
    sink.seek(0)
    sink.truncate()
    return seconds[-1]


def _accounted(docs, n_jobs, seconds, sink, n_epochs):
    """Seconds spent inside the Progress methods the driver calls, and the
    number of kernel calls, per mode (instrumented runs, not timed ones)."""
    from skembed import _progress
    from skembed._engine import _sgns_kernels

    spent = [0.0]
    calls = [0]
    originals = {}

    def clocked(f):
        def wrapper(*a, **k):
            t0 = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                spent[0] += time.perf_counter() - t0
        return wrapper

    def counted(f):
        def wrapper(*a, **k):
            calls[0] += 1
            return f(*a, **k)
        return wrapper

    for name in ("epoch_start", "chunk", "epoch_end"):
        originals[name] = getattr(_progress.Progress, name)
        setattr(_progress.Progress, name, clocked(originals[name]))
    kernels = {k: getattr(_sgns_kernels, k)
               for k in ("sgns_epoch_serial", "sgns_epoch_parallel")}
    for k, f in kernels.items():
        setattr(_sgns_kernels, k, counted(f))
    out = {}
    try:
        for mode in ("verbose=0", "verbose=2", "callback"):
            spent[0], calls[0] = 0.0, 0
            wall, _ = _fit(mode, docs, n_jobs, seconds, sink, n_epochs)
            out[mode] = (spent[0] / wall, calls[0])
    finally:
        for name, f in originals.items():
            setattr(_progress.Progress, name, f)
        for k, f in kernels.items():
            setattr(_sgns_kernels, k, f)
    return out


def run(args):
    modes = ["verbose=0", "verbose=1", "verbose=2", "callback"]
    try:
        import rich  # noqa: F401

        modes.append("ProgressBar")
    except ImportError:
        pass
    docs, n_tokens = _corpus(args.tokens)
    seconds = _timed_training()
    sink = io.StringIO()
    rows = []
    for n_jobs in args.threads:
        _fit("verbose=0", docs[:200], n_jobs, seconds, sink)  # compile, warm
        ratios = {(m, k): [] for m in modes for k in (0, 1)}
        for r in range(args.repeat):
            order = modes[r % len(modes):] + modes[: r % len(modes)]
            got = {
                m: _fit(m, docs, n_jobs, seconds, sink, args.epochs) for m in order
            }
            for m in modes:
                for k in (0, 1):  # wall, CPU
                    ratios[m, k].append(got[m][k] / got["verbose=0"][k])
            print(n_jobs, {m: f"{ratios[m, 1][-1]:.4f}" for m in modes}, flush=True)
        rows.append((n_jobs, ratios, _accounted(docs, n_jobs, seconds, sink, args.epochs)))

    command = " ".join(["python benchmarks/bench_progress.py", *sys.argv[1:]])
    lines = [
        "",
        f"## {time.strftime('%Y-%m-%d')} ({platform.machine()}, "
        f"{os.cpu_count()} cores, shared; {n_tokens:,} tokens, "
        f"{args.epochs} epochs, {args.repeat} rounds)",
        "",
        f"`flock /tmp/skembed-bench.lock {command}`",
        "",
        "Time of the training call (`train_sgns`, the epoch loop) relative to "
        "verbose=0 in the same round: median [min, max] over rounds, in CPU "
        "seconds of the process (robust on a shared machine; includes the "
        "threads of ProgressBar) and in wall seconds.",
        "",
        "| threads | time | " + " | ".join(modes[1:]) + " |",
        "|---|---|" + "---|" * (len(modes) - 1),
    ]
    for n_jobs, ratios, _ in rows:
        for k, label in ((1, "CPU"), (0, "wall")):
            cells = [
                f"{statistics.median(ratios[m, k]):.3f} "
                f"[{min(ratios[m, k]):.3f}, {max(ratios[m, k]):.3f}]"
                for m in modes[1:]
            ]
            lines.append(f"| {n_jobs} | {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Accounted cost (one instrumented fit per mode): time inside the "
        "driver's Progress calls as a share of the training call, and kernel "
        "calls (in-epoch progress runs a block's chunks in groups).",
        "",
        "| threads | mode | share in Progress | kernel calls |",
        "|---|---|---|---|",
    ]
    for n_jobs, _, accounted in rows:
        for mode, (share, calls) in accounted.items():
            lines.append(f"| {n_jobs} | {mode} | {100 * share:.3f} % | {calls} |")
    text = "\n".join(lines) + "\n"
    if not args.quick:
        with open(RESULTS, "a", encoding="utf8") as f:
            f.write(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=None,
                        help="cut the corpus (default: all of it)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--quick", action="store_true",
                        help="300k tokens, 2 rounds, 1 thread, no table appended")
    args = parser.parse_args()
    if args.quick:
        args.tokens, args.repeat, args.threads, args.epochs = 300_000, 2, [1], 1
    run(args)


if __name__ == "__main__":
    main()
