"""The demo's one-hot baseline and EntityEmbeddingEncoder rows alone (same data,
folds and grid as ``python -m skembed.demo``), plus the encoder's diagnostics.
Usage: python entity_demo_row.py [checkout]"""
import os, sys, time, warnings
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from skembed import demo
data, histories, edges, full = demo.load_movielens(20000)
X, y = data[["userId", "movieId", "text"]], data["liked"].to_numpy()
cv = StratifiedKFold(3, shuffle=True, random_state=0)
for name, (pipe, grid) in demo.build_searches(histories, edges, False).items():
    if not (name.startswith("one-hot ids + TF-IDF") or name.startswith("EntityEmbedding")):
        continue
    t = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)
        s = GridSearchCV(pipe, grid, cv=cv, scoring="roc_auc", n_jobs=1).fit(X, y)
    b = s.best_index_
    print(f"{name}: {s.cv_results_['mean_test_score'][b]:.4f} +- {s.cv_results_['std_test_score'][b]:.4f} "
          f"{s.best_params_} ({time.process_time() - t:.1f} CPU s)", flush=True)
    if name.startswith("EntityEmbedding"):
        ee = s.best_estimator_.named_steps["features"].named_transformers_["ee"][0]
        print("  kept", ee.embeddings_kept_, "best_epoch", ee.best_epoch_, "net_score", ee.net_score_,
              "shrinkage", ee.effect_shrinkage_.ravel().round(1).tolist())
