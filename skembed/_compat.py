"""The one module that imports scikit-learn's private helpers.

Everything skembed needs from ``sklearn`` internals is re-exported here, so a
change in a scikit-learn release is fixed in one place (the pattern of
skrub's ``_sklearn_compat.py``).
"""

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

__all__ = [
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
