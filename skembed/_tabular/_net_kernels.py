"""numba kernels of the entity-embedding network (``_nn.py``).

Only numpy and numba are imported here. All embedding tables of a network
live in one flat float32 array: column ``j`` starts at element
``elem_base[j]``, has ``dims[j]`` values per row, and its row ``c`` starts at
``elem_base[j] + c * dims[j]``; ``row_base[j]`` numbers the rows of all
tables globally (for the "touched in this batch" stamps). In the network
input matrix, column ``j`` fills ``col_out[j] : col_out[j] + dims[j]``.

The two kernels are the only per-row work of a training step: gathering the
rows of a mini-batch, and a *lazy* (row-sparse) Adam step that accumulates
the gradient of the rows seen in the batch and updates only those rows (and
their moment estimates), never the whole table. ``dense_adam_step`` is the
Adam step of one weight matrix in a single pass (numpy needed six
temporaries per matrix, 8 % of a step's time at 60k rows).
"""

import numpy as np
from numba import njit

from .._engine._numba_config import CACHE


@njit(nogil=True, cache=CACHE)
def gather_rows(flat, elem_base, dims, col_out, codes, out):
    """Copy the embedding rows of ``codes`` (n, n_cols) into ``out[:, :D]``."""
    n, n_cols = codes.shape
    for i in range(n):
        for j in range(n_cols):
            d = dims[j]
            s = elem_base[j] + codes[i, j] * d
            o = col_out[j]
            for k in range(d):
                out[i, o + k] = flat[s + k]


@njit(nogil=True, fastmath=True, cache=CACHE)
def sparse_adam_step(
    flat,
    m,
    v,
    elem_base,
    row_base,
    dims,
    col_out,
    codes,
    grad,
    acc,
    stamp,
    step,
    touched_col,
    touched_code,
    lr_t,
    beta1,
    beta2,
    eps,
    alpha,
):
    """One lazy Adam step on the embedding rows used by a mini-batch.

    ``grad`` (n, >= D) is the gradient of the loss w.r.t. the network input;
    its slices are summed per (column, code) into ``acc`` (same layout as
    ``flat``), rows first seen in this step are marked in ``stamp`` with
    ``step``. Then each touched row gets the Adam update with L2 penalty
    ``alpha`` and the bias-corrected step size ``lr_t``. Returns the number
    of rows touched.
    """
    n, n_cols = codes.shape
    nt = 0
    for i in range(n):
        for j in range(n_cols):
            c = codes[i, j]
            d = dims[j]
            s = elem_base[j] + c * d
            g = row_base[j] + c
            if stamp[g] != step:
                stamp[g] = step
                touched_col[nt] = j
                touched_code[nt] = c
                nt += 1
                for k in range(d):
                    acc[s + k] = 0.0
            o = col_out[j]
            for k in range(d):
                acc[s + k] += grad[i, o + k]
    for t in range(nt):
        j = touched_col[t]
        d = dims[j]
        s = elem_base[j] + touched_code[t] * d
        for k in range(d):
            e = s + k
            gk = acc[e] + alpha * flat[e]
            mk = beta1 * m[e] + (1.0 - beta1) * gk
            vk = beta2 * v[e] + (1.0 - beta2) * gk * gk
            m[e] = mk
            v[e] = vk
            flat[e] -= lr_t * mk / (np.sqrt(vk) + eps)
    return nt


@njit(nogil=True, fastmath=True, cache=CACHE)
def dense_adam_step(p, g, m, v, lr_t, beta1, beta2, eps):
    """Adam step of one dense parameter in place, all arrays flat float32
    views of the same size (``g`` already holds the L2 term)."""
    for e in range(p.shape[0]):
        gk = g[e]
        mk = beta1 * m[e] + (1.0 - beta1) * gk
        vk = beta2 * v[e] + (1.0 - beta2) * gk * gk
        m[e] = mk
        v[e] = vk
        p[e] -= lr_t * mk / (np.sqrt(vk) + eps)
