"""Which output blocks of EntityEmbeddingEncoder serve HGB, the linear model and
KNN (issue #14): one default cross-fitted EE per fold of bench_entity.py, scored
on column subsets of the same output -- the full output, the `*_effect`
columns only, and the effects plus a target-aligned view of each embedding:
"grad": the embedding block projected on the mean gradient of the network's
output with respect to it (one axis per column, the level's linearised
contribution to the prediction); "w0": projected on the right-singular
directions of the column's first-layer weight block with singular value >= 0.1
of its largest (the directions the net actually reads).
Usage: python benchmarks/drivers/entity_output_blocks.py <checkout> [datasets] [max_rows] [folds]"""
import sys, time
root = sys.argv[1]
sys.path.insert(0, root + "/benchmarks"); sys.path.insert(0, root)
import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler
import bench_entity as B
from skembed import EntityEmbeddingEncoder
from skembed._tabular import _net

sets = (sys.argv[2] if len(sys.argv) > 2 else ",".join(B.SETS)).split(",")
n_max = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
n_folds = int(sys.argv[4]) if len(sys.argv) > 4 else 5


def aligned(ee, X, F, names, kind):
    """Effect columns + per column the embedding block in a target-aligned basis."""
    cols, _ = ee._check_X(X, reset=False)
    codes, _, _ = ee._transform_codes(cols)
    num = ee._numeric_matrix(cols, fit=False)
    _, jac = _net.output_and_input_gradient(ee._net, codes, num)
    parts = [F[:, np.array(["_effect" in n for n in names])]]
    start = 0
    n_eff = ee._n_effects()
    for j, d in enumerate(ee.embedding_dims_):
        blk = F[:, start + n_eff : start + n_eff + d].astype(np.float64)
        start += n_eff + d
        if not ee.embeddings_kept_[j]:
            continue
        o = int(ee._net.col_out[j])
        if kind == "grad":
            g = jac[:, o : o + d].astype(np.float64).mean(axis=0)
            parts.append((blk @ g)[:, None])
        else:
            w = ee._net.weights[0][o : o + d].astype(np.float64)  # (d, h)
            u, s, _ = np.linalg.svd(w, full_matrices=False)
            k = s >= 0.1 * s[0]
            parts.append(blk @ (u[:, k] * s[k]))
    return np.hstack(parts)


t0 = time.time()
summary = {}
for key in sets:
    name, loader = B.SETS[key]
    X, y, cat, num, task = loader(n_max, 0)
    split = (KFold if task == "continuous" else StratifiedKFold)(n_folds, shuffle=True, random_state=0)
    res = {}
    for fold, (tr, te) in enumerate(split.split(X, y)):
        Xtr, Xte, ytr, yte = X.iloc[tr], X.iloc[te], y[tr], y[te]
        Ntr, Nte = Xtr[num].to_numpy(float), Xte[num].to_numpy(float)
        sc = StandardScaler().fit(Ntr); Ntr_s, Nte_s = sc.transform(Ntr), sc.transform(Nte)
        ee = EntityEmbeddingEncoder(cv=5, numeric_features=num, target_type=task, random_state=0)
        Ftr = ee.fit_transform(Xtr[cat + num], ytr).astype(float)
        Fte = ee.transform(Xte[cat + num]).astype(float)
        names = ee.get_feature_names_out()
        eff = np.array(["_effect" in n for n in names])
        V = {"full": (Ftr, Fte), "effects": (Ftr[:, eff], Fte[:, eff]),
             "embeddings": (Ftr[:, ~eff], Fte[:, ~eff])}
        for kind in ("grad", "w0"):
            V[f"effects+{kind}"] = (aligned(ee, Xtr[cat + num], Ftr, names, kind),
                                    aligned(ee, Xte[cat + num], Fte, names, kind))
        for vname, (A, Bm) in V.items():
            s2 = StandardScaler().fit(A)
            L = (B._with_numeric(s2.transform(A), Ntr_s), B._with_numeric(s2.transform(Bm), Nte_s))
            for model in ("HGB", "linear", "KNN"):
                if vname == "embeddings" and model != "KNN":
                    pass
                a, b = (B._with_numeric(A, Ntr), B._with_numeric(Bm, Nte)) if model == "HGB" else L
                p, _, _ = B.MODELS[model](a, ytr, b, task, 0)
                res.setdefault((vname, model), []).append(B._score(task, yte, p)[0])
        res.setdefault(("n_cols", "full"), []).append(Ftr.shape[1])
        res.setdefault(("n_cols", "effects+w0"), []).append(V["effects+w0"][0].shape[1])
        print(f"{key} fold {fold + 1} ({time.time() - t0:.0f}s): " + "; ".join(
            f"{v}->{m} {r[-1]:.4f}" for (v, m), r in res.items() if v != "n_cols"), flush=True)
    for k, v in res.items():
        summary[(key, *k)] = v
        print(f"| {key} | {k[0]} | {k[1]} | {np.mean(v):.4f} ± {np.std(v):.4f} |", flush=True)
np.save("/work/notes/entity2/output_blocks.npy", {str(k): v for k, v in summary.items()}, allow_pickle=True)
