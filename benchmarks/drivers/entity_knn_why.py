"""Why EE -> KNN loses on hotel_rates: KNN (k=20) on variants of the standardized
EE output, bench folds (5-fold, 10,000 rows). Usage: python benchmarks/drivers/entity_knn_why.py <checkout> [folds]"""
import sys
root = sys.argv[1]
sys.path.insert(0, root + "/benchmarks"); sys.path.insert(0, root)
import numpy as np
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.neighbors import KNeighborsRegressor
import scipy.sparse as sp
import bench_entity as B
from skembed import EntityEmbeddingEncoder
X, y, cat, num, task = B.load_hotel(10000, 0)
n_folds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
res = {}
def knn(A, Bm, ytr, yte):
    p = KNeighborsRegressor(20).fit(A, ytr).predict(Bm)
    return 1 - ((yte - p) ** 2).sum() / ((yte - yte.mean()) ** 2).sum()
for fold, (tr, te) in enumerate(KFold(5, shuffle=True, random_state=0).split(X, y)):
    if fold >= n_folds: break
    Xtr, Xte, ytr, yte = X.iloc[tr], X.iloc[te], y[tr], y[te]
    sc = StandardScaler().fit(Xtr[num]); Ntr, Nte = sc.transform(Xtr[num]), sc.transform(Xte[num])
    ee = EntityEmbeddingEncoder(cv=5, numeric_features=num, target_type=task, random_state=0)
    Ftr = ee.fit_transform(Xtr[cat + num], ytr); Fte = ee.transform(Xte[cat + num])
    names = ee.get_feature_names_out()
    s2 = StandardScaler().fit(Ftr); Str, Ste = s2.transform(Ftr), s2.transform(Fte)
    eff = np.array(["_effect" in n for n in names])
    emb = ~eff & (np.ptp(Ftr, axis=0) > 0)
    ohe = OneHotEncoder(handle_unknown="ignore").fit(Xtr[cat])
    Otr, Ote = ohe.transform(Xtr[cat]), ohe.transform(Xte[cat])
    k_emb = emb.sum(); k_eff = eff.sum()
    # weight that gives each column's embedding block unit total variance
    colw = np.ones(Ftr.shape[1])
    for j, c in enumerate(cat):
        blk = np.array([n.startswith(c + "_emb") for n in names]) & emb
        if blk.sum(): colw[blk] = 1 / np.sqrt(blk.sum())
    top = lambda r: eff | np.array([any(n.endswith(f"_emb{i}") for i in range(r)) for n in names])
    V = {
        "effects + leading axis per column + numeric": (np.hstack([Str[:, top(1)], Ntr]), np.hstack([Ste[:, top(1)], Nte])),
        "effects + 2 leading axes per column + numeric": (np.hstack([Str[:, top(2)], Ntr]), np.hstack([Ste[:, top(2)], Nte])),
        "full (bench)": (np.hstack([Str, Ntr]), np.hstack([Ste, Nte])),
        "effects + numeric": (np.hstack([Str[:, eff], Ntr]), np.hstack([Ste[:, eff], Nte])),
        "effects + embeddings, no numeric": (Str, Ste),
        "embeddings + numeric, no effects": (np.hstack([Str[:, emb], Ntr]), np.hstack([Ste[:, emb], Nte])),
        "full, numeric x sqrt(n_out/n_eff)": (np.hstack([Str, Ntr * np.sqrt((k_emb + k_eff) / k_eff)]), np.hstack([Ste, Nte * np.sqrt((k_emb + k_eff) / k_eff)])),
        "full, each embedding block to variance 1": (np.hstack([Str * colw, Ntr]), np.hstack([Ste * colw, Nte])),
        "one-hot + numeric (bench)": (sp.hstack([Otr, sp.csr_matrix(Ntr)]).tocsr(), sp.hstack([Ote, sp.csr_matrix(Nte)]).tocsr()),
        "one-hot, no numeric": (Otr, Ote),
        "numeric only": (Ntr, Nte),
    }
    for k, (A, Bm) in V.items():
        res.setdefault(k, []).append(knn(A, Bm, ytr, yte))
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge
    for r in (1, 2, 99):
        m = top(r)
        p = HistGradientBoostingRegressor(random_state=0).fit(np.hstack([Ftr[:, m], Xtr[num]]), ytr).predict(np.hstack([Fte[:, m], Xte[num]]))
        res.setdefault(f"HGB, effects + {r} leading axes", []).append(1 - ((yte - p) ** 2).sum() / ((yte - yte.mean()) ** 2).sum())
        p = Ridge(1.0).fit(np.hstack([Str[:, m], Ntr]), ytr).predict(np.hstack([Ste[:, m], Nte]))
        res.setdefault(f"Ridge(1), effects + {r} leading axes", []).append(1 - ((yte - p) ** 2).sum() / ((yte - yte.mean()) ** 2).sum())
    print(f"fold {fold}: kept {ee.embeddings_kept_}, {k_eff} effect + {k_emb} non-constant embedding axes", flush=True)
for k, v in res.items():
    print(f"| {k} | {np.mean(v):.4f} ± {np.std(v):.4f} |")
