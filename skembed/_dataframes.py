"""One layer for dataframe input, whichever library made the frame.

Estimators never ask a dataframe library anything themselves: they call
:func:`as_pandas` on their input and then read pandas. Accepted:

* pandas, as it is, except that columns whose missing value is ``pd.NA``
  (nullable ``Int64`` / ``boolean`` / ``string`` and pyarrow-backed
  ``ArrowDtype`` columns) become NumPy-backed columns, missing values as
  ``NaN`` (numbers) or ``None`` (anything else);
* any eager frame or series that narwhals knows (polars, pyarrow ``Table`` /
  ``ChunkedArray``, modin, cuDF, ...);
* any object exporting an Arrow stream (``__arrow_c_stream__``, the Arrow
  PyCapsule interface; read with pyarrow) or the older dataframe interchange
  protocol (``__dataframe__``, read by pandas).

Frames that are not pandas come out as pandas with a ``RangeIndex``, their
column names and order kept, each column converted once by
:func:`_numpy_column`. Lazy frames (dask, polars ``LazyFrame``, duckdb) are
not read here: they are left as they are (see :mod:`skembed.dask` for
transforming dask collections).

Why narwhals rather than a converter per library: scikit-learn's own
validation is built on it (``sklearn.utils.validation`` imports
``narwhals.stable.v2`` since scikit-learn 1.9, which requires it), so it
costs no import time and reads every backend scikit-learn reads, with one
code path. polars and pyarrow are never imported by skembed.
"""

import warnings

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

__all__ = ["as_pandas", "is_dataframe"]


#: libraries of lazy collections, never read here (see skembed.dask)
_LAZY_LIBRARIES = {"dask", "dask_expr", "pyspark"}


def _to_narwhals(X):
    """An eager narwhals DataFrame or Series for a non-pandas frame or
    series, or ``None`` when ``X`` is none of them."""
    if isinstance(X, (np.ndarray, list, tuple, str, bytes, dict)) or X is None:
        return None
    if type(X).__module__.partition(".")[0] in _LAZY_LIBRARIES:
        return None  # not even handed to narwhals (which warns about dask)
    native = nw.from_native(X, allow_series=True, pass_through=True)
    if isinstance(native, nw.LazyFrame):
        return None  # dask, duckdb, polars LazyFrame: never computed here
    if native is not X:
        return native
    if hasattr(X, "__arrow_c_stream__"):
        return nw.from_native(_read_arrow_stream(X), eager_only=True, allow_series=True)
    if hasattr(X, "__dataframe__"):
        with warnings.catch_warnings():
            # pandas deprecates the interchange protocol, not our use of it
            warnings.simplefilter("ignore", DeprecationWarning)
            return nw.from_native(
                pd.api.interchange.from_dataframe(X), eager_only=True
            )
    return None


def _read_arrow_stream(X):
    """A pyarrow Table (or ChunkedArray) from an Arrow PyCapsule stream."""
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise ImportError(
            f"Reading a {type(X).__name__} (an Arrow stream, __arrow_c_stream__) "
            "needs pyarrow: pip install pyarrow."
        ) from exc
    try:
        return pa.table(X)
    except (TypeError, ValueError, pa.ArrowInvalid):
        return pa.chunked_array(X)


def _numpy_column(s):
    """One narwhals Series -> a NumPy array (or a pandas Categorical).

    Numbers keep their NumPy dtype, or become float64 with ``NaN`` where
    values are missing; booleans stay bool unless a value is missing;
    categoricals stay categorical; dates and durations become
    ``datetime64`` / ``timedelta64``; strings and everything else (lists,
    structs, decimals) become objects with ``None`` where missing (never
    ``pd.NA``).
    """
    dtype = s.dtype
    n_missing = s.null_count()
    if dtype.is_numeric() and not isinstance(dtype, nw.Decimal):
        if n_missing:
            return s.cast(nw.Float64).to_numpy().astype(np.float64, copy=False)
        return np.asarray(s.to_numpy())
    if isinstance(dtype, nw.Boolean) and not n_missing:
        return np.asarray(s.to_numpy(), dtype=bool)
    if isinstance(dtype, (nw.Categorical, nw.Enum)):
        return pd.Categorical(_objects(s.cast(nw.String), n_missing))
    if isinstance(dtype, (nw.Datetime, nw.Date, nw.Duration)):
        values = np.asarray(s.to_numpy())
        if values.dtype.kind in "mM":
            return values
        convert = pd.to_timedelta if isinstance(dtype, nw.Duration) else pd.to_datetime
        return np.asarray(convert(_objects(s, n_missing)))
    return _objects(s, n_missing)


def _objects(s, n_missing):
    """The values of ``s`` as a 1-D object array, ``None`` where missing."""
    out = np.empty(len(s), dtype=object)
    out[:] = s.to_list()
    if n_missing:
        out[np.asarray(s.is_null().to_numpy(), dtype=bool)] = None
    return out


def _needs_conversion(dtype):
    """A pandas column whose missing value is ``pd.NA`` (nullable and
    pyarrow-backed dtypes): scikit-learn and NumPy code mishandle ``pd.NA``."""
    return (
        isinstance(dtype, pd.api.extensions.ExtensionDtype)
        and not isinstance(dtype, (pd.CategoricalDtype, pd.DatetimeTZDtype))
        and getattr(dtype, "na_value", None) is pd.NA
    )


#: the dtype pandas gives a column of Python strings (``str`` on pandas 3,
#: where missing values are NaN), or None where that is ``object``
_STR_DTYPE = pd.Series(["a"]).dtype
_STR_DTYPE = _STR_DTYPE if isinstance(_STR_DTYPE, pd.StringDtype) else None


def _pandas_series(X):
    if not _needs_conversion(X.dtype):
        return X
    if _STR_DTYPE is not None and isinstance(X.dtype, pd.StringDtype):
        # the same column as the round trip through Python objects below
        # (which pandas reads back as ``str``), without the round trip: dask
        # hands every text partition over as ``string[pyarrow]``, and this
        # was half the time of EntityEmbeddingEncoder.transform on it
        return X.astype(_STR_DTYPE)
    values = _numpy_column(nw.from_native(X, series_only=True))
    return pd.Series(values, index=X.index, name=X.name, copy=False)


def _pandas_frame(X):
    if not any(_needs_conversion(dtype) for dtype in X.dtypes):
        return X
    columns = {
        j: _pandas_series(X.iloc[:, j])
        for j in range(X.shape[1])
    }
    out = pd.DataFrame(columns, index=X.index, copy=False)
    out.columns = X.columns
    return out


def as_pandas(X):
    """``X`` as pandas if it is a dataframe or series of any library, else ``X``.

    pandas input is returned as it is (the same object) unless a column
    holds ``pd.NA`` (see the module docstring); other frames and series are
    converted, keeping names and column order, with a ``RangeIndex``.
    NumPy arrays, lists, sparse matrices, generators and lazy frames are
    returned unchanged.
    """
    if isinstance(X, pd.DataFrame):
        return _pandas_frame(X)
    if isinstance(X, pd.Series):
        return _pandas_series(X)
    native = _to_narwhals(X)
    if native is None:
        return X
    if isinstance(native, nw.Series):
        return pd.Series(_numpy_column(native), name=native.name, copy=False)
    frame = pd.DataFrame(
        {j: _numpy_column(native[name]) for j, name in enumerate(native.columns)},
        copy=False,
    )
    frame.columns = list(native.columns)
    return frame


def is_dataframe(X):
    """Whether ``X`` is a 2-D dataframe (of any library :func:`as_pandas` reads)."""
    if isinstance(X, pd.DataFrame):
        return True
    if isinstance(X, (pd.Series, np.ndarray, list, tuple, str, bytes)):
        return False
    try:
        native = _to_narwhals(X)
    except Exception:  # an object that only looks like a frame
        return False
    return isinstance(native, nw.DataFrame)
