"""Levels of a categorical column: factorising (every kind of missing value),
sorting like scikit-learn's encoders, frequent / rare levels, and the table
rows the entity network looks up (0 = unknown or rare, 1 = missing,
2.. = levels)."""

import numbers

import numpy as np
import pandas as pd

__all__ = [
    "MISSING_LABEL", "UNKNOWN_LABEL", "encode_levels", "factorize", "fit_levels",
    "frequency_threshold", "sorted_levels",
]  # fmt: skip

# internal table rows: 0 = unknown / rare, 1 = missing, 2.. = levels
_UNKNOWN, _MISSING, _FIRST = 0, 1, 2
UNKNOWN_LABEL = "<unknown>"
MISSING_LABEL = "<missing>"


def sorted_levels(uniques):
    """Sort levels like sklearn's encoders; mixed types sort by type name first."""
    uniques = list(uniques)
    try:
        return sorted(uniques)
    except TypeError:
        pass
    try:
        return sorted(uniques, key=lambda v: (type(v).__name__, v))
    except TypeError:
        return sorted(uniques, key=lambda v: (type(v).__name__, str(v)))


def factorize(column):
    """Integer codes (-1 = missing) and unique values of a 1-D column.

    NaN, None, pd.NA and NaT are all missing. Categorical columns use their
    codes directly.
    """
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        cats = np.asarray(column.cat.categories, dtype=object)
        return codes, cats
    if isinstance(column, pd.Series):
        values = (
            column.to_numpy(dtype=object)
            if column.dtype.kind not in "biuf"
            else column.to_numpy()
        )
    else:
        values = np.asarray(column)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def frequency_threshold(min_frequency, n_samples):
    """The count below which a level is rare (``min_frequency`` resolved)."""
    if min_frequency is None:
        return 1
    if isinstance(min_frequency, numbers.Integral):
        return int(min_frequency)
    return int(np.ceil(min_frequency * n_samples))


def fit_levels(fcodes, uniques, threshold):
    """Table rows of one column at fit, and its frequent and rare levels.

    ``fcodes, uniques`` come from :func:`factorize` (-1 = missing). Returns
    ``(rows int64, levels, rare)``: levels sorted, rows ``_FIRST + level``,
    ``_UNKNOWN`` for rare levels, ``_MISSING`` for missing values.
    """
    missing = fcodes < 0
    counts = np.bincount(fcodes[~missing], minlength=len(uniques))
    present = counts > 0
    frequent = present & (counts >= threshold)
    levels = sorted_levels(uniques[frequent])
    rare = sorted_levels(uniques[present & ~frequent])
    level_index = pd.Index(levels, dtype=object)
    # map factorize codes to table rows
    lookup = np.full(len(uniques), _UNKNOWN, dtype=np.int64)
    pos = level_index.get_indexer(pd.Index(uniques, dtype=object))
    found = pos >= 0
    lookup[found] = pos[found] + _FIRST
    if len(uniques):
        col_codes = lookup[np.where(missing, 0, fcodes)]
    else:
        col_codes = np.zeros(fcodes.shape[0], dtype=np.int64)
    col_codes[missing] = _MISSING
    return col_codes, levels, rare


def encode_levels(fcodes, uniques, categories, infrequent, missing_trained):
    """Table rows of one column of new data, and its unknown mask.

    Unknown values (neither a level nor a rare level) and, when the missing
    row was not trained, missing values map to ``_UNKNOWN``.
    """
    n = fcodes.shape[0]
    miss = fcodes < 0
    uindex = pd.Index(uniques, dtype=object)
    # Index objects are rebuilt here rather than stored: the fitted
    # state stays plain arrays (pickle-free sharing with skops)
    levels = pd.Index(categories, dtype=object)
    rare = pd.Index(infrequent, dtype=object)
    pos = levels.get_indexer(uindex)
    lookup = np.where(pos >= 0, pos + _FIRST, _UNKNOWN).astype(np.int64)
    is_unknown_u = pos < 0
    if len(rare):
        is_rare = rare.get_indexer(uindex) >= 0
        is_unknown_u &= ~is_rare
    safe = np.where(miss, 0, fcodes)
    if len(uniques):
        col = lookup[safe]
        unk = is_unknown_u[safe] & ~miss
    else:
        col = np.zeros(n, dtype=np.int64)
        unk = np.zeros(n, dtype=bool)
    if missing_trained:
        col[miss] = _MISSING
    else:
        col[miss] = _UNKNOWN
        unk = unk | miss
    return col, unk
