"""numba kernels of document vectors: PV-DBOW training and inference.

PV-DBOW (Le & Mikolov 2014): a document's vector is the input of a
skip-gram-with-negative-sampling step that predicts each (subsampled) word of
the document through the shared output layer ``w_out``. With
``train_words``, the chunk first runs the engine's own skip-gram kernel
(:func:`skembed._engine._sgns_kernels._train_chunk`, window mode) over the same
documents, so word and document vectors share ``w_out`` -- gensim's
``dbow_words=1``.

Only numpy, numba and the engine's kernel helpers are imported. Randomness
comes from the engine's counter-based streams: training chunks are seeded by
``seed_for(seed, epoch, chunk)`` as in the engine; inference seeds each
document from the model seed and the document's own token ids
(:func:`content_seed`), so an inferred vector depends on nothing but the
fitted model and the document -- not on its position, its batch, the other
documents or the thread count.
"""

import numpy as np
from numba import njit, prange

from ._numba_config import CACHE
from ._random import next_random, seed_for, splitmix64, uniform
from ._sgns_kernels import (
    MODE_WINDOW,
    _kept,
    _negative_sampling,
    _sentence_lr,
    _train_chunk,
)

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
#: sub-stream of a training chunk that drives its interleaved word training
_WORDS_STREAM = 1


@njit(nogil=True, fastmath=True, inline="always")
def _dbow_step(dv, neu1e, w, w_out, nprob, nalias, negative, lr, state, sig,
               logsig, learn_out):
    """Document vector ``dv`` predicts word ``w`` against ``negative`` noise
    words: ``dv`` is updated in place, ``w_out`` too when ``learn_out``.
    Returns ``(state, loss)``."""
    dim = dv.shape[0]
    for d in range(dim):
        neu1e[d] = 0.0
    state, loss = _negative_sampling(
        dv, neu1e, w, w_out, nprob, nalias, negative, lr, state, sig, logsig,
        learn_out,
    )
    for d in range(dim):
        dv[d] += neu1e[d]
    return state, loss


@njit(nogil=True, fastmath=True, inline="always")
def _dbow_document(dv, neu1e, ids, start, stop, keep, w_out, nprob, nalias,
                   negative, lr, state, sig, logsig, learn_out, loss):
    """One pass of document vector ``dv`` over its tokens
    ``ids[start:stop]``: each token kept by subsampling is one
    :func:`_dbow_step`. Shared by training (``learn_out``) and inference.
    Adds each pair's loss to ``loss`` (same summation order as a loop
    written out); returns ``(state, loss, n_kept)``."""
    n_kept = 0
    for t in range(start, stop):
        w = ids[t]
        kept, state = _kept(w, keep, state)
        if not kept:
            continue
        state, pair_loss = _dbow_step(
            dv, neu1e, w, w_out, nprob, nalias, negative, lr, state, sig,
            logsig, learn_out,
        )
        loss += pair_loss
        n_kept += 1
    return state, loss, n_kept


@njit(nogil=True, fastmath=True, cache=CACHE)
def _dbow_chunk(
    indptr, ids, s_begin, s_end, doc0, d_in, w_in, w_out, keep, nprob, nalias,
    train_words, window, negative, lr0, lr_min, pos0, total, seed, sig, logsig,
    buf, targets, grad, neu1, neu1e,
):
    """Train documents ``[s_begin, s_end)`` of a block (document ``s`` is
    row ``doc0 + s`` of ``d_in``); returns ``(loss, n_pairs, n_words)``.

    The learning rate decays with the raw token position as in the
    engine's kernel, so the schedule does not depend on the thread count.
    """
    loss = 0.0
    n_pairs = 0
    n_words = 0
    if train_words:
        loss, n_pairs, _ = _train_chunk(
            indptr, ids, s_begin, s_end, w_in, w_out, keep, nprob, nalias,
            True, MODE_WINDOW, window, True, negative, 0, False, lr0, lr_min,
            pos0, total, seed_for(seed, _WORDS_STREAM, 0), sig, logsig, buf,
            targets, grad, neu1, neu1e, 0, 0, np.empty(1, dtype=np.int64),
            False, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int8), np.zeros((1, 1), dtype=np.float32),
        )
    state = np.uint64(seed)
    pos = pos0
    lr_span = lr0 - lr_min
    for s in range(s_begin, s_end):
        start = indptr[s]
        stop = indptr[s + 1]
        lr = _sentence_lr(pos, total, lr0, lr_span)
        pos += stop - start
        state, loss, n_kept = _dbow_document(
            d_in[doc0 + s], neu1e, ids, start, stop, keep, w_out, nprob,
            nalias, negative, lr, state, sig, logsig, True, loss,
        )
        n_pairs += n_kept
        n_words += n_kept
    return loss, n_pairs, n_words


@njit(nogil=True, fastmath=True, cache=CACHE)
def _dbow_body(
    indptr, ids, starts, chunk_pos, chunk_seeds, doc0, d_in, w_in, w_out, keep,
    nprob, nalias, train_words, window, negative, lr0, lr_min, total, sig,
    logsig, max_len, c, losses, pairs, words,
):
    dim = w_out.shape[1]
    buf = np.empty(max(max_len, 1), dtype=np.int32)
    targets = np.empty(negative + 1, dtype=np.int64)
    grad = np.empty((negative + 1, dim), dtype=np.float32)
    neu1 = np.empty(dim, dtype=np.float32)
    neu1e = np.empty(dim, dtype=np.float32)
    loss, n_pairs, n_words = _dbow_chunk(
        indptr, ids, starts[c], starts[c + 1], doc0, d_in, w_in, w_out, keep,
        nprob, nalias, train_words, window, negative, lr0, lr_min,
        chunk_pos[c], total, chunk_seeds[c], sig, logsig, buf, targets, grad,
        neu1, neu1e,
    )
    losses[c] = loss
    pairs[c] = n_pairs
    words[c] = n_words


@njit(nogil=True, fastmath=True, cache=CACHE)
def dbow_epoch_serial(
    indptr, ids, starts, chunk_pos, chunk_seeds, doc0, d_in, w_in, w_out, keep,
    nprob, nalias, train_words, window, negative, lr0, lr_min, total, sig,
    logsig, max_len, losses, pairs, words, n_threads,
):
    """One PV-DBOW pass over a CSR block, chunk after chunk
    (bit-reproducible)."""
    for c in range(starts.shape[0] - 1):
        _dbow_body(
            indptr, ids, starts, chunk_pos, chunk_seeds, doc0, d_in, w_in,
            w_out, keep, nprob, nalias, train_words, window, negative, lr0,
            lr_min, total, sig, logsig, max_len, c, losses, pairs, words,
        )


@njit(nogil=True, fastmath=True, parallel=True, cache=CACHE)
def dbow_epoch_parallel(
    indptr, ids, starts, chunk_pos, chunk_seeds, doc0, d_in, w_in, w_out, keep,
    nprob, nalias, train_words, window, negative, lr0, lr_min, total, sig,
    logsig, max_len, losses, pairs, words, n_threads,
):
    """One PV-DBOW pass on ``n_threads`` lock-free (Hogwild) threads, chunks
    interleaved as in :func:`skembed._engine._sgns_kernels.sgns_epoch_parallel`."""
    n_chunks = starts.shape[0] - 1
    for t in prange(n_threads):
        for c in range(t, n_chunks, n_threads):
            _dbow_body(
                indptr, ids, starts, chunk_pos, chunk_seeds, doc0, d_in, w_in,
                w_out, keep, nprob, nalias, train_words, window, negative, lr0,
                lr_min, total, sig, logsig, max_len, c, losses, pairs, words,
            )


@njit(nogil=True, cache=CACHE)
def content_seed(seed, ids, start, stop):
    """Seed of the document ``ids[start:stop]``: a splitmix64 chain over
    the model seed, the length and every token id, so equal documents (as
    known-id sequences) get equal streams and any change gives another."""
    h = splitmix64(np.uint64(seed) ^ np.uint64(stop - start))
    for t in range(start, stop):
        h = splitmix64(h ^ (np.uint64(ids[t]) + _GOLDEN))
    return h


@njit(nogil=True, fastmath=True)
def _infer_document(
    indptr, ids, i, out, w_out, keep, nprob, nalias, negative, n_epochs, lr0,
    lr_min, seed, sig, logsig, neu1e,
):
    """Infer row ``i`` of ``out`` (frozen ``w_out``); returns the loss.

    The vector starts uniform in ``[-0.5, 0.5) / dim`` (word2vec's
    initialisation) and takes ``n_epochs`` passes over the document, the
    learning rate falling linearly from ``lr0`` to ``lr_min`` (gensim's
    ``infer_vector`` schedule). A document without a known token is zero.
    """
    dim = out.shape[1]
    start = indptr[i]
    stop = indptr[i + 1]
    dv = out[i]
    if stop == start:
        for d in range(dim):
            dv[d] = 0.0
        return 0.0
    state = content_seed(seed, ids, start, stop)
    for d in range(dim):
        state, z = next_random(state)
        dv[d] = (uniform(z) - 0.5) / dim
    loss = 0.0
    last = max(n_epochs - 1, 1)
    for epoch in range(n_epochs):
        lr = lr0 - (lr0 - lr_min) * epoch / last
        state, loss, _ = _dbow_document(
            dv, neu1e, ids, start, stop, keep, w_out, nprob, nalias, negative,
            lr, state, sig, logsig, False, loss,
        )
    return loss


@njit(nogil=True, fastmath=True, cache=CACHE)
def dbow_infer_serial(
    indptr, ids, out, w_out, keep, nprob, nalias, negative, n_epochs, lr0,
    lr_min, seed, sig, logsig, n_threads,
):
    """Infer every document of a CSR block into ``out``, one by one."""
    neu1e = np.empty(out.shape[1], dtype=np.float32)
    for i in range(indptr.shape[0] - 1):
        _infer_document(
            indptr, ids, i, out, w_out, keep, nprob, nalias, negative,
            n_epochs, lr0, lr_min, seed, sig, logsig, neu1e,
        )


@njit(nogil=True, fastmath=True, parallel=True, cache=CACHE)
def dbow_infer_parallel(
    indptr, ids, out, w_out, keep, nprob, nalias, negative, n_epochs, lr0,
    lr_min, seed, sig, logsig, n_threads,
):
    """:func:`dbow_infer_serial` on ``n_threads`` threads. ``w_out`` is only
    read and each document writes its own row from its own stream, so the
    result is bit-identical to the serial one."""
    n = indptr.shape[0] - 1
    dim = out.shape[1]
    for t in prange(n_threads):
        neu1e = np.empty(dim, dtype=np.float32)
        for i in range(t, n, n_threads):
            _infer_document(
                indptr, ids, i, out, w_out, keep, nprob, nalias, negative,
                n_epochs, lr0, lr_min, seed, sig, logsig, neu1e,
            )
