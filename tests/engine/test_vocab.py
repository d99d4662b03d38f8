from collections import Counter

import numpy as np
import pytest

from skembed._engine._vocab import (
    build_vocabulary,
    count_tokens,
    encode,
    keep_probabilities,
    noise_distribution,
)


def test_count_tokens_counts_and_streams():
    counts, n = count_tokens([["a", "b", "a"], ["c"], []])
    assert counts == Counter({"a": 2, "b": 1, "c": 1})
    assert n == 4
    counts, n = count_tokens([["a"]], counts)
    assert counts["a"] == 3 and n == 1


def test_count_tokens_prunes_like_word2vec():
    seqs = [["common"] * 5 + [f"rare{i}"] for i in range(10)]
    counts, _ = count_tokens(seqs, max_vocab_size=3)
    assert counts["common"] == 50
    assert len(counts) <= 4


def test_build_vocabulary_orders_by_count_then_first_seen():
    counts, _ = count_tokens([["b", "a", "c", "a", "d", "b", "e"]])
    vocab = build_vocabulary(counts, min_count=1)
    assert vocab.index_to_key == ["b", "a", "c", "d", "e"]
    assert vocab.counts.tolist() == [2, 2, 1, 1, 1]
    assert vocab.key_to_index["c"] == 2
    assert build_vocabulary(counts, min_count=2).index_to_key == ["b", "a"]
    assert build_vocabulary(counts, max_final_vocab=3).index_to_key == ["b", "a", "c"]
    assert len(build_vocabulary(counts, min_count=9)) == 0


def test_encode_drops_unknown_tokens():
    indptr, ids = encode([["a", "x", "b"], ["x"], ["b"]], {"a": 0, "b": 1})
    assert indptr.dtype == np.int64 and ids.dtype == np.int32
    assert indptr.tolist() == [0, 2, 2, 3]
    assert ids.tolist() == [0, 1, 1]
    indptr, ids = encode([["a"], ["x"]], {"a": 0}, drop_empty=True)
    assert indptr.tolist() == [0, 1]


def test_keep_probabilities_word2vec_formula():
    counts = np.array([1000, 100, 10, 1])
    p = keep_probabilities(counts, 1e-2)
    t = 1e-2 * counts.sum()
    expected = np.minimum((np.sqrt(counts / t) + 1) * t / counts, 1)
    np.testing.assert_allclose(p, expected, rtol=1e-6)
    assert p[0] < 1 and p[-1] == 1
    assert np.all(keep_probabilities(counts, 0) == 1)


def test_noise_distribution_exponents():
    counts = np.array([8, 1, 0])
    p = noise_distribution(counts, 0.75)
    np.testing.assert_allclose(p, [8**0.75 / (8**0.75 + 1), 1 / (8**0.75 + 1), 0])
    p = noise_distribution(counts, -0.5)  # favours rare tokens
    assert p[1] > p[0] and p[2] == 0
    np.testing.assert_allclose(noise_distribution(counts, 0), [0.5, 0.5, 0])
    with pytest.raises(ValueError, match="no token has a positive count"):
        noise_distribution(np.zeros(3), 0.75)
