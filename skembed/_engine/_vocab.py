"""Vocabulary building: counting, pruning, encoding, subsampling, noise.

The engine only sees integer ids. This module turns sequences of hashable
tokens (words, item ids, node ids) into a vocabulary and a CSR corpus
``(indptr int64, ids int32)``, and derives the per-token arrays the kernels
need: keep probabilities for frequent-token subsampling and the noise
distribution for negative sampling.
"""

from array import array
from collections import Counter

import numpy as np

from .._fitted import expect

__all__ = [
    "Vocabulary",
    "build_vocabulary",
    "count_tokens",
    "encode",
    "keep_probabilities",
    "noise_distribution",
]


def count_tokens(sequences, counts=None, *, max_vocab_size=None, min_reduce=1):
    """Count tokens over an iterable of sequences (one pass, streaming).

    Parameters
    ----------
    sequences : iterable of iterables of hashable
    counts : Counter, default=None
        Counts to add to (for several passes over chunks).
    max_vocab_size : int, default=None
        If the number of distinct tokens exceeds this during counting, the
        rarest ones are pruned, as word2vec.c and gensim do: tokens with count
        ``<= min_reduce`` are dropped and ``min_reduce`` grows by one each
        time. Bounds memory on huge corpora; exact counts otherwise.

    Returns
    -------
    counts : Counter
    n_tokens : int
        Total number of tokens seen (pruned ones included).
    """
    counts = Counter() if counts is None else counts
    n_tokens = 0
    for seq in sequences:
        counts.update(seq)
        n_tokens += len(seq)
        if max_vocab_size is not None and len(counts) > max_vocab_size:
            for key in [k for k, c in counts.items() if c <= min_reduce]:
                del counts[key]
            min_reduce += 1
    return counts, n_tokens


class Vocabulary:
    """Tokens kept for training, ordered by decreasing count.

    Attributes
    ----------
    index_to_key : list
        Token of each row.
    key_to_index : dict
        Row of each token.
    counts : ndarray of int64
        Training-corpus count of each row.
    """

    def __init__(self, index_to_key, counts):
        self.index_to_key = list(index_to_key)
        self.key_to_index = {k: i for i, k in enumerate(self.index_to_key)}
        self.counts = np.asarray(counts, dtype=np.int64)

    def __len__(self):
        return len(self.index_to_key)

    def _persist_state(self):
        """What :func:`skembed.save_model` stores (see :mod:`skembed._fitted`)."""
        return {"index_to_key": self.index_to_key, "counts": self.counts}

    @classmethod
    def _persist_build(cls, state, path):
        return cls(
            expect(state.get("index_to_key"), list, f"{path}.index_to_key"),
            expect(state.get("counts"), np.ndarray, f"{path}.counts"),
        )


def build_vocabulary(counts, *, min_count=1, max_final_vocab=None):
    """Keep tokens seen at least ``min_count`` times, most frequent first.

    Ties keep the order in which ``counts`` lists them (first appearance for
    a ``Counter`` filled in corpus order), so the result is deterministic.
    ``max_final_vocab`` keeps only the most frequent ones.
    """
    kept = [(k, c) for k, c in counts.items() if c >= min_count]
    # stable sort: ties keep first-appearance order
    kept.sort(key=lambda kc: -kc[1])
    if max_final_vocab is not None:
        kept = kept[:max_final_vocab]
    return Vocabulary([k for k, _ in kept], [c for _, c in kept])


def encode(sequences, key_to_index, *, drop_empty=False):
    """Map sequences of tokens to a CSR corpus, dropping unknown tokens.

    Returns
    -------
    indptr : ndarray of int64, shape (n_sequences + 1,)
    ids : ndarray of int32, shape (indptr[-1],)
    """
    get = key_to_index.get
    lengths = array("q")
    flat = array("i")  # 4 bytes a token, not a Python int object each
    for seq in sequences:
        row = [i for i in map(get, seq) if i is not None]
        if drop_empty and not row:
            continue
        lengths.append(len(row))
        flat.extend(row)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(lengths, dtype=np.int64), out=indptr[1:])
    return indptr, np.frombuffer(flat, dtype=np.int32).copy()


def keep_probabilities(counts, sample):
    """Probability of keeping each token under frequent-token subsampling.

    The word2vec formula (as in word2vec.c and gensim): with ``f`` the
    token's count and ``t = sample * total``,
    ``p_keep = (sqrt(f / t) + 1) * t / f``, capped at 1. ``sample=0`` (or
    ``None``) keeps everything.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if not sample or counts.size == 0:
        return np.ones(counts.shape, dtype=np.float32)
    threshold = float(sample) * counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (np.sqrt(counts / threshold) + 1.0) * threshold / counts
    p = np.where(counts > 0, p, 1.0)
    return np.minimum(p, 1.0).astype(np.float32)


def noise_distribution(counts, ns_exponent=0.75):
    """Negative-sampling distribution ``count ** ns_exponent``, normalised.

    Negative exponents (favouring rare tokens, as some recommendation papers
    do) and 0 (uniform) are allowed. Tokens with zero count get zero mass.
    """
    counts = np.asarray(counts, dtype=np.float64)
    weights = np.zeros_like(counts)
    seen = counts > 0
    weights[seen] = counts[seen] ** float(ns_exponent)
    total = weights.sum()
    if total <= 0 or not np.isfinite(total):
        raise ValueError(
            "Cannot build the negative-sampling distribution: no token has a "
            "positive count (is the training corpus empty?)."
        )
    return weights / total
