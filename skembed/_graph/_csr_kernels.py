"""Numba kernels for validating and symmetrising CSR adjacency matrices.

Imports numpy and numba only. Both kernels work on a *canonical* CSR
(column indices sorted within each row, no duplicate entries, no stored
zeros) and replace scipy expressions that build the transpose and one or
two full-size intermediate matrices (``(A != A.T).nnz``,
``A.maximum(A.T)``, ``A + A.T - diags(A.diagonal())``) with the same
results at a fraction of the memory.
"""

import numpy as np
from numba import njit

from .._engine._numba_config import CACHE

__all__ = ["csr_is_symmetric", "csr_symmetrise"]

#: ``mode`` of :func:`csr_symmetrise`
SYM_MAX = 0
SYM_SUM = 1


@njit(nogil=True, cache=CACHE)
def csr_is_symmetric(indptr, indices, data):
    """True when ``A[i, j] == A[j, i]`` for every stored entry.

    A binary search for each off-diagonal entry's mirror in its (sorted)
    row: no memory beyond the inputs, where ``(A != A.T).nnz`` builds the
    transpose and a comparison matrix.
    """
    n = indptr.shape[0] - 1
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if j == i:
                continue
            lo = indptr[j]
            hi = indptr[j + 1]
            end = hi
            while lo < hi:
                mid = (lo + hi) // 2
                if indices[mid] < i:
                    lo = mid + 1
                else:
                    hi = mid
            if lo == end or indices[lo] != i or data[lo] != data[k]:
                return False
    return True


@njit(nogil=True, cache=CACHE)
def _transpose(indptr, indices, data, n):
    """CSR of the transpose (a counting sort: indices come out sorted)."""
    nnz = indices.shape[0]
    t_indptr = np.zeros(n + 1, dtype=np.int64)
    for k in range(nnz):
        t_indptr[indices[k] + 1] += 1
    for i in range(n):
        t_indptr[i + 1] += t_indptr[i]
    fill = t_indptr[:-1].copy()
    t_indices = np.empty(nnz, dtype=indices.dtype)
    t_data = np.empty(nnz, dtype=data.dtype)
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            t_indices[fill[j]] = i
            t_data[fill[j]] = data[k]
            fill[j] += 1
    return t_indptr, t_indices, t_data


@njit(nogil=True, cache=CACHE)
def _merge_rows(indptr, indices, data, t_indptr, t_indices, t_data, mode,
                out_indptr, out_indices, out_data, fill):
    """Count (``fill`` False) or write the union of row ``i`` of ``A`` and of
    ``A.T`` for every row."""
    n = indptr.shape[0] - 1
    pos = 0
    for i in range(n):
        a = indptr[i]
        a_end = indptr[i + 1]
        b = t_indptr[i]
        b_end = t_indptr[i + 1]
        while a < a_end or b < b_end:
            if b == b_end or (a < a_end and indices[a] < t_indices[b]):
                col = indices[a]
                value = data[a]
                a += 1
            elif a == a_end or t_indices[b] < indices[a]:
                col = t_indices[b]
                value = t_data[b]
                b += 1
            else:  # in both: A[i, j] and A[j, i]
                col = indices[a]
                if mode == SYM_MAX:
                    value = max(data[a], t_data[b])
                elif col == i:  # the diagonal counts once
                    value = data[a]
                else:
                    value = data[a] + t_data[b]
                a += 1
                b += 1
            if fill:
                out_indices[pos] = col
                out_data[pos] = value
            pos += 1
        out_indptr[i + 1] = pos
    return pos


@njit(nogil=True, cache=CACHE)
def csr_symmetrise(indptr, indices, data, mode):
    """``(indptr, indices, data)`` of ``max(A, A.T)`` (``mode=SYM_MAX``) or
    ``A + A.T - diag(A)`` (``SYM_SUM``), canonical.

    Every output value is either one input value or one max/sum of
    ``A[i, j]`` and ``A[j, i]`` (both operations commutative and exact in
    the order), so the result equals scipy's to the bit. Memory: the
    transpose and the output, no other intermediate.
    """
    n = indptr.shape[0] - 1
    t_indptr, t_indices, t_data = _transpose(indptr, indices, data, n)
    out_indptr = np.zeros(n + 1, dtype=np.int64)
    dummy_i = np.empty(0, dtype=indices.dtype)
    dummy_d = np.empty(0, dtype=data.dtype)
    nnz = _merge_rows(indptr, indices, data, t_indptr, t_indices, t_data, mode,
                      out_indptr, dummy_i, dummy_d, False)
    out_indices = np.empty(nnz, dtype=indices.dtype)
    out_data = np.empty(nnz, dtype=data.dtype)
    _merge_rows(indptr, indices, data, t_indptr, t_indices, t_data, mode,
                out_indptr, out_indices, out_data, True)
    return out_indptr, out_indices, out_data
