"""Usability of every graph embedder (issue #15, newcomer trial): ``wv_`` and
``most_similar``, edge-list columns by name, a hint for node ids of the wrong
type, pandas output of ``transform`` indexed by node id, and the warning for
walk corpora too small to train."""

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError

from skembed import (
    DeepWalkEmbedder,
    KeyedVectors,
    LINEEmbedder,
    NetMFEmbedder,
    Node2VecEmbedder,
    ProNEEmbedder,
)

SMALL = dict(n_components=8, random_state=0)
EMBEDDERS = [
    lambda **kw: Node2VecEmbedder(walk_length=20, n_walks=10, sample=0, **SMALL, **kw),
    lambda **kw: DeepWalkEmbedder(walk_length=20, n_walks=10, sample=0, **SMALL, **kw),
    lambda **kw: LINEEmbedder(**SMALL, **kw),
    lambda **kw: ProNEEmbedder(**SMALL, **kw),
    lambda **kw: NetMFEmbedder(**SMALL, **kw),
]
IDS = ["node2vec", "deepwalk", "line", "prone", "netmf"]


@pytest.fixture(scope="module")
def karate():
    return nx.karate_club_graph()


@pytest.mark.parametrize("make", EMBEDDERS, ids=IDS)
def test_wv_and_most_similar(make, karate):
    est = make()
    with pytest.raises(NotFittedError):
        est.most_similar(0)
    assert not hasattr(est, "wv_")
    est.fit(karate)
    wv = est.wv_
    assert isinstance(wv, KeyedVectors)
    assert wv.index_to_key == list(range(34))
    assert wv.vectors is est.embedding_  # shared, not copied
    assert est.wv_ is wv  # built once
    nodes, scores = est.most_similar(33, topn=5)
    assert nodes.dtype == est.nodes_.dtype and scores.dtype == np.float32
    assert 33 not in nodes.tolist() and np.all(np.diff(scores) <= 0)
    ref = wv.most_similar(33, topn=5)
    assert nodes.tolist() == [k for k, _ in ref]
    np.testing.assert_allclose(scores, [s for _, s in ref], rtol=1e-6)
    assert est.similarity(0, 1) == pytest.approx(wv.similarity(0, 1))
    with pytest.raises(KeyError, match="convert them"):
        est.most_similar("33")
    with pytest.raises(ValueError, match="topn"):
        est.most_similar(33, topn=0)
    # a refit rebuilds it
    est.set_params(n_components=6).fit(karate)
    assert est.wv_.vector_size == 6


def test_wv_keys_are_the_node_ids():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
    est = DeepWalkEmbedder(n_components=4, walk_length=10, sample=0,
                           random_state=0).fit(edges)
    assert est.wv_.index_to_key == ["a", "b", "c", "d"]
    nodes, _ = est.most_similar("a", topn=2)
    assert set(nodes.tolist()) <= {"b", "c", "d"}


@pytest.mark.parametrize("make", EMBEDDERS, ids=IDS)
def test_edge_list_columns_by_name(make):
    frame = pd.DataFrame({
        "day": ["x"] * 6,
        "w": [1.0, 2.0, 1.0, 3.0, 1.0, 1.0],
        "dst": ["b", "c", "a", "d", "e", "a"],
        "src": ["a", "b", "c", "c", "d", "e"],
    })
    named = make(source_col="src", target_col="dst", weight_col="w").fit(frame)
    positional = make().fit(frame[["src", "dst", "w"]])
    assert named.nodes_.tolist() == positional.nodes_.tolist()
    np.testing.assert_array_equal(named.embedding_, positional.embedding_)
    unweighted = make(source_col="src", target_col="dst").fit(frame)
    np.testing.assert_array_equal(
        unweighted.embedding_, make().fit(frame[["src", "dst"]]).embedding_
    )
    with pytest.raises(ValueError, match="target_col: column 'nope'"):
        make(source_col="src", target_col="nope").fit(frame)
    with pytest.raises(ValueError, match="source_col, target_col"):
        make(weight_col="w").fit(frame)
    with pytest.raises(ValueError, match="source_col, target_col"):
        make(source_col="src").fit(frame)
    with pytest.raises(ValueError, match="source_col: expected a column label"):
        make(source_col=["src"], target_col="dst").fit(frame)


def test_columns_by_name_in_graph_mode_and_for_neighbours():
    frame = pd.DataFrame({"to": [1, 2, 0, 3], "from": [0, 1, 2, 2],
                          "n": [4, 4, 4, 4]})
    est = DeepWalkEmbedder(graph=frame, source_col="from", target_col="to",
                           walk_length=10, sample=0, handle_unknown="neighbors",
                           **SMALL)
    assert est.fit_transform([0, 3]).shape == (2, 8)
    new = pd.DataFrame({"to": [0, 1], "from": [9, 9], "n": [1, 1]})
    out = est.transform([9], graph=pd.concat([frame, new]))
    np.testing.assert_allclose(out[0], est.embedding_[[0, 1]].mean(0), rtol=1e-6)
    # a frame of more than three columns is an edge list when named
    wide = frame.assign(a=0, b=0)
    est2 = DeepWalkEmbedder(source_col="from", target_col="to", walk_length=10,
                            sample=0, **SMALL).fit(wide)
    assert est2.nodes_.tolist() == [0, 1, 2, 3]


def test_wrong_id_type_gets_a_hint(karate):
    est = DeepWalkEmbedder(walk_length=20, sample=0, **SMALL).fit(karate)
    with pytest.raises(ValueError, match=r"type int .* str .*astype\(int\)"):
        est.transform(["0", "33"])
    edges = [("0", "1"), ("1", "2")]
    est = DeepWalkEmbedder(walk_length=10, sample=0, **SMALL).fit(edges)
    with pytest.raises(ValueError, match=r"astype\(str\)"):
        est.transform([0, 1])
    with pytest.raises(ValueError) as info:  # a truly unknown id: no hint
        est.transform(["7"])
    assert "convert" not in str(info.value)
    with pytest.raises(ValueError, match=r"astype\(str\)"):
        DeepWalkEmbedder(graph=edges, walk_length=10, sample=0, **SMALL).fit([0])


@pytest.mark.parametrize("make", EMBEDDERS, ids=IDS)
def test_transform_pandas_output_is_indexed_by_node(make, karate):
    est = make().set_output(transform="pandas").fit(karate)
    full = est.fit_transform(karate)
    out = est.transform([33, 0, 33])
    assert isinstance(out, pd.DataFrame)
    assert out.index.tolist() == [33, 0, 33]
    pd.testing.assert_frame_equal(out.iloc[:2], full.loc[[33, 0]])
    # a Series keeps its own index (row alignment in a pipeline)
    s = pd.Series([0, 33], index=["x", "y"])
    assert est.transform(s).index.tolist() == ["x", "y"]
    # graph= mode: fit_transform(ids) is transform(ids)
    est2 = make(graph=karate).set_output(transform="pandas")
    assert est2.fit_transform(np.array([5, 6])).index.tolist() == [5, 6]


def test_string_ids_index():
    edges = [("a", "b"), ("b", "c")]
    est = DeepWalkEmbedder(walk_length=10, sample=0, **SMALL)
    est.set_output(transform="pandas").fit(edges)
    out = est.transform(np.array(["c", "a"]))
    assert out.index.tolist() == ["c", "a"]


def test_small_walk_corpus_warns_naming_the_parameters(karate):
    # the old user-guide grid search: vectors nearly untrained
    with pytest.warns(UserWarning, match="walk_length=20 x n_walks=10 x "
                      "n_epochs=1.*sample=0.001"):
        Node2VecEmbedder(n_components=8, walk_length=20, random_state=0).fit(karate)
    for ok in (dict(), dict(walk_length=20, sample=0),
               dict(walk_length=20, n_epochs=5)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            DeepWalkEmbedder(n_components=8, random_state=0, **ok).fit(karate)
