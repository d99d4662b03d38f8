"""The small neural net behind :class:`EntityEmbeddingEncoder`.

numba (``_net_kernels``) runs the training steps: the gather of a batch's
embedding rows, the dense layers (BLAS matrix products on float32
mini-batches, called from the kernel), back-propagation, dense Adam and a
row-sparse ("lazy") Adam step on the tables, a whole epoch per call; numpy
does the rest (prediction, early stopping). No torch, no TensorFlow.

Architecture: one embedding table per categorical column, the rows of a
sample concatenated (plus optional standardized numeric features), dense
ReLU layers, and a task head: identity + squared error (regression, on a
standardized target), sigmoid + log-loss (binary) or softmax + cross-entropy
(multiclass). Trained with Adam on shuffled mini-batches; early stopping on
a validation fraction restores the best epoch.

This is a driver: plain arrays in, arrays out, no input validation.
"""

import time

import numpy as np
from threadpoolctl import ThreadpoolController

from .._fitted import check_array, expect
from .._progress import Progress
from . import _net_kernels as K

__all__ = ["EmbeddingNet", "embedding_dim_rule", "init_net", "net_forward", "train_net"]

TASKS = ("continuous", "binary", "multiclass")


def embedding_dim_rule(n_levels):
    """fastai's ``min(600, round(1.6 * n ** 0.56))``, at least 1."""
    return int(max(1, min(600, round(1.6 * n_levels**0.56))))


class EmbeddingNet:
    """Parameters of a trained (or initialised) network, plain arrays only.

    Attributes
    ----------
    flat : ndarray of float32
        All embedding tables, back to back (see ``_nn_kernels``).
    n_rows, dims : ndarray of int64
        Rows and width of each column's table.
    elem_base, row_base, col_out : ndarray of int64
        Offsets of each table in ``flat`` (elements, rows) and of its block
        in the network input.
    weights, biases : list of ndarray of float32
        Dense layers, the last one being the output layer.
    n_numeric : int
        Number of numeric inputs appended after the embeddings.
    """

    def __init__(self, n_rows, dims, n_numeric, weights, biases, flat, skip=None):
        self.n_rows = np.asarray(n_rows, dtype=np.int64)
        self.dims = np.asarray(dims, dtype=np.int64)
        sizes = self.n_rows * self.dims
        self.elem_base = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.row_base = np.concatenate([[0], np.cumsum(self.n_rows)[:-1]]).astype(
            np.int64
        )
        self.col_out = np.concatenate([[0], np.cumsum(self.dims)[:-1]]).astype(np.int64)
        self.n_numeric = int(n_numeric)
        self.weights = weights
        self.biases = biases
        self.flat = flat
        self.skip = skip

    @property
    def n_embed(self):
        return int(self.dims.sum())

    def table(self, j):
        """The (n_rows[j], dims[j]) table of column ``j`` (a view)."""
        s = self.elem_base[j]
        return self.flat[s : s + self.n_rows[j] * self.dims[j]].reshape(
            self.n_rows[j], self.dims[j]
        )

    def _persist_state(self):
        """What :func:`skembed.save_model` stores (see :mod:`skembed._fitted`)."""
        return {
            "n_rows": self.n_rows,
            "dims": self.dims,
            "n_numeric": self.n_numeric,
            "weights": self.weights,
            "biases": self.biases,
            "flat": self.flat,
            "skip": self.skip,
        }

    @classmethod
    def _persist_build(cls, state, path):
        """Rebuild from :meth:`_persist_state`, checking every table and layer
        fits the next (ValueError otherwise)."""
        n_rows = expect(state.get("n_rows"), np.ndarray, f"{path}.n_rows")
        dims = expect(state.get("dims"), np.ndarray, f"{path}.dims")
        flat = expect(state.get("flat"), np.ndarray, f"{path}.flat")
        for what, arr in (("n_rows", n_rows), ("dims", dims)):
            check_array(arr, np.int64, 1, f"{path}.{what}")
            if arr.size and arr.min() < 0:
                raise ValueError(f"{path}.{what}: negative sizes.")
        check_array(flat, np.float32, 1, f"{path}.flat")
        if n_rows.shape != dims.shape or flat.size != int((n_rows * dims).sum()):
            raise ValueError(f"{path}: table sizes do not match the flat array.")
        n_numeric = state.get("n_numeric")
        if type(n_numeric) is not int or n_numeric < 0:
            raise ValueError(f"{path}.n_numeric: expected an int >= 0.")
        weights = expect(state.get("weights"), list, f"{path}.weights")
        biases = expect(state.get("biases"), list, f"{path}.biases")
        if not weights or len(weights) != len(biases):
            raise ValueError(f"{path}: expected as many biases as weights (>= 1).")
        width = int(dims.sum()) + n_numeric
        for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
            check_array(w, np.float32, 2, f"{path}.weights[{i}]")
            check_array(b, np.float32, 1, f"{path}.biases[{i}]")
            if w.shape[0] != width or b.shape != (w.shape[1],):
                raise ValueError(f"{path}: layer {i} does not fit the previous one.")
            width = w.shape[1]
        skip = state.get("skip")
        if skip is not None:
            check_array(skip, np.float32, 2, f"{path}.skip")
            if skip.shape != (int(dims.sum()) + n_numeric, width):
                raise ValueError(f"{path}.skip: wrong shape {skip.shape}.")
        return cls(n_rows, dims, n_numeric, weights, biases, flat, skip)

    def copy(self):
        return EmbeddingNet(
            self.n_rows,
            self.dims,
            self.n_numeric,
            [w.copy() for w in self.weights],
            [b.copy() for b in self.biases],
            self.flat.copy(),
            None if self.skip is None else self.skip.copy(),
        )


def init_net(
    n_rows, dims, n_numeric, hidden_layer_sizes, n_outputs, rng, init_std, skip=False,
    zero_output=False,
):
    """Random embeddings (normal, ``init_std``) and He-initialised dense layers.

    ``skip=True`` adds a linear path from the network input straight to the
    output (zero-initialised), so additive effects need no hidden layer.
    ``zero_output=True`` zero-initialises the output layer, so that a network
    trained on top of an offset starts from the offset's predictions.
    """
    n_rows = np.asarray(n_rows, dtype=np.int64)
    dims = np.asarray(dims, dtype=np.int64)
    flat = (rng.standard_normal(int((n_rows * dims).sum())) * init_std).astype(
        np.float32
    )
    sizes = [int(dims.sum()) + int(n_numeric), *hidden_layer_sizes, n_outputs]
    weights, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        scale = np.sqrt(2.0 / max(fan_in, 1))
        weights.append(
            (rng.standard_normal((fan_in, fan_out)) * scale).astype(np.float32)
        )
        biases.append(np.zeros(fan_out, dtype=np.float32))
    if zero_output:
        weights[-1][...] = 0.0
    skip_w = np.zeros((sizes[0], n_outputs), dtype=np.float32) if skip else None
    return EmbeddingNet(n_rows, dims, n_numeric, weights, biases, flat, skip_w)


def _input_matrix(net, codes, numeric, out=None):
    n = codes.shape[0]
    width = net.n_embed + net.n_numeric
    if out is None or out.shape[0] < n:
        out = np.empty((n, width), dtype=np.float32)
    out = out[:n]
    K.gather_rows(net.flat, net.elem_base, net.dims, net.col_out, codes, out)
    if net.n_numeric:
        out[:, net.n_embed :] = numeric
    return out


def net_forward(net, codes, numeric=None, batch_size=8192, offset=None):
    """Raw network outputs (regression value / logits), shape (n, n_outputs).

    ``offset`` (n, n_outputs), when given, is added to the outputs (the
    level effects the network was trained on top of).
    """
    n = codes.shape[0]
    n_out = net.weights[-1].shape[1]
    result = np.empty((n, n_out), dtype=np.float32)
    buf = None
    for start in range(0, n, batch_size):
        stop = min(n, start + batch_size)
        num = None if numeric is None else numeric[start:stop]
        a = _input_matrix(net, codes[start:stop], num, buf)
        buf = a if buf is None else buf
        x0 = a
        for w, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
            a = a @ w
            a += b
            np.maximum(a, 0.0, out=a)
        result[start:stop] = a @ net.weights[-1] + net.biases[-1]
        if net.skip is not None:
            result[start:stop] += x0 @ net.skip
    if offset is not None:
        result += offset
    return result


def _dense_forward(net, x):
    """The dense layers on the input matrix ``x``: the inputs of every layer
    (``x``, then each hidden ReLU output) and the raw outputs (skip path
    included)."""
    acts = [x]
    a = x
    for layer in range(len(net.weights) - 1):
        a = a @ net.weights[layer]
        a += net.biases[layer]
        np.maximum(a, 0.0, out=a)
        acts.append(a)
    out = a @ net.weights[-1] + net.biases[-1]
    if net.skip is not None:
        out += x @ net.skip
    return acts, out


def _loss(task, out, y):
    """Mean loss of a batch (the training loss is the kernel's,
    ``_net_kernels._loss_and_delta``, the same arithmetic)."""
    return float(np.mean(_row_losses(task, out, y)))


def loss_derivatives(task, z, y):
    """Per-row first and second derivatives of the loss with respect to the
    single output ``z`` (continuous: squared error; binary: log-loss of the
    logit), float64: ``(grad, curv)``."""
    z = np.asarray(z, dtype=np.float64)
    if task == "continuous":
        return z - y, np.ones_like(z)
    p = 0.5 * (1.0 + np.tanh(0.5 * z))
    return p - y, p * (1.0 - p)


def _score(task, out, y):
    """R^2 (continuous) or accuracy (classification), higher is better."""
    if task == "continuous":
        sst = float(np.sum((y - y.mean()) ** 2))
        sse = float(np.sum((out[:, 0] - y) ** 2))
        return 1.0 - sse / sst if sst > 0 else 0.0
    if task == "binary":
        return float(np.mean((out[:, 0] > 0) == (y > 0.5)))
    return float(np.mean(out.argmax(axis=1) == y))


_CONTROLLER = []


def _one_blas_thread():
    """A context in which BLAS runs on one thread.

    The controller that finds the loaded BLAS libraries is built once (on
    first use, when numpy's and scipy's are loaded): building one scans the
    process's shared objects, ~8 ms, as much as a target encoding of
    8,000 rows."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


def train_net(net, *args, **kwargs):
    """Train ``net`` in place; see :func:`_train_net` for the arguments.

    BLAS is limited to one thread meanwhile: the mini-batch products are far
    too small to gain from threads, and on a busy machine threaded BLAS made
    a step ~30x slower (measured: 4.5 s vs 0.14 s for one network on 6,000
    rows).
    """
    with _one_blas_thread():
        return _train_net(net, *args, **kwargs)


def _train_net(
    net,
    codes,
    numeric,
    y,
    *,
    task,
    n_epochs,
    batch_size,
    learning_rate,
    alpha,
    category_dropout,
    early_stopping,
    validation_fraction,
    n_iter_no_change,
    tol,
    rng,
    offset=None,
    verbose=0,
    name="EntityEmbeddingEncoder",
    beta1=0.9,
    beta2=0.999,
    eps=1e-8,
):
    """Train ``net`` in place (restoring the best epoch when early stopping).

    ``codes`` (n, n_cols) int32 are table rows (row 0 = unknown, which
    ``category_dropout`` substitutes at random so that it gets trained);
    ``numeric`` (n, n_numeric) float32 or None; ``y`` standardized float
    (continuous), 0/1 float (binary) or int class codes (multiclass);
    ``offset`` (n, n_outputs) float32 or None is added to the network's
    outputs (the network then learns what the offset misses).

    Returns a dict with ``loss_curve``, ``validation_loss``,
    ``validation_scores``, ``n_iter``, ``best_epoch``, ``seconds`` and
    ``validation_index`` (the held-out rows, empty without early stopping).
    """
    t0 = time.perf_counter()
    n = codes.shape[0]
    idx = rng.permutation(n)
    n_val = int(np.floor(validation_fraction * n)) if early_stopping else 0
    if n_val < 1 or n - n_val < 1:
        n_val = 0
    val_idx, train_idx = idx[:n_val], idx[n_val:]
    codes_val = np.ascontiguousarray(codes[val_idx])
    num_val = None if numeric is None else numeric[val_idx]
    y_val = y[val_idx]
    off_val = None if offset is None else offset[val_idx]
    n_train = train_idx.shape[0]
    batch_size = int(min(batch_size, n_train))
    n_cols = codes.shape[1]

    # the kernel updates the parameters in place: they must be C-ordered
    for group in (net.weights, net.biases):
        for i, p in enumerate(group):
            group[i] = np.ascontiguousarray(p, dtype=np.float32)
    if net.skip is not None:
        net.skip = np.ascontiguousarray(net.skip, dtype=np.float32)
    weights, biases = tuple(net.weights), tuple(net.biases)
    w_m = tuple(np.zeros_like(w) for w in weights)
    w_v = tuple(np.zeros_like(w) for w in weights)
    b_m = tuple(np.zeros_like(b) for b in biases)
    b_v = tuple(np.zeros_like(b) for b in biases)
    no_skip = np.zeros((0, 0), dtype=np.float32)
    skip = no_skip if net.skip is None else net.skip
    skip_m, skip_v = np.zeros_like(skip), np.zeros_like(skip)
    n_out = weights[-1].shape[1]
    off = (
        np.zeros((0, n_out), dtype=np.float32)
        if offset is None
        else np.ascontiguousarray(offset, dtype=np.float32)
    )
    num = (
        np.zeros((n, 0), dtype=np.float32)
        if numeric is None
        else np.ascontiguousarray(numeric, dtype=np.float32)
    )
    if task == "multiclass":
        y_float, y_class = np.zeros(n), np.ascontiguousarray(y, dtype=np.int64)
    else:
        y_float = np.ascontiguousarray(y, dtype=np.float64)
        y_class = np.zeros(n, np.int64)
    task_code = TASKS.index(task)
    codes = np.ascontiguousarray(codes, dtype=np.int32)
    emb_m = np.zeros_like(net.flat)
    emb_v = np.zeros_like(net.flat)
    acc = np.zeros_like(net.flat)
    stamp = np.full(int(net.n_rows.sum()), -1, dtype=np.int64)
    touched_col = np.empty(batch_size * n_cols, dtype=np.int64)
    touched_code = np.empty(batch_size * n_cols, dtype=np.int64)
    no_drops = np.zeros((0, 0), dtype=np.bool_)

    def run(rows, drops, step):
        """The kernel's Adam steps on ``rows``; returns (step, summed loss)."""
        n_steps = -(-rows.shape[0] // batch_size)
        lr_steps = np.array([
            learning_rate * np.sqrt(1.0 - beta2**s) / (1.0 - beta1**s)
            for s in range(step + 1, step + n_steps + 1)
        ])
        return K.train_batches(
            net.flat, emb_m, emb_v, acc, stamp, touched_col, touched_code,
            net.elem_base, net.row_base, net.dims, net.col_out,
            weights, biases, w_m, w_v, b_m, b_v, skip, skip_m, skip_v,
            codes, num, y_float, y_class, off, rows, drops,
            task_code, batch_size, step, lr_steps, beta1, beta2, eps, alpha,
        )

    loss_curve, val_losses, val_scores = [], [], []
    best_loss, best_net, best_epoch, no_improve = np.inf, None, 0, 0
    step = 0
    epoch = 0
    progress = Progress(name, verbose)
    for epoch in range(1, n_epochs + 1):
        progress.epoch_start(epoch - 1, n_epochs, n_train, unit="rows")
        order = train_idx[rng.permutation(n_train)].astype(np.int64)
        # one draw for the epoch: the same stream as a draw per batch
        drops = (
            rng.random_sample((n_train, n_cols)) < category_dropout
            if category_dropout > 0
            else no_drops
        )
        if progress.detailed:  # a kernel call per batch, so updates show
            total = 0.0
            for start in range(0, n_train, batch_size):
                stop = min(n_train, start + batch_size)
                step, part = run(
                    order[start:stop],
                    drops[start:stop] if drops.shape[0] else no_drops, step,
                )
                total += part
                progress.chunk(epoch - 1, stop)
        else:
            step, total = run(order, drops, step)
        loss_curve.append(total / n_train)
        extra = {}
        if n_val:
            out_val = net_forward(net, codes_val, num_val, offset=off_val)
            vloss = _loss(task, out_val, y_val)
            val_losses.append(vloss)
            val_scores.append(_score(task, out_val, y_val))
            extra = {"val_loss": f"{vloss:.5f}", "val_score": f"{val_scores[-1]:.4f}"}
            if vloss < best_loss - tol:
                best_loss, best_net, best_epoch, no_improve = (
                    vloss,
                    net.copy(),
                    epoch,
                    0,
                )
            else:
                no_improve += 1
        progress.epoch_end(
            epoch - 1, n_epochs, loss=loss_curve[-1], loss_format=".5f",
            processed=n_train, unit="rows", extra=extra,
        )
        if n_val and no_improve >= n_iter_no_change:
            break
    if best_net is not None:
        net.flat[:] = best_net.flat
        for w, bw in zip(net.weights, best_net.weights, strict=True):
            w[...] = bw
        for b, bb in zip(net.biases, best_net.biases, strict=True):
            b[...] = bb
        if net.skip is not None:
            net.skip[...] = best_net.skip
    else:
        best_epoch = epoch
    return {
        "loss_curve": loss_curve,
        "validation_loss": val_losses,
        "validation_scores": val_scores,
        "n_iter": epoch,
        "best_epoch": best_epoch,
        "seconds": time.perf_counter() - t0,
        "validation_index": val_idx,
    }


def _weighted_tables(net, counts):
    """``(j, table, counts, table as float64, count-weighted row mean)`` of
    every table with at least two columns and one counted row."""
    for j in range(len(net.dims)):
        table = net.table(j)
        c = counts[j].astype(np.float64)
        if c.sum() <= 0 or table.shape[1] < 2:
            continue
        t = table.astype(np.float64)
        yield j, table, c, t, (c[:, None] * t).sum(axis=0) / c.sum()


def rotate_to_principal_axes(net, counts):
    """Rotate each table onto its principal axes, compensating the first layer.

    ``table @ V`` with ``V`` the eigenvectors of the count-weighted
    covariance of the rows (largest variance first), and the table's block
    of the first dense layer replaced by ``V.T @ W``: the network computes
    exactly the same function, but the embedding coordinates are ordered
    and decorrelated, which suits axis-aligned downstream models (trees).
    """
    w0 = net.weights[0]
    for j, table, c, t, mu in _weighted_tables(net, counts):
        cov = ((t - mu).T * c) @ (t - mu) / c.sum()
        _, vecs = np.linalg.eigh(cov)
        vecs = vecs[:, ::-1]
        # deterministic sign: largest-magnitude entry of each axis positive
        signs = np.sign(vecs[np.abs(vecs).argmax(axis=0), np.arange(vecs.shape[1])])
        vecs *= np.where(signs == 0, 1.0, signs)
        table[...] = (t @ vecs).astype(table.dtype)
        o, d = int(net.col_out[j]), int(net.dims[j])
        w0[o : o + d] = (vecs.T @ w0[o : o + d].astype(np.float64)).astype(w0.dtype)
        if net.skip is not None:
            sk = net.skip
            sk[o : o + d] = (vecs.T @ sk[o : o + d].astype(np.float64)).astype(sk.dtype)


def shrink_rows(net, counts, prior_counts):
    """Shrink each table's rows toward its unknown row (row 0), in place.

    Row ``l`` of column ``j``, trained on ``counts[j][l]`` rows, keeps
    ``n / (n + prior_counts[j])`` of its offset from the unknown row: rare
    levels, which the network can only memorise, end near the "average
    level", as random effects are shrunk toward the mean.
    """
    for j in range(len(net.dims)):
        table = net.table(j)
        if table.shape[1] == 0:
            continue
        n = counts[j].astype(np.float64)
        keep = n / (n + float(prior_counts[j]))
        keep[0] = 1.0
        base = table[0].astype(np.float64)
        table[...] = (base + (table - base) * keep[:, None]).astype(table.dtype)


def _row_losses(task, out, y):
    """Per-row loss (the summands of :func:`_loss`'s mean)."""
    if task == "continuous":
        return 0.5 * (out[:, 0].astype(np.float64) - y) ** 2
    if task == "binary":
        z = out[:, 0].astype(np.float64)
        return np.logaddexp(0.0, z) - y * z
    z = out.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    return lse - z[np.arange(len(y)), y]


def column_gains(net, codes, numeric, y, task, offset, rng):
    """z-scores of the validation loss increase when each column's codes are
    permuted across the rows (permutation importance, a paired test).

    ``gains[j] > 2`` means column ``j``'s embedding clearly improves the
    network's predictions on these (held-out) rows.
    """
    base = _row_losses(task, net_forward(net, codes, numeric, offset=offset), y)
    gains = np.zeros(codes.shape[1])
    for j in range(codes.shape[1]):
        shuffled = codes.copy()
        shuffled[:, j] = codes[rng.permutation(codes.shape[0]), j]
        diff = _row_losses(
            task, net_forward(net, shuffled, numeric, offset=offset), y
        ) - base
        sd = diff.std()
        gains[j] = diff.mean() / (sd / np.sqrt(len(diff))) if sd > 0 else 0.0
    return gains


def flatten_tables(net, keep):
    """Set every row of the tables not in ``keep`` to their unknown row."""
    for j in range(len(net.dims)):
        if not keep[j]:
            table = net.table(j)
            table[...] = table[0]


def flatten_minor_axes(net, counts, fraction):
    """Set the minor principal axes of each table to their unknown-row value.

    Run after :func:`rotate_to_principal_axes`: an axis whose count-weighted
    spread is below ``fraction`` of the table's leading axis barely moves the
    network, but a downstream model that standardizes its inputs (linear
    models, KNN) would blow it up to unit variance, as noise.
    """
    for _, table, c, t, mu in _weighted_tables(net, counts):
        sd = np.sqrt((c[:, None] * (t - mu) ** 2).sum(axis=0) / c.sum())
        if sd.max() <= 0:
            continue
        minor = sd < fraction * sd.max()
        table[:, minor] = table[0, minor]


def output_and_input_gradient(net, codes, numeric=None, batch_size=8192):
    """Raw outputs and their gradient with respect to the embedding inputs.

    For a network with one output, returns ``(out, jac)``: ``out`` of shape
    (n,) (float64) and ``jac`` of shape (n, n_embed) (float32), row ``i`` being
    ``d out_i / d x_i`` restricted to the concatenated embedding rows of
    sample ``i`` (column ``j``'s block starts at ``col_out[j]``).
    """
    n = codes.shape[0]
    out = np.empty(n, dtype=np.float64)
    jac = np.empty((n, net.n_embed), dtype=np.float32)
    n_layers = len(net.weights)
    with _one_blas_thread():
        for start in range(0, n, batch_size):
            stop = min(n, start + batch_size)
            num = None if numeric is None else numeric[start:stop]
            x = _input_matrix(net, codes[start:stop], num)
            acts, o = _dense_forward(net, x)
            delta = np.ones((stop - start, 1), dtype=np.float32)
            if net.skip is not None:
                direct = delta @ net.skip.T
            for layer in range(n_layers - 1, -1, -1):
                delta = delta @ net.weights[layer].T
                if layer > 0:
                    delta *= acts[layer] > 0
            if net.skip is not None:
                delta += direct
            out[start:stop] = o[:, 0]
            jac[start:stop] = delta[:, : net.n_embed]
    return out, jac
