"""Planted interaction (tests/tabular): HGB / KNN trained on the cross-fitted
EE output of 3,000 rows, scored on 1,000 held-out rows (2 seeds); the #14
frozen-dense-layer refit lost here. Usage: python entity_planted_crossfit.py [checkout]"""
import os, sys
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT); sys.path.insert(0, os.path.join(ROOT, "tests", "tabular"))
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor as H
from sklearn.neighbors import KNeighborsRegressor as KNN
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from test_entity import planted_interaction
import skembed; from skembed import EntityEmbeddingEncoder
X, y = planted_interaction(n=4000, n_levels=10)
Xa, ya, Xb, yb = X.iloc[:3000], y[:3000], X.iloc[3000:], y[3000:]
for s in range(2):
    e = EntityEmbeddingEncoder(random_state=s, cv=3)
    Xcf = e.fit_transform(Xa, ya); Xt = e.transform(Xb)
    k = lambda: make_pipeline(StandardScaler(), KNN(20))
    print(skembed.__file__[:20], s, e.best_epoch_, "hgb", round(H(random_state=0).fit(Xcf, ya).score(Xt, yb), 3),
          "knn", round(k().fit(Xcf, ya).score(Xt, yb), 3), "net", round(1 - np.mean((e.predict_net(Xb) - yb) ** 2) / np.var(yb), 3), flush=True)
