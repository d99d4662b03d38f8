"""Pickle-free saving and loading of fitted skembed estimators.

:func:`save_model` writes one zip file holding ``model.json`` (a JSON
document: the estimator's class, its ``get_params()`` and its fitted
attributes) and one ``.npy`` member per NumPy array. :func:`load_model`
reads it back without ``pickle``, ``eval`` or importing any name read from
the file: every class it can build is on an allowlist in this module, and
every array is read with ``allow_pickle=False`` after its header has been
checked for a plain (non-object) dtype. The format is described precisely
in ``docs/user_guide/persistence.rst``.

Values are encoded by :meth:`_Writer.encode`: JSON scalars as themselves,
lists as JSON arrays, and everything else as a JSON object tagged by its
``"type"`` (``dict``, ``index``, ``tuple``, ``ndarray``, ``object_array``,
``float`` for NaN/inf, NumPy scalars, dtypes and scalar types,
``random_state``, ``sparse``, ``networkx``, ``dataframe``, ``estimator``,
``object``, and ``ref`` for an object met twice, so that shared arrays and
dicts stay shared); :class:`_Reader` has one ``_d_<type>`` method per tag
and refuses any other. Anything else -- a callable ``tokenizer=``, a
lambda, an arbitrary object -- raises ``TypeError`` naming where it sits
and pointing to skops / joblib.

Adding an estimator (opt-in)
----------------------------
1. Add the class to ``_ESTIMATORS`` below (one line). Its parameters are
   saved from ``get_params(deep=False)`` and restored through ``__init__``;
   its fitted state is every other entry of ``vars(estimator)``, so it must
   be made of the values above (arrays, scalars, lists, dicts, tuples,
   skembed objects on the allowlist).
2. Optional hooks on the class:

   - ``_persist_skip = ("_cache", ...)``: attributes not to save (derived
     data that can be rebuilt, caches);
   - ``_persist_restore(self)``: called after loading, to rebuild them.

3. A helper object that is not an estimator (like :class:`KeyedVectors`)
   registers a pair of functions ``state(obj) -> dict`` and
   ``build(state) -> obj`` in ``_OBJECTS``.

4. Declare the kind of each new fitted attribute: arrays that ``transform``
   hands to numba or BLAS in ``_FITTED_ARRAYS`` (dtype, ndim), the others in
   ``_FITTED_TYPES``; loading checks them, so a tampered file fails at load
   with a ``ValueError``, not later inside a kernel.

5. Add a round-trip case to ``tests/test_persist.py``.

Estimators that wrap code or foreign models (e.g. a transformers model)
should stay off the list: ``save_model`` then refuses them with a message
that points to skops / joblib.
"""

import json
import math
import os
import re
import warnings
import zipfile
import zlib

import numpy as np
import scipy.sparse as sp
import sklearn

from .._engine._vocab import Vocabulary
from .._graph._base import _GraphEmbedderMixin
from .._graph._line import LINEEmbedder
from .._graph._node2vec import DeepWalkEmbedder, EdgeFeatures, Node2VecEmbedder
from .._items._item2vec import Item2VecTransformer
from .._tabular._entity import EntityEmbeddingEncoder
from .._tabular._net import EmbeddingNet
from .._text._word2vec import Word2VecVectorizer
from .._vectors._keyedvectors import KeyedVectors, _as_vectors
from .._version import __version__

__all__ = ["load_model", "save_model"]

FORMAT = "skembed.model"
FORMAT_VERSION = 1
_JSON_MEMBER = "model.json"

#: estimators save_model accepts: class name -> class (the allowlist)
_ESTIMATORS = {
    cls.__name__: cls
    for cls in (
        DeepWalkEmbedder,
        EdgeFeatures,
        EntityEmbeddingEncoder,
        Item2VecTransformer,
        LINEEmbedder,
        Node2VecEmbedder,
        Word2VecVectorizer,
    )
}

#: plain dtypes an array may have in a file (bool, int, uint, float,
#: complex, fixed-width unicode and bytes); object and structured are refused
_ARRAY_KINDS = "biufcUS"

#: pandas extension dtypes a DataFrame column may have (stored as its values)
_PANDAS_DTYPES = {
    "str", "string", "boolean", "Float32", "Float64",
    *(f"{u}Int{bits}" for u in ("", "U") for bits in (8, 16, 32, 64)),
}  # fmt: skip


def _pandas_na():
    import pandas as pd

    return pd.NA


_TRUST_HINT = (
    "save_model stores data only, never code. To share this estimator, make "
    "it from data-only parameters, or save it with skops.io.dump (loading "
    "asks which types to trust) or joblib.dump / pickle (load only files "
    "you trust)."
)


# ---------------------------------------------------------------------------
# objects that are not estimators: state / build functions
# ---------------------------------------------------------------------------
def _kv_state(kv):
    return {"key_to_index": kv.key_to_index, "vectors": kv.vectors, "counts": kv.counts}


def _kv_build(state, path):
    key_to_index = _expect(state.get("key_to_index"), dict, f"{path}.key_to_index")
    keys = list(key_to_index)
    if list(key_to_index.values()) != list(range(len(keys))):
        raise ValueError(f"{path}.key_to_index: rows must be 0..n-1 in key order.")
    kv = KeyedVectors.__new__(KeyedVectors)
    kv._vectors = _as_vectors(
        _expect(state.get("vectors"), np.ndarray, f"{path}.vectors"), len(keys)
    )
    kv.index_to_key = keys
    kv.key_to_index = key_to_index
    counts = state.get("counts")
    if counts is not None:
        counts = _expect(counts, np.ndarray, f"{path}.counts")
        if counts.shape != (len(keys),) or counts.dtype != np.int64:
            raise ValueError(f"{path}.counts: expected int64 of shape ({len(keys)},).")
    kv.counts = counts
    kv._normed = kv._norms = None
    return kv


def _net_state(net):
    return {
        "n_rows": net.n_rows,
        "dims": net.dims,
        "n_numeric": net.n_numeric,
        "weights": net.weights,
        "biases": net.biases,
        "flat": net.flat,
        "skip": net.skip,
    }


def _net_build(state, path):
    n_rows = _expect(state.get("n_rows"), np.ndarray, f"{path}.n_rows")
    dims = _expect(state.get("dims"), np.ndarray, f"{path}.dims")
    flat = _expect(state.get("flat"), np.ndarray, f"{path}.flat")
    for what, arr, dtype in (("n_rows", n_rows, np.int64), ("dims", dims, np.int64)):
        _check_array(arr, dtype, 1, f"{path}.{what}")
        if arr.size and arr.min() < 0:
            raise ValueError(f"{path}.{what}: negative sizes.")
    _check_array(flat, np.float32, 1, f"{path}.flat")
    if n_rows.shape != dims.shape or flat.size != int((n_rows * dims).sum()):
        raise ValueError(f"{path}: table sizes do not match the flat array.")
    n_numeric = state.get("n_numeric")
    if type(n_numeric) is not int or n_numeric < 0:
        raise ValueError(f"{path}.n_numeric: expected an int >= 0.")
    weights = _expect(state.get("weights"), list, f"{path}.weights")
    biases = _expect(state.get("biases"), list, f"{path}.biases")
    if not weights or len(weights) != len(biases):
        raise ValueError(f"{path}: expected as many biases as weights (>= 1).")
    width = int(dims.sum()) + n_numeric
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        _check_array(w, np.float32, 2, f"{path}.weights[{i}]")
        _check_array(b, np.float32, 1, f"{path}.biases[{i}]")
        if w.shape[0] != width or b.shape != (w.shape[1],):
            raise ValueError(f"{path}: layer {i} does not fit the previous one.")
        width = w.shape[1]
    skip = state.get("skip")
    if skip is not None:
        _check_array(skip, np.float32, 2, f"{path}.skip")
        if skip.shape != (int(dims.sum()) + n_numeric, width):
            raise ValueError(f"{path}.skip: wrong shape {skip.shape}.")
    return EmbeddingNet(n_rows, dims, n_numeric, weights, biases, flat, skip)


def _vocab_state(vocab):
    return {"index_to_key": vocab.index_to_key, "counts": vocab.counts}


def _vocab_build(state, path):
    return Vocabulary(
        _expect(state.get("index_to_key"), list, f"{path}.index_to_key"),
        _expect(state.get("counts"), np.ndarray, f"{path}.counts"),
    )


#: helper objects: class name -> (class, state function, build function)
_OBJECTS = {
    "KeyedVectors": (KeyedVectors, _kv_state, _kv_build),
    "EmbeddingNet": (EmbeddingNet, _net_state, _net_build),
    "Vocabulary": (Vocabulary, _vocab_state, _vocab_build),
}


def _derived(cls):
    """Attributes not saved for ``cls``, and the function that rebuilds them
    (the class's ``_persist_skip`` / ``_persist_restore`` hooks)."""
    skip = tuple(getattr(cls, "_persist_skip", ()))
    restore = getattr(cls, "_persist_restore", None)
    return skip, [] if restore is None else [restore]


def _expect(value, kind, path):
    if not isinstance(value, kind):
        raise ValueError(
            f"{path}: expected {kind.__name__}; found {type(value).__name__}."
        )
    return value


#: dtype and number of dimensions of the fitted arrays that transform hands
#: to numba kernels or BLAS (tests/test_persist.py checks them on real fits)
_FITTED_ARRAYS = {
    "embedding_": (np.float32, 2),
    "item_vectors_": (np.float32, 2),
    "output_vectors_": (np.float32, 2),
    "sif_weights_": (np.float32, 1),
    "sif_component_": (np.float32, 1),
    "idf_": (np.float64, 1),
    "item_counts_": (np.int64, 1),
    "categorical_features_": (np.int64, 1),
    "numeric_features_": (np.int64, 1),
    "_n_rows": (np.int64, 1),
    "_num_mean": (np.float64, 1),
    "_num_scale": (np.float64, 1),
}


def _check_array(value, dtype, ndim, what):
    if not (type(value) is np.ndarray and value.dtype == dtype and value.ndim == ndim):
        found = (
            f"a {value.ndim}-D array of {value.dtype}"
            if isinstance(value, np.ndarray)
            else type(value).__name__
        )
        raise ValueError(
            f"{what}: expected a {ndim}-D array of {np.dtype(dtype)}; found {found}"
        )


def _is_list_of(value, kind):
    return type(value) is list and all(isinstance(v, kind) for v in value)


def _is_1d(value):
    return type(value) is np.ndarray and value.ndim == 1


#: what the other fitted attributes of the built-in estimators must be
_FITTED_TYPES = {
    "vocabulary_": (lambda v: type(v) is dict, "a dict"),
    "wv_": (lambda v: type(v) is KeyedVectors, "a KeyedVectors"),
    "_net": (lambda v: type(v) is EmbeddingNet, "an EmbeddingNet"),
    "embedder_": (lambda v: isinstance(v, _GraphEmbedderMixin), "a graph embedder"),
    **dict.fromkeys(
        (
            "n_features_in_",
            "n_empty_",
            "n_baskets_",
            "n_iter_",
            "best_epoch_",
            "n_missing_items_",
        ),
        (lambda v: type(v) is int and v >= 0, "an int >= 0"),
    ),
    **dict.fromkeys(
        ("items_", "nodes_", "isolated_nodes_", "feature_names_in_"),
        (_is_1d, "a 1-D array"),
    ),
    "classes_": (lambda v: v is None or _is_1d(v), "None or a 1-D array"),
    **dict.fromkeys(
        ("categories_", "infrequent_categories_"),
        (lambda v: type(v) is list and all(map(_is_1d, v)), "a list of 1-D arrays"),
    ),
    **dict.fromkeys(
        ("embedding_dims_", "_hidden"),
        (lambda v: _is_list_of(v, int), "a list of int"),
    ),
    "_missing_trained": (lambda v: _is_list_of(v, bool), "a list of bool"),
    **dict.fromkeys(("_y_mean", "_y_scale"), (lambda v: type(v) is float, "a float")),
    "_fit_row_index": (lambda v: v is None or type(v) is dict, "None or a dict"),
    "_adjacency_input": (lambda v: type(v) is bool, "a bool"),
}


def _check_fitted_arrays(est):
    """Types, dtypes, dimensions and lengths of a loaded estimator's state."""
    state = vars(est)
    for key, (check, expected) in _FITTED_TYPES.items():
        if key in state and not check(state[key]):
            raise ValueError(
                f"{key}: expected {expected}; found {type(state[key]).__name__}"
            )
    for key, (dtype, ndim) in _FITTED_ARRAYS.items():
        if key in state:
            _check_array(state[key], dtype, ndim, key)
    names = state.get("feature_names_in_")
    if names is not None and state.get("n_features_in_") != len(names):
        raise ValueError("n_features_in_ does not match feature_names_in_")
    if "categories_" in state:
        n_cat = len(state["categories_"])
        if len(state.get("infrequent_categories_", [None] * n_cat)) != n_cat or (
            len(state.get("categorical_features_", [None] * n_cat)) != n_cat
        ):
            raise ValueError("categories_ does not match the categorical features")
        if len(state.get("_missing_trained", [None] * n_cat)) != n_cat:
            raise ValueError("_missing_trained does not match categories_")
    if "target_type_" in state:
        kind = state["target_type_"]
        if kind not in ("continuous", "binary", "multiclass") or (
            (state.get("classes_") is None) != (kind == "continuous")
        ):
            raise ValueError(f"target_type_ {kind!r} does not match classes_")
    emb = state.get("embedding_")
    rows = None
    if isinstance(state.get("wv_"), KeyedVectors):
        rows = len(state["wv_"].index_to_key)
    for key in ("nodes_", "items_"):
        if isinstance(state.get(key), np.ndarray):
            rows = len(state[key])
    for key in ("embedding_", "item_vectors_"):
        arr = state.get(key)
        if arr is not None and rows is not None and arr.shape[0] != rows:
            raise ValueError(f"{key} has {arr.shape[0]} rows for {rows} keys")
    n_out = state.get("_n_features_out")
    inner = getattr(state.get("embedder_"), "embedding_", None)
    width = emb.shape[1] if emb is not None else None
    if width is None and isinstance(inner, np.ndarray) and inner.ndim == 2:
        width = inner.shape[1]  # EdgeFeatures: element-wise operators
    if "_n_features_out" in state and (
        type(n_out) is not int or n_out < 0 or (width is not None and n_out != width)
    ):
        raise ValueError(f"_n_features_out is {n_out!r}; expected {width}")
    vocabulary = state.get("vocabulary_")
    if isinstance(vocabulary, dict) and emb is not None:
        if len(vocabulary) != emb.shape[0] or not all(
            type(i) is int and 0 <= i < emb.shape[0] for i in vocabulary.values()
        ):
            raise ValueError("vocabulary_ maps words to rows not in embedding_")
    net = state.get("_net")
    if isinstance(net, EmbeddingNet):
        n_rows = state.get("_n_rows")
        cats = state.get("categories_")
        if not (
            isinstance(n_rows, np.ndarray)
            and isinstance(cats, list)
            and np.array_equal(net.n_rows, n_rows)
            and n_rows.tolist() == [len(c) + 2 for c in cats]
            and state.get("embedding_dims_") == net.dims.tolist()
        ):
            raise ValueError("the network's tables do not match categories_")


def _supported():
    return ", ".join(sorted([*_ESTIMATORS, "KeyedVectors"]))


def _not_allowed(name):
    return (
        f"class {name!r} is not on the allowlist of skembed.load_model "
        f"({_supported()}); the file was not written by save_model, or needs "
        "a newer skembed."
    )


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.\-]+")


class _Writer:
    """Encodes a value tree into JSON-able nodes plus a dict of arrays."""

    def __init__(self, root):
        self.root = root
        self.params = set()  # paths of parameters, for error messages
        self.arrays = {}
        self._memo = {}  # id(obj) -> ref number
        self._alive = []  # keeps encoded objects alive so ids stay unique

    def _remember(self, value):
        n = len(self._memo)
        self._memo[id(value)] = n
        self._alive.append(value)
        return n

    def _array_name(self, path):
        if path.startswith(self.root + "."):
            path = path[len(self.root) + 1 :]
        base = _NAME_CHARS.sub("_", path).strip(".") or "array"
        name, k = base, 1
        while name in self.arrays:
            k += 1
            name = f"{base}~{k}"
        return name

    def encode(self, value, path):
        if value is None or type(value) in (bool, str, int):
            return value
        if type(value) is float:
            return (
                value
                if math.isfinite(value)
                else {"type": "float", "value": repr(value)}
            )
        if isinstance(value, np.generic):
            return self._scalar(value, path)
        if id(value) in self._memo:
            return {"type": "ref", "id": self._memo[id(value)]}
        if type(value) is list:
            return [self.encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if type(value) is tuple:
            return {
                "type": "tuple",
                "items": [self.encode(v, f"{path}[{i}]") for i, v in enumerate(value)],
            }
        if type(value) is dict:
            return self._dict(value, path)
        if type(value) is np.ndarray:
            return self._ndarray(value, path)
        if isinstance(value, np.dtype):
            return {"type": "numpy_dtype", "dtype": self._dtype_name(value, path)}
        if isinstance(value, type):
            return self._type(value, path)
        if value is _pandas_na():
            return {"type": "pandas_na"}
        if type(value) is np.random.RandomState:
            return {
                "type": "random_state",
                "id": self._remember(value),
                "state": self.encode(value.get_state(legacy=True), f"{path}.state"),
            }
        if sp.issparse(value):
            return self._sparse(value, path)
        package = type(value).__module__.split(".")[0]
        if package == "networkx":
            return self._networkx(value, path)
        if package == "pandas" and type(value).__name__ == "DataFrame":
            return self._dataframe(value, path)
        name = type(value).__name__
        if _ESTIMATORS.get(name) is type(value):
            return self._estimator(value, path)
        if name in _OBJECTS and _OBJECTS[name][0] is type(value):
            state = _OBJECTS[name][1](value)
            n = self._remember(value)
            return {
                "type": "object",
                "class": name,
                "id": n,
                "state": {k: self.encode(v, f"{path}.{k}") for k, v in state.items()},
            }
        self._refuse(value, path)

    def _refuse(self, value, path):
        if path in self.params:
            path = f"parameter {path}"
        what = f"{type(value).__module__}.{type(value).__qualname__}"
        if callable(value) and not isinstance(value, type):
            raise TypeError(
                f"Cannot save {path}: it is a callable ({value!r}), i.e. code. "
                + _TRUST_HINT
            )
        if hasattr(value, "get_params"):
            raise TypeError(
                f"Cannot save {path}: {what} is not a skembed estimator that "
                f"save_model supports ({_supported()}). " + _TRUST_HINT
            )
        raise TypeError(
            f"Cannot save {path}: values of type {what} are not supported by "
            "save_model (it stores numbers, strings, lists, dicts, tuples, "
            "NumPy arrays and skembed objects). " + _TRUST_HINT
        )

    def _scalar(self, value, path):
        kind = value.dtype.kind
        if kind not in "biufU":
            self._refuse(value, path)
        item = value.item()
        return {
            "type": "numpy_scalar",
            "dtype": value.dtype.str,
            "value": self.encode(item, path),
        }

    def _dtype_name(self, dtype, path):
        if dtype.kind not in _ARRAY_KINDS or dtype.fields is not None:
            raise TypeError(f"Cannot save {path}: dtype {dtype} is not a plain dtype.")
        return dtype.str

    def _type(self, value, path):
        if issubclass(value, np.generic):
            return {
                "type": "numpy_type",
                "dtype": self._dtype_name(np.dtype(value), path),
            }
        if value in (bool, int, float, complex, str):
            return {"type": "python_type", "name": value.__name__}
        raise TypeError(
            f"Cannot save {path}: it is a class ({value!r}); only NumPy scalar "
            "types and bool/int/float/complex/str can be stored. " + _TRUST_HINT
        )

    def _dict(self, value, path):
        n = self._remember(value)
        keys = list(value)
        if (
            keys
            and all(type(v) is int for v in value.values())
            and list(value.values()) == list(range(len(keys)))
        ):
            return {
                "type": "index",
                "id": n,
                "keys": [self.encode(k, f"{path}<key>") for k in keys],
            }
        return {
            "type": "dict",
            "id": n,
            "keys": [self.encode(k, f"{path}<key>") for k in keys],
            "values": [self.encode(v, f"{path}[{k!r}]") for k, v in value.items()],
        }

    def _ndarray(self, value, path):
        if value.dtype.kind == "O":
            n = self._remember(value)
            return {
                "type": "object_array",
                "id": n,
                "shape": list(value.shape),
                "items": [
                    self.encode(v, f"{path}[{i}]") for i, v in enumerate(value.flat)
                ],
            }
        self._dtype_name(value.dtype, path)
        n = self._remember(value)
        name = self._array_name(path)
        self.arrays[name] = value
        return {"type": "ndarray", "id": n, "array": name}

    def _sparse(self, value, path):
        fmt = value.format
        if fmt not in ("csr", "csc", "coo"):
            value = value.tocsr()
            fmt = "csr"
        kind = "array" if isinstance(value, sp.sparray) else "matrix"
        if fmt == "coo":
            parts = {"row": value.row, "col": value.col, "data": value.data}
        else:
            parts = {
                "indptr": value.indptr,
                "indices": value.indices,
                "data": value.data,
            }
        n = self._remember(value)
        return {
            "type": "sparse",
            "id": n,
            "format": fmt,
            "kind": kind,
            "shape": list(value.shape),
            **{k: self._ndarray(v, f"{path}.{k}") for k, v in parts.items()},
        }

    def _networkx(self, G, path):
        import networkx as nx

        if type(G) not in (nx.Graph, nx.DiGraph):
            self._refuse(G, path)
        n = self._remember(G)
        nodes = list(G)
        index = {node: i for i, node in enumerate(nodes)}
        node_data = [dict(d) for _, d in G.nodes(data=True)]
        edges = list(G.edges(data=True))
        u = np.array([index[a] for a, _, _ in edges], dtype=np.int64)
        v = np.array([index[b] for _, b, _ in edges], dtype=np.int64)
        edge_data = [dict(d) for _, _, d in edges]
        node = {
            "type": "networkx",
            "id": n,
            "class": type(G).__name__,
            "graph": self.encode(dict(G.graph), f"{path}.graph"),
            "nodes": self.encode(nodes, f"{path}.nodes"),
            "node_data": (
                self.encode(node_data, f"{path}.nodes<data>")
                if any(node_data)
                else None
            ),
            "u": self._ndarray(u, f"{path}.u"),
            "v": self._ndarray(v, f"{path}.v"),
        }
        weights = [d.get("weight") for d in edge_data]
        if (
            all(d.keys() == {"weight"} for d in edge_data)
            and edge_data
            and (
                all(type(w) is float for w in weights)
                or all(type(w) is int for w in weights)
            )
        ):  # compact: one weight array instead of one dict per edge
            node["weight"] = self._ndarray(np.array(weights), f"{path}.weight")
            node["weight_type"] = type(weights[0]).__name__
        elif any(edge_data):
            node["edge_data"] = self.encode(edge_data, f"{path}.edges<data>")
        return node

    def _column(self, col, path):
        """A Series' or Index's values: a NumPy array, or a tagged pandas array."""
        if isinstance(col.dtype, np.dtype):
            return self.encode(col.to_numpy(), path)
        if str(col.dtype) not in _PANDAS_DTYPES:
            raise TypeError(
                f"Cannot save {path}: pandas dtype {col.dtype} is not supported "
                f"(NumPy dtypes and {sorted(_PANDAS_DTYPES)} are). " + _TRUST_HINT
            )
        return {
            "type": "pandas_array",
            "dtype": str(col.dtype),
            "values": self.encode(col.to_numpy(dtype=object), path),
        }

    def _dataframe(self, df, path):
        import pandas as pd

        n = self._remember(df)
        if type(df.index) is pd.RangeIndex:
            index = {
                "type": "range_index",
                "start": df.index.start,
                "stop": df.index.stop,
                "step": df.index.step,
            }
        else:
            index = self._column(df.index, f"{path}.index")
        columns = [self._column(col, f"{path}[{label!r}]") for label, col in df.items()]
        return {
            "type": "dataframe",
            "id": n,
            "index": index,
            "columns": self.encode(list(df.columns), f"{path}.columns"),
            "data": columns,
        }

    def _param(self, value, path):
        self.params.add(path)
        return self.encode(value, path)

    def _estimator(self, est, path):
        n = self._remember(est)
        params = est.get_params(deep=False)
        skip, _ = _derived(type(est))
        attrs = {
            k: v for k, v in vars(est).items() if k not in params and k not in skip
        }
        return {
            "type": "estimator",
            "class": type(est).__name__,
            "id": n,
            "params": {k: self._param(v, f"{path}.{k}") for k, v in params.items()},
            "attributes": {k: self.encode(v, f"{path}.{k}") for k, v in attrs.items()},
        }


def save_model(estimator, path, *, compress=False):
    """Save a (fitted) skembed estimator to a file, without pickle.

    The file is a zip archive of ``model.json`` (class, parameters, fitted
    attributes) and one ``.npy`` file per NumPy array; it holds data only,
    so :func:`load_model` never runs code from it. The format is described
    in the :ref:`persistence` section of the user guide.

    Parameters
    ----------
    estimator : estimator or KeyedVectors
        A skembed estimator (fitted or not) or a :class:`KeyedVectors`.
        Parameters and fitted attributes must be data: a callable
        ``tokenizer=``, a custom object or an estimator from another library
        raises ``TypeError`` (save those with skops or joblib).
    path : str, path-like or binary file object
        Where to write (the name is used as given; ``.skembed`` is a good
        suffix).
    compress : bool, default=False
        Deflate the members of the zip archive (smaller, slower).

    Raises
    ------
    TypeError
        If the estimator is not supported or holds a value that is not data;
        the message names the parameter or attribute.

    See Also
    --------
    load_model : Load the file back.

    Examples
    --------
    >>> import io
    >>> from skembed import Word2VecVectorizer, load_model, save_model
    >>> docs = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> vec = Word2VecVectorizer(n_components=4, min_count=1, random_state=0)
    >>> vec = vec.fit(docs)
    >>> f = io.BytesIO()
    >>> save_model(vec, f)
    >>> _ = f.seek(0)
    >>> back = load_model(f)
    >>> (back.transform(docs) == vec.transform(docs)).all()
    np.True_
    """
    name = type(estimator).__name__
    writer = _Writer(name)
    supported = _ESTIMATORS.get(name) is type(estimator)
    if not supported and type(estimator) is not KeyedVectors:
        raise TypeError(
            f"save_model supports the skembed estimators {_supported()}; got "
            f"{type(estimator).__module__}.{type(estimator).__qualname__}. "
            + _TRUST_HINT
        )
    root = writer.encode(estimator, name)
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skembed_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "arrays": sorted(writer.arrays),
        "root": root,
    }
    text = json.dumps(doc, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    own = isinstance(path, (str, os.PathLike))
    f = open(path, "wb") if own else path
    try:
        with zipfile.ZipFile(f, "w", compression=method, allowZip64=True) as zf:
            zf.writestr(_JSON_MEMBER, text.encode("ascii"))
            for key, arr in writer.arrays.items():
                with zf.open(f"{key}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, arr, allow_pickle=False)
    finally:
        if own:
            f.close()


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------
class _Reader:
    """Decodes nodes written by :class:`_Writer`; builds allowlisted classes only."""

    def __init__(self, zf, name, listed):
        self.zf = zf
        self.name = name
        self.members = set(zf.namelist())
        self.listed = listed
        self._memo = {}
        for info in zf.infolist():
            _check_member(info, name)

    def _fail(self, message):
        raise ValueError(f"{self.name}: {message}")

    def _keep(self, node, obj):
        ref = node.get("id")
        if ref is not None:
            if type(ref) is not int or ref in self._memo:
                self._fail(f"bad or repeated object id {ref!r}.")
            self._memo[ref] = obj
        return obj

    def decode(self, node, path):
        if node is None or type(node) in (bool, str, int, float):
            return node
        if type(node) is list:
            return [self.decode(v, f"{path}[{i}]") for i, v in enumerate(node)]
        if type(node) is not dict or type(node.get("type")) is not str:
            self._fail(f"{path}: malformed value {str(node)[:80]!r}.")
        method = getattr(self, "_d_" + node["type"], None)
        if method is None:
            self._fail(
                f"{path}: unknown value type {node['type']!r} (written by a newer "
                "skembed, or not by skembed.save_model)."
            )
        return method(node, path)

    def _d_ref(self, node, path):
        if type(node.get("id")) is not int or node["id"] not in self._memo:
            self._fail(f"{path}: reference to an unknown object {node.get('id')!r}.")
        return self._memo[node["id"]]

    def _d_float(self, node, path):
        if node.get("value") not in ("nan", "inf", "-inf"):
            self._fail(f"{path}: bad float {node.get('value')!r}.")
        return float(node["value"])

    def _d_tuple(self, node, path):
        return tuple(
            self.decode(v, f"{path}[{i}]")
            for i, v in enumerate(self._list(node, "items", path))
        )

    def _list(self, node, key, path):
        value = node.get(key)
        if type(value) is not list:
            self._fail(f"{path}: expected a list under {key!r}.")
        return value

    def _key(self, node, path):
        key = self.decode(node, path)
        try:
            hash(key)
        except TypeError:
            self._fail(f"{path}: unhashable dict key {key!r}.")
        return key

    def _d_index(self, node, path):
        out = self._keep(node, {})
        for i, k in enumerate(self._list(node, "keys", path)):
            out[self._key(k, f"{path}<key>")] = i
        if len(out) != len(node["keys"]):
            self._fail(f"{path}: repeated keys.")
        return out

    def _d_dict(self, node, path):
        out = self._keep(node, {})
        keys = self._list(node, "keys", path)
        values = self._list(node, "values", path)
        if len(keys) != len(values):
            self._fail(f"{path}: {len(keys)} keys but {len(values)} values.")
        for k, v in zip(keys, values, strict=True):
            key = self._key(k, f"{path}<key>")
            out[key] = self.decode(v, f"{path}[{key!r}]")
        return out

    def _dtype(self, text, path):
        if type(text) is not str:
            self._fail(f"{path}: bad dtype {text!r}.")
        try:
            dtype = np.dtype(text)
        except TypeError:
            self._fail(f"{path}: bad dtype {text!r}.")
        if dtype.kind not in _ARRAY_KINDS or dtype.fields is not None:
            self._fail(f"{path}: dtype {dtype} refused (only plain dtypes).")
        return dtype

    def _d_numpy_scalar(self, node, path):
        dtype = self._dtype(node.get("dtype"), path)
        value = self.decode(node.get("value"), path)
        if type(value) not in (bool, int, float, str):
            self._fail(f"{path}: bad scalar {value!r}.")
        return dtype.type(value)

    def _d_numpy_dtype(self, node, path):
        return self._dtype(node.get("dtype"), path)

    def _d_numpy_type(self, node, path):
        return self._dtype(node.get("dtype"), path).type

    def _d_python_type(self, node, path):
        types = {
            "bool": bool,
            "int": int,
            "float": float,
            "complex": complex,
            "str": str,
        }
        if node.get("name") not in types:
            self._fail(f"{path}: type {node.get('name')!r} refused.")
        return types[node["name"]]

    def _d_random_state(self, node, path):
        rs = self._keep(node, np.random.RandomState())
        state = self.decode(node.get("state"), f"{path}.state")
        if not (type(state) is tuple and len(state) == 5 and state[0] == "MT19937"):
            self._fail(f"{path}: bad RandomState state.")
        rs.set_state(state)
        return rs

    def _d_ndarray(self, node, path):
        key = node.get("array")
        if type(key) is not str or key not in self.listed:
            self._fail(f"{path}: array {key!r} is not listed in model.json.")
        member = f"{key}.npy"
        if member not in self.members:
            self._fail(f"{path}: the array member {member!r} is missing from the file.")
        try:
            with self.zf.open(member) as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
                else:
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
                offset = f.tell()
        except ValueError as exc:
            self._fail(f"{path}: {member!r} is not a valid .npy array ({exc}).")
        if (
            dtype.hasobject
            or dtype.kind not in _ARRAY_KINDS
            or dtype.fields is not None
        ):
            self._fail(
                f"{path}: array {member!r} has dtype {dtype}; refused (arrays must "
                "have a plain dtype, never object: loading never unpickles)."
            )
        size = self.zf.getinfo(member).file_size
        if offset + math.prod(shape) * dtype.itemsize != size:
            self._fail(
                f"{path}: array {member!r} of shape {shape} and dtype {dtype} "
                f"does not match its size in the file ({size} bytes)."
            )
        try:
            with self.zf.open(member) as f:
                arr = np.lib.format.read_array(f, allow_pickle=False)
        except MemoryError:
            self._fail(
                f"{path}: array {member!r} of shape {shape} and dtype {dtype} "
                "does not fit in memory."
            )
        except ValueError as exc:  # numpy: the data ends before the shape does
            self._fail(f"{path}: damaged array {member!r} ({exc}).")
        # native byte order and C order: what the numba kernels are compiled for
        if not arr.dtype.isnative:
            arr = arr.astype(arr.dtype.newbyteorder("="))
        if not arr.flags.c_contiguous:
            arr = arr.copy(order="C")
        return self._keep(node, arr)

    def _d_object_array(self, node, path):
        shape = self._list(node, "shape", path)
        items = self._list(node, "items", path)
        if not all(type(s) is int and s >= 0 for s in shape) or math.prod(shape) != len(
            items
        ):
            self._fail(f"{path}: object array shape {shape} does not match its items.")
        arr = self._keep(node, np.empty(shape, dtype=object))
        flat = arr.reshape(-1) if arr.size else arr
        for i, item in enumerate(items):
            flat[i] = self._key(item, f"{path}[{i}]")  # keys, names: hashable
        return arr

    def _d_sparse(self, node, path):
        fmt, kind, shape = node.get("format"), node.get("kind"), node.get("shape")
        builders = {
            ("csr", "matrix"): sp.csr_matrix,
            ("csr", "array"): sp.csr_array,
            ("csc", "matrix"): sp.csc_matrix,
            ("csc", "array"): sp.csc_array,
            ("coo", "matrix"): sp.coo_matrix,
            ("coo", "array"): sp.coo_array,
        }
        if (fmt, kind) not in builders or type(shape) is not list:
            self._fail(f"{path}: bad sparse matrix ({fmt!r}, {kind!r}).")
        cls = builders[fmt, kind]
        parts = (
            ("row", "col", "data") if fmt == "coo" else ("indptr", "indices", "data")
        )
        arrays = {
            p: self._d_ndarray(_expect(node.get(p), dict, f"{path}.{p}"), f"{path}.{p}")
            for p in parts
        }
        try:
            if fmt == "coo":
                out = cls(
                    (arrays["data"], (arrays["row"], arrays["col"])), shape=tuple(shape)
                )
            else:
                out = cls(
                    (arrays["data"], arrays["indices"], arrays["indptr"]),
                    shape=tuple(shape),
                )
        except (ValueError, TypeError) as exc:
            self._fail(f"{path}: inconsistent sparse matrix ({exc}).")
        return self._keep(node, out)

    def _d_networkx(self, node, path):
        import networkx as nx

        classes = {"Graph": nx.Graph, "DiGraph": nx.DiGraph}
        if type(node.get("class")) is not str or node["class"] not in classes:
            self._fail(f"{path}: graph class {node.get('class')!r} refused.")
        G = self._keep(node, classes[node["class"]]())
        G.graph.update(_expect(self.decode(node.get("graph"), path), dict, path))
        nodes = _expect(self.decode(node.get("nodes"), path), list, path)
        node_data = node.get("node_data")
        if node_data is None:
            G.add_nodes_from(nodes)
        else:
            data = _expect(self.decode(node_data, path), list, path)
            if len(data) != len(nodes) or not all(type(d) is dict for d in data):
                self._fail(f"{path}: node data must be one dict per node.")
            G.add_nodes_from(zip(nodes, data, strict=True))
        u = self._d_ndarray(_expect(node.get("u"), dict, path), f"{path}.u")
        v = self._d_ndarray(_expect(node.get("v"), dict, path), f"{path}.v")
        if (
            u.shape != v.shape
            or u.ndim != 1
            or (
                u.size
                and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= len(nodes))
            )
        ):
            self._fail(f"{path}: bad edge arrays.")
        ends = [
            (nodes[a], nodes[b]) for a, b in zip(u.tolist(), v.tolist(), strict=True)
        ]
        if "weight" in node:
            w = self._d_ndarray(_expect(node["weight"], dict, path), f"{path}.weight")
            cast = {"int": int, "float": float}.get(str(node.get("weight_type")))
            if cast is None or w.shape != u.shape:
                self._fail(f"{path}: bad edge weights.")
            G.add_edges_from(
                (a, b, {"weight": cast(x)})
                for (a, b), x in zip(ends, w.tolist(), strict=True)
            )
        elif node.get("edge_data") is not None:
            data = _expect(self.decode(node["edge_data"], path), list, path)
            if len(data) != len(ends) or not all(type(d) is dict for d in data):
                self._fail(f"{path}: edge data must be one dict per edge.")
            G.add_edges_from((a, b, d) for (a, b), d in zip(ends, data, strict=True))
        else:
            G.add_edges_from(ends)
        return G

    def _d_pandas_na(self, node, path):
        return _pandas_na()

    def _column(self, node, path):
        import pandas as pd

        if type(node) is dict and node.get("type") == "pandas_array":
            if node.get("dtype") not in _PANDAS_DTYPES:
                self._fail(f"{path}: pandas dtype {node.get('dtype')!r} refused.")
            values = self.decode(node.get("values"), path)
            if not isinstance(values, np.ndarray) or values.ndim != 1:
                self._fail(f"{path}: malformed column.")
            try:
                return pd.array(values, dtype=node["dtype"])
            except (TypeError, ValueError) as exc:
                self._fail(f"{path}: bad values for dtype {node['dtype']} ({exc}).")
        column = self.decode(node, path)
        if not isinstance(column, np.ndarray) or column.ndim != 1:
            self._fail(f"{path}: malformed column.")
        return column

    def _d_dataframe(self, node, path):
        import pandas as pd

        index = node.get("index")
        if type(index) is dict and index.get("type") == "range_index":
            bounds = [index.get(k) for k in ("start", "stop", "step")]
            if not all(type(b) is int for b in bounds):
                self._fail(f"{path}: bad RangeIndex.")
            index = pd.RangeIndex(*bounds)
        else:
            index = pd.Index(self._column(index, f"{path}.index"))
        columns = self.decode(node.get("columns"), f"{path}.columns")
        data = [
            self._column(c, f"{path}[{j}]")
            for j, c in enumerate(self._list(node, "data", path))
        ]
        if (
            type(columns) is not list
            or len(columns) != len(data)
            or not all(c.shape == (len(index),) for c in data)
        ):
            self._fail(f"{path}: malformed DataFrame.")
        df = pd.DataFrame(dict(enumerate(data)), index=index, copy=False)
        df.columns = pd.Index(columns) if columns else df.columns
        return self._keep(node, df)

    def _d_object(self, node, path):
        name = node.get("class")
        if type(name) is not str or name not in _OBJECTS:
            self._fail(
                f"{path}: class {name!r} is not on the allowlist of "
                f"skembed.load_model ({', '.join(sorted(_OBJECTS))})."
            )
        raw = _expect(node.get("state"), dict, path)
        state = {k: self.decode(v, f"{path}.{k}") for k, v in raw.items()}
        try:
            obj = _OBJECTS[name][2](state, path)
        except (TypeError, ValueError) as exc:
            self._fail(f"cannot rebuild {name}: {exc}")
        return self._keep(node, obj)

    def _d_estimator(self, node, path):
        name = node.get("class")
        if type(name) is not str or name not in _ESTIMATORS:
            self._fail(f"{path}: {_not_allowed(name)}")
        cls = _ESTIMATORS[name]
        params = _expect(node.get("params"), dict, path)
        attrs = _expect(node.get("attributes"), dict, path)
        allowed = set(cls._get_param_names())
        unknown = sorted(set(params) - allowed)
        if unknown:
            self._fail(f"{path}: unknown parameters {unknown} for {name}.")
        est = cls.__new__(cls)
        self._keep(node, est)  # before the parameters: they may refer to it
        values = {k: self.decode(v, f"{path}.{k}") for k, v in params.items()}
        est.__init__(**values)
        for key, value in attrs.items():
            if (
                not key.isidentifier()
                or key.startswith("__")
                or key in allowed
                or hasattr(cls, key)  # would shadow a method or class attribute
            ):
                self._fail(f"{path}: attribute name {key!r} refused.")
            setattr(est, key, self.decode(value, f"{path}.{key}"))
        if hasattr(cls, "_parameter_constraints"):
            try:
                est._validate_params()
            except (ValueError, TypeError, AttributeError) as exc:
                # InvalidParameterError, or a parameter that is not a value
                self._fail(f"{path}: {exc}")
        try:
            _check_fitted_arrays(est)
        except ValueError as exc:
            self._fail(f"{path}: inconsistent fitted state ({exc})")
        for restore in _derived(cls)[1]:
            try:
                restore(est)
            except (TypeError, ValueError, AttributeError) as exc:
                self._fail(f"{path}: inconsistent fitted state ({exc}).")
        return est


#: deflate expands at most 1032-fold; a member declaring more is a zip bomb
_MAX_DEFLATE_RATIO = 1100


def _check_member(info, name):
    """Refuse a zip member that declares more data than it can hold.

    ``save_model`` writes stored or deflated members only; their
    uncompressed size is bounded by the compressed size (equal, or at most
    about 1032 times for deflate), so a file cannot make ``load_model``
    allocate more than about a thousand times its own size.
    """
    if info.compress_type == zipfile.ZIP_STORED:
        ok = info.file_size == info.compress_size
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        ok = info.file_size <= _MAX_DEFLATE_RATIO * info.compress_size + 1024
    else:
        raise ValueError(
            f"{name}: member {info.filename!r} uses zip compression method "
            f"{info.compress_type}; save_model writes stored or deflated "
            "members only."
        )
    if not ok:
        raise ValueError(
            f"{name}: member {info.filename!r} declares {info.file_size} bytes "
            f"from {info.compress_size} compressed bytes; refused (a damaged "
            "file or a zip bomb)."
        )


def _check_version(doc, name):
    saved = doc.get("skembed_version")
    current = __version__
    if type(saved) is not str:
        raise ValueError(f"{name}: model.json lacks the skembed version.")

    def minor(v):
        return tuple(re.findall(r"\d+", v)[:2])

    if minor(saved) != minor(current):
        warnings.warn(
            f"{name} was saved with skembed {saved} and is loaded with skembed "
            f"{current}. Models are only guaranteed to load and to transform "
            "identically within the same minor version; check the results, or "
            "refit with this version.",
            UserWarning,
            stacklevel=3,
        )


def load_model(path):
    """Load an estimator saved by :func:`save_model`. Never runs code.

    Only the format's own value types and the skembed classes on its
    allowlist are built; arrays are read with ``allow_pickle=False`` after
    checking they have a plain dtype. The fitted estimator transforms
    exactly as the one that was saved.

    Parameters
    ----------
    path : str, path-like or binary file object
        A file written by :func:`save_model`.

    Returns
    -------
    estimator : estimator or KeyedVectors
        The estimator (or :class:`KeyedVectors`) that was saved.

    Raises
    ------
    ValueError
        If the file is not a skembed model file, is damaged or truncated,
        has an unknown format version, names a class that is not on the
        allowlist, or holds an object array.

    Warns
    -----
    UserWarning
        If the file was saved by another minor version of skembed.

    See Also
    --------
    save_model : Write the file.
    """
    name = (
        os.fspath(path)
        if isinstance(path, (str, os.PathLike))
        else getattr(path, "name", "<file>")
    )
    try:
        zf = zipfile.ZipFile(path, "r")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(
            f"{name}: not a skembed model file (expected a zip archive written "
            f"by skembed.save_model; {exc})."
        ) from None
    with zf:
        try:
            _check_member(zf.getinfo(_JSON_MEMBER), name)
            raw = zf.read(_JSON_MEMBER)
        except KeyError:
            raise ValueError(
                f"{name}: not a skembed model file (no {_JSON_MEMBER} in the archive)."
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise ValueError(
                f"{name}: damaged or truncated model file ({exc})."
            ) from None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ValueError(
                f"{name}: {_JSON_MEMBER} is not valid JSON ({exc})."
            ) from None
        if type(doc) is not dict or doc.get("format") != FORMAT:
            raise ValueError(
                f"{name}: not a skembed model file (format {doc.get('format')!r} "
                f"in {_JSON_MEMBER}, expected {FORMAT!r})."
                if type(doc) is dict
                else f"{name}: not a skembed model file."
            )
        version = doc.get("format_version")
        if type(version) is not int or not 1 <= version <= FORMAT_VERSION:
            raise ValueError(
                f"{name}: format_version {version!r} is not supported by this "
                f"skembed ({__version__} reads format version {FORMAT_VERSION}"
                "); upgrade skembed to load it."
            )
        _check_version(doc, name)
        listed = doc.get("arrays")
        if type(listed) is not list or not all(type(a) is str for a in listed):
            raise ValueError(f"{name}: model.json lacks the list of arrays.")
        reader = _Reader(zf, name, set(listed))
        root = doc.get("root")
        if type(root) is not dict:
            raise ValueError(f"{name}: malformed model.json (no root object).")
        roots = [("estimator", c) for c in _ESTIMATORS] + [("object", "KeyedVectors")]
        if (root.get("type"), root.get("class")) not in roots:
            raise ValueError(f"{name}: {_not_allowed(root.get('class'))}")
        try:
            return reader.decode(root, root["class"])
        except RecursionError:
            raise ValueError(f"{name}: model.json is nested too deeply.") from None
        except (TypeError, AttributeError, KeyError, IndexError) as exc:
            # decoding runs only this module's builders: any other error
            # means values of the wrong kind in a tampered model.json
            raise ValueError(
                f"{name}: malformed model.json ({type(exc).__name__}: {exc})."
            ) from None
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ValueError(
                f"{name}: damaged or truncated model file ({exc})."
            ) from None
