"""Benchmark: skembed ``Node2VecEmbedder`` against pecanpy 2.0.9 on LFR graphs.

Run from the repository root with the project's Python::

    python benchmarks/bench_graph.py --quick      # LFR-10k, p=0.5 q=2 (~5 min idle)
    python benchmarks/bench_graph.py              # 10k and 50k, p,q = 1,1 and 0.5,2
    python benchmarks/bench_graph.py --sizes 10k --pq 1,1 --methods skembed
    python benchmarks/bench_graph.py --report RUN_ID [RUN_ID ...]  # re-render
    # issue #15: ProNE, propagation on node2vec, the SVD baseline, real graphs
    python benchmarks/bench_graph.py --graphs wiki cora sbm10k lfr10k lfr50k \
        --pq 1,1 --methods skembed prone node2vec+prop svd \
        pecanpy-FirstOrderUnweighted --n-jobs 1 --plot
    # mean ± sd over seeds, every method once per seed on the same splits
    python benchmarks/bench_graph.py --graphs cora wiki --pq 1,1 --n-jobs 1 \
        --methods skembed pecanpy-FirstOrderUnweighted prone --seeds 0 1 2
    python benchmarks/bench_graph.py --graphs dcsbm1m --pq 1,1 \
        --methods prone pecanpy-FirstOrderUnweighted --n-jobs 1   # 1 M edges

What it does
------------
* Seeded LFR benchmark graphs from networkx (mixing mu=0.5, parameters of
  ``shared/research/graph.md``), with the planted communities as labels,
  cached under ``benchmarks/.cache/``; with ``--graphs`` also Wiki and Cora
  (``shared/data/graphs``, undirected), ``sbm10k`` (20 blocks, mixing 0.7)
  and ``dcsbm1m`` (1 M edges, power-law degrees), see ``_graph_common``.
* Methods: ``skembed`` (``Node2VecEmbedder``), ``deepwalk``
  (``DeepWalkEmbedder`` with its defaults, hs=True), ``prone`` / ``prone-smf``
  (``ProNEEmbedder`` with / without propagation), ``prone-global``
  (``ProNEEmbedder(output_scale="global")``), ``node2vec+prop``
  (``SpectralPropagation`` of node2vec), ``svd`` (truncated SVD of the
  normalised adjacency), ``netmf`` (``NetMFEmbedder`` with the run's
  window; graphs of at most 10,000 nodes), ``pecanpy-<Mode>``. The spectral ones ignore p, q
  and run once per graph; a table checks ProNE against the goals of issue
  #15 (whole-process and fit-only CPU-s ratios) and ``--plot`` draws
  macro-F1 against CPU-s.
* Every (graph, p/q, method) runs in a child process of its own, so CPU
  seconds (user + sys of that child, from ``os.wait4``) and peak RSS (the
  child's own ``VmHWM``; ``ru_maxrss`` would include this parent's RSS, which
  Linux carries over ``exec``) belong to one method. Walk and embedding times
  are measured inside the child.
* pecanpy needs numpy < 2, so it runs in a venv of its own that this script
  creates on first use (``benchmarks/.cache/venv-pecanpy``: ``pecanpy==2.0.9``,
  ``numpy<2``); edges go in as an ``.edg`` file and vectors come back as
  ``.npy``. If pecanpy cannot be installed, skembed still runs, the results say
  so and the exit status is 3.
* skembed is imported from ``PYTHONPATH`` first, then from the repository this
  script lives in (so ``PYTHONPATH=/other/tree`` benchmarks another tree).
  Before the timed skembed runs a small warm-up child fills numba's on-disk
  cache (``--no-warmup`` to time a cold start; its cost is reported either way).
* Same hyper-parameters for all: ``n_walks=10``, ``walk_length=80`` nodes per
  walk (pecanpy gets 79 because its walks have ``walk_length + 1`` nodes),
  ``dim=128``, ``window=10``, ``negative=5``, one epoch, 2 threads.
* Quality: one-vs-rest ``LogisticRegression`` on the community labels, macro-
  and micro-F1 averaged over ``--n-splits`` stratified 50 % splits that are the
  same for every method.
* Prints and appends a Markdown section (runs, skembed/pecanpy ratios against
  the targets of issue 6, a profile of skembed's time) to
  ``benchmarks/results/graph.md``, and the raw records to
  ``benchmarks/results/graph_runs.jsonl``.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _graph_common as gc  # noqa: E402

PECANPY_VERSION = "2.0.9"
PECANPY_METHODS = ("SparseOTF", "PreComp", "FirstOrderUnweighted", "DenseOTF")
DEFAULT_METHODS = ("skembed", "pecanpy-SparseOTF", "pecanpy-PreComp")
#: skembed methods besides node2vec ("skembed"): they ignore p, q and run
#: once per graph (with the first p,q setting)
SPECTRAL_METHODS = ("prone", "prone-smf", "prone-global", "node2vec+prop", "svd",
                    "netmf")
#: methods that ignore p, q (run once per graph): the spectral ones and
#: ``deepwalk`` (DeepWalkEmbedder with its library defaults, hs=True since
#: issue #15, and the walk settings of the run)
PQ_FREE_METHODS = (*SPECTRAL_METHODS, "deepwalk")
RESULTS_DIR = os.path.join(gc.HERE, "results")
CAVEAT = (
    "Machine caveat: 2 cores shared with other sessions, so wall seconds vary "
    "with the load (reported before/after); **CPU-seconds (user+sys of the "
    "method's own process) are the robust figure**. Peak RSS is the high-water "
    "mark of that process (`VmHWM`; `ru_maxrss` from `wait4` is not used "
    "because Linux carries it over `exec` from the spawning parent). Walk "
    "times include numba JIT (pecanpy re-compiles its closures in every "
    "process; skembed loads its kernels from numba's cache, warmed by an "
    "untimed child unless `--no-warmup`)."
)


def log(*args):
    print(*args, flush=True)


# ----------------------------------------------------------------------------
# arguments
# ----------------------------------------------------------------------------
def _size(text):
    text = text.strip().lower()
    mult = 1000 if text.endswith("k") else 1
    return int(float(text.rstrip("k")) * mult)


def _pq(text):
    try:
        p, q = (float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--pq wants 'p,q' like 0.5,2; got {text!r}"
        ) from None
    return p, q


def _split_list(values):
    out = []
    for v in values:
        out.extend(x for x in v.split(",") if x)
    return out


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="LFR-10k only and one p,q setting (0.5,2) unless given explicitly",
    )
    ap.add_argument(
        "--sizes", nargs="+", default=None, help="graph sizes: 10k 50k (default both)"
    )
    ap.add_argument(
        "--pq",
        nargs="+",
        type=_pq,
        default=None,
        help="p,q settings, e.g. --pq 1,1 0.5,2 (default both of these)",
    )
    ap.add_argument(
        "--methods",
        nargs="+",
        default=None,
        help="skembed and/or pecanpy-<Mode> with Mode in "
        f"{', '.join(PECANPY_METHODS)} (default: {' '.join(DEFAULT_METHODS)})",
    )
    ap.add_argument(
        "--graphs",
        nargs="+",
        default=None,
        help="graphs by name instead of --sizes: "
        "lfr10k lfr50k wiki cora sbm10k dcsbm1m (wiki/cora from "
        "shared/data/graphs, undirected)",
    )
    ap.add_argument(
        "--plot",
        action="store_true",
        help="also save a plot of macro-F1 against CPU-s per method and graph "
        "(results/graph_quality_cpu.png)",
    )
    ap.add_argument("--mu", type=float, default=0.5, help="LFR mixing (default 0.5)")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--n-walks", type=int, default=10)
    ap.add_argument("--walk-length", type=int, default=80, help="nodes per walk")
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--window", type=int, default=10)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42, help="seed of the F1 splits "
                    "(and of the methods unless --seeds)")
    ap.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        default=None,
        help="run every method once per seed (random_state), same splits; "
        "tables then report mean ± sd over the seeds and ratios of the means",
    )
    ap.add_argument("--n-splits", type=int, default=5, help="50%% splits for F1")
    ap.add_argument(
        "--skembed-input",
        choices=("edges", "scipy", "networkx"),
        default="edges",
        help="what skembed's fit gets (default: the (m, 2) edge array)",
    )
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per child")
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--verbose", type=int, default=0, help="skembed verbose level")
    ap.add_argument(
        "--pecanpy-python",
        default=None,
        help="python of an existing venv with pecanpy (skips venv creation)",
    )
    ap.add_argument("--results", default=os.path.join(RESULTS_DIR, "graph.md"))
    ap.add_argument(
        "--no-write", action="store_true", help="print only, do not append results"
    )
    ap.add_argument(
        "--jsonl-only",
        action="store_true",
        help="append the raw records but not the Markdown section (for runs "
        "combined later with --report)",
    )
    ap.add_argument(
        "--report",
        nargs="+",
        metavar="RUN_ID",
        default=None,
        help="run nothing: render the records of these run ids from "
        "results/graph_runs.jsonl as one section (e.g. to combine runs made in "
        "parallel, or a run that was killed part-way) and append it",
    )
    args = ap.parse_args(argv)
    args.sizes = [_size(s) for s in _split_list(args.sizes or ["10k", "50k"])]
    if args.quick and args.sizes != [10_000]:
        args.sizes = [10_000]
    if args.pq is None:
        args.pq = [(0.5, 2.0)] if args.quick else [(1.0, 1.0), (0.5, 2.0)]
    args.methods = _split_list(args.methods or list(DEFAULT_METHODS))
    for m in args.methods:
        if m not in ("skembed", *PQ_FREE_METHODS) and not (
            m.startswith("pecanpy-") and m[len("pecanpy-") :] in PECANPY_METHODS
        ):
            ap.error(
                f"--methods: unknown method {m!r}; expected skembed, one of "
                f"{PQ_FREE_METHODS} or pecanpy-<Mode> with Mode in "
                f"{PECANPY_METHODS}"
            )
    for n in args.sizes:
        if n not in gc.LFR_PARAMS:
            ap.error(f"--sizes: {n} not in {sorted(gc.LFR_PARAMS)}")
    if args.graphs:
        args.graphs = _split_list(args.graphs)
        for g in args.graphs:
            if g not in gc.GRAPH_NAMES:
                ap.error(f"--graphs: unknown graph {g!r}; known: {gc.GRAPH_NAMES}")
    else:
        args.graphs = [f"lfr{n // 1000}k" for n in args.sizes]
    return args


# ----------------------------------------------------------------------------
# pecanpy venv
# ----------------------------------------------------------------------------
def ensure_pecanpy(python=None):
    """Return (python path, None) or (None, error message)."""
    probe = [
        "-c",
        "import pecanpy, gensim, numpy; from importlib.metadata import version; "
        "print(version('pecanpy'), numpy.__version__)",
    ]
    if python:
        res = subprocess.run([python, *probe], capture_output=True, text=True)
        if res.returncode:
            return (
                None,
                f"--pecanpy-python {python} cannot import pecanpy: {res.stderr}",
            )
        return python, None
    venv = os.path.join(gc.CACHE_DIR, "venv-pecanpy")
    py = gc.python_in(venv)
    if os.path.exists(py):
        res = subprocess.run([py, *probe], capture_output=True, text=True)
        if res.returncode == 0 and res.stdout.split()[0] == PECANPY_VERSION:
            return py, None
    log(f"[bench_graph] creating {venv} with pecanpy=={PECANPY_VERSION} ...")
    os.makedirs(gc.CACHE_DIR, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", venv],
        [
            py,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"pecanpy=={PECANPY_VERSION}",
            "numpy<2",  # pecanpy's nptyping uses np.bool8, gone in numpy 2
        ],
        [py, *probe],
    ]
    for cmd in steps:
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode:
            tail = "\n".join((res.stderr or res.stdout).strip().splitlines()[-15:])
            return None, (
                f"pecanpy {PECANPY_VERSION} could not be installed "
                f"(`{shlex.join(cmd)}` failed):\n{tail}"
            )
    return py, None


# ----------------------------------------------------------------------------
# runs
# ----------------------------------------------------------------------------
def _config(args, graph, p, q, method, out_prefix, seed=None):
    return dict(
        graph=graph.name,
        npz_path=graph.npz_path,
        edg_path=graph.edg_path,
        out_prefix=out_prefix,
        mode=method.split("-", 1)[1] if method.startswith("pecanpy-") else None,
        estimator="node2vec" if method == "skembed" else method,
        input=args.skembed_input,
        p=p,
        q=q,
        n_walks=args.n_walks,
        walk_length=args.walk_length,
        n_components=args.dim,
        window=args.window,
        negative=args.negative,
        n_epochs=args.epochs,
        n_jobs=args.n_jobs,
        random_state=args.seed if seed is None else seed,
        verbose=args.verbose,
    )


def run_method(
    args, graph, p, q, method, *, pecanpy_python, splits, tag="", seed=None
):
    """Run one method in its own child; return a flat record (never raises)."""
    work = os.path.join(gc.CACHE_DIR, "runs")
    os.makedirs(work, exist_ok=True)
    if seed is not None:
        tag = f"{tag}_s{seed}"
    stem = f"{graph.name}_p{p:g}_q{q:g}_{method}{tag}"
    prefix = os.path.join(work, stem)
    for ext in (".npy", "_nodes.npy", ".json"):
        if os.path.exists(prefix + ext):
            os.remove(prefix + ext)
    cfg = _config(args, graph, p, q, method, prefix, seed=seed)
    cfg_path = prefix + "_config.json"
    with open(cfg_path, "w") as fh:
        json.dump(cfg, fh, indent=1)
    if not method.startswith("pecanpy-"):
        python = sys.executable
        script = os.path.join(gc.HERE, "_graph_worker_skembed.py")
        env = gc.child_env(
            extra_pythonpath=gc.REPO_ROOT,
            n_threads=args.n_jobs,
            numba_cache_dir=os.path.join(gc.CACHE_DIR, "numba-skembed"),
        )
    else:
        python = pecanpy_python
        script = os.path.join(gc.HERE, "_graph_worker_pecanpy.py")
        env = gc.child_env(n_threads=args.n_jobs)
        env.pop("PYTHONPATH", None)
    rec = dict(graph=graph.name, p=p, q=q, method=method, n_nodes=graph.n_nodes)
    if seed is not None:
        rec["seed"] = seed
    log_path = prefix + ".log"
    load_before = os.getloadavg()[0]
    res = gc.run_child(
        [python, script, cfg_path], env=env, timeout=args.timeout, log_path=log_path
    )
    rec.update(res)
    rec["load_before"] = load_before
    rec["load_after"] = os.getloadavg()[0]
    rec["log"] = os.path.relpath(log_path, gc.REPO_ROOT)
    if res["returncode"] != 0:
        with open(log_path) as fh:
            lines = [x for x in fh.read().strip().splitlines() if x.strip()]
        reason = "timeout" if res["timed_out"] else f"exit {res['returncode']}"
        rec["error"] = f"{reason}: {lines[-1][:400] if lines else ''}"
        return rec
    with open(prefix + ".json") as fh:
        rec.update(json.load(fh))
    if "skembed_file" in rec:  # the tree may move on while the benchmark runs
        rec["skembed_git"] = _git_rev(
            os.path.dirname(os.path.dirname(rec["skembed_file"]))
        )
    # the child's own high-water mark; ru_maxrss includes this parent's RSS
    rec["peak_rss_mb"] = rec.get("vm_hwm_mb", rec["ru_maxrss_mb"])
    try:
        vectors = np.load(prefix + ".npy")
        nodes = np.load(prefix + "_nodes.npy")
        X, missing = gc.align_vectors(vectors, nodes, graph.n_nodes)
        if missing:
            rec["note"] = f"{missing} nodes without vector (zeros)"
        t0 = time.perf_counter()
        rec.update(gc.evaluate(X, graph.labels, splits))
    except Exception as exc:  # a bad output must not lose the other runs
        rec["returncode"] = -1
        rec["error"] = f"evaluation failed: {type(exc).__name__}: {exc}"[:400]
        return rec
    rec["eval_s"] = time.perf_counter() - t0
    return rec


def warmup_skembed(args):
    """Untimed child on a small graph, so numba's cache is filled (or loaded)."""
    import networkx as nx

    path = os.path.join(gc.CACHE_DIR, "warmup_graph.npz")
    if not os.path.exists(path):
        G = nx.gnm_random_graph(400, 3000, seed=0)
        edges = np.array(sorted(G.edges()), dtype=np.int64)
        labels = np.arange(400) % 4
        np.savez(path, edges=edges, labels=labels, meta=json.dumps({"n": 400}))
    graph = gc.GraphData("warmup", None, np.zeros(400), {}, path, "")
    out = []
    for p, q in args.pq:
        rec = _warmup_one(args, graph, p, q)
        out.append(rec)
        if rec["returncode"] != 0:
            break
    return out


def _warmup_one(args, graph, p, q):
    work = os.path.join(gc.CACHE_DIR, "runs")
    os.makedirs(work, exist_ok=True)
    prefix = os.path.join(work, f"warmup_p{p:g}_q{q:g}_skembed")
    cfg = _config(args, graph, p, q, "skembed", prefix)
    cfg_path = prefix + "_config.json"
    with open(cfg_path, "w") as fh:
        json.dump(cfg, fh)
    env = gc.child_env(
        extra_pythonpath=gc.REPO_ROOT,
        n_threads=args.n_jobs,
        numba_cache_dir=os.path.join(gc.CACHE_DIR, "numba-skembed"),
    )
    res = gc.run_child(
        [sys.executable, os.path.join(gc.HERE, "_graph_worker_skembed.py"), cfg_path],
        env=env,
        timeout=args.timeout,
        log_path=prefix + ".log",
    )
    res.update(p=p, q=q)
    if res["returncode"] != 0:
        with open(prefix + ".log") as fh:
            res["error"] = fh.read().strip()[-600:]
    return res


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------
def _git_rev(path):
    try:
        root = subprocess.run(
            ["git", "-C", path, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", path, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return root + ("+dirty" if dirty else "") if root else "?"
    except OSError:
        return "?"


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def versions_line(runs):
    import networkx
    import sklearn

    sk = next((r for r in runs if r["method"] == "skembed" and "versions" in r), None)
    pc = next(
        (r for r in runs if r["method"].startswith("pecanpy-") and "versions" in r),
        None,
    )
    parts = [
        f"harness: Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, networkx {networkx.__version__}"
    ]
    if sk:
        v = sk["versions"]
        tree = os.path.dirname(os.path.dirname(sk["skembed_file"]))
        revs = {
            f"{r['graph']} p,q={r['p']:g},{r['q']:g}: "
            f"{r.get('skembed_git') or _git_rev(tree)}": None
            for r in runs
            if r["method"] == "skembed" and "versions" in r
        }
        parts.append(
            f"skembed {v['skembed']} from `{tree}` (git {'; '.join(revs)}), "
            f"numba {v['numba']}"
        )
    if pc:
        v = pc["versions"]
        parts.append(
            f"pecanpy {v['pecanpy']} (own venv: numpy {v['numpy']}, numba "
            f"{v['numba']}, gensim {v['gensim']})"
        )
    return "; ".join(parts)


def setup_of(args, argv):
    """What a record needs to be rendered later (``--report``)."""
    return dict(
        argv=list(argv),
        command=shlex.join([os.path.relpath(sys.executable), *sys.argv]),
        pythonpath=os.environ.get("PYTHONPATH", ""),
        mu=args.mu,
        n_walks=args.n_walks,
        walk_length=args.walk_length,
        dim=args.dim,
        window=args.window,
        negative=args.negative,
        epochs=args.epochs,
        n_jobs=args.n_jobs,
        seed=args.seed,
        seeds=args.seeds,
        skembed_input=args.skembed_input,
        n_splits=args.n_splits,
    )


def render(setup, runs, ratios, warm, pecanpy_error, started, load0, title=None):
    now = dt.datetime.now(dt.timezone.utc)
    title = title or " ".join(["benchmarks/bench_graph.py", *setup["argv"]])
    lines = [
        f"## {now:%Y-%m-%d %H:%M} UTC — `{title}`",
        "",
        f"- Command: `{setup['command']}`"
        + (f" with `PYTHONPATH={setup['pythonpath']}`" if setup["pythonpath"] else ""),
        f"- Date: {started:%Y-%m-%d %H:%M:%S} to {now:%H:%M:%S} UTC; machine: "
        f"{os.cpu_count()} CPUs ({_cpu_model()}), load average {load0:.1f} at "
        f"start, {os.getloadavg()[0]:.1f} at end (per run: see the jsonl).",
        f"- {CAVEAT}",
        f"- Versions: {versions_line(runs)}.",
        f"- Setup: LFR mu={setup['mu']:g} (tau1 2.5, tau2 1.5, mean degree 20; "
        "10k: max degree 300, communities 40-800, seed 42; 50k: max degree 500, "
        "communities 100-2500, seed 1), labels = planted communities; "
        f"n_walks {setup['n_walks']}, walk_length {setup['walk_length']} nodes, "
        f"dim {setup['dim']}, window {setup['window']}, negative "
        f"{setup['negative']}, epochs {setup['epochs']}, {setup['n_jobs']} "
        f"threads, "
        + (
            f"seeds {', '.join(map(str, setup['seeds']))} (splits: seed "
            f"{setup['seed']})"
            if setup.get("seeds")
            else f"seed {setup['seed']}"
        )
        + f"; skembed input: {setup['skembed_input']}; "
        f"F1 = mean over {setup['n_splits']} stratified 50 % splits (same splits "
        "for every method) of one-vs-rest LogisticRegression(max_iter=2000).",
    ]
    if pecanpy_error:
        lines.append(
            f"- **pecanpy was not run**: {pecanpy_error.splitlines()[0]} "
            "(skembed ran alone)."
        )
    if warm:
        cells = ", ".join(
            f"p,q={w['p']:g},{w['q']:g}: {w['wall_s']:.1f} s wall / "
            f"{w['cpu_s']:.1f} CPU-s" + ("" if w["returncode"] == 0 else " FAILED")
            for w in warm
        )
        lines.append(
            "- skembed warm-up child (400-node graph, fills/loads numba's cache, "
            f"not counted): {cells}."
        )
    lines += ["", "### Runs", "", gc.results_table(runs)]
    if ratios is None:  # node2vec and DeepWalk against pecanpy, seed means
        agg = gc.aggregate_seeds(runs)
        ratios = gc.ratio_rows(agg) + gc.ratio_rows(agg, ours="deepwalk")
    lines += ["### skembed / pecanpy", "", gc.ratio_table(ratios)]
    prof = gc.profile_table(runs)
    if prof:
        lines += [
            "### Where skembed's time goes",
            "",
            "`walks` = `fit_transform` minus the time inside `skembed._engine._driver."
            "train_sgns` (validation, CSR, counting pass, walk sampling), plus "
            "the walks regenerated while SGNS streams the corpus; `walk "
            "kernels` = calls of `skembed._graph._walk_kernels` walk functions from "
            "`skembed._graph._node2vec`; SGNS = the rest of `train_sgns`. Percentages "
            "of the child's total CPU-s.",
            "",
            prof,
        ]
        extra = []
        for r in runs:
            fns = {
                k: v for k, v in (r.get("phases") or {}).items() if k.startswith("fn:")
            }
            if r["method"] == "skembed" and fns:
                extra.append(
                    f"- {r['graph']} p,q={r['p']:g},{r['q']:g}: "
                    + ", ".join(
                        f"`{k[3:]}` {v['wall']:.2f} s / {v['cpu']:.2f} CPU-s"
                        for k, v in fns.items()
                    )
                )
        if extra:
            lines += ["Timed Python walk helpers:", "", *extra, ""]
    return "\n".join(lines) + "\n"


def append_results(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    new = not os.path.exists(path)
    with open(path, "a") as fh:
        if new:
            fh.write(
                "# Graph embedding benchmark: skembed vs pecanpy\n\n"
                "Written by `benchmarks/bench_graph.py` (newest run last). "
                "Targets (issue 6): total CPU-s <= 0.5x pecanpy, peak RSS <= 0.5x, "
                "macro-F1 >= pecanpy - 0.005.\n\n"
            )
        fh.write(text + "\n")


def summary_sections(args, runs):
    """Seed means (with ``--seeds``), ProNE's goal table and the plot, all
    from the means over seeds, so every ratio compares runs of one job."""
    agg = gc.aggregate_seeds(runs)
    text = ""
    seeds = gc.seed_table(agg)
    if seeds:
        text += (
            "\n### Mean ± sd over seeds (same splits; ratios below are of "
            "these means)\n\n" + seeds
        )
    spectral = gc.spectral_table(agg)
    if spectral:
        text += "\n### ProNE against node2vec and pecanpy (issue #15 goals)\n\n"
        text += spectral
    if args.plot and not args.no_write:
        png = os.path.join(os.path.dirname(args.results), "graph_quality_cpu.png")
        if gc.plot_quality_cpu(agg, png):
            text += f"\n![macro-F1 against CPU-s]({os.path.basename(png)})\n"
    return text


# ----------------------------------------------------------------------------
def report(args, argv):
    """Render stored records of ``args.report`` run ids as one section."""
    raw = os.path.join(os.path.dirname(args.results), "graph_runs.jsonl")
    with open(raw) as fh:
        recs = [json.loads(line) for line in fh if line.strip()]
    latest = {}
    for r in recs:  # last record wins per (graph, p, q, method)
        if r.get("run_id") in args.report:
            latest[(r["graph"], r["p"], r["q"], r["method"], r.get("seed"))] = r
    if not latest:
        log(f"[bench_graph] no records for run ids {args.report} in {raw}")
        return 1
    runs = sorted(
        latest.values(),
        key=lambda r: (
            r["n_nodes"] if "n_nodes" in r else 0,
            -r["p"],
            r["method"] != "skembed",
            r["method"],
        ),
    )
    setup = dict(runs[0]["setup"])
    setup["command"] = "; ".join(dict.fromkeys(r["setup"]["command"] for r in runs))
    started = min(
        dt.datetime.strptime(r["run_id"], "%Y%m%dT%H%M%S").replace(
            tzinfo=dt.timezone.utc
        )
        for r in runs
    )
    text = render(
        setup,
        runs,
        None,
        [],
        None,
        started,
        min(r.get("load_before", 0) for r in runs),
        title=f"combined runs {' '.join(args.report)}",
    )
    text += summary_sections(args, runs)
    text += (
        "\nRaw records: `benchmarks/results/graph_runs.jsonl`, run_id "
        f"{', '.join(args.report)}.\n"
    )
    log(text)
    if not args.no_write:
        append_results(args.results, text)
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.report:
        return report(args, argv)
    started = dt.datetime.now(dt.timezone.utc)
    load0 = os.getloadavg()[0]
    log(
        f"[bench_graph] graphs={args.graphs} pq={args.pq} methods={args.methods} "
        f"load={load0:.1f}"
    )

    pecanpy_python, pecanpy_error = None, None
    if any(m.startswith("pecanpy-") for m in args.methods):
        pecanpy_python, pecanpy_error = ensure_pecanpy(args.pecanpy_python)
        if pecanpy_error:
            log(f"[bench_graph] ERROR: {pecanpy_error}")
            log("[bench_graph] continuing with skembed only")
            args.methods = [m for m in args.methods if not m.startswith("pecanpy-")]

    warm = []
    skembed_error = None
    if any(not m.startswith("pecanpy-") for m in args.methods) and not args.no_warmup:
        log("[bench_graph] skembed warm-up (numba cache) ...")
        warm = warmup_skembed(args)
        for w in warm:
            log(
                f"[bench_graph]   warm-up p,q={w['p']:g},{w['q']:g}: rc "
                f"{w['returncode']}, {w['wall_s']:.1f} s, {w['cpu_s']:.1f} CPU-s"
            )
        if warm and warm[-1]["returncode"] != 0:
            skembed_error = warm[-1].get("error", "warm-up failed")
            log(f"[bench_graph] ERROR: skembed does not run:\n{skembed_error}")

    run_id = f"{started:%Y%m%dT%H%M%S}"
    setup = setup_of(args, argv)
    raw = os.path.join(os.path.dirname(args.results), "graph_runs.jsonl")
    runs = []

    def keep(rec):
        rec.update(run_id=run_id, setup=setup)
        runs.append(rec)
        if not args.no_write:  # one line per finished run, so a killed
            os.makedirs(os.path.dirname(raw), exist_ok=True)  # job keeps them
            with open(raw, "a") as fh:
                fh.write(json.dumps(rec, default=float) + "\n")

    for name in args.graphs:
        graph = gc.load_graph(name, args.mu, log=log)
        splits = gc.make_splits(graph.labels, args.n_splits, seed=args.seed)
        for k, (p, q) in enumerate(args.pq):
            for seed in args.seeds or [None]:
                for method in args.methods:
                    if method in PQ_FREE_METHODS and k > 0:
                        continue  # p, q do not apply: once per graph
                    if not method.startswith("pecanpy-") and skembed_error:
                        last = skembed_error.strip().splitlines()[-1][:400]
                        keep(
                            dict(
                                graph=graph.name,
                                p=p,
                                q=q,
                                method=method,
                                returncode=None,
                                error=f"not run: {last}",
                            )
                        )
                        continue
                    log(
                        f"[bench_graph] {graph.name} p={p:g} q={q:g} {method}"
                        + ("" if seed is None else f" seed {seed}")
                        + " ..."
                    )
                    rec = run_method(
                        args,
                        graph,
                        p,
                        q,
                        method,
                        pecanpy_python=pecanpy_python,
                        splits=splits,
                        seed=seed,
                    )
                    keep(rec)
                    if rec["returncode"] == 0:
                        ww, wc, ew, ec = gc.walk_and_embed_times(rec)
                        log(
                            f"[bench_graph]   {rec['cpu_s']:.1f} CPU-s, "
                            f"{rec['wall_s']:.1f} s wall, {rec['peak_rss_mb']:.0f} MB, "
                            f"walks {gc._fmt(wc)} CPU-s, embed {gc._fmt(ec)} CPU-s, "
                            f"macro-F1 {rec['macro_f1']:.4f}, micro-F1 "
                            f"{rec['micro_f1']:.4f}"
                        )
                    else:
                        log(f"[bench_graph]   FAILED: {rec['error']}")

    text = render(setup, runs, None, warm, pecanpy_error, started, load0)
    text += summary_sections(args, runs)
    text += f"\nRaw records: `benchmarks/results/graph_runs.jsonl`, run_id {run_id}.\n"
    log("")
    log(text)
    if not (args.no_write or args.jsonl_only):
        append_results(args.results, text)
        log(f"[bench_graph] appended to {os.path.relpath(args.results)}")
    if pecanpy_error:
        return 3
    failed = [r for r in runs if r.get("returncode") != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
