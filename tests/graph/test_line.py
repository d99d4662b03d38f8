"""LINEEmbedder: shapes, orders, quality on karate, API contract."""

import pickle
import warnings

import networkx as nx
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import (
    parametrize_with_checks,
)

from skembed import LINEEmbedder
from tests.test_common import API_CHECKS

pytestmark = pytest.mark.usefixtures("fresh_graph_cache")


@pytest.mark.parametrize("order, dims", [(1, 10), (2, 10), ("both", 11)])
def test_shapes_and_normalised_halves(karate, order, dims):
    G, _ = karate
    est = LINEEmbedder(n_components=dims, order=order, random_state=0)
    X = est.fit_transform(G)
    assert X.shape == (34, dims) and X.dtype == np.float32
    assert len(est.loss_curve_) == (2 if order == "both" else 1)
    assert all(np.isfinite(est.loss_curve_))
    if order == "both":  # halves of 5 and 6 dims, each of unit norm
        np.testing.assert_allclose(np.linalg.norm(X[:, :5], axis=1), 1, rtol=1e-5)
        np.testing.assert_allclose(np.linalg.norm(X[:, 5:], axis=1), 1, rtol=1e-5)
    assert len(est.get_feature_names_out()) == dims


@pytest.mark.parametrize("order", [1, 2, "both"])
def test_karate_factions_recovered(karate, order):
    G, y = karate
    X = LINEEmbedder(n_components=16, order=order, random_state=0).fit_transform(G)
    acc = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=5).mean()
    assert acc >= 0.9


def test_first_order_puts_linked_nodes_closer_than_unlinked(karate):
    G, _ = karate
    X = LINEEmbedder(n_components=16, order=1, random_state=0).fit_transform(G)
    A = nx.to_numpy_array(G) > 0
    S = X @ X.T
    off = ~np.eye(34, dtype=bool)
    assert S[A & off].mean() > S[~A & off].mean() + 0.1


def test_reproducible_and_seed_dependent(karate):
    G, _ = karate
    a = LINEEmbedder(n_components=8, random_state=0, memory=False).fit_transform(G)
    b = LINEEmbedder(n_components=8, random_state=0, memory=False).fit_transform(G)
    c = LINEEmbedder(n_components=8, random_state=1).fit_transform(G)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    d = LINEEmbedder(n_components=8, random_state=0, n_jobs=2).fit_transform(G)
    assert d.shape == a.shape and np.isfinite(d).all()


def test_isolated_nodes_directed_graphs_and_errors():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])
    G.add_node("iso")
    with pytest.warns(UserWarning, match="1 isolated"):
        est = LINEEmbedder(n_components=4, random_state=0).fit(G)
    assert (est.transform(["iso"]) == 0).all()
    assert np.abs(est.transform([3])).sum() > 0  # only an in-edge: trained
    with pytest.warns(UserWarning, match="isolated"):
        one = LINEEmbedder(n_components=1, random_state=0).fit(G)
    assert one.embedding_.shape == (5, 1)  # "both" with 1 dim: second order only
    with pytest.raises(ValueError, match="'order' parameter"):
        LINEEmbedder(order=3).fit(G)
    with pytest.raises(ValueError, match="non-negative"):
        LINEEmbedder().fit([(0, 1, -1.0)])
    est = LINEEmbedder(n_components=4, order=1, random_state=0, handle_unknown="zeros")
    with pytest.warns(UserWarning, match="isolated"):
        est.fit(G)
    assert (est.transform(["nope"]) == 0).all()


def test_pickle_and_grid_search_over_order(karate):
    G, y = karate
    ids = np.array(list(G))
    est = LINEEmbedder(graph=G, n_components=8, random_state=0).fit(ids)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.transform(ids), est.transform(ids))
    pipe = Pipeline(
        [
            ("emb", LINEEmbedder(graph=G, n_components=16, random_state=0)),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )
    search = GridSearchCV(pipe, {"emb__order": [1, 2, "both"]}, cv=3).fit(ids, y)
    assert search.best_score_ >= 0.85




@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_tier_a_checks_id_mode(check):
    est = LINEEmbedder(graph=nx.karate_club_graph(), n_components=4)
    check(type(est).__name__, clone(est))


@parametrize_with_checks([LINEEmbedder(n_components=4, n_samples=2000)])
def test_sklearn_checks_adjacency_mode(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)
