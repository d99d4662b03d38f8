"""Are skembed's p = q = 1 walks as random as pecanpy's? (#15)

Corpus statistics that must match in expectation for uniform first-order
walks, for skembed's walks (``n2v_gensim_walks.py dump``) and pecanpy's
``FirstOrderUnweighted`` walks on the same graph::

    # 1. the graph as an edge list + skembed's walks (main venv)
    python benchmarks/drivers/n2v_walk_stats.py edg GRAPH OUT
    python benchmarks/drivers/n2v_gensim_walks.py dump GRAPH SEEDS OUT
    # 2. pecanpy's walks, one thread, same corpus size (pecanpy's venv)
    /work/venvs/pecanpy/bin/python benchmarks/drivers/n2v_walk_stats.py pecanpy OUT SEEDS
    # 3. statistics of every walks_*.npz / pecanpy_*.npz in OUT (main venv)
    python benchmarks/drivers/n2v_walk_stats.py stats GRAPH OUT

Step 2 calls ``FirstOrderUnweighted(random_state=SEED).simulate_walks(10,
79)`` (80 nodes a walk, as ``benchmarks/_graph_worker_pecanpy.py``) and maps
pecanpy's node ids to skembed's node index (``nodes_0.npy`` of step 1).

Step 3 prints, per corpus: the visit counts against their exact
expectation (uniform starts, ``P^t`` propagated; chi2/df, counts within a
walk are dependent so > 1 for any sampler, compare tools), the transition
counts against ``1/deg`` given the departures from each node (conditional
multinomial: chi2/df ~ 1 +- sqrt(2/df) for an unbiased, independent
sampler), the same for the first step only, the backtrack rate
``w[t+2] == w[t]`` against its expectation, identical walks, agreement of
the same start's walks at steps 1-3 (between rounds of one seed and between
seeds), and the correlation of visit-count residuals between seeds.
"""
import glob
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
N_WALKS, LENGTH = 10, 80


def edg(graph, out):
    sys.path.insert(0, os.path.join(HERE, ".."))
    import _graph_common as gc

    g = gc.load_graph(graph, log=lambda *a: None)
    os.makedirs(out, exist_ok=True)
    e = np.asarray(g.edges)
    np.savetxt(os.path.join(out, "graph.edg"), e[:, :2], fmt="%d", delimiter="\t")
    print("edges", e.shape[0])


def pecanpy(out, seeds):
    import numba
    from pecanpy import pecanpy as pp

    numba.set_num_threads(1)
    nodes = np.load(os.path.join(out, "nodes_0.npy"))
    index = {str(v): i for i, v in enumerate(nodes.tolist())}
    for seed in seeds:
        g = pp.FirstOrderUnweighted(p=1, q=1, workers=1, random_state=seed)
        g.read_edg(os.path.join(out, "graph.edg"), weighted=False, directed=False)
        walks = g.simulate_walks(N_WALKS, LENGTH - 1)
        lengths = np.array([len(w) for w in walks])
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        ids = np.array([index[x] for w in walks for x in w], dtype=np.int32)
        np.savez(os.path.join(out, f"pecanpy_{seed}.npz"), indptr=indptr, ids=ids)
        print("pecanpy walks", seed, flush=True)


def _load(path):
    z = np.load(path)
    ip, ids = z["indptr"], z["ids"]
    assert np.all(np.diff(ip) == LENGTH), "truncated walks not handled"
    return ids.reshape(-1, LENGTH)


def _by_start(W):
    """(n_nodes, N_WALKS, LENGTH): each start's walks in corpus order."""
    order = np.argsort(W[:, 0], kind="stable")
    return W[order].reshape(-1, N_WALKS, LENGTH)


def _z(chi2, df):
    return (chi2 - df) / np.sqrt(2 * df)


def stats(graph, out):
    import scipy.sparse as sp

    sys.path.insert(0, os.path.join(HERE, ".."))
    sys.path.insert(0, os.path.join(HERE, "..", ".."))
    import _graph_common as gc

    g = gc.load_graph(graph, log=lambda *a: None)
    nodes = np.load(os.path.join(out, "nodes_0.npy"))
    index = {v: i for i, v in enumerate(nodes.tolist())}
    e = np.asarray(g.edges)[:, :2]
    r = np.array([index[v] for v in e[:, 0]])
    c = np.array([index[v] for v in e[:, 1]])
    n = nodes.size
    A = sp.coo_matrix((np.ones(r.size), (r, c)), shape=(n, n)).tocsr()
    A = ((A + A.T) > 0).astype(np.float64).tocsr()
    A.setdiag(0)
    A.eliminate_zeros()
    deg = np.asarray(A.sum(1)).ravel()
    P = sp.diags(1 / deg) @ A
    # exact expected visit counts: N_WALKS walks from every node
    x = np.full(n, float(N_WALKS))
    expect = np.zeros(n)
    for _ in range(LENGTH):
        expect += x
        x = P.T @ x
    # which edge (u, v) is CSR entry k: code u * n + v
    codes = np.repeat(np.arange(n), np.diff(A.indptr)) * n + A.indices
    corpora = {}
    for path in sorted(glob.glob(os.path.join(out, "walks_*.npz")) +
                       glob.glob(os.path.join(out, "pecanpy_*.npz"))):
        name = os.path.basename(path)[:-4]
        corpora[name] = _load(path)
    rows = []
    for name, W in corpora.items():
        counts = np.bincount(W.ravel(), minlength=n)
        vis = np.sum((counts - expect) ** 2 / expect) / (n - 1)

        def trans_chi2(src, dst):
            tc = np.bincount(src.astype(np.int64) * n + dst, minlength=0)
            obs = np.zeros(codes.size)
            hit = np.searchsorted(codes, np.flatnonzero(tc))
            assert np.all(codes[hit] == np.flatnonzero(tc)), "non-edge step"
            obs[hit] = tc[tc > 0]
            dep = np.bincount(src, minlength=n).astype(float)
            exp = np.repeat(dep / deg, np.diff(A.indptr))
            keep = np.repeat((deg > 1) & (dep > 0), np.diff(A.indptr))
            chi2 = np.sum((obs[keep] - exp[keep]) ** 2 / exp[keep])
            df = np.sum((deg - 1)[(deg > 1) & (dep > 0)])
            return chi2 / df, _z(chi2, df)

        t_all = trans_chi2(W[:, :-1].ravel(), W[:, 1:].ravel())
        t_first = trans_chi2(W[:, 0], W[:, 1])
        back = np.mean(W[:, 2:] == W[:, :-2])
        back_exp = np.mean(1 / deg[W[:, 1:-1]])
        dup = W.shape[0] - np.unique(W, axis=0).shape[0]
        S = _by_start(W)
        agree = []
        for t in (1, 2, 3):
            col = S[:, :, t]
            same = (col[:, :, None] == col[:, None, :]).sum((1, 2)) - N_WALKS
            agree.append(same.sum() / (n * N_WALKS * (N_WALKS - 1)))
        rows.append((name, vis, t_all, t_first, back, back_exp, dup, agree))
    print(f"expected step-1 agreement of two walks from one start: "
          f"{np.mean(1 / deg):.5f}")
    print("| corpus | visits chi2/df | steps chi2/df (z) | first step chi2/df (z) "
          "| backtrack obs / exp | identical walks | same-start agreement t=1,2,3 |")
    for name, vis, ta, tf, b, be, dup, ag in rows:
        print(f"| {name} | {vis:.3f} | {ta[0]:.4f} ({ta[1]:+.1f}) | "
              f"{tf[0]:.4f} ({tf[1]:+.1f}) | {b:.5f} / {be:.5f} | {dup} | "
              + " ".join(f"{a:.5f}" for a in ag) + " |")
    # between seeds of one tool: step agreement of the same start's walks,
    # and correlation of visit-count residuals
    for prefix in ("walks_", "pecanpy_"):
        names = [k for k in corpora if k.startswith(prefix)]
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                a, b = _by_start(corpora[names[i]]), _by_start(corpora[names[j]])
                ag = [np.mean(a[:, :, t] == b[:, :, t]) for t in (1, 2, 3)]
                ra = np.bincount(corpora[names[i]].ravel(), minlength=n) - expect
                rb = np.bincount(corpora[names[j]].ravel(), minlength=n) - expect
                rho = np.corrcoef(ra, rb)[0, 1]
                print(f"{names[i]} vs {names[j]}: step agreement "
                      + " ".join(f"{x:.5f}" for x in ag)
                      + f", residual visit corr {rho:+.4f}")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "edg":
        edg(sys.argv[2], sys.argv[3])
    elif mode == "pecanpy":
        spec = sys.argv[3]
        first, last = (int(x) for x in spec.split("-")) if "-" in spec else (0, int(spec) - 1)
        pecanpy(sys.argv[2], range(first, last + 1))
    elif mode == "stats":
        stats(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {mode!r}: edg, pecanpy or stats")
