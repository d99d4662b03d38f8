"""Why two DeepWalk-on-Wiki figures differ (#15): one fit per seed, scored on
several split families, so the gap between ``bench_graph_parity.py``
(stratified splits drawn with seed 0) and ``bench_graph.py`` /
``n2v_parity.py`` (the same splits drawn with seed 42) can be read apart
from the training.

usage: python benchmarks/drivers/dw_wiki_splits.py GRAPH SEEDS SPLIT_SEEDS [openne1=N] [key=value ...]
e.g.   python benchmarks/drivers/dw_wiki_splits.py wiki 3 0,42,1,2,3
       python benchmarks/drivers/dw_wiki_splits.py wiki 3 0,42 openne1=50

For every fit (``DeepWalkEmbedder(n_components=128, window=10)``, its
defaults otherwise, one thread) and every split seed ``s`` it prints
micro / macro-F1 of

* ``ours``: bench_graph's scoring (5 stratified 50 % splits drawn with
  seed ``s``, one-vs-rest lbfgs ``LogisticRegression``, mean over splits);
* ``openne``: OpenNE's ``classify.py`` on the same 5 splits (one-vs-rest
  liblinear, top-1 label of ``predict_proba``);
* ``openne1``: OpenNE's own protocol, one split: the labelled nodes in id
  order, ``numpy.random.seed(s)`` permutation, the first 50 % train (not
  stratified), liblinear top-1 (OpenNE's published figures are this with
  ``s = 0`` on its own run).

``openne1=N`` also scores every fit with OpenNE's one-split protocol on
split seeds ``0 .. N-1`` and prints the mean over them (the published
figure is one such split of one run).

Then a table of mean ± sd (n-1) over the fit seeds per (scoring, split seed).
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
from bench_graph_parity import openne_scores  # noqa: E402
from n2v_parity import _parse  # noqa: E402  (key=value -> int/float/bool)
from skembed import DeepWalkEmbedder  # noqa: E402


def openne_one_split(X, labels, seed):
    """OpenNE's ``split_train_evaluate``: a seeded permutation, first half
    trains; liblinear one-vs-rest, top-1 of ``predict_proba``."""
    idx = np.flatnonzero(labels >= 0)
    perm = np.random.RandomState(seed).permutation(idx.size)
    half = int(0.5 * idx.size)
    split = [(idx[perm[:half]], idx[perm[half:]])]
    return openne_scores(X, labels, split)


def main():
    name = sys.argv[1]
    n_seeds = int(sys.argv[2])
    split_seeds = [int(s) for s in sys.argv[3].split(",")]
    kwargs = dict(a.split("=", 1) for a in sys.argv[4:])
    kwargs = {k: _parse(v) for k, v in kwargs.items()}
    n_openne1 = kwargs.pop("openne1", 0)
    g = gc.load_graph(name, log=lambda *a: None)
    labels = np.asarray(g.labels)
    splits = {s: gc.make_splits(labels, n_splits=5, seed=s) for s in split_seeds}
    res = {}
    for seed in range(n_seeds):
        est = DeepWalkEmbedder(n_components=128, window=10, random_state=seed,
                               n_jobs=1, **kwargs)
        t0 = time.process_time()
        V = est.fit_transform(g.edges)
        cpu = time.process_time() - t0
        X, _ = gc.align_vectors(V, est.nodes_, labels.size)
        for s in split_seeds:
            ours = gc.evaluate(X, labels, splits[s])
            rows = {
                "ours": (ours["micro_f1"], ours["macro_f1"]),
                "openne": openne_scores(X, labels, splits[s]),
                "openne1": openne_one_split(X, labels, s),
            }
            for scoring, (mi, ma) in rows.items():
                res.setdefault((scoring, s), []).append((mi, ma))
                print(name, seed, f"cpu={cpu:.1f}", scoring, f"split={s}",
                      f"{mi:.4f}", f"{ma:.4f}", flush=True)
        if n_openne1:
            many = np.array([openne_one_split(X, labels, s)
                             for s in range(n_openne1)])
            res.setdefault(("openne1", f"0-{n_openne1 - 1}"), []).append(
                tuple(many.mean(0)))
            print(name, seed, f"openne1 over {n_openne1} split seeds:",
                  f"micro {many[:, 0].mean():.4f} (sd {many[:, 0].std(ddof=1):.4f})",
                  f"macro {many[:, 1].mean():.4f} (sd {many[:, 1].std(ddof=1):.4f})",
                  f"splits at or above 0.669 / 0.560: "
                  f"{(many[:, 0] >= 0.669).mean():.2f} / {(many[:, 1] >= 0.560).mean():.2f}",
                  flush=True)

    def ms(v):
        sd = st.stdev(v) if len(v) > 1 else 0.0
        return f"{st.mean(v):.4f} ± {sd:.4f}"

    print("| scoring | split seed | micro-F1 | macro-F1 |")
    print("|---|---:|---:|---:|")
    for (scoring, s), v in res.items():
        print(f"| {scoring} | {s} | {ms([a for a, _ in v])} | "
              f"{ms([b for _, b in v])} |")


if __name__ == "__main__":
    main()
