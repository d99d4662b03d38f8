"""Quality-only sweep of ProNE variants (issue #15): the engine's steps
called one by one, with variants of the output scaling, the propagated
block and the filter, scored as ``bench_graph`` scores (one-vs-rest
LogisticRegression, macro-F1 over the same stratified 50 % splits, seed 42).

    PYTHONPATH=. python benchmarks/drivers/prone_variants.py lfr50k 0 \
        --variants base white white-rownorm --splits 2

Prints one line per (graph, seed, variant) and appends a JSON record to
``benchmarks/results/prone_variants.jsonl``. No timing (quality only).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import _graph_common as gc  # noqa: E402

from skembed._engine import _spectral as S  # noqa: E402


def adjacency(edges, n):
    e = np.asarray(edges)
    A = sp.coo_matrix((np.ones(len(e), np.float32), (e[:, 0], e[:, 1])),
                      shape=(n, n))
    return ((A + A.T) > 0).astype(np.float32).tocsr()


def gram_svd(Y, k):
    """U, s of the thin SVD of a tall block through its Gram matrix."""
    G = (Y.T @ Y).astype(np.float64)
    w, V = np.linalg.eigh(G)
    order = np.argsort(w)[::-1][:k]
    w, V = w[order], V[:, order]
    s = np.sqrt(np.clip(w, 1e-30, None))
    U = (Y @ (V / s).astype(np.float32))
    return U, s


def finish(U, s, how, d):
    """Output scaling of ``U`` (orthonormal columns) and singular values."""
    n = U.shape[0]
    if how == "us-row":  # the current default: U sqrt(S), rows norm sqrt(d)
        X = U * np.sqrt(s).astype(np.float32)
        return S._scale_rows(X, d)
    if how == "us1-row":  # U S, rows norm sqrt(d)
        return S._scale_rows(U * s.astype(np.float32), d)
    if how == "white":  # U sqrt(n): every coordinate mean square 1
        return U * np.float32(np.sqrt(n))
    if how == "white-row":
        return S._scale_rows(U.copy(), d)
    if how == "us-global":  # U sqrt(S), one global scale to mean square 1
        X = U * np.sqrt(s).astype(np.float32)
        return X * np.float32(np.sqrt(n * d / float((X.astype(np.float64) ** 2).sum())))
    if how.startswith("us-pow"):  # rows divided by norm ** power, then global
        power = float(how[len("us-pow"):])
        X = U * np.sqrt(s).astype(np.float32)
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        X = X / np.maximum(norms, 1e-12) ** np.float32(power)
        return X * np.float32(np.sqrt(n * d / float((X.astype(np.float64) ** 2).sum())))
    if how in ("us-median", "us-floor", "us-ceil", "us-floorlog"):
        # U sqrt(S), rows keep their norms relative to the median row, which
        # gets norm sqrt(d); "floor": no row below the median's norm,
        # "ceil": none above it, "floorlog": below the median as "floor",
        # above it 1 + log of the ratio
        X = U * np.sqrt(s).astype(np.float32)
        norms = np.linalg.norm(X, axis=1, keepdims=True)
        med = float(np.median(norms[norms > 0]))
        r = norms / med
        if how == "us-floor":
            r = np.maximum(r, 1.0)
        elif how == "us-ceil":
            r = np.minimum(r, 1.0)
        elif how == "us-floorlog":
            r = 1.0 + np.log(np.maximum(r, 1.0))
        target = np.float32(np.sqrt(d)) * r.astype(np.float32)
        return X * np.divide(target, norms, out=np.zeros_like(norms),
                             where=norms > 0)
    raise ValueError(how)


def log_ratio(A, ns=0.75, neg="inflow", shift=0.0, selfloop=False):
    """``log P_ij - log q_j - shift`` on the edges: ``neg="inflow"`` is
    the engine's ``q`` (column sums of ``P``), ``"degree"`` the walk's
    stationary distribution (node frequency in a walk corpus, skip-gram's
    unigram), both to the power ``ns``; ``selfloop`` factorises ``A + I``."""
    if selfloop:
        A = (A + sp.eye(A.shape[0], format="csr", dtype=A.dtype)).tocsr()
    if neg == "inflow" and not shift:
        return S.log_ratio_matrix(A, ns)
    strength = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, strength, out=np.zeros_like(strength),
                    where=strength > 0)
    p = A.data * np.repeat(inv, np.diff(A.indptr))
    base = (np.bincount(A.indices, weights=p, minlength=A.shape[1])
            if neg == "inflow" else strength)
    q = base ** ns
    q /= q.sum()
    data = np.log(p) - np.log(q[A.indices]) - shift
    return sp.csr_matrix((data.astype(np.float32), A.indices, A.indptr),
                         shape=A.shape)


def run(A, d, seed, v):
    """One variant -> (n, d') float32 embedding."""
    mu, theta, order = v.get("mu", 0.0), v.get("theta", 0.5), v.get("order", 10)
    rank = v.get("rank", d)
    F = log_ratio(A, v.get("ns", 0.75), v.get("neg", "inflow"),
                  v.get("shift", 0.0), v.get("selfloop", False))
    # the estimator's seed for random_state=seed
    seed = int(np.random.RandomState(seed).randint(0, np.iinfo(np.int32).max))
    U, s, _ = S.randomized_svd(F, rank, n_iter=v.get("n_iter", 5), seed=seed,
                               n_oversamples=v.get("os", 10))
    R = finish(U, s, v.get("mid", "us-row"), rank)
    if v.get("order", 10) <= 1:
        return R if rank == d else finish(*gram_svd(R, d), v.get("out", "us-row"), d)
    Y = S.chebyshev_filter(A, R, order=order, mu=mu, theta=theta)
    if v.get("mix") or v.get("allpass"):
        # the factorisation added back to the propagated block, both at a
        # mean square row norm of one; "mix" adds it, "allpass" subtracts
        # it (the filter I - g(L) is negative at the low end of the
        # spectrum, where g > 1, so the propagated block points against R
        # there: "mix" cancels the smooth part, "allpass" reinforces it)
        w = v.get("mix", 0.0) - v.get("allpass", 0.0)
        Y = Y / np.float32(np.sqrt((Y.astype(np.float64) ** 2).sum() / Y.shape[0]))
        Y += np.float32(w) * R / np.float32(
            np.sqrt((R.astype(np.float64) ** 2).sum() / R.shape[0]))
    if v.get("concat2"):  # pre and post side by side, reduced to d
        Rn = S._scale_rows(R.copy(), R.shape[1])
        Yn = S._scale_rows(Y.copy(), Y.shape[1])
        Y = np.hstack([Yn, Rn])
    U2, s2 = gram_svd(Y, d)
    out = finish(U2, s2, v.get("out", "us-row"), d)
    if v.get("concat"):
        out = np.hstack([out, finish(U[:, : v["concat"]], s[: v["concat"]],
                                     v.get("out", "us-row"), v["concat"])])
    return out


VARIANTS = {
    "base": {},
    "white": {"out": "white"},
    "white-row": {"out": "white-row"},
    "us-global": {"out": "us-global"},
    "mid-white": {"mid": "white-row"},
    "mid-white+white": {"mid": "white-row", "out": "white"},
    "theta1": {"theta": 1.0},
    "us-median": {"out": "us-median"},
    "theta0.3": {"theta": 0.3},
    "theta0.7": {"theta": 0.7},
    "order7": {"order": 7},
    "order20": {"order": 20},
    "ns0.5": {"ns": 0.5},
    "ns0.25": {"ns": 0.25},
    "ns0": {"ns": 0.0},
    "niter10": {"n_iter": 10},
    "mu0.2": {"mu": 0.2},
    "midglobal": {"mid": "us-global"},
    "outpow0.5": {"out": "us-pow0.5"},
    "us-floor": {"out": "us-floor"},
    "us-ceil": {"out": "us-ceil"},
    "us-floorlog": {"out": "us-floorlog"},
    "us-pow0.5": {"out": "us-pow0.5"},
    "us-pow0.75": {"out": "us-pow0.75"},
    "theta1+white": {"theta": 1.0, "out": "white"},
    "rank2d": {"rank": 256},
    "rank2d+white": {"rank": 256, "out": "white"},
    "order5": {"order": 5},
    "order15": {"order": 15},
    "mu0.1": {"mu": 0.1},
    "niter3": {"n_iter": 3},
    "ns1": {"ns": 1.0},
    # 2026-12-03 (second session): factorisation and propagation input
    "negdeg": {"neg": "degree"},
    "negdeg1": {"neg": "degree", "ns": 1.0},
    "shift1": {"shift": float(np.log(5.0))},  # 5 negatives, as node2vec
    "shift2": {"shift": float(np.log(2.0))},
    "shift10": {"shift": float(np.log(10.0))},
    "selfloop": {"selfloop": True},
    "os64": {"os": 64},
    "os128": {"os": 128},
    "mid-u": {"mid": "white"},
    "mid-us1": {"mid": "us1-row"},
    "out-us1": {"out": "us1-row"},
    "mix0.5": {"mix": 0.5},
    "allpass0.5": {"allpass": 0.5},
    "allpass1": {"allpass": 1.0},
    "mix1": {"mix": 1.0},
    "concat2": {"concat2": True},
}


def variant(name):
    """A variant by name; ``a+b`` merges the parameters of ``a`` and ``b``."""
    params = {}
    for part in name.split("+"):
        params.update(VARIANTS[part])
    return params


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("graph")
    ap.add_argument("seeds", type=lambda t: [int(x) for x in t.split(",")])
    ap.add_argument("--variants", nargs="+", default=["base"])
    ap.add_argument("--splits", type=int, default=5)
    ap.add_argument("--dim", type=int, default=128)
    args = ap.parse_args()
    g = gc.load_graph(args.graph, log=lambda *a: None)
    n = g.n_nodes
    A = adjacency(g.edges, n)
    splits = gc.make_splits(g.labels, n_splits=5, seed=42)[: args.splits]
    out_path = os.path.join(os.path.dirname(HERE), "results",
                            "prone_variants.jsonl")
    for seed in args.seeds:
        for name in args.variants:
            t0 = time.process_time()
            with threadpool_limits(1):
                X = run(A, args.dim, seed, variant(name))
            fit = time.process_time() - t0
            deg = np.diff(A.indptr)
            X[deg == 0] = 0
            res = gc.evaluate(X, g.labels, splits)
            rec = dict(graph=args.graph, seed=seed, variant=name,
                       params=variant(name), splits=len(splits),
                       macro_f1=res["macro_f1"], micro_f1=res["micro_f1"],
                       fit_cpu_s=round(fit, 2))
            print(json.dumps(rec), flush=True)
            with open(out_path, "a") as fh:
                fh.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
