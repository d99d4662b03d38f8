"""Full-data net on hotel (bench fold 1 training rows): epochs, validation R2, CPU by lr / batch."""
import os, sys, time
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks")); sys.path.insert(0, ROOT)
from sklearn.model_selection import KFold
import bench_entity as B
from skembed import EntityEmbeddingEncoder
name = sys.argv[1] if len(sys.argv) > 1 else "hotel"
X, y, cat, num, task = getattr(B, "load_" + name)(10000, 0)
tr, te = next(KFold(5, shuffle=True, random_state=0).split(X, y))
Xtr, ytr = X.iloc[tr][cat + num], y[tr]
kw = dict(numeric_features=num, target_type=task, cv=None)
EntityEmbeddingEncoder(random_state=0, **kw).fit(Xtr, ytr)
for lr, bs in [(3e-3, "auto"), (1e-2, "auto"), (1e-2, 500), (2e-2, 500)]:
    for s in range(2):
        t = time.process_time(); e = EntityEmbeddingEncoder(random_state=s, learning_rate=lr, batch_size=bs, **kw).fit(Xtr, ytr); c = time.process_time() - t
        print(f"lr {lr} bs {bs} seed {s}: {c:.3f} s best {e.best_epoch_} n_iter {e.n_iter_} net_score {e.net_score_:.4f} kept {sum(e.embeddings_kept_)}", flush=True)
