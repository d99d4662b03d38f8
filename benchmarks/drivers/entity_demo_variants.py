"""The demo's EntityEmbeddingEncoder row with encoder variants (issue #14), on
the demo's data, folds and grid (``python -m skembed.demo``), beside its one-hot
baseline; per-fold scores of the best C for paired differences.
Usage: python entity_demo_variants.py <checkout> '<json list of EE param dicts>'
e.g. '[{}, {"encode": "effects"}, {"include_prediction": true}]'"""
import json, sys, time, warnings
ROOT = sys.argv[1]
sys.path.insert(0, ROOT)
import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from skembed import demo
variants = json.loads(sys.argv[2]) if len(sys.argv) > 2 else [{}]
data, histories, edges, full = demo.load_movielens(20000)
X, y = data[["userId", "movieId", "text"]], data["liked"].to_numpy()
cv = StratifiedKFold(3, shuffle=True, random_state=0)
searches = demo.build_searches(histories, edges, False)
base = None


def run(name, pipe, grid):
    t = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        s = GridSearchCV(pipe, grid, cv=cv, scoring="roc_auc", n_jobs=1).fit(X, y)
    b = s.best_index_
    folds = np.array([s.cv_results_[f"split{k}_test_score"][b] for k in range(3)])
    print(f"{name}: {folds.mean():.4f} +- {folds.std():.4f} folds {np.round(folds, 4).tolist()} "
          f"{s.best_params_} ({time.process_time() - t:.1f} CPU s)", flush=True)
    return s, folds


for name, (pipe, grid) in searches.items():
    if name.startswith("one-hot ids + TF-IDF"):
        _, base = run(name, pipe, grid)
for name, (pipe, grid) in searches.items():
    if not name.startswith("EntityEmbedding"):
        continue
    for params in variants:
        p = {f"features__ee__entityembeddingencoder__{k}": v for k, v in params.items()}
        s, folds = run(f"EE {params}", clone(pipe).set_params(**p), grid)
        ee = s.best_estimator_.named_steps["features"].named_transformers_["ee"][0]
        d = folds - base
        print(f"  minus one-hot per fold {np.round(d, 4).tolist()} mean {d.mean():+.4f} sd {d.std():.4f}; "
              f"kept {ee.embeddings_kept_} best_epoch {ee.best_epoch_} net_score {ee.net_score_}", flush=True)
