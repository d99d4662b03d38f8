"""Graph input: networkx graphs, adjacency matrices and edge lists -> CSR.

:func:`check_graph` is the one entry point. It returns the out-adjacency as a
``scipy.sparse.csr_matrix`` of float64 weights (canonical: sorted column
indices, duplicates summed, no stored zeros) and the node ids, one per row.

Accepted inputs
---------------
* a networkx ``Graph`` / ``DiGraph`` / ``MultiGraph`` / ``MultiDiGraph``
  (duck-typed: networkx is never imported here); node order is
  ``list(G)``, edge weights are read from the ``"weight"`` attribute
  (missing means 1), isolated nodes are kept;
* a square scipy sparse matrix or square numeric NumPy array
  (an adjacency matrix; node ids ``0 .. n-1``);
* an edge list: a pandas DataFrame or a 2-D array of shape ``(n_edges, 2)``
  or ``(n_edges, 3)`` — source, target and optional weight column — or a
  list of ``(src, dst[, weight])`` tuples. Node ids may be any hashable
  objects, of mixed types. A *list* is always read as an edge list; a
  *numeric NumPy array* is read as an adjacency matrix when it is square.

Policy
------
* **Weights** must be finite and non-negative; negative, NaN or infinite
  weights raise a ``ValueError``. An edge of weight 0 is no edge.
* **Duplicate edges** (edge lists, multigraphs) have their weights summed;
  in an undirected edge list ``(u, v)`` and ``(v, u)`` are the same edge.
  With ``weighted=False`` every edge present gets weight 1 (duplicates
  collapse).
* **Self-loops** are kept as ordinary edges (a walk may stay on a node).
  Remove them beforehand if that is not wanted.
* **Isolated nodes** (networkx nodes without edges, zero rows *and*
  columns of a matrix) are kept as rows without entries; what an estimator
  does with them is documented there.
* **Direction**: ``directed=None`` means networkx's ``G.is_directed()``,
  "not symmetric" for a matrix, and undirected for an edge list (as
  networkx's ``from_pandas_edgelist``). An undirected graph is stored with
  both directions. Asking for ``directed=False`` on a directed input
  symmetrises it: edge lists and networkx graphs sum ``u->v`` and ``v->u``,
  a matrix takes ``max(A, A.T)`` (so a triangular matrix works).
* **Weighted**: ``weighted=None`` means "weighted if the input carries
  weights" (a third column, a ``"weight"`` attribute, or matrix entries
  other than 0/1); ``False`` replaces every weight by 1.
"""

import numbers

import joblib
import numpy as np
import scipy.sparse as sp

__all__ = ["check_graph", "graph_fingerprint", "is_networkx_graph"]


def is_networkx_graph(G):
    """Duck-typed test for a networkx graph (networkx is not imported)."""
    return (
        hasattr(G, "is_directed")
        and hasattr(G, "adj")
        and hasattr(G, "edges")
        and hasattr(G, "nodes")
        and callable(getattr(G, "is_directed", None))
    )


def _id_array(ids):
    """A 1-D array of node ids: int64/float/str arrays stay typed, anything
    else (mixed types, tuples) becomes an object array of the original
    Python objects."""
    ids = list(ids)
    kinds = {type(x) for x in ids}
    if kinds and all(issubclass(k, (numbers.Integral, np.integer)) for k in kinds) and not any(
        issubclass(k, (bool, np.bool_)) for k in kinds
    ):
        return np.asarray(ids, dtype=np.int64)
    return np.fromiter(ids, dtype=object, count=len(ids))


def _check_weights(w, param):
    w = np.asarray(w)
    if w.dtype.kind not in "biuf":
        try:
            w = w.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{param}: edge weights must be numbers; got values of dtype "
                f"{w.dtype} (e.g. {w.ravel()[:3].tolist()!r})."
            ) from exc
    w = w.astype(np.float64, copy=False)
    bad = ~np.isfinite(w)
    if bad.any():
        raise ValueError(
            f"{param}: edge weights must be finite; got {int(bad.sum())} "
            f"NaN/infinite weight(s) (e.g. {w[bad][:3].tolist()})."
        )
    if (w < 0).any():
        raise ValueError(
            f"{param}: edge weights must be non-negative; got "
            f"{int((w < 0).sum())} negative weight(s) (e.g. "
            f"{w[w < 0][:3].tolist()})."
        )
    return w


def _finish(A, directed, weighted, *, symmetrise):
    """Canonical CSR: summed duplicates, no zeros, sorted, float64."""
    A = sp.csr_matrix(A, dtype=np.float64)
    A.sum_duplicates()
    if not directed:
        if symmetrise == "max":
            if (A != A.T).nnz:
                A = A.maximum(A.T).tocsr()
        else:  # "sum": each stored entry is one undirected edge
            diag = sp.diags(A.diagonal())
            A = (A + A.T - diag).tocsr()
    A.eliminate_zeros()
    if weighted is False:
        A.data[:] = 1.0
    A.sort_indices()
    A.indptr = A.indptr.astype(np.int64)
    A.indices = A.indices.astype(np.int32)
    return A


def _from_networkx(G, directed, weighted, param):
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    src = []
    dst = []
    wts = []
    has_weight = False
    for u, v, d in G.edges(data=True):
        src.append(index[u])
        dst.append(index[v])
        if "weight" in d:
            has_weight = True
            wts.append(d["weight"])
        else:
            wts.append(1.0)
    w = _check_weights(np.asarray(wts, dtype=object) if wts else np.zeros(0), param)
    if weighted is None:
        weighted = has_weight
    is_directed = bool(G.is_directed())
    if directed is None:
        directed = is_directed
    A = sp.coo_matrix(
        (w, (np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64))),
        shape=(n, n),
    )
    if not is_directed:
        # networkx lists an undirected edge once; store both directions
        A = _finish(A, False, weighted, symmetrise="sum")
    else:
        A = _finish(A, directed, weighted, symmetrise="sum")
    return A, _id_array(nodes)


def _from_matrix(A, directed, weighted, param):
    if sp.issparse(A):
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise ValueError(
                f"{param}: a sparse adjacency matrix must be square; got shape "
                f"{A.shape}."
            )
        A = sp.csr_matrix(A)
        if A.dtype.kind not in "biuf":
            raise ValueError(
                f"{param}: adjacency entries must be numbers; got dtype {A.dtype}."
            )
        A.sum_duplicates()
        data = _check_weights(A.data, param)
        A = sp.csr_matrix((data, A.indices, A.indptr), shape=A.shape)
    else:
        A = np.asarray(A)
        data = _check_weights(A, param)
        A = sp.csr_matrix(data)
    n = A.shape[0]
    if n == 0:
        raise ValueError(f"{param}: the graph has no nodes (0x0 adjacency matrix).")
    A.eliminate_zeros()
    if weighted is None:
        weighted = bool(A.nnz) and not np.all(A.data == 1.0)
    if directed is None:
        directed = bool((A != A.T).nnz)
    return _finish(A, directed, weighted, symmetrise="max"), np.arange(n, dtype=np.int64)


def _columns_of(E, param):
    """Split an edge list into (src, dst, weight or None) 1-D arrays."""
    if hasattr(E, "iloc") and hasattr(E, "columns"):  # DataFrame
        if E.shape[1] not in (2, 3):
            raise ValueError(
                f"{param}: an edge-list DataFrame must have 2 columns (source, "
                f"target) or 3 (source, target, weight); got {E.shape[1]} "
                f"columns {list(E.columns)[:5]}."
            )
        cols = [E.iloc[:, j].to_numpy() for j in range(E.shape[1])]
    else:
        if isinstance(E, np.ndarray):
            arr = E
        else:
            rows = list(E)
            lens = {len(r) if hasattr(r, "__len__") else -1 for r in rows}
            if not lens <= {2, 3}:
                raise ValueError(
                    f"{param}: an edge list must hold (source, target) or "
                    "(source, target, weight) tuples; got rows of length(s) "
                    f"{sorted(lens)}."
                )
            width = max(lens) if lens else 2
            arr = np.empty((len(rows), width), dtype=object)
            for i, r in enumerate(rows):
                r = tuple(r)
                arr[i, 0] = r[0]
                arr[i, 1] = r[1]
                if width == 3:
                    arr[i, 2] = r[2] if len(r) == 3 else 1.0
        if arr.ndim != 2 or arr.shape[1] not in (2, 3):
            raise ValueError(
                f"{param}: expected a square adjacency matrix or an edge list of "
                f"shape (n_edges, 2) or (n_edges, 3); got an array of shape "
                f"{arr.shape}."
            )
        cols = [arr[:, j] for j in range(arr.shape[1])]
    src, dst = cols[0], cols[1]
    w = cols[2] if len(cols) == 3 else None
    return src, dst, w


def _factorize(src, dst, param):
    both = np.concatenate([np.asarray(src, dtype=object), np.asarray(dst, dtype=object)])
    if any(x is None or (isinstance(x, float) and x != x) for x in both):
        raise ValueError(
            f"{param}: node ids must not be missing (None/NaN) in an edge list."
        )
    index = {}
    codes = np.empty(len(both), dtype=np.int64)
    for i, x in enumerate(both.tolist()):
        try:
            codes[i] = index.setdefault(x, len(index))
        except TypeError as exc:
            raise ValueError(
                f"{param}: node ids must be hashable; got {type(x).__name__}."
            ) from exc
    nodes = _id_array(index)
    # numeric ids are sorted, so that nodes_ of 0..n-1 ids is 0..n-1
    if nodes.dtype.kind in "iuf":
        order = np.argsort(nodes, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        nodes = nodes[order]
        codes = rank[codes]
    m = len(src)
    return codes[:m], codes[m:], nodes


def _from_edgelist(E, directed, weighted, param):
    src, dst, w = _columns_of(E, param)
    if len(src) == 0:
        raise ValueError(f"{param}: the edge list is empty (0 edges, no nodes).")
    if np.asarray(src).dtype.kind in "iu" and np.asarray(dst).dtype.kind in "iu":
        s = np.asarray(src, dtype=np.int64)
        t = np.asarray(dst, dtype=np.int64)
        nodes, inv = np.unique(np.concatenate([s, t]), return_inverse=True)
        s, t = inv[: len(s)], inv[len(s):]
    else:
        s, t, nodes = _factorize(src, dst, param)
    if w is None:
        w = np.ones(len(s), dtype=np.float64)
        if weighted is None:
            weighted = False
    else:
        w = _check_weights(w, param)
        if weighted is None:
            weighted = True
    n = len(nodes)
    A = sp.coo_matrix((w, (s, t)), shape=(n, n))
    directed = bool(directed) if directed is not None else False
    return _finish(A, directed, weighted, symmetrise="sum"), nodes


def check_graph(G, *, directed=None, weighted=None, param="G"):
    """Validate a graph and return its out-adjacency as CSR plus node ids.

    Parameters
    ----------
    G : networkx graph, square sparse/NumPy adjacency, or edge list
        See the module docstring for the accepted forms and the policy on
        weights, duplicates, self-loops, isolated nodes and direction.
    directed : bool or None, default=None
        None infers it from the input.
    weighted : bool or None, default=None
        None infers it from the input; False sets every weight to 1.
    param : str
        Name of the argument, used in error messages.

    Returns
    -------
    A : scipy.sparse.csr_matrix of float64, shape (n_nodes, n_nodes)
        ``A[u, v]`` is the weight of the edge ``u -> v``; symmetric for an
        undirected graph. ``indptr`` is int64, ``indices`` int32, sorted.
    nodes : ndarray, shape (n_nodes,)
        The node id of each row (int64 for integer ids, else object).

    Examples
    --------
    >>> from skembed._graph import check_graph
    >>> A, nodes = check_graph([("a", "b"), ("b", "c"), ("a", "b")])
    >>> nodes.tolist(), A.toarray().tolist()
    (['a', 'b', 'c'], [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    """
    if G is None:
        raise ValueError(
            f"{param}: a graph is required (networkx graph, square adjacency "
            "matrix or edge list); got None."
        )
    if isinstance(G, (str, bytes)):
        raise ValueError(
            f"{param}: a graph is required (networkx graph, square adjacency "
            f"matrix or edge list); got a string {G[:30]!r}."
        )
    if is_networkx_graph(G):
        A, nodes = _from_networkx(G, directed, weighted, param)
        if A.shape[0] == 0:
            raise ValueError(f"{param}: the graph has no nodes.")
        return A, nodes
    if sp.issparse(G):
        return _from_matrix(G, directed, weighted, param)
    if hasattr(G, "iloc") and hasattr(G, "columns"):
        return _from_edgelist(G, directed, weighted, param)
    if isinstance(G, np.ndarray) or hasattr(G, "__array__"):
        arr = np.asarray(G)
        if arr.ndim != 2:
            raise ValueError(
                f"{param}: expected a square adjacency matrix or an edge list of "
                f"shape (n_edges, 2) or (n_edges, 3); got an array of shape "
                f"{arr.shape}."
            )
        if arr.dtype.kind in "biuf" and arr.shape[0] == arr.shape[1]:
            return _from_matrix(arr, directed, weighted, param)
        if arr.shape[1] not in (2, 3):
            raise ValueError(
                f"{param}: expected a square adjacency matrix or an edge list of "
                f"shape (n_edges, 2) or (n_edges, 3); got an array of shape "
                f"{arr.shape}."
            )
        return _from_edgelist(arr, directed, weighted, param)
    if isinstance(G, numbers.Number) or not hasattr(G, "__iter__"):
        raise TypeError(
            f"{param}: expected a networkx graph, a square adjacency matrix or an "
            f"edge list; got {type(G).__name__}."
        )
    return _from_edgelist(G, directed, weighted, param)


def graph_fingerprint(A, nodes):
    """A content hash of a validated graph (for caches keyed by the graph)."""
    return joblib.hash((A.shape, A.indptr, A.indices, A.data, nodes))
