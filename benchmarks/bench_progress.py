"""What progress reporting costs: word2vec training with verbose=0 against
verbose=1, verbose=2 and scikit-learn callbacks (issue #18: < 2 %).

Run (on a shared machine, inside the benchmark lock)::

    flock /tmp/skembed-bench.lock python benchmarks/bench_progress.py
    flock /tmp/skembed-bench.lock python benchmarks/bench_progress.py --quick

The corpus is bench_engine's (gensim's offline test data, chunked to 1,000
tokens per line), cut to ``--tokens`` tokens. Every mode trains the same
``Word2VecVectorizer`` (skip-gram, 100 dimensions, window 5, 5 negatives,
one epoch, ``analyzer=str.split`` so that tokenising stays out of the
figure) in the same process, in rotated order, ``--repeat`` times; the
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
            if total >= n_tokens:
                break
    return docs, total


def _timed_training():
    """Wrap the SGNS driver as the estimators call it; return the list that
    receives the seconds of each call."""
    from skembed._engine import _base

    seconds = []
    inner = _base.train_sgns

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - t0)

    _base.train_sgns = timed
    return seconds


def _fit(mode, docs, n_jobs, seconds, sink):
    from skembed import Word2VecVectorizer

    est = Word2VecVectorizer(
        n_components=100, window=5, negative=5, min_count=5, n_epochs=1,
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
    return seconds[-1]


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
        ratios = {m: [] for m in modes}
        base_seconds = []
        for r in range(args.repeat):
            order = modes[r % len(modes):] + modes[: r % len(modes)]
            got = {m: _fit(m, docs, n_jobs, seconds, sink) for m in order}
            base_seconds.append(got["verbose=0"])
            for m in modes:
                ratios[m].append(got[m] / got["verbose=0"])
            print(n_jobs, {m: f"{ratios[m][-1]:.4f}" for m in modes}, flush=True)
        rows.append((n_jobs, ratios, statistics.median(base_seconds)))

    lines = [
        "",
        f"## {time.strftime('%Y-%m-%d')} ({platform.machine()}, "
        f"{os.cpu_count()} cores, shared; {n_tokens:,} tokens, 1 epoch, "
        f"{args.repeat} rounds)",
        "",
        "Training time (`train_sgns`, the epoch loop) relative to verbose=0 in "
        "the same round: median [min, max] over rounds.",
        "",
        "| threads | " + " | ".join(modes[1:]) + " |",
        "|---|" + "---|" * (len(modes) - 1),
    ]
    for n_jobs, ratios, _ in rows:
        cells = [
            f"{statistics.median(ratios[m]):.3f} "
            f"[{min(ratios[m]):.3f}, {max(ratios[m]):.3f}]"
            for m in modes[1:]
        ]
        lines.append(f"| {n_jobs} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    if not args.quick:
        with open(RESULTS, "a", encoding="utf8") as f:
            f.write(text)
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--quick", action="store_true",
                        help="300k tokens, 2 rounds, 1 thread, no table appended")
    args = parser.parse_args()
    if args.quick:
        args.tokens, args.repeat, args.threads = 300_000, 2, [1]
    run(args)


if __name__ == "__main__":
    main()
