"""Fitted skembed transformers as Spark column functions.

Needs the ``spark`` extra (``pip install skembed[spark]``: pyspark >= 4 and
pyarrow). Training stays on one node (fit on a sample, or on a corpus file);
this module embeds the rows where they live:

>>> from skembed.spark import embedding_udf                  # doctest: +SKIP
>>> embed = embedding_udf(fitted_vectorizer)                 # doctest: +SKIP
>>> df.select("id", embed("text").alias("vector"))           # doctest: +SKIP

How it runs (see the "Scaling out" page of the user guide):

* the UDF is an iterator-of-batches pandas UDF: each Python worker reads its
  partition as Arrow batches of pandas Series and calls the in-process
  ``transform`` on each batch, so the output of a row equals the in-process
  output;
* the model is pickled once and sent as a Spark broadcast variable (once per
  executor), or, given a path, read with :func:`skembed.load_model` by each
  worker (the file must be on a path every worker sees); each Python worker
  process builds the model once and keeps it (and the numba kernels it
  compiled, or loaded from numba's cache) for every later batch and task;
* inputs: a text column, a basket column (an array column), a node-id
  column, or several categorical columns (``EntityEmbeddingEncoder``: pass
  the columns in the order of ``feature_names_in_``);
* output: one array column (``output="array"``) or a struct with one field
  per feature, named by ``get_feature_names_out`` (``output="struct"``);
  :func:`with_embedding` expands it to one column per feature. Either way
  the Python worker returns one float column per feature (Arrow copies
  them as they are); an array column is packed by the JVM.
"""

import functools
import os
import pickle
import typing
import uuid

import numpy as np
import pandas as pd

from ._persist._api import load_model

__all__ = ["embedding_udf", "with_embedding"]

#: models already built in this Python process, by source (a broadcast id or
#: a file path): a worker process builds each model once
_MODELS = {}


def _pyspark():
    try:
        import pyspark.sql.functions as F
        import pyspark.sql.types as T
    except ImportError as exc:
        raise ImportError(
            "skembed.spark needs pyspark: pip install 'skembed[spark]' "
            "(pyspark>=4 and pyarrow)."
        ) from exc
    return F, T


def _model(source):
    """The model of ``source`` in this process: ``(key, "broadcast", bc)`` or
    ``(path, "path", path)``; built at its first use, then reused."""
    key, kind, value = source
    model = _MODELS.get(key)
    if model is None:
        model = pickle.loads(value.value) if kind == "broadcast" else load_model(value)
        _MODELS[key] = model
    return model


def _input(columns, names):
    """One batch of the UDF's input columns -> what ``transform`` takes: the
    column itself, or a frame of the columns, named as in ``fit`` when the
    model knows its input names (``feature_names_in_``)."""
    if len(columns) == 1 and names is None:
        return columns[0]
    frame = pd.concat(list(columns), axis=1, ignore_index=True)
    if names is not None:
        if len(names) != frame.shape[1]:
            raise ValueError(
                f"the model was fitted on {len(names)} columns {list(names)}; the "
                f"UDF was called with {frame.shape[1]}."
            )
        frame.columns = list(names)
    return frame


def _embed_batches(source, method, batches):
    """The body of the pandas UDF: batches of input columns -> output batches."""
    model = _model(source)
    names, dtype = model._lazy_output()
    n_out = None if names is None else len(names)
    in_names = getattr(model, "feature_names_in_", None)
    for batch in batches:
        columns = batch if isinstance(batch, tuple) else (batch,)
        n = len(columns[0])
        if n == 0:
            X = np.empty((0,) if n_out is None else (0, n_out), dtype=dtype)
        else:
            X = np.asarray(getattr(model, method)(_input(columns, in_names)))
        if n_out is None:
            yield pd.Series([None if v is None else str(v) for v in X], dtype=object)
        else:  # one column per feature, for an array column too (_EmbeddingUDF)
            yield pd.DataFrame(X.astype(dtype, copy=False), columns=list(names))


def _source(estimator):
    """``("path", path)`` for a saved model, else the pickled fitted model as
    a broadcast variable of the active Spark session."""
    if isinstance(estimator, (str, os.PathLike)):
        path = os.fspath(estimator)
        path = os.path.abspath(path)
        return (path, "path", path), load_model(path)
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    if spark is None:
        raise RuntimeError(
            "embedding_udf needs an active SparkSession (it broadcasts the "
            "fitted model); start one with SparkSession.builder.getOrCreate()."
        )
    blob = pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)
    key = f"broadcast-{uuid.uuid4().hex}"
    return (key, "broadcast", spark.sparkContext.broadcast(blob)), estimator


def embedding_udf(estimator, *, output="array", method="transform"):
    """A Spark column function computing ``estimator.transform`` row-wise.

    Parameters
    ----------
    estimator : fitted skembed transformer, or str / path-like
        The fitted model (pickled once and broadcast to the executors), or
        the path of a file written by :func:`skembed.save_model`, which
        every Python worker reads itself (a path every worker sees).
    output : {"array", "struct"}, default="array"
        ``"array"``: one array column (float, or double for a ``float64``
        model); ``"struct"``: one field per feature, named by
        ``get_feature_names_out`` (select ``"alias.*"`` for one column per
        feature, or use :func:`with_embedding`). A transformer with one
        value per row (``ExtractiveSummarizer``) gives a string column.
    method : str, default="transform"
        The estimator's method to call on each batch.

    Returns
    -------
    udf : callable
        Call it on the input column(s) to get a Column: the text, basket or
        node-id column, the two node columns of ``EdgeFeatures``, or the
        categorical columns of ``EntityEmbeddingEncoder`` in the order of
        ``feature_names_in_``. Its ``returnType`` is the Spark type of the
        output.
    """
    F, T = _pyspark()
    if output not in ("array", "struct"):
        raise ValueError(f"output must be 'array' or 'struct'; got {output!r}.")
    source, model = _source(estimator)
    if not hasattr(model, method):
        raise ValueError(
            f"method: {type(model).__name__} has no method {method!r}."
        )
    names, dtype = model._lazy_output()
    struct = None  # what the Python worker returns for a fixed-width output
    if names is None:
        return_type = T.StringType()
    else:
        element = T.DoubleType() if dtype == np.float64 else T.FloatType()
        struct = T.StructType([T.StructField(str(name), element) for name in names])
        if output == "array":
            return_type = T.ArrayType(element, containsNull=False)
        else:
            return_type = struct
    body = functools.partial(_embed_batches, source, method)
    return _EmbeddingUDF(body, return_type, struct, names)


class _EmbeddingUDF:
    """A column function: ``udf(col)`` or ``udf(col1, col2, ...)``; the
    pandas UDF is made for the number of columns it is called with."""

    def __init__(self, body, return_type, struct, names):
        self.body = body
        self.returnType = return_type
        # every fixed-width output leaves the Python worker as ``struct``
        self._struct = struct
        self._names = names
        self._udfs = {}

    def __call__(self, *cols):
        if not cols:
            raise TypeError("the embedding UDF takes at least one column; got none.")
        F, _ = _pyspark()
        columnar = self._struct is not None
        udf = self._udfs.get(len(cols))
        if udf is None:
            udf = F.pandas_udf(
                _typed(self.body, len(cols), columnar),
                self._struct if columnar else self.returnType,
            )
            self._udfs[len(cols)] = udf
        column = udf(*cols)
        if columnar and self.returnType != self._struct:  # an array output
            # the Python worker hands over one column per feature (Arrow
            # copies float columns as they are) and the JVM packs the
            # array: an array column from Python costs a Python list of
            # floats per row in pyspark's conversion, as long as the
            # transform itself for EntityEmbeddingEncoder
            column = F.array(*[column.getField(str(n)) for n in self._names])
        return column


def _typed(body, n_inputs, columnar):
    """``body`` with the type hints pyspark reads to pick an
    iterator-of-batches UDF (one column in, or a tuple of columns)."""
    Series = pd.Series
    batch = Series if n_inputs == 1 else typing.Tuple[(Series,) * n_inputs]
    out = pd.DataFrame if columnar else Series

    def udf(batches):
        return body(batches)

    udf.__annotations__ = {
        "batches": typing.Iterator[batch],
        "return": typing.Iterator[out],
    }
    return udf


def with_embedding(df, estimator, input_cols, *, output="columns", name="embedding"):
    """``df`` with the embedding of ``input_cols`` added.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    estimator : fitted skembed transformer, or str / path-like
        As in :func:`embedding_udf`.
    input_cols : str or list of str
        The input column, or the categorical columns (in the order of
        ``feature_names_in_``).
    output : {"columns", "array"}, default="columns"
        ``"columns"``: one column per feature, named by
        ``get_feature_names_out``; ``"array"``: one array column ``name``.
    name : str, default="embedding"
        The name of the array column (``output="array"``).

    Returns
    -------
    pyspark.sql.DataFrame
    """
    F, T = _pyspark()
    if output not in ("columns", "array"):
        raise ValueError(f"output must be 'columns' or 'array'; got {output!r}.")
    cols = [input_cols] if isinstance(input_cols, str) else list(input_cols)
    udf = embedding_udf(estimator, output="array" if output == "array" else "struct")
    column = udf(*[F.col(c) for c in cols])
    if output == "array" or not isinstance(udf.returnType, T.StructType):
        return df.withColumn(name, column)
    tmp = f"__{name}_struct"
    return df.withColumn(tmp, column).select("*", f"{tmp}.*").drop(tmp)
