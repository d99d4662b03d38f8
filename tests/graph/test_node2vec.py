"""Node2VecEmbedder / DeepWalkEmbedder / EdgeFeatures: API contract and quality."""

import pickle
import warnings

import joblib
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import (
    parametrize_with_checks,
)

from skembed import DeepWalkEmbedder, EdgeFeatures, Node2VecEmbedder
from skembed._graph import _node2vec
from skembed._graph._checks import check_graph, graph_arrays
from tests.test_common import API_CHECKS, OUTPUT_CHECKS

SMALL = dict(n_components=8, walk_length=10, n_walks=4, random_state=0)


pytestmark = pytest.mark.usefixtures("fresh_graph_cache")


# ---------------------------------------------------------------------------
# basic behaviour
# ---------------------------------------------------------------------------


def test_fit_transform_returns_all_nodes_in_nodes_order(karate):
    G, _ = karate
    est = Node2VecEmbedder(**SMALL, p=0.5, q=2.0)
    X = est.fit_transform(G)
    assert X.shape == (34, 8) and X.dtype == np.float32
    assert est.nodes_.tolist() == list(G)
    np.testing.assert_array_equal(X, est.embedding_)
    np.testing.assert_array_equal(est.transform([3, 0]), X[[3, 0]])
    assert len(est.loss_curve_) == 1 and np.isfinite(est.loss_curve_[0])
    assert set(est.timings_) == {"walks", "training"}
    assert est.get_feature_names_out().tolist() == [
        f"node2vecembedder{i}" for i in range(8)
    ]


def test_same_seed_same_vectors_and_deepwalk_equals_p_q_one(karate):
    G, _ = karate
    a = Node2VecEmbedder(**SMALL).fit_transform(G)
    b = Node2VecEmbedder(**SMALL).fit_transform(G)
    c = DeepWalkEmbedder(**SMALL, hs=False).fit_transform(G)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    # DeepWalk's default adds hierarchical softmax: node2vec with hs=True
    h = Node2VecEmbedder(**SMALL, hs=True).fit_transform(G)
    np.testing.assert_array_equal(h, DeepWalkEmbedder(**SMALL).fit_transform(G))
    d = Node2VecEmbedder(**{**SMALL, "random_state": 1}).fit_transform(G)
    assert not np.allclose(a, d)
    e = Node2VecEmbedder(**SMALL, p=0.25, q=4.0).fit_transform(G)
    assert not np.allclose(a, e)


@pytest.mark.parametrize("p, q", [(1.0, 1.0), (0.5, 2.0)])
def test_walk_corpus_identical_for_any_n_jobs(karate, p, q):
    A, _ = check_graph(karate[0])
    blocks = []
    for n_jobs in (1, 2):
        corpus = _node2vec._WalkCorpus(A, 20, 3, p, q, 11, 5, n_jobs)
        corpus.count()
        blocks.append(list(corpus._generate()))
    for (i1, d1), (i2, d2) in zip(*blocks, strict=True):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(d1, d2)


def test_n_jobs_two_runs_and_is_tagged_non_deterministic(karate):
    est = Node2VecEmbedder(**SMALL, n_jobs=2).fit(karate[0])
    assert est.embedding_.shape == (34, 8)
    assert est.__sklearn_tags__().non_deterministic
    assert not Node2VecEmbedder().__sklearn_tags__().non_deterministic


def test_input_forms_give_the_same_embedding(karate):
    G, _ = karate
    ref = Node2VecEmbedder(**SMALL).fit_transform(G)
    A = nx.to_scipy_sparse_array(G, weight="weight", format="csr")
    edges = pd.DataFrame(
        [(u, v, d["weight"]) for u, v, d in G.edges(data=True)],
        columns=["src", "dst", "weight"],
    )
    for X in (A, A.toarray(), edges, edges.to_numpy()):
        np.testing.assert_allclose(
            Node2VecEmbedder(**SMALL).fit_transform(X), ref, rtol=0, atol=0
        )


def test_weighted_and_directed_options(karate):
    G, _ = karate
    w = Node2VecEmbedder(**SMALL).fit_transform(G)
    u = Node2VecEmbedder(**SMALL, weighted=False).fit_transform(G)
    assert not np.allclose(w, u)
    D = nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)])  # 3 is a dead end
    est = Node2VecEmbedder(**SMALL, p=0.5).fit(D)
    assert est.embedding_.shape == (4, 8)
    assert np.abs(est.embedding_[3]).sum() > 0  # reached by walks: trained
    assert est.isolated_nodes_.size == 0


def test_mixed_type_ids_and_unseen_ids():
    edges = [("a", 1), (1, (2, "x")), ((2, "x"), "a"), ("a", 2.5)]
    est = Node2VecEmbedder(**SMALL).fit(edges)
    assert est.nodes_.tolist() == ["a", 1, (2, "x"), 2.5]
    out = est.transform([(2, "x"), "a"])
    np.testing.assert_array_equal(out, est.embedding_[[2, 0]])
    with pytest.raises(ValueError, match=r"2 node id\(s\) unknown.*'zz', 99"):
        est.transform(["a", "zz", 99])
    est.set_params(handle_unknown="zeros")
    out = est.transform(["a", "zz"])
    assert (out[1] == 0).all() and (out[0] == est.embedding_[0]).all()


def test_unknown_ids_message_lists_a_few():
    est = Node2VecEmbedder(**SMALL).fit([(0, 1), (1, 2)])
    with pytest.raises(ValueError, match=r"8 node id\(s\).*and 3 more"):
        est.transform(list(range(3, 11)))


def test_handle_unknown_neighbors_uses_the_transform_graph(karate):
    G, _ = karate
    est = Node2VecEmbedder(**SMALL, handle_unknown="neighbors").fit(G)
    H = G.copy()
    H.add_edge("new", 0, weight=1.0)
    H.add_edge("new", 33, weight=3.0)
    H.add_node("lonely")
    out = est.transform(["new", "lonely", 5], graph=H)
    expected = (est.embedding_[0] + 3 * est.embedding_[33]) / 4
    np.testing.assert_allclose(out[0], expected, rtol=1e-6)
    assert (out[1] == 0).all()  # no known neighbour: zeros
    np.testing.assert_array_equal(out[2], est.embedding_[5])
    # without a graph, unknown ids get zeros
    assert (est.transform(["new"]) == 0).all()


def test_isolated_nodes_get_zero_vectors_with_a_warning():
    G = nx.path_graph(5)
    G.add_nodes_from(["iso1", "iso2"])
    with pytest.warns(UserWarning, match="2 isolated node"):
        est = Node2VecEmbedder(**SMALL).fit(G)
    assert est.isolated_nodes_.tolist() == ["iso1", "iso2"]
    assert (est.transform(["iso1", "iso2"]) == 0).all()
    assert (np.abs(est.embedding_[:5]).sum(axis=1) > 0).all()


def test_disconnected_graph_and_self_loops():
    G = nx.disjoint_union(nx.cycle_graph(5), nx.complete_graph(4))
    G.add_edge(0, 0)
    est = Node2VecEmbedder(**SMALL, p=2.0, q=0.5).fit(G)
    assert est.embedding_.shape == (9, 8)
    assert np.isfinite(est.embedding_).all()


@pytest.mark.parametrize(
    "X, err, match",
    [
        (nx.empty_graph(3), ValueError, "no edge"),
        (np.array([[0, -1.0], [-1.0, 0]]), ValueError, "non-negative"),
        (np.array([[0, np.nan], [np.nan, 0]]), ValueError, "NaN"),
        ([(0, 1, -3.0)], ValueError, "non-negative"),
        ("graph.csv", ValueError, "got a string"),
        (np.ones((3, 5)), ValueError, "square adjacency"),
    ],
)
def test_bad_graphs(X, err, match):
    with pytest.raises(err, match=match):
        Node2VecEmbedder(**SMALL).fit(X)


def test_bad_params_are_reported_by_name():
    with pytest.raises(ValueError, match="'p' parameter"):
        Node2VecEmbedder(p=0).fit(nx.path_graph(3))
    with pytest.raises(ValueError, match="'walk_length' parameter"):
        Node2VecEmbedder(walk_length=1).fit(nx.path_graph(3))
    with pytest.raises(ValueError, match="'handle_unknown' parameter"):
        Node2VecEmbedder(handle_unknown="ignore").fit(nx.path_graph(3))


def test_fit_transform_pandas_output_is_indexed_by_node():
    G = nx.Graph([("a", "b"), ("b", "c")])
    est = Node2VecEmbedder(**SMALL).set_output(transform="pandas")
    df = est.fit_transform(G)
    assert isinstance(df, pd.DataFrame)
    assert df.index.tolist() == ["a", "b", "c"]
    edges = pd.DataFrame({"s": ["a", "b"], "t": ["b", "c"]})
    assert est.fit_transform(edges).index.tolist() == ["a", "b", "c"]
    out = est.transform(pd.Series(["c", "a"], index=[10, 20]))
    assert out.index.tolist() == [10, 20]


# ---------------------------------------------------------------------------
# adjacency mode: square matrices, new nodes from their links
# ---------------------------------------------------------------------------


def test_adjacency_rows_embed_new_nodes_as_neighbour_means(karate):
    A = nx.to_scipy_sparse_array(karate[0], format="csr")
    est = Node2VecEmbedder(**SMALL).fit(A)
    assert est.n_features_in_ == 34
    rows = np.zeros((2, 34))
    rows[0, [0, 1]] = [1.0, 3.0]
    out = est.transform(rows)
    np.testing.assert_allclose(
        out[0], (est.embedding_[0] + 3 * est.embedding_[1]) / 4, rtol=1e-5
    )
    assert (out[1] == 0).all()
    ids = np.array([2, 5])
    np.testing.assert_array_equal(est.transform(ids), est.embedding_[ids])
    with pytest.raises(ValueError, match="X has 3 features"):
        est.transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="Reshape your data"):
        est.transform(np.array([0.5, 1.5]))


# sklearn's suite on the square-adjacency mode (tags: pairwise, positive_only),
# with no expected failure.
@parametrize_with_checks(
    [
        Node2VecEmbedder(n_components=4, walk_length=5, n_walks=2, p=0.5, q=2.0),
        DeepWalkEmbedder(n_components=4, walk_length=5, n_walks=2),
    ],
)
def test_sklearn_checks_adjacency_mode(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # isolated-node warnings
        check(estimator)


@pytest.mark.parametrize(
    "check",
    OUTPUT_CHECKS,
    ids=lambda c: c.__name__,
)
def test_sklearn_output_checks_adjacency_mode(check):
    est = Node2VecEmbedder(n_components=4, walk_length=5, n_walks=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(type(est).__name__, est)


# ---------------------------------------------------------------------------
# id-column mode (graph=G): tier A checks + fixture contract
# ---------------------------------------------------------------------------


ID_MODE = [
    Node2VecEmbedder(graph=nx.karate_club_graph(), **SMALL),
    DeepWalkEmbedder(graph=nx.karate_club_graph(), **SMALL),
    EdgeFeatures(Node2VecEmbedder(graph=nx.karate_club_graph(), **SMALL)),
]


@pytest.mark.parametrize("estimator", ID_MODE, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_tier_a_checks_id_mode(estimator, check):
    check(type(estimator).__name__, clone(estimator))


@pytest.fixture
def id_setup(karate):
    G, y = karate
    ids = np.array(list(G))
    return Node2VecEmbedder(graph=G, **SMALL, p=0.5, q=2.0), ids, y


def test_contract_fit_returns_self_and_keeps_params(id_setup):
    est, ids, _ = id_setup
    params = est.get_params(deep=False)
    assert est.fit(ids) is est
    after = est.get_params(deep=False)
    assert after.keys() == params.keys()
    assert all(after[k] is params[k] for k in params)


def test_contract_refit_and_pickle_give_identical_output(id_setup, tmp_path):
    est, ids, _ = id_setup
    a = clone(est).set_params(memory=False).fit(ids).transform(ids)
    b = clone(est).set_params(memory=False).fit(ids).transform(ids)
    np.testing.assert_array_equal(a, b)
    fitted = clone(est).fit(ids)
    c = pickle.loads(pickle.dumps(fitted)).transform(ids)
    joblib.dump(fitted, tmp_path / "emb.joblib")
    d = joblib.load(tmp_path / "emb.joblib").transform(ids)
    np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(a, d)


def test_contract_transform_commutes_with_reorder_and_subset(id_setup):
    est, ids, _ = id_setup
    est.fit(ids)
    full = est.transform(ids)
    order = np.random.RandomState(0).permutation(len(ids))[:20]
    np.testing.assert_array_equal(est.transform(ids[order]), full[order])


def test_contract_bad_inputs_and_not_fitted(id_setup):
    est, ids, _ = id_setup
    with pytest.raises(NotFittedError):
        est.transform(ids)
    with pytest.raises(ValueError, match="single string"):
        est.fit("0")
    with pytest.raises(ValueError, match="empty"):
        est.fit([])
    with pytest.raises(ValueError, match="unknown"):
        est.fit([0, 1, 99])  # ids not in the graph
    est.fit(ids)
    with pytest.raises(ValueError, match="single string"):
        est.transform("0")
    with pytest.raises(ValueError, match="empty"):
        est.transform([])


def test_contract_set_output_and_feature_names(id_setup):
    est, ids, _ = id_setup
    est.set_output(transform="pandas").fit(ids)
    s = pd.Series(ids[:5], index=list("abcde"))
    out = est.transform(s)
    assert isinstance(out, pd.DataFrame) and out.index.tolist() == list("abcde")
    assert len(est.get_feature_names_out()) == out.shape[1] == 8
    # a one-column DataFrame, as a ColumnTransformer passes it
    out2 = est.transform(pd.DataFrame({"node": ids[:5]}, index=list("abcde")))
    np.testing.assert_array_equal(out.to_numpy(), out2.to_numpy())


def test_grid_search_pipeline_over_p_and_q(karate, monkeypatch):
    G, y = karate
    calls = []
    learn = _node2vec._node2vec_learn

    def counting(*args, **kwargs):
        calls.append(args[1]["p"])
        return learn(*args, **kwargs)

    monkeypatch.setattr(_node2vec, "_node2vec_learn", counting)
    pipe = Pipeline(
        [
            ("emb", Node2VecEmbedder(graph=G, n_components=16, random_state=0)),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )
    search = GridSearchCV(pipe, {"emb__p": [0.5, 1.0], "emb__q": [0.5, 2.0]}, cv=3)
    search.fit(np.array(list(G)), y)
    assert search.best_score_ >= 0.85
    # 4 candidates x 3 folds + refit, but every (p, q) is walked and trained once
    assert len(calls) == 4
    assert search.best_estimator_.predict(np.array([0, 33])).tolist() == [
        y[0], y[33]
    ]


def test_cache_is_never_stale(karate):
    G, _ = karate
    ids = np.array(list(G))
    est = Node2VecEmbedder(graph=G, **SMALL)
    a = est.fit(ids).embedding_.copy()
    est.embedding_[:] = 0  # mutating a result must not poison the cache
    np.testing.assert_array_equal(clone(est).fit(ids).embedding_, a)
    H = G.copy()
    H.remove_edge(0, 1)
    b = clone(est).set_params(graph=H).fit(ids).embedding_
    assert not np.allclose(a, b)
    c = clone(est).set_params(window=3).fit(ids).embedding_
    assert not np.allclose(a, c)
    # random_state=None is never cached
    d1 = clone(est).set_params(random_state=None).fit(ids).embedding_
    d2 = clone(est).set_params(random_state=None).fit(ids).embedding_
    assert not np.allclose(d1, d2)


def test_memory_false_disables_and_joblib_memory_caches(karate, tmp_path, monkeypatch):
    G, _ = karate
    ids = np.array(list(G))
    calls = []
    learn = _node2vec._node2vec_learn

    def counting(A, params, random_state, n_jobs, verbose, name):
        calls.append(1)
        return learn(A, params, random_state, n_jobs, verbose, name)

    monkeypatch.setattr(_node2vec, "_node2vec_learn", counting)
    est = Node2VecEmbedder(graph=G, memory=False, **SMALL)
    est.fit(ids)
    clone(est).fit(ids)
    assert len(calls) == 2
    est = Node2VecEmbedder(graph=G, memory=joblib.Memory(tmp_path, verbose=0), **SMALL)
    a = est.fit(ids).embedding_
    b = clone(est).fit(ids).embedding_
    np.testing.assert_array_equal(a, b)
    # (joblib caches by the function's code, so the counter sees 1 more call)
    assert len(calls) == 3
    # the fitted estimator stays picklable and carries no cache
    assert len(pickle.dumps(est)) < 1_000_000


# ---------------------------------------------------------------------------
# quality
# ---------------------------------------------------------------------------


def test_karate_factions_recovered(karate):
    G, y = karate
    for p, q in [(1.0, 1.0), (0.5, 2.0), (2.0, 0.5)]:
        X = Node2VecEmbedder(n_components=16, random_state=0, p=p, q=q).fit_transform(G)
        acc = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=5).mean()
        assert acc >= 0.9, (p, q, acc)


def _lfr(mu, seed=0):
    G = nx.LFR_benchmark_graph(
        300, 3, 1.5, mu, average_degree=8, min_community=30, max_degree=30,
        seed=seed,
    )
    comms = sorted({frozenset(G.nodes[v]["community"]) for v in G}, key=min)
    label = {v: i for i, c in enumerate(comms) for v in c}
    return G, np.array([label[v] for v in G]), len(comms)


@pytest.mark.slow
def test_lfr_communities_recovered():
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from sklearn.preprocessing import normalize

    G, y, k = _lfr(0.3)
    est = Node2VecEmbedder(n_components=32, walk_length=40, random_state=0)
    X = est.fit_transform(G)
    acc = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=5).mean()
    ari = adjusted_rand_score(
        y, KMeans(k, n_init=10, random_state=0).fit_predict(normalize(X))
    )
    assert acc >= 0.85
    assert ari >= 0.7


# ---------------------------------------------------------------------------
# edge features
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operator, fn",
    [
        ("hadamard", lambda a, b: a * b),
        ("average", lambda a, b: (a + b) / 2),
        ("l1", lambda a, b: np.abs(a - b)),
        ("l2", lambda a, b: (a - b) ** 2),
    ],
)
def test_edge_feature_operators(karate, operator, fn):
    G, _ = karate
    emb = Node2VecEmbedder(**SMALL).fit(G)
    pairs = np.array([[0, 1], [5, 33], [2, 2]])
    out = EdgeFeatures(emb, operator=operator, prefit=True).fit(pairs).transform(pairs)
    a, b = emb.embedding_[pairs[:, 0]], emb.embedding_[pairs[:, 1]]
    np.testing.assert_allclose(out, fn(a, b), rtol=1e-6)
    assert out.dtype == np.float32


def test_edge_features_fit_a_clone_with_graph_and_errors(karate):
    G, _ = karate
    inner = Node2VecEmbedder(graph=G, **SMALL)
    ef = EdgeFeatures(inner).fit([(0, 1), (2, 3)])
    assert not hasattr(inner, "embedding_")  # the parameter is untouched
    assert ef.transform([(0, 1)]).shape == (1, 8)
    assert ef.get_feature_names_out().tolist()[:2] == ["edgefeatures0", "edgefeatures1"]
    with pytest.raises(ValueError, match="graph= set"):
        EdgeFeatures(Node2VecEmbedder()).fit([(0, 1)])
    with pytest.raises(NotFittedError):
        EdgeFeatures(Node2VecEmbedder(), prefit=True).fit([(0, 1)])
    with pytest.raises(ValueError, match=r"\(n_pairs, 2\)"):
        ef.transform(np.array([[0, 1, 2]]))
    with pytest.raises(ValueError, match="row 1 has 3"):
        ef.transform([(0, 1), (0, 1, 2)])
    with pytest.raises(ValueError, match="row 0 is a single int"):
        ef.transform([0, 1])  # a flat list of ids, not pairs
    with pytest.raises(ValueError, match="needs a graph embedder"):
        EdgeFeatures().fit([(0, 1)])


def test_link_prediction_with_hadamard_features():
    """Held-out edges score higher than non-edges (planted partition graph)."""
    G = nx.planted_partition_graph(4, 25, 0.4, 0.01, seed=1)
    rng = np.random.RandomState(0)
    edges = np.array(list(G.edges()))
    rng.shuffle(edges)
    test_pos = edges[:40]
    train = G.copy()
    train.remove_edges_from(map(tuple, test_pos))
    nodes = np.array(list(G))
    neg = []
    while len(neg) < 80:
        u, v = rng.choice(nodes, 2, replace=False)
        if not G.has_edge(u, v):
            neg.append((u, v))
    neg = np.array(neg)
    pairs = np.vstack([edges[40:], neg[:40]])
    labels = np.r_[np.ones(len(edges) - 40), np.zeros(40)]
    pipe = Pipeline(
        [
            ("edges", EdgeFeatures(Node2VecEmbedder(graph=train, n_components=16,
                                                    random_state=0))),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )
    pipe.fit(pairs, labels)
    test_pairs = np.vstack([test_pos, neg[40:]])
    test_labels = np.r_[np.ones(40), np.zeros(40)]
    auc = roc_auc_score(test_labels, pipe.predict_proba(test_pairs)[:, 1])
    assert auc >= 0.8


# ---------------------------------------------------------------------------
# samplers and memory
# ---------------------------------------------------------------------------


def test_alias_sampler_quality_and_memory_limit(karate):
    G, y = karate
    X = Node2VecEmbedder(
        n_components=16, p=0.5, q=2.0, sampler="alias", random_state=0
    ).fit_transform(G)
    acc = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=5).mean()
    assert acc >= 0.9
    with pytest.raises(ValueError, match=r"needs 0.0 MiB.*alias_memory_limit"):
        Node2VecEmbedder(**SMALL, p=0.5, sampler="alias", alias_memory_limit=100).fit(G)
    # p = q = 1 needs no second-order table: the limit does not apply
    Node2VecEmbedder(**SMALL, sampler="alias", alias_memory_limit=0).fit(G)


def test_hub_graph_needs_no_sum_deg_squared_memory():
    """A star with 30,000 leaves: alias tables would take 7 GB; rejection
    sampling walks it in O(|E|) memory."""
    from skembed._graph import _walk_kernels as _walks

    G = nx.star_graph(30_000)
    A, _ = check_graph(G)
    assert _walks.alias_table_bytes(*graph_arrays(A)) > 7e9
    est = Node2VecEmbedder(n_components=4, walk_length=10, n_walks=1, p=0.5, q=2.0,
                           random_state=0)
    assert est.fit(G).embedding_.shape == (30_001, 4)
    with pytest.raises(ValueError, match="MiB of second-order alias tables"):
        clone(est).set_params(sampler="alias").fit(G)


def test_memory_true_caches_in_every_mode_and_modes_do_not_leak(karate, monkeypatch):
    G, _ = karate
    calls = []
    learn = _node2vec._node2vec_learn

    def counting(A, params, random_state, n_jobs, verbose, name):
        calls.append(1)
        return learn(A, params, random_state, n_jobs, verbose, name)

    monkeypatch.setattr(_node2vec, "_node2vec_learn", counting)
    est = Node2VecEmbedder(**SMALL, memory=True)
    a = est.fit_transform(G)
    b = clone(est).fit_transform(G)
    np.testing.assert_array_equal(a, b)
    assert len(calls) == 1
    Node2VecEmbedder(**SMALL).fit(G)  # memory=None, graph=None: not cached
    assert len(calls) == 2
    # an adjacency fit then an id-mode fit: no stale n_features_in_
    est = Node2VecEmbedder(**SMALL).fit(nx.to_numpy_array(G))
    assert est.n_features_in_ == 34
    est.set_params(graph=G).fit(np.arange(34))
    assert not hasattr(est, "n_features_in_")


def test_clone_shares_the_graph_instead_of_deep_copying_it(karate):
    G, _ = karate
    est = Node2VecEmbedder(graph=G, p=0.5).set_output(transform="pandas")
    new = clone(est)
    assert new.graph is G and new.p == 0.5 and est.graph is G
    assert new.get_params()["graph"] is G
    assert new._sklearn_output_config == {"transform": "pandas"}
    assert clone(Node2VecEmbedder()).graph is None


def test_walk_blocks_concatenate_to_the_same_walks(karate, monkeypatch):
    A, _ = check_graph(karate[0])

    def all_ids():
        corpus = _node2vec._WalkCorpus(A, 20, 3, 0.5, 2.0, 11, 5, 1)
        counts = corpus.count()
        return counts, np.concatenate([ids for _, ids in corpus])

    counts, ids = all_ids()
    monkeypatch.setattr(_node2vec, "WALK_BLOCK_TOKENS", 100)  # 5 walks a block
    monkeypatch.setattr(_node2vec, "KEEP_WALK_BYTES", 0)  # stream every pass
    counts2, ids2 = all_ids()
    np.testing.assert_array_equal(ids, ids2)
    np.testing.assert_array_equal(counts, counts2)
    assert counts.sum() == 34 * 3 * 20


def test_adjacency_rows_of_the_training_matrix_are_the_fitted_nodes():
    """fit(A).transform(A) == fit_transform(A), for any subset or order of
    the training rows, also given as lists; other rows are new nodes."""
    rng = np.random.RandomState(0)
    A = (rng.rand(12, 12) < 0.4).astype(float)
    A = np.maximum(A, A.T)
    np.fill_diagonal(A, 0)
    est = Node2VecEmbedder(n_components=4, walk_length=6, n_walks=3, random_state=0)
    full = est.fit_transform(A)
    np.testing.assert_array_equal(est.transform(A), full)
    np.testing.assert_array_equal(est.transform(A[[5, 2]]), full[[5, 2]])
    np.testing.assert_array_equal(est.transform(A[[5, 2]].tolist()), full[[5, 2]])
    new = np.zeros((1, 12))
    new[0, [1, 3]] = 1.0  # links to nodes 1 and 3 only
    np.testing.assert_allclose(est.transform(new)[0], full[[1, 3]].mean(axis=0),
                               rtol=1e-5)


def test_hierarchical_softmax_option(karate):
    """hs=True (DeepWalk's objective; with negative=5 as OpenNE's gensim
    call) trains reproducibly and separates the two factions."""
    G, y = karate
    kw = dict(n_components=16, random_state=0)
    for extra in (dict(hs=True), dict(hs=True, negative=0)):
        a = DeepWalkEmbedder(**kw, **extra).fit_transform(G)
        b = DeepWalkEmbedder(**kw, **extra).fit_transform(G)
        np.testing.assert_array_equal(a, b)
        assert cross_val_score(LogisticRegression(), a, y, cv=3).mean() > 0.8
    assert not np.array_equal(a, DeepWalkEmbedder(**kw).fit_transform(G))
    with pytest.raises(ValueError, match="negative: 0"):
        Node2VecEmbedder(negative=0, **kw).fit(G)


@pytest.mark.parametrize("cls", [Node2VecEmbedder, DeepWalkEmbedder])
def test_shared_negatives_false_draws_per_pair(cls):
    """shared_negatives=False reaches the engine (fresh negatives per pair:
    other vectors), stays deterministic, and is part of the cache key."""
    G = nx.karate_club_graph()
    params = dict(n_components=8, walk_length=20, n_walks=5, n_epochs=2,
                  sample=0, hs=False, random_state=0)
    shared = cls(**params).fit_transform(G)
    fresh = cls(shared_negatives=False, **params).fit_transform(G)
    again = cls(shared_negatives=False, **params).fit_transform(G)
    np.testing.assert_array_equal(fresh, again)
    assert not np.array_equal(shared, fresh)
    assert "shared_negatives" in cls._learn_params
    with pytest.raises(ValueError, match="shared_negatives"):
        cls(shared_negatives="yes").fit(G)


@pytest.mark.parametrize("cls", [Node2VecEmbedder, DeepWalkEmbedder])
def test_shared_negatives_every_k_pairs(cls):
    """shared_negatives=k (>= 2) draws fresh negatives every k pairs: other
    vectors than True and False, deterministic; 0, 1 and negative ints are
    refused (1 would read as True), numpy booleans accepted."""
    G = nx.karate_club_graph()
    params = dict(n_components=8, walk_length=20, n_walks=5, n_epochs=2,
                  sample=0, hs=False, random_state=0)
    every4 = cls(shared_negatives=4, **params).fit_transform(G)
    np.testing.assert_array_equal(
        every4, cls(shared_negatives=4, **params).fit_transform(G)
    )
    for other in (True, False):
        assert not np.array_equal(
            every4, cls(shared_negatives=other, **params).fit_transform(G)
        )
    np.testing.assert_array_equal(
        cls(shared_negatives=np.bool_(False), **params).fit_transform(G),
        cls(shared_negatives=False, **params).fit_transform(G),
    )
    for bad in (0, 1, -3, 2.5):
        with pytest.raises(ValueError, match="shared_negatives"):
            cls(shared_negatives=bad, **params).fit(G)


@pytest.mark.parametrize("cls", [Node2VecEmbedder, DeepWalkEmbedder])
def test_walk_embedders_train_as_gensim_orders_it(cls, monkeypatch):
    """The walk embedders hand WALK_INIT_SCALE (2: gensim's start) and
    WALK_OUTPUT_PER_PAIR (True: output vectors updated after every pair, as
    gensim) to the engine (see their comments for what was measured), and
    both matter."""
    seen = []
    train = _node2vec.train_sgns

    def spy(*args, **kwargs):
        seen.append((kwargs.get("init_scale"), kwargs.get("output_per_pair")))
        return train(*args, **kwargs)

    monkeypatch.setattr(_node2vec, "train_sgns", spy)
    G = nx.karate_club_graph()
    params = dict(n_components=8, walk_length=20, n_walks=5, random_state=0)
    default = cls(**params).fit_transform(G)
    assert seen == [(2.0, True)]
    assert (_node2vec.WALK_INIT_SCALE, _node2vec.WALK_OUTPUT_PER_PAIR) == (
        2.0, True,
    )
    monkeypatch.setattr(_node2vec, "WALK_INIT_SCALE", 1.0)
    word2vec_start = cls(**params).fit_transform(G)
    assert not np.array_equal(default, word2vec_start)
    monkeypatch.setattr(_node2vec, "WALK_OUTPUT_PER_PAIR", False)
    assert not np.array_equal(word2vec_start, cls(**params).fit_transform(G))
