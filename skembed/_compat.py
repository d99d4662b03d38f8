"""The one module that imports scikit-learn's private helpers.

Everything skembed needs from ``sklearn`` internals is re-exported here, so a
change in a scikit-learn release is fixed in one place (the pattern of
skrub's ``_sklearn_compat.py``).
"""

from numbers import Integral

from sklearn.base import _clone_parametrized
from sklearn.base import _fit_context as _sklearn_fit_context
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

from ._progress import tracked_fit

#: ``n_jobs`` as joblib reads it: None, a positive count, or -1, -2, ...
#: (every core, all but one, ...). 0 means nothing and is refused at fit,
#: with scikit-learn's parameter error, not joblib's.
N_JOBS_CONSTRAINT = [
    Interval(Integral, 1, None, closed="left"),
    Interval(Integral, None, -1, closed="right"),
    None,
]



def _fit_context(*, prefer_skip_nested_validation):
    """scikit-learn's ``_fit_context`` (parameter validation, callback
    teardown), around :func:`skembed._progress.tracked_fit` (the callback
    root task of the fit and the running fit that progress reports to)."""
    outer = _sklearn_fit_context(
        prefer_skip_nested_validation=prefer_skip_nested_validation
    )

    def decorator(fit_method):
        return outer(tracked_fit(fit_method))

    return decorator


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
