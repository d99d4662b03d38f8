"""The counter-based random numbers of every numba kernel (SGNS, walks, LINE).

splitmix64 streams: a kernel derives the seed of each unit of work (an epoch
and a chunk of sentences, walks or samples) with :func:`seed_for`, then
advances a private ``uint64`` state with :func:`next_random`. Results
therefore depend on the seed and the work unit, never on the thread that
runs it or on numba's global RNG. :func:`alias_table` / :func:`alias_draw`
sample a discrete distribution in O(1) (Walker / Vose).

Kernel helpers: numpy and numba only; the functions without ``cache`` are
inlined into the kernels that call them.
"""

import numpy as np
from numba import njit

from ._numba_config import CACHE

__all__ = [
    "alias_draw", "alias_sample", "alias_table", "below", "next_random",
    "seed_for", "splitmix64", "uniform", "vose_fill",
]  # fmt: skip

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_U32 = np.uint64(0xFFFFFFFF)


@njit(nogil=True, cache=CACHE)
def splitmix64(x):
    """Finalizer of splitmix64: a well-mixed 64-bit function of ``x``."""
    z = np.uint64(x)
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(nogil=True, cache=CACHE)
def seed_for(seed, a, b):
    """Seed of a sub-stream ``(a, b)`` (e.g. epoch and chunk) of ``seed``."""
    z = splitmix64(np.uint64(seed) ^ splitmix64(np.uint64(a) * _GOLDEN))
    return splitmix64(z ^ splitmix64(np.uint64(b) + _GOLDEN))


@njit(nogil=True, inline="always")
def next_random(state):
    """Advance a splitmix64 stream: returns ``(new_state, random_uint64)``."""
    state = state + _GOLDEN
    return state, splitmix64(state)


@njit(nogil=True, inline="always")
def below(z, n):
    """Map a random uint64 to an integer in ``[0, n)`` (n < 2**32)."""
    return np.int64(((z >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))


@njit(nogil=True, inline="always")
def uniform(z):
    """Map a random uint64 to a float in ``[0, 1)``."""
    return (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(nogil=True, inline="always")
def alias_draw(z, prob, alias):
    """Draw from an alias table with the random uint64 ``z``."""
    n = prob.shape[0]
    i = below(z, n)
    u = (z & _U32) * (1.0 / 4294967296.0)
    if u < prob[i]:
        return i
    return np.int64(alias[i])


@njit(nogil=True, inline="always")
def vose_fill(scaled, n, prob, alias, base, small, large):
    """Vose's alias construction for one distribution, written in place.

    ``scaled[:n]`` holds the weights times ``n / sum(weights)`` (mean 1) and
    is overwritten. Entries ``prob[base:base + n]`` and ``alias[base:base +
    n]`` receive the table, with aliases as offsets in ``[0, n)``. ``small``
    and ``large`` are scratch arrays of length >= ``n``. O(n).
    """
    ns = 0
    nl = 0
    for i in range(n):
        alias[base + i] = i
        if scaled[i] < 1.0:
            small[ns] = i
            ns += 1
        else:
            large[nl] = i
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        s = small[ns]
        nl -= 1
        g = large[nl]
        prob[base + s] = scaled[s]
        alias[base + s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        if scaled[g] < 1.0:
            small[ns] = g
            ns += 1
        else:
            large[nl] = g
            nl += 1
    for k in range(nl):
        prob[base + large[k]] = 1.0
    for k in range(ns):  # only round-off leaves entries here
        prob[base + small[k]] = 1.0


@njit(nogil=True, cache=CACHE)
def alias_table(p):
    """Walker/Vose alias table of a discrete distribution ``p`` (sums to 1).

    Returns ``(prob float32, alias int32)``: draw ``i`` uniformly, keep it
    with probability ``prob[i]``, else take ``alias[i]``. O(n) memory and
    build time, O(1) per draw.
    """
    n = p.shape[0]
    prob = np.empty(n, dtype=np.float32)
    alias = np.empty(n, dtype=np.int32)
    scaled = p * n
    vose_fill(scaled, n, prob, alias, 0, np.empty(n, dtype=np.int64),
              np.empty(n, dtype=np.int64))
    return prob, alias


@njit(nogil=True, cache=CACHE)
def alias_sample(prob, alias, seed, n):
    """Draw ``n`` samples from an alias table (for tests and diagnostics)."""
    out = np.empty(n, dtype=np.int64)
    state = np.uint64(seed)
    for k in range(n):
        state, z = next_random(state)
        out[k] = alias_draw(z, prob, alias)
    return out
