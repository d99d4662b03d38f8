"""One pecanpy run, in pecanpy's own venv (numpy < 2): ``.edg`` in, vectors out.

Usage (called by ``bench_graph.py``)::

    python _graph_worker_pecanpy.py CONFIG.json

CONFIG holds ``edg_path``, ``out_prefix``, ``mode`` (SparseOTF, PreComp,
FirstOrderUnweighted, ...), ``p``, ``q``, ``n_walks``, ``walk_length`` (nodes per
walk), ``n_components``, ``window``, ``negative``, ``n_epochs``, ``n_jobs``,
``random_state``. Writes ``<out_prefix>.npy`` (vectors, float32),
``<out_prefix>_nodes.npy`` (int64 node ids, same order) and
``<out_prefix>.json`` (phase timings, versions).

The steps are those of ``pecanpy.pecanpy.Base.embed`` (walks as list of str
lists, then gensim ``Word2Vec(sg=1, min_count=0)``), timed one by one. Only
the standard library, numpy, numba, pecanpy and gensim are imported here.
"""

import json
import sys
import time

T_START = time.perf_counter()
C_START = time.process_time()


from _graph_rss import peak_rss_mb as rss_mb  # noqa: E402  (script dir on path)


def main(config_path):
    with open(config_path) as fh:
        cfg = json.load(fh)
    phases = {}

    def timed(name, fn, *args, **kwargs):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        phases[name] = dict(
            wall=time.perf_counter() - t0,
            cpu=time.process_time() - c0,
            rss_mb=rss_mb(),
        )
        print(f"[pecanpy-worker] {name}: {phases[name]}", flush=True)
        return out

    import gensim
    import numba
    import numpy as np
    from gensim.models import Word2Vec
    from pecanpy import pecanpy as pp

    try:
        from importlib.metadata import version

        pecanpy_version = version("pecanpy")
    except Exception:  # pragma: no cover
        pecanpy_version = "?"
    phases["startup"] = dict(
        wall=time.perf_counter() - T_START,
        cpu=time.process_time() - C_START,
        rss_mb=rss_mb(),
    )
    rss_after_import = rss_mb()

    n_jobs = int(cfg["n_jobs"])
    # pecanpy's Python API ignores ``workers`` for the walks (only its CLI
    # sets numba's thread count): do what the CLI does.
    numba.set_num_threads(n_jobs)
    mode_cls = getattr(pp, cfg["mode"])
    g = mode_cls(
        p=cfg["p"],
        q=cfg["q"],
        workers=n_jobs,
        verbose=False,
        random_state=cfg["random_state"],
    )
    timed("load", g.read_edg, cfg["edg_path"], weighted=False, directed=False)
    if cfg["mode"] in ("PreComp", "PreCompFirstOrder"):
        timed("precompute", g.preprocess_transition_probs)
        g._preprocessed = True
    # pecanpy's walk_length counts steps: a walk has walk_length + 1 nodes
    # (pecanpy issue #243). skembed's walk_length counts nodes, so pass one
    # less to give both methods the same corpus size.
    walks = timed("walks", g.simulate_walks, cfg["n_walks"], cfg["walk_length"] - 1)
    n_tokens = sum(len(w) for w in walks)
    w2v = timed(
        "embed",
        Word2Vec,
        walks,
        vector_size=cfg["n_components"],
        window=cfg["window"],
        negative=cfg["negative"],
        sg=1,
        min_count=0,
        workers=n_jobs,
        epochs=cfg["n_epochs"],
        seed=cfg["random_state"],
    )
    del walks
    nodes = g.nodes
    vectors = timed("extract", lambda: w2v.wv[nodes])
    prefix = cfg["out_prefix"]
    np.save(prefix + ".npy", np.asarray(vectors, dtype=np.float32))
    np.save(prefix + "_nodes.npy", np.asarray([int(v) for v in nodes], np.int64))
    info = dict(
        phases=phases,
        rss_after_import_mb=rss_after_import,
        n_tokens=int(n_tokens),
        versions=dict(
            pecanpy=pecanpy_version,
            gensim=gensim.__version__,
            numba=numba.__version__,
            numpy=np.__version__,
            python=sys.version.split()[0],
        ),
    )
    info["vm_hwm_mb"] = rss_mb()
    with open(prefix + ".json", "w") as fh:
        json.dump(info, fh, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
