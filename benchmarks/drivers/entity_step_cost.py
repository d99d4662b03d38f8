"""CPU per training row of one net on hotel-like dims, by batch size."""
import os, sys, time
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
import numpy as np
from skembed._tabular import _net
rng = np.random.RandomState(0)
n = 8000
n_rows = np.array([120, 150, 200, 8, 10, 5, 6]); dims = np.array([16, 16, 16, 5, 6, 4, 4])
codes = np.column_stack([rng.randint(0, r, n) for r in n_rows]).astype(np.int32)
num = rng.randn(n, 5).astype(np.float32); y = rng.randn(n)
for bs in (64, 125, 250, 500, 1000, 2000):
    net = _net.init_net(n_rows, dims, 5, [64, 32], 1, np.random.RandomState(0), 0.01, zero_output=True)
    kw = dict(task="continuous", n_epochs=5, batch_size=bs, learning_rate=3e-3, alpha=1e-3, category_dropout=0.01,
              early_stopping=False, validation_fraction=0.1, n_iter_no_change=2, tol=1e-4)
    _net.train_net(net, codes, num, y, rng=np.random.RandomState(0), **kw)
    t = time.process_time()
    _net.train_net(net, codes, num, y, rng=np.random.RandomState(0), **kw)
    c = time.process_time() - t
    steps = 5 * int(np.ceil(n / bs))
    print(f"bs {bs}: {c:.3f} s per 5 epochs, {1e3*c/steps:.3f} ms/step, {1e6*c/(5*n):.2f} us/row")
