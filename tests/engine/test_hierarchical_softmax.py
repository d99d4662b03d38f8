"""Hierarchical softmax in the SGNS engine (issue #15: DeepWalk's and
OpenNE's objective, word2vec.c's ``-hs 1``)."""

import heapq

import numpy as np
import pytest

from skembed._engine import _sgns_kernels as _kernels
from skembed._engine._driver import train_sgns
from tests.conftest import planted_synonym_corpus
from tests.engine.test_sgns_kernels import _topic_precision, reference_step


@pytest.mark.parametrize("n", [1, 2, 3, 17, 1000])
def test_huffman_tree_is_optimal_prefix_free_and_deterministic(n):
    counts = np.random.default_rng(n).integers(0, 1000, n).astype(np.int64)
    indptr, points, codes = _kernels.huffman_tree(counts)
    lengths = np.diff(indptr)
    heap = counts.tolist()
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        a, b = heapq.heappop(heap), heapq.heappop(heap)
        cost += a + b
        heapq.heappush(heap, a + b)
    assert int((counts * lengths).sum()) == cost  # an optimal code
    paths = {tuple(codes[indptr[t]:indptr[t + 1]]) for t in range(n)}
    assert len(paths) == n  # distinct codes
    if n > 1:
        assert points.min() == 0 and points.max() == n - 2
        assert all(points[indptr[t]] == n - 2 for t in range(n))  # root first
    again = _kernels.huffman_tree(counts)
    for a, b in zip(again, (indptr, points, codes)):
        np.testing.assert_array_equal(a, b)


def test_hs_update_matches_numpy_reference():
    """Sentence [0, 1], window 1, hierarchical softmax alone (negative=0)."""
    rng = np.random.RandomState(0)
    dim = 8
    w_in0 = rng.normal(scale=0.3, size=(3, dim)).astype(np.float32)
    counts = np.array([5, 3, 1])
    lr = 0.1
    res = train_sgns(
        (np.array([0, 2]), np.array([0, 1], dtype=np.int32)), counts,
        n_components=dim, window=1, shrink_window=False, negative=0, hs=True,
        sample=0, n_epochs=1, learning_rate=lr, min_learning_rate=lr,
        init=w_in0, random_state=0, total_tokens=2,
    )
    indptr, points, codes = _kernels.huffman_tree(counts)
    w_in = w_in0.astype(np.float64)
    w_hs = np.zeros((2, dim))
    loss = 0.0
    for centre, ctx in [(0, 1), (1, 0)]:
        neu1e = np.zeros(dim)
        for e in range(indptr[centre], indptr[centre + 1]):
            p, label = points[e], 1 - codes[e]
            g, pair_loss = reference_step(w_in[ctx], w_hs[p], label, lr)
            loss += pair_loss
            neu1e += g * w_hs[p]
            w_hs[p] += g * w_in[ctx]
        w_in[ctx] += neu1e
    np.testing.assert_allclose(res.w_in - w_in0, w_in - w_in0, atol=2e-3 * lr)
    np.testing.assert_allclose(res.w_hs, w_hs, atol=2e-3 * lr)
    assert res.loss_curve[0] == pytest.approx(loss / 2, rel=0.02)
    np.testing.assert_array_equal(res.w_out, 0)  # no negative sampling


@pytest.mark.parametrize(
    "params",
    [dict(sg=True, negative=0), dict(sg=True), dict(sg=False, negative=0),
     dict(sg=False)],
    ids=["sg-hs", "sg-hs+ns", "cbow-hs", "cbow-hs+ns"],
)
def test_hs_recovers_planted_topics(planted, params):
    (indptr, ids), vocab, topics = planted
    kw = dict(n_components=16, n_epochs=8, sample=0, random_state=0, hs=True)
    res = train_sgns((indptr, ids), vocab.counts, **kw, **params)
    assert res.loss_curve[-1] < res.loss_curve[0]
    assert _topic_precision(res.w_in, vocab, topics) >= 0.9
    again = train_sgns((indptr, ids), vocab.counts, **kw, **params)
    np.testing.assert_array_equal(res.w_in, again.w_in)
    assert res.w_hs.shape == (len(vocab.counts) - 1, 16)


def test_hs_errors(planted):
    (indptr, ids), vocab, _ = planted
    with pytest.raises(ValueError, match="negative: 0 .* needs hs=True"):
        train_sgns((indptr, ids), vocab.counts, negative=0)
    with pytest.raises(ValueError, match="hs=True .* not implemented"):
        train_sgns((indptr, ids), vocab.counts, hs=True, documents=3)


def test_word2vec_vectorizer_hs_parameter(planted):
    from skembed import FastTextVectorizer, Word2VecVectorizer

    sentences, topics = planted_synonym_corpus()
    docs = [" ".join(s) for s in sentences]
    kw = dict(n_components=16, n_epochs=8, sample=0, min_count=1, random_state=0)
    hs = Word2VecVectorizer(hs=True, negative=0, **kw).fit(docs)
    ns = Word2VecVectorizer(**kw).fit(docs)
    assert not np.array_equal(hs.wv_.vectors, ns.wv_.vectors)
    vocab = hs.wv_
    assert _topic_precision(hs.wv_.vectors, vocab, topics) >= 0.9
    with pytest.raises(ValueError, match="negative: 0"):
        Word2VecVectorizer(negative=0, **kw).fit(docs)
    assert "hs" not in FastTextVectorizer().get_params()
