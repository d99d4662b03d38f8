"""Input checks shared by the estimators, and the numba thread context."""

import contextlib
import numbers

import numba
import numpy as np
import scipy.sparse as sp
from joblib import effective_n_jobs

from ._dataframes import as_pandas
from ._scaleout import reject_lazy

__all__ = [
    "check_column",
    "effective_threads",
    "numba_threads",
]


def effective_threads(n_jobs):
    """Number of numba threads to use for ``n_jobs`` (``None`` means 1).

    ``-1`` means every core numba may use; negative values count back from it
    as in joblib. The result is capped by ``numba.config.NUMBA_NUM_THREADS``.
    """
    if n_jobs is None:
        return 1
    n = effective_n_jobs(n_jobs)
    return int(max(1, min(n, numba.config.NUMBA_NUM_THREADS)))


@contextlib.contextmanager
def numba_threads(n_jobs):
    """Run a block with ``effective_threads(n_jobs)`` numba threads.

    The previous thread count is restored in ``finally``, also on error.
    """
    previous = numba.get_num_threads()
    numba.set_num_threads(effective_threads(n_jobs))
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def check_column(X, *, what, param="X", rows=False, hint="", scalar_error=TypeError):
    """The one check of a 1-D input: a column of documents, baskets or node ids.

    Returns ``X`` itself, or its column for a one-column DataFrame or an
    ``(n, 1)`` array; callers turn it into their list or array. Frames and
    series of any library come back as pandas (:func:`skembed._dataframes.as_pandas`). Raises, naming
    ``param`` and what was expected:

    * ``ValueError`` for a bare ``str`` / ``bytes`` (it would iterate over
      characters; for documents, scikit-learn's own message), a DataFrame of
      several columns or an array of another shape (unless ``rows``: then
      its rows are the values, e.g. baskets), a sparse matrix;
    * ``scalar_error`` (``TypeError``; the graph family's documented error
      is ``ValueError``) for ``None``, a number, a 0-d array or a
      non-iterable.

    ``hint`` is appended to the messages about the shape.
    """
    if isinstance(X, (str, bytes)):
        if what == "documents":
            raise ValueError(
                "Iterable over raw text documents expected, string object received."
            )
        single = "string" if isinstance(X, str) else "bytes object"
        raise ValueError(
            f"{param} must be an iterable of {what}; got a single {single} "
            f"{X[:30]!r}. Wrap it in a list: [{X[:30]!r}]."
        )
    reject_lazy(X, param=param)  # dask / Spark: transform only, see _scaleout
    X = as_pandas(X)  # polars, pyarrow, nullable pandas, ... -> pandas
    if (
        X is None
        or isinstance(X, (numbers.Number, np.generic))
        or getattr(X, "ndim", 1) == 0
        or not hasattr(X, "__iter__")
    ):
        found = "a 0-d array" if getattr(X, "ndim", 1) == 0 else type(X).__name__
        raise scalar_error(f"{param} must be an iterable of {what}; got {found}.")
    if sp.issparse(X):
        raise ValueError(
            f"{param} must be a 1-D column of {what}; got a sparse matrix of "
            f"shape {X.shape}."
        )
    if hasattr(X, "iloc") and hasattr(X, "columns"):  # DataFrame
        if X.shape[1] == 1:
            return X.iloc[:, 0]
        if rows:
            return X
        raise ValueError(
            f"{param} must be one column of {what}; got a DataFrame with "
            f"{X.shape[1]} columns.{hint}"
        )
    if isinstance(X, np.ndarray) and X.ndim != 1:
        if X.ndim == 2 and X.shape[1] == 1:
            return X[:, 0]
        if rows:
            return X
        raise ValueError(
            f"{param} must be a 1-D array of {what}; got an array of shape "
            f"{X.shape}.{hint}"
        )
    return X
