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
* **Memory**: the input is never modified. A canonical float64 CSR
  (sorted indices, no duplicates, no stored zeros) is used without a copy
  (the result shares its arrays), the symmetry test reads it in place, and
  symmetrising builds only the transpose and the result; another dtype
  costs its float64 weights.
"""

import hashlib
import numbers

import joblib
import numpy as np
import scipy.sparse as sp

from .._dataframes import as_pandas, is_dataframe
from .._scaleout import reject_lazy
from .._validation import check_column
from . import _csr_kernels

__all__ = ["check_graph", "graph_arrays", "graph_fingerprint", "is_networkx_graph"]


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
    integral = all(issubclass(k, (numbers.Integral, np.integer)) for k in kinds)
    boolean = any(issubclass(k, (bool, np.bool_)) for k in kinds)
    if kinds and integral and not boolean:
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
            f"{param}: Negative values in data: edge weights must be "
            "non-negative; got "
            f"{int((w < 0).sum())} negative weight(s) (e.g. "
            f"{w[w < 0][:3].tolist()})."
        )
    return w


def _csr(data, indices, indptr, shape):
    """A CSR matrix of these arrays, without stored zeros. Never writes into
    the arrays (they may be the caller's): zeros are dropped into new ones."""
    zero = data == 0
    if zero.any():
        keep = ~zero
        kept = np.zeros(data.shape[0] + 1, dtype=np.int64)
        np.cumsum(keep, out=kept[1:])  # kept entries before each position
        indptr = kept[indptr].astype(indices.dtype)
        data = data[keep]
        indices = indices[keep]
    del zero
    return sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)


def _index_dtype(nnz, n):
    return np.int32 if max(nnz, n) < np.iinfo(np.int32).max else np.int64


def _finish(A, directed, weighted, *, symmetrise, symmetric=None):
    """Canonical CSR: summed duplicates, no zeros, sorted, float64.

    Memory: ``A`` itself is never modified when it is already a canonical
    float64 CSR (so it may share the caller's arrays), and symmetrising
    builds only the transpose and the result (:mod:`._csr_kernels`), not
    scipy's ``A.T`` copy, comparison and sum matrices.
    """
    A = sp.csr_matrix(A)
    if A.dtype != np.float64:
        A = A.astype(np.float64)
    if not A.has_canonical_format:
        A.sum_duplicates()  # sorts and sums in place: callers pass own arrays
    A = _csr(A.data, A.indices, A.indptr, A.shape)
    if not directed:
        if symmetrise == "max":
            if symmetric is None:
                symmetric = _csr_kernels.csr_is_symmetric(
                    A.indptr, A.indices, A.data
                )
            mode = None if symmetric else _csr_kernels.SYM_MAX
        else:  # "sum": each stored entry is one undirected edge
            mode = _csr_kernels.SYM_SUM
        if mode is not None:
            indptr, indices, data = _csr_kernels.csr_symmetrise(
                A.indptr, A.indices, A.data, mode
            )
            del A
            dtype = _index_dtype(data.shape[0], indptr.shape[0])
            A = sp.csr_matrix(
                (data, indices.astype(dtype, copy=False),
                 indptr.astype(dtype, copy=False)),
                shape=(indptr.shape[0] - 1,) * 2, copy=False,
            )
    if weighted is False and not np.all(A.data == 1.0):
        # new data, not A.data[:] = 1: the arrays may be the caller's
        A = sp.csr_matrix(
            (np.ones(A.nnz, dtype=np.float64), A.indices, A.indptr),
            shape=A.shape, copy=False,
        )
    A.has_sorted_indices = True
    A.has_canonical_format = True
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
        A = sp.csr_matrix(A)  # shares the arrays of a CSR input
        if A.dtype.kind not in "biuf":
            raise ValueError(
                f"{param}: adjacency entries must be numbers; got dtype {A.dtype}."
            )
        if not A.has_canonical_format:
            A = A.copy()  # sum_duplicates sorts in place: not the caller's
            A.sum_duplicates()
        data = _check_weights(A.data, param)
        A = _csr(data, A.indices, A.indptr, A.shape)
    else:
        A = np.asarray(A)
        data = _check_weights(A, param)
        A = sp.csr_matrix(data)
    n = A.shape[0]
    if n == 0:
        raise ValueError(f"{param}: the graph has no nodes (0x0 adjacency matrix).")
    if weighted is None:
        weighted = bool(A.nnz) and not np.all(A.data == 1.0)
    symmetric = bool(_csr_kernels.csr_is_symmetric(A.indptr, A.indices, A.data))
    if directed is None:
        directed = not symmetric
    A = _finish(A, directed, weighted, symmetrise="max", symmetric=symmetric)
    return A, np.arange(n, dtype=np.int64)


def _named_columns(E, columns, param):
    """(src, dst, weight or None) of a DataFrame edge list, read by name."""
    out = []
    for col, name in zip(columns, ("source_col", "target_col", "weight_col")):
        if col is None:
            out.append(None)
            continue
        if col not in E.columns:
            raise ValueError(
                f"{name}: column {col!r} is not in the edge list {param}; its "
                f"columns are {list(E.columns)[:10]}."
            )
        column = E[col]
        if not hasattr(column, "to_numpy") or getattr(column, "ndim", 1) != 1:
            raise ValueError(
                f"{name}: column {col!r} of {param} is not unique (the "
                "DataFrame has several columns of that name)."
            )
        out.append(column.to_numpy())
    return out[0], out[1], out[2]


def _columns_of(E, param, columns=None):
    """Split an edge list into (src, dst, weight or None) 1-D arrays.

    ``columns`` is ``(source_col, target_col, weight_col)``: a DataFrame is
    read by those names when ``source_col`` is set, by position otherwise.
    """
    if hasattr(E, "iloc") and hasattr(E, "columns"):  # DataFrame
        if columns is not None and columns[0] is not None:
            return _named_columns(E, columns, param)
        if E.shape[1] not in (2, 3):
            raise ValueError(
                f"{param}: an edge-list DataFrame must have 2 columns (source, "
                f"target) or 3 (source, target, weight); got {E.shape[1]} "
                f"columns {list(E.columns)[:5]}. Name the columns to read with "
                "source_col, target_col (and weight_col)."
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
    both = np.concatenate(
        [np.asarray(src, dtype=object), np.asarray(dst, dtype=object)]
    )
    if any(
        x is None or (isinstance(x, float) and not np.isfinite(x)) for x in both
    ):
        raise ValueError(
            f"{param}: node ids must not be missing or infinite (None, NaN, inf) "
            "in an edge list."
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


def _factorize_integers(s, t):
    """Codes ``0 .. n-1`` of integer node ids, in sorted id order (as
    ``np.unique(..., return_inverse=True)``). Ids in a range not much wider
    than the edge list are mapped through a presence table (one byte and
    one code per id in the range) instead of sorting a concatenated copy;
    codes are int32 when they fit."""
    lo = min(int(s.min()), int(t.min()))
    hi = max(int(s.max()), int(t.max()))
    span = hi - lo + 1
    if span > 4 * (s.shape[0] + t.shape[0]) + 1024:
        nodes, inv = np.unique(np.concatenate([s, t]), return_inverse=True)
        return inv[: s.shape[0]], inv[s.shape[0]:], nodes
    present = np.zeros(span, dtype=bool)
    present[s - lo] = True
    present[t - lo] = True
    nodes = np.flatnonzero(present)
    dtype = _index_dtype(0, nodes.shape[0])
    code = np.cumsum(present, dtype=dtype)
    code -= 1
    del present
    nodes += lo
    return code[s - lo], code[t - lo], nodes.astype(np.int64, copy=False)


def _from_edgelist(E, directed, weighted, param, columns=None):
    src, dst, w = _columns_of(E, param, columns)
    if len(src) == 0:
        raise ValueError(f"{param}: the edge list is empty (0 edges, no nodes).")
    if np.asarray(src).dtype.kind in "iu" and np.asarray(dst).dtype.kind in "iu":
        s, t, nodes = _factorize_integers(
            np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        )
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
    A = sp.coo_matrix((w, (s, t)), shape=(n, n)).tocsr()
    del src, dst, w, s, t  # free the edge columns before symmetrising
    directed = bool(directed) if directed is not None else False
    return _finish(A, directed, weighted, symmetrise="sum"), nodes


def check_graph(G, *, directed=None, weighted=None, param="G", columns=None):
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
    columns : tuple (source_col, target_col, weight_col) or None
        Column names of a DataFrame edge list (``weight_col`` may be None:
        unweighted). None, or ``source_col=None``: the columns are read by
        position (source, target, optional weight). Other inputs ignore it.

    Returns
    -------
    A : scipy.sparse.csr_matrix of float64, shape (n_nodes, n_nodes)
        ``A[u, v]`` is the weight of the edge ``u -> v``; symmetric for an
        undirected graph; column indices sorted within rows. The kernels
        take ``graph_arrays(A)`` (int64 ``indptr``, int32 ``indices``).
    nodes : ndarray, shape (n_nodes,)
        The node id of each row (int64 for integer ids, else object).

    Examples
    --------
    >>> from skembed._graph._checks import check_graph
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
    reject_lazy(G, param=param)
    G = as_pandas(G)
    if is_networkx_graph(G):
        A, nodes = _from_networkx(G, directed, weighted, param)
        if A.shape[0] == 0:
            raise ValueError(f"{param}: the graph has no nodes.")
        return A, nodes
    if sp.issparse(G):
        return _from_matrix(G, directed, weighted, param)
    if hasattr(G, "iloc") and hasattr(G, "columns"):
        return _from_edgelist(G, directed, weighted, param, columns)
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


def graph_arrays(A):
    """``(indptr int64, indices int32)`` of a :func:`check_graph` result, as
    the numba kernels take them (the matrix itself keeps scipy's consistent
    index dtype, so every scipy method keeps working on it)."""
    return (
        np.ascontiguousarray(A.indptr, dtype=np.int64),
        np.ascontiguousarray(A.indices, dtype=np.int32),
    )


def _row_keys(W):
    """A content key per row of a matrix of link rows (storage-independent)."""
    W = sp.csr_matrix(W)
    if not W.has_canonical_format or not np.all(W.data):
        # a copy: sum_duplicates and eliminate_zeros work in place
        W = W.astype(np.float64, copy=True)
        W.sum_duplicates()
        W.eliminate_zeros()
        W.sort_indices()
    indices, data = W.indices, W.data
    keys = []
    for i in range(W.shape[0]):
        lo, hi = W.indptr[i], W.indptr[i + 1]
        h = hashlib.blake2b(indices[lo:hi].astype(np.int64).tobytes(),
                            digest_size=16)
        h.update(data[lo:hi].astype(np.float64, copy=False).tobytes())
        keys.append(h.hexdigest())
    return keys


def graph_fingerprint(A, nodes):
    """A content hash of a validated graph (for caches keyed by the graph)."""
    return joblib.hash((A.shape, A.indptr, A.indices, A.data, nodes))


# ---------------------------------------------------------------------------
# Node-id columns and the fit/transform plumbing shared by graph embedders
# ---------------------------------------------------------------------------


def as_node_ids(X, *, param="X"):
    """A column of node ids -> 1-D array (object or numeric), validated.

    Accepts a list, a 1-D array, a pandas Series, a one-column DataFrame or a
    ``(n, 1)`` array, or a networkx graph (its nodes). Raises (through
    :func:`skembed._validation.check_column`) a ``ValueError`` naming
    ``param`` for a bare string, a scalar, an empty input or more than one
    column.
    """
    what = "node ids"
    if is_networkx_graph(X):
        return _non_empty(_id_array(list(X)), param)
    X = check_column(X, what=what, param=param, scalar_error=ValueError)
    if hasattr(X, "iloc"):  # a Series, or the column of a one-column frame
        ids = X.to_numpy()
    elif hasattr(X, "__array__"):
        ids = np.asarray(X)
        if ids.ndim == 2 and ids.shape[1] == 1:
            ids = ids[:, 0]
        if ids.ndim != 1:
            raise ValueError(
                f"{param}: expected a 1-D column of {what}; got an array of shape "
                f"{ids.shape}."
            )
    else:
        items = list(X)
        if items and all(
            isinstance(x, (list, np.ndarray)) and len(x) == 1 for x in items
        ):
            items = [x[0] for x in items]  # [[id], [id]]: a one-column table
        ids = np.fromiter(items, dtype=object, count=len(items))
    return _non_empty(ids, param)


def _non_empty(ids, param):
    if ids.shape[0] == 0:
        raise ValueError(f"{param}: got an empty column of node ids (0 ids).")
    return ids


def node_index(nodes):
    """The id -> row dictionary of ``nodes``, or None for integer ids: those
    are looked up by :func:`lookup_rows` with a binary search on the array
    itself (a dictionary costs ~110 bytes per node, kept in the fitted
    estimator and its pickle)."""
    if nodes.dtype.kind == "i":
        return None
    return {node: i for i, node in enumerate(nodes.tolist())}


def lookup_rows(node_index, nodes, ids):
    """Rows of ``ids`` in the fitted node order; -1 for unknown ids.

    ``node_index`` is :func:`node_index` of ``nodes`` (None for integer
    node ids, whatever their order: networkx keeps insertion order).
    """
    n = nodes.shape[0]
    if nodes.dtype.kind == "i" and ids.dtype.kind in "iu" and n:
        ids64 = ids.astype(np.int64, copy=False)
        if np.all(nodes[1:] > nodes[:-1]):  # sorted (adjacency, edge lists)
            order, ordered = None, nodes
        else:
            order = np.argsort(nodes, kind="stable")
            ordered = nodes[order]
        pos = np.minimum(np.searchsorted(ordered, ids64), n - 1)
        rows = pos if order is None else order[pos]
        return np.where(ordered[pos] == ids64, rows, -1)
    if node_index is None:
        if nodes.dtype.kind == "i" and ids.dtype.kind in "US":
            return np.full(ids.shape[0], -1, dtype=np.int64)  # never equal
        node_index = {node: i for i, node in enumerate(nodes.tolist())}
    get = node_index.get
    out = np.empty(ids.shape[0], dtype=np.int64)
    for i, x in enumerate(ids.tolist()):
        try:
            out[i] = get(x, -1)
        except TypeError:  # unhashable id
            out[i] = -1
    return out


def _type_names(values):
    return " / ".join(sorted({type(x).__name__ for x in values}))


def type_hint(bad, nodes):
    """A hint when unknown ids are fitted ids of another type (``'0'`` for
    ``0``, ``1`` for ``'1'``), else an empty string."""
    bad = list(bad[:1000])
    sample = nodes[:1000].tolist()
    if not bad or not sample:
        return ""
    fitted = {str(x) for x in nodes.tolist()}
    if not any(str(x) in fitted for x in bad):
        return ""
    have, want = _type_names(bad), _type_names(sample)
    if have == want:
        return ""
    convert = "astype(str)" if all(isinstance(x, str) for x in sample) else (
        "astype(int)" if all(isinstance(x, int) for x in sample) else "a cast"
    )
    return (
        f" The fitted node ids are of type {want} (e.g. {sample[0]!r}) but these "
        f"are {have} (e.g. {bad[0]!r}): convert them ({convert}) to the type of "
        "the graph's node ids."
    )


def unknown_message(ids, rows, param="X", nodes=None):
    bad = ids[rows < 0]
    shown = ", ".join(repr(x) for x in bad[:5].tolist())
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    hint = "" if nodes is None else type_hint(bad.tolist(), nodes)
    return (
        f"{param}: {len(bad)} node id(s) unknown to the fitted graph: {shown}"
        f"{more}.{hint} Use handle_unknown='zeros' or 'neighbors' to embed "
        "unknown ids."
    )


# ---------------------------------------------------------------------------
# Input modes of the graph embedders
# ---------------------------------------------------------------------------

def _is_link_rows(X):
    """Adjacency mode: is ``X`` a 2-D matrix of link rows (not 1-D node ids)?"""
    if sp.issparse(X):
        return True
    if isinstance(X, (list, tuple)):
        return len(X) > 0 and all(
            isinstance(r, (list, tuple, np.ndarray)) for r in X
        )
    return hasattr(X, "__array__") and np.asarray(X).ndim == 2


def _looks_like_adjacency(X):
    """Square (or non-edge-list) 2-D matrix input: the sklearn-checkable mode.

    Sparse matrices always are; NumPy-like arrays are unless they look like
    an edge list (string ids, or 2/3 columns and not square numeric);
    DataFrames and lists (of rows) only when square, numeric and not of 2/3
    columns; networkx graphs never are.
    """
    if sp.issparse(X):
        return True
    if is_networkx_graph(X):
        return False
    if isinstance(X, (list, tuple)):
        # a list is an edge list, unless it is a square numeric matrix whose
        # rows cannot be (source, target[, weight]) tuples
        n = len(X)
        if n in (0, 2, 3) or not all(
            isinstance(r, (list, tuple, np.ndarray)) and len(r) == n for r in X
        ):
            return False
        return np.asarray(X).dtype.kind in "biuf"
    if is_dataframe(X):
        X = as_pandas(X)
        if X.shape[1] in (2, 3):
            return False
        return all(dt.kind in "biuf" for dt in X.dtypes)
    if hasattr(X, "__array__"):
        arr = np.asarray(X)
        if arr.ndim != 2 or arr.dtype.kind in "US":
            return False
        if arr.dtype.kind == "O":
            return arr.shape[0] == arr.shape[1] and arr.shape[1] not in (2, 3)
        if arr.shape[0] != arr.shape[1] and arr.shape[1] in (2, 3):
            return False  # numeric edge list
        return True
    return False
