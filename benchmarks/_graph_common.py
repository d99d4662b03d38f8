"""Harness pieces for ``bench_graph.py`` that run in the main (numpy 2) venv.

* seeded LFR benchmark graphs (networkx), cached as ``.npz`` + ``.edg``;
* running one method in a child process and reading its CPU time and peak RSS
  from ``os.wait4`` (per child, so every method is measured on its own);
* node-classification evaluation (one-vs-rest logistic regression, macro /
  micro F1 on stratified 50 % splits shared by every method);
* Markdown tables.

Kept free of any skembed import so that it works before skembed's graph
estimator exists and so that ``tests/graph/test_bench_graph.py`` can exercise it.
"""

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
CACHE_DIR = os.path.join(HERE, ".cache")

# LFR parameters as in shared/research/graph.md section 3, with mixing mu=0.5
# (mu=0.3 saturates at macro-F1 ~0.997 for every method).
LFR_PARAMS = {
    10_000: dict(
        tau1=2.5,
        tau2=1.5,
        average_degree=20,
        max_degree=300,
        min_community=40,
        max_community=800,
        seed=42,
    ),
    50_000: dict(
        tau1=2.5,
        tau2=1.5,
        average_degree=20,
        max_degree=500,
        min_community=100,
        max_community=2500,
        seed=1,
    ),
}


# ----------------------------------------------------------------------------
# graphs
# ----------------------------------------------------------------------------
@dataclass
class GraphData:
    """An undirected graph as an edge array plus one community label per node."""

    name: str
    edges: np.ndarray  # (m, 2) int64, each undirected edge once, u < v
    labels: np.ndarray  # (n,) int64 community id of node i (nodes are 0..n-1)
    meta: dict
    npz_path: str = ""
    edg_path: str = ""

    @property
    def n_nodes(self):
        return int(self.labels.shape[0])


def graph_name(n, mu):
    return f"lfr{n // 1000}k_mu{mu:g}"


def lfr_graph(n, mu, seed, **params):
    """Generate an LFR graph; return (edges, labels, meta).

    Communities are numbered by their smallest node, so labels are stable for a
    given networkx version and seed.
    """
    import networkx as nx

    t0 = time.perf_counter()
    G = nx.LFR_benchmark_graph(n, mu=mu, seed=seed, **params)
    G.remove_edges_from(nx.selfloop_edges(G))
    communities = {frozenset(G.nodes[v]["community"]) for v in G}
    ordered = sorted(communities, key=min)
    labels = np.full(n, -1, dtype=np.int64)
    for k, members in enumerate(ordered):
        labels[list(members)] = k
    if (labels < 0).any():  # pragma: no cover - LFR assigns every node
        raise RuntimeError("LFR graph left nodes without a community")
    edges = np.array(sorted((min(u, v), max(u, v)) for u, v in G.edges()), np.int64)
    deg = np.bincount(edges.ravel(), minlength=n)
    meta = dict(
        generator="networkx.LFR_benchmark_graph",
        networkx=nx.__version__,
        n=n,
        mu=mu,
        seed=seed,
        **params,
        n_edges=int(edges.shape[0]),
        n_communities=len(ordered),
        mean_degree=float(deg.mean()),
        max_degree_observed=int(deg.max()),
        sum_deg2=int((deg.astype(np.int64) ** 2).sum()),
        isolated_nodes=int((deg == 0).sum()),
        seconds=round(time.perf_counter() - t0, 1),
    )
    return edges, labels, meta


def write_edg(path, edges):
    """Write a tab separated edge list (pecanpy's ``.edg`` format)."""
    tmp = path + ".tmp"
    np.savetxt(tmp, edges, fmt="%d", delimiter="\t")
    os.replace(tmp, path)


def load_or_make_lfr(n, mu=0.5, cache_dir=CACHE_DIR, max_tries=5, log=print):
    """Return the cached LFR graph of ``n`` nodes, generating it on first use.

    networkx's LFR generator sometimes fails to converge for a seed; then the
    next seeds are tried and the seed used is recorded in ``meta``.
    """
    if n not in LFR_PARAMS:
        raise ValueError(
            f"--sizes: no LFR parameters for n={n}; known: {sorted(LFR_PARAMS)}"
        )
    params = dict(LFR_PARAMS[n])
    seed0 = params.pop("seed")
    name = graph_name(n, mu)
    os.makedirs(cache_dir, exist_ok=True)
    npz_path = os.path.join(cache_dir, f"{name}.npz")
    edg_path = os.path.join(cache_dir, f"{name}.edg")
    if os.path.exists(npz_path):
        with np.load(npz_path) as z:
            edges, labels = z["edges"], z["labels"]
            meta = json.loads(str(z["meta"]))
    else:
        errors = []
        for seed in range(seed0, seed0 + max_tries):
            log(f"[bench_graph] generating {name} (seed {seed}) ...")
            try:
                edges, labels, meta = lfr_graph(n, mu, seed, **params)
                break
            except Exception as exc:  # networkx raises ExceededMaxIterations
                errors.append(f"seed {seed}: {type(exc).__name__}: {exc}")
        else:
            raise RuntimeError(f"LFR generation failed for {name}: {errors}")
        meta["failed_seeds"] = errors
        tmp = npz_path + ".tmp.npz"
        np.savez(tmp, edges=edges, labels=labels, meta=json.dumps(meta))
        os.replace(tmp, npz_path)
        log(f"[bench_graph] {name}: {json.dumps(meta)}")
    if not os.path.exists(edg_path):
        write_edg(edg_path, edges)
    return GraphData(name, edges, labels, meta, npz_path, edg_path)


#: the two public labelled graphs of ``shared/data/graphs`` (see its README)
REAL_GRAPHS = {
    "wiki": ("Wiki_edgelist.txt", "Wiki_category.txt"),
    "cora": ("cora_edgelist.txt", "cora_labels.txt"),
}
GRAPH_NAMES = ("lfr10k", "lfr50k", "wiki", "cora", "sbm10k", "dcsbm1m")


def shared_graphs_dir():
    """``shared/data/graphs`` beside the repository (or a worktree of it),
    or ``$SKEMBED_GRAPH_DATA``."""
    env = os.environ.get("SKEMBED_GRAPH_DATA")
    candidates = [env] if env else []
    up = REPO_ROOT
    for _ in range(3):
        up = os.path.dirname(up)
        candidates.append(os.path.join(up, "shared", "data", "graphs"))
    for c in candidates:
        if c and os.path.isdir(c):
            return c
    raise FileNotFoundError(
        "shared/data/graphs not found beside the repository; set "
        "SKEMBED_GRAPH_DATA to the folder holding Wiki_edgelist.txt"
    )


def _undirected_edges(edges):
    """Each undirected edge once (u < v), self-loops dropped, no duplicates."""
    e = np.asarray(edges, dtype=np.int64)
    e = e[e[:, 0] != e[:, 1]]
    e = np.sort(e, axis=1)
    return np.unique(e, axis=0)


def _cached(name, cache_dir, make, log):
    os.makedirs(cache_dir, exist_ok=True)
    npz_path = os.path.join(cache_dir, f"{name}.npz")
    edg_path = os.path.join(cache_dir, f"{name}.edg")
    if os.path.exists(npz_path):
        with np.load(npz_path) as z:
            edges, labels = z["edges"], z["labels"]
            meta = json.loads(str(z["meta"]))
    else:
        log(f"[bench_graph] building {name} ...")
        edges, labels, meta = make()
        tmp = npz_path + ".tmp.npz"
        np.savez(tmp, edges=edges, labels=labels, meta=json.dumps(meta))
        os.replace(tmp, npz_path)
    if not os.path.exists(edg_path):
        write_edg(edg_path, edges)
    return GraphData(name, edges, labels, meta, npz_path, edg_path)


def load_real_graph(name, cache_dir=CACHE_DIR, log=print):
    """Wiki or Cora, undirected (symmetrised, self-loops dropped)."""

    def make():
        folder = shared_graphs_dir()
        ef, lf = REAL_GRAPHS[name]
        raw = np.loadtxt(os.path.join(folder, ef), dtype=np.int64)
        lab = np.loadtxt(os.path.join(folder, lf), dtype=np.int64)
        n = int(max(raw.max(), lab[:, 0].max()) + 1)
        labels = np.full(n, -1, dtype=np.int64)
        labels[lab[:, 0]] = lab[:, 1]
        edges = _undirected_edges(raw)
        meta = dict(source=os.path.join(folder, ef), n=n,
                    n_edges=int(edges.shape[0]),
                    n_labelled=int((labels >= 0).sum()))
        return edges, labels, meta

    return _cached(name, cache_dir, make, log)


def sbm_edges(n=10_000, k=20, deg_in=6.0, deg_out=14.0, seed=0):
    """Planted partition: ``k`` equal blocks, Poisson numbers of uniform edges
    inside (expected degree ``deg_in``) and between blocks (``deg_out``)."""
    rng = np.random.default_rng(seed)
    size = n // k
    labels = np.repeat(np.arange(k), size)
    n = size * k
    parts = []
    for b, m in enumerate(rng.poisson(size * deg_in / 2, size=k)):
        parts.append(rng.integers(0, size, (m, 2)) + b * size)
    uv = rng.integers(0, n, (rng.poisson(n * deg_out / 2), 2))
    parts.append(uv[labels[uv[:, 0]] != labels[uv[:, 1]]])
    return _undirected_edges(np.concatenate(parts)), labels


def dcsbm_edges(n=100_000, k=100, mean_degree=20.6, mixing=0.5, gamma=2.5,
                max_weight=50.0, seed=0):
    """Degree-corrected planted partition with power-law degrees (~1 M
    undirected edges for the defaults): weights ~ Pareto(gamma - 1) capped
    at ``max_weight``, a share ``1 - mixing`` of the edges inside blocks,
    endpoints drawn in proportion to the weights."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    w = np.minimum((1 - rng.random(n)) ** (-1 / (gamma - 1)), max_weight)
    m = int(n * mean_degree / 2)
    m_in = int(m * (1 - mixing))
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    cum = np.cumsum(w[order])
    bw = np.add.reduceat(w[order], bounds[:-1])
    blocks = rng.choice(k, size=m_in, p=bw**2 / (bw**2).sum())

    def draw(blocks):
        lo = np.where(bounds[blocks] > 0, cum[bounds[blocks] - 1], 0.0)
        hi = cum[bounds[blocks + 1] - 1]
        pos = np.searchsorted(cum, lo + rng.random(blocks.size) * (hi - lo),
                              side="right")
        return order[np.minimum(pos, n - 1)]

    inside = np.stack([draw(blocks), draw(blocks)], 1)
    p = w / w.sum()
    uv = np.stack([rng.choice(n, size=2 * (m - m_in), p=p),
                   rng.choice(n, size=2 * (m - m_in), p=p)], 1)
    uv = uv[labels[uv[:, 0]] != labels[uv[:, 1]]][: m - m_in]
    return _undirected_edges(np.concatenate([inside, uv])), labels


def load_graph(name, mu=0.5, cache_dir=CACHE_DIR, log=print):
    """One benchmark graph by name (see ``GRAPH_NAMES``)."""
    if name.startswith("lfr"):
        return load_or_make_lfr(int(name[3:-1]) * 1000, mu, cache_dir, log=log)
    if name in REAL_GRAPHS:
        return load_real_graph(name, cache_dir, log)
    makers = {"sbm10k": sbm_edges, "dcsbm1m": dcsbm_edges}
    if name not in makers:
        raise ValueError(f"--graphs: unknown graph {name!r}; known: {GRAPH_NAMES}")

    def make():
        edges, labels = makers[name]()
        return edges, labels, dict(generator=f"_graph_common.{makers[name].__name__}",
                                   n=int(labels.size), n_edges=int(edges.shape[0]))

    return _cached(name, cache_dir, make, log)


# ----------------------------------------------------------------------------
# child processes
# ----------------------------------------------------------------------------
def run_child(cmd, *, env=None, timeout=None, log_path=None, cwd=None):
    """Run ``cmd``; return exit code, wall seconds, CPU seconds and ``ru_maxrss``.

    CPU seconds (user + sys) come from ``os.wait4`` on that child, i.e. they
    cover the child and every thread it ran (and any process it waited for),
    and nothing else. ``ru_maxrss_mb`` is reported but is an upper bound only:
    Linux carries it over ``exec``, so it is at least this (parent) process's
    RSS at spawn time. The workers report their own peak (``VmHWM``, see
    ``_graph_rss.py``), which ``bench_graph.py`` uses as peak RSS.
    """
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd
        )
        killed = threading.Event()

        def _kill():
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, _kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, ru = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log_path:
            log.close()
    return dict(
        returncode=proc.returncode,
        timed_out=killed.is_set(),
        wall_s=wall,
        cpu_s=ru.ru_utime + ru.ru_stime,
        user_s=ru.ru_utime,
        sys_s=ru.ru_stime,
        ru_maxrss_mb=ru.ru_maxrss / 1024.0,  # KiB on Linux
    )


def child_env(extra_pythonpath=None, n_threads=2, numba_cache_dir=None):
    """Environment for a benchmark child: fixed thread counts, no BLAS threads."""
    env = dict(os.environ)
    env.update(
        NUMBA_NUM_THREADS=str(n_threads),
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
    )
    if extra_pythonpath:
        parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join(parts + [extra_pythonpath])
    if numba_cache_dir:
        env["NUMBA_CACHE_DIR"] = numba_cache_dir
    return env


# ----------------------------------------------------------------------------
# evaluation
# ----------------------------------------------------------------------------
def make_splits(labels, n_splits=5, test_size=0.5, seed=0):
    """Stratified train/test index pairs, shared by every method."""
    from sklearn.model_selection import StratifiedShuffleSplit

    labels = np.asarray(labels)
    # unlabelled nodes (-1) and classes of one node cannot be stratified
    idx = np.flatnonzero(labels >= 0)
    cls, cnt = np.unique(labels[idx], return_counts=True)
    idx = idx[np.isin(labels[idx], cls[cnt >= 2])]
    sss = StratifiedShuffleSplit(
        n_splits=n_splits, test_size=test_size, random_state=seed
    )
    return [
        (idx[a], idx[b])
        for a, b in sss.split(np.zeros((len(idx), 1)), labels[idx])
    ]


def align_vectors(vectors, nodes, n_nodes):
    """Rows of ``vectors`` (one per id in ``nodes``) placed at node index.

    Nodes the method returned no vector for (e.g. isolated nodes) get zeros;
    their number is returned too.
    """
    nodes = np.asarray(nodes, dtype=np.int64)
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[0] != nodes.shape[0]:
        raise ValueError(
            f"vectors of shape {vectors.shape} do not match {nodes.shape[0]} nodes"
        )
    if nodes.size and (nodes.min() < 0 or nodes.max() >= n_nodes):
        raise ValueError(f"node ids outside 0..{n_nodes - 1}")
    X = np.zeros((n_nodes, vectors.shape[1]))
    X[nodes] = vectors
    missing = n_nodes - np.unique(nodes).size
    return X, missing


def evaluate(X, labels, splits, max_iter=2000):
    """Mean and std of macro / micro F1 of one-vs-rest logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier
    from threadpoolctl import threadpool_limits

    if not np.isfinite(X).all():
        return dict(macro_f1=float("nan"), micro_f1=float("nan"), note="non-finite")
    macro, micro = [], []
    # one BLAS thread: with the default pool, 58 small lbfgs fits per split
    # took minutes on the 2 shared cores (oversubscription) instead of ~1 s
    with threadpool_limits(1):
        for train, test in splits:
            clf = OneVsRestClassifier(LogisticRegression(max_iter=max_iter))
            clf.fit(X[train], labels[train])
            pred = clf.predict(X[test])
            macro.append(f1_score(labels[test], pred, average="macro"))
            micro.append(f1_score(labels[test], pred, average="micro"))
    return dict(
        macro_f1=float(np.mean(macro)),
        macro_f1_std=float(np.std(macro)),
        micro_f1=float(np.mean(micro)),
        micro_f1_std=float(np.std(micro)),
    )


# ----------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------
def _fmt(x, nd=1):
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "-"
    return f"{x:.{nd}f}"


def _phase(run, *names):
    """Sum of (wall, cpu) over the named phases of a run; None if none ran."""
    phases = run.get("phases") or {}
    hits = [phases[n] for n in names if n in phases]
    if not hits:
        return None, None
    return sum(h["wall"] for h in hits), sum(h["cpu"] for h in hits)


def walk_and_embed_times(run):
    """(walk wall, walk CPU, embed wall, embed CPU) of a run.

    Walks include pecanpy's transition-probability precompute and numba JIT;
    for skembed "walks" is everything in ``fit`` that is not the SGNS driver
    (graph validation, CSR build, walk sampling, corpus hand-over).
    """
    ww, wc = _phase(run, "precompute", "walks")
    ew, ec = _phase(run, "embed")
    return ww, wc, ew, ec


def results_table(runs):
    head = (
        "| graph | p,q | method | walks s wall / CPU | embed s wall / CPU "
        "| total wall s | **total CPU-s** | **peak RSS MB** | RSS after imports MB "
        "| macro-F1 | micro-F1 | note |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for r in runs:
        ww, wc, ew, ec = walk_and_embed_times(r)
        ok = r.get("returncode") == 0 and "macro_f1" in r
        note = r.get("note", "")
        ph = r.get("phases") or {}
        t_walks = (r.get("timings_") or {}).get("walks")
        if (
            t_walks is not None
            and "walks" in ph
            and not any(k.startswith("walkfn:") for k in ph)
            and t_walks > ph["walks"]["wall"] + 1.0
        ):
            note = (
                note + f" embed includes ~{t_walks - ph['walks']['wall']:.0f} s "
                "wall of walks regenerated while SGNS streams them (timings_; "
                "this run predates the split)"
            ).strip()
        if not ok:
            note = (note + " " + r.get("error", "failed")).strip()
        seed = f" (seed {r['seed']})" if r.get("seed") is not None else ""
        rows.append(
            f"| {r['graph']} | {r['p']:g},{r['q']:g} | {r['method']}{seed} "
            f"| {_fmt(ww)} / {_fmt(wc)} | {_fmt(ew)} / {_fmt(ec)} "
            f"| {_fmt(r.get('wall_s'))} | {_fmt(r.get('cpu_s'))} "
            f"| {_fmt(r.get('peak_rss_mb'), 0)} "
            f"| {_fmt(r.get('rss_after_import_mb'), 0)} "
            f"| {_fmt(r.get('macro_f1'), 4) if ok else '-'} "
            f"| {_fmt(r.get('micro_f1'), 4) if ok else '-'} | {note} |"
        )
    return head + "\n".join(rows) + "\n"


TARGETS = dict(cpu_ratio=0.5, rss_ratio=0.5, macro_f1_delta=-0.005)


def ratio_rows(runs, ours="skembed"):
    """skembed against every pecanpy run on the same graph and p,q (the
    other skembed methods are not peers of its targets)."""
    out = []
    by_key = {}
    for r in runs:
        by_key.setdefault((r["graph"], r["p"], r["q"]), []).append(r)
    for (graph, p, q), group in by_key.items():
        mine = [r for r in group if r["method"] == ours and "macro_f1" in r]
        if not mine:
            continue
        m = mine[0]
        for o in group:
            if not o["method"].startswith("pecanpy-") or "macro_f1" not in o:
                continue
            cpu = m["cpu_s"] / o["cpu_s"]
            rss = m["peak_rss_mb"] / o["peak_rss_mb"]
            try:  # memory the run itself added on top of the imports
                rss_work = (m["peak_rss_mb"] - m["rss_after_import_mb"]) / (
                    o["peak_rss_mb"] - o["rss_after_import_mb"]
                )
            except (KeyError, ZeroDivisionError):
                rss_work = float("nan")
            dmac = m["macro_f1"] - o["macro_f1"]
            dmic = m["micro_f1"] - o["micro_f1"]
            met = dict(
                cpu=cpu <= TARGETS["cpu_ratio"],
                rss=rss <= TARGETS["rss_ratio"],
                f1=dmac >= TARGETS["macro_f1_delta"],
            )
            out.append(
                dict(
                    graph=graph,
                    p=p,
                    q=q,
                    ours=ours,
                    versus=o["method"],
                    cpu_ratio=cpu,
                    rss_ratio=rss,
                    rss_above_imports_ratio=rss_work,
                    macro_f1_delta=dmac,
                    micro_f1_delta=dmic,
                    met=met,
                )
            )
    return out


def ratio_table(ratios):
    if not ratios:
        return "(no skembed / pecanpy pair finished: no ratios)\n"
    head = (
        "| graph | p,q | skembed method | vs | CPU-s ratio (target <= 0.5) "
        "| peak RSS ratio (target <= 0.5) | RSS-above-imports ratio "
        "| macro-F1 diff (target >= -0.005) | micro-F1 diff |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )

    def mark(ok):
        return "ok" if ok else "**MISS**"

    rows = [
        f"| {r['graph']} | {r['p']:g},{r['q']:g} "
        f"| {'node2vec' if r.get('ours', 'skembed') == 'skembed' else r['ours']} "
        f"| {r['versus']} "
        f"| {r['cpu_ratio']:.2f} {mark(r['met']['cpu'])} "
        f"| {r['rss_ratio']:.2f} {mark(r['met']['rss'])} "
        f"| {_fmt(r['rss_above_imports_ratio'], 2)} "
        f"| {r['macro_f1_delta']:+.4f} {mark(r['met']['f1'])} "
        f"| {r['micro_f1_delta']:+.4f} |"
        for r in ratios
    ]
    return head + "\n".join(rows) + "\n"


def profile_table(runs, ours="skembed"):
    """Where skembed's CPU time goes, from the phases its worker recorded."""
    rows = []
    for r in runs:
        if r["method"] != ours or r.get("returncode") != 0:
            continue
        ph = r.get("phases", {})
        total = r.get("cpu_s") or float("nan")

        def cell(name, ph=ph, total=total):
            if name not in ph:
                return "-"
            c = ph[name]["cpu"]
            return f"{ph[name]['wall']:.1f} / {c:.1f} ({100 * c / total:.0f} %)"

        sg = r.get("sgns") or {}
        tok = sg.get("n_words")
        rate = tok / ph["embed"]["cpu"] if tok and "embed" in ph else None
        kern = [ph[k] for k in ("walkfn:before_sgns", "walkfn:in_sgns") if k in ph]
        kcell = (
            f"{sum(k['wall'] for k in kern):.1f} / {sum(k['cpu'] for k in kern):.1f}"
            if kern
            else "-"
        )
        rows.append(
            f"| {r['graph']} | {r['p']:g},{r['q']:g} | {cell('startup')} "
            f"| {cell('walks')} | {kcell} | {cell('embed')} | {_fmt(total)} "
            f"| {_fmt(r.get('rss_after_import_mb'), 0)} "
            f"| {_fmt(r.get('peak_rss_mb'), 0)} "
            f"| {f'{tok / 1e6:.2f} M' if tok else '-'} "
            f"| {f'{rate / 1e3:.0f} k' if rate else '-'} |"
        )
    if not rows:
        return ""
    head = (
        "| graph | p,q | startup (imports) s wall / CPU (%) | walks: fit minus "
        "SGNS s wall / CPU (%) | of which walk kernels | SGNS | total CPU-s "
        "| RSS after imports MB | peak RSS MB | SGNS tokens "
        "| tokens / SGNS CPU-s |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n"


_AGG_FIELDS = ("cpu_s", "wall_s", "peak_rss_mb", "rss_after_import_mb",
               "macro_f1", "micro_f1")


def aggregate_seeds(runs):
    """One record per (graph, p, q, method) with the means over its finished
    seeds (``sd_<field>`` the sample sd, ``n_seeds``); the fit-only CPU-s
    (``_fit_cpu``) is averaged into ``phases['fit']``. Records without a seed
    pass through unchanged."""
    groups = {}
    for r in runs:
        groups.setdefault((r["graph"], r["p"], r["q"], r["method"]), []).append(r)
    out = []
    for (graph, p, q, method), group in groups.items():
        if all(r.get("seed") is None for r in group):
            out.extend(group)
            continue
        ok = [r for r in group if r.get("returncode") == 0 and "macro_f1" in r]
        agg = dict(graph=graph, p=p, q=q, method=method,
                   n_nodes=group[0].get("n_nodes"), n_seeds=len(ok),
                   seeds=[r.get("seed") for r in ok],
                   n_failed=len(group) - len(ok))
        if not ok:
            agg.update(returncode=1, error=group[-1].get("error", "failed"))
            out.append(agg)
            continue
        agg["returncode"] = 0
        for f in _AGG_FIELDS:
            vals = np.array([r[f] for r in ok if r.get(f) is not None], float)
            if len(vals):
                agg[f] = float(vals.mean())
                agg["sd_" + f] = float(vals.std(ddof=1)) if len(vals) > 1 else 0.0
        fits = [_fit_cpu(r) for r in ok]
        if all(f is not None for f in fits):
            agg["phases"] = {"fit": {"cpu": float(np.mean(fits)),
                                     "wall": float("nan")}}
        out.append(agg)
    return out


def seed_table(agg):
    """Mean ± sd over seeds per method (records from ``aggregate_seeds``)."""
    rows = []
    for r in agg:
        if r.get("n_seeds") is None:
            continue

        def ms(f, nd, r=r):
            if f not in r:
                return "-"
            return f"{r[f]:.{nd}f} ± {r['sd_' + f]:.{nd}f}"

        fit = _fit_cpu(r)
        name = "node2vec (skembed)" if r["method"] == "skembed" else r["method"]
        rows.append(
            f"| {r['graph']} | {r['p']:g},{r['q']:g} | {name} "
            f"| {r['n_seeds']}" + (f" ({r['n_failed']} failed)" if r["n_failed"]
                                   else "")
            + f" | {ms('cpu_s', 1)} | {_fmt(fit, 2)} | {ms('peak_rss_mb', 0)} "
            f"| **{ms('macro_f1', 4)}** | {ms('micro_f1', 4)} |"
        )
    if not rows:
        return ""
    head = (
        "| graph | p,q | method | seeds | total CPU-s | fit-only CPU-s (mean) "
        "| peak RSS MB | macro-F1 | micro-F1 |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n"


def python_in(venv):
    return os.path.join(venv, "bin", "python")


def this_python():
    return sys.executable


SPECTRAL_TARGETS = dict(cpu_vs_node2vec=0.1, cpu_vs_pecanpy=0.05, macro_f1_delta=0.0)


def spectral_table(runs, ours="prone"):
    """ProNE against skembed's node2vec and every pecanpy run of a graph
    (issue #15: macro-F1 >= theirs at <= 0.1x node2vec's CPU-s and <= 0.05x
    pecanpy's; peak RSS ratio reported)."""
    by_graph = {}
    for r in runs:
        if r.get("returncode") == 0 and "macro_f1" in r:
            by_graph.setdefault(r["graph"], []).append(r)
    rows = []
    for graph, group in by_graph.items():
        mine = [r for r in group if r["method"] == ours]
        if not mine:
            continue
        m = mine[0]
        for o in group:
            if o["method"] == ours or not (
                o["method"] == "skembed" or o["method"].startswith("pecanpy-")
            ):
                continue
            target = SPECTRAL_TARGETS[
                "cpu_vs_node2vec" if o["method"] == "skembed" else "cpu_vs_pecanpy"
            ]
            cpu = m["cpu_s"] / o["cpu_s"]
            fit_m, fit_o = _fit_cpu(m), _fit_cpu(o)
            fit = fit_m / fit_o if fit_m and fit_o else float("nan")
            dmac = m["macro_f1"] - o["macro_f1"]
            name = "node2vec (skembed)" if o["method"] == "skembed" else o["method"]
            rows.append(
                f"| {graph} | {name} p,q={o['p']:g},{o['q']:g} "
                f"| {cpu:.3f} {'ok' if cpu <= target else '**MISS**'} (<= {target:g}) "
                f"| {_fmt(fit, 3)} "
                f"| {m['peak_rss_mb'] / o['peak_rss_mb']:.2f} "
                f"| {dmac:+.4f} {'ok' if dmac >= 0 else '**MISS**'} "
                f"| {m['micro_f1'] - o['micro_f1']:+.4f} |"
            )
    if not rows:
        return ""
    head = (
        "| graph | ProNE vs | CPU-s ratio, whole process (target) "
        "| fit-only CPU-s ratio | peak RSS ratio "
        "| macro-F1 diff (target >= 0) | micro-F1 diff |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(rows) + "\n"


def _fit_cpu(run):
    """CPU-s of the embedding alone (no imports, no graph loading): skembed's
    ``fit`` phase, pecanpy's precompute + walks + embed."""
    ph = run.get("phases") or {}
    if "fit" in ph:
        return ph["fit"]["cpu"]
    parts = [ph[k]["cpu"] for k in ("precompute", "walks", "embed") if k in ph]
    return sum(parts) if parts else None


#: methods plotted without p, q (they ignore them)
_PQ_FREE = ("prone", "prone-smf", "svd", "deepwalk", "netmf")


def plot_quality_cpu(runs, path):
    """Macro-F1 against CPU-s (log scale), one panel per graph, one marker
    per method; returns the path, or None without matplotlib or runs."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        return None
    ok = [r for r in runs if r.get("returncode") == 0 and "macro_f1" in r]
    graphs = list(dict.fromkeys(r["graph"] for r in ok))
    if not graphs:
        return None
    def label_of(r):
        name = "node2vec" if r["method"] == "skembed" else r["method"]
        return name + (
            "" if r["method"] in _PQ_FREE else f" p,q={r['p']:g},{r['q']:g}"
        )

    methods = list(dict.fromkeys(label_of(r) for r in ok))
    colours = plt.get_cmap("tab10")
    fig, axes = plt.subplots(1, len(graphs), figsize=(4.2 * len(graphs), 3.8),
                             squeeze=False)
    for ax, graph in zip(axes[0], graphs):
        for r in (r for r in ok if r["graph"] == graph):
            label = label_of(r)
            k = methods.index(label)
            ax.scatter(r["cpu_s"], r["macro_f1"], color=colours(k % 10),
                       marker="os^Dv<>P*X"[k % 10], s=60, label=label)
            if r.get("n_seeds", 0) > 1:  # mean ± sd over seeds
                ax.errorbar(r["cpu_s"], r["macro_f1"], xerr=r["sd_cpu_s"],
                            yerr=r["sd_macro_f1"], color=colours(k % 10),
                            fmt="none", lw=1)
        ax.set_xscale("log")
        cpus = [r["cpu_s"] for r in ok if r["graph"] == graph]
        # a factor 2 each side keeps a decade tick in view; minor labels
        # crowd (or garble, for a single point) the log axis
        ax.set_xlim(min(cpus) / 2, max(cpus) * 2)
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        ax.set_title(graph)
        ax.set_xlabel("CPU-s (one fit, log scale)")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("macro-F1 (LogisticRegression, 50 % train)")
    handles, labels = [], []
    for ax in axes[0]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)),
               fontsize=8)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
