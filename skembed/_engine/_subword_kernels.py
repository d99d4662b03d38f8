"""numba kernels of subword (fastText) SGNS: n-gram hashing and training.

Only numpy, numba and the engine's kernel helpers. Layout:

* an input matrix ``w_in`` of ``n_words + n_ngram_rows`` rows: one row per
  vocabulary word, then one row per n-gram bucket in use;
* a CSR ``(sub_indptr int64, sub_ids int32)`` giving, for each word, the
  rows whose mean is its input vector: the word's own row first, then the
  rows of its character n-grams (duplicates kept, as fastText does).

n-grams are those of fastText (``Dictionary::computeSubwords``): of the
UTF-8 bytes of ``"<" + word + ">"``, every run of ``min_n`` .. ``max_n``
characters (a character is a lead byte and its continuation bytes), except
the lone ``"<"`` and ``">"``; hashed with fastText's FNV-1a variant (each
byte sign-extended from int8 before the xor) modulo ``bucket``.
"""

import numpy as np
from numba import njit, prange

from ._numba_config import CACHE
from ._random import alias_draw, next_random
from ._sgns_kernels import (
    _negative_sampling,
    _next_sentence,
    _pair_update,
    _window_bounds,
)

_FNV_OFFSET = np.uint64(2166136261)
_FNV_PRIME = np.uint64(16777619)
_M32 = np.uint64(0xFFFFFFFF)


@njit(nogil=True, inline="always")
def _sext(byte):
    """A byte as fastText mixes it in: ``uint32(int8(byte))`` (bytes >= 0x80
    sign-extended), as a uint64 below 2**32."""
    b = np.uint64(byte)
    if b >= np.uint64(0x80):
        b = b | np.uint64(0xFFFFFF00)
    return b


@njit(nogil=True, cache=CACHE)
def fnv1a_fasttext(data, start, stop):
    """fastText's hash of ``data[start:stop]`` (uint8): FNV-1a with each byte
    sign-extended (``uint32(int8(b))``) before the xor."""
    h = _FNV_OFFSET
    for k in range(start, stop):
        h = ((h ^ _sext(data[k])) * _FNV_PRIME) & _M32
    return h


@njit(nogil=True, cache=CACHE)
def _ngram_count(data, start, stop, min_n, max_n):
    n_out = 0
    for i in range(start, stop):
        if (data[i] & 0xC0) == 0x80:
            continue
        j = i
        n = 1
        while j < stop and n <= max_n:
            j += 1
            while j < stop and (data[j] & 0xC0) == 0x80:
                j += 1
            if n >= min_n and not (n == 1 and (i == start or j == stop)):
                n_out += 1
            n += 1
    return n_out


@njit(nogil=True, cache=CACHE)
def _ngram_fill(data, start, stop, min_n, max_n, bucket, out, pos):
    for i in range(start, stop):
        if (data[i] & 0xC0) == 0x80:
            continue
        h = _FNV_OFFSET
        j = i
        n = 1
        while j < stop and n <= max_n:
            # extend by one character, hashing its bytes incrementally
            h = ((h ^ _sext(data[j])) * _FNV_PRIME) & _M32
            j += 1
            while j < stop and (data[j] & 0xC0) == 0x80:
                h = ((h ^ _sext(data[j])) * _FNV_PRIME) & _M32
                j += 1
            if n >= min_n and not (n == 1 and (i == start or j == stop)):
                out[pos] = np.int64(h % np.uint64(bucket))
                pos += 1
            n += 1
    return pos


@njit(nogil=True, cache=CACHE)
def ngram_buckets(data, offsets, min_ns, max_ns, bucket, skip):
    """Bucket ids of the n-grams of each word, as a CSR.

    ``data[offsets[w]:offsets[w + 1]]`` holds the UTF-8 bytes of
    ``"<" + word + ">"``; word ``w`` has n-grams of ``min_ns[w]`` to
    ``max_ns[w]`` characters. Words with ``skip[w]`` get none (fastText's
    ``"</s>"``). Returns ``(indptr int64, buckets int64)``.
    """
    n = offsets.shape[0] - 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    for w in range(n):
        c = 0
        if not skip[w]:
            c = _ngram_count(data, offsets[w], offsets[w + 1], min_ns[w], max_ns[w])
        indptr[w + 1] = indptr[w] + c
    out = np.empty(indptr[n], dtype=np.int64)
    for w in range(n):
        if not skip[w]:
            _ngram_fill(data, offsets[w], offsets[w + 1], min_ns[w], max_ns[w],
                        bucket, out, indptr[w])
    return indptr, out


@njit(nogil=True, cache=CACHE)
def compose_vectors(sub_indptr, sub_ids, w_in, ngrams, out):
    """``out[w]`` = mean of the rows ``sub_ids[sub_indptr[w]:sub_indptr[w+1]]``
    (fastText's ``getWordVector``, float32 sums): row ``r`` is ``w_in[r]``
    for ``r < w_in.shape[0]``, else ``ngrams[r - w_in.shape[0]]`` (so a
    memory-mapped ``.bin`` needs no concatenation). Zero for a word without
    rows."""
    dim = out.shape[1]
    n_in = w_in.shape[0]
    acc = np.empty(dim, dtype=np.float32)
    for w in range(sub_indptr.shape[0] - 1):
        r0 = sub_indptr[w]
        r1 = sub_indptr[w + 1]
        for d in range(dim):
            acc[d] = 0.0
        for k in range(r0, r1):
            r = sub_ids[k]
            if r < n_in:
                for d in range(dim):
                    acc[d] += w_in[r, d]
            else:
                for d in range(dim):
                    acc[d] += ngrams[r - n_in, d]
        if r1 > r0:
            inv = np.float32(1.0) / np.float32(r1 - r0)
            for d in range(dim):
                out[w, d] = acc[d] * inv
        else:
            for d in range(dim):
                out[w, d] = 0.0


@njit(nogil=True, fastmath=True, cache=CACHE)
def _train_chunk_subword(
    indptr, ids, s_begin, s_end, sub_indptr, sub_ids, w_in, w_out, keep,
    nprob, nalias, sg, window, shrink, negative, shared_negatives,
    lr0, lr_min, pos0, total, seed, sig, logsig, buf, targets, neu1, neu1e,
    grad,
):
    """Subword SGNS over sentences ``[s_begin, s_end)``: (loss, pairs, words).

    Skip-gram (fastText's orientation): the centre word's hidden vector
    predicts each context word of its (randomly shrunk) window against
    ``negative`` noise words. The hidden vector is gensim ``FastText``'s:
    the sum of the word's own row and its n-gram rows divided by the number
    of n-grams (fastText divides by the number of rows, n-grams + 1); that
    is (n + 1) / n times the mean, most for short words, and measured
    +0.012 SimLex-999 over the mean (benchmarks/results/subword.md). Each
    pair's gradient goes, undivided, to every row; the rows are written
    once at the end of the window (one gather and one scatter of the ~20
    rows per centre instead of per pair), but the hidden vector moves by
    each pair's gradient before the next pair, so every pair sees the
    rows as fastText and gensim, which update them after each pair, do
    (exact unless a bucket occurs twice in the word). A pair whose score is
    beyond +-6 is skipped, as gensim does (the engine clips it, as
    word2vec.c): +0.005 SimLex-999 on the benchmark.

    CBOW: the mean of all rows of all context words predicts the centre;
    the gradient goes, undivided, to every one of those rows (fastText and
    gensim's ``cbow_mean=1``).
    """
    # The sentence loop's head and the shrunk window bounds are
    # _sgns_kernels._train_chunk's inline helpers (_next_sentence,
    # _window_bounds): the same draws in the same order as word2vec's.
    dim = w_in.shape[1]
    n_targets = negative + 1
    state = np.uint64(seed)
    loss = 0.0
    n_pairs = 0
    n_words = 0
    pos = pos0
    lr_span = lr0 - lr_min
    for s in range(s_begin, s_end):
        lr, m, pos, state = _next_sentence(
            s, indptr, ids, keep, buf, pos, total, lr0, lr_span, state
        )
        n_words += m
        if m < 2:
            continue
        for i in range(m):
            w = buf[i]
            lo, hi, state = _window_bounds(i, m, window, shrink, state)
            if sg:
                r0 = sub_indptr[w]
                r1 = sub_indptr[w + 1]
                for d in range(dim):
                    neu1[d] = 0.0
                    neu1e[d] = 0.0
                for k in range(r0, r1):
                    r = sub_ids[k]
                    for d in range(dim):
                        neu1[d] += w_in[r, d]
                # gensim's skip-gram scale: the sum of the word's row and
                # its n-gram rows over the number of n-grams (not of rows)
                n_div = r1 - r0 - 1
                if n_div < 1:
                    n_div = 1
                inv = np.float32(1.0) / np.float32(n_div)
                for d in range(dim):
                    neu1[d] *= inv
                # a step of every row moves the hidden vector this much
                moved = np.float32(r1 - r0) * inv
                if shared_negatives:
                    for k in range(1, n_targets):
                        state, z = next_random(state)
                        targets[k] = alias_draw(z, nprob, nalias)
                for j in range(lo, hi):
                    if j == i:
                        continue
                    c = buf[j]
                    for d in range(dim):
                        grad[d] = 0.0
                    for k in range(n_targets):
                        if k == 0:
                            t = c
                        elif shared_negatives:
                            t = targets[k]
                            if t == c:
                                continue
                        else:
                            state, z = next_random(state)
                            t = alias_draw(z, nprob, nalias)
                            if t == c:
                                continue
                        loss += _pair_update(neu1, grad, t, w_out, k == 0, lr,
                                             sig, logsig, True, True)
                    # every row moves by ``grad``: the next pair sees the
                    # hidden vector of the updated rows
                    for d in range(dim):
                        neu1[d] += moved * grad[d]
                        neu1e[d] += grad[d]
                    n_pairs += 1
                if hi - lo > 1:
                    for k in range(r0, r1):
                        r = sub_ids[k]
                        for d in range(dim):
                            w_in[r, d] += neu1e[d]
            else:
                for d in range(dim):
                    neu1[d] = 0.0
                    neu1e[d] = 0.0
                cnt = 0
                for j in range(lo, hi):
                    if j == i:
                        continue
                    c = buf[j]
                    for k in range(sub_indptr[c], sub_indptr[c + 1]):
                        r = sub_ids[k]
                        for d in range(dim):
                            neu1[d] += w_in[r, d]
                        cnt += 1
                if cnt == 0:
                    continue
                inv = np.float32(1.0) / np.float32(cnt)
                for d in range(dim):
                    neu1[d] *= inv
                state, cbow_loss = _negative_sampling(
                    neu1, neu1e, w, w_out, nprob, nalias, negative, lr, state,
                    sig, logsig, True,
                )
                loss += cbow_loss
                for j in range(lo, hi):
                    if j == i:
                        continue
                    c = buf[j]
                    for k in range(sub_indptr[c], sub_indptr[c + 1]):
                        r = sub_ids[k]
                        for d in range(dim):
                            w_in[r, d] += neu1e[d]
                n_pairs += 1
    return loss, n_pairs, n_words


@njit(nogil=True, fastmath=True, cache=CACHE)
def _epoch_body(
    indptr, ids, chunk_starts, chunk_pos, chunk_seeds, sub_indptr, sub_ids,
    w_in, w_out, keep, nprob, nalias, sg, window, shrink, negative,
    shared_negatives, lr0, lr_min, total, sig, logsig, max_len, c, losses,
    pairs, words,
):
    dim = w_in.shape[1]
    buf = np.empty(max_len, dtype=np.int32)
    targets = np.empty(negative + 1, dtype=np.int64)
    neu1 = np.empty(dim, dtype=np.float32)
    neu1e = np.empty(dim, dtype=np.float32)
    grad = np.empty(dim, dtype=np.float32)
    loss, n_pairs, n_words = _train_chunk_subword(
        indptr, ids, chunk_starts[c], chunk_starts[c + 1], sub_indptr, sub_ids,
        w_in, w_out, keep, nprob, nalias, sg, window, shrink, negative,
        shared_negatives, lr0, lr_min, chunk_pos[c], total, chunk_seeds[c],
        sig, logsig, buf, targets, neu1, neu1e, grad,
    )
    losses[c] = loss
    pairs[c] = n_pairs
    words[c] = n_words


@njit(nogil=True, fastmath=True, cache=CACHE)
def subword_epoch_serial(
    indptr, ids, chunk_starts, chunk_pos, chunk_seeds, sub_indptr, sub_ids,
    w_in, w_out, keep, nprob, nalias, sg, window, shrink, negative,
    shared_negatives, lr0, lr_min, total, sig, logsig, max_len, losses, pairs,
    words, n_threads,
):
    for c in range(chunk_starts.shape[0] - 1):
        _epoch_body(
            indptr, ids, chunk_starts, chunk_pos, chunk_seeds, sub_indptr,
            sub_ids, w_in, w_out, keep, nprob, nalias, sg, window, shrink,
            negative, shared_negatives, lr0, lr_min, total, sig, logsig,
            max_len, c, losses, pairs, words,
        )


@njit(nogil=True, fastmath=True, parallel=True, cache=CACHE)
def subword_epoch_parallel(
    indptr, ids, chunk_starts, chunk_pos, chunk_seeds, sub_indptr, sub_ids,
    w_in, w_out, keep, nprob, nalias, sg, window, shrink, negative,
    shared_negatives, lr0, lr_min, total, sig, logsig, max_len, losses, pairs,
    words, n_threads,
):
    n_chunks = chunk_starts.shape[0] - 1
    for t in prange(n_threads):
        for c in range(t, n_chunks, n_threads):
            _epoch_body(
                indptr, ids, chunk_starts, chunk_pos, chunk_seeds, sub_indptr,
                sub_ids, w_in, w_out, keep, nprob, nalias, sg, window, shrink,
                negative, shared_negatives, lr0, lr_min, total, sig, logsig,
                max_len, c, losses, pairs, words,
            )


@njit(nogil=True, cache=CACHE)
def oov_vectors(ng_indptr, ng_buckets, bucket_rows, row_offset, table, out):
    """``out[w]`` = mean of the known n-gram rows of word ``w``.

    ``bucket_rows[b]`` is the row of bucket ``b`` in ``table`` or -1 (an
    n-gram never trained); an empty ``bucket_rows`` means the identity
    (row ``row_offset + b``, a full fastText table). Returns the number of
    known n-grams of each word (0: the word's vector is zero).
    """
    dim = table.shape[1]
    n = ng_indptr.shape[0] - 1
    known = np.zeros(n, dtype=np.int64)
    identity = bucket_rows.shape[0] == 0
    acc = np.empty(dim, dtype=np.float32)
    for w in range(n):
        for d in range(dim):
            acc[d] = 0.0
        cnt = 0
        for k in range(ng_indptr[w], ng_indptr[w + 1]):
            b = ng_buckets[k]
            if identity:
                r = row_offset + b
            else:
                r = bucket_rows[b]
                if r < 0:
                    continue
            for d in range(dim):
                acc[d] += table[r, d]
            cnt += 1
        known[w] = cnt
        if cnt > 0:
            inv = np.float32(1.0) / np.float32(cnt)
            for d in range(dim):
                out[w, d] = acc[d] * inv
        else:
            for d in range(dim):
                out[w, d] = 0.0
    return known
