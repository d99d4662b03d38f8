"""Encoding of an estimator into ``model.json`` nodes and ``.npy`` arrays.

Values are encoded by :meth:`Writer.encode`: JSON scalars as themselves,
lists as JSON arrays, and everything else as a JSON object tagged by its
``"type"`` (``dict``, ``index``, ``tuple``, ``ndarray``, ``object_array``,
``float`` for NaN/inf, NumPy scalars, dtypes and scalar types,
``random_state``, ``sparse``, ``networkx``, ``dataframe``, ``estimator``,
``object``, and ``ref`` for an object met twice, so that shared arrays and
dicts stay shared). An estimator's fitted attributes are those of
``vars(estimator)`` that are not parameters and not declared ``DERIVED``.
Anything else -- a callable ``tokenizer=``, a lambda, an arbitrary object --
raises ``TypeError`` naming where it sits and pointing to skops / joblib.
"""

import math
import re

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._fitted import declared_state
from ._allowlist import (
    ARRAY_KINDS,
    ESTIMATORS,
    OBJECTS,
    PANDAS_DTYPES,
    TRUST_HINT,
    pandas_na,
    supported,
)

__all__ = ["Writer"]

_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.\-]+")


class Writer:
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
        if value is pandas_na():
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
        if ESTIMATORS.get(name) is type(value):
            return self._estimator(value, path)
        if OBJECTS.get(name) is type(value):
            state = value._persist_state()
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
                + TRUST_HINT
            )
        if hasattr(value, "get_params"):
            raise TypeError(
                f"Cannot save {path}: {what} is not a skembed estimator that "
                f"save_model supports ({supported()}). " + TRUST_HINT
            )
        raise TypeError(
            f"Cannot save {path}: values of type {what} are not supported by "
            "save_model (it stores numbers, strings, lists, dicts, tuples, "
            "NumPy arrays and skembed objects). " + TRUST_HINT
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
        if dtype.kind not in ARRAY_KINDS or dtype.fields is not None:
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
            "types and bool/int/float/complex/str can be stored. " + TRUST_HINT
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
        if type(G).__name__ not in ("Graph", "DiGraph"):  # not Multi*
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
        if str(col.dtype) not in PANDAS_DTYPES:
            raise TypeError(
                f"Cannot save {path}: pandas dtype {col.dtype} is not supported "
                f"(NumPy dtypes and {sorted(PANDAS_DTYPES)} are). " + TRUST_HINT
            )
        return {
            "type": "pandas_array",
            "dtype": str(col.dtype),
            "values": self.encode(col.to_numpy(dtype=object), path),
        }

    def _dataframe(self, df, path):
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
        derived = {k for k, kind in declared_state(type(est)).items() if not kind.saved}
        attrs = {
            k: v for k, v in vars(est).items() if k not in params and k not in derived
        }
        return {
            "type": "estimator",
            "class": type(est).__name__,
            "id": n,
            "params": {k: self._param(v, f"{path}.{k}") for k, v in params.items()},
            "attributes": {k: self.encode(v, f"{path}.{k}") for k, v in attrs.items()},
        }
