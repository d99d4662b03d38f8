"""Level effects of EntityEmbeddingEncoder: per-column random intercepts
with empirical-Bayes shrinkage, fitted in closed form.

The additive model ``pred = intercept + sum_j b_j[level_j]`` of the
standardized target (regression) or of the class indicators (binary and,
one class against the rest, multiclass: a linear probability model, the
scale of a target encoding) is fitted by a few backfitting sweeps over the
columns. Within a sweep each column's levels are independent, so the
penalised least-squares update is closed form per level:
``b_l = sum_l(r) / (n_l + sigma2 / tau2)`` on the partial residual ``r``,
the posterior mean of a random intercept: a target encoding shrunk toward
the unknown row's 0 by ``n_l / (n_l + sigma2 / tau2)``.

The variance components ``sigma2`` (within levels) and ``tau2`` (between
levels) of each column come from the method of moments of a one-way
random-effects ANOVA on the partial residual, re-estimated in each sweep
(Searle, Casella & McCulloch, "Variance Components", 1992, ch. 3). On a
simulated crossed design (6,000 rows, 2,341 x 993 levels, true
``sigma2 / tau2`` about 11 and 4) the estimates are 18 and 3.5.
Numeric columns enter as linear terms, so the effects are adjusted for them. Rows with code 0 (the unknown row)
only take part when rare levels were pooled into it; a level never seen
keeps the effect 0, i.e. the intercept alone.

The network is trained on top of these effects, as an offset on its output
scale (:func:`link`).

Plain arrays in and out, no validation.
"""

import numpy as np

from ._net_kernels import effect_residual_sums, effect_update_pred

__all__ = ["effects_offset", "embedding_prior_counts", "fit_level_effects", "link"]

_EPS = 1e-12


def _level_design(n):
    """What :func:`_variance_components` needs of the rows per level ``n``
    (float), fixed for a column: computed once per fit, not once per sweep.
    Returns ``(present, n_present, n_obs, n_levels, denom)``."""
    present = n > 0
    n_obs = float(n.sum())
    n_present = n[present]
    denom = n_obs - float(np.sum(n_present**2)) / n_obs if n_obs > 0 else 0.0
    return present, n_present, n_obs, int(present.sum()), denom


def _variance_components(s, resid, design):
    """Method-of-moments ``(sigma2, tau2)`` of a one-way random-effects model
    of ``resid``, from the per-level sums ``s`` of ``resid`` and
    ``design``, the :func:`_level_design` of the column's rows per level."""
    present, n_present, n_obs, n_levels, denom = design
    if n_levels < 2 or n_obs <= n_levels:
        return 1.0, 0.0
    ss_total = float(np.dot(resid, resid))
    ss_levels = float(np.sum(s[present] ** 2 / n_present))
    mean = float(s.sum()) / n_obs
    ss_within = max(ss_total - ss_levels, 0.0)
    ss_between = max(ss_levels - n_obs * mean * mean, 0.0)
    sigma2 = ss_within / (n_obs - n_levels)
    tau2 = (ss_between - (n_levels - 1) * sigma2) / max(denom, _EPS)
    return max(sigma2, _EPS), max(tau2, 0.0)


def fit_level_effects(codes, n_rows, y, task, n_outputs, numeric=None, n_sweeps=4):
    """Fit the shrunken level effects.

    Parameters
    ----------
    codes : ndarray of shape (n, n_cols), int
        Table rows (0 = unknown / rare).
    n_rows : sequence of int
        Rows of each column's table.
    y : ndarray of shape (n,)
        Standardized target (continuous), 0/1 (binary) or class codes.
    task : {"continuous", "binary", "multiclass"}
    n_outputs : int
        1, or the number of classes for multiclass.
    numeric : ndarray of shape (n, n_numeric) or None
        Standardized numeric columns, entered as linear terms (least squares
        in each sweep), so that the level effects are adjusted for them
        rather than absorbing their effect.
    n_sweeps : int, default=4
        Backfitting sweeps over the columns.

    Returns
    -------
    intercept : ndarray of shape (n_outputs,)
        Mean of the target (of each class indicator).
    effects : list of ndarray of shape (n_rows[j], n_outputs)
    shrinkage : ndarray of shape (n_cols, n_outputs)
        ``sigma2 / tau2`` per column, a prior count (``inf`` when the
        column shows no between-level variance: its effects are all 0).
    """
    n, n_cols = codes.shape
    if task == "multiclass":
        targets = [(y == k).astype(np.float64) for k in range(n_outputs)]
    else:
        targets = [np.asarray(y, dtype=np.float64)]
    intercept = np.array([float(t.mean()) for t in targets])
    effects = [np.zeros((int(r), len(targets))) for r in n_rows]
    shrinkage = np.full((n_cols, len(targets)), np.inf)
    cols = [np.ascontiguousarray(codes[:, j]) for j in range(n_cols)]
    counts = [
        np.bincount(c, minlength=int(r)).astype(np.float64)
        for c, r in zip(cols, n_rows)
    ]
    if numeric is not None and numeric.shape[1]:
        design = np.asarray(numeric, dtype=np.float64)
        design = design - design.mean(axis=0)
        # the least-squares solution of every sweep (and class) is one
        # product with the pseudo-inverse: one SVD per fit, not one per sweep
        solve = np.linalg.pinv(design)
    else:
        design = None
    resid = np.empty(n)
    designs = [_level_design(n_l) for n_l in counts]
    sums = [np.empty(int(r)) for r in n_rows]
    for k, t in enumerate(targets):
        pred = np.full(n, intercept[k])
        linear = np.zeros(n)
        lam = np.full(n_cols, np.nan)
        for _ in range(n_sweeps):
            if design is not None:
                coef = solve @ (t - pred + linear)
                new_linear = design @ coef
                pred += new_linear - linear
                linear = new_linear
            for j, c in enumerate(cols):
                # the passes over the rows in numba: 1.3-1.4x faster than
                # the numpy expressions they replace, bit-identical
                old = effects[j][:, k].copy()
                effect_residual_sums(c, old, t, pred, resid, sums[j])
                s = sums[j]
                sigma2, tau2 = _variance_components(s, resid, designs[j])
                lam[j] = sigma2 / tau2 if tau2 > 0 else np.inf
                if np.isfinite(lam[j]):
                    new = s / (counts[j] + lam[j])
                else:
                    new = np.zeros(int(n_rows[j]))
                effects[j][:, k] = new
                effect_update_pred(c, old, new, pred)
        shrinkage[:, k] = lam
    return intercept, effects, shrinkage


def effects_offset(intercept, effects, codes):
    """``intercept + sum_j effects[j][codes[:, j]]``, shape (n, n_outputs)."""
    out = np.tile(intercept, (codes.shape[0], 1))
    for j, e in enumerate(effects):
        out += e[codes[:, j]]
    return out


def link(task, pred, eps=1e-3):
    """Additive predictions on the network's output scale.

    Identity for a continuous target; for classification the additive
    (linear probability) prediction is clipped to ``[eps, 1 - eps]`` and
    mapped to a logit (binary) or a log-probability (multiclass, a valid
    softmax offset).
    """
    if task == "continuous":
        return pred
    p = np.clip(pred, eps, 1.0 - eps)
    if task == "binary":
        return np.log(p / (1.0 - p))
    return np.log(p)


def embedding_prior_counts(shrinkage, low=1.0, high=100.0):
    """Prior count of each column's embedding rows, from its effect shrinkage.

    A row seen ``n`` times keeps ``n / (n + m)`` of its distance to the
    unknown row; ``m`` is the column's ``sigma2 / tau2`` (averaged over
    outputs), clipped to ``[low, high]`` so that a column without additive
    effect (``inf``) can still carry interactions.
    """
    m = np.where(np.isfinite(shrinkage), shrinkage, high)
    return np.clip(m.mean(axis=1), low, high)
