"""Walk kernels: exact node2vec probabilities, determinism, dead ends."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.stats import chisquare

from skembed._graph import _walk_kernels as _walks
from skembed._graph._checks import check_graph
from skembed._validation import numba_threads


def IP(A):  # noqa: N802  (kernel-ready CSR arrays of a check_graph result)
    return A.indptr.astype(np.int64)


def IX(A):  # noqa: N802
    return A.indices.astype(np.int32)


def _csr(edges, n, directed=False):
    A, _ = check_graph(
        np.array(edges, dtype=float) if len(edges[0]) == 3 else np.array(edges),
        directed=directed,
    )
    assert A.shape == (n, n)
    return A


def _tables(A):
    weighted = A.data.min() != A.data.max()
    if weighted:
        ap, aa = _walks.node_alias_tables(IP(A), A.data)
    else:
        ap, aa = np.ones(1, np.float32), np.zeros(1, np.int32)
    return ap, aa, weighted


# a small weighted graph with triangles, a pendant and unequal weights
WEIGHTED_EDGES = [
    (0, 1, 1.0), (0, 2, 2.0), (1, 2, 0.5), (1, 3, 3.0), (2, 3, 1.0),
    (3, 4, 2.0), (2, 5, 1.5), (4, 5, 1.0), (0, 5, 0.25),
]


def exact_node2vec(A, prev, cur, p, q):
    """Exact P(next | prev, cur) of node2vec (out-neighbours of prev)."""
    A = A.toarray()
    w = A[cur].copy()
    alpha = np.where(A[prev] > 0, 1.0, 1.0 / q)
    alpha[prev] = 1.0 / p
    probs = w * alpha
    return probs / probs.sum()


@pytest.mark.parametrize("p, q", [(0.5, 2.0), (4.0, 0.25), (1.0, 1.0), (0.3, 0.3)])
@pytest.mark.parametrize("directed", [False, True])
def test_rejection_sampler_matches_exact_node2vec_probabilities(p, q, directed):
    edges = WEIGHTED_EDGES
    if directed:  # add reverse edges with other weights: asymmetric graph
        edges = edges + [(v, u, w * 1.7) for u, v, w in edges[::2]]
    A = _csr(edges, 6, directed=directed)
    ap, aa, weighted = _tables(A)
    assert weighted
    n = 40_000
    for prev in range(6):
        for cur in IX(A)[IP(A)[prev] : IP(A)[prev + 1]]:
            if IP(A)[cur + 1] == IP(A)[cur]:
                continue
            draws = _walks.sample_next(
                IP(A), IX(A), ap, aa, True, prev, int(cur), p, q, n,
                np.uint64(1234 + 7 * prev + int(cur)),
            )
            expected = exact_node2vec(A, prev, int(cur), p, q)
            observed = np.bincount(draws, minlength=6)
            support = expected > 0
            assert observed[~support].sum() == 0  # never a non-neighbour
            if support.sum() > 1:
                stat = chisquare(observed[support], expected[support] * n)
                assert stat.pvalue > 1e-4, (prev, cur, observed / n, expected)
            assert np.abs(observed / n - expected).max() < 0.012


def test_first_order_draws_follow_edge_weights():
    A = _csr(WEIGHTED_EDGES, 6)
    ap, aa, _ = _tables(A)
    n = 50_000
    for cur in range(6):
        draws = _walks.sample_next(
            IP(A), IX(A), ap, aa, True, -1, cur, 1.0, 1.0, n, np.uint64(9)
        )
        w = A.toarray()[cur]
        observed = np.bincount(draws, minlength=6)
        stat = chisquare(observed[w > 0], w[w > 0] / w.sum() * n)
        assert stat.pvalue > 1e-4


def test_node_alias_tables_are_row_local_and_exact():
    rng = np.random.RandomState(0)
    A = sp.random(30, 30, density=0.3, random_state=rng, format="csr") * 10
    A.sort_indices()
    ap, aa = _walks.node_alias_tables(IP(A).astype(np.int64), A.data)
    assert ap.shape == aa.shape == A.data.shape  # O(|E|), never sum(deg^2)
    for v in range(30):
        lo, hi = IP(A)[v], IP(A)[v + 1]
        d = hi - lo
        if d == 0:
            continue
        assert (aa[lo:hi] >= 0).all() and (aa[lo:hi] < d).all()
        # probability mass of each slot reconstructed from the table
        mass = ap[lo:hi].astype(float).copy()
        for i in range(d):
            mass[aa[lo + i]] += 1.0 - ap[lo + i]
        np.testing.assert_allclose(
            mass / d, A.data[lo:hi] / A.data[lo:hi].sum(), atol=1e-6
        )


def _walk(A, starts, L, p, q, seed=3, first=0):
    ap, aa, weighted = _tables(A)
    return _walks.random_walks(
        IP(A), IX(A), ap, aa, weighted, np.asarray(starts, np.int32), L,
        p, q, np.uint64(seed), first,
    )


@pytest.mark.parametrize("p, q", [(1.0, 1.0), (0.5, 2.0)])
def test_walks_identical_for_any_thread_count(p, q):
    import networkx as nx

    A, _ = check_graph(nx.barabasi_albert_graph(300, 3, seed=0))
    starts = np.tile(np.arange(300), 5)
    with numba_threads(1):
        w1, l1 = _walk(A, starts, 30, p, q)
    with numba_threads(2):
        w2, l2 = _walk(A, starts, 30, p, q)
    np.testing.assert_array_equal(w1, w2)
    np.testing.assert_array_equal(l1, l2)
    # blocks with an offset reproduce the same walks
    wb, _ = _walk(A, starts[700:900], 30, p, q, first=700)
    np.testing.assert_array_equal(wb, w1[700:900])
    # another seed gives other walks
    w3, _ = _walk(A, starts, 30, p, q, seed=4)
    assert (w3 != w1).any()


def test_walks_follow_edges_and_have_the_requested_length():
    import networkx as nx

    G = nx.karate_club_graph()
    A, _ = check_graph(G)
    dense = A.toarray() > 0
    walks, lengths = _walk(A, np.arange(34), 80, 0.5, 2.0)
    assert walks.shape == (34, 80) and (lengths == 80).all()
    assert (walks[:, 0] == np.arange(34)).all()
    assert dense[walks[:, :-1], walks[:, 1:]].all()


def test_dead_ends_truncate_directed_walks_without_padding():
    # 0 -> 1 -> 2 (2 has no out-edge), 3 -> 0
    A = _csr([(0, 1), (1, 2), (3, 0)], 4, directed=True)
    walks, lengths = _walk(A, [0, 3, 2, 1], 6, 0.5, 2.0)
    assert lengths.tolist() == [3, 4, 1, 2]
    assert walks[0].tolist() == [0, 1, 2, -1, -1, -1]
    assert walks[1].tolist() == [3, 0, 1, 2, -1, -1]
    indptr, ids = _walks.walks_to_csr(walks, lengths)
    # the single-node walk (start 2) is dropped: it holds no training pair
    assert indptr.tolist() == [0, 3, 7, 9]
    assert ids.tolist() == [0, 1, 2, 3, 0, 1, 2, 1, 2]
    assert (ids >= 0).all()  # never node 0 as padding


def test_walk_length_counts_nodes():
    A = _csr([(0, 1), (1, 2), (2, 0)], 3)
    walks, lengths = _walk(A, [0, 1], 1, 1.0, 1.0)
    assert walks.shape == (2, 1) and lengths.tolist() == [1, 1]
    walks, lengths = _walk(A, [0], 2, 1.0, 1.0)
    assert lengths.tolist() == [2]


def test_return_parameter_changes_backtracking_rate():
    """Low p returns to the previous node more often (a property of node2vec)."""
    import networkx as nx

    A, _ = check_graph(nx.karate_club_graph(), weighted=False)
    starts = np.tile(np.arange(34), 20)

    def backtrack_rate(p, q):
        walks, _ = _walk(A, starts, 20, p, q)
        return np.mean(walks[:, 2:] == walks[:, :-2])

    assert backtrack_rate(0.1, 1.0) > 2 * backtrack_rate(1.0, 1.0)
    assert backtrack_rate(10.0, 1.0) < 0.5 * backtrack_rate(1.0, 1.0)


def _triples(walks):
    return walks[:, 0], walks[:, 1], walks[:, 2]


@pytest.mark.parametrize("sampler", ["rejection", "alias"])
@pytest.mark.parametrize("directed", [False, True])
def test_walk_level_second_steps_match_exact_probabilities(sampler, directed):
    edges = WEIGHTED_EDGES
    if directed:
        edges = edges + [(v, u, w * 1.7) for u, v, w in edges[::2]]
    A = _csr(edges, 6, directed=directed)
    ap, aa, weighted = _tables(A)
    p, q = 0.5, 3.0
    starts = np.tile(np.arange(6, dtype=np.int32), 40_000)
    if sampler == "alias":
        off, sprob, salias = _walks.second_order_alias_tables(
            IP(A), IX(A), A.data, weighted, p, q
        )
        assert sprob.nbytes + salias.nbytes + off.nbytes == _walks.alias_table_bytes(
            IP(A), IX(A)
        )
        walks, lengths = _walks.random_walks_alias(
            IP(A), IX(A), ap, aa, weighted, off, sprob, salias, starts, 3,
            np.uint64(5), 0,
        )
    else:
        walks, lengths = _walks.random_walks(
            IP(A), IX(A), ap, aa, weighted, starts, 3, p, q, np.uint64(5), 0
        )
    full = lengths == 3
    w0, w1, w2 = _triples(walks[full])
    checked = 0
    for prev in range(6):
        for cur in range(6):
            sel = (w0 == prev) & (w1 == cur)
            if sel.sum() < 2000:
                continue
            expected = exact_node2vec(A, prev, cur, p, q)
            observed = np.bincount(w2[sel], minlength=6)
            support = expected > 0
            assert observed[~support].sum() == 0
            if support.sum() > 1:
                stat = chisquare(observed[support], expected[support] * sel.sum())
                assert stat.pvalue > 1e-4, (prev, cur)
            checked += 1
    assert checked >= 8


def test_alias_tables_memory_estimate_is_sum_in_times_out_degree():
    import networkx as nx

    A, _ = check_graph(nx.star_graph(50))  # a hub: Σ deg² = 50² + 50
    assert _walks.alias_table_bytes(IP(A), IX(A)) == 8 * (50 * 50 + 50) + 8 * 101


def _random_graph(data):
    from hypothesis import strategies as st

    n = data.draw(st.integers(2, 12))
    edges = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.floats(0.1, 10.0),
            ),
            min_size=1,
            max_size=40,
        )
    )
    directed = data.draw(st.booleans())
    return n, edges, directed


def test_walk_invariants_on_random_graphs():
    """Steps follow edges, walks end early only at dead ends, -1 after."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None)
    @given(st.data())
    def check(data):
        n, edges, directed = _random_graph(data)
        p = data.draw(st.sampled_from([0.25, 1.0, 4.0]))
        q = data.draw(st.sampled_from([0.25, 1.0, 4.0]))
        sampler = data.draw(st.sampled_from(["rejection", "alias"]))
        E = np.array(edges, dtype=object)
        A, _ = check_graph(E, directed=directed)
        ap, aa, weighted = _tables(A)
        starts = np.arange(A.shape[0], dtype=np.int32).repeat(3)
        if sampler == "alias":
            off, sp_, sa = _walks.second_order_alias_tables(
                IP(A), IX(A), A.data, weighted, p, q
            )
            walks, lengths = _walks.random_walks_alias(
                IP(A), IX(A), ap, aa, weighted, off, sp_, sa, starts, 7,
                np.uint64(1), 0,
            )
        else:
            walks, lengths = _walks.random_walks(
                IP(A), IX(A), ap, aa, weighted, starts, 7, p, q,
                np.uint64(1), 0,
            )
        out_deg = np.diff(IP(A))
        dense = A.toarray() > 0
        for row, m in zip(walks, lengths, strict=True):
            assert 1 <= m <= 7
            assert (row[m:] == -1).all() and (row[:m] >= 0).all()
            assert dense[row[: m - 1], row[1:m]].all()
            if m < 7:
                assert out_deg[row[m - 1]] == 0
        indptr, ids = _walks.walks_to_csr(walks, lengths)
        assert ids.shape[0] == lengths[lengths > 1].sum()

    check()
