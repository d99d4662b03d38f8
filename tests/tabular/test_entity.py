"""Tests of EntityEmbeddingEncoder and its network (_tabular._net, _net_kernels)."""

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import (
    check_param_validation,
    parametrize_with_checks,
)

from skembed import EntityEmbeddingEncoder
from skembed._tabular import _cross_fitting, _net, _net_kernels
from tests.test_common import OUTPUT_CHECKS


def _fast(**kw):
    params = dict(
        hidden_layer_sizes=(8,),
        n_epochs=3,
        batch_size=64,
        max_dim=4,
        cv=None,
        random_state=0,
    )
    params.update(kw)
    return EntityEmbeddingEncoder(**params)


def planted(n=3000, seed=0, n_levels=12):
    """Column ``a``: levels in 3 groups of equal effect; ``b`` pure noise."""
    rng = np.random.RandomState(seed)
    levels = [f"L{i}" for i in range(n_levels)]
    effect = {lv: [-2.0, 0.0, 2.0][i % 3] for i, lv in enumerate(levels)}
    a = rng.choice(levels, n)
    b = rng.choice(["p", "q", "r", "s"], n)
    y = np.array([effect[v] for v in a]) + 0.5 * rng.randn(n)
    return pd.DataFrame({"a": a, "b": b}), y, effect


# --------------------------------------------------------------- sklearn API
@parametrize_with_checks([_fast(), _fast(cv=3)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    "check",
    [*OUTPUT_CHECKS, check_param_validation],
    ids=lambda c: c.__name__,
)
# sklearn's set_output checks fit on a DataFrame and transform an array (and
# the reverse) on purpose; the feature-name warnings are theirs.
@pytest.mark.filterwarnings("ignore:X (does not have valid|has) feature names")
def test_extra_sklearn_checks(check):
    check("EntityEmbeddingEncoder", _fast())


# ---------------------------------------------------------------- kernels
def test_sparse_adam_touches_only_batch_rows_and_matches_numpy():
    rng = np.random.RandomState(0)
    n_rows = np.array([5, 3], dtype=np.int64)
    dims = np.array([2, 3], dtype=np.int64)
    net = _net.init_net(n_rows, dims, 0, [], 1, rng, 0.1)
    flat0 = net.flat.copy()
    codes = np.array([[1, 0], [1, 2], [3, 2]], dtype=np.int32)
    grad = rng.randn(3, 5).astype(np.float32)
    m = np.zeros_like(net.flat)
    v = np.zeros_like(net.flat)
    acc = np.zeros_like(net.flat)
    stamp = np.full(8, -1, dtype=np.int64)
    tc = np.empty(6, dtype=np.int64)
    tk = np.empty(6, dtype=np.int64)
    nt = _net_kernels.sparse_adam_step(
        net.flat,
        m,
        v,
        net.elem_base,
        net.row_base,
        net.dims,
        net.col_out,
        codes,
        grad,
        acc,
        stamp,
        1,
        tc,
        tk,
        np.float32(0.1),
        np.float32(0.9),
        np.float32(0.999),
        np.float32(1e-8),
        np.float32(0.0),
    )
    assert nt == 4  # rows (0,1), (0,3), (1,0), (1,2)
    # reference: summed gradients per row, first Adam step
    t0 = flat0[:10].reshape(5, 2).copy()
    g0 = np.zeros((5, 2))
    np.add.at(g0, codes[:, 0], grad[:, :2])
    t1 = flat0[10:].reshape(3, 3).copy()
    g1 = np.zeros((3, 3))
    np.add.at(g1, codes[:, 1], grad[:, 2:])
    for t, g, tab in [(t0, g0, net.table(0)), (t1, g1, net.table(1))]:
        mm = 0.1 * g
        vv = 0.001 * g * g
        ref = t - 0.1 * mm / (np.sqrt(vv) + 1e-8)
        touched = np.abs(g).sum(axis=1) > 0
        np.testing.assert_allclose(tab[touched], ref[touched], rtol=1e-4, atol=1e-6)
        np.testing.assert_array_equal(tab[~touched], t[~touched])


def _train_plain(net, codes, y, task):
    """Ten epochs of plain Adam: no penalty, dropout or early stopping."""
    return _net.train_net(
        net, codes, None, y, task=task, n_epochs=10, batch_size=32,
        learning_rate=1e-2, alpha=0.0, category_dropout=0.0,
        early_stopping=False, validation_fraction=0.1, n_iter_no_change=2,
        tol=0.0, rng=np.random.RandomState(2),
    )


def test_network_gradients_reduce_loss_all_tasks():
    rng = np.random.RandomState(0)
    codes = rng.randint(0, 6, size=(400, 2)).astype(np.int32)
    for task, y, n_out in [
        ("continuous", (codes[:, 0] - 2.5) / 2.0, 1),
        ("binary", (codes[:, 0] > 2).astype(float), 1),
        ("multiclass", codes[:, 0] % 3, 3),
    ]:
        net = _net.init_net(
            [6, 6], [3, 3], 0, [16], n_out, np.random.RandomState(1), 0.05
        )
        before = _net._loss(task, _net.net_forward(net, codes), y)
        info = _train_plain(net, codes, y, task)
        after = _net._loss(task, _net.net_forward(net, codes), y)
        assert after < 0.5 * before, (task, before, after)
        assert info["loss_curve"][-1] < info["loss_curve"][0]


def test_embedding_dim_rule_matches_fastai():
    assert [_net.embedding_dim_rule(n) for n in (3, 7, 14, 105, 1128, 2972)] == [
        3,
        5,
        7,
        22,
        82,
        141,
    ]
    assert _net.embedding_dim_rule(10**9) == 600


# ---------------------------------------------------------------- behaviour
@pytest.mark.slow
def test_planted_effect_is_learnt_and_ridge_beats_mean():
    X, y, effect = planted()
    enc = EntityEmbeddingEncoder(n_components=3, random_state=0, cv=None)
    enc.fit(X, y)
    emb = enc.embeddings_["a"]
    levels = sorted(effect)
    dist = lambda u, v: np.linalg.norm(emb.loc[u].to_numpy() - emb.loc[v].to_numpy())  # noqa: E731
    same = [
        dist(u, v) for u in levels for v in levels if u < v and effect[u] == effect[v]
    ]
    diff = [dist(u, v) for u in levels for v in levels if effect[u] != effect[v]]
    assert np.mean(same) < 0.5 * np.mean(diff)
    # every level's nearest neighbour has the same planted effect
    for u in levels:
        nearest = min((v for v in levels if v != u), key=lambda v: dist(u, v))
        assert effect[nearest] == effect[u]
    model = make_pipeline(
        EntityEmbeddingEncoder(random_state=0, cv=2, hidden_layer_sizes=(16,)), Ridge()
    )
    scores = cross_val_score(model, X, y, cv=KFold(3, shuffle=True, random_state=0))
    assert scores.mean() > 0.8  # noise variance 0.25 vs total ~2.9
    assert enc.net_score_ > 0.8


@pytest.mark.slow
def test_cross_fit_differs_from_transform_and_is_aligned():
    X, y, effect = planted(n=2000)
    enc = EntityEmbeddingEncoder(n_components=3, random_state=0, cv=4)
    Xcf = enc.fit_transform(X, y)
    Xin = enc.transform(X)
    # per column: the level effect, then 3 embedding dimensions
    assert Xcf.shape == Xin.shape == (2000, 8)
    assert not np.allclose(Xcf, Xin)
    # aligned: out-of-fold vectors land near the full-data vectors of the level
    err = np.linalg.norm(Xcf[:, :4] - Xin[:, :4], axis=1).mean()
    spread = np.linalg.norm(Xin[:, :4] - Xin[:, :4].mean(axis=0), axis=1).mean()
    assert err < 0.35 * spread
    # ... and a model trained on cross-fitted features works on transform output
    r = Ridge().fit(Xcf, y)
    assert r.score(Xin, y) > 0.8


@pytest.mark.slow
def test_cross_fit_prevents_leak_of_unique_ids():
    rng = np.random.RandomState(0)
    n = 1500
    X = pd.DataFrame({"id": np.arange(n).astype(str), "g": rng.choice(list("ab"), n)})
    y = (X["g"] == "a") * 1.0 + rng.randn(n)
    enc = EntityEmbeddingEncoder(random_state=0, cv=5, n_components=4)
    Xcf = enc.fit_transform(X, y)
    r_cf = Ridge().fit(Xcf[:, :5], y).score(Xcf[:, :5], y)
    Xin = enc.transform(X)
    r_in = Ridge().fit(Xin[:, :5], y).score(Xin[:, :5], y)
    assert r_cf < 0.02  # the id column carries nothing out of fold
    # one row per level: no between-level variance to estimate, so even the
    # in-sample effects of the id column are shrunk to 0
    assert r_in < 0.02


def test_missing_flavours_are_one_level():
    vals = ["a", "b", None, np.nan, pd.NA, pd.NaT] * 50
    X = pd.DataFrame({"c": pd.Series(vals, dtype=object)})
    y = np.r_[[0.0, 1.0, 5.0, 5.0, 5.0, 5.0] * 50]
    enc = _fast(n_epochs=5).fit(X, y)
    assert enc.embeddings_["c"].index.tolist() == ["a", "b", "<unknown>", "<missing>"]
    Xt = enc.transform(X)
    np.testing.assert_array_equal(Xt[2], Xt[3])
    np.testing.assert_array_equal(Xt[2], Xt[5])
    Xn = enc.set_params(handle_missing="return_nan").fit(X, y).transform(X)
    assert np.isnan(Xn[2]).all() and not np.isnan(Xn[0]).any()
    with pytest.raises(ValueError, match="handle_missing='error'"):
        _fast(handle_missing="error").fit(X, y)


def test_nullable_string_and_category_dtypes():
    s = pd.Series(["x", "y", pd.NA, "x"] * 30, dtype="string")
    c = pd.Series(["u", "v", None, "v"] * 30, dtype="category")
    X = pd.DataFrame({"s": s, "c": c, "i": [1, 2, 3, 1] * 30})
    y = np.arange(120) % 2
    enc = _fast().fit(X, y)
    assert enc.target_type_ == "binary"
    assert enc.categories_[0].tolist() == ["x", "y"]
    assert enc.categories_[1].tolist() == ["u", "v"]
    assert enc.categories_[2].tolist() == [1, 2, 3]
    Xt = enc.transform(X)
    assert Xt.shape == (120, sum(enc.embedding_dims_) + 3)
    assert not np.isnan(Xt).any()
    assert Xt.dtype == np.float32


def test_mixed_type_column_and_ints():
    X = np.array([["a", 1], [2, 1], [3.5, 2], ["a", 2]] * 20, dtype=object)
    y = np.arange(80, dtype=float)
    enc = _fast(target_type="continuous").fit(X, y)
    assert len(enc.categories_[0]) == 3
    assert enc.transform(X).shape == (80, sum(enc.embedding_dims_) + 2)
    assert enc.get_feature_names_out()[:2].tolist() == ["x0_effect", "x0_emb0"]


@pytest.mark.parametrize("handle_unknown", ["value", "zeros", "return_nan", "error"])
def test_unseen_levels(handle_unknown):
    X, y, _ = planted(n=400)
    enc = _fast(handle_unknown=handle_unknown, category_dropout=0.1).fit(X, y)
    Xnew = pd.DataFrame({"a": ["L0", "NEW"], "b": ["p", "p"]})
    if handle_unknown == "error":
        with pytest.raises(
            ValueError, match="unknown categories \\['NEW'\\] in column 'a'"
        ):
            enc.transform(Xnew)
        return
    Xt = enc.transform(Xnew)
    d = enc.embedding_dims_[0] + 1
    if handle_unknown == "value":
        np.testing.assert_allclose(Xt[1, :d], enc.embeddings_["a"].loc["<unknown>"])
    elif handle_unknown == "zeros":
        assert (Xt[1, :d] == 0).all()
    else:
        assert np.isnan(Xt[1, :d]).all()
    assert not np.isnan(Xt[0]).any()


def test_rare_levels_share_trained_unknown_row():
    X = pd.DataFrame({"a": ["f"] * 50 + ["g"] * 50 + ["r1", "r2", "r3"]})
    y = np.r_[np.zeros(50), np.ones(50), [5.0, 5.0, 5.0]]
    enc = _fast(min_frequency=5, handle_unknown="error").fit(X, y)
    assert enc.categories_[0].tolist() == ["f", "g"]
    assert enc.infrequent_categories_[0].tolist() == ["r1", "r2", "r3"]
    Xt = enc.transform(pd.DataFrame({"a": ["r1", "r3"]}))  # rare is not unknown
    np.testing.assert_array_equal(Xt[0], Xt[1])
    np.testing.assert_allclose(Xt[0], enc.embeddings_["a"].loc["<unknown>"])
    assert _fast(min_frequency=0.2).fit(X, y).categories_[0].tolist() == ["f", "g"]


def test_one_row_single_level_constant_y():
    Xt = _fast().fit_transform(np.array([["a"]], dtype=object), [1.0])
    assert Xt.shape == (1, 3) and np.isfinite(Xt).all()
    X = np.array([["a"]] * 20, dtype=object)
    Xt = _fast().fit(X, np.full(20, 3.0)).transform(X)
    assert np.isfinite(Xt).all()
    Xt = _fast(cv=3).fit_transform(X, np.full(20, 3.0))
    assert np.isfinite(Xt).all()


def test_bad_targets_have_clear_errors():
    X = np.array([["a"], ["b"], ["a"]], dtype=object)
    with pytest.raises(ValueError, match="y contains NaN"):
        _fast().fit(X, [1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="y contains NaN"):
        _fast().fit(X, np.array(["u", None, "v"], dtype=object))
    with pytest.raises(ValueError, match="requires y"):
        _fast().fit(X)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        _fast().fit(X, [1.0, 2.0])
    with pytest.raises(ValueError, match="y must be a 1-D"):
        _fast().fit(X, np.ones((3, 2)))
    with pytest.raises(ValueError, match="needs a numeric y"):
        _fast(target_type="continuous").fit(X, ["u", "v", "w"])


def test_bad_column_selections():
    X = pd.DataFrame({"a": ["x", "y"] * 5, "n": np.arange(10.0)})
    y = np.arange(10.0)
    with pytest.raises(ValueError, match="numeric_features contains 'zz'"):
        _fast(numeric_features=["zz"]).fit(X, y)
    with pytest.raises(ValueError, match="both categorical_features and numeric"):
        _fast(numeric_features=["n"], categorical_features=["n", "a"]).fit(X, y)
    with pytest.raises(ValueError, match="at least one categorical"):
        _fast(numeric_features=["a", "n"]).fit(X, y)
    with pytest.raises(
        ValueError, match="numeric_features column 'a' must hold numbers"
    ):
        _fast(numeric_features=["a"], categorical_features=["n"]).fit(X, y)
    with pytest.raises(ValueError, match="n_components has key 'n'"):
        _fast(n_components={"n": 2}, numeric_features=["n"]).fit(X, y)


def test_numeric_features_feed_the_net_only():
    rng = np.random.RandomState(0)
    n = 600
    X = pd.DataFrame({"a": rng.choice(list("abc"), n), "x": rng.randn(n)})
    y = X["x"].to_numpy() * 2 + (X["a"] == "a")
    enc = _fast(numeric_features=["x"], n_epochs=10).fit(X, y)
    assert enc.get_feature_names_out().tolist() == [
        "a_effect", *(f"a_emb{k}" for k in range(enc.embedding_dims_[0]))
    ]
    pred = enc.predict_net(X)
    assert np.corrcoef(pred, y)[0, 1] > 0.9
    assert enc.numeric_features_.tolist() == [1]


def test_multiclass_and_per_column_dims():
    X, _, effect = planted(n=600)
    y = np.array([{-2.0: "lo", 0.0: "mid", 2.0: "hi"}[effect[v]] for v in X["a"]])
    enc = _fast(n_components={"a": 5}, n_epochs=10).fit(X, y)
    assert enc.target_type_ == "multiclass"
    assert enc.embedding_dims_ == [5, 4]
    proba = enc.predict_net(X)
    assert proba.shape == (600, 3)
    assert (enc.classes_[proba.argmax(1)] == y).mean() > 0.9


@pytest.mark.slow
def test_ten_thousand_levels():
    rng = np.random.RandomState(0)
    n = 30000
    X = pd.DataFrame({"id": rng.randint(0, 10000, n).astype(str)})
    y = rng.randn(n)
    enc = EntityEmbeddingEncoder(n_epochs=2, random_state=0, cv=None).fit(X, y)
    assert len(enc.categories_[0]) > 9000
    assert enc.embeddings_["id"].shape == (len(enc.categories_[0]) + 1, 1 + 16)


def test_pickle_joblib_reproducible(tmp_path):
    X, y, _ = planted(n=500)
    enc = _fast(random_state=3).fit(X, y)
    a = enc.transform(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(enc)).transform(X), a)
    joblib.dump(enc, tmp_path / "e.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "e.joblib").transform(X), a)
    np.testing.assert_array_equal(clone(enc).fit(X, y).transform(X), a)
    cf1 = _fast(random_state=3, cv=3).fit_transform(X, y)
    cf2 = _fast(random_state=3, cv=3).fit_transform(X, y)
    np.testing.assert_array_equal(cf1, cf2)


def test_set_output_pandas_keeps_index_and_dtype_option():
    X, y, _ = planted(n=300)
    X.index = np.arange(300) * 2
    enc = _fast(dtype=np.float64).set_output(transform="pandas")
    out = enc.fit_transform(X, y)
    assert isinstance(out, pd.DataFrame)
    assert out.index.tolist() == X.index.tolist()
    assert list(out.columns) == enc.get_feature_names_out().tolist()
    assert (out.dtypes == np.float64).all()


def test_grid_search_in_pipeline():
    X, y, _ = planted(n=600)
    pipe = make_pipeline(_fast(cv=3), Ridge())
    gs = GridSearchCV(pipe, {"entityembeddingencoder__n_components": [1, 3]}, cv=2).fit(
        X, y
    )
    assert gs.best_params_["entityembeddingencoder__n_components"] in (1, 3)
    assert gs.predict(X).shape == (600,)


def test_verbose_prints_epochs(capsys):
    X, y, _ = planted(n=200)
    # include_prediction needs the fold networks even if no embedding is kept
    _fast(verbose=1, cv=2, include_prediction=True).fit_transform(X, y)
    out = capsys.readouterr().err
    assert "[EntityEmbeddingEncoder] epoch 1/3  loss=" in out
    assert "fold 2" in out


def test_flattened_embeddings_are_constant_and_skip_fold_networks(capsys):
    # the planted effect of "a" is additive: the level effects take it all,
    # the embeddings add nothing and are flattened onto the unknown row
    X, y, _ = planted(n=600)
    enc = _fast(verbose=1, cv=3)
    Xt = enc.fit_transform(X, y)
    assert enc.embeddings_kept_ == [False, False]
    assert "fold" not in capsys.readouterr().err  # no fold network trained
    names = enc.get_feature_names_out().tolist()
    emb = [i for i, v in enumerate(names) if "_emb" in v]
    assert np.ptp(Xt[:, emb], axis=0).max() == 0  # constant columns
    effect = Xt[:, names.index("a_effect")]
    assert np.corrcoef(effect, y)[0, 1] > 0.9


def test_include_prediction_column():
    X, y, _ = planted(n=900)
    enc = _fast(include_prediction=True, n_epochs=10, cv=3)
    Xcf = enc.fit_transform(X, y)
    names = enc.get_feature_names_out().tolist()
    assert names[-1] == "net_output" and len(names) == Xcf.shape[1]
    Xt = enc.transform(X)
    np.testing.assert_allclose(Xt[:, -1], enc.predict_net(X), rtol=1e-4, atol=1e-4)
    # out-of-fold predictions differ from, but track, the in-sample ones
    assert not np.allclose(Xcf[:, -1], Xt[:, -1])
    assert np.corrcoef(Xcf[:, -1], y)[0, 1] > 0.8
    multi = _fast(include_prediction=True).fit(X, (y > 0).astype(int) + (y > 1))
    assert multi.get_feature_names_out()[-3:].tolist() == [
        "net_output0",
        "net_output1",
        "net_output2",
    ]


def test_rotation_keeps_network_function():
    X, y, _ = planted(n=500)
    enc = _fast(n_epochs=5).fit(X, y)
    # principal axes: coordinates decorrelated under the level counts
    codes, _, _ = enc._transform_codes([X["a"], X["b"]])
    emb = enc._net.table(0)[codes[:, 0]].astype(float)
    cov = np.cov(emb.T)
    assert np.abs(cov - np.diag(np.diag(cov))).max() < 1e-4 * np.abs(cov).max() + 1e-6
    assert np.all(np.diff(np.diag(cov)) <= 1e-9)


def test_skip_path_network_trains():
    rng = np.random.RandomState(0)
    codes = rng.randint(0, 6, size=(400, 2)).astype(np.int32)
    y = (codes[:, 0] - 2.5) / 2.0
    net = _net.init_net(
        [6, 6], [3, 3], 0, [8], 1, np.random.RandomState(1), 0.05, skip=True
    )
    _train_plain(net, codes, y, "continuous")
    assert np.abs(net.skip).sum() > 0
    assert _net._score("continuous", _net.net_forward(net, codes), y) > 0.9


def planted_interaction(n=6000, n_levels=30, seed=0):
    """y = <u[a], v[b]> + noise: no marginal effect of a or b, plus rare levels.

    Target encoding and one-hot + a linear model only see marginal effects,
    so they cannot predict this; the network learns the latent factors.
    """
    rng = np.random.RandomState(seed)
    u = rng.randn(n_levels, 2)
    v = rng.randn(n_levels, 2)
    u -= u.mean(axis=0)
    v -= v.mean(axis=0)
    a = rng.randint(0, n_levels, n)
    b = rng.randint(0, n_levels, n)
    y = (u[a] * v[b]).sum(axis=1) + 0.3 * rng.randn(n)
    # rare levels: 150 levels seen once or twice, pure noise
    rare = rng.rand(n) < 0.03
    a = np.where(rare, n_levels + rng.randint(0, 150, n), a)
    y = np.where(rare, rng.randn(n), y)
    X = pd.DataFrame({"a": [f"a{i}" for i in a], "b": [f"b{i}" for i in b]})
    return X, y


@pytest.mark.slow
def test_planted_interaction_ee_beats_target_encoding_and_one_hot():
    from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

    X, y = planted_interaction()
    cv = KFold(3, shuffle=True, random_state=0)

    def score(encoder):
        model = make_pipeline(encoder, StandardScaler(with_mean=False), Ridge())
        return cross_val_score(model, X, y, cv=cv).mean()

    ee = score(EntityEmbeddingEncoder(include_prediction=True, random_state=0))
    te = score(TargetEncoder(cv=KFold(5, shuffle=True, random_state=0)))
    oh = score(OneHotEncoder(handle_unknown="ignore"))
    assert te < 0.1 and oh < 0.1  # no marginal signal to find
    print(f"planted interaction R2: EE {ee:.3f}, TE {te:.3f}, one-hot {oh:.3f}")
    assert ee > 0.5, (ee, te, oh)


def test_continuous_and_datetime_columns_feed_the_net():
    rng = np.random.RandomState(0)
    n = 400
    X = pd.DataFrame({
        "city": rng.choice(list("abc"), n),
        "price": rng.rand(n) * 100,  # 400 distinct non-integer floats
        "when": pd.date_range("2020-01-01", periods=n, freq="h"),
        "rooms": rng.randint(1, 5, n).astype(float),  # integral floats: a category
    })
    y = X["price"].to_numpy() / 10 + rng.randn(n)
    enc = _fast().fit(X, y)
    assert enc.numeric_features_.tolist() == [1, 2]
    assert enc.categorical_features_.tolist() == [0, 3]
    names = enc.get_feature_names_out().tolist()
    assert not any(v.startswith(("price", "when")) for v in names)
    # explicit selections win; None embeds everything, as before
    enc = _fast(categorical_features=["city", "price"]).fit(X, y)
    assert enc.categorical_features_.tolist() == [0, 1]
    assert enc.numeric_features_.tolist() == [2]
    msg = r"\(\[.price.\]\) looks continuous.*categorical_features"
    with pytest.raises(ValueError, match=msg):
        _fast().fit(X[["price"]], y)
    assert _fast(numeric_features=None).fit(X[["price"]], y).n_features_in_ == 1


def test_many_classes_from_integer_target_warn():
    X = pd.DataFrame({"a": list("abcd") * 50})
    y = np.arange(200) % 40
    with pytest.warns(UserWarning, match="40 classes .* target_type='continuous'"):
        enc = _fast().fit(X, y)
    assert enc.target_type_ == "multiclass"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _fast().fit(X, np.arange(200) % 5)  # ratings 0-4: no warning
        _fast(target_type="continuous").fit(X, y)


# ------------------------------------------- cross-fit by influence removal
def _linear_table(rng, n=4000, n_levels=20, d=2, lam=3.0):
    """Samples ``y = <J_i, e_level> + noise`` and the ridge optimum table."""
    codes = rng.randint(1, n_levels + 1, n)
    jac = rng.randn(n, d) + 1.0
    true = rng.randn(n_levels + 1, d) * 2.0
    true[0] = 0.0
    y = (jac * true[codes]).sum(axis=1) + 0.3 * rng.randn(n)
    table = np.zeros((n_levels + 1, d))
    for lv in range(1, n_levels + 1):
        m = codes == lv
        J = jac[m]
        table[lv] = np.linalg.solve(J.T @ J + lam * np.eye(d), J.T @ y[m])
    grad = (jac * table[codes]).sum(axis=1) - y
    return codes, jac, y, table, grad


def test_fold_influence_removal_is_the_leave_fold_out_refit_of_a_linear_model():
    rng = np.random.RandomState(0)
    lam = 3.0
    codes, jac, y, table, grad = _linear_table(rng, lam=lam)
    n_rows, active = table.shape[0], np.ones(2, dtype=bool)
    curv = np.ones(len(y))
    all_sums = _cross_fitting.level_sums(codes, n_rows, jac, grad, curv)
    fold = rng.rand(len(y)) < 0.2
    fold_sums = _cross_fitting.level_sums(
        codes[fold], n_rows, jac[fold], grad[fold], curv[fold]
    )
    new = _cross_fitting.remove_fold_influence(table, active, all_sums, fold_sums, lam)
    out = ~fold
    for lv in range(1, n_rows):
        m = out & (codes == lv)
        J = jac[m]
        exact = np.linalg.solve(J.T @ J + lam * np.eye(2), J.T @ y[m])
        share = np.mean(fold[codes == lv])
        step = np.linalg.norm(exact - table[lv])
        if step < share * np.linalg.norm(table[lv]):  # the cap does not bind
            np.testing.assert_allclose(new[lv], exact, rtol=1e-8, atol=1e-10)
        # never more than the fold's share of the row's distance to the unknown row
        assert np.linalg.norm(new[lv] - table[lv]) <= share * np.linalg.norm(
            table[lv]
        ) + 1e-12
    np.testing.assert_array_equal(new[0], table[0])


@pytest.mark.parametrize("max_bytes", [None, 0])
def test_fold_level_sums_one_pass_or_fold_by_fold_agree(max_bytes):
    # one pass over (level, fold) pairs while it fits the budget; fold by
    # fold, on demand, above it (memory O(levels * d^2) for any level count)
    rng = np.random.RandomState(2)
    codes, jac, y, table, grad = _linear_table(rng, n=900, n_levels=40, lam=1.0)
    curv = rng.rand(len(y))
    fold_of = rng.randint(0, 3, size=len(y))
    sums, folds = _cross_fitting.fold_level_sums(
        codes, table.shape[0], jac, grad, curv, fold_of, 3, max_bytes=max_bytes
    )
    assert len(folds) == 3
    direct = _cross_fitting.level_sums(codes, table.shape[0], jac, grad, curv)
    for got, want in zip(sums, direct):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    for k in range(3):
        m = fold_of == k
        want = _cross_fitting.level_sums(
            codes[m], table.shape[0], jac[m], grad[m], curv[m]
        )
        for got, w in zip(folds[k], want):
            np.testing.assert_allclose(got, w, rtol=1e-12, atol=1e-12)


def test_calibrate_ridge_finds_the_penalty_of_an_optimal_table():
    rng = np.random.RandomState(1)
    codes, jac, y, table, grad = _linear_table(rng, n=3000, n_levels=300, lam=30.0)
    sums = _cross_fitting.level_sums(
        codes, table.shape[0], jac, grad, np.ones(len(y))
    )
    lam = _cross_fitting.calibrate_ridge(table, np.ones(2, dtype=bool), sums)
    assert 30.0 / 4 < lam < 30.0 * 4  # the grid steps by 10 ** 0.5


@pytest.fixture
def train_calls(monkeypatch):
    """A list that grows by one per network training (``_net.train_net``)."""
    calls = []
    train = _net.train_net

    def counting(*args, **kwargs):
        calls.append(1)
        return train(*args, **kwargs)

    monkeypatch.setattr(_net, "train_net", counting)
    return calls


@pytest.mark.slow
def test_cross_fit_trains_fold_networks_only_for_the_prediction(train_calls):
    X, y = planted_interaction(n=1500, n_levels=8)
    calls = train_calls
    enc = EntityEmbeddingEncoder(random_state=0, cv=3, n_components=3)
    Xcf = enc.fit_transform(X, y)
    assert all(enc.embeddings_kept_)
    assert len(calls) == 1  # the full-data network only
    # each fold's tables stay in the full network's space, near its rows
    Xin = enc.transform(X)
    emb = [1, 2, 3, 5, 6, 7]
    err = np.linalg.norm(Xcf[:, emb] - Xin[:, emb], axis=1).mean()
    spread = np.linalg.norm(Xin[:, emb] - Xin[:, emb].mean(axis=0), axis=1).mean()
    assert 0 < err < 0.2 * spread
    calls.clear()
    enc.set_params(include_prediction=True).fit_transform(X, y)
    assert len(calls) == 4  # out-of-fold predictions need the fold networks


@pytest.mark.slow
def test_planted_interaction_survives_the_cross_fit():
    # the embeddings a downstream model is trained on come from the cross-fit
    # (fold tables without the fold's influence); trees must still find the
    # interaction on transform's output of held-out rows
    from sklearn.ensemble import HistGradientBoostingRegressor

    X, y = planted_interaction(n=4000, n_levels=10)
    enc = EntityEmbeddingEncoder(random_state=0, cv=3)
    Xcf = enc.fit_transform(X.iloc[:3000], y[:3000])
    hgb = HistGradientBoostingRegressor(random_state=0).fit(Xcf, y[:3000])
    assert hgb.score(enc.transform(X.iloc[3000:]), y[3000:]) > 0.7


def test_training_updates_non_contiguous_parameters():
    """A network whose weight matrix is a transposed (non-C-contiguous) view
    trains exactly as its C-ordered twin: the training kernel works on
    C-ordered arrays, so the driver swaps such a parameter for a C-ordered
    copy inside the network, and the update must land there, not in a
    discarded copy."""
    rng = np.random.RandomState(0)
    codes = rng.randint(0, 6, size=(300, 2)).astype(np.int32)
    y = (codes[:, 0] - 2.5) / 2.0
    nets = [
        _net.init_net([6, 6], [3, 3], 0, [8], 1, np.random.RandomState(1), 0.05)
        for _ in range(2)
    ]
    w0 = nets[0].weights[0].copy()
    nets[1].weights[0] = np.asarray(np.ascontiguousarray(w0.T).T)  # F-ordered
    assert not nets[1].weights[0].flags.c_contiguous
    for net in nets:
        _train_plain(net, codes, y, "continuous")
    assert not np.array_equal(nets[0].weights[0], w0)  # training moved them
    for a, b in zip(nets[0].weights, nets[1].weights, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(nets[0].flat, nets[1].flat)


# ------------------------------------------------------------------- encode
def test_encode_selects_blocks_of_the_same_fit():
    # every encode value returns the matching columns of the full output, in
    # transform, the cross-fitted fit_transform and get_feature_names_out
    X, y = planted_interaction(n=1500, n_levels=8)
    full = EntityEmbeddingEncoder(random_state=0, cv=3, n_components=3)
    cf_full = full.fit_transform(X, y)
    tr_full = full.transform(X)
    names = full.get_feature_names_out().tolist()
    assert all(full.embeddings_kept_)
    for encode, part in (("effects", "_effect"), ("embeddings", "_emb")):
        idx = [i for i, n in enumerate(names) if part in n]
        enc = clone(full).set_params(encode=encode)
        cf = enc.fit_transform(X, y)
        assert enc.get_feature_names_out().tolist() == [names[i] for i in idx]
        np.testing.assert_array_equal(enc.transform(X), tr_full[:, idx])
        # "embeddings": the same network and fold tables; "effects": no
        # network, but the effects are fitted before it, so the same too
        np.testing.assert_array_equal(cf, cf_full[:, idx])
        # the fitted tables still show both blocks
        assert enc.embeddings_["a"].columns.tolist() == [
            n for n in names if n.startswith("a_")
        ]
    # encode can be changed after fit, like include_prediction
    full.set_params(encode="effects")
    assert full.transform(X).shape[1] == 2


def test_encode_effects_trains_no_network(train_calls):
    X, y = planted_interaction(n=1500, n_levels=8)
    calls = train_calls
    enc = EntityEmbeddingEncoder(random_state=0, cv=3, encode="effects")
    Xcf = enc.fit_transform(X, y)
    assert calls == [] and enc.n_iter_ == 0 and enc.best_epoch_ == 0
    assert enc.embeddings_kept_ == [False, False] and enc.net_score_ is None
    assert enc.get_feature_names_out().tolist() == ["a_effect", "b_effect"]
    assert Xcf.shape == (1500, 2)
    # the prediction needs the network: trained (full data and per fold)
    enc.set_params(include_prediction=True).fit_transform(X, y)
    assert len(calls) == 4
    assert enc.get_feature_names_out().tolist() == [
        "a_effect", "b_effect", "net_output"
    ]


def test_encode_multiclass_missing_and_pandas_output():
    X, y, _ = planted(n=600)
    X.loc[::7, "b"] = None
    yc = (y > 0).astype(int) + (y > 1)
    enc = _fast(encode="effects", cv=3, handle_missing="return_nan")
    enc.set_output(transform="pandas")
    out = enc.fit_transform(X, yc)
    assert out.columns.tolist() == [f"{c}_effect{k}" for c in "ab" for k in range(3)]
    assert out.loc[X["b"].isna(), "b_effect0"].isna().all()
    assert not out["a_effect0"].isna().any()
    emb = _fast(encode="embeddings").fit(X, yc).set_output(transform="pandas")
    assert all("_emb" in c for c in emb.transform(X).columns)


def test_encode_bad_value_and_grid_search():
    X, y, _ = planted(n=600)
    with pytest.raises(ValueError, match="'encode' parameter .* must be a str among"):
        _fast(encode="both").fit(X, y)
    pipe = make_pipeline(_fast(cv=3), Ridge())
    gs = GridSearchCV(
        pipe,
        {"entityembeddingencoder__encode": ["effects+embeddings", "effects"]},
        cv=2,
    ).fit(X, y)
    assert gs.best_params_["entityembeddingencoder__encode"] in (
        "effects+embeddings", "effects"
    )


def test_encode_survives_save_model(tmp_path):
    from skembed import load_model, save_model

    X, y, _ = planted(n=400)
    enc = _fast(encode="effects").fit(X, y)
    save_model(enc, tmp_path / "e.skembed")
    back = load_model(tmp_path / "e.skembed")
    assert back.encode == "effects"
    np.testing.assert_array_equal(back.transform(X), enc.transform(X))
    assert back.get_feature_names_out().tolist() == ["a_effect", "b_effect"]


def test_encode_polars_names():
    pl = pytest.importorskip("polars")
    X, y, _ = planted(n=400)
    enc = _fast(encode="effects").fit(pl.from_pandas(X), y)
    assert enc.get_feature_names_out().tolist() == ["a_effect", "b_effect"]
    enc.set_output(transform="polars")
    out = enc.transform(pl.from_pandas(X))
    assert isinstance(out, pl.DataFrame) and out.columns == ["a_effect", "b_effect"]


def test_encode_on_a_model_saved_before_the_effects():
    # entity files saved before #14 have no level effects: "effects" and
    # "embeddings" cannot be told apart there, so only the default works
    import warnings
    from pathlib import Path

    from skembed import load_model

    path = Path(__file__).parents[1] / "fixtures" / "saved" / "entity-binary-cv.skembed"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # saved by an older version
        enc = load_model(path)
    assert enc.encode == "effects+embeddings"
    names = enc.get_feature_names_out().tolist()
    X = pd.DataFrame({c: [None] for c in enc.feature_names_in_})
    enc.set_params(encode="effects")
    for call in (enc.get_feature_names_out, lambda: enc.transform(X)):
        with pytest.raises(ValueError, match="encode='effects' needs the level effects"):
            call()
    assert enc.set_params(encode="effects+embeddings").get_feature_names_out().tolist() == names


@pytest.mark.parametrize(
    "params, patience",
    [({}, 1), ({"include_prediction": True}, 2), ({"n_iter_no_change": 3}, 3),
     ({"include_prediction": True, "n_iter_no_change": 1}, 1)],
)
def test_auto_patience_follows_include_prediction(monkeypatch, params, patience):
    # "auto": one epoch of patience for the encoded columns, two when the
    # network's own prediction is part of the output
    seen = []
    train = _net.train_net

    def recording(*args, **kwargs):
        seen.append(kwargs["n_iter_no_change"])
        return train(*args, **kwargs)

    monkeypatch.setattr(_net, "train_net", recording)
    X, y = planted_interaction(n=400, n_levels=5)
    EntityEmbeddingEncoder(random_state=0, cv=None, n_epochs=2, **params).fit(X, y)
    assert seen == [patience]


def test_bad_n_iter_no_change_names_the_argument():
    X, y = planted_interaction(n=200, n_levels=4)
    with pytest.raises(ValueError, match="n_iter_no_change"):
        EntityEmbeddingEncoder(n_iter_no_change="long").fit(X, y)
