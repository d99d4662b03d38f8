"""The transform inputs of the shared cases (tests/_cases.py), as the
partitioned collections of the scale-out tests."""

import numpy as np
import pandas as pd

from tests._cases import CASES, OTHER_CASES

ALL_CASES = {**CASES, **OTHER_CASES}

#: output columns whose value comes from a dense product over the rows of a
#: block (BLAS may round a row differently in a block of another height, in
#: process too): the EntityEmbeddingEncoder network's prediction columns
APPROXIMATE_PREFIX = "net_"


def transform_calls():
    """``(case, call number)`` of every ``transform`` call of the cases."""
    out = []
    for name, build in ALL_CASES.items():
        _, calls, _ = build()
        out += [(name, k) for k, (m, _) in enumerate(calls) if m == "transform"]
    return out


def as_pandas_input(estimator, arg):
    """The rows of a case's transform input as pandas (or a NumPy matrix of
    link rows), with a non-default index to check it is kept."""
    if isinstance(arg, pd.DataFrame):
        out = arg.copy()
    elif isinstance(arg, np.ndarray):
        return arg
    elif type(estimator).__name__ == "EdgeFeatures":
        out = pd.DataFrame(list(arg), columns=["u", "v"])
    else:
        values = list(arg)
        if all(isinstance(v, str) for v in values) or all(
            isinstance(v, (int, np.integer)) for v in values
        ):
            out = pd.Series(values)
        else:  # baskets (lists), tuples, mixed ids: keep the objects
            out = pd.Series(values, dtype=object)
    out.index = pd.RangeIndex(100, 100 + len(out), name="row")
    return out


def assert_same(estimator, got, expected):
    """Bit-identical, except the columns listed in APPROXIMATE_PREFIX."""
    got = np.asarray(got)
    expected = np.asarray(expected)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    if expected.dtype == object:
        assert [repr(v) for v in got] == [repr(v) for v in expected]
        return
    names = np.asarray(estimator.get_feature_names_out(), dtype=str)
    approx = np.char.startswith(names, APPROXIMATE_PREFIX)
    np.testing.assert_array_equal(got[:, ~approx], expected[:, ~approx])
    np.testing.assert_allclose(got[:, approx], expected[:, approx], rtol=1e-5, atol=1e-6)
