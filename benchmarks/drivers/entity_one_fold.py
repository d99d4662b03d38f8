"""One outer fold of a bench table: EE (cv=5) -> HGB / Ridge, trained on the cross-fitted
output, scored on transform of the held-out rows. Usage: fold1.py <checkout> <table> [fold] [seed]"""
import os, sys
ROOT = sys.argv[1]; sys.path.insert(0, os.path.join(ROOT, "benchmarks")); sys.path.insert(0, ROOT)
import numpy as np
from sklearn.model_selection import KFold
from sklearn.ensemble import HistGradientBoostingRegressor as H
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
import bench_entity as B
from skembed import EntityEmbeddingEncoder
name = sys.argv[2]; fold = int(sys.argv[3]) if len(sys.argv) > 3 else 0; seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
X, y, cat, num, task = getattr(B, "load_" + name)(10000, 0)
tr, te = list(KFold(5, shuffle=True, random_state=0).split(X, y))[fold]
e = EntityEmbeddingEncoder(cv=5, numeric_features=num, target_type=task, random_state=seed)
Ftr = np.hstack([e.fit_transform(X.iloc[tr][cat + num], y[tr]), X.iloc[tr][num].to_numpy()])
Fte = np.hstack([e.transform(X.iloc[te][cat + num]), X.iloc[te][num].to_numpy()])
h = H(random_state=0).fit(Ftr, y[tr]).score(Fte, y[te])
r = make_pipeline(StandardScaler(), RidgeCV()).fit(Ftr, y[tr]).score(Fte, y[te])
print(f"{os.environ.get('TAG','')} {name} fold {fold} seed {seed}: kept {e.embeddings_kept_} HGB {h:.4f} Ridge {r:.4f}", flush=True)
