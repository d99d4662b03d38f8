"""Per-fold CPU of TE(cv=5) and EE(cv=5) fit_transform as bench_entity.py times them
(fresh process, folds in order, so fold 1 includes the first-call warm-up).
Usage: SKEMBED_ROOT=<checkout> python benchmarks/drivers/entity_fold_times.py <table> [n_max]"""
import os, sys, time
root = os.environ["SKEMBED_ROOT"]
sys.path.insert(0, root + "/benchmarks"); sys.path.insert(0, root)
import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import TargetEncoder
import bench_entity as B
from skembed import EntityEmbeddingEncoder
name = sys.argv[1]
X, y, cat, num, task = getattr(B, "load_" + name)(int(sys.argv[2]) if len(sys.argv) > 2 else 10000, 0)
spl = (KFold if task == "continuous" else StratifiedKFold)(5, shuffle=True, random_state=0)
te_t, ee_t = [], []
for fold, (tr, te) in enumerate(spl.split(X, y)):
    Xtr, ytr = X.iloc[tr], y[tr]
    t = time.process_time()
    TargetEncoder(target_type=task, cv=(KFold if task == "continuous" else StratifiedKFold)(5, shuffle=True, random_state=0)).fit_transform(Xtr[cat], ytr)
    te_t.append(time.process_time() - t)
    t = time.process_time()
    e = EntityEmbeddingEncoder(cv=5, numeric_features=num, target_type=task, random_state=0)
    e.fit_transform(Xtr[cat + num], ytr)
    ee_t.append(time.process_time() - t)
    print(f"{root} {name} fold {fold + 1}: TE {te_t[-1]:.4f} s, EE {ee_t[-1]:.3f} s ({ee_t[-1] / te_t[-1]:.1f}x), epochs {e.n_iter_}, kept {sum(e.embeddings_kept_)}", flush=True)
print(f"{root} {name}: mean ratio (bench) {np.mean(ee_t) / np.mean(te_t):.1f}x; folds 2-5 {np.mean(ee_t[1:]) / np.mean(te_t[1:]):.1f}x")
