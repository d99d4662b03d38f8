"""The one module that imports scikit-learn's private helpers.

Everything skembed needs from ``sklearn`` internals is re-exported here, so a
change in a scikit-learn release is fixed in one place (the pattern of
skrub's ``_sklearn_compat.py``).
"""

from numbers import Integral

from sklearn.base import _clone_parametrized, _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import _check_feature_names_in, validate_data

#: ``n_jobs`` as joblib reads it: None, a positive count, or -1, -2, ...
#: (every core, all but one, ...). 0 means nothing and is refused at fit,
#: with scikit-learn's parameter error, not joblib's.
N_JOBS_CONSTRAINT = [
    Interval(Integral, 1, None, closed="left"),
    Interval(Integral, None, -1, closed="right"),
    None,
]

__all__ = [
    "N_JOBS_CONSTRAINT",
    "HasMethods",
    "Hidden",
    "Interval",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_check_feature_names_in",
    "_clone_parametrized",
    "_fit_context",
    "_get_output_config",
    "validate_data",
    "validate_params",
]
