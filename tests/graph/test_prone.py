"""ProNEEmbedder, SpectralPropagation and the spectral engine."""

import pickle
import subprocess
import sys
import warnings

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import iv
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from skembed import (
    DeepWalkEmbedder,
    EdgeFeatures,
    LINEEmbedder,
    ProNEEmbedder,
    SpectralPropagation,
    load_model,
    save_model,
)
from skembed._engine import _spectral, _spectral_kernels
from tests.test_common import API_CHECKS

pytestmark = pytest.mark.usefixtures("fresh_graph_cache")


def _sbm(n_blocks=4, size=40, p_in=0.3, p_out=0.02, seed=0):
    G = nx.planted_partition_graph(n_blocks, size, p_in, p_out, seed=seed)
    y = np.repeat(np.arange(n_blocks), size)
    return G, y


# ---------------------------------------------------------------------------
# engine
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kernel", ["spmm_serial", "spmm_parallel"])
def test_spmm_kernels_match_scipy(kernel):
    rng = np.random.default_rng(0)
    A = sp.random(300, 200, density=0.05, random_state=0, format="csr",
                  dtype=np.float32)
    X = rng.standard_normal((200, 7)).astype(np.float32)
    out = np.empty((300, 7), np.float32)
    getattr(_spectral_kernels, kernel)(
        A.indptr, A.indices, A.data, X, np.float32(0.0), np.float32(2.0), out
    )
    np.testing.assert_allclose(out, 2 * (A @ X), rtol=1e-5, atol=1e-5)
    sq = sp.random(200, 200, density=0.05, random_state=1, format="csr",
                   dtype=np.float32)
    getattr(_spectral_kernels, kernel)(
        sq.indptr, sq.indices, sq.data, X, np.float32(0.5), np.float32(-1.0),
        out[:200],
    )
    np.testing.assert_allclose(out[:200], 0.5 * X - sq @ X, rtol=1e-5, atol=1e-5)


def test_randomized_svd_matches_exact_svd():
    A = sp.random(120, 90, density=0.1, random_state=0, format="csr")
    U, s, Vt = _spectral.randomized_svd(A, 5, n_iter=12, seed=0)
    s_exact = np.linalg.svd(A.toarray(), compute_uv=False)[:5]
    # a flat random spectrum, the hard case for a randomized SVD
    np.testing.assert_allclose(s, s_exact, rtol=2e-3)
    np.testing.assert_allclose(U.T @ U, np.eye(5), atol=1e-4)
    U2, s2, _ = _spectral.randomized_svd(A, 5, n_iter=12, seed=0)
    assert np.array_equal(U, U2) and np.array_equal(s, s2)


def test_log_ratio_matrix_is_prone_matrix():
    G = nx.karate_club_graph()
    A = nx.to_scipy_sparse_array(G, weight=None, format="csr").astype(float)
    F = _spectral.log_ratio_matrix(sp.csr_matrix(A)).toarray()
    P = A.toarray() / A.toarray().sum(1, keepdims=True)
    q = P.sum(0) ** 0.75
    q /= q.sum()
    i, j = np.nonzero(A.toarray())
    np.testing.assert_allclose(F[i, j], np.log(P[i, j]) - np.log(q[j]), rtol=1e-5)
    assert (F[A.toarray() == 0] == 0).all()
    # negative samples per pair shift the log-ratio on the edges only
    F5 = _spectral.log_ratio_matrix(sp.csr_matrix(A), negative=5.0).toarray()
    np.testing.assert_allclose(F5[i, j], F[i, j] - np.log(5.0), rtol=1e-5,
                               atol=1e-6)
    assert (F5[A.toarray() == 0] == 0).all()


def test_negative_is_a_learn_parameter_and_validated():
    G = nx.karate_club_graph()
    a = ProNEEmbedder(n_components=8, random_state=0).fit_transform(G)
    b = ProNEEmbedder(n_components=8, negative=1, random_state=0).fit_transform(G)
    assert not np.allclose(a, b)
    with pytest.raises(ValueError, match="negative"):
        ProNEEmbedder(negative=0).fit(G)


def test_chebyshev_filter_matches_the_dense_formula():
    G, _ = _sbm(n_blocks=3, size=15)
    A = sp.csr_matrix(nx.to_scipy_sparse_array(G, format="csr").astype(float))
    R = np.random.default_rng(0).standard_normal((45, 4)).astype(np.float32)
    order, mu, theta = 8, 0.3, 0.7
    got = _spectral.chebyshev_filter(A, R, order=order, mu=mu, theta=theta)
    # dense reference: the same truncated Chebyshev series, by recursion on
    # x = (L - mu)^2 / 2 - I, then (A + I) (R - sum)
    A1 = A.toarray() + np.eye(45)
    L = np.eye(45) - A1 / A1.sum(1, keepdims=True)
    x = (L - mu * np.eye(45)) @ (L - mu * np.eye(45)) / 2 - np.eye(45)
    T = [np.eye(45), x]
    for _ in range(2, order):
        T.append(2 * x @ T[-1] - T[-2])
    g = iv(0, theta) * T[0] + sum(
        2 * (-1) ** k * iv(k, theta) * T[k] for k in range(1, order)
    )
    want = A1 @ (R - g @ R)
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-3 * abs(want).max())


# ---------------------------------------------------------------------------
# ProNEEmbedder
# ---------------------------------------------------------------------------


def test_shapes_scale_and_quality():
    G, y = _sbm()
    est = ProNEEmbedder(n_components=16, random_state=0)
    X = est.fit_transform(G)
    assert X.shape == (160, 16) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 4.0, rtol=1e-5)
    assert cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=3).mean() > 0.9
    assert est.timings_["training"] >= 0
    assert est.loss_curve_ == []


@pytest.mark.parametrize("propagate", [True, False])
def test_global_output_scale_keeps_relative_row_norms(propagate):
    """output_scale="global": the default's vectors up to one factor per
    row, mean squared row norm n_components, rows of unequal norms."""
    G = nx.barabasi_albert_graph(200, 3, seed=0)
    rows = ProNEEmbedder(n_components=8, propagate=propagate, random_state=0)
    glob = clone(rows).set_params(output_scale="global")
    X, Y = rows.fit_transform(G), glob.fit_transform(G)
    norms = np.linalg.norm(Y, axis=1)
    assert Y.dtype == np.float32
    np.testing.assert_allclose((norms**2).mean(), 8.0, rtol=1e-4)
    assert norms.std() > 0.05 * norms.mean()
    np.testing.assert_allclose(Y / norms[:, None], X / np.sqrt(8.0),
                               rtol=1e-4, atol=1e-5)
    prop = SpectralPropagation(output_scale="global", random_state=0)
    assert np.linalg.norm(prop.fit_transform(G), axis=1).std() > 0


def test_output_scale_is_validated():
    with pytest.raises(ValueError, match="output_scale"):
        ProNEEmbedder(output_scale="unit").fit(nx.karate_club_graph())


def test_propagation_helps_the_factorisation_on_a_noisy_sbm():
    G, y = _sbm(n_blocks=4, size=60, p_in=0.12, p_out=0.04, seed=1)
    scores = []
    for propagate in (False, True):
        X = ProNEEmbedder(n_components=16, propagate=propagate,
                          random_state=0).fit_transform(G)
        scores.append(cross_val_score(LogisticRegression(max_iter=1000), X, y,
                                      cv=3).mean())
    assert scores[1] > scores[0]


def test_bit_identical_for_a_seed_and_any_n_jobs():
    G, _ = _sbm()
    a = ProNEEmbedder(n_components=8, random_state=3).fit_transform(G)
    b = ProNEEmbedder(n_components=8, random_state=3, n_jobs=2).fit_transform(G)
    c = ProNEEmbedder(n_components=8, random_state=4).fit_transform(G)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_bit_identical_across_processes():
    code = (
        "import networkx as nx, hashlib;"
        "from skembed import ProNEEmbedder;"
        "X = ProNEEmbedder(n_components=8, random_state=0)"
        ".fit_transform(nx.karate_club_graph());"
        "print(hashlib.sha256(X.tobytes()).hexdigest())"
    )
    out = {
        subprocess.run([sys.executable, "-c", code], capture_output=True,
                       text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(out) == 1


def test_directed_weighted_isolated_and_small_graphs():
    D = nx.DiGraph()
    D.add_weighted_edges_from([(0, 1, 2.0), (1, 2, 1.0), (2, 0, 0.5), (2, 3, 1.0)])
    D.add_node(9)
    est = ProNEEmbedder(n_components=8, random_state=0)
    with pytest.warns(UserWarning, match="isolated"):
        X = est.fit_transform(D)
    assert X.shape == (5, 8)  # more dimensions than nodes: padded
    assert (X[4] == 0).all() and est.isolated_nodes_.tolist() == [9]
    # node 3 has no out-edge: its vector comes from the propagation
    assert np.abs(X[3]).sum() > 0
    assert np.isfinite(X).all()
    X0 = ProNEEmbedder(n_components=8, propagate=False, random_state=0)
    with pytest.warns(UserWarning):
        assert (X0.fit_transform(D)[3] == 0).all()
    # weights change the result
    Xu = ProNEEmbedder(n_components=8, weighted=False, random_state=0)
    with pytest.warns(UserWarning):
        assert not np.allclose(Xu.fit_transform(D), X)


def test_unseen_nodes_edge_features_and_grid_search():
    G, y = _sbm()
    ids = np.array(list(G))
    est = ProNEEmbedder(n_components=8, handle_unknown="neighbors",
                        random_state=0).fit(G)
    H = G.copy()
    H.add_edges_from([("new", 0), ("new", 1)])
    v = est.transform(["new"], graph=H)
    np.testing.assert_allclose(v[0], est.transform([0, 1]).mean(0), rtol=1e-5)
    pairs = [(0, 1), (0, 100)]
    assert EdgeFeatures(est, prefit=True).fit_transform(pairs).shape == (2, 8)
    pipe = Pipeline([
        ("emb", ProNEEmbedder(graph=G, n_components=8, random_state=0)),
        ("clf", LogisticRegression(max_iter=1000)),
    ])
    search = GridSearchCV(pipe, {"emb__mu": [0.0, 0.5], "emb__order": [0, 10]},
                          cv=3).fit(ids, y)
    assert search.best_score_ > 0.9


def test_pickle_save_model_and_verbose(tmp_path, capsys):
    G, _ = _sbm()
    est = ProNEEmbedder(n_components=8, random_state=0, verbose=1).fit(G)
    err = capsys.readouterr().err
    assert "[ProNEEmbedder] factorisation" in err and "propagation" in err
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(back.transform([0, 5]), est.transform([0, 5]))
    save_model(est, tmp_path / "m.skem")
    loaded = load_model(tmp_path / "m.skem")
    np.testing.assert_array_equal(loaded.transform([0, 5]), est.transform([0, 5]))


def test_bad_parameters_name_the_argument():
    G, _ = _sbm()
    with pytest.raises(ValueError, match="mu"):
        ProNEEmbedder(mu=3.0).fit(G)
    with pytest.raises(ValueError, match="order"):
        ProNEEmbedder(order=-1).fit(G)
    with pytest.raises(ValueError, match="no edge"):
        ProNEEmbedder().fit(nx.empty_graph(3))


# ---------------------------------------------------------------------------
# SpectralPropagation
# ---------------------------------------------------------------------------


def test_propagation_of_a_walk_embedder():
    G, y = _sbm(n_blocks=4, size=60, p_in=0.12, p_out=0.04, seed=1)
    dw = DeepWalkEmbedder(n_components=16, walk_length=20, n_walks=5,
                          random_state=0)
    prop = SpectralPropagation(dw).fit(G)
    X = prop.transform(list(G))
    assert X.shape == (240, 16)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 4.0, rtol=1e-5)
    assert isinstance(prop.embedder_, DeepWalkEmbedder)
    base = dw.fit_transform(G)
    clf = LogisticRegression(max_iter=2000)
    assert (cross_val_score(clf, X, y, cv=3).mean()
            >= cross_val_score(clf, base, y, cv=3).mean())


def test_default_propagation_is_prone_and_line_works():
    G, _ = _sbm()
    a = SpectralPropagation().fit_transform(G)
    b = ProNEEmbedder(random_state=None, n_components=128)
    assert a.shape == (160, 128)
    assert b.fit_transform(G).shape == (160, 128)
    line = LINEEmbedder(n_components=8, n_samples=2000, random_state=0)
    X = SpectralPropagation(line, n_components=4).fit_transform(G)
    assert X.shape == (160, 4)


def test_propagation_graph_param_and_clone():
    G, y = _sbm()
    ids = np.array(list(G))
    est = SpectralPropagation(
        DeepWalkEmbedder(n_components=8, walk_length=10, random_state=0),
        graph=G, mu=0.1,
    )
    pipe = Pipeline([("emb", est), ("clf", LogisticRegression(max_iter=1000))])
    search = GridSearchCV(pipe, {"emb__theta": [0.5, 1.0]}, cv=3).fit(ids, y)
    assert search.best_score_ > 0.9
    assert clone(est).graph is G


# ---------------------------------------------------------------------------
# scikit-learn checks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("cls", [ProNEEmbedder, SpectralPropagation],
                         ids=lambda c: c.__name__)
def test_tier_a_checks_id_mode(check, cls):
    est = cls(graph=nx.karate_club_graph(), n_components=4)
    check(type(est).__name__, clone(est))


@parametrize_with_checks([
    ProNEEmbedder(n_components=4),
    SpectralPropagation(ProNEEmbedder(n_components=4, propagate=False)),
])
def test_sklearn_checks_adjacency_mode(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)
