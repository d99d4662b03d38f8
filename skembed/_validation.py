"""Input checks shared by the estimators, and the numba thread context."""

import contextlib
import numbers

import numba
import numpy as np
from joblib import effective_n_jobs

__all__ = [
    "check_sequence_input",
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


def check_sequence_input(X, *, what="documents", param="X", materialize=True):
    """Reject inputs that cannot be an iterable of sequences.

    Mirrors scikit-learn's vectorizers: a bare string (which would iterate
    over characters), bytes, a scalar or ``None`` raise a ``ValueError`` /
    ``TypeError`` naming the argument. Returns a list (materialised once, so
    generators are accepted and the input is not consumed twice), or with
    ``materialize=False`` an iterator over ``X`` (for one streaming pass).
    """
    if isinstance(X, (str, bytes)):
        raise ValueError(
            f"Iterable over raw text {what} expected, string object received."
            if what == "documents"
            else f"{param} must be an iterable of {what}; got a single "
            f"{type(X).__name__} object."
        )
    if X is None or isinstance(X, (numbers.Number, np.generic)):
        raise TypeError(
            f"{param} must be an iterable of {what}; got {type(X).__name__}."
        )
    if hasattr(X, "ndim") and getattr(X, "ndim", 1) == 0:
        raise TypeError(f"{param} must be an iterable of {what}; got a 0-d array.")
    try:
        items = list(X) if materialize else iter(X)
    except TypeError as exc:
        raise TypeError(
            f"{param} must be an iterable of {what}; got {type(X).__name__}."
        ) from exc
    return items
