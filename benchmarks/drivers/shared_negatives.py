"""Node2VecEmbedder(shared_negatives=True / False) on the benchmark graphs:
macro-F1 (bench_graph's splits and scoring) and fit CPU-s, paired per seed,
one thread, the two variants alternating in one process.

usage: python benchmarks/drivers/shared_negatives.py cora,wiki,sbm10k,lfr10k 3
Run it under the benchmark lock (CPU ratios)."""
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

graphs = sys.argv[1].split(",") if len(sys.argv) > 1 else ["cora", "wiki"]
n_seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
for name in graphs:
    g = gc.load_graph(name, log=lambda *a: None)
    edges, labels = g.edges, np.asarray(g.labels)
    splits = gc.make_splits(labels, n_splits=5, seed=42)
    res = {True: ([], []), False: ([], [])}
    for seed in range(n_seeds):
        for shared in (True, False):
            est = Node2VecEmbedder(shared_negatives=shared, random_state=seed,
                                   n_jobs=1)
            t0 = time.process_time()
            V = est.fit_transform(edges)
            cpu = time.process_time() - t0
            X, _ = gc.align_vectors(V, est.nodes_, labels.size)
            f1 = gc.evaluate(X, labels, splits)["macro_f1"]
            res[shared][0].append(f1)
            res[shared][1].append(cpu)
            print(name, seed, "shared" if shared else "per-pair",
                  f"{f1:.4f}", f"{cpu:.1f}", flush=True)
    for shared in (True, False):
        f1s, cpus = res[shared]
        print(f"| {name} | {'shared' if shared else 'per-pair'} | "
              f"{st.mean(f1s):.3f} ± {st.pstdev(f1s):.3f} | {st.mean(cpus):.1f} |")
    d = [b - a for a, b in zip(res[True][0], res[False][0])]
    r = [b / a for a, b in zip(res[True][1], res[False][1])]
    print(f"{name}: per-pair minus shared {st.mean(d):+.4f} (per seed "
          + " ".join(f"{x:+.4f}" for x in d) + f"), CPU ratio {st.mean(r):.2f}",
          flush=True)
