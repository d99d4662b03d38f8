"""Numba kernels for pooling token vectors into one vector per sequence.

Imports numpy and numba only. Sum-type pooling (mean, weighted means) is a
sparse matrix product done by scipy in the estimators; only max pooling,
which has no BLAS form, needs a kernel.
"""

import numpy as np
from numba import njit

from ._numba_config import CACHE

__all__ = ["max_pool"]


@njit(nogil=True, cache=CACHE)
def _max_pool(indptr, ids, vectors, out):
    dim = vectors.shape[1]
    for d in range(indptr.shape[0] - 1):
        start = indptr[d]
        end = indptr[d + 1]
        if start == end:
            continue  # no token: the row stays zero
        first = vectors[ids[start]]
        for j in range(dim):
            out[d, j] = first[j]
        for k in range(start + 1, end):
            row = vectors[ids[k]]
            for j in range(dim):
                if row[j] > out[d, j]:
                    out[d, j] = row[j]


def max_pool(indptr, ids, vectors):
    """Element-wise maximum of the rows ``vectors[ids[indptr[d]:indptr[d+1]]]``.

    Sequences without a token give a zero row.

    Parameters
    ----------
    indptr : ndarray of int64, shape (n_sequences + 1,)
    ids : ndarray of int32
    vectors : ndarray of float32, shape (n_tokens, dim)

    Returns
    -------
    ndarray of float32, shape (n_sequences, dim)
    """
    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    ids = np.ascontiguousarray(ids, dtype=np.int32)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    out = np.zeros((indptr.shape[0] - 1, vectors.shape[1]), dtype=np.float32)
    _max_pool(indptr, ids, vectors, out)
    return out
