"""Cross-fitting of EntityEmbeddingEncoder.fit_transform: the fold
splitter, the level codes a fold may see, the removal of a fold's influence
from the full-data tables, and (for the fold networks) the alignment of a
fold's tables onto the full-data tables."""

import numbers

import numpy as np
from scipy.linalg import orthogonal_procrustes
from scipy.sparse import csr_matrix
from sklearn.model_selection import KFold, StratifiedKFold

from ._levels import _UNKNOWN

__all__ = [
    "align_tables",
    "fold_level_codes",
    "fold_splitter",
    "calibrate_ridge",
    "level_sums",
    "remove_fold_influence",
]


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


def level_sums(codes, n_rows, jac, grad, curv, chunk=32768):
    """Per table row: sample count, ``sum grad_i jac_i`` and
    ``sum curv_i jac_i jac_i^T`` (the gradient and Gauss-Newton curvature
    of the loss with respect to the row, summed over its samples).

    Summed over chunks of ``chunk`` samples, so that the per-sample outer
    products never take more than ``chunk * d * d`` floats.

    Returns ``(count (n_rows,), g (n_rows, d), H (n_rows, d, d))``.
    """
    n, d = jac.shape
    count = np.bincount(codes, minlength=n_rows).astype(np.float64)
    g = np.zeros((n_rows, d))
    H = np.zeros((n_rows, d * d))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        m = stop - start
        part = codes[start:stop]
        # the level x sample indicator, built as CSR directly (samples in
        # order within a level, as a COO -> CSR conversion would sum them)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(part, minlength=n_rows), out=indptr[1:])
        S = csr_matrix(
            (np.ones(m), np.argsort(part, kind="stable"), indptr), shape=(n_rows, m)
        )
        J = jac[start:stop].astype(np.float64)
        g += S @ (grad[start:stop, None] * J)
        outer = (curv[start:stop, None, None] * J[:, :, None] * J[:, None, :])
        H += S @ outer.reshape(m, d * d)
    return count, g, H.reshape(n_rows, d, d)


#: Above this many bytes of per-(level, fold) curvature sums, the fold sums
#: are taken one fold at a time when asked for (one more pass over the
#: fold's samples each) instead of all at once.
FOLD_SUMS_MAX_BYTES = 256 * 2**20


def fold_level_sums(codes, n_rows, jac, grad, curv, fold_of, n_folds,
                    max_bytes=None):
    """:func:`level_sums` of all samples and of each fold's samples.

    ``fold_of`` gives each sample's fold (``0 .. n_folds - 1``). Returns
    ``(sums, folds)``: ``folds[k]`` is the sums of fold ``k``'s samples.
    While ``n_rows * n_folds * d * d`` float64 fit in ``max_bytes``
    (default :data:`FOLD_SUMS_MAX_BYTES`) they are taken in one pass, once
    per (level, fold) pair, a level's total being the sum over its folds;
    above it, the totals take one pass and each fold's sums are computed
    when indexed, so memory stays ``O(n_rows * d * d)`` for any number of
    levels.
    """
    d = jac.shape[1]
    limit = FOLD_SUMS_MAX_BYTES if max_bytes is None else max_bytes
    if n_rows * n_folds * d * d * 8 <= limit:
        by_fold = level_sums(
            np.asarray(codes, dtype=np.int64) * n_folds + fold_of,
            n_rows * n_folds, jac, grad, curv,
        )
        by_fold = [s.reshape(n_rows, n_folds, *s.shape[1:]) for s in by_fold]
        sums = tuple(s.sum(axis=1) for s in by_fold)
        return sums, [tuple(s[:, k] for s in by_fold) for k in range(n_folds)]
    return level_sums(codes, n_rows, jac, grad, curv), _FoldSums(
        codes, n_rows, jac, grad, curv, fold_of, n_folds
    )


class _FoldSums:
    """``folds[k]``: :func:`level_sums` of fold ``k``'s samples, on demand."""

    def __init__(self, codes, n_rows, jac, grad, curv, fold_of, n_folds):
        self._args = (codes, n_rows, jac, grad, curv)
        self._fold_of = fold_of
        self._n_folds = n_folds

    def __len__(self):
        return self._n_folds

    def __getitem__(self, k):
        codes, n_rows, jac, grad, curv = self._args
        mask = self._fold_of == k
        return level_sums(codes[mask], n_rows, jac[mask], grad[mask], curv[mask])


def remove_fold_influence(table, active, all_sums, fold_sums, lam):
    """A fold's embedding table: the full-data table without what the
    fold's samples taught it (influence removal by one Newton step).

    The full-data network is kept (dense layers and the other columns'
    rows); the row of each level the fold's samples use moves by
    ``(H_out + lam I)^-1 g_fold``: ``g_fold`` is the gradient of the loss of
    the level's samples in the fold, ``H_out`` the Gauss-Newton curvature of
    its samples outside the fold. For a squared loss, a model linear in the
    row and a table at the optimum of the loss plus ``lam / 2 |e - e_0|^2``,
    this is exactly the row refitted without the fold (the influence of
    the fold's samples removed). The table is early-stopped rather than
    optimal, so ``lam`` comes from :func:`calibrate_ridge` and a row moves
    at most by the fold's share of its samples times its distance to the
    unknown row (what those samples can have taught it).

    Parameters
    ----------
    table : ndarray of shape (n_rows, d_full)
        The full-data table (row 0, the unknown row, is left as is).
    active : ndarray of bool, shape (d_full,)
        Axes the sums were computed on (the non-constant ones).
    all_sums, fold_sums : tuple
        :func:`level_sums` of all samples and of the fold's samples.
    lam : float

    Returns
    -------
    ndarray of shape (n_rows, d_full), float64
    """
    new = table.astype(np.float64)
    n_all, _, H_all = all_sums
    n_fold, g_fold, H_fold = fold_sums
    rows = np.flatnonzero((n_fold > 0) & (n_all > n_fold))
    rows = rows[rows != _UNKNOWN]
    if not rows.size or not active.any():
        return new
    d = int(active.sum())
    H = H_all[rows] - H_fold[rows] + lam * np.eye(d)
    step = np.linalg.solve(H, g_fold[rows][:, :, None])[:, :, 0]
    share = n_fold[rows] / n_all[rows]
    sub = new[rows]
    cap = share * np.linalg.norm(sub[:, active] - new[_UNKNOWN, active], axis=1)
    norm = np.linalg.norm(step, axis=1)
    step *= np.minimum(1.0, cap / np.maximum(norm, 1e-300))[:, None]
    sub[:, active] += step
    new[rows] = sub
    return new


def calibrate_ridge(table, active, sums, grid=np.logspace(-3, 4, 15)):
    """The ridge ``lam`` under which the table is closest to a penalised
    optimum: early stopping, not a penalty, decided how far its rows moved
    from the unknown row, so ``lam`` is fitted to the table itself.

    For each candidate (``grid`` times the mean curvature of a sample per
    axis), the rows a Newton step from the unknown row would give,
    ``e_0 - (H_l + lam I)^-1 g_l(e_0)`` with ``g_l(e_0) = g_l - H_l (e_l -
    e_0)`` (the loss linearised at the table), are compared with the
    table's rows, count-weighted; the closest candidate is returned.
    """
    count, g, H = sums
    rows = np.flatnonzero(count > 0)
    rows = rows[rows != _UNKNOWN]
    d = int(active.sum())
    if not rows.size or d == 0:
        return 1.0
    D = table[rows][:, active].astype(np.float64) - table[_UNKNOWN, active]
    Hr = H[rows]
    g0 = g[rows] - np.einsum("lij,lj->li", Hr, D)
    unit = float(np.trace(Hr, axis1=1, axis2=2).sum() / count[rows].sum()) / d
    unit = max(unit, 1e-12)
    best, best_err = unit, np.inf
    for c in grid:
        lam = c * unit
        pred = -np.linalg.solve(Hr + lam * np.eye(d), g0[:, :, None])[:, :, 0]
        err = float((count[rows] * ((D - pred) ** 2).sum(axis=1)).sum())
        if err < best_err:
            best, best_err = lam, err
    return best
