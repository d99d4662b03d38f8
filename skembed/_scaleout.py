"""Lazy collections in ``transform``: dask partition-wise, Spark pointed to
:mod:`skembed.spark`, and a clear error where a lazy collection is fitted.

Every public transformer inherits :class:`LazyTransformMixin` (left of
scikit-learn's ``TransformerMixin``). Its ``__init_subclass__`` wraps each
``transform`` a class defines, *outside* scikit-learn's ``set_output``
wrapper (which would compute a dask result to make a pandas frame):

* a dask DataFrame / Series / Array / Bag gives a lazy collection of the
  same kind (a Bag gives an Array), built partition by partition with the
  in-process ``transform``, with the right ``meta`` (names from
  ``get_feature_names_out``, the output dtype), the input never computed;
  a DataFrame or Series keeps its index and divisions;
* the fitted model is shipped once: scattered to every worker
  (``Client.scatter(broadcast=True)``) when a ``distributed`` client is
  active, so tasks carry a reference, not a pickled copy of the model;
* an empty partition gives an empty block (``transform`` itself refuses
  empty input); each partition is transformed on its own, so rows whose
  output depends on the other rows of the call (none today; SIF's
  projection rounds the same in any block height) would differ.

Training stays on one node: :func:`reject_lazy`, called by the input
checks of ``fit``, says what to do instead (fit on a sample, or stream a
corpus file). dask and pyspark are never imported here unless the input is
one of their collections (they are already imported then).
"""

import functools
import sys

import numpy as np
import pandas as pd

__all__ = ["LazyTransformMixin", "is_dask_collection", "reject_lazy"]

_DASK_MODULES = {"dask", "dask_expr"}


def _library(X):
    return type(X).__module__.partition(".")[0]


def is_dask_collection(X):
    """Whether ``X`` is a dask collection (DataFrame, Series, Array, Bag, ...)."""
    return _library(X) in _DASK_MODULES and hasattr(X, "__dask_graph__")


def _is_spark_frame(X):
    return _library(X) == "pyspark"


def reject_lazy(X, *, param="X"):
    """Raise ``TypeError`` for a dask collection or a Spark frame given to a
    method that needs the data in memory (``fit``, ``fit_transform``, ...)."""
    if is_dask_collection(X):
        raise TypeError(
            f"{param} is a dask {type(X).__name__}: skembed fits on one node and "
            "does not compute dask collections itself. Fit on a sample "
            f"({param}.sample(frac=0.01).compute()) or stream a corpus file "
            "(Word2VecVectorizer(input='filename')), then call transform on the "
            "dask collection: it runs partition-wise on the workers."
        )
    if _is_spark_frame(X):
        raise TypeError(
            f"{param} is a Spark {type(X).__name__}: skembed fits on one node. Fit "
            f"on a sample ({param}.sample(fraction=0.01).toPandas()), then embed "
            "the Spark frame with skembed.spark.embedding_udf(fitted_estimator)."
        )


# ------------------------------------------------------------------ the mixin
class LazyTransformMixin:
    """``transform`` of a dask collection runs partition-wise (see the module).

    Subclasses may override :meth:`_lazy_output`.
    """

    def __init_subclass__(cls, **kwargs):
        # scikit-learn's _SetOutputMixin (further right in the MRO) wraps
        # transform for set_output first; this wrapper goes outside it
        super().__init_subclass__(**kwargs)
        method = cls.__dict__.get("transform")
        if method is not None and not getattr(method, "_skembed_lazy", False):
            cls.transform = _lazy_method(method)

    def _lazy_output(self):
        """``(feature names, dtype)`` of the output of ``transform``;
        ``names=None`` for a 1-D output (one value per row)."""
        return np.asarray(self.get_feature_names_out(), dtype=object), np.dtype(
            np.float32
        )


def _lazy_method(method):
    @functools.wraps(method)
    def wrapped(self, X, *args, **kwargs):
        if is_dask_collection(X):
            return dask_transform(self, X, method.__name__, *args, **kwargs)
        if _is_spark_frame(X):
            raise TypeError(
                f"X is a Spark {type(X).__name__}: embed it with a column function, "
                f"skembed.spark.embedding_udf({type(self).__name__}(...).fit(...)), "
                "e.g. df.select(udf('text'))."
            )
        return method(self, X, *args, **kwargs)

    wrapped._skembed_lazy = True
    return wrapped


# ---------------------------------------------------------- dask transform
def _active_client():
    """The ``distributed`` client dask would compute with, or None."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.get_client()
    except ValueError:
        return None


def ship_model(estimator):
    """The fitted model for the tasks: a future of it scattered to every
    worker when a distributed client is active, else the model itself."""
    client = _active_client()
    if client is None:
        return estimator
    return client.scatter(estimator, broadcast=True, hash=False)


def dask_transform(estimator, X, method="transform", *args, **kwargs):
    """``estimator.<method>`` of a dask collection, lazily, partition-wise."""
    import dask.array as da
    import dask.bag as db
    import dask.dataframe as dd

    if kwargs.get("graph") is not None and is_dask_collection(kwargs["graph"]):
        reject_lazy(kwargs["graph"], param="graph")
    names, dtype = estimator._lazy_output()
    n_out = None if names is None else len(names)
    model = ship_model(estimator)
    call = (method, args, kwargs, names, dtype)
    if isinstance(X, (dd.DataFrame, dd.Series)):
        index = X._meta.index[:0]
        if names is None:
            meta = pd.Series([], index=index, dtype=dtype, name=method)
        else:
            meta = pd.DataFrame(
                np.empty((0, n_out), dtype=dtype), index=index, columns=names
            )
        return X.map_partitions(
            _frame_partition,
            model,
            call,
            meta=meta,
            align_dataframes=False,
            enforce_metadata=False,
        )
    if isinstance(X, da.Array):
        if X.ndim == 2 and X.numblocks[1] > 1:
            X = X.rechunk({1: -1})  # a block holds whole rows
        meta = np.empty((0,) if names is None else (0, n_out), dtype=dtype)
        block_kw = (
            {}
            if names is None
            else {"chunks": (X.chunks[0], (n_out,))}
        )
        if names is not None and X.ndim == 1:
            block_kw["new_axis"] = 1
        elif names is None and X.ndim == 2:
            block_kw["drop_axis"] = 1
        return X.map_blocks(
            _array_block, model, call, dtype=dtype, meta=meta, **block_kw
        )
    if isinstance(X, db.Bag):
        blocks = X.map_partitions(_bag_partition, model, call).to_delayed()
        shape = (np.nan,) if names is None else (np.nan, n_out)
        meta = np.empty((0,) * len(shape), dtype=dtype)
        return da.concatenate(
            [da.from_delayed(b, shape=shape, dtype=dtype, meta=meta) for b in blocks]
        )
    raise TypeError(
        f"X is a dask {type(X).__name__}; {type(estimator).__name__}.{method} "
        "takes a dask DataFrame, Series, Array or Bag."
    )


def _apply(model, values, call):
    """One partition's rows -> a NumPy block of the output."""
    method, args, kwargs, names, dtype = call
    n_out = None if names is None else len(names)
    if len(values) == 0:  # transform refuses empty input; a partition may be
        return np.empty((0,) if n_out is None else (0, n_out), dtype=dtype)
    out = getattr(model, method)(values, *args, **kwargs)
    if n_out is None:
        return np.asarray(out, dtype=dtype)
    return np.asarray(out, dtype=dtype).reshape(len(out), n_out)


def _frame_partition(part, model, call):
    out = _apply(model, part, call)
    if len(out) != len(part):
        raise ValueError(
            f"{type(model).__name__}.{call[0]} gave {len(out)} rows for a "
            f"partition of {len(part)}: a dask transform keeps one output row per "
            "input row. Group rows that belong together first (long-format "
            "baskets: ddf.groupby(basket_col)[item_col].apply(list))."
        )
    names = call[3]
    if names is None:
        return pd.Series(out, index=part.index, name=call[0])
    return pd.DataFrame(out, index=part.index, columns=names, copy=False)


def _array_block(block, model, call):
    return _apply(model, block, call)


def _bag_partition(part, model, call):
    # a Bag partition is a list (or an iterator); the output partition is
    # one NumPy block, read back by da.from_delayed
    return _apply(model, list(part), call)
