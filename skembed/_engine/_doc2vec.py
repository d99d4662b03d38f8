"""Inference driver of document vectors (PV-DBOW).

Training is :func:`skembed._engine._driver.train_sgns` with ``documents=``;
this module infers vectors for new documents against a frozen output layer.
Arrays in, arrays out, no validation.
"""

import numpy as np

from .._validation import effective_threads, numba_threads
from . import _doc2vec_kernels, _random, _sgns_kernels
from ._vocab import keep_probabilities, noise_distribution

__all__ = ["infer_documents"]


#: with in-task progress, documents inferred per thread between two reports
INFER_PART_DOCS = 256


def infer_documents(
    blocks,
    w_out,
    counts,
    out,
    *,
    seed,
    negative=5,
    ns_exponent=0.75,
    sample=1e-3,
    n_epochs=20,
    learning_rate=0.025,
    min_learning_rate=1e-4,
    n_jobs=None,
    progress=None,
):
    """Infer PV-DBOW document vectors against the frozen output layer.

    Parameters
    ----------
    blocks : iterable of ((doc0, doc1), (indptr, ids))
        CSR blocks of known word ids (as ``_BlockCorpus.blocks()`` yields
        them); rows ``doc0:doc1`` of ``out`` are written.
    w_out : ndarray of float32, shape (n_words, n_components)
        Output vectors, only read.
    counts : ndarray of int64, shape (n_words,)
        Training counts (subsampling and noise, as in training).
    out : ndarray of float32, shape (n_documents, n_components)
        Filled in place and returned.
    seed : int
        Model seed. Each document's stream is seeded from it and the
        document's own ids, so the result is bit-identical for any
        ``n_jobs``, block size, batch or document order.
    negative, ns_exponent, sample : as in training
    n_epochs : int
        Passes over each document.
    learning_rate, min_learning_rate : float
        Linear decay over each document's passes.
    n_jobs : int or None
        Threads over documents (they share nothing but the read-only
        ``w_out``).
    progress : skembed._progress.Progress, optional
        Sees the task "inference", in documents; with in-task progress the
        blocks are inferred in parts (the same result: documents are
        independent).

    Returns
    -------
    out
    """
    keep = keep_probabilities(counts, sample)
    nprob, nalias = _random.alias_table(noise_distribution(counts, ns_exponent))
    sig, logsig = _sgns_kernels.sigmoid_tables()
    threads = effective_threads(n_jobs)
    infer = (
        _doc2vec_kernels.dbow_infer_parallel
        if threads > 1
        else _doc2vec_kernels.dbow_infer_serial
    )
    detailed = progress is not None and progress.detailed
    if progress is not None:
        progress.start("inference", out.shape[0], unit="documents")
    with numba_threads(n_jobs):
        for (d0, d1), (indptr, ids) in blocks:
            indptr = np.ascontiguousarray(indptr, dtype=np.int64)
            ids = np.ascontiguousarray(ids, dtype=np.int32)
            n = d1 - d0
            step = max(-(-n // 20), INFER_PART_DOCS * threads) if detailed else n
            for a in range(0, n, max(step, 1)):
                b = min(a + step, n)
                infer(
                    indptr[a : b + 1], ids, out[d0 + a : d0 + b], w_out, keep,
                    nprob, nalias, int(negative), int(n_epochs),
                    float(learning_rate), float(min_learning_rate),
                    np.uint64(seed), sig, logsig, threads,
                )
                if progress is not None:
                    progress.advance(d0 + b)
    if progress is not None:
        progress.finish()
    return out
