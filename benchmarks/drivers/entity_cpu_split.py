"""Where a cross-fitted EntityEmbeddingEncoder.fit_transform spends its CPU,
in units of TargetEncoder(cv=5)'s CPU on the same rows: the bench's folds of
one table, each part timed by wrapping the functions the fit calls.
Usage: SKEMBED_ROOT=<checkout> python benchmarks/drivers/entity_cpu_split.py <table> [n_folds_to_run]"""
import collections
import functools
import os
import sys
import time

root = os.environ["SKEMBED_ROOT"]
sys.path.insert(0, root + "/benchmarks"); sys.path.insert(0, root)
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.preprocessing import TargetEncoder  # noqa: E402

import bench_entity as B  # noqa: E402
from skembed import EntityEmbeddingEncoder  # noqa: E402
from skembed._tabular import _effects, _entity, _net  # noqa: E402

spent = collections.Counter()
depth = [0]


def timed(mod, name, label):
    f = getattr(mod, name)

    @functools.wraps(f)
    def g(*a, **k):
        depth[0] += 1
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            depth[0] -= 1
            spent[label] += time.process_time() - t
    setattr(mod, name, g)


timed(_net, "net_forward", "validation forward (inside training)")
timed(_net, "train_net", "train_net total")
timed(_effects, "fit_level_effects", "level effects (all fits)")
timed(_net, "column_gains", "column gains (keep test)")
timed(_net, "output_and_input_gradient", "influence: input gradient")
timed(_entity, "fold_level_sums", "influence: level sums")
timed(_entity, "calibrate_ridge", "influence: calibrate ridge")
timed(_entity, "remove_fold_influence", "influence: remove per fold")
timed(_net, "rotate_to_principal_axes", "principal axes")
timed(_net, "shrink_rows", "shrink rows")
orig_copy = _net.EmbeddingNet.copy


def copy(self):
    t = time.process_time()
    try:
        return orig_copy(self)
    finally:
        spent["best-net copies"] += time.process_time() - t


_net.EmbeddingNet.copy = copy

B.warm_up(0)
spent.clear()
name = sys.argv[1]
n_run = int(sys.argv[2]) if len(sys.argv) > 2 else 5
X, y, cat, num, task = getattr(B, "load_" + name)(10000, 0)
spl = (KFold if task == "continuous" else StratifiedKFold)(5, shuffle=True, random_state=0)
te_total = ee_total = 0.0
epochs = []
for fold, (tr, _) in enumerate(spl.split(X, y)):
    if fold >= n_run:
        break
    Xtr, ytr = X.iloc[tr], y[tr]
    t = time.process_time()
    TargetEncoder(target_type=task, cv=(KFold if task == "continuous" else StratifiedKFold)(5, shuffle=True, random_state=0)).fit_transform(Xtr[cat], ytr)
    te_total += time.process_time() - t
    t = time.process_time()
    e = EntityEmbeddingEncoder(cv=5, numeric_features=num, target_type=task, random_state=0)
    e.fit_transform(Xtr[cat + num], ytr)
    ee_total += time.process_time() - t
    epochs.append((e.n_iter_, e.best_epoch_))
print(f"{name}: {n_run} folds, EE/TE {ee_total / te_total:.2f}x; epochs (run, best) {epochs}")
for k, v in sorted(spent.items(), key=lambda kv: -kv[1]):
    print(f"  {k:40s} {v / te_total:6.2f} TE  ({100 * v / ee_total:4.1f} %)")
