"""What a model file may hold: the classes :func:`skembed.load_model` builds
(the allowlist, by class name) and the dtypes of its arrays.

This is the only place of :mod:`skembed._persist` that names skembed
classes; what each saves is declared by the class itself
(``_fitted_state``, see :mod:`skembed._fitted`).

Adding an estimator (opt-in)
----------------------------
1. Declare its fitted attributes in ``_fitted_state`` next to
   ``_parameter_constraints`` (kinds from :mod:`skembed._fitted`; ``DERIVED``
   for attributes that ``_persist_restore(self)`` rebuilds after loading),
   and optionally ``_check_fitted_state(self)`` (consistency across
   attributes, raising ``ValueError``). Its parameters are saved from
   ``get_params(deep=False)`` and restored through ``__init__``.
2. Add its class to ``ESTIMATORS`` below (one line); a helper object that
   is not an estimator gets ``_persist_state`` / ``_persist_build`` and goes
   to ``OBJECTS``.
3. Add a case to ``tests/_cases.py``: the round trip, the pinned outputs and
   the declared-state test then cover it.

Estimators that wrap code or foreign models (e.g. a transformers model)
stay off the list: ``save_model`` then refuses them with a message that
points to skops / joblib.
"""

import pandas as pd

from .._engine._vocab import Vocabulary
from .._graph._line import LINEEmbedder
from .._graph._node2vec import DeepWalkEmbedder, EdgeFeatures, Node2VecEmbedder
from .._graph._netmf import NetMFEmbedder
from .._graph._prone import ProNEEmbedder, SpectralPropagation
from .._items._item2vec import Item2VecTransformer
from .._tabular._entity import EntityEmbeddingEncoder
from .._tabular._net import EmbeddingNet
from .._text._doc2vec import Doc2VecVectorizer
from .._text._fasttext import FastTextVectorizer
from .._text._word2vec import Word2VecVectorizer
from .._vectors._keyedvectors import KeyedVectors
from .._vectors._subwords import SubwordTable

__all__ = [
    "ARRAY_KINDS", "ESTIMATORS", "OBJECTS", "PANDAS_DTYPES", "ROOT_OBJECTS",
    "TRUST_HINT", "not_allowed", "pandas_na", "supported",
]  # fmt: skip

#: estimators save_model accepts: class name -> class (the allowlist)
ESTIMATORS = {
    cls.__name__: cls
    for cls in (
        DeepWalkEmbedder,
        Doc2VecVectorizer,
        EdgeFeatures,
        EntityEmbeddingEncoder,
        FastTextVectorizer,
        Item2VecTransformer,
        LINEEmbedder,
        NetMFEmbedder,
        Node2VecEmbedder,
        ProNEEmbedder,
        SpectralPropagation,
        Word2VecVectorizer,
    )
}

#: plain dtypes an array may have in a file (bool, int, uint, float,
#: complex, fixed-width unicode and bytes); object and structured are refused
ARRAY_KINDS = "biufcUS"

#: pandas extension dtypes a DataFrame column may have (stored as its values)
PANDAS_DTYPES = {
    "str", "string", "boolean", "Float32", "Float64",
    *(f"{u}Int{bits}" for u in ("", "U") for bits in (8, 16, 32, 64)),
}  # fmt: skip


def pandas_na():
    return pd.NA


TRUST_HINT = (
    "save_model stores data only, never code. To share this estimator, make "
    "it from data-only parameters, or save it with skops.io.dump (loading "
    "asks which types to trust) or joblib.dump / pickle (load only files "
    "you trust)."
)

#: helper objects saved inside estimators (and KeyedVectors on its own):
#: class name -> class; each has ``_persist_state()`` and the classmethod
#: ``_persist_build(state, path)`` (see :mod:`skembed._fitted`)
OBJECTS = {
    cls.__name__: cls
    for cls in (EmbeddingNet, KeyedVectors, SubwordTable, Vocabulary)
}

#: objects that may be the root of a file
ROOT_OBJECTS = ("KeyedVectors",)


def supported():
    return ", ".join(sorted([*ESTIMATORS, *ROOT_OBJECTS]))


def not_allowed(name):
    return (
        f"class {name!r} is not on the allowlist of skembed.load_model "
        f"({supported()}); the file was not written by save_model, or needs "
        "a newer skembed."
    )
