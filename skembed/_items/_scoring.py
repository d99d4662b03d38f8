"""Recommendation metrics as scikit-learn scorers (held-out items).

A scorer for :class:`~sklearn.model_selection.GridSearchCV`: the search
splits the baskets (users, sessions) into folds; the estimator is fitted on
the training folds, and on each held-out basket the scorer hides items
(the last ``n_holdout`` ones, or random ones), asks
:meth:`Item2VecTransformer.recommend_batch` for the top ``k`` given the
rest (a fold-in: these baskets were never seen in ``fit``) and averages
Recall@k or NDCG@k.
"""

import numbers

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["recommendation_scorer"]

_METRICS = ("recall", "ndcg", "hit_rate")
_HOLDOUTS = ("last", "random")


def _ranking_metric(metric, rec_rows, truth_rows, k):
    """Per query: recall / ndcg / hit of ``rec_rows`` against the set
    ``truth_rows``."""
    out = np.empty(len(truth_rows))
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for q, (rec, truth) in enumerate(zip(rec_rows, truth_rows, strict=True)):
        hits = np.fromiter((r in truth for r in rec), dtype=bool, count=len(rec))
        if metric == "recall":
            out[q] = hits.sum() / min(len(truth), k)
        elif metric == "hit_rate":
            out[q] = float(hits.any())
        else:
            dcg = discounts[: len(rec)][hits].sum()
            ideal = discounts[: min(len(truth), k)].sum()
            out[q] = dcg / ideal
    return out


class _RecommendationScorer:
    """Callable ``scorer(estimator, X, y=None) -> float``; see
    :func:`recommendation_scorer`."""

    def __init__(self, metric, k, holdout, n_holdout, min_query, random_state,
                 recommend_params):
        self.metric = metric
        self.k = k
        self.holdout = holdout
        self.n_holdout = n_holdout
        self.min_query = min_query
        self.random_state = random_state
        self.recommend_params = recommend_params

    def __repr__(self):
        return (
            f"recommendation_scorer(metric={self.metric!r}, k={self.k}, "
            f"holdout={self.holdout!r}, n_holdout={self.n_holdout})"
        )

    def split(self, baskets):
        """(queries, held-out sets) of the baskets long enough to score."""
        rng = check_random_state(self.random_state)
        queries, truths = [], []
        for basket in baskets:
            # an item repeated in a basket is one item to find
            items = list(dict.fromkeys(basket))
            if len(items) < self.n_holdout + self.min_query:
                continue
            if self.holdout == "last":
                hide = set(range(len(items) - self.n_holdout, len(items)))
            else:
                hide = set(
                    rng.choice(len(items), self.n_holdout, replace=False).tolist()
                )
            queries.append([x for i, x in enumerate(items) if i not in hide])
            truths.append({items[i] for i in hide})
        return queries, truths

    def __call__(self, estimator, X, y=None):
        model = estimator
        if not hasattr(model, "recommend_batch") and hasattr(model, "steps"):
            model = model.steps[-1][1]  # a Pipeline ending in the recommender
        if not hasattr(model, "recommend_batch"):
            raise TypeError(
                "recommendation_scorer needs an estimator with recommend_batch "
                f"(e.g. Item2VecTransformer); got {type(estimator).__name__}."
            )
        baskets, _, _ = model._baskets(X)
        queries, truths = self.split(baskets)
        if not queries:
            raise ValueError(
                "recommendation_scorer: no basket of the held-out data has the "
                f"{self.n_holdout + self.min_query} items needed (n_holdout="
                f"{self.n_holdout} hidden + min_query={self.min_query} to query "
                "with)."
            )
        rec, _ = model.recommend_batch(queries, self.k, **self.recommend_params)
        return float(_ranking_metric(self.metric, rec.tolist(), truths, self.k).mean())


def recommendation_scorer(metric="ndcg", *, k=10, holdout="last", n_holdout=1,
                          min_query=1, random_state=0, **recommend_params):
    """A scorer of top-``k`` recommendations on held-out items.

    For ``scoring=`` of :class:`~sklearn.model_selection.GridSearchCV`,
    :func:`~sklearn.model_selection.cross_val_score` and friends: it ranks
    hyper-parameters of :class:`Item2VecTransformer` by a recommendation
    metric. The search splits the baskets (users, sessions, orders) into
    folds and fits on the training folds; on each held-out basket the
    scorer hides ``n_holdout`` items, asks
    :meth:`~Item2VecTransformer.recommend_batch` for the top ``k`` items
    given the others (a fold-in: these baskets were never seen in ``fit``,
    exactly what a new user is) and averages the metric over the baskets.

    Read more in the :ref:`User Guide <item2vec-tuning>`.

    Parameters
    ----------
    metric : {"ndcg", "recall", "hit_rate"}, default="ndcg"
        NDCG@k (one relevance level), Recall@k (hits over
        ``min(n_holdout, k)``) or hit rate (any hit).
    k : int, default=10
        Length of the recommendation list.
    holdout : {"last", "random"}, default="last"
        Hide the last items of each basket (time-ordered histories and
        sessions: next-item prediction) or random ones (unordered baskets:
        basket completion).
    n_holdout : int, default=1
        Items hidden per basket.
    min_query : int, default=1
        Baskets with fewer than ``n_holdout + min_query`` distinct items are
        not scored.
    random_state : int, RandomState instance or None, default=0
        Draws the hidden items of ``holdout="random"``; fixed by default so
        that every candidate of a search is scored on the same items.
    **recommend_params
        Passed to ``recommend_batch``: ``scoring``, ``last_n``, ``recency``,
        ``temperature``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``, greater is better.
        ``estimator`` is an :class:`Item2VecTransformer` or a
        :class:`~sklearn.pipeline.Pipeline` ending in one; ``X`` holds
        baskets in any form the estimator reads.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skembed import Item2VecTransformer, recommendation_scorer
    >>> baskets = [["milk", "bread", "butter"], ["beer", "chips", "salsa"],
    ...            ["bread", "butter", "jam"], ["chips", "beer", "nuts"]] * 25
    >>> search = GridSearchCV(
    ...     Item2VecTransformer(n_components=8, random_state=0),
    ...     {"ns_exponent": [0.0, 0.5]},
    ...     scoring=recommendation_scorer("recall", k=3, holdout="random"),
    ...     cv=3,
    ... ).fit(baskets)
    >>> sorted(search.best_params_)
    ['ns_exponent']
    >>> bool(0.5 < search.best_score_ <= 1.0)
    True
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {_METRICS}; got {metric!r}.")
    if holdout not in _HOLDOUTS:
        raise ValueError(f"holdout must be one of {_HOLDOUTS}; got {holdout!r}.")
    for name, value, low in (("k", k, 1), ("n_holdout", n_holdout, 1),
                             ("min_query", min_query, 1)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or (
            value < low
        ):
            raise ValueError(f"{name} must be an int >= {low}; got {value!r}.")
    return _RecommendationScorer(metric, int(k), holdout, int(n_holdout),
                                 int(min_query), random_state, recommend_params)
