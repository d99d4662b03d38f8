import os
"""Cross-fitting of EntityEmbeddingEncoder.fit_transform: the fold
splitter, the level codes a fold's network may see, and the alignment of a
fold's tables onto the full-data tables."""

import numbers

import numpy as np
from scipy.linalg import orthogonal_procrustes
from scipy.sparse import csr_matrix
from sklearn.model_selection import KFold, StratifiedKFold

from ._levels import _UNKNOWN

__all__ = ["align_tables", "fold_level_codes", "fold_splitter", "newton_fold_table"]


def fold_splitter(cv, classification, y_enc, shuffle, random_state):
    """``cv`` as a splitter: an int is (Stratified)KFold, as TargetEncoder.

    Stratified for classification unless a class has fewer rows than folds.
    """
    if not isinstance(cv, numbers.Integral):
        return cv
    splitter_cls = StratifiedKFold if classification else KFold
    seed = random_state if shuffle else None
    splitter = splitter_cls(cv, shuffle=shuffle, random_state=seed)
    if classification:
        _, counts = np.unique(y_enc, return_counts=True)
        if counts.min() < cv:
            splitter = KFold(cv, shuffle=shuffle, random_state=seed)
    return splitter


def fold_level_codes(codes, train_idx, n_rows):
    """Level codes as a fold's network sees them, and its row counts.

    Levels absent from the fold's training rows become unknown (the fold
    network never trained their rows). Returns ``(fold_codes, counts)``,
    one count array per column.
    """
    fold_codes = codes.copy()
    counts_list = []
    for j in range(codes.shape[1]):
        counts = np.bincount(codes[train_idx, j], minlength=n_rows[j])
        unseen = counts == 0
        unseen[_UNKNOWN] = False
        col = fold_codes[:, j]
        col[unseen[col]] = _UNKNOWN
        counts_list.append(np.bincount(col[train_idx], minlength=n_rows[j]))
    return fold_codes, counts_list


def align_tables(fold_table, full_table, counts, unknown_trained):
    """Rotate (and shift) a fold's table onto the full-data table.

    Weighted orthogonal Procrustes (a rotation and a shift; a scale factor
    too was slightly worse in the benchmark) on the rows
    trained in the fold (levels with a positive count, plus the unknown row
    when it was trained by dropout), weighted by the row counts.
    """
    shared = counts > 0
    if unknown_trained:
        shared[_UNKNOWN] = True
    if shared.sum() < 1:
        return fold_table
    omega = counts[shared].astype(np.float64)[:, None] + 1.0
    A = fold_table[shared].astype(np.float64)
    B = full_table[shared].astype(np.float64)
    mu_a = (omega * A).sum(axis=0) / omega.sum()
    mu_b = (omega * B).sum(axis=0) / omega.sum()
    Aw = np.sqrt(omega) * (A - mu_a)
    R, _ = orthogonal_procrustes(Aw, np.sqrt(omega) * (B - mu_b))
    aligned = (fold_table.astype(np.float64) - mu_a) @ R + mu_b
    return aligned.astype(fold_table.dtype)


def newton_fold_table(table, codes, jac, grad, curv, prior_count, active, out_codes=None, out_jac=None, out_grad=None, in_grad=None):
    """A fold's embedding table by one Newton step from the full-data table.

    The dense layers stay those of the full-data network; each level's row
    ``e_l`` takes one (Gauss-Newton) step on the fold's own penalised loss,
    ``sum over the fold's training rows of level l of loss_i(e) +
    lam / 2 * |e - e_0|^2``, from the full-data row: ``e_l - (H_l + lam
    I)^-1 (g_l + lam (e_l - e_0))`` with ``g_l = sum_i grad_i jac_i`` and
    ``H_l = sum_i curv_i jac_i jac_i^T``. For a network linear in its
    embedding rows and a squared loss the step is exact: it removes what the
    rows outside the fold taught the table (the leak a cross-fit must
    avoid) and keeps the full network's space, so nothing needs aligning.
    ``lam`` is ``prior_count`` times the mean per-row curvature, the same
    prior count the full table was shrunk with (:func:`_net.shrink_rows`).

    Parameters
    ----------
    table : ndarray of shape (n_rows, d)
        Full-data table (row 0 = unknown, kept as is: the prior mean).
    codes : ndarray of shape (n,), int
        Table rows of the fold's training samples.
    jac : ndarray of shape (n, d)
        Gradient of the network output with respect to the sample's row.
    grad, curv : ndarray of shape (n,)
        First and second derivative of each sample's loss with respect to
        the network output.
    prior_count : float
    active : ndarray of bool, shape (d,)
        Axes to update (the others are constant in the full table).

    Returns
    -------
    ndarray of shape (n_rows, d), float64
    """
    full = table.astype(np.float64)
    new = full.copy()
    d = int(active.sum())
    if d == 0 or codes.size == 0:
        return new
    J = jac[:, active]
    n_rows = table.shape[0]
    lam = float(prior_count) * float(np.mean(curv * (J * J).sum(axis=1))) / d
    lam = max(lam, 1e-12)
    # per-level sums as one sparse (levels x samples) product
    S = csr_matrix(
        (np.ones(codes.size), (codes, np.arange(codes.size))), shape=(n_rows, codes.size)
    )
    g = S @ (grad[:, None] * J)
    outer = (curv[:, None, None] * J[:, :, None] * J[:, None, :]).reshape(-1, d * d)
    H = (S @ outer).reshape(n_rows, d, d) + lam * np.eye(d)
    e = full[:, active]
    if out_codes is None:
        rhs = g + lam * (e - e[0])
    else:
        S2 = csr_matrix(
            (np.ones(out_codes.size), (out_codes, np.arange(out_codes.size))),
            shape=(n_rows, out_codes.size),
        )
        g_out = S2 @ (out_grad[:, None] * out_jac[:, active])
        if in_grad is not None:
            g_in = S @ (in_grad[:, None] * J)
            n_out = np.bincount(out_codes, minlength=n_rows).astype(np.float64)
            n_in = np.bincount(codes, minlength=n_rows).astype(np.float64)
            frac = n_out / np.maximum(n_out + n_in, 1.0)
            prior_term = lam * (e - e[0]) if os.environ.get("EE_CENTER") == "2" else 0.0
            g_out = g_out - frac[:, None] * (g_out + g_in + prior_term)
        rhs = -g_out
    step = np.linalg.solve(H, rhs[:, :, None])[:, :, 0]
    e = e - step
    e[_UNKNOWN] = full[_UNKNOWN, active]
    new[:, active] = e
    return new
