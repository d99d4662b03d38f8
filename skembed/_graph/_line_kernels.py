"""numba kernels of LINE (Tang et al., 2015): SGD over sampled edges.

Only numpy and numba are imported (plus the counter-based RNG helpers of
:mod:`skembed._engine._sgns_kernels`). Each step draws one directed edge ``u -> v`` from
an alias table over the edge weights, then makes one logistic update for the
positive pair and ``negative`` updates for noise nodes drawn from the
``degree ** 0.75`` distribution:

* first-order proximity: ``sigma(vec[u] . vec[v])`` -- one table, ``ctx`` is
  ``vec`` itself;
* second-order proximity: ``sigma(vec[u] . ctx[v])`` -- vertex and context
  tables.

Work is cut into chunks of ``CHUNK`` samples, each with its own seed
``seed_for(seed, chunk, 0)``: the serial kernel is bit-reproducible, the
parallel one (Hogwild over chunks) differs only by races between threads.
"""

import math

import numpy as np
from numba import njit, prange

from .._engine._numba_config import CACHE
from .._engine._random import alias_draw, next_random, seed_for

__all__ = ["CHUNK", "line_epoch_parallel", "line_epoch_serial"]

CHUNK = 65536
_MAX_EXP = 6.0


@njit(nogil=True, inline="always")
def _log_sigmoid(f):
    if f < -30.0:
        return f
    return -math.log1p(math.exp(-f))


@njit(nogil=True, fastmath=True, cache=CACHE)
def _line_chunk(
    src, dst, eprob, ealias, nprob, nalias, vec, ctx, negative, s_begin,
    s_end, total, lr0, seed, grad,
):
    dim = vec.shape[1]
    state = np.uint64(seed)
    loss = 0.0
    lr_min = lr0 * 1e-4
    for s in range(s_begin, s_end):
        lr = lr0 * (1.0 - s / total)
        if lr < lr_min:
            lr = lr_min
        state, z = next_random(state)
        e = alias_draw(z, eprob, ealias)
        u = src[e]
        for d in range(dim):
            grad[d] = 0.0
        for k in range(negative + 1):
            if k == 0:
                t = dst[e]
                label = 1.0
            else:
                state, z = next_random(state)
                t = alias_draw(z, nprob, nalias)
                if t == u:
                    continue
                label = 0.0
            f = 0.0
            for d in range(dim):
                f += vec[u, d] * ctx[t, d]
            if f > _MAX_EXP:
                sig = 1.0 / (1.0 + math.exp(-_MAX_EXP))
            elif f < -_MAX_EXP:
                sig = 1.0 / (1.0 + math.exp(_MAX_EXP))
            else:
                sig = 1.0 / (1.0 + math.exp(-f))
            if k == 0:
                loss -= _log_sigmoid(f)
            else:
                loss -= _log_sigmoid(-f)
            g = (label - sig) * lr
            for d in range(dim):
                grad[d] += g * ctx[t, d]
                ctx[t, d] += g * vec[u, d]
        for d in range(dim):
            vec[u, d] += grad[d]
    return loss


@njit(nogil=True, fastmath=True, cache=CACHE)
def line_epoch_serial(
    src, dst, eprob, ealias, nprob, nalias, vec, ctx, negative, n_samples,
    lr0, seed, losses, c0=0, c1=-1,
):
    """All ``n_samples`` edge samples, chunk after chunk (reproducible);
    chunks ``c0`` to ``c1`` only if given (the same work, in parts)."""
    if c1 < 0:
        c1 = losses.shape[0]
    grad = np.empty(vec.shape[1], dtype=np.float32)
    for c in range(c0, c1):
        lo = c * CHUNK
        hi = min(lo + CHUNK, n_samples)
        losses[c] = _line_chunk(
            src, dst, eprob, ealias, nprob, nalias, vec, ctx, negative, lo, hi,
            float(n_samples), lr0, seed_for(seed, c, 0), grad,
        )


@njit(nogil=True, fastmath=True, parallel=True, cache=CACHE)
def line_epoch_parallel(
    src, dst, eprob, ealias, nprob, nalias, vec, ctx, negative, n_samples,
    lr0, seed, losses, c0=0, c1=-1,
):
    """All ``n_samples`` edge samples, chunks spread over threads (Hogwild);
    chunks ``c0`` to ``c1`` only if given."""
    if c1 < 0:
        c1 = losses.shape[0]
    for k in prange(c1 - c0):
        c = c0 + k
        grad = np.empty(vec.shape[1], dtype=np.float32)
        lo = c * CHUNK
        hi = min(lo + CHUNK, n_samples)
        losses[c] = _line_chunk(
            src, dst, eprob, ealias, nprob, nalias, vec, ctx, negative, lo, hi,
            float(n_samples), lr0, seed_for(seed, c, 0), grad,
        )
