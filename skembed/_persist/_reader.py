"""Decoding of ``model.json`` nodes and ``.npy`` members: :class:`Reader` has
one ``_d_<type>`` method per value type the writer emits and refuses any
other; it builds only the classes of the allowlist, reads arrays with
``allow_pickle=False`` after checking their headers, and checks every
loaded estimator against the fitted state its class declares."""

import math
import zipfile

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._fitted import declared_state, expect
from ._allowlist import (
    ARRAY_KINDS,
    ESTIMATORS,
    OBJECTS,
    PANDAS_DTYPES,
    not_allowed,
    pandas_na,
)

__all__ = ["MAX_DEFLATE_RATIO", "Reader", "check_member"]

_SCALARS = (type(None), bool, int, float, str, np.generic)


def _networkx():
    """networkx (the graph extra), imported only for a file that holds a graph."""
    try:
        import networkx as nx
    except ImportError as exc:  # pragma: no cover - networkx is in the extra
        raise ValueError(
            "this model file holds a networkx graph: install networkx "
            '(pip install "skembed[graph]") to load it.'
        ) from exc
    return nx


def _check_declared(est, cls, attrs):
    """Each loaded attribute against the kind ``cls`` declares for it (arrays
    and containers must be declared), then the class's own consistency
    checks."""
    declared = declared_state(cls)
    for key in attrs:
        value = vars(est)[key]
        kind = declared.get(key)
        if kind is None:
            if not isinstance(value, _SCALARS):
                raise ValueError(
                    f"{key}: a {type(value).__name__} that {cls.__name__} does "
                    "not declare in its _fitted_state"
                )
        elif not kind.saved:
            raise ValueError(f"{key}: derived from other attributes, never saved")
        else:
            kind.validate(value, key)
    if hasattr(cls, "_check_fitted_state"):
        est._check_fitted_state()


class Reader:
    """Decodes nodes written by :class:`._writer.Writer`; builds the
    allowlisted classes only."""

    def __init__(self, zf, name, listed):
        self.zf = zf
        self.name = name
        self.members = set(zf.namelist())
        self.listed = listed
        self._memo = {}
        for info in zf.infolist():
            check_member(info, name)

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
        if dtype.kind not in ARRAY_KINDS or dtype.fields is not None:
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
            or dtype.kind not in ARRAY_KINDS
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
            p: self._d_ndarray(expect(node.get(p), dict, f"{path}.{p}"), f"{path}.{p}")
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
        nx = _networkx()
        classes = {"Graph": nx.Graph, "DiGraph": nx.DiGraph}
        if type(node.get("class")) is not str or node["class"] not in classes:
            self._fail(f"{path}: graph class {node.get('class')!r} refused.")
        G = self._keep(node, classes[node["class"]]())
        G.graph.update(expect(self.decode(node.get("graph"), path), dict, path))
        nodes = expect(self.decode(node.get("nodes"), path), list, path)
        node_data = node.get("node_data")
        if node_data is None:
            G.add_nodes_from(nodes)
        else:
            data = expect(self.decode(node_data, path), list, path)
            if len(data) != len(nodes) or not all(type(d) is dict for d in data):
                self._fail(f"{path}: node data must be one dict per node.")
            G.add_nodes_from(zip(nodes, data, strict=True))
        u = self._d_ndarray(expect(node.get("u"), dict, path), f"{path}.u")
        v = self._d_ndarray(expect(node.get("v"), dict, path), f"{path}.v")
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
            w = self._d_ndarray(expect(node["weight"], dict, path), f"{path}.weight")
            cast = {"int": int, "float": float}.get(str(node.get("weight_type")))
            if cast is None or w.shape != u.shape:
                self._fail(f"{path}: bad edge weights.")
            G.add_edges_from(
                (a, b, {"weight": cast(x)})
                for (a, b), x in zip(ends, w.tolist(), strict=True)
            )
        elif node.get("edge_data") is not None:
            data = expect(self.decode(node["edge_data"], path), list, path)
            if len(data) != len(ends) or not all(type(d) is dict for d in data):
                self._fail(f"{path}: edge data must be one dict per edge.")
            G.add_edges_from((a, b, d) for (a, b), d in zip(ends, data, strict=True))
        else:
            G.add_edges_from(ends)
        return G

    def _d_pandas_na(self, node, path):
        return pandas_na()

    def _column(self, node, path):
        if type(node) is dict and node.get("type") == "pandas_array":
            if node.get("dtype") not in PANDAS_DTYPES:
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
        if type(name) is not str or name not in OBJECTS:
            self._fail(
                f"{path}: class {name!r} is not on the allowlist of "
                f"skembed.load_model ({', '.join(sorted(OBJECTS))})."
            )
        raw = expect(node.get("state"), dict, path)
        state = {k: self.decode(v, f"{path}.{k}") for k, v in raw.items()}
        try:
            obj = OBJECTS[name]._persist_build(state, path)
        except (TypeError, ValueError) as exc:
            self._fail(f"cannot rebuild {name}: {exc}")
        return self._keep(node, obj)

    def _d_estimator(self, node, path):
        name = node.get("class")
        if type(name) is not str or name not in ESTIMATORS:
            self._fail(f"{path}: {not_allowed(name)}")
        cls = ESTIMATORS[name]
        params = expect(node.get("params"), dict, path)
        attrs = expect(node.get("attributes"), dict, path)
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
            _check_declared(est, cls, attrs)
        except ValueError as exc:
            self._fail(f"{path}: inconsistent fitted state ({exc})")
        if hasattr(cls, "_persist_restore"):
            try:
                est._persist_restore()
            except (TypeError, ValueError, AttributeError) as exc:
                self._fail(f"{path}: inconsistent fitted state ({exc}).")
        return est


#: deflate expands at most 1032-fold; a member declaring more is a zip bomb
MAX_DEFLATE_RATIO = 1100


def check_member(info, name):
    """Refuse a zip member that declares more data than it can hold.

    ``save_model`` writes stored or deflated members only; their
    uncompressed size is bounded by the compressed size (equal, or at most
    about 1032 times for deflate), so a file cannot make ``load_model``
    allocate more than about a thousand times its own size.
    """
    if info.compress_type == zipfile.ZIP_STORED:
        ok = info.file_size == info.compress_size
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        ok = info.file_size <= MAX_DEFLATE_RATIO * info.compress_size + 1024
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
