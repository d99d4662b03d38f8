"""EE training variants on one bench table: per variant, the cross-fitted
fit_transform's CPU (as a ratio to TargetEncoder(cv=5) on the same rows, all
variants interleaved fold by fold in one process), the full network's epochs
(run / best), and HGB / linear / KNN scores over the bench's folds (bench_entity.py's
models and scaling). An unlocked probe: ratios between variants, not a bench.
Usage: python benchmarks/drivers/entity_train_variants.py <checkout> <table> '<json list of EE params>' [n_folds_run]"""
import json
import sys
import time

root = sys.argv[1]
sys.path.insert(0, root + "/benchmarks"); sys.path.insert(0, root)
import numpy as np  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.preprocessing import StandardScaler, TargetEncoder  # noqa: E402

import bench_entity as B  # noqa: E402
from skembed import EntityEmbeddingEncoder  # noqa: E402

name, variants = sys.argv[2], json.loads(sys.argv[3])
n_run = int(sys.argv[4]) if len(sys.argv) > 4 else 5
B.warm_up(0)
X, y, cat, num, task = getattr(B, "load_" + name)(10000, 0)
split = KFold if task == "continuous" else StratifiedKFold
te_cpu = 0.0
res = {i: {"cpu": 0.0, "HGB": [], "linear": [], "KNN": [], "epochs": []} for i in range(len(variants))}
for fold, (tr, te) in enumerate(split(5, shuffle=True, random_state=0).split(X, y)):
    if fold >= n_run:
        break
    Xtr, Xte, ytr, yte = X.iloc[tr], X.iloc[te], y[tr], y[te]
    Ntr, Nte = Xtr[num].to_numpy(float), Xte[num].to_numpy(float)
    sc = StandardScaler().fit(Ntr)
    t = time.process_time()
    TargetEncoder(target_type=task, cv=split(5, shuffle=True, random_state=0)).fit_transform(Xtr[cat], ytr)
    te_cpu += time.process_time() - t
    for i, params in enumerate(variants):
        t = time.process_time()
        ee = EntityEmbeddingEncoder(**{"cv": 5, "numeric_features": num, "target_type": task, "random_state": 0, **params})
        Ftr = ee.fit_transform(Xtr[cat + num], ytr)
        res[i]["cpu"] += time.process_time() - t
        Fte = ee.transform(Xte[cat + num])
        res[i]["epochs"].append((ee.n_iter_, ee.best_epoch_))
        p, _, _ = B.fit_hgb(B._with_numeric(Ftr, Ntr), ytr, B._with_numeric(Fte, Nte), task, 0)
        res[i]["HGB"].append(B._score(task, yte, p)[0])
        s2 = StandardScaler().fit(Ftr)
        p, _, _ = B.fit_linear(B._with_numeric(s2.transform(Ftr), sc.transform(Ntr)), ytr,
                               B._with_numeric(s2.transform(Fte), sc.transform(Nte)), task, 0)
        res[i]["linear"].append(B._score(task, yte, p)[0])
        p, _, _ = B.fit_knn(B._with_numeric(s2.transform(Ftr), sc.transform(Ntr)), ytr,
                            B._with_numeric(s2.transform(Fte), sc.transform(Nte)), task, 0)
        res[i]["KNN"].append(B._score(task, yte, p)[0])
base = res[0]
for i, params in enumerate(variants):
    r = res[i]
    dh = np.array(r["HGB"]) - base["HGB"]
    dl = np.array(r["linear"]) - base["linear"]
    dk = np.array(r["KNN"]) - base["KNN"]
    print(f"{name} {json.dumps(params)}: CPU {r['cpu'] / te_cpu:.1f}x TE; epochs {r['epochs']}; "
          f"HGB {np.mean(r['HGB']):.4f} ± {np.std(r['HGB']):.4f} (diff {dh.mean():+.4f}, per fold {np.round(dh, 4).tolist()}); "
          f"linear {np.mean(r['linear']):.4f} ± {np.std(r['linear']):.4f} (diff {dl.mean():+.4f}); "
          f"KNN {np.mean(r['KNN']):.4f} ± {np.std(r['KNN']):.4f} (diff {dk.mean():+.4f})", flush=True)
