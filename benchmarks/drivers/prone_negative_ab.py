"""Fit CPU-s of ProNEEmbedder ``negative=1`` against ``negative=5`` (#15).

One process: a warm fit first (numba's cache loads), then 4 rounds of
alternating fits on the benchmark graph given (default LFR-10k),
``time.process_time`` around each. A timed run: take the lock.

    PYTHONPATH=. OMP_NUM_THREADS=1 flock /tmp/skembed-bench.lock \
        python benchmarks/drivers/prone_negative_ab.py lfr10k
"""

import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import _graph_common as gc  # noqa: E402
import prone_variants as pv  # noqa: E402

from skembed import ProNEEmbedder  # noqa: E402


def main():
    g = gc.load_graph(sys.argv[1] if len(sys.argv) > 1 else "lfr10k",
                      log=lambda *a: None)
    A = pv.adjacency(g.edges, g.n_nodes)
    ProNEEmbedder(random_state=0, n_jobs=1, memory=False).fit(A)  # warm
    res = {1: [], 5: []}
    for r in range(4):
        for neg in (1, 5):
            t = time.process_time()
            ProNEEmbedder(random_state=r, negative=neg, n_jobs=1,
                          memory=False).fit(A)
            res[neg].append(time.process_time() - t)
    for k, v in res.items():
        print(f"negative={k}: fit CPU-s {np.mean(v):.3f} ± "
              f"{np.std(v, ddof=1):.3f} {np.round(v, 3).tolist()}")
    print(f"ratio 5/1: {np.mean(res[5]) / np.mean(res[1]):.3f}")


if __name__ == "__main__":
    main()
