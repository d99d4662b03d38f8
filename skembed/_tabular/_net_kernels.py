"""numba kernels of the entity-embedding network (``_net.py``) and the
passes over the rows of the level effects' backfitting (``_effects.py``).

Only numpy and numba are imported here (numba's ``np.dot`` calls the BLAS
that scipy ships). All embedding tables of a network
live in one flat float32 array: column ``j`` starts at element
``elem_base[j]``, has ``dims[j]`` values per row, and its row ``c`` starts at
``elem_base[j] + c * dims[j]``; ``row_base[j]`` numbers the rows of all
tables globally (for the "touched in this batch" stamps). In the network
input matrix, column ``j`` fills ``col_out[j] : col_out[j] + dims[j]``.

``train_batches`` runs whole training steps (an epoch per call): gathering
the rows of a mini-batch, the dense layers and their back-propagation,
``dense_adam_step`` on every weight matrix and bias (one pass, no
temporaries), and a *lazy* (row-sparse) Adam step that accumulates the
gradient of the rows seen in the batch and updates only those rows (and
their moment estimates), never the whole table. A step driven from Python
cost about 40 interpreter round trips (numpy calls, kernel dispatch), more
than its matrix products at the default batch sizes (measured on
hotel_rates-like tables, 250-row batches: ~0.45 ms of a ~0.65 ms step
outside the products).
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


@njit(nogil=True, fastmath=True, error_model="numpy", cache=CACHE)
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
    c1 = np.float32(1.0) - beta1
    c2 = np.float32(1.0) - beta2
    for t in range(nt):
        j = touched_col[t]
        d = dims[j]
        s = elem_base[j] + touched_code[t] * d
        for k in range(d):
            e = s + k
            gk = acc[e] + alpha * flat[e]
            mk = beta1 * m[e] + c1 * gk
            vk = beta2 * v[e] + c2 * gk * gk
            m[e] = mk
            v[e] = vk
            flat[e] -= lr_t * mk / (np.sqrt(vk) + eps)
    return nt


@njit(nogil=True, fastmath=True, error_model="numpy", cache=CACHE)
def dense_adam_step(p, g, m, v, lr_t, beta1, beta2, eps):
    """Adam step of one dense parameter in place, all arrays flat float32
    views of the same size (``g`` already holds the L2 term)."""
    c1 = np.float32(1.0) - beta1
    c2 = np.float32(1.0) - beta2
    for e in range(p.shape[0]):
        gk = g[e]
        mk = beta1 * m[e] + c1 * gk
        vk = beta2 * v[e] + c2 * gk * gk
        m[e] = mk
        v[e] = vk
        p[e] -= lr_t * mk / (np.sqrt(vk) + eps)


@njit(nogil=True, error_model="numpy", cache=CACHE)
def _loss_and_delta(task, out, y, y_class, delta):
    """Summed loss of a batch and ``delta`` = d(mean loss)/d(out), float32.

    ``task`` 0: squared error on ``y``; 1: log-loss of the logit on 0/1
    ``y``; 2: softmax cross-entropy on class codes ``y_class``. The
    arithmetic is the driver's (``_net._row_losses``): float64, cast once.
    """
    n, n_out = out.shape
    total = 0.0
    if task == 0:
        for i in range(n):
            diff = np.float64(out[i, 0]) - y[i]
            total += 0.5 * diff * diff
            delta[i, 0] = np.float32(diff / n)
    elif task == 1:
        for i in range(n):
            z = np.float64(out[i, 0])
            # logaddexp(0, z) - y z
            if z > 0:
                sp = z + np.log1p(np.exp(-z))
            else:
                sp = np.log1p(np.exp(z))
            total += sp - y[i] * z
            p = 0.5 * (1.0 + np.tanh(0.5 * z))
            delta[i, 0] = np.float32((p - y[i]) / n)
    else:
        z = np.empty(n_out)
        for i in range(n):
            zmax = -np.inf
            for k in range(n_out):
                z[k] = np.float64(out[i, k])
                zmax = max(zmax, z[k])
            s = 0.0
            for k in range(n_out):
                z[k] -= zmax
                s += np.exp(z[k])
            lse = np.log(s)
            c = y_class[i]
            total += lse - z[c]
            for k in range(n_out):
                p = np.exp(z[k] - lse)
                if k == c:
                    p -= 1.0
                delta[i, k] = np.float32(p / n)
    return total


@njit(nogil=True, error_model="numpy", cache=CACHE)
def train_batches(
    flat, emb_m, emb_v, acc, stamp, touched_col, touched_code,
    elem_base, row_base, dims, col_out,
    weights, biases, w_m, w_v, b_m, b_v, skip, skip_m, skip_v,
    codes, numeric, y, y_class, offset, rows, drops,
    task, batch_size, step, lr_steps, beta1, beta2, eps, alpha,
):
    """Adam steps on the mini-batches ``rows[s : s + batch_size]``, in order.

    One call runs what the driver's per-step Python did (gather, dense ReLU
    layers by BLAS products, loss, back-propagation, a dense Adam step on
    every weight and bias, the lazy Adam step on the embedding rows), so a
    step costs its arithmetic, not ~40 interpreter round trips.

    ``weights`` / ``biases`` and their moments are tuples of C-contiguous
    float32 arrays (the last layer is the output layer); ``skip`` and its
    moments are (0, 0) arrays when the net has no skip path; ``offset`` is
    (0, n_out) when there is none; ``drops`` (len(rows), n_cols) bool
    replaces codes by the unknown row, or is (0, 0). ``lr_steps[t]`` is the
    bias-corrected step size of the ``t``-th step of this call. Returns the
    step counter after the last step and the summed training loss.
    """
    n_rows = rows.shape[0]
    n_cols = codes.shape[1]
    n_num = numeric.shape[1]
    n_embed = 0
    for j in range(n_cols):
        n_embed += dims[j]
    d_in = n_embed + n_num
    n_layers = len(weights)
    n_out = weights[n_layers - 1].shape[1]
    has_skip = skip.shape[0] > 0
    has_offset = offset.shape[0] > 0
    has_drops = drops.shape[0] > 0
    b1 = np.float32(beta1)
    b2 = np.float32(beta2)
    eps32 = np.float32(eps)
    alpha32 = np.float32(alpha)
    total = 0.0
    t = 0
    for start in range(0, n_rows, batch_size):
        nb = min(batch_size, n_rows - start)
        bcodes = np.empty((nb, n_cols), dtype=np.int32)
        x = np.empty((nb, d_in), dtype=np.float32)
        for i in range(nb):
            r = rows[start + i]
            for j in range(n_cols):
                if has_drops and drops[start + i, j]:
                    bcodes[i, j] = 0
                else:
                    bcodes[i, j] = codes[r, j]
            for k in range(n_num):
                x[i, n_embed + k] = numeric[r, k]
        gather_rows(flat, elem_base, dims, col_out, bcodes, x)
        # forward: inputs of every layer, then the raw outputs
        acts = [x]
        a = x
        for layer in range(n_layers - 1):
            a = np.dot(a, weights[layer])
            b = biases[layer]
            for i in range(nb):
                for k in range(a.shape[1]):
                    v = a[i, k] + b[k]
                    a[i, k] = v if v > 0.0 else np.float32(0.0)
            acts.append(a)
        out = np.dot(a, weights[n_layers - 1])
        b = biases[n_layers - 1]
        for i in range(nb):
            for k in range(n_out):
                out[i, k] += b[k]
        if has_skip:
            out += np.dot(x, skip)
        if has_offset:
            for i in range(nb):
                r = rows[start + i]
                for k in range(n_out):
                    out[i, k] += offset[r, k]
        delta = np.empty((nb, n_out), dtype=np.float32)
        brows = rows[start : start + nb]
        total += _loss_and_delta(task, out, y[brows], y_class[brows], delta)
        delta_out = delta
        # back-propagation: every gradient before any update
        gws = [weights[layer] for layer in range(n_layers)]
        gbs = [biases[layer] for layer in range(n_layers)]
        g_skip = skip
        for layer in range(n_layers - 1, -1, -1):
            w = weights[layer]
            gw = np.dot(acts[layer].T, delta)
            if alpha != 0.0:
                for i in range(gw.shape[0]):
                    for k in range(gw.shape[1]):
                        gw[i, k] += alpha32 * w[i, k]
            gb = np.zeros(delta.shape[1], dtype=np.float32)
            for i in range(nb):
                for k in range(delta.shape[1]):
                    gb[k] += delta[i, k]
            gws[layer] = gw
            gbs[layer] = gb
            delta = np.dot(delta, w.T)
            if layer > 0:
                prev = acts[layer]
                for i in range(nb):
                    for k in range(delta.shape[1]):
                        if not prev[i, k] > 0.0:
                            delta[i, k] = 0.0
        if has_skip:
            g_skip = np.dot(x.T, delta_out)
            if alpha != 0.0:
                g_skip += alpha32 * skip
            delta += np.dot(delta_out, skip.T)
        step += 1
        lr = np.float32(lr_steps[t])
        t += 1
        for layer in range(n_layers):
            w = weights[layer]
            dense_adam_step(w.reshape(w.size), gws[layer].reshape(w.size),
                            w_m[layer].reshape(w.size), w_v[layer].reshape(w.size),
                            lr, b1, b2, eps32)
            dense_adam_step(biases[layer], gbs[layer], b_m[layer], b_v[layer],
                            lr, b1, b2, eps32)
        if has_skip:
            dense_adam_step(skip.reshape(skip.size), g_skip.reshape(skip.size),
                            skip_m.reshape(skip.size), skip_v.reshape(skip.size),
                            lr, b1, b2, eps32)
        sparse_adam_step(flat, emb_m, emb_v, elem_base, row_base, dims, col_out,
                         bcodes, delta, acc, stamp, step, touched_col, touched_code,
                         lr, b1, b2, eps32, alpha32)
    return step, total


# ------------------------------------------------------- level effects (_effects)
@njit(nogil=True, cache=CACHE)
def effect_residual_sums(codes, old, target, pred, resid, sums):
    """One backfitting update's first pass over the rows of a column:
    ``resid = target - pred + old[codes]`` (the partial residual) and its
    per-level sums ``sums`` (zeroed here), added in row order as
    ``np.bincount(codes, weights=resid)`` adds them, so bit-identical."""
    sums[:] = 0.0
    for i in range(codes.shape[0]):
        r = target[i] - pred[i] + old[codes[i]]
        resid[i] = r
        sums[codes[i]] += r


@njit(nogil=True, cache=CACHE)
def effect_update_pred(codes, old, new, pred):
    """``pred += new[codes] - old[codes]``: the column's new effects replace
    its old ones in the additive prediction."""
    for i in range(codes.shape[0]):
        c = codes[i]
        pred[i] += new[c] - old[c]
