"""Declared fitted state: what an estimator keeps after ``fit``, by kind.

Each estimator lists its fitted attributes in ``_fitted_state``, next to
``_parameter_constraints``, as ``{name: kind}`` with the kinds below; a
subclass or mixin declares only its own attributes, and
:func:`declared_state` merges the declarations along the MRO.
:func:`skembed.save_model` writes every declared attribute except the
``DERIVED`` ones; :func:`skembed.load_model` checks each against its kind
before anything else sees it, refuses arrays and containers that are not
declared, then calls the estimator's ``_check_fitted_state()`` (consistency
across attributes) and ``_persist_restore()`` (rebuilds ``DERIVED`` ones).
``tests/test_fitted_state.py`` fails when a fitted estimator holds an array
or nested object that its class does not declare.

Helper objects saved inside estimators (``KeyedVectors``, the entity
network, ``Vocabulary``) rebuild themselves: ``_persist_state()`` returns a
dict of plain values, the classmethod ``_persist_build(state, path)`` checks
it (:func:`expect`, :func:`check_array`) and returns the object.
"""

import numpy as np

__all__ = [
    "BOOL", "DERIVED", "DICT", "FLOAT", "FLOATS", "INT", "STR",
    "Kind", "array", "check_array", "check_feature_names", "check_rows",
    "check_vocabulary", "check_width", "declared_state", "expect",
    "instance_of", "list_of", "one_of", "optional",
]  # fmt: skip


class Kind:
    """A kind of fitted attribute: a description and a check."""

    __slots__ = ("description", "check", "saved")

    def __init__(self, description, check, *, saved=True):
        self.description = description
        self.check = check
        self.saved = saved

    def validate(self, value, name):
        if not self.check(value):
            found = (
                f"a {value.ndim}-D array of {value.dtype}"
                if isinstance(value, np.ndarray)
                else type(value).__name__
            )
            raise ValueError(f"{name}: expected {self.description}; found {found}")

    def __repr__(self):
        return f"Kind({self.description!r})"


def array(dtype=None, ndim=1):
    """A NumPy array of ``ndim`` dimensions (and of exactly ``dtype``, if given:
    the arrays that transform hands to numba kernels or BLAS)."""
    if dtype is None:
        return Kind(
            f"a {ndim}-D array",
            lambda v: type(v) is np.ndarray and v.ndim == ndim,
        )
    dtype = np.dtype(dtype)
    return Kind(
        f"a {ndim}-D array of {dtype}",
        lambda v: type(v) is np.ndarray and v.dtype == dtype and v.ndim == ndim,
    )


def optional(kind):
    return Kind(f"None or {kind.description}", lambda v: v is None or kind.check(v))


def instance_of(cls, description=None):
    return Kind(description or f"a {cls.__name__}", lambda v: isinstance(v, cls))


def list_of(kind):
    return Kind(
        f"a list of {kind.description}",
        lambda v: type(v) is list and all(kind.check(x) for x in v),
    )


def one_of(*values):
    return Kind(f"one of {values}", lambda v: type(v) is str and v in values)


#: an int >= 0 (counts, sizes, epochs, seeds)
INT = Kind("an int >= 0", lambda v: type(v) is int and v >= 0)
FLOAT = Kind("a float", lambda v: type(v) is float)
FLOATS = Kind(
    "a list of float", lambda v: type(v) is list and all(type(x) is float for x in v)
)
BOOL = Kind("a bool", lambda v: type(v) is bool)
STR = Kind("a str", lambda v: type(v) is str)
DICT = Kind("a dict", lambda v: type(v) is dict)
#: not saved: rebuilt from the other attributes by ``_persist_restore``
DERIVED = Kind("derived (rebuilt on load)", lambda v: True, saved=False)


#: state that scikit-learn itself keeps on any estimator (``set_output``)
SKLEARN_STATE = {"_sklearn_output_config": DICT}


def declared_state(cls):
    """``{name: kind}`` of ``cls``: its ``_fitted_state`` and its bases'."""
    merged = dict(SKLEARN_STATE)
    for klass in reversed(cls.__mro__):
        merged.update(vars(klass).get("_fitted_state", {}))
    return merged


# ---------------------------------------------------------------------------
# helpers for _persist_build and _check_fitted_state
# ---------------------------------------------------------------------------
def expect(value, kind, path):
    """``value`` if it is an instance of ``kind``, else a ValueError."""
    if not isinstance(value, kind):
        raise ValueError(
            f"{path}: expected {kind.__name__}; found {type(value).__name__}."
        )
    return value


def check_array(value, dtype, ndim, what):
    """A ValueError unless ``value`` is an ``ndim``-D array of ``dtype``."""
    array(dtype, ndim).validate(value, what)


def check_feature_names(state):
    """``n_features_in_`` matches ``feature_names_in_`` (when both are set)."""
    names = state.get("feature_names_in_")
    if names is not None and state.get("n_features_in_") != len(names):
        raise ValueError("n_features_in_ does not match feature_names_in_")


def check_rows(state, n_rows, *keys):
    """Each array of ``keys`` present in ``state`` has ``n_rows`` rows."""
    for key in keys:
        arr = state.get(key)
        if arr is not None and n_rows is not None and arr.shape[0] != n_rows:
            raise ValueError(f"{key} has {arr.shape[0]} rows for {n_rows} keys")


def check_width(state, width):
    """``_n_features_out`` is an int >= 0 equal to ``width`` (if known)."""
    if "_n_features_out" not in state:
        return
    n_out = state["_n_features_out"]
    if type(n_out) is not int or n_out < 0 or (width is not None and n_out != width):
        raise ValueError(f"_n_features_out is {n_out!r}; expected {width}")


def check_vocabulary(state):
    """``vocabulary_`` maps each key to a distinct row of ``embedding_``."""
    vocabulary, emb = state.get("vocabulary_"), state.get("embedding_")
    if isinstance(vocabulary, dict) and emb is not None:
        if len(vocabulary) != emb.shape[0] or not all(
            type(i) is int and 0 <= i < emb.shape[0] for i in vocabulary.values()
        ):
            raise ValueError("vocabulary_ maps words to rows not in embedding_")
