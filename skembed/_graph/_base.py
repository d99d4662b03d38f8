"""fit / transform plumbing shared by the graph embedders: input modes
(graph, adjacency matrix, node-id column with ``graph=``), node lookups,
unknown nodes, the learnt-embedding cache, tags."""

import copy
import numbers
import warnings
from collections.abc import Hashable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from .._compat import _clone_parametrized, _get_output_config, validate_data
from .._fitted import (
    BOOL,
    DERIVED,
    DICT,
    INT,
    array,
    check_feature_names,
    check_rows,
    check_width,
    optional,
)
from .._dataframes import as_pandas, is_dataframe
from .._validation import effective_threads
from .._vectors._keyedvectors import KeyedVectors
from ._cache import learn_cached
from ._checks import (
    _check_weights,
    _id_array,
    _is_link_rows,
    _looks_like_adjacency,
    _row_keys,
    as_node_ids,
    check_graph,
    lookup_rows,
    node_index,
    type_hint,
    unknown_message,
)

__all__ = ["COLUMN_CONSTRAINTS", "_GraphEmbedderMixin"]

#: parameters naming the columns of an edge-list DataFrame (every graph
#: embedder has them; None reads the columns by position)
COLUMN_CONSTRAINTS = {
    "source_col": "no_validation",  # any column label: checked in fit
    "target_col": "no_validation",
    "weight_col": "no_validation",
}


class _GraphEmbedderMixin:
    """fit / transform plumbing shared by the graph embedders.

    Subclasses define ``_learn_params`` (names of the parameters the learnt
    embedding depends on, besides the graph, ``random_state`` and the thread
    count) and pass their learn function to :meth:`_fit`; they have the
    parameters ``graph``, ``directed``, ``weighted``, ``source_col``,
    ``target_col``, ``weight_col``, ``handle_unknown``, ``memory``,
    ``random_state``, ``n_jobs``, ``verbose``.
    """

    #: fitted state of every graph embedder (see :mod:`skembed._fitted`);
    #: the id -> row lookup is derived from ``nodes_``, not saved
    _fitted_state: dict = {
        "nodes_": array(None, 1),
        "_node_index": DERIVED,
        "_wv": DERIVED,
        "isolated_nodes_": array(None, 1),
        "timings_": DICT,
        "_adjacency_input": BOOL,
        "_fit_row_index": optional(DICT),
        "n_features_in_": INT,
        "feature_names_in_": array(None, 1),
    }

    def _persist_restore(self):
        if hasattr(self, "nodes_"):  # fitted
            self._node_index = node_index(self.nodes_)

    def _check_fitted_state(self):
        state = vars(self)
        check_feature_names(state)
        emb = state.get("embedding_")
        check_rows(state, len(self.nodes_) if "nodes_" in state else None, "embedding_")
        check_width(state, None if emb is None else emb.shape[1])

    def __sklearn_clone__(self):
        """Clone every parameter except ``graph``, which is shared.

        ``clone`` deep-copies parameters; a large networkx graph would be
        copied on every grid-search fold. The graph is a read-only input
        (never modified here, and cached results are keyed by its content),
        so clones share it.
        """
        shallow = copy.copy(self)
        shallow.graph = None
        new = _clone_parametrized(shallow)
        new.graph = self.graph
        return new

    # -- training graph -----------------------------------------------------
    def _columns(self):
        """``(source_col, target_col, weight_col)`` for :func:`check_graph`,
        or None to read edge-list DataFrames by position."""
        cols = (self.source_col, self.target_col, self.weight_col)
        if cols == (None, None, None):
            return None
        for name, col in zip(("source_col", "target_col", "weight_col"), cols):
            if not isinstance(col, Hashable):
                raise ValueError(
                    f"{name}: expected a column label (a hashable such as a "
                    f"str or int) or None; got {type(col).__name__}."
                )
        if self.source_col is None or self.target_col is None:
            raise ValueError(
                "source_col, target_col: name both columns of the edge list "
                "(weight_col is optional), or none to read them by position; "
                f"got source_col={self.source_col!r}, target_col="
                f"{self.target_col!r}, weight_col={self.weight_col!r}."
            )
        return cols

    def _check_graph(self, G, param):
        return check_graph(
            G, directed=self.directed, weighted=self.weighted, param=param,
            columns=self._columns(),
        )

    def _training_graph(self, X):
        if self.graph is not None:
            A, nodes = self._check_graph(self.graph, "graph")
            self._forget_features_in()
            return A, nodes, False, as_node_ids(X)
        named = self._columns() is not None and is_dataframe(X)
        if not named and _looks_like_adjacency(X):
            Xv = validate_data(
                self, X, reset=True, accept_sparse=["csr", "csc", "coo"],
                dtype=[np.float64, np.float32], ensure_min_samples=1,
                ensure_min_features=1,
            )
            if Xv.shape[0] != Xv.shape[1]:
                raise ValueError(
                    "X: expected a square adjacency matrix of shape (n_nodes, "
                    f"n_nodes) or an edge list of shape (n_edges, 2|3); got shape "
                    f"{Xv.shape} ({Xv.shape[0]} sample(s), {Xv.shape[1]} "
                    "feature(s))."
                )
            A, nodes = check_graph(
                Xv, directed=self.directed, weighted=self.weighted, param="X"
            )
            return A, nodes, True, None
        A, nodes = self._check_graph(X, "X")
        self._forget_features_in()
        return A, nodes, False, None

    def _forget_features_in(self):
        """Only the adjacency mode has input features: drop stale ones."""
        for attr in ("n_features_in_", "feature_names_in_"):
            if hasattr(self, attr):
                delattr(self, attr)

    # -- learning with caching ----------------------------------------------
    def _learn_with_cache(self, A, learn):
        return learn_cached(
            learn, A, {k: getattr(self, k) for k in self._learn_params},
            random_state=self.random_state,
            threads=effective_threads(self.n_jobs), verbose=self.verbose,
            name=type(self).__name__, memory=self.memory,
            in_process=self.memory is True
            or (self.memory is None and self.graph is not None),
        )

    def _fit(self, X, learn):
        """Fit on ``X`` (or ``graph=``) with ``learn``, the embedder's
        module-level function ``learn(A, params, random_state, n_jobs,
        verbose, name) -> (embedding, info)``."""
        A, nodes, adjacency, ids = self._training_graph(X)
        where = "graph" if self.graph is not None else "X"
        if A.nnz == 0:
            raise ValueError(
                f"{where}: the graph has {A.shape[0]} node(s) but no edge; there "
                "is nothing to learn an embedding from."
            )
        self.nodes_ = nodes
        self._node_index = node_index(nodes)
        self.__dict__.pop("_wv", None)  # wv_ is rebuilt on first access
        if ids is not None and self.handle_unknown == "error":
            rows = lookup_rows(self._node_index, nodes, ids)
            if (rows < 0).any():
                raise ValueError(unknown_message(ids, rows, "X", nodes))
        emb, info = self._learn_with_cache(A, learn)
        self.embedding_ = emb
        self.loss_curve_ = list(info.get("loss_curve", []))
        self.timings_ = {k: info[k] for k in ("walks", "training") if k in info}
        isolated = np.asarray(info.get("isolated", np.zeros(0, np.int64)))
        self.isolated_nodes_ = nodes[isolated]
        if isolated.size:
            warnings.warn(
                f"{type(self).__name__}: {isolated.size} isolated node(s) (no "
                f"edge) get a zero vector, e.g. {self.isolated_nodes_[:3].tolist()}.",
                UserWarning,
                stacklevel=3,
            )
        self._adjacency_input = adjacency
        # lets transform recognise the training rows (see _transform_rows)
        self._fit_row_index = None
        if adjacency:
            rows = X if sp.issparse(X) else np.asarray(X, dtype=np.float64)
            self._fit_row_index = {}
            for i, key in enumerate(_row_keys(rows)):
                self._fit_row_index.setdefault(key, i)
        self._n_features_out = emb.shape[1]
        return self

    # -- lookups ------------------------------------------------------------
    def _neighbour_means(self, unknown_ids, graph):
        """Weighted mean of fitted neighbours' vectors for each unknown id."""
        out = np.zeros((len(unknown_ids), self.embedding_.shape[1]), np.float32)
        if graph is None:
            return out
        A2, nodes2 = self._check_graph(graph, "graph")
        fitted_rows = lookup_rows(self._node_index, self.nodes_, nodes2)
        index2 = {node: i for i, node in enumerate(nodes2.tolist())}
        for k, u in enumerate(unknown_ids.tolist()):
            try:
                r = index2.get(u)
            except TypeError:
                r = None
            if r is None:
                continue
            lo, hi = A2.indptr[r], A2.indptr[r + 1]
            nb = fitted_rows[A2.indices[lo:hi]]
            w = A2.data[lo:hi]
            keep = nb >= 0
            if keep.any() and w[keep].sum() > 0:
                out[k] = (w[keep, None] * self.embedding_[nb[keep]]).sum(0) / w[
                    keep
                ].sum()
        return out

    def _transform_rows(self, X):
        """Adjacency mode: rows of links to the fitted nodes -> mean vectors.

        A row equal to a row of the training matrix stands for that fitted
        node and gets its trained vector, so ``fit(A).transform(A)`` equals
        ``fit_transform(A)`` (and any subset or order of its rows too); any
        other row is a new node, embedded as the weighted mean of the fitted
        nodes it links to.
        """
        Xv = validate_data(
            self, X, reset=False, accept_sparse=["csr", "csc", "coo"],
            dtype=[np.float64, np.float32],
        )
        W = sp.csr_matrix(Xv, dtype=np.float64)
        _check_weights(W.data, "X")
        known = getattr(self, "_fit_row_index", None) or {}
        fitted = np.array([known.get(k, -1) for k in _row_keys(W)], dtype=np.int64)
        sums = np.asarray(W.sum(axis=1)).ravel()
        inv = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
        out = sp.diags(inv) @ W @ self.embedding_.astype(np.float64)
        out = np.asarray(out, dtype=np.float32)
        hit = fitted >= 0
        out[hit] = self.embedding_[fitted[hit]]
        return out

    def _transform(self, X, graph=None):
        """Embed node ids (or, in adjacency mode, rows of links).

        Parameters
        ----------
        X : array-like of shape (n_ids,) or (n_ids, 1)
            Node ids (any hashable). When the estimator was fitted on a square
            adjacency matrix, ``X`` may also be a matrix of shape
            ``(n_queries, n_nodes)``: row ``i`` holds the link weights of a
            query node to the fitted nodes, and its vector is the
            weight-averaged vector of those nodes (zeros without links).
        graph : graph, optional
            Used by ``handle_unknown="neighbors"``: the neighbours of an
            unknown id in this graph (any form accepted by ``fit``) that were
            fitted give its vector (weighted mean).

        Returns
        -------
        ndarray of float32, shape (n_ids, n_components)
            Under ``set_output(transform="pandas")``, a DataFrame indexed by
            node id (as ``fit_transform(G)``), or by the row index of ``X``
            when it is a Series or DataFrame (of any library: rows stay
            aligned with ``y`` in a pipeline).
        """
        check_is_fitted(self, "embedding_")
        adjacency = getattr(self, "_adjacency_input", False)
        if adjacency and _is_link_rows(X):
            return self._transform_rows(X)
        X = as_pandas(X)
        out, ids = self._lookup(X, graph)
        if _get_output_config("transform", self)["dense"] == "pandas":
            # a column of any dataframe library keeps its (pandas) row index
            index = (
                X.index if isinstance(X, (pd.Series, pd.DataFrame))
                else pd.Index(_id_array(ids.tolist()))  # int64 or object ids
            )
            return pd.DataFrame(out, index=index, columns=self.get_feature_names_out())
        return out

    def _lookup(self, X, graph):
        """``(vectors, ids)`` of a column of node ids."""
        ids = as_node_ids(X)
        adjacency = getattr(self, "_adjacency_input", False)
        if adjacency and ids.dtype.kind == "f" and not np.all(np.mod(ids, 1) == 0):
            raise ValueError(
                "X: expected integer node ids 0..n_nodes-1 (1-D) or rows of links "
                "to the fitted nodes (2-D); got 1-D non-integer values. Reshape "
                "your data with array.reshape(1, -1) if it is a single row of "
                "links."
            )
        rows = lookup_rows(self._node_index, self.nodes_, ids)
        unknown = rows < 0
        out = self.embedding_[np.where(unknown, 0, rows)]
        if unknown.any():
            if self.handle_unknown == "error":
                raise ValueError(unknown_message(ids, rows, "X", self.nodes_))
            if self.handle_unknown == "neighbors":
                out[unknown] = self._neighbour_means(ids[unknown], graph)
            else:
                out[unknown] = 0.0
        return out, ids

    # -- queries ------------------------------------------------------------
    @property
    def wv_(self):
        """The node vectors as a :class:`~skembed.KeyedVectors` keyed by node
        id (gensim-like queries: ``most_similar``, ``similarity``,
        ``save_word2vec_format``...). Built on first access and shared with
        ``embedding_`` (no copy)."""
        check_is_fitted(self, "embedding_")
        wv = getattr(self, "_wv", None)
        if wv is None or wv.vectors is not self.embedding_:
            wv = KeyedVectors(self.nodes_.tolist(), self.embedding_)
            self._wv = wv
        return wv

    def _node_key(self, node, name):
        """The ``wv_`` key of a fitted node (KeyError naming ``name`` else)."""
        rows = lookup_rows(self._node_index, self.nodes_, as_node_ids([node]))
        if rows[0] < 0:
            raise KeyError(
                f"{name}: node {node!r} is not in the fitted graph "
                f"({len(self.nodes_)} nodes)."
                + type_hint([node], self.nodes_)
            )
        return self.wv_.index_to_key[rows[0]]

    def most_similar(self, node, topn=10):
        """Nodes nearest to ``node`` by cosine similarity of their vectors.

        Delegates to :meth:`wv_.most_similar <skembed.KeyedVectors.most_similar>`
        and returns arrays, as :meth:`Item2VecTransformer.most_similar
        <skembed.Item2VecTransformer.most_similar>` does (``wv_.most_similar``
        gives gensim's list of ``(key, score)`` pairs).

        Parameters
        ----------
        node : hashable
            A node of the fitted graph.
        topn : int, default=10
            Number of neighbours (the node itself is excluded).

        Returns
        -------
        nodes : ndarray of shape (topn,)
            The nearest nodes, most similar first (fewer in a smaller graph).
        scores : ndarray of float32, shape (topn,)
            Their cosine similarity to ``node``.
        """
        check_is_fitted(self, "embedding_")
        if not isinstance(topn, numbers.Integral) or isinstance(topn, bool) or topn < 1:
            raise ValueError(f"topn: expected a positive int; got {topn!r}.")
        key = self._node_key(node, "node")
        rows, scores = self.wv_._most_similar_rows(key, int(topn))
        return self.nodes_[rows], scores

    def similarity(self, node1, node2):
        """Cosine similarity of the vectors of two fitted nodes.

        Parameters
        ----------
        node1, node2 : hashable

        Returns
        -------
        float
        """
        check_is_fitted(self, "embedding_")
        return self.wv_.similarity(
            self._node_key(node1, "node1"), self._node_key(node2, "node2")
        )

    # the public methods; each estimator class binds them in its own body
    # (``transform = _GraphEmbedderMixin.transform``) so that scikit-learn's
    # set_output and skembed's dask wrappers, which wrap the methods a class
    # defines itself, see them
    def transform(self, X, graph=None):
        """Look up the vectors of node ids.

        Parameters
        ----------
        X : array-like of shape (n_ids,) or (n_ids, 1)
            Node ids (any hashable: a list, array, Series or one-column
            DataFrame). When fitted on a square adjacency matrix, ``X`` may
            instead be a matrix of shape ``(n_queries, n_nodes)``: row ``i``
            holds the link weights of a *new* node to the fitted nodes, and
            its vector is the weighted mean of those nodes' vectors (zeros
            for a row without links).
        graph : graph, default=None
            Only used with ``handle_unknown="neighbors"``: an unknown id's
            vector is the weighted mean of the vectors of its fitted
            neighbours in this graph (zeros when it has none, or when no
            graph is given).

        Returns
        -------
        ndarray of float32, shape (n_ids, n_components)
        """
        return self._transform(X, graph)

    def fit_transform(self, X, y=None):
        """Fit, then return the vectors.

        Parameters
        ----------
        X : graph or array-like of node ids
            As in :meth:`fit`.
        y : None
            Ignored.

        Returns
        -------
        ndarray of float32, shape (n_rows, n_components)
            With ``graph=None``: every node, in ``nodes_`` order (under
            ``set_output(transform="pandas")``, a DataFrame indexed by node
            id). With ``graph=`` set: ``transform(X)``.
        """
        return self._fit_transform(X)

    def _fit_transform(self, X):
        """Fit, then return the vectors.

        With ``graph=None`` (``X`` is the graph) the rows are all nodes in
        ``nodes_`` order (as a DataFrame indexed by node id under
        ``set_output(transform="pandas")``); with ``graph=`` set (``X`` is a
        column of node ids), the rows are ``transform(X)``.
        """
        self.fit(X)
        if self.graph is not None:
            return self._transform(X)
        out = self.embedding_.copy()
        if _get_output_config("transform", self)["dense"] == "pandas":
            # rows are nodes: a square DataFrame's row labels, else the node ids
            index = (
                X.index
                if self._adjacency_input and isinstance(X, pd.DataFrame)
                else pd.Index(self.nodes_)
            )
            return pd.DataFrame(out, index=index, columns=self.get_feature_names_out())
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.graph is None:
            tags.input_tags.pairwise = True
            tags.input_tags.sparse = True
            tags.input_tags.positive_only = True
        else:
            tags.input_tags.two_d_array = False
            tags.input_tags.string = True
        return tags
