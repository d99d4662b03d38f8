"""Cross-fitting of EntityEmbeddingEncoder.fit_transform: the fold
splitter, the level codes a fold's network may see, and the alignment of a
fold's tables onto the full-data tables."""

import numbers

import numpy as np
from scipy.linalg import orthogonal_procrustes
from sklearn.model_selection import KFold, StratifiedKFold

from ._levels import _UNKNOWN

__all__ = ["align_tables", "fold_level_codes", "fold_splitter"]


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
