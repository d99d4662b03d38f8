"""check_graph: every input form, the documented policies, clear errors."""

import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skembed._graph import as_node_ids, check_graph, graph_arrays, graph_fingerprint


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
        "from skembed._graph import check_graph\n"
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
