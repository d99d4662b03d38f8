"""numba kernels of the skip-gram-with-negative-sampling engine.

Only numpy and numba are imported here: plain arrays and scalars in, arrays
updated in place, scalars out. No validation, no printing, no Python objects.
Randomness comes only from explicit 64-bit seeds (:mod:`._random`:
splitmix64, a counter-based generator), so results never depend on numba's
per-thread global RNG state.

Layout of a training corpus: a CSR pair ``indptr`` (int64, one entry per
sentence plus one) and ``ids`` (int32 token ids). Work is cut into *chunks*
of whole sentences by the driver; each chunk gets its own seed derived from
(seed, epoch, chunk index), so the serial kernel is bit-reproducible and the
parallel kernel differs from it only by Hogwild races between threads.
"""

import numpy as np
from numba import njit, prange

from ._numba_config import CACHE
from ._random import alias_draw, below, next_random, uniform

MODE_WINDOW = 0
MODE_SET = 1
MODE_SHUFFLE = 2

_MAX_EXP = 6.0
_TABLE_SIZE = 1024
_TABLE_SCALE = _TABLE_SIZE / (2.0 * _MAX_EXP)
#: skip-gram with shared negatives applies the accumulated output-vector
#: gradients every this many pairs (a window of <= 16 each side is unchanged)
_FLUSH_PAIRS = 32

def sigmoid_tables():
    """Sigmoid and log-sigmoid of the ``_TABLE_SIZE`` bin centres of [-6, 6]."""
    x = (np.arange(_TABLE_SIZE) + 0.5) / _TABLE_SCALE - _MAX_EXP
    sig = 1.0 / (1.0 + np.exp(-x))
    return sig.astype(np.float32), np.log(sig).astype(np.float32)


@njit(nogil=True, inline="always")
def _ring_neighbour(i, jj, m):
    """The ``jj``-th context position of centre ``i`` on a ring of ``m``:
    i+1, i-1, i+2, i-2, ... (distinct and != i while jj < m - 1)."""
    off = jj // 2 + 1
    if jj % 2 == 0:
        j = i + off
        if j >= m:
            j -= m
    else:
        j = i - off
        if j < 0:
            j += m
    return j


@njit(nogil=True, inline="always")
def _context_at(capped, i, jj, lo, m):
    """Position of the ``jj``-th context token of centre ``i``, or -1 to skip.

    Capped set contexts walk the shuffled ring around ``i``; other contexts
    walk ``lo, lo + 1, ...`` and skip the centre itself.
    """
    if capped:
        return _ring_neighbour(i, jj, m)
    j = lo + jj
    return -1 if j == i else j


@njit(nogil=True, inline="always")
def _sig_index(f):
    if f <= -_MAX_EXP:
        return 0
    if f >= _MAX_EXP:
        return _TABLE_SIZE - 1
    return int((f + _MAX_EXP) * _TABLE_SCALE)


@njit(nogil=True, inline="always")
def _step(f, positive, lr, sig, logsig):
    """Gradient scale and loss of one (input, target) score ``f``.

    ``g = (label - sigmoid(f)) * lr`` and ``-log sigmoid(+-f)``, both read
    from the tables (``f`` clipped to [-6, 6], as word2vec.c does).
    """
    idx = _sig_index(f)
    if positive:
        return (1.0 - sig[idx]) * lr, -logsig[idx]
    return -sig[idx] * lr, -logsig[_TABLE_SIZE - 1 - idx]


@njit(nogil=True, inline="always")
def _sentence_lr(pos, total, lr0, lr_span):
    """Learning rate of a sentence starting at raw corpus position ``pos``:
    linear decay from ``lr0`` by ``lr_span`` over ``total`` positions."""
    progress = pos / total
    if progress > 1.0:
        progress = 1.0
    return lr0 - lr_span * progress


@njit(nogil=True, inline="always")
def _kept(w, keep, state):
    """Frequent-token subsampling: is token ``w`` kept? Returns
    ``(kept, state)`` (a draw only when ``keep[w] < 1``)."""
    kp = keep[w]
    if kp < 1.0:
        state, z = next_random(state)
        if uniform(z) >= kp:
            return False, state
    return True, state


@njit(nogil=True, inline="always")
def _subsample(ids, start, stop, keep, buf, state):
    """The kept tokens of ``ids[start:stop]`` into ``buf``; returns
    ``(count, state)``."""
    m = 0
    for t in range(start, stop):
        w = ids[t]
        kp = keep[w]
        if kp < 1.0:
            state, z = next_random(state)
            if uniform(z) >= kp:
                continue
        buf[m] = w
        m += 1
    return m, state


@njit(nogil=True, inline="always")
def _next_sentence(s, indptr, ids, keep, buf, pos, total, lr0, lr_span, state):
    """Sentence ``s``: its learning rate (from its raw corpus position
    ``pos``) and its kept tokens in ``buf``. Returns ``(lr, m, pos, state)``
    with ``m`` kept tokens and ``pos`` moved past the sentence.

    The head of every SGNS sentence loop (word2vec, fastText)."""
    start = indptr[s]
    stop = indptr[s + 1]
    lr = _sentence_lr(pos, total, lr0, lr_span)
    m, state = _subsample(ids, start, stop, keep, buf, state)
    return lr, m, pos + (stop - start), state


@njit(nogil=True, inline="always")
def _window_bounds(i, m, window, shrink, state):
    """Context bounds ``[lo, hi)`` of position ``i`` among ``m`` kept
    tokens: ``window`` each side, shrunk to a uniform draw in
    ``1..window`` per centre when ``shrink`` (word2vec.c's reduced
    window). Returns ``(lo, hi, state)``."""
    b = window
    if shrink and window > 1:
        state, z = next_random(state)
        b = 1 + below(z, window)
    lo = i - b
    if lo < 0:
        lo = 0
    hi = i + b + 1
    if hi > m:
        hi = m
    return lo, hi, state


@njit(nogil=True, fastmath=True, inline="always")
def _pair_update(h, neu1e, t, w_out, positive, lr, sig, logsig, learn_out,
                 skip_saturated=False):
    """One (hidden vector ``h``, target row ``t`` of ``w_out``) pair: its
    gradient is added to ``neu1e`` and, when ``learn_out``, to ``w_out[t]``
    (both from the scores before the update). Returns the pair's loss.

    A score beyond the sigmoid table (``|f| >= 6``) gets the clipped
    gradient (word2vec.c), or none with ``skip_saturated`` (gensim's
    ``FastText``, which skips such a pair)."""
    dim = w_out.shape[1]
    f = 0.0
    for d in range(dim):
        f += h[d] * w_out[t, d]
    g, pair_loss = _step(f, positive, lr, sig, logsig)
    if skip_saturated and (f <= -_MAX_EXP or f >= _MAX_EXP):
        return pair_loss
    for d in range(dim):
        neu1e[d] += g * w_out[t, d]
    if learn_out:
        for d in range(dim):
            w_out[t, d] += g * h[d]
    return pair_loss


@njit(nogil=True, fastmath=True, inline="always")
def _negative_sampling(h, neu1e, w, w_out, nprob, nalias, negative, lr, state,
                       sig, logsig, learn_out):
    """Hidden vector ``h`` predicts token ``w`` against ``negative`` noise
    tokens (fresh draws): adds the gradient of ``h`` to ``neu1e``, updates
    ``w_out`` when ``learn_out``. Returns ``(state, loss)``."""
    loss = 0.0
    for k in range(negative + 1):
        if k == 0:
            t = w
        else:
            state, z = next_random(state)
            t = alias_draw(z, nprob, nalias)
            if t == w:
                continue
        loss += _pair_update(h, neu1e, t, w_out, k == 0, lr, sig, logsig,
                             learn_out)
    return state, loss


@njit(nogil=True, fastmath=True, inline="always")
def _apply_gradients(targets, grad, w_out, n_targets, zero):
    """Add the accumulated output gradients ``grad[k]`` to the rows
    ``targets[k]`` of ``w_out`` (skipping ``-1``); zero them if ``zero``
    (more pairs follow)."""
    for k in range(n_targets):
        t = targets[k]
        if t < 0:
            continue
        for d in range(w_out.shape[1]):
            w_out[t, d] += grad[k, d]
            if zero:
                grad[k, d] = 0.0


@njit(cache=CACHE)
def huffman_tree(counts):
    """Hierarchical-softmax paths of a Huffman tree over token counts.

    word2vec.c's ``CreateBinaryTree``: tokens sorted by count (descending,
    ties by id, so the tree is deterministic), merged two smallest first.
    Returns ``(indptr, points, codes)``: the path of token ``t`` is
    ``points[indptr[t]:indptr[t + 1]]`` (inner nodes, root first, rows
    ``0 .. n - 2`` of the output matrix) with the branch ``codes`` (0/1)
    taken at each. A single token has an empty path.
    """
    n = counts.shape[0]
    order = np.argsort(-counts, kind="mergesort")
    big = np.iinfo(np.int64).max // 4
    count = np.full(2 * n, big, dtype=np.int64)
    for a in range(n):
        count[a] = counts[order[a]]
    parent = np.zeros(2 * n, dtype=np.int64)
    binary = np.zeros(2 * n, dtype=np.int8)
    pos1 = n - 1
    pos2 = n
    for a in range(n - 1):
        mins = np.empty(2, dtype=np.int64)
        for k in range(2):
            if pos1 >= 0 and count[pos1] < count[pos2]:
                mins[k] = pos1
                pos1 -= 1
            else:
                mins[k] = pos2
                pos2 += 1
        count[n + a] = count[mins[0]] + count[mins[1]]
        parent[mins[0]] = n + a
        parent[mins[1]] = n + a
        binary[mins[1]] = 1
    lengths = np.zeros(n, dtype=np.int64)
    root = 2 * n - 2
    for a in range(n):
        b = a
        depth = 0
        while b != root and n > 1:
            depth += 1
            b = parent[b]
        lengths[order[a]] = depth
    indptr = np.zeros(n + 1, dtype=np.int64)
    for t in range(n):
        indptr[t + 1] = indptr[t] + lengths[t]
    points = np.empty(indptr[n], dtype=np.int32)
    codes = np.empty(indptr[n], dtype=np.int8)
    for a in range(n):
        t = order[a]
        i = indptr[t + 1] - 1  # filled leaf-side first
        b = a
        while b != root and n > 1:
            codes[i] = binary[b]
            points[i] = parent[b] - n
            i -= 1
            b = parent[b]
    return indptr, points, codes


@njit(nogil=True, inline="always")
def _hs_pair(l1, w, hs_indptr, hs_points, hs_codes, w_hs, lr, sig, logsig, neu1e):
    """Hierarchical softmax of one pair: input vector ``l1`` predicts token
    ``w`` along its Huffman path; updates the inner-node vectors ``w_hs`` in
    place, adds the input gradient to ``neu1e``, returns the loss."""
    # written out, not through _pair_update: measured 4 % faster here
    dim = l1.shape[0]
    loss = 0.0
    for e in range(hs_indptr[w], hs_indptr[w + 1]):
        p = hs_points[e]
        f = 0.0
        for d in range(dim):
            f += l1[d] * w_hs[p, d]
        g, pair_loss = _step(f, hs_codes[e] == 0, lr, sig, logsig)
        loss += pair_loss
        for d in range(dim):
            neu1e[d] += g * w_hs[p, d]
        for d in range(dim):
            w_hs[p, d] += g * l1[d]
    return loss


@njit(nogil=True, fastmath=True, cache=CACHE)
def _train_chunk(
    indptr, ids, s_begin, s_end, w_in, w_out, keep, nprob, nalias,
    sg, mode, window, shrink, negative, share, out_per_pair,
    lr0, lr_min, pos0, total, seed, sig, logsig, buf, targets, grad, neu1, neu1e,
    max_context, n_context, ctx, hs, hs_indptr, hs_points, hs_codes, w_hs,
):
    """Train on sentences ``[s_begin, s_end)``; returns (loss, n_pairs, n_words).

    ``pos0`` is the number of tokens (over all epochs) before this chunk and
    ``total`` the number of tokens of the whole run: the learning rate decays
    linearly from ``lr0`` to ``lr_min`` with the raw token position, so it is
    the same whatever the number of threads.

    ``max_context`` (set mode only, 0 = no cap): when a sentence has more
    than ``max_context + 1`` tokens, it is shuffled (anew each epoch) and
    each centre trains on the ``max_context`` tokens nearest to it on the
    shuffled ring (half each side) instead of all the others: ``O(m *
    max_context)`` instead of ``O(m**2)``, every token is context of exactly
    ``max_context`` centres, and the pairs are a uniform random subset.
    Shared-negative output gradients are flushed every ``_FLUSH_PAIRS``
    pairs, so a huge context (a 20,000-item basket) stays numerically
    stable.

    ``n_context`` (set mode only, 0 = off; takes precedence over
    ``max_context``): each centre draws ``n_context`` context positions
    uniformly, with replacement, among the other tokens of its sentence
    (into the scratch array ``ctx``), anew each epoch: exactly
    ``n_context`` pairs per kept token of a sentence of two or more, so the
    work is linear in the number of tokens whatever the sentence lengths.

    ``share`` (skip-gram): how many consecutive pairs of a centre's window
    share one draw of negatives, their output gradients accumulated and
    applied when the draw changes: 0 = the whole window (Ji et al.'s shared
    negatives), 1 = fresh negatives for every pair (word2vec.c, gensim),
    ``k`` = a fresh draw every ``k`` pairs.

    ``out_per_pair`` (skip-gram, ``share != 1``): the output vectors of the
    centre and of the shared negatives are updated after every pair, as
    gensim and word2vec.c do (so the next context node of the window
    scores against the updated vectors), instead of accumulating their
    gradients over the draw. No extra arithmetic (the accumulation pass is
    saved); the engine default ``False`` keeps the accumulated updates.

    ``hs``: also train hierarchical softmax (the centre's Huffman path,
    :func:`huffman_tree`, output rows ``w_hs``) on every pair, before its
    negative sampling, as word2vec.c and gensim do with both on; with
    ``negative == 0`` hierarchical softmax alone.
    """
    dim = w_in.shape[1]
    n_targets = negative + 1
    # targets trained by negative sampling (none: hierarchical softmax alone)
    n_ns = 0 if hs and negative == 0 else n_targets
    state = np.uint64(seed)
    loss = 0.0
    n_pairs = 0
    n_words = 0
    pos = pos0
    lr_span = lr0 - lr_min
    for s in range(s_begin, s_end):
        # learning rate (raw position, before subsampling); kept tokens in buf
        lr, m, pos, state = _next_sentence(
            s, indptr, ids, keep, buf, pos, total, lr0, lr_span, state
        )
        n_words += m
        if m < 2:
            continue
        sampled = mode == MODE_SET and n_context > 0
        capped = (
            mode == MODE_SET and not sampled and max_context > 0
            and m - 1 > max_context
        )
        if mode == MODE_SHUFFLE or capped:
            for i in range(m - 1, 0, -1):
                state, z = next_random(state)
                j = below(z, i + 1)
                tmp = buf[i]
                buf[i] = buf[j]
                buf[j] = tmp
        for i in range(m):
            w = buf[i]
            if mode == MODE_SET:
                lo = 0
                hi = m
            else:
                lo, hi, state = _window_bounds(i, m, window, shrink, state)
            n_ctx = max_context if capped else hi - lo
            if sampled:
                n_ctx = n_context
                for jj in range(n_context):
                    state, z = next_random(state)
                    j = below(z, m - 1)
                    ctx[jj] = j + 1 if j >= i else j
            # targets: the centre token, then shared negatives
            targets[0] = w
            for k in range(1, n_targets):
                state, z = next_random(state)
                t = alias_draw(z, nprob, nalias)
                targets[k] = -1 if t == w else t
            if sg:
                # accumulate the output gradients of a draw, unless every
                # pair draws anew or updates them at once
                accumulate = share != 1 and not out_per_pair
                if accumulate:
                    for k in range(n_targets):
                        for d in range(dim):
                            grad[k, d] = 0.0
                n_drawn = 0  # pairs trained on the current draw
                n_acc = 0
                for jj in range(n_ctx):
                    j = ctx[jj] if sampled else _context_at(capped, i, jj, lo, m)
                    if j < 0:
                        continue
                    c = buf[j]
                    for d in range(dim):
                        neu1e[d] = 0.0
                    if hs:
                        loss += _hs_pair(
                            w_in[c], w, hs_indptr, hs_points, hs_codes, w_hs,
                            lr, sig, logsig, neu1e,
                        )
                    if share > 0 and n_drawn == share:
                        # a fresh draw of negatives (every pair with share=1,
                        # as word2vec.c), after applying the old draw's
                        # accumulated output gradients
                        n_drawn = 0
                        if accumulate and n_acc > 0:
                            n_acc = 0
                            _apply_gradients(targets, grad, w_out, n_targets,
                                             True)
                        for k in range(1, n_targets):
                            state, z = next_random(state)
                            t = alias_draw(z, nprob, nalias)
                            targets[k] = -1 if t == w else t
                    n_drawn += 1
                    for k in range(n_ns):
                        t = targets[k]
                        if t < 0:
                            continue
                        f = 0.0
                        for d in range(dim):
                            f += w_in[c, d] * w_out[t, d]
                        g, pair_loss = _step(f, k == 0, lr, sig, logsig)
                        loss += pair_loss
                        for d in range(dim):
                            neu1e[d] += g * w_out[t, d]
                        if accumulate:
                            for d in range(dim):
                                grad[k, d] += g * w_in[c, d]
                        else:
                            for d in range(dim):
                                w_out[t, d] += g * w_in[c, d]
                    for d in range(dim):
                        w_in[c, d] += neu1e[d]
                    n_pairs += 1
                    if accumulate:
                        n_acc += 1
                        if n_acc == _FLUSH_PAIRS:
                            # apply the accumulated output gradients now: a
                            # huge shared context would otherwise diverge
                            n_acc = 0
                            _apply_gradients(targets, grad, w_out, n_targets,
                                             True)
                if accumulate and n_acc > 0:
                    _apply_gradients(targets, grad, w_out, n_targets, False)
            else:  # CBOW: mean of the context predicts the centre
                for d in range(dim):
                    neu1[d] = 0.0
                    neu1e[d] = 0.0
                cnt = 0
                for jj in range(n_ctx):
                    j = ctx[jj] if sampled else _context_at(capped, i, jj, lo, m)
                    if j < 0:
                        continue
                    c = buf[j]
                    for d in range(dim):
                        neu1[d] += w_in[c, d]
                    cnt += 1
                if cnt == 0:
                    continue
                inv = 1.0 / cnt
                for d in range(dim):
                    neu1[d] *= inv
                if hs:
                    loss += _hs_pair(
                        neu1, w, hs_indptr, hs_points, hs_codes, w_hs, lr, sig,
                        logsig, neu1e,
                    )
                for k in range(n_ns):
                    t = targets[k]
                    if t < 0:
                        continue
                    loss += _pair_update(neu1, neu1e, t, w_out, k == 0, lr, sig,
                                         logsig, True)
                for jj in range(n_ctx):
                    j = ctx[jj] if sampled else _context_at(capped, i, jj, lo, m)
                    if j < 0:
                        continue
                    c = buf[j]
                    for d in range(dim):
                        w_in[c, d] += neu1e[d]
                n_pairs += 1
    return loss, n_pairs, n_words


@njit(nogil=True, fastmath=True, cache=CACHE)
def _epoch_body(
    indptr, ids, chunk_starts, chunk_pos, chunk_seeds, w_in, w_out, keep,
    nprob, nalias, sg, mode, window, shrink, negative, share, out_per_pair,
    lr0, lr_min, total, sig, logsig, max_len, c, losses, pairs, words,
    max_context, n_context, hs, hs_indptr, hs_points, hs_codes, w_hs,
):
    dim = w_in.shape[1]
    buf = np.empty(max_len, dtype=np.int32)
    targets = np.empty(negative + 1, dtype=np.int64)
    grad = np.empty((negative + 1, dim), dtype=np.float32)
    neu1 = np.empty(dim, dtype=np.float32)
    neu1e = np.empty(dim, dtype=np.float32)
    ctx = np.empty(max(n_context, 1), dtype=np.int64)
    loss, n_pairs, n_words = _train_chunk(
        indptr, ids, chunk_starts[c], chunk_starts[c + 1], w_in, w_out, keep,
        nprob, nalias, sg, mode, window, shrink, negative, share,
        out_per_pair, lr0, lr_min, chunk_pos[c], total, chunk_seeds[c], sig,
        logsig, buf, targets, grad, neu1, neu1e, max_context, n_context, ctx,
        hs, hs_indptr, hs_points, hs_codes, w_hs,
    )
    losses[c] = loss
    pairs[c] = n_pairs
    words[c] = n_words


@njit(nogil=True, fastmath=True, cache=CACHE)
def sgns_epoch_serial(
    indptr, ids, chunk_starts, chunk_pos, chunk_seeds, w_in, w_out, keep,
    nprob, nalias, sg, mode, window, shrink, negative, share, out_per_pair,
    lr0, lr_min, total, sig, logsig, max_len, losses, pairs, words, n_threads,
    max_context, n_context, hs, hs_indptr, hs_points, hs_codes, w_hs,
):
    """One pass over a CSR block, chunk after chunk (bit-reproducible)."""
    for c in range(chunk_starts.shape[0] - 1):
        _epoch_body(
            indptr, ids, chunk_starts, chunk_pos, chunk_seeds, w_in, w_out,
            keep, nprob, nalias, sg, mode, window, shrink, negative,
            share, out_per_pair, lr0, lr_min, total, sig, logsig,
            max_len, c, losses, pairs, words, max_context, n_context, hs, hs_indptr,
            hs_points, hs_codes, w_hs,
        )


@njit(nogil=True, fastmath=True, parallel=True, cache=CACHE)
def sgns_epoch_parallel(
    indptr, ids, chunk_starts, chunk_pos, chunk_seeds, w_in, w_out, keep,
    nprob, nalias, sg, mode, window, shrink, negative, share, out_per_pair,
    lr0, lr_min, total, sig, logsig, max_len, losses, pairs, words, n_threads,
    max_context, n_context, hs, hs_indptr, hs_points, hs_codes, w_hs,
):
    """One pass over a CSR block on ``n_threads`` lock-free (Hogwild) threads.

    Thread ``t`` takes chunks ``t, t + n_threads, ...``: at any moment the
    threads work on neighbouring chunks, so the order in which the data is
    seen stays close to the serial order. (numba's default static schedule
    would hand each thread one contiguous half of the corpus, and the order
    in which text is seen measurably changes word-similarity scores.)
    """
    n_chunks = chunk_starts.shape[0] - 1
    for t in prange(n_threads):
        for c in range(t, n_chunks, n_threads):
            _epoch_body(
                indptr, ids, chunk_starts, chunk_pos, chunk_seeds, w_in, w_out,
                keep, nprob, nalias, sg, mode, window, shrink, negative,
                share, out_per_pair, lr0, lr_min, total, sig, logsig,
                max_len, c, losses, pairs, words, max_context, n_context, hs, hs_indptr,
                hs_points, hs_codes, w_hs,
            )


@njit(nogil=True, cache=CACHE)
def chunk_boundaries(indptr, chunk_tokens):
    """Cut sentences into chunks of about ``chunk_tokens`` tokens.

    Returns ``starts`` (sentence index of each chunk start, plus the end):
    whole sentences only, so a long sentence forms a chunk of its own and is
    never split or truncated.
    """
    n = indptr.shape[0] - 1
    out = np.empty(n + 1, dtype=np.int64)
    k = 0
    out[0] = 0
    acc = 0
    for s in range(n):
        acc += indptr[s + 1] - indptr[s]
        if acc >= chunk_tokens and s + 1 < n:
            k += 1
            out[k] = s + 1
            acc = 0
    k += 1
    out[k] = n
    return out[: k + 1].copy()
