"""check_graph: every input form, the documented policies, clear errors."""

import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skembed._graph._checks import (
    as_node_ids,
    check_graph,
    graph_arrays,
    graph_fingerprint,
)


def dense(A):
    return A.toarray().tolist()


def test_networkx_graph_keeps_node_order_weights_and_isolated_nodes():
    G = nx.Graph()
    G.add_node("z")  # isolated, first
    G.add_edge("a", "b", weight=2.5)
    G.add_edge("b", 7)
    A, nodes = check_graph(G)
    assert nodes.tolist() == ["z", "a", "b", 7]
    assert nodes.dtype == object
    assert dense(A) == [
        [0, 0, 0, 0], [0, 0, 2.5, 0], [0, 2.5, 0, 1.0], [0, 0, 1.0, 0]
    ]
    assert A.indptr.dtype == A.indices.dtype  # scipy methods keep working
    indptr, indices = graph_arrays(A)
    assert indptr.dtype == np.int64 and indices.dtype == np.int32
    assert A.dtype == np.float64 and A.has_sorted_indices


def test_networkx_directed_and_multigraph():
    D = nx.DiGraph([(0, 1), (1, 2)])
    A, nodes = check_graph(D)
    assert nodes.dtype == np.int64
    assert dense(A) == [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    A, _ = check_graph(D, directed=False)
    assert dense(A) == [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    M = nx.MultiGraph()
    M.add_edge(0, 1, weight=1.0)
    M.add_edge(0, 1, weight=2.0)  # parallel edges: weights summed
    A, _ = check_graph(M)
    assert dense(A) == [[0, 3.0], [3.0, 0]]
    A, _ = check_graph(M, weighted=False)
    assert dense(A) == [[0, 1.0], [1.0, 0]]


def test_networkx_weight_inference():
    G = nx.path_graph(3)
    A, _ = check_graph(G)
    assert set(A.data) == {1.0}
    G[0][1]["weight"] = 4
    A, _ = check_graph(G)
    assert A[0, 1] == 4 and A[1, 2] == 1  # missing weight means 1


def test_square_adjacency_numpy_and_sparse():
    M = np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]])
    for X in (M, sp.csr_matrix(M), sp.coo_matrix(M), sp.csc_matrix(M)):
        A, nodes = check_graph(X)
        assert nodes.tolist() == [0, 1, 2]
        assert dense(A) == M.tolist()


def test_matrix_direction_inference_and_symmetrisation():
    U = np.array([[0, 1, 3], [0, 0, 1], [0, 0, 0]], dtype=float)  # triangular
    A, _ = check_graph(U)  # asymmetric: directed, kept as is
    assert dense(A) == U.tolist()
    A, _ = check_graph(U, directed=False)
    assert dense(A) == (U + U.T).tolist()  # max(A, A.T), no double counting
    S = U + U.T
    A, _ = check_graph(S, directed=False)
    assert dense(A) == S.tolist()


def test_edge_list_forms_give_the_same_graph():
    rows = [("a", "b", 1.0), ("b", "c", 2.0)]
    expected = [[0, 1, 0], [1, 0, 2], [0, 2, 0]]
    df = pd.DataFrame(rows, columns=["src", "dst", "w"])
    for E in (rows, df, np.array(rows, dtype=object)):
        A, nodes = check_graph(E)
        assert nodes.tolist() == ["a", "b", "c"]
        assert dense(A) == expected


def test_numeric_edge_list_ids_are_sorted_and_kept():
    E = np.array([[10, 3], [3, 7], [7, 10], [10, 42]])
    A, nodes = check_graph(E)
    assert nodes.tolist() == [3, 7, 10, 42]
    assert A[nodes.tolist().index(10), 3] == 1.0
    A, nodes = check_graph(E, directed=True)
    assert A.nnz == 4


def test_mixed_type_and_tuple_ids():
    E = [(1, "1"), ("1", (0, 1)), ((0, 1), 2.5)]
    A, nodes = check_graph(E)
    assert nodes.tolist() == [1, "1", (0, 1), 2.5]
    assert A.shape == (4, 4) and A.nnz == 6


def test_duplicates_summed_selfloops_kept():
    E = pd.DataFrame({"s": [0, 1, 0, 2], "t": [1, 0, 1, 2], "w": [1.0, 2.0, 0.5, 3.0]})
    A, _ = check_graph(E)
    # undirected: (0, 1), (1, 0) and (0, 1) again are one edge of weight 3.5
    assert A[0, 1] == A[1, 0] == 3.5
    assert A[2, 2] == 3.0  # self-loop kept once, not doubled
    A, _ = check_graph(E, directed=True)
    assert A[0, 1] == 1.5 and A[1, 0] == 2.0
    A, _ = check_graph(E, weighted=False)
    assert set(A.data) == {1.0}


def test_zero_weight_is_no_edge():
    A, nodes = check_graph(pd.DataFrame({"s": [0, 1], "t": [1, 2], "w": [0.0, 1.0]}))
    assert nodes.tolist() == [0, 1, 2]
    assert A.nnz == 2 and A[0, 1] == 0


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[0, -1.0], [-1.0, 0]]), "Negative values in data"),
        (np.array([[0, np.nan], [np.nan, 0]]), "finite"),
        (np.array([[0, np.inf], [np.inf, 0]]), "finite"),
        ([(0, 1, -2.0)], "non-negative"),
        ([(0, 1, float("nan"))], "finite"),
        ([(0, 1, "heavy")], "must be numbers"),
        (sp.csr_matrix(np.ones((2, 3))), "must be square"),
        (np.ones((4, 5)), r"shape \(4, 5\)"),
        (np.ones(4), r"shape \(4,\)"),
        (np.ones((2, 2, 2)), r"shape \(2, 2, 2\)"),
        (pd.DataFrame(np.ones((3, 4))), "2 columns"),
        ([(0, 1, 2, 3)], "length"),
        ([], "empty"),
        ([(None, 1)], "missing"),
        (np.zeros((0, 0)), "no nodes"),
        (nx.Graph(), "no nodes"),
        (None, "got None"),
        ("edges.csv", "got a string"),
    ],
)
def test_bad_graphs_raise_clear_errors(bad, match):
    with pytest.raises(ValueError, match=match):
        check_graph(bad, param="G")


def test_error_names_the_argument():
    with pytest.raises(ValueError, match="^graph: "):
        check_graph([(0, 1, -1.0)], param="graph")
    with pytest.raises(TypeError, match="G: expected a networkx graph"):
        check_graph(3.5)


def test_unhashable_ids():
    with pytest.raises(ValueError, match="hashable"):
        check_graph([([1], 2)])


def test_fingerprint_changes_with_content_only():
    A, nodes = check_graph(nx.karate_club_graph())
    B, _ = check_graph(nx.karate_club_graph())
    assert graph_fingerprint(A, nodes) == graph_fingerprint(B, nodes)
    C = A.copy()
    C.data[0] += 1
    assert graph_fingerprint(A, nodes) != graph_fingerprint(C, nodes)


@pytest.mark.parametrize(
    "X, expected",
    [
        ([1, 2], [1, 2]),
        (np.array([[1], [2]]), [1, 2]),
        (pd.Series(["a", "b"]), ["a", "b"]),
        (pd.DataFrame({"node": ["a", (1, 2)]}), ["a", (1, 2)]),
        ([[3], [4]], [3, 4]),
        (nx.path_graph(2), [0, 1]),
    ],
)
def test_as_node_ids(X, expected):
    assert as_node_ids(X).tolist() == expected


@pytest.mark.parametrize(
    "X, match",
    [
        ("abc", "single string"),
        (3, "got int"),
        (None, "got NoneType"),
        ([], "empty"),
        (np.ones((3, 2)), r"shape \(3, 2\)"),
        (pd.DataFrame({"a": [1], "b": [2]}), "2 columns"),
        (sp.csr_matrix(np.ones((2, 1))), "sparse"),
    ],
)
def test_as_node_ids_errors(X, match):
    with pytest.raises(ValueError, match=match):
        as_node_ids(X)


def test_networkx_is_not_imported_for_other_inputs():
    code = (
        "import sys, numpy as np\n"
        "from skembed._graph._checks import check_graph\n"
        "check_graph([(0, 1), (1, 2)]); check_graph(np.eye(3))\n"
        "print('networkx' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_edge_list_matches_a_dict_reference_on_random_inputs():
    """Duplicates summed, both directions when undirected, self-loops once."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    ids = st.one_of(st.integers(-3, 5), st.sampled_from(["a", "b", "c", (1, 2)]))

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(st.tuples(ids, ids, st.floats(0.5, 5.0)), min_size=1, max_size=25),
        st.booleans(),
    )
    def check(edges, directed):
        A, nodes = check_graph(edges, directed=directed)
        index = {node: i for i, node in enumerate(nodes.tolist())}
        assert len(index) == len(nodes)  # no duplicated node ids
        expected = {}
        for u, v, w in edges:
            keys = [(u, v)] if directed or u == v else [(u, v), (v, u)]
            for key in keys:
                expected[key] = expected.get(key, 0.0) + w
        got = {
            (nodes[i], nodes[j]): A[i, j] for i, j in zip(*A.nonzero(), strict=True)
        }
        assert got.keys() == expected.keys()
        for key, w in expected.items():
            assert got[key] == pytest.approx(w)

    check()


# ------------------------------------------------------- memory and copies
def _random_csr(rng, n, m, dtype=np.float64):
    src, dst = rng.randint(0, n, m), rng.randint(0, n, m)
    w = (rng.rand(m) * 0.3 + 0.1) * (rng.rand(m) > 0.2)  # some explicit zeros
    return sp.csr_matrix((w.astype(dtype), (src, dst)), shape=(n, n))


def test_graph_kernels_equal_scipy_bit_for_bit():
    """csr_is_symmetric / csr_symmetrise give exactly (A != A.T).nnz == 0,
    A.maximum(A.T) and A + A.T - diag(A) (non-representable sums too)."""
    from skembed._graph import _csr_kernels as gk

    rng = np.random.RandomState(0)
    for trial in range(60):
        n = rng.randint(1, 30)
        A = _random_csr(rng, n, rng.randint(0, 90))
        A.eliminate_zeros()
        if trial % 3 == 0:
            A = (A + A.T).tocsr()
        A.sum_duplicates()
        assert gk.csr_is_symmetric(A.indptr, A.indices, A.data) == (
            (A != A.T).nnz == 0
        )
        for mode, ref in (
            (gk.SYM_MAX, A.maximum(A.T)),
            (gk.SYM_SUM, A + A.T - sp.diags(A.diagonal())),
        ):
            ref = sp.csr_matrix(ref)
            ref.eliminate_zeros()
            ref.sort_indices()
            indptr, indices, data = gk.csr_symmetrise(
                A.indptr, A.indices, A.data, mode
            )
            np.testing.assert_array_equal(indptr, ref.indptr)
            np.testing.assert_array_equal(indices, ref.indices)
            np.testing.assert_array_equal(data, ref.data)


def test_check_graph_never_writes_into_the_callers_matrix():
    """Explicit zeros, duplicates, unsorted indices, float32 or float64,
    weighted=False: the input's arrays are left as they were (the code
    before compacted a float32 matrix's indices in place, corrupting it),
    and read-only (memory-mapped) arrays are accepted."""
    rng = np.random.RandomState(1)
    for dtype in (np.float32, np.float64):
        for weighted in (None, False):
            A = _random_csr(rng, 20, 80, dtype)
            A.has_canonical_format = False
            A.indices[:] = A.indices.copy()  # keep duplicates/zeros as built
            saved = [x.copy() for x in (A.data, A.indices, A.indptr)]
            for x in (A.data, A.indices, A.indptr):
                x.flags.writeable = False
            B, _ = check_graph(A, directed=False, weighted=weighted)
            for x, y in zip((A.data, A.indices, A.indptr), saved, strict=True):
                np.testing.assert_array_equal(x, y)
            assert B.has_canonical_format and np.all(B.data > 0)


def test_integer_edge_list_codes_match_unique():
    from skembed._graph._checks import _factorize_integers

    rng = np.random.RandomState(2)
    for scale, offset in ((1, 0), (7, -20), (10**9, 5)):
        s = rng.randint(0, 50, 40).astype(np.int64) * scale + offset
        t = rng.randint(0, 50, 40).astype(np.int64) * scale + offset
        cs, ct, nodes = _factorize_integers(s, t)
        ref_nodes, inv = np.unique(np.concatenate([s, t]), return_inverse=True)
        np.testing.assert_array_equal(nodes, ref_nodes)
        assert nodes.dtype == np.int64
        np.testing.assert_array_equal(cs, inv[:40])
        np.testing.assert_array_equal(ct, inv[40:])


def test_check_graph_memory_on_a_large_symmetric_matrix():
    """Issue #8: a canonical symmetric float64 CSR is validated without a
    copy (the code before built A.T and a comparison matrix, twice: a peak
    of ~2.6x the graph, 3.5x for float32); only 1-byte masks remain, and a
    float32 matrix costs its float64 weights."""
    import tracemalloc

    rng = np.random.RandomState(3)
    n, m = 20_000, 100_000
    src, dst = rng.randint(0, n, m), rng.randint(0, n, m)
    A = sp.csr_matrix((np.ones(2 * m), (np.r_[src, dst], np.r_[dst, src])), (n, n))
    A.data[:] = rng.rand(A.nnz)
    A = A.maximum(A.T).tocsr()  # symmetric, weighted
    check_graph(A[:50, :50])  # load the kernels outside the trace
    graph_bytes = A.data.nbytes + A.indices.nbytes + A.indptr.nbytes
    A32 = A.astype(np.float32)
    for M, budget in ((A, 0.25), (A32, 0.95)):
        tracemalloc.start()
        B, _ = check_graph(M)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < budget * graph_bytes, (M.dtype, peak, graph_bytes)
        assert (B != A).nnz == 0 or M is A32


def test_integer_node_ids_in_any_order_are_looked_up_by_value():
    """networkx keeps insertion order: nodes [0, 2, 1, 3] start at 0 and end
    at n-1 without being 0..n-1 in order (id 2 was answered with row 2, node
    1's vector). Integer ids need no id -> row dictionary (~110 bytes per
    node kept in the fitted estimator)."""
    import warnings

    from skembed import Node2VecEmbedder
    from skembed._graph._checks import lookup_rows, node_index

    nodes = np.array([0, 2, 1, 3, 10], dtype=np.int64)
    assert node_index(nodes) is None
    ids = np.array([2, 1, 10, 4, -1, 3, 0])
    assert lookup_rows(None, nodes, ids).tolist() == [1, 2, 4, -1, -1, 3, 0]
    assert lookup_rows(None, nodes, np.array(["2"])).tolist() == [-1]
    assert lookup_rows(None, nodes, np.array([2, "x"], dtype=object)).tolist() == [
        1, -1,
    ]
    G = nx.Graph()
    G.add_edges_from([(0, 2), (2, 1), (1, 3), (3, 0), (0, 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = Node2VecEmbedder(
            n_components=4, walk_length=5, n_walks=2, random_state=0
        ).fit(G)
    assert est.nodes_.tolist() == [0, 2, 1, 3]
    np.testing.assert_array_equal(
        est.transform(np.array([2, 1])), est.embedding_[[1, 2]]
    )
