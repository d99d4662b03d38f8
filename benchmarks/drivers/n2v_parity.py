"""Node2VecEmbedder variants against gensim's skip-gram as pecanpy calls it:
macro-F1 on bench_graph's splits, paired per seed (the same walks: the walk
seeds are drawn first from ``random_state``), and fit CPU-s (ratios against
the first variant; run under the benchmark lock for those), one thread.

usage: python benchmarks/drivers/n2v_parity.py GRAPHS SEEDS VARIANT[,VARIANT...]
e.g.   python benchmarks/drivers/n2v_parity.py cora,wiki 3 base,init2,shuffle

SEEDS is a count (``3``: seeds 0, 1, 2) or a range ``A-B`` (``3-5``: seeds
3, 4, 5). The summary rows give mean ± sd (n - 1) over the seeds.

A variant is ``+``-joined parts: ``base`` (defaults), ``initS`` (input
vectors start S times word2vec.c's uniform [-0.5, 0.5) / d: ``init1`` is
word2vec.c's start, ``init2`` gensim 4's [-1, 1) / d and the default),
``outpair`` / ``outdraw`` (output vectors updated after every pair, as
gensim and the default, or once per draw of negatives from the accumulated
gradients, the default before 2026-12-03: ``init1+outdraw`` is that
default),
``shuffle`` (walk starts shuffled over all
rounds at once, as pecanpy does, instead of one permutation per round),
``perpair`` (shared_negatives=False), ``share=K`` (shared_negatives=K: a
fresh draw of negatives every K >= 2 pairs of a window),
``train=K`` (the same walks, the training's random stream re-seeded
with ``K``: how much of a seed's score is the walks),
``sig=gensim`` (the sigmoid table read as gensim's and word2vec.c's
compiled lookup reads it: the score ``f`` at ``-6 + 0.012 * floor(83 * (f +
6))``, about ``0.996 f - 0.03``; see ``n2v_pair_check.py``), ``sig=shiftS``
(the table at ``f - S``: the offset alone, e.g. ``sig=shift0.03``),
``key=value`` (any estimator parameter, e.g. ``sample=0``).
"""
import os
import statistics as st
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", ".."))

import numpy as np  # noqa: E402

import _graph_common as gc  # noqa: E402
from skembed import Node2VecEmbedder  # noqa: E402
from skembed._engine import _sgns_kernels  # noqa: E402
from skembed._graph import _node2vec  # noqa: E402

_scale = _node2vec.WALK_INIT_SCALE
_per_pair = _node2vec.WALK_OUTPUT_PER_PAIR
_Corpus = _node2vec._WalkCorpus
_train = _node2vec.train_sgns
_tables = _sgns_kernels.sigmoid_tables


def _shifted_tables(kind):
    """sigmoid_tables() whose bin ``i`` (centre ``x``) holds the sigmoid at
    gensim's compiled read-out of ``x`` (``kind == "gensim"``) or at ``x -
    S`` (``kind == "shiftS"``)."""
    size = _sgns_kernels._TABLE_SIZE
    x = (np.arange(size) + 0.5) / _sgns_kernels._TABLE_SCALE - _sgns_kernels._MAX_EXP
    if kind == "gensim":
        at = -6.0 + 0.012 * np.floor((x + 6.0) * (1000 // 6 // 2))
    elif kind.startswith("shift"):
        at = x - float(kind[5:])
    else:
        raise SystemExit(f"unknown sigmoid table {kind!r}")
    sig = 1.0 / (1.0 + np.exp(-at))

    def tables():
        return sig.astype(np.float32), np.log(sig).astype(np.float32)
    return tables


def _retrained(k):
    """train_sgns with its own random stream ``k`` (init, negatives, windows,
    subsampling), the walks unchanged."""
    def train(*a, **kw):
        kw["random_state"] = np.random.RandomState(k)
        return _train(*a, **kw)
    return train


class _Shuffled(_Corpus):
    def __init__(self, A, walk_length, n_walks, p, q, seed, perm_seed, *a, **k):
        super().__init__(A, walk_length, n_walks, p, q, seed, perm_seed, *a, **k)
        np.random.default_rng(perm_seed + 1).shuffle(self.starts)


def _parse(value):
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return {"True": True, "False": False}.get(value, value)


def apply(variant):
    """Patch the library for ``variant``; return the estimator kwargs."""
    _node2vec.WALK_INIT_SCALE = _scale
    _node2vec.WALK_OUTPUT_PER_PAIR = _per_pair
    _node2vec._WalkCorpus = _Corpus
    _node2vec.train_sgns = _train
    _sgns_kernels.sigmoid_tables = _tables
    kwargs = {}
    for part in variant.split("+"):
        if part.startswith("init"):
            _node2vec.WALK_INIT_SCALE = float(part[4:])
        elif part in ("outpair", "outdraw"):
            _node2vec.WALK_OUTPUT_PER_PAIR = part == "outpair"
        elif part == "shuffle":
            _node2vec._WalkCorpus = _Shuffled
        elif part.startswith("train="):
            _node2vec.train_sgns = _retrained(int(part[6:]))
        elif part.startswith("sig="):
            _sgns_kernels.sigmoid_tables = _shifted_tables(part[4:])
        elif part == "perpair":
            kwargs["shared_negatives"] = False
        elif part.startswith("share="):
            kwargs["shared_negatives"] = int(part[6:])
        elif "=" in part:
            k, v = part.split("=", 1)
            kwargs[k] = _parse(v)
        elif part != "base":
            raise SystemExit(f"unknown variant part {part!r}")
    return kwargs


def main():
    graphs = sys.argv[1].split(",")
    if "-" in sys.argv[2]:
        first, last = (int(x) for x in sys.argv[2].split("-"))
        seeds = range(first, last + 1)
    else:
        seeds = range(int(sys.argv[2]))
    variants = sys.argv[3].split(",")
    for name in graphs:
        g = gc.load_graph(name, log=lambda *a: None)
        edges, labels = g.edges, np.asarray(g.labels)
        splits = gc.make_splits(labels, n_splits=5, seed=42)
        res = {v: ([], []) for v in variants}
        for seed in seeds:
            for v in variants:
                kwargs = apply(v)
                est = Node2VecEmbedder(random_state=seed, n_jobs=1, **kwargs)
                t0 = time.process_time()
                V = est.fit_transform(edges)
                cpu = time.process_time() - t0
                X, _ = gc.align_vectors(V, est.nodes_, labels.size)
                f1 = gc.evaluate(X, labels, splits)["macro_f1"]
                res[v][0].append(f1)
                res[v][1].append(cpu)
                print(name, seed, v, f"{f1:.4f}", f"{cpu:.1f}", flush=True)
        base = variants[0]
        for v in variants:
            f1s, cpus = res[v]
            d = [b - a for a, b in zip(res[base][0], f1s)]
            r = st.mean(cpus) / st.mean(res[base][1])
            sd = st.stdev(f1s) if len(f1s) > 1 else 0.0
            print(f"| {name} | {v} | {st.mean(f1s):.4f} ± {sd:.4f} | "
                  f"{st.mean(cpus):.1f} | {st.mean(d):+.4f} ("
                  + " ".join(f"{x:+.3f}" for x in d) + f") | {r:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
