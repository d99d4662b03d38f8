"""One skembed ``Node2VecEmbedder`` run in a child process of its own.

Usage (called by ``bench_graph.py``)::

    python _graph_worker_skembed.py CONFIG.json

CONFIG holds ``npz_path`` (cached graph), ``input`` ("edges": the ``(m, 2)``
int64 edge array, "scipy": a symmetric CSR adjacency, "networkx": a
``networkx.Graph``), ``out_prefix`` and the hyper-parameters. Writes
``<out_prefix>.npy`` / ``_nodes.npy`` / ``.json`` like the pecanpy worker.

Where the time goes: ``skembed._engine._driver.train_sgns`` (the shared SGNS driver) is
wrapped with a timer, so ``embed`` is the SGNS time and ``walks`` is the rest
of ``fit_transform`` (input validation, CSR build, walk sampling, corpus
hand-over). Pure-Python functions with "walk" in their name in
``skembed._graph._node2vec`` / ``skembed._graph._walk_kernels`` are timed too
when they exist.
``skembed`` is imported from ``PYTHONPATH`` (``bench_graph.py`` puts the
repository that holds this script last on it).
"""

import functools
import inspect
import json
import sys
import time

T_START = time.perf_counter()
C_START = time.process_time()

MISSING_MSG = (
    "skembed.Node2VecEmbedder cannot be imported from {where}: {exc}. "
    "The graph estimator is not in this tree yet (issue 6, branch 'graph'); run "
    "with PYTHONPATH pointing at a tree that has it, e.g. "
    "PYTHONPATH=/work/wt-graph python benchmarks/bench_graph.py --quick"
)


from _graph_rss import peak_rss_mb as rss_mb  # noqa: E402  (script dir on path)


def _timer(store, key, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            rec = store.setdefault(key, dict(wall=0.0, cpu=0.0, calls=0))
            rec["wall"] += time.perf_counter() - t0
            rec["cpu"] += time.process_time() - c0
            rec["calls"] += 1
            rec["rss_mb"] = rss_mb()

    wrapper._bench_wrapped = True
    return wrapper


class _TimedModule:
    """Stand-in for a module seen by one caller: times its "walk" callables.

    Installed as ``skembed._graph._node2vec._walk_kernels`` only, so the
    numba kernels keep calling each other directly (a Python wrapper in the
    real module's globals would break their compilation); only the
    Python-level calls are timed.
    """

    def __init__(self, module, store, state):
        self._module = module
        self._store = store
        self._state = state

    def __getattr__(self, name):
        obj = getattr(self._module, name)
        if "walk" not in name.lower() or not callable(obj):
            return obj
        store, state = self._store, self._state

        def timed(*args, **kwargs):
            where = "in_sgns" if state["in_sgns"] else "before_sgns"
            return _timer(store, f"walkfn:{where}", obj)(*args, **kwargs)

        return timed


def instrument(skembed, store, sgns_results):
    """Wrap the SGNS driver and the walk kernels' Python-level calls with timers.

    ``store["embed"]`` is the time inside ``train_sgns``; ``walkfn:in_sgns``
    and ``walkfn:before_sgns`` the time in walk functions called from
    ``skembed._graph._node2vec`` (walks regenerated while SGNS streams the corpus
    count as walks, not as SGNS).
    """
    import importlib
    import types

    from skembed._engine import _driver

    original = _driver.train_sgns
    state = {"in_sgns": False}

    def capture(*args, **kwargs):
        state["in_sgns"] = True
        try:
            res = original(*args, **kwargs)
        finally:
            state["in_sgns"] = False
        sgns_results.append(res)
        return res

    timed = _timer(store, "embed", capture)
    for name, mod in list(sys.modules.items()):
        if name.startswith("skembed") and getattr(mod, "train_sgns", None) is original:
            mod.train_sgns = timed
    try:
        n2v = importlib.import_module("skembed._graph._node2vec")
    except ImportError:
        return
    for attr, obj in list(vars(n2v).items()):
        walks = "skembed._graph._walk_kernels"
        if isinstance(obj, types.ModuleType) and obj.__name__ == walks:
            setattr(n2v, attr, _TimedModule(obj, store, state))
        elif (
            "walk" in attr.lower()
            and inspect.isfunction(obj)  # never wrap numba dispatchers
            and obj.__module__ == n2v.__name__
        ):
            setattr(n2v, attr, _timer(store, f"fn:{attr}", obj))


def make_estimator(cfg):
    """The estimator of ``cfg["estimator"]``: "node2vec" (default), "deepwalk",
    "prone",
    "prone-smf" (no propagation), "prone-global" (output_scale="global"),
    "node2vec+prop" (SpectralPropagation of node2vec), "netmf"
    (NetMFEmbedder, the run's window) or "svd" (the plain baseline: a truncated SVD of the
    normalised adjacency, rows scaled by sqrt(n))."""
    import skembed

    kind = cfg.get("estimator", "node2vec")
    common = dict(random_state=cfg["random_state"], n_jobs=cfg["n_jobs"],
                  verbose=cfg.get("verbose", 0))
    if kind in ("prone", "prone-smf", "prone-global"):
        scale = {"output_scale": "global"} if kind == "prone-global" else {}
        return skembed.ProNEEmbedder(
            n_components=cfg["n_components"], propagate=kind != "prone-smf",
            **scale, **common
        )
    if kind == "netmf":
        return skembed.NetMFEmbedder(
            n_components=cfg["n_components"], window=cfg["window"], **common
        )
    if kind == "svd":
        return _SVDBaseline(cfg["n_components"], cfg["random_state"])
    walks = dict(
        n_components=cfg["n_components"],
        walk_length=cfg["walk_length"],
        n_walks=cfg["n_walks"],
        window=cfg["window"],
        negative=cfg["negative"],
        n_epochs=cfg["n_epochs"],
        **common,
    )
    if kind == "deepwalk":  # its own defaults otherwise (hs=True)
        return skembed.DeepWalkEmbedder(**walks)
    n2v = skembed.Node2VecEmbedder(p=cfg["p"], q=cfg["q"], **walks)
    if kind == "node2vec+prop":
        return skembed.SpectralPropagation(n2v, n_jobs=cfg["n_jobs"])
    return n2v


class _SVDBaseline:
    """``TruncatedSVD`` of ``D^-1/2 A D^-1/2``, rows = U sqrt(n) (the baseline
    of shared/research/graph.md)."""

    def __init__(self, n_components, random_state):
        self.n_components = n_components
        self.random_state = random_state

    def fit_transform(self, graph):
        import numpy as np
        import scipy.sparse as sp
        from sklearn.decomposition import TruncatedSVD

        A = sp.csr_matrix(graph) if sp.issparse(graph) else None
        if A is None:  # the (m, 2) edge array
            e = np.asarray(graph)
            n = int(e.max()) + 1
            A = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
            A = ((A + A.T) > 0).astype(np.float64).tocsr()
        deg = np.asarray(A.sum(axis=1)).ravel()
        inv = np.divide(1.0, np.sqrt(deg), out=np.zeros_like(deg), where=deg > 0)
        N = sp.diags(inv) @ A @ sp.diags(inv)
        svd = TruncatedSVD(self.n_components, random_state=self.random_state)
        X = svd.fit_transform(N) / np.maximum(svd.singular_values_, 1e-12)
        self.nodes_ = np.arange(A.shape[0])
        return (X * np.sqrt(A.shape[0])).astype(np.float32)


def main(config_path):
    with open(config_path) as fh:
        cfg = json.load(fh)
    import numpy as np

    try:
        import skembed
    except ImportError as exc:
        print(MISSING_MSG.format(where="PYTHONPATH", exc=exc), file=sys.stderr)
        return 3
    # the spectral methods import only what a user of them imports (the
    # package face loads names lazily): no walk / SGNS modules, no profiling
    spectral = cfg.get("estimator") in ("prone", "prone-smf", "prone-global",
                                        "svd", "netmf")
    try:
        if cfg.get("estimator") == "netmf":
            skembed.NetMFEmbedder  # noqa: B018  (imports its modules)
        elif spectral:
            skembed.ProNEEmbedder  # noqa: B018  (imports its modules)
        else:
            skembed.Node2VecEmbedder  # noqa: B018
    except (ImportError, AttributeError) as exc:
        print(MISSING_MSG.format(where=skembed.__file__, exc=exc), file=sys.stderr)
        return 3
    phases = {}
    sgns_results = []
    if not spectral:
        instrument(skembed, phases, sgns_results)
    phases["startup"] = dict(
        wall=time.perf_counter() - T_START,
        cpu=time.process_time() - C_START,
        rss_mb=rss_mb(),
    )
    rss_after_import = rss_mb()

    t0, c0 = time.perf_counter(), time.process_time()
    with np.load(cfg["npz_path"]) as z:
        edges = np.array(z["edges"])
        n_nodes = int(z["labels"].shape[0])
    if cfg["input"] == "scipy":
        import scipy.sparse as sp

        a = sp.coo_matrix(
            (np.ones(len(edges), np.float32), (edges[:, 0], edges[:, 1])),
            shape=(n_nodes, n_nodes),
        )
        graph = (a + a.T).tocsr()
    elif cfg["input"] == "networkx":
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(n_nodes))
        graph.add_edges_from(edges.tolist())
    else:
        graph = edges
    phases["load"] = dict(
        wall=time.perf_counter() - t0, cpu=time.process_time() - c0, rss_mb=rss_mb()
    )

    est = make_estimator(cfg)
    t0, c0 = time.perf_counter(), time.process_time()
    vectors = est.fit_transform(graph)
    fit = dict(
        wall=time.perf_counter() - t0, cpu=time.process_time() - c0, rss_mb=rss_mb()
    )
    phases["fit"] = fit
    emb = phases.get("embed")
    if emb is not None:
        # walks = everything in fit outside SGNS + walks regenerated inside it
        inside = phases.get("walkfn:in_sgns", dict(wall=0.0, cpu=0.0))
        phases["sgns_total"] = dict(emb)
        phases["embed"] = dict(
            emb, wall=emb["wall"] - inside["wall"], cpu=emb["cpu"] - inside["cpu"]
        )
        phases["walks"] = dict(
            wall=fit["wall"] - emb["wall"] + inside["wall"],
            cpu=fit["cpu"] - emb["cpu"] + inside["cpu"],
        )
    t0, c0 = time.perf_counter(), time.process_time()
    nodes = np.asarray(est.nodes_)
    vectors = np.asarray(vectors, dtype=np.float32)
    phases["extract"] = dict(
        wall=time.perf_counter() - t0, cpu=time.process_time() - c0, rss_mb=rss_mb()
    )
    prefix = cfg["out_prefix"]
    np.save(prefix + ".npy", vectors)
    np.save(prefix + "_nodes.npy", nodes.astype(np.int64))

    sgns = {}
    if sgns_results:
        r = sgns_results[-1]
        for key in ("n_words", "n_pairs", "seconds"):
            val = getattr(r, key, None)
            if val is not None:
                sgns[key] = float(val)
    import numba
    import sklearn

    timings = {k: float(v) for k, v in (getattr(est, "timings_", None) or {}).items()}
    info = dict(
        phases=phases,
        timings_=timings,
        rss_after_import_mb=rss_after_import,
        sgns=sgns,
        skembed_file=skembed.__file__,
        versions=dict(
            skembed=getattr(skembed, "__version__", "?"),
            numba=numba.__version__,
            numpy=np.__version__,
            sklearn=sklearn.__version__,
            python=sys.version.split()[0],
        ),
    )
    info["vm_hwm_mb"] = rss_mb()
    with open(prefix + ".json", "w") as fh:
        json.dump(info, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
