"""Fail-closed check of the declared fitted state (issue #13).

Every estimator declares what it keeps after ``fit`` in ``_fitted_state``
(merged along the MRO, see ``skembed/_fitted.py``); ``save_model`` writes
exactly that and ``load_model`` checks it. Here, for every estimator in every
mode of ``tests/_cases.py`` (and the contextual ones), every array or
nested object of ``vars(fitted)`` must be declared, and every declared
attribute must be of its declared kind: a new fitted attribute that nobody
declared fails this test, naming it.
"""

import warnings

import numpy as np
import pytest

from skembed._fitted import declared_state
from tests.test_pinned_outputs import ALL_CASES

SCALARS = (type(None), bool, int, float, str, np.generic)

ESTIMATOR_CASES = sorted(
    name for name in ALL_CASES if name not in ("keyedvectors", "summarize-function")
)


def _estimators(est, seen=None):
    """The estimator and the skembed estimators nested in it (once each)."""
    seen = set() if seen is None else seen
    if id(est) in seen:
        return
    seen.add(id(est))
    yield est
    for value in vars(est).values():
        if hasattr(value, "get_params") and type(value).__module__.startswith(
            "skembed."
        ):
            yield from _estimators(value, seen)


def undeclared_state(est):
    """``[(class, attribute, type)]`` of the arrays and nested objects of
    ``vars(est)`` that its class does not declare (params excluded)."""
    found = []
    for e in _estimators(est):
        declared = declared_state(type(e))
        params = e.get_params(deep=False)
        for key, value in vars(e).items():
            if key in params or key in declared or isinstance(value, SCALARS):
                continue
            found.append((type(e).__name__, key, type(value).__name__))
    return found


@pytest.mark.parametrize("name", ESTIMATOR_CASES)
def test_every_fitted_array_and_object_is_declared(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est, calls, _ = ALL_CASES[name]()
        for method, arg in calls:
            getattr(est, method)(arg)
    undeclared = undeclared_state(est)
    assert not undeclared, (
        "fitted state not declared in the class's _fitted_state (see "
        f"skembed/_fitted.py): {undeclared}"
    )
    for e in _estimators(est):
        for key, kind in declared_state(type(e)).items():
            if key in vars(e):
                kind.validate(vars(e)[key], f"{type(e).__name__}.{key}")
