"""The estimator base of the SGNS estimators: shared hyper-parameters, their
constraints, and the call of the driver (:func:`._driver.train_sgns`)."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .._compat import N_JOBS_CONSTRAINT, Interval
from .._fitted import FLOATS, INT, array
from .._progress import CallbackSupportMixin
from .._scaleout import LazyTransformMixin
from .._validation import effective_threads
from ._driver import train_sgns

__all__ = ["_BaseSGNS"]


class _BaseSGNS(CallbackSupportMixin, LazyTransformMixin, TransformerMixin, BaseEstimator):
    """Shared hyper-parameters of the SGNS estimators.

    Subclasses extend ``_parameter_constraints`` with
    ``{**_BaseSGNS._parameter_constraints, ...}`` and call
    :meth:`_fit_sgns` from ``fit``.
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "negative": [Interval(Integral, 1, None, closed="left")],
        "ns_exponent": [Interval(Real, None, None, closed="neither")],
        "sample": [Interval(Real, 0, None, closed="left")],
        "n_epochs": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS_CONSTRAINT,
        "verbose": ["verbose"],
    }

    #: fitted state shared by the SGNS estimators (see :mod:`skembed._fitted`)
    _fitted_state: dict = {
        "embedding_": array(np.float32, 2),
        "loss_curve_": FLOATS,
        "_n_features_out": INT,
    }

    #: keyword arguments of :func:`train_sgns` read from same-named params
    _sgns_params = (
        "n_components",
        "window",
        "negative",
        "hs",
        "ns_exponent",
        "sample",
        "n_epochs",
        "learning_rate",
        "n_jobs",
        "verbose",
    )

    def _fit_sgns(self, corpus, counts, rng, **overrides):
        """Train with this estimator's parameters; ``overrides`` win."""
        kwargs = {
            p: getattr(self, p) for p in self._sgns_params if hasattr(self, p)
        }
        kwargs.update(overrides)
        return train_sgns(
            corpus, counts, random_state=rng, name=type(self).__name__, **kwargs
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        tags.non_deterministic = effective_threads(self.n_jobs) > 1
        return tags
