"""numba kernels of the spectral engine: sparse x dense products.

Plain arrays in, arrays out; numpy and numba only. Every output row is
computed by one thread with a fixed summation order, so results do not
depend on the thread count. ``X`` / ``out`` are C-contiguous float32
``(n, k)`` blocks, the CSR matrix has float32 data.
"""

import numba
import numpy as np

from ._numba_config import CACHE


@numba.njit(nogil=True, inline="always")
def _row_product(indptr, indices, data, X, acc, i):
    """acc[:] = (A @ X)[i]"""
    k = X.shape[1]
    for t in range(k):
        acc[t] = 0.0
    for p in range(indptr[i], indptr[i + 1]):
        j = indices[p]
        a = data[p]
        for t in range(k):
            acc[t] += a * X[j, t]


@numba.njit(nogil=True, cache=CACHE)
def spmm_serial(indptr, indices, data, X, alpha, beta, out):
    """``out = alpha * X + beta * (A @ X)`` (``alpha = 0``: plain product;
    then ``X`` may have another row count than ``out``)."""
    acc = np.empty(X.shape[1], dtype=np.float32)
    for i in range(indptr.shape[0] - 1):
        _row_product(indptr, indices, data, X, acc, i)
        if alpha == 0.0:
            for t in range(X.shape[1]):
                out[i, t] = beta * acc[t]
        else:
            for t in range(X.shape[1]):
                out[i, t] = alpha * X[i, t] + beta * acc[t]


@numba.njit(nogil=True, parallel=True, cache=CACHE)
def spmm_parallel(indptr, indices, data, X, alpha, beta, out):
    """Threaded :func:`spmm_serial` (rows split over threads; same result)."""
    n = indptr.shape[0] - 1
    k = X.shape[1]
    n_chunks = (n + 255) // 256
    for c in numba.prange(n_chunks):
        acc = np.empty(k, dtype=np.float32)
        for i in range(c * 256, min(n, (c + 1) * 256)):
            _row_product(indptr, indices, data, X, acc, i)
            if alpha == 0.0:
                for t in range(k):
                    out[i, t] = beta * acc[t]
            else:
                for t in range(k):
                    out[i, t] = alpha * X[i, t] + beta * acc[t]


@numba.njit(nogil=True, cache=CACHE)
def chebyshev_step_serial(indptr, indices, data, X, alpha, T1, T0, conv, coef):
    """One step of the Chebyshev recursion, in place.

    ``T0 <- alpha * X - A @ X - 2 * T1 - T0`` (the next polynomial, with
    ``X = M T1`` and ``M = alpha I - A``), then ``conv += coef * T0``.
    Row ``i`` reads only row ``i`` of ``T0``, ``T1`` and ``conv``, so the
    update is safe in place.
    """
    k = X.shape[1]
    acc = np.empty(k, dtype=np.float32)
    for i in range(indptr.shape[0] - 1):
        _row_product(indptr, indices, data, X, acc, i)
        for t in range(k):
            v = alpha * X[i, t] - acc[t] - 2.0 * T1[i, t] - T0[i, t]
            T0[i, t] = v
            conv[i, t] += coef * v


@numba.njit(nogil=True, parallel=True, cache=CACHE)
def chebyshev_step_parallel(indptr, indices, data, X, alpha, T1, T0, conv, coef):
    """Threaded :func:`chebyshev_step_serial` (same result)."""
    n = indptr.shape[0] - 1
    k = X.shape[1]
    n_chunks = (n + 255) // 256
    for c in numba.prange(n_chunks):
        acc = np.empty(k, dtype=np.float32)
        for i in range(c * 256, min(n, (c + 1) * 256)):
            _row_product(indptr, indices, data, X, acc, i)
            for t in range(k):
                v = alpha * X[i, t] - acc[t] - 2.0 * T1[i, t] - T0[i, t]
                T0[i, t] = v
                conv[i, t] += coef * v
