"""Checks every public estimator passes, like scikit-learn's test_common.py.

Tier A: scikit-learn's X-agnostic API checks, called one by one (they do not
depend on numeric 2-D input, so they run on the text, basket and graph
estimators too). The 2-D estimators run the whole `parametrize_with_checks`
suite in their own test modules (tier B), and the text/basket/id estimators
restate the skipped checks with their own inputs (tier C) there too.
"""

import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimator_repr,
    check_estimators_unfitted,
    check_get_feature_names_out_error,
    check_get_params_invariance,
    check_global_output_transform_pandas,
    check_mixin_order,
    check_no_attributes_set_in_init,
    check_param_validation,
    check_parameters_default_constructible,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_set_params,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    check_transformers_unfitted,
    check_valid_tag_types,
)

import skembed

API_CHECKS = [
    check_no_attributes_set_in_init,
    check_estimator_repr,
    check_estimators_unfitted,
    check_transformers_unfitted,
    check_parameters_default_constructible,
    check_get_params_invariance,
    check_set_params,
    check_do_not_raise_errors_in_init_or_set_params,
    check_mixin_order,
    check_valid_tag_types,
    check_param_validation,
    check_get_feature_names_out_error,
]


#: Checks of 2-D estimators that `parametrize_with_checks` does not yield;
#: scikit-learn's own tests/test_common.py calls them one by one (tier B).
OUTPUT_CHECKS = [
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_global_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    check_dataframe_column_names_consistency,
]


def _public_estimators():
    from sklearn.base import BaseEstimator

    return [
        getattr(skembed, name)
        for name in skembed.__all__
        if isinstance(getattr(skembed, name), type)
        and issubclass(getattr(skembed, name), BaseEstimator)
    ]


ESTIMATORS = _public_estimators()


def _name(obj):
    return getattr(obj, "__name__", type(obj).__name__)


def test_every_promised_estimator_is_public():
    names = {cls.__name__ for cls in ESTIMATORS}
    assert {
        "Word2VecVectorizer",
        "EntityEmbeddingEncoder",
        "Item2VecTransformer",
        "Node2VecEmbedder",
        "LINEEmbedder",
        "ContextualVectorizer",
    } <= names


@pytest.mark.parametrize("cls", ESTIMATORS, ids=_name)
@pytest.mark.parametrize("check", API_CHECKS, ids=_name)
def test_api_contract(cls, check):
    if check is check_get_feature_names_out_error and not hasattr(
        cls, "get_feature_names_out"
    ):  # as scikit-learn, which runs it only on estimators that have the method
        pytest.skip(f"{cls.__name__} outputs text, not feature columns")
    check(cls.__name__, cls())


@pytest.mark.parametrize("cls", ESTIMATORS, ids=_name)
def test_tags_say_embeddings_have_their_own_dtype(cls):
    tags = cls().__sklearn_tags__()
    assert tags.transformer_tags is not None
    assert tags.transformer_tags.preserves_dtype == []


@pytest.mark.parametrize("cls", ESTIMATORS, ids=_name)
def test_unfitted_estimators_pickle_and_clone(cls):
    est = cls()
    assert repr(pickle.loads(pickle.dumps(est))) == repr(est)
    assert clone(est).get_params() == est.get_params()


@pytest.mark.parametrize("cls", ESTIMATORS, ids=_name)
def test_docstring_has_examples_and_numpydoc_sections(cls):
    doc = cls.__doc__ or ""
    for section in ("Parameters", "Attributes", "Examples"):
        assert f"{section}\n    ---" in doc, f"{cls.__name__}: no {section}"


def test_joblib_round_trip_of_a_fitted_engine(tmp_path):
    from skembed._engine._driver import train_sgns

    ids = np.arange(20, dtype=np.int32) % 5
    res = train_sgns((np.array([0, 20]), ids), np.bincount(ids), n_components=4,
                     n_epochs=1, random_state=0)
    joblib.dump(res, tmp_path / "r.joblib")
    back = joblib.load(tmp_path / "r.joblib")
    assert np.array_equal(back.w_in, res.w_in)
