"""numba random-walk kernels on a CSR graph (DeepWalk and node2vec walks).

Only numpy and numba are imported here (plus the counter-based RNG helpers of
:mod:`skembed._engine._sgns_kernels`). A graph is a CSR triple ``indptr`` (int64,
``n_nodes + 1``), ``indices`` (int32, column indices sorted within each row)
and, for weighted graphs, a per-node alias table over the row's weights
(``aprob`` float32 and ``aalias`` int32 local offsets, one entry per edge:
O(|E|) memory).

Walk semantics
--------------
* ``walk_length`` is the number of *nodes* in a walk (the start included).
* The first step is first-order (proportional to the edge weight); later
  steps follow node2vec's second-order bias: from ``cur`` reached from
  ``prev``, a neighbour ``x`` is chosen with probability proportional to
  ``w(cur, x) * alpha(prev, x)``, ``alpha = 1/p`` if ``x == prev``, ``1`` if
  ``prev -> x`` is an edge, ``1/q`` otherwise.
* A node without out-edges ends the walk early (the walk is *truncated*,
  never padded): ``lengths[k]`` says how many entries of row ``k`` are valid.

Sampling
--------
The second-order step uses rejection sampling (as KnightKing, torch-cluster
and fastnode2vec do): propose ``x`` from the first-order distribution of
``cur`` (O(1): uniform pick or alias draw), accept it with probability
``alpha(prev, x) / max(1/p, 1, 1/q)``; ``prev -> x`` is tested by binary
search in the sorted row of ``prev``. The accepted draws follow the exact
node2vec distribution, and no Σdeg² transition table is ever built. With
``p == q == 1`` the test is skipped (DeepWalk fast path).

Randomness
----------
Walk ``k`` draws from its own splitmix64 stream seeded by
``seed_for(seed, k, 0)``, so every walk is a pure function of
``(graph, start node, seed, k)``: the walk matrix is bit-identical for any
number of threads.
"""

import numpy as np
from numba import njit, prange

from .._engine._numba_config import CACHE
from .._engine._random import below, next_random, seed_for, uniform, vose_fill

__all__ = [
    "alias_table_bytes",
    "node_alias_tables",
    "random_walks",
    "random_walks_alias",
    "sample_next",
    "second_order_alias_tables",
    "walks_to_csr",
]

_U32 = np.uint64(0xFFFFFFFF)
_INV32 = 1.0 / 4294967296.0


@njit(nogil=True, cache=CACHE)
def node_alias_tables(indptr, weights):
    """Per-row alias tables over edge weights (Vose), O(|E|) memory.

    Returns ``(aprob float32, aalias int32)`` aligned with the CSR entries:
    to draw a neighbour of ``v``, pick ``i`` uniformly in ``[0, deg(v))``,
    keep it with probability ``aprob[indptr[v] + i]``, else take
    ``aalias[indptr[v] + i]`` (an offset within the row).
    """
    n = indptr.shape[0] - 1
    n_edges = weights.shape[0]
    aprob = np.ones(n_edges, dtype=np.float32)
    aalias = np.zeros(n_edges, dtype=np.int32)
    max_deg = 0
    for v in range(n):
        d = indptr[v + 1] - indptr[v]
        if d > max_deg:
            max_deg = d
    scaled = np.empty(max_deg, dtype=np.float64)
    small = np.empty(max_deg, dtype=np.int64)
    large = np.empty(max_deg, dtype=np.int64)
    for v in range(n):
        lo = indptr[v]
        d = indptr[v + 1] - lo
        if d == 0:
            continue
        total = 0.0
        for i in range(d):
            total += weights[lo + i]
        for i in range(d):
            scaled[i] = weights[lo + i] * d / total
        vose_fill(scaled, d, aprob, aalias, lo, small, large)
    return aprob, aalias


@njit(nogil=True, inline="always")
def _first_order_pos(indptr, aprob, aalias, weighted, cur, state):
    """Offset within ``cur``'s row of a neighbour drawn by edge weight."""
    lo = indptr[cur]
    deg = indptr[cur + 1] - lo
    state, z = next_random(state)
    i = below(z, deg)
    if weighted:
        # the index used the high 32 bits; the coin uses the low 32 bits
        if (z & _U32) * _INV32 >= aprob[lo + i]:
            i = aalias[lo + i]
    return state, i


@njit(nogil=True, inline="always")
def _first_order(indptr, indices, aprob, aalias, weighted, cur, state):
    """One neighbour of ``cur`` drawn proportionally to the edge weight."""
    state, i = _first_order_pos(indptr, aprob, aalias, weighted, cur, state)
    return state, indices[indptr[cur] + i]


@njit(nogil=True, inline="always")
def _has_edge(indptr, indices, u, v):
    """Whether ``u -> v`` is an edge (binary search in the sorted row)."""
    lo = indptr[u]
    hi = indptr[u + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        x = indices[mid]
        if x < v:
            lo = mid + 1
        elif x > v:
            hi = mid
        else:
            return True
    return False


@njit(nogil=True, inline="always")
def _second_order(
    indptr, indices, aprob, aalias, weighted, prev, cur, inv_p, inv_q, amax, state
):
    """node2vec step from ``cur`` (reached from ``prev``) by rejection."""
    while True:
        state, x = _first_order(indptr, indices, aprob, aalias, weighted, cur, state)
        if x == prev:
            a = inv_p
        elif _has_edge(indptr, indices, prev, x):
            a = 1.0
        else:
            a = inv_q
        if a >= amax:
            return state, x
        state, z = next_random(state)
        if uniform(z) * amax < a:
            return state, x


@njit(nogil=True, inline="always")
def _one_walk(
    indptr, indices, aprob, aalias, weighted, start, walk_length, inv_p, inv_q,
    biased, amax, state, row,
):
    row[0] = start
    if walk_length == 1:
        return 1
    if indptr[start + 1] == indptr[start]:
        return 1
    state, cur = _first_order(
        indptr, indices, aprob, aalias, weighted, start, state
    )
    row[1] = cur
    prev = start
    n = 2
    while n < walk_length:
        if indptr[cur + 1] == indptr[cur]:
            break  # dead end: truncate
        if biased:
            state, nxt = _second_order(
                indptr, indices, aprob, aalias, weighted, prev, cur, inv_p,
                inv_q, amax, state,
            )
        else:
            state, nxt = _first_order(
                indptr, indices, aprob, aalias, weighted, cur, state
            )
        row[n] = nxt
        prev = cur
        cur = nxt
        n += 1
    return n


@njit(nogil=True, parallel=True, cache=CACHE)
def random_walks(
    indptr, indices, aprob, aalias, weighted, starts, walk_length, p, q, seed,
    first_walk,
):
    """Simulate one walk per entry of ``starts``.

    Parameters
    ----------
    indptr, indices : CSR arrays (int64, int32 sorted within rows)
    aprob, aalias : per-row alias tables (ignored when ``weighted`` is False;
        pass 1-element arrays then)
    weighted : bool
    starts : int32 array, start node of each walk
    walk_length : int, number of nodes per walk
    p, q : float, node2vec return and in-out parameters
    seed : uint64
    first_walk : int, global index of ``starts[0]`` (walk ``k`` uses the
        stream ``seed_for(seed, first_walk + k, 0)``, so walks can be produced
        in blocks with identical results)

    Returns
    -------
    walks : int32 array, shape (n_walks, walk_length)
        Entries past ``lengths[k]`` are -1.
    lengths : int32 array, shape (n_walks,)
    """
    n_walks = starts.shape[0]
    walks = np.full((n_walks, walk_length), -1, dtype=np.int32)
    lengths = np.empty(n_walks, dtype=np.int32)
    inv_p = 1.0 / p
    inv_q = 1.0 / q
    biased = not (p == 1.0 and q == 1.0)
    amax = max(inv_p, max(1.0, inv_q))
    for k in prange(n_walks):
        state = seed_for(seed, first_walk + k, 0)
        lengths[k] = _one_walk(
            indptr, indices, aprob, aalias, weighted, starts[k], walk_length,
            inv_p, inv_q, biased, amax, state, walks[k],
        )
    return walks, lengths


@njit(nogil=True, cache=CACHE)
def walks_to_csr(walks, lengths):
    """Walk matrix + lengths -> CSR corpus ``(indptr int64, ids int32)``.

    Walks of a single node (isolated or dead-end starts) are dropped: they
    hold no training pair.
    """
    n_walks = walks.shape[0]
    total = 0
    n_rows = 0
    for k in range(n_walks):
        if lengths[k] > 1:
            total += lengths[k]
            n_rows += 1
    indptr = np.empty(n_rows + 1, dtype=np.int64)
    ids = np.empty(total, dtype=np.int32)
    indptr[0] = 0
    r = 0
    pos = 0
    for k in range(n_walks):
        m = lengths[k]
        if m <= 1:
            continue
        for j in range(m):
            ids[pos + j] = walks[k, j]
        pos += m
        r += 1
        indptr[r] = pos
    return indptr, ids


@njit(nogil=True, cache=CACHE)
def sample_next(indptr, indices, aprob, aalias, weighted, prev, cur, p, q, n, seed):
    """Draw ``n`` second-order steps from ``cur`` reached from ``prev``.

    For tests and diagnostics of the sampler (``prev < 0`` draws first-order
    steps).
    """
    out = np.empty(n, dtype=np.int32)
    inv_p = 1.0 / p
    inv_q = 1.0 / q
    amax = max(inv_p, max(1.0, inv_q))
    for k in range(n):
        state = seed_for(seed, k, 1)
        if prev < 0:
            state, x = _first_order(
                indptr, indices, aprob, aalias, weighted, cur, state
            )
        else:
            state, x = _second_order(
                indptr, indices, aprob, aalias, weighted, prev, cur, inv_p,
                inv_q, amax, state,
            )
        out[k] = x
    return out


# ---------------------------------------------------------------------------
# Optional precomputed second-order alias tables (O(sum in_deg * out_deg))
# ---------------------------------------------------------------------------


@njit(nogil=True, cache=CACHE)
def alias_table_bytes(indptr, indices):
    """Bytes needed by :func:`second_order_alias_tables` for this graph.

    One float32 + one int32 per (edge ``prev -> cur``, out-neighbour of
    ``cur``), i.e. 8 * sum over nodes of in-degree * out-degree (Σ deg² for
    an undirected graph), plus an int64 offset per edge.
    """
    total = 0
    for e in range(indices.shape[0]):
        v = indices[e]
        total += indptr[v + 1] - indptr[v]
    return 8 * total + 8 * (indices.shape[0] + 1)


@njit(nogil=True, parallel=True, cache=CACHE)
def second_order_alias_tables(indptr, indices, weights, weighted, p, q):
    """node2vec transition tables for every edge ``prev -> cur`` (PreComp).

    Returns ``(offsets int64, prob float32, alias int32)``: the table of
    edge ``e`` (a CSR position) spans ``offsets[e]:offsets[e + 1]`` and has
    one slot per out-neighbour of ``cur = indices[e]``, weighted
    ``w(cur, x) * alpha(prev, x)``. Memory: :func:`alias_table_bytes`.
    """
    n = indptr.shape[0] - 1
    n_edges = indices.shape[0]
    offsets = np.empty(n_edges + 1, dtype=np.int64)
    offsets[0] = 0
    max_deg = 0
    for e in range(n_edges):
        v = indices[e]
        d = indptr[v + 1] - indptr[v]
        offsets[e + 1] = offsets[e] + d
        if d > max_deg:
            max_deg = d
    size = offsets[n_edges]
    prob = np.ones(size, dtype=np.float32)
    alias = np.zeros(size, dtype=np.int32)
    inv_p = 1.0 / p
    inv_q = 1.0 / q
    for prev in prange(n):
        scaled = np.empty(max_deg, dtype=np.float64)
        small = np.empty(max_deg, dtype=np.int64)
        large = np.empty(max_deg, dtype=np.int64)
        for e in range(indptr[prev], indptr[prev + 1]):
            cur = indices[e]
            lo = indptr[cur]
            d = indptr[cur + 1] - lo
            if d == 0:
                continue
            base = offsets[e]
            total = 0.0
            for i in range(d):
                x = indices[lo + i]
                w = weights[lo + i] if weighted else 1.0
                if x == prev:
                    w *= inv_p
                elif not _has_edge(indptr, indices, prev, x):
                    w *= inv_q
                scaled[i] = w
                total += w
            for i in range(d):
                scaled[i] = scaled[i] * d / total
            vose_fill(scaled, d, prob, alias, base, small, large)
    return offsets, prob, alias


@njit(nogil=True, parallel=True, cache=CACHE)
def random_walks_alias(
    indptr, indices, aprob, aalias, weighted, offsets, sprob, salias, starts,
    walk_length, seed, first_walk,
):
    """As :func:`random_walks`, drawing every second-order step in O(1) from
    precomputed tables (same distribution, other random streams)."""
    n_walks = starts.shape[0]
    walks = np.full((n_walks, walk_length), -1, dtype=np.int32)
    lengths = np.empty(n_walks, dtype=np.int32)
    for k in prange(n_walks):
        state = seed_for(seed, first_walk + k, 0)
        start = starts[k]
        walks[k, 0] = start
        m = 1
        if walk_length > 1 and indptr[start + 1] > indptr[start]:
            state, i = _first_order_pos(indptr, aprob, aalias, weighted, start, state)
            e = indptr[start] + i
            cur = indices[e]
            walks[k, 1] = cur
            m = 2
            while m < walk_length:
                lo = indptr[cur]
                d = indptr[cur + 1] - lo
                if d == 0:
                    break
                state, z = next_random(state)
                j = below(z, d)
                if (z & _U32) * _INV32 >= sprob[offsets[e] + j]:
                    j = salias[offsets[e] + j]
                e = lo + j
                cur = indices[e]
                walks[k, m] = cur
                m += 1
        lengths[k] = m
    return walks, lengths
