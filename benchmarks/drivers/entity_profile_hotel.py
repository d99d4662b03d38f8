"""EE cross-fitted fit_transform on hotel_rates (bench fold-1 training rows, 8,000):
``prof`` profiles one call; ``time N`` prints N timed calls with TargetEncoder(cv=5)
in the same process. SKEMBED_ROOT=<checkout> times another checkout."""
import os, sys, time, cProfile, pstats
ROOT = os.environ.get("SKEMBED_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "benchmarks")); sys.path.insert(0, ROOT)
from sklearn.model_selection import KFold
from sklearn.preprocessing import TargetEncoder
import bench_entity as B
from skembed import EntityEmbeddingEncoder
X, y, cat, num, task = B.load_hotel(10000, 0)
tr, te = next(KFold(5, shuffle=True, random_state=0).split(X, y))
Xtr, ytr = X.iloc[tr][cat + num], y[tr]
mode = sys.argv[1] if len(sys.argv) > 1 else "time"
def ee(seed=0):
    e = EntityEmbeddingEncoder(cv=5, numeric_features=num, target_type=task, random_state=seed)
    return e, e.fit_transform(Xtr, ytr)
ee()  # warm numba
if mode == "prof":
    cProfile.run("ee()", "/tmp/entity_prof.out")
    pstats.Stats("/tmp/entity_prof.out").sort_stats("tottime").print_stats(25)
else:
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for r in range(reps):
        t = time.process_time(); inner = KFold(5, shuffle=True, random_state=0)
        TargetEncoder(target_type=task, cv=inner).fit_transform(Xtr[cat], ytr); te_cpu = time.process_time() - t
        t = time.process_time(); e, F = ee(r); ee_cpu = time.process_time() - t
        print(f"rep {r}: EE {ee_cpu:.3f} s TE {te_cpu:.4f} s ratio {ee_cpu/te_cpu:.1f}x best_epoch {e.best_epoch_} n_iter {e.n_iter_} kept {sum(e.embeddings_kept_)} net_score {e.net_score_:.3f}", flush=True)
