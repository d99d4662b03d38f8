"""Drivers of document vectors: PV-DBOW training and inference.

PHASE A STAND-IN: ``train_dbow`` mirrors :func:`skembed._base.train_sgns`
and is to be folded into it (a ``documents=`` option) once the engine has
moved to ``skembed/_engine/``; ``infer_dbow`` stays a driver of its own.
"""

import sys
import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from . import _doc2vec_kernels, _kernels
from ._base import _as_blocks, _init_vectors, chunk_starts
from ._validation import effective_threads, numba_threads
from ._vocab import keep_probabilities, noise_distribution

__all__ = ["DBOWResult", "infer_dbow", "train_dbow"]

#: document vectors start uniform in ``[-0.5, 0.5) * DOC_INIT_SCALE / dim``.
#: The output layer starts at zero, so early updates of both are proportional
#: to the document vectors: with word2vec's ``[-0.5, 0.5) / dim`` (scale 1) a
#: short document's vector barely moves for the first epochs. On 8,614
#: tweets (PV-DBOW, 10 epochs, 5-fold CV, device label) scale 1 gave accuracy
#: 0.544 (the majority class), gensim 4's ``[-1, 1) / dim`` (scale 2) 0.583
#: (gensim itself: 0.584), scale 8 0.720; at 20 epochs 0.733, 0.752 (gensim
#: 0.751) and 0.774. See /work/notes/text/DOC2VEC.md.
DOC_INIT_SCALE = 8.0


@dataclass
class DBOWResult:
    d_in: np.ndarray
    w_in: np.ndarray
    w_out: np.ndarray
    loss_curve: list
    n_words: int
    n_pairs: int
    seconds: float


def train_dbow(
    corpus,
    counts,
    n_documents,
    *,
    n_components=100,
    train_words=False,
    window=5,
    negative=5,
    ns_exponent=0.75,
    sample=1e-3,
    n_epochs=10,
    learning_rate=0.025,
    min_learning_rate=1e-4,
    random_state=None,
    n_jobs=None,
    verbose=0,
    total_tokens=None,
    name="PV-DBOW",
):
    """Train PV-DBOW document vectors (and, with ``train_words``, skip-gram
    word vectors sharing the output layer) on an integer corpus whose
    sentences are the documents, in order."""
    rng = check_random_state(random_state)
    counts = np.asarray(counts, dtype=np.int64)
    n_tokens = counts.shape[0]
    w_in = _init_vectors(rng, n_tokens, n_components)
    d_in = _init_vectors(rng, n_documents, n_components)
    d_in *= np.float32(DOC_INIT_SCALE)
    w_out = np.zeros((n_tokens, n_components), dtype=np.float32)
    keep = keep_probabilities(counts, sample)
    nprob, nalias = _kernels.alias_table(noise_distribution(counts, ns_exponent))
    sig, logsig = _kernels.sigmoid_tables()
    seed = np.uint64(rng.randint(1, np.iinfo(np.int64).max, dtype=np.int64))
    per_epoch = int(total_tokens if total_tokens is not None else counts.sum())
    total = float(max(per_epoch * n_epochs, 1))
    threads = effective_threads(n_jobs)
    epoch_fn = (
        _doc2vec_kernels.dbow_epoch_parallel
        if threads > 1
        else _doc2vec_kernels.dbow_epoch_serial
    )
    blocks = _as_blocks(corpus)
    loss_curve = []
    n_words_total = n_pairs_total = 0
    seconds = 0.0
    with numba_threads(n_jobs):
        for epoch in range(n_epochs):
            t0 = time.perf_counter()
            epoch_loss = 0.0
            epoch_pairs = epoch_words = 0
            pos = epoch * per_epoch
            chunk_index = 0
            doc0 = 0
            for indptr, ids in blocks:
                indptr = np.ascontiguousarray(indptr, dtype=np.int64)
                ids = np.ascontiguousarray(ids, dtype=np.int32)
                n_block_docs = indptr.shape[0] - 1
                if n_block_docs < 1 or ids.shape[0] == 0:
                    doc0 += max(n_block_docs, 0)
                    continue
                starts = chunk_starts(indptr)
                n_chunks = starts.shape[0] - 1
                sizes = indptr[starts[1:]] - indptr[starts[:-1]]
                chunk_pos = pos + np.concatenate(([0], np.cumsum(sizes)[:-1]))
                chunk_seeds = np.array(
                    [
                        _kernels.seed_for(seed, epoch, chunk_index + c)
                        for c in range(n_chunks)
                    ],
                    dtype=np.uint64,
                )
                max_len = int(np.diff(indptr).max())
                losses = np.zeros(n_chunks, dtype=np.float64)
                pairs = np.zeros(n_chunks, dtype=np.int64)
                words = np.zeros(n_chunks, dtype=np.int64)
                epoch_fn(
                    indptr, ids, starts, chunk_pos.astype(np.int64), chunk_seeds,
                    doc0, d_in, w_in, w_out, keep, nprob, nalias,
                    bool(train_words), int(window), int(negative),
                    float(learning_rate), float(min_learning_rate), total, sig,
                    logsig, max_len, losses, pairs, words, threads,
                )
                epoch_loss += losses.sum()
                epoch_pairs += int(pairs.sum())
                epoch_words += int(words.sum())
                pos += int(indptr[-1] - indptr[0])
                chunk_index += n_chunks
                doc0 += n_block_docs
            elapsed = time.perf_counter() - t0
            seconds += elapsed
            mean_loss = epoch_loss / epoch_pairs if epoch_pairs else float("nan")
            loss_curve.append(float(mean_loss))
            n_words_total += epoch_words
            n_pairs_total += epoch_pairs
            if epoch_words == 0 and epoch == 0:
                warnings.warn(
                    f"{name}: the first epoch saw no training token.",
                    RuntimeWarning,
                    stacklevel=2,
                )
            if verbose:
                print(
                    f"[{name}] epoch {epoch + 1}/{n_epochs}  loss={mean_loss:.4f}  "
                    f"words/s={epoch_words / max(elapsed, 1e-9):,.0f}  "
                    f"threads={threads}",
                    file=sys.stdout,
                    flush=True,
                )
    return DBOWResult(
        d_in, w_in, w_out, loss_curve, n_words_total, n_pairs_total, seconds
    )


def infer_dbow(
    blocks,
    w_out,
    counts,
    out,
    *,
    seed,
    negative=5,
    ns_exponent=0.75,
    sample=1e-3,
    n_epochs=10,
    learning_rate=0.025,
    min_learning_rate=1e-4,
    n_jobs=None,
):
    """Infer document vectors against the frozen output layer ``w_out``.

    ``blocks`` yields ``(doc0, doc1), (indptr, ids)``; rows ``doc0:doc1`` of
    ``out`` are written. Each document is seeded from ``seed`` and its own
    token ids, so the result is bit-identical for any ``n_jobs``, block size
    or document order. Returns ``out``.
    """
    keep = keep_probabilities(counts, sample)
    nprob, nalias = _kernels.alias_table(noise_distribution(counts, ns_exponent))
    sig, logsig = _kernels.sigmoid_tables()
    threads = effective_threads(n_jobs)
    fn = (
        _doc2vec_kernels.dbow_infer_parallel
        if threads > 1
        else _doc2vec_kernels.dbow_infer_serial
    )
    with numba_threads(n_jobs):
        for (d0, d1), (indptr, ids) in blocks:
            fn(
                np.ascontiguousarray(indptr, dtype=np.int64),
                np.ascontiguousarray(ids, dtype=np.int32),
                out[d0:d1], w_out, keep, nprob, nalias, int(negative),
                int(n_epochs), float(learning_rate), float(min_learning_rate),
                np.uint64(seed), sig, logsig, threads,
            )
    return out
