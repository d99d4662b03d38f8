"""NetMFEmbedder and the engine's NetMF matrix."""

import pickle
import warnings

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from skembed import EdgeFeatures, NetMFEmbedder, load_model, save_model
from skembed._engine import _spectral
from skembed._graph import _netmf
from tests.test_common import API_CHECKS

pytestmark = pytest.mark.usefixtures("fresh_graph_cache")


def _sbm(n_blocks=4, size=40, p_in=0.3, p_out=0.02, seed=0):
    G = nx.planted_partition_graph(n_blocks, size, p_in, p_out, seed=seed)
    y = np.repeat(np.arange(n_blocks), size)
    return G, y


def _dense_netmf(A, T, b):
    """The paper's formula, dense float64."""
    d = A.sum(1)
    P = A / d[:, None]
    S = sum(np.linalg.matrix_power(P, r) for r in range(1, T + 1))
    M = A.sum() / (b * T) * S / d[None, :]
    return np.log(np.maximum(M, 1.0))


@pytest.mark.parametrize("weighted", [False, True])
def test_netmf_matrix_is_the_papers_formula(weighted):
    G = nx.karate_club_graph()
    A = nx.to_scipy_sparse_array(G, weight="weight" if weighted else None,
                                 format="csr").astype(float)
    got = _spectral.netmf_matrix(sp.csr_matrix(A), window=5, negative=2.0)
    want = _dense_netmf(A.toarray(), 5, 2.0)
    assert got.dtype == np.float32 and got.shape == (34, 34)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    assert (got >= 0).all() and (got > 0).any()


def test_randomized_svd_of_a_dense_matrix_matches_exact_svd():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((80, 60)).astype(np.float32)
    U, s, Vt = _spectral.randomized_svd(M, 5, n_iter=12, seed=0)
    s_exact = np.linalg.svd(M.astype(np.float64), compute_uv=False)[:5]
    np.testing.assert_allclose(s, s_exact, rtol=5e-3)
    np.testing.assert_allclose(U.T @ U, np.eye(5), atol=1e-4)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(5), atol=1e-4)


def test_shapes_scale_and_quality():
    G, y = _sbm()
    est = NetMFEmbedder(n_components=16, random_state=0)
    X = est.fit_transform(G)
    assert X.shape == (160, 16) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 4.0, rtol=1e-5)
    assert cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=3).mean() > 0.9
    assert est.timings_["training"] >= 0 and est.loss_curve_ == []
    glob = NetMFEmbedder(n_components=16, random_state=0, output_scale="global")
    norms = np.linalg.norm(glob.fit_transform(G), axis=1)
    np.testing.assert_allclose((norms**2).mean(), 16.0, rtol=1e-4)


def test_bit_identical_for_a_seed_and_any_n_jobs():
    G, _ = _sbm()
    a = NetMFEmbedder(n_components=8, random_state=3).fit_transform(G)
    b = NetMFEmbedder(n_components=8, random_state=3, n_jobs=2).fit_transform(G)
    assert np.array_equal(a, b)


def test_directed_is_symmetrised_weighted_isolated_and_small_graphs():
    D = nx.DiGraph()
    D.add_weighted_edges_from([(0, 1, 2.0), (1, 2, 1.0), (2, 0, 0.5), (2, 3, 1.0)])
    D.add_node(9)
    est = NetMFEmbedder(n_components=8, random_state=0)
    with pytest.warns(UserWarning, match="isolated"):
        X = est.fit_transform(D)
    assert X.shape == (5, 8)  # more dimensions than nodes: padded
    assert (X[4] == 0).all() and est.isolated_nodes_.tolist() == [9]
    assert np.isfinite(X).all()
    U = nx.Graph()
    U.add_weighted_edges_from([(0, 1, 2.0), (1, 2, 1.0), (2, 0, 0.5), (2, 3, 1.0)])
    U.add_node(9)
    with pytest.warns(UserWarning):
        Xu = NetMFEmbedder(n_components=8, random_state=0).fit_transform(U)
    np.testing.assert_allclose(X, Xu, rtol=1e-5, atol=1e-6)
    with pytest.warns(UserWarning):
        Xw = NetMFEmbedder(n_components=8, weighted=False,
                           random_state=0).fit_transform(U)
    assert not np.allclose(Xw, Xu)


def test_size_limit_names_the_argument(monkeypatch):
    G, _ = _sbm()
    monkeypatch.setattr(_netmf, "MAX_NODES", 100)
    with pytest.raises(ValueError, match=r"^X: NetMFEmbedder .* at most 100 "
                                         r"nodes .*got 160 nodes"):
        NetMFEmbedder(n_components=4).fit(G)
    with pytest.raises(ValueError, match=r"^graph: .*ProNEEmbedder"):
        NetMFEmbedder(n_components=4, graph=G).fit([0, 1])


def test_unseen_nodes_edge_features_grid_search_and_save(tmp_path, capsys):
    G, y = _sbm()
    ids = np.array(list(G))
    est = NetMFEmbedder(n_components=8, handle_unknown="neighbors",
                        random_state=0, verbose=1).fit(G)
    assert "[NetMFEmbedder] NetMF: window 10" in capsys.readouterr().err
    H = G.copy()
    H.add_edges_from([("new", 0), ("new", 1)])
    v = est.transform(["new"], graph=H)
    np.testing.assert_allclose(v[0], est.transform([0, 1]).mean(0), rtol=1e-5)
    assert EdgeFeatures(est, prefit=True).fit_transform([(0, 1)]).shape == (1, 8)
    assert est.get_feature_names_out()[0] == "netmfembedder0"
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(back.transform([0, 5]), est.transform([0, 5]))
    save_model(est, tmp_path / "m.skem")
    loaded = load_model(tmp_path / "m.skem")
    np.testing.assert_array_equal(loaded.transform([0, 5]), est.transform([0, 5]))
    pipe = Pipeline([
        ("emb", NetMFEmbedder(graph=G, n_components=8, random_state=0)),
        ("clf", LogisticRegression(max_iter=1000)),
    ])
    search = GridSearchCV(pipe, {"emb__window": [1, 5]}, cv=3).fit(ids, y)
    assert search.best_score_ > 0.9


def test_bad_parameters_name_the_argument():
    G, _ = _sbm()
    with pytest.raises(ValueError, match="window"):
        NetMFEmbedder(window=0).fit(G)
    with pytest.raises(ValueError, match="negative"):
        NetMFEmbedder(negative=0).fit(G)
    with pytest.raises(ValueError, match="no edge"):
        NetMFEmbedder().fit(nx.empty_graph(3))


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_tier_a_checks_id_mode(check):
    est = NetMFEmbedder(graph=nx.karate_club_graph(), n_components=4)
    check(type(est).__name__, clone(est))


@parametrize_with_checks([NetMFEmbedder(n_components=4)])
def test_sklearn_checks_adjacency_mode(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)
