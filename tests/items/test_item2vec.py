"""Tests of Item2VecTransformer, baskets_from_frame, recommendation_scorer
and the engine's ``n_context`` / ``max_context`` / shared-negative flushing
used by the set context."""

import pickle
import time
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skembed import Item2VecTransformer, baskets_from_frame, recommendation_scorer
from skembed._engine._driver import train_sgns

FAST = dict(n_components=8, n_epochs=5, random_state=0)


def planted_baskets(
    n_baskets=300, n_clusters=4, cluster_size=8, size=6, noise=0.0, seed=0, prefix="c"
):
    """Baskets drawn from one cluster of items each (Zipf-ish popularity).

    Returns (baskets, clusters, labels): item ids ``f"{prefix}{c}_{i}"``.
    """
    rng = np.random.RandomState(seed)
    clusters = [
        [f"{prefix}{c}_{i}" for i in range(cluster_size)] for c in range(n_clusters)
    ]
    p = 1.0 / np.arange(1, cluster_size + 1)
    p /= p.sum()
    everything = [it for c in clusters for it in c]
    baskets, labels = [], []
    for _ in range(n_baskets):
        c = rng.randint(n_clusters)
        b = list(rng.choice(clusters[c], size=size, replace=False, p=p))
        if noise and rng.rand() < noise:
            b[rng.randint(size)] = everything[rng.randint(len(everything))]
        baskets.append(b)
        labels.append(c)
    return baskets, clusters, np.asarray(labels)


@pytest.fixture(scope="module")
def data():
    return planted_baskets()


@pytest.fixture(scope="module")
def fitted(data):
    return Item2VecTransformer(**FAST).fit(data[0])


# ----------------------------------------------------------- tier A checks




def test_tags():
    tags = Item2VecTransformer().__sklearn_tags__()
    assert tags.input_tags.two_d_array is False
    assert tags.transformer_tags.preserves_dtype == []
    assert Item2VecTransformer(n_jobs=2).__sklearn_tags__().non_deterministic


# ------------------------------------------------------- fixture contract
def test_fit_returns_self_and_keeps_params(data):
    est = Item2VecTransformer(**FAST)
    before = est.get_params()
    assert est.fit(data[0]) is est
    assert est.get_params() == before


def test_refit_identical_and_pickle(data, tmp_path):
    X = data[0]
    a = Item2VecTransformer(**FAST).fit(X)
    b = Item2VecTransformer(**FAST).fit(X)
    np.testing.assert_array_equal(a.item_vectors_, b.item_vectors_)
    np.testing.assert_array_equal(a.transform(X), b.transform(X))
    # refit of the same object ignores the earlier fit
    np.testing.assert_array_equal(a.fit(X).item_vectors_, b.item_vectors_)
    c = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(c.transform(X), a.transform(X))
    joblib.dump(a, tmp_path / "i2v.joblib")
    d = joblib.load(tmp_path / "i2v.joblib")
    np.testing.assert_array_equal(d.transform(X), a.transform(X))
    np.testing.assert_array_equal(
        d.recommend_batch(X[:5], 3)[0], a.recommend_batch(X[:5], 3)[0]
    )


def test_transform_commutes_with_reorder_and_subset(fitted, data):
    X = data[0]
    full = fitted.transform(X)
    perm = np.random.RandomState(1).permutation(len(X))
    np.testing.assert_allclose(fitted.transform([X[i] for i in perm]), full[perm])
    np.testing.assert_allclose(fitted.transform(X[10:20]), full[10:20])


@pytest.mark.parametrize("bad", ["milk bread", b"milk", []], ids=repr)
def test_bad_input_value_error(bad, fitted):
    with pytest.raises(ValueError, match="X"):
        Item2VecTransformer(**FAST).fit(bad)
    with pytest.raises(ValueError, match="X"):
        fitted.transform(bad)


@pytest.mark.parametrize("bad", [None, 3, 2.5], ids=repr)
def test_bad_input_type_error(bad):
    with pytest.raises(TypeError, match="X"):
        Item2VecTransformer(**FAST).fit(bad)


def test_unhashable_item_is_clear_error():
    with pytest.raises(TypeError, match=r"X\[1\].*hashable"):
        Item2VecTransformer(**FAST).fit([["a", "b"], ["a", ["nested"]]])


def test_no_item_after_min_count():
    with pytest.raises(ValueError, match="min_count=3"):
        Item2VecTransformer(min_count=3, **FAST).fit([["a", "b"], ["c"]])
    with pytest.raises(ValueError, match="No item"):
        Item2VecTransformer(**FAST).fit([[None], [np.nan]])


def test_not_fitted():
    est = Item2VecTransformer()
    for call in (
        lambda: est.transform([["a"]]),
        lambda: est.most_similar("a"),
        lambda: est.recommend(["a"]),
        lambda: est.recommend_batch([["a"]]),
        lambda: est.get_feature_names_out(),
    ):
        with pytest.raises(NotFittedError):
            call()


def test_set_output_pandas_keeps_series_index(data):
    X = pd.Series(data[0][:50], index=[f"b{i}" for i in range(50)])
    est = Item2VecTransformer(**FAST).set_output(transform="pandas").fit(X)
    out = est.transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(X.index)
    names = est.get_feature_names_out()
    assert len(names) == out.shape[1] == 8
    assert list(out.columns) == list(names)
    assert names[0] == "item2vectransformer0"


def test_clone_unfitted(fitted):
    c = clone(fitted)
    assert c.get_params() == fitted.get_params()
    assert not hasattr(c, "item_vectors_")


# -------------------------------------------------------------- input forms
def test_input_forms_agree(data):
    X = data[0][:60]
    ref = Item2VecTransformer(**FAST).fit(X)
    Z = ref.transform(X)
    arr = np.empty(len(X), dtype=object)
    arr[:] = [list(b) for b in X]
    forms = {
        "series": pd.Series(X),
        "object array": arr,
        "2-D array": np.asarray(X, dtype=object),
        "tuples": [tuple(b) for b in X],
        "generator": (b for b in X),
        "frame rows": pd.DataFrame(X),
    }
    for name, form in forms.items():
        est = Item2VecTransformer(**FAST).fit(form)
        np.testing.assert_array_equal(
            est.item_vectors_, ref.item_vectors_, err_msg=name
        )
        if name != "generator":
            np.testing.assert_array_equal(est.transform(form), Z, err_msg=name)


def test_scalar_cells_are_baskets_of_one(fitted):
    ids = ["c0_0", "c1_3", "c2_1"]
    np.testing.assert_array_equal(
        fitted.transform(ids), fitted.transform([[i] for i in ids])
    )
    np.testing.assert_array_equal(
        fitted.transform(pd.DataFrame({"item": ids})), fitted.transform(ids)
    )
    rows = [fitted.vocabulary_[i] for i in ids]
    np.testing.assert_array_equal(fitted.transform(ids), fitted.item_vectors_[rows])


def test_any_hashable_item_ids():
    baskets = [[1, "1", (1, 2), 2.5], [(1, 2), 1, np.int64(3)], [3, "1"]]
    est = Item2VecTransformer(**FAST).fit(baskets)
    assert set(est.vocabulary_) == {1, "1", (1, 2), 2.5, 3}
    assert est.items_.dtype == object
    assert est.items_[est.vocabulary_[(1, 2)]] == (1, 2)
    # numpy scalars and Python scalars are the same item
    np.testing.assert_array_equal(est.transform([[np.int64(1)]]), est.transform([1]))
    ints = Item2VecTransformer(**FAST).fit([[10, 20], [20, 30]])
    assert ints.items_.dtype == np.int64
    assert ints.items_.tolist() == [20, 10, 30]


def test_missing_items_skipped_and_counted():
    est = Item2VecTransformer(**FAST).fit(
        [["a", None, "b"], ["b", np.nan, pd.NA], [None]]
    )
    assert est.n_missing_items_ == 4
    assert set(est.vocabulary_) == {"a", "b"}
    Z = est.transform([["a", None], [np.nan], np.nan])
    np.testing.assert_array_equal(Z[0], est.item_vectors_[est.vocabulary_["a"]])
    np.testing.assert_array_equal(Z[1:], 0.0)


def test_long_format_frame():
    log = pd.DataFrame(
        {
            "user": ["u1", "u2", "u1", "u2", "u1", "u3"],
            "item": ["a", "b", "c", "a", "b", "c"],
            "t": [3, 1, 1, 2, 2, 5],
        }
    )
    baskets = baskets_from_frame(log, "user", "item", order_col="t")
    assert baskets.to_dict() == {"u1": ["c", "b", "a"], "u2": ["b", "a"], "u3": ["c"]}
    assert baskets.index.name == "user"
    unordered = baskets_from_frame(log, "user", "item")
    assert unordered["u1"] == ["a", "c", "b"]
    est = Item2VecTransformer(
        basket_col="user", item_col="item", order_col="t", context="sequence", **FAST
    ).fit(log)
    ref = Item2VecTransformer(context="sequence", **FAST).fit(baskets)
    np.testing.assert_array_equal(est.item_vectors_, ref.item_vectors_)
    Z = est.transform(log)
    assert Z.shape == (3, 8)
    np.testing.assert_allclose(Z, ref.transform(baskets))
    est.set_output(transform="pandas")
    out = est.transform(log)
    assert list(out.index) == ["u1", "u2", "u3"]
    # lists still work on an estimator configured for long frames
    assert est.transform([["a"]]).shape == (1, 8)
    with pytest.raises(ValueError, match="item_col"):
        Item2VecTransformer(basket_col="user", **FAST).fit(log)
    with pytest.raises(ValueError, match="order_col='when'"):
        baskets_from_frame(log, "user", "item", order_col="when")
    with pytest.raises(ValueError, match="missing basket ids"):
        baskets_from_frame(
            log.assign(user=[None, "u2", "u1", "u2", "u1", "u3"]), "user", "item"
        )
    with pytest.raises(TypeError, match="DataFrame"):
        baskets_from_frame([["a"]], "user", "item")


# ------------------------------------------------------ transform semantics
def test_pooling_exact_values(fitted):
    b = ["c0_0", "c0_0", "c1_2", "unknown"]
    rows = [fitted.vocabulary_[i] for i in b[:3]]
    V = fitted.item_vectors_.astype(np.float64)
    mean = fitted.transform([b])[0]
    np.testing.assert_allclose(mean, V[rows].mean(axis=0), rtol=1e-5, atol=1e-7)
    s = clone(fitted).set_params(pooling="sum")
    s.__dict__.update({k: v for k, v in fitted.__dict__.items() if k.endswith("_")})
    np.testing.assert_allclose(
        s.transform([b])[0], V[rows].sum(axis=0), rtol=1e-5, atol=1e-7
    )
    t = clone(fitted).set_params(pooling="tfidf")
    t.__dict__.update({k: v for k, v in fitted.__dict__.items() if k.endswith("_")})
    w = fitted.idf_[rows]
    np.testing.assert_allclose(
        t.transform([b])[0],
        (w[:, None] * V[rows]).sum(0) / w.sum(),
        rtol=1e-5,
        atol=1e-7,
    )
    # empty and unknown-only baskets anywhere (also last) pool to zeros
    Z = t.transform([[], b, ["unknown"], []])
    np.testing.assert_array_equal(Z[[0, 2, 3]], 0.0)
    np.testing.assert_allclose(Z[1], t.transform([b])[0])
    # idf: log((1 + n) / (1 + df)) + 1
    n = fitted.n_baskets_
    assert np.all(fitted.idf_ >= 1.0)
    baskets = planted_baskets()[0]
    for item in ("c0_0", "c2_5"):
        df = sum(item in b for b in baskets)
        assert np.isclose(
            fitted.idf_[fitted.vocabulary_[item]], np.log((1 + n) / (1 + df)) + 1
        )
    idf = dict(zip(fitted.items_.tolist(), fitted.idf_, strict=True))
    assert idf["c0_7"] > idf["c0_0"]
    assert n == 300


@pytest.mark.parametrize("handle_unknown", ["zeros", "nan", "error"])
def test_handle_unknown(handle_unknown, data):
    est = Item2VecTransformer(handle_unknown=handle_unknown, **FAST).fit(data[0])
    known = est.transform([["c0_0"]])[0]
    if handle_unknown == "error":
        with pytest.raises(ValueError, match="unknown item.*'zz'"):
            est.transform([["c0_0", "zz"]])
        # an empty basket is not an unknown item
        np.testing.assert_array_equal(est.transform([[]]), 0.0)
        return
    Z = est.transform([["c0_0", "zz"], ["zz"], []])
    np.testing.assert_array_equal(Z[0], known)
    fill = 0.0 if handle_unknown == "zeros" else np.nan
    np.testing.assert_array_equal(Z[1:], np.full((2, 8), fill, dtype=np.float32))


def test_verbose_prints(data, capsys):
    Item2VecTransformer(verbose=1, **{**FAST, "n_epochs": 2}).fit(data[0])
    out = capsys.readouterr().err
    assert "300 baskets, 32 items" in out
    assert "[Item2VecTransformer] epoch 2/2" in out


def test_n_jobs_2_runs(data):
    est = Item2VecTransformer(n_jobs=2, **FAST).fit(data[0])
    assert np.isfinite(est.item_vectors_).all()


# ----------------------------------------------------- planted structure
def _cluster_purity(est, clusters, topn=3):
    label = {it: c for c, items in enumerate(clusters) for it in items}
    hits = []
    for it in label:
        for other in est.most_similar(it, topn=topn)[0]:
            hits.append(label[other] == label[it])
    return np.mean(hits)


@pytest.mark.parametrize("context", ["set", "sequence", "shuffle"])
def test_planted_clusters_recovered(context):
    baskets, clusters, _ = planted_baskets(n_baskets=400, noise=0.1, seed=3)
    est = Item2VecTransformer(
        n_components=16, n_epochs=10, context=context, window=2, random_state=0
    ).fit(baskets)
    assert _cluster_purity(est, clusters) >= 0.9


def test_set_context_ignores_order():
    """With window=1, "sequence" only links neighbours; "set" links all."""
    rng = np.random.RandomState(0)
    # items a_i always at the two ends of the basket, never adjacent
    baskets = []
    for _ in range(300):
        mid = list(rng.choice([f"m{i}" for i in range(20)], size=6, replace=False))
        k = rng.randint(3)
        baskets.append([f"a{k}"] + mid + [f"b{k}"])
    kw = dict(
        n_components=16, n_epochs=15, random_state=0, window=1, shrink_window=False
    )
    set_ = Item2VecTransformer(context="set", **kw).fit(baskets)
    seq = Item2VecTransformer(context="sequence", **kw).fit(baskets)

    # first-order (input . output) scores: b0 is a0's partner only when the
    # whole basket is context
    assert set_.recommend(["a0"], k=1)[0][0] == "b0"
    assert "b0" not in seq.recommend(["a0"], k=3)[0].tolist()


def test_most_similar(fitted):
    """One return convention with recommend: (items, scores) arrays."""
    items, scores = fitted.most_similar("c1_0", topn=5)
    assert items.shape == scores.shape == (5,)
    assert scores.dtype == np.float32
    assert "c1_0" not in items.tolist()
    assert scores.tolist() == sorted(scores.tolist(), reverse=True)
    assert all(-1.0 <= s <= 1.0 + 1e-6 for s in scores)
    for it, sc in zip(items, scores, strict=True):
        assert fitted.similarity("c1_0", it) == pytest.approx(float(sc), abs=1e-6)
    assert fitted.similarity("c1_0", "c1_0") == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(KeyError, match="not in the vocabulary"):
        fitted.similarity("c1_0", "nope")
    rec_items, _ = fitted.recommend(["c1_0"], k=5)
    assert type(rec_items) is type(items) and rec_items.dtype == items.dtype
    assert len(fitted.most_similar("c1_0", topn=1000)[0]) == len(fitted.items_) - 1
    with pytest.raises(KeyError, match="'nope' is not in the vocabulary"):
        fitted.most_similar("nope")
    with pytest.raises(KeyError, match="not in the vocabulary"):
        fitted.most_similar(["c1_0"])
    with pytest.raises(ValueError, match="topn must be a positive int"):
        fitted.most_similar("c1_0", topn=0)


def test_wv_keyed_vectors(fitted):
    from skembed import KeyedVectors

    assert isinstance(fitted.wv_, KeyedVectors)
    assert fitted.wv_.index_to_key == fitted.items_.tolist()
    np.testing.assert_array_equal(
        fitted.wv_["c0_1"], fitted.item_vectors_[fitted.vocabulary_["c0_1"]]
    )
    ours, our_scores = fitted.most_similar("c0_1", topn=4)
    theirs = fitted.wv_.most_similar("c0_1", topn=4)
    assert ours.tolist() == [k for k, _ in theirs]
    np.testing.assert_allclose(our_scores, [s for _, s in theirs], rtol=1e-5)
    np.testing.assert_array_equal(fitted.wv_.counts, fitted.item_counts_)


# -------------------------------------------------------------- recommend
def test_recommend_api(fitted, data):
    items, scores = fitted.recommend(["c2_0", "c2_1"], k=4)
    assert items.shape == scores.shape == (4,)
    assert not {"c2_0", "c2_1"} & set(items.tolist())
    assert np.all(np.diff(scores) <= 0)
    keep, _ = fitted.recommend(["c2_0"], k=3, exclude_seen=False)
    assert keep.shape == (3,)
    # batch == one by one
    B = data[0][:7]
    bi, bs = fitted.recommend_batch(B, k=5, scoring="cosine")
    assert bi.shape == bs.shape == (7, 5)
    for row, b in enumerate(B):
        i1, s1 = fitted.recommend(b, k=5, scoring="cosine")
        np.testing.assert_array_equal(i1, bi[row])
        np.testing.assert_allclose(s1, bs[row], rtol=1e-5)
    # inout scores are exact matrix products
    b = ["c3_0", "c3_2"]
    rows = [fitted.vocabulary_[i] for i in b]
    q = fitted.item_vectors_[rows].mean(axis=0)
    full = fitted.output_vectors_ @ q
    i1, s1 = fitted.recommend(b, k=3, recency=None)  # plain mean
    np.testing.assert_allclose(
        s1, full[[fitted.vocabulary_[i] for i in i1]], rtol=1e-4, atol=1e-6
    )
    # k capped by the catalogue; padding marked -inf when all items are seen
    everything = fitted.items_.tolist()
    ii, ss = fitted.recommend(everything[:-2], k=100)
    assert ii.shape == (len(everything),)
    assert set(ii[:2].tolist()) == set(everything[-2:])
    assert np.isneginf(ss[2:]).all()


def test_recommend_last_n(fitted):
    b = ["c0_0", "c0_1", "zz", "c3_0", "c3_1"]
    # last_n=2 queries with the last two known items, excludes all seen
    items, scores = fitted.recommend(b, k=4, last_n=2)
    ref_items, ref_scores = fitted.recommend(["c3_0", "c3_1"], k=6)
    keep = [i for i in ref_items.tolist() if i not in b][:4]
    assert items.tolist() == keep
    assert not set(b) & set(items.tolist())
    full, _ = fitted.recommend(b, k=4, last_n=100)
    np.testing.assert_array_equal(full, fitted.recommend(b, k=4)[0])
    bi, _ = fitted.recommend_batch([b, [], ["c1_0"]], k=3, last_n=1)
    assert bi.shape == (3, 3)
    with pytest.raises(ValueError, match="last_n must be a positive int"):
        fitted.recommend(b, last_n=0)


def test_recommend_recency(fitted):
    b = ["c0_0", "c0_1", "zz", "c3_0", "c3_1"]
    rows = [fitted.vocabulary_[i] for i in b if i != "zz"]
    # the unknown item is skipped: ages 3, 2, 1, 0 over the known items
    w = 0.5 ** np.array([3.0, 2.0, 1.0, 0.0])
    q = (w / w.sum()) @ fitted.item_vectors_[rows]
    ref = fitted.output_vectors_ @ q
    items, scores = fitted.recommend(b, k=3, recency=0.5)
    np.testing.assert_allclose(
        scores, ref[[fitted.vocabulary_[i] for i in items]], rtol=1e-4, atol=1e-5
    )
    assert not set(b) & set(items.tolist())
    # recency=1 is the plain mean; with last_n the weights run over the tail
    np.testing.assert_array_equal(
        fitted.recommend(b, k=4, recency=1.0)[0],
        fitted.recommend(b, k=4, recency=None)[0],
    )
    # the default ("auto") weighs by the fitted recency_
    np.testing.assert_array_equal(
        fitted.recommend(b, k=4)[0],
        fitted.recommend(b, k=4, recency=fitted.recency_)[0],
    )
    np.testing.assert_array_equal(
        fitted.recommend(b, k=4, last_n=1, recency=0.3)[0],
        fitted.recommend(b, k=4, last_n=1)[0],
    )
    bi, bs = fitted.recommend_batch([b, [], ["c1_0"]], k=3, recency=0.8,
                                    scoring="cosine")
    assert bi.shape == (3, 3) and np.isnan(bs[1]).all()
    for bad in (0, 1.5, -0.2, True, "0.5"):
        with pytest.raises(ValueError, match=r"recency must be 'auto', None or a"):
            fitted.recommend(b, recency=bad)


def _drifting_histories(n_users=300, n_clusters=12, cluster_size=8, length=12,
                        seed=0):
    """Time-ordered histories that drift: each user walks through consecutive
    clusters of items (2 to 3 items of each), so the next item is best told
    by the last ones. Item ids are shuffled ints, unrelated to the order."""
    rng = np.random.RandomState(seed)
    names = rng.permutation(n_clusters * cluster_size)
    hists = []
    for _ in range(n_users):
        c = rng.randint(n_clusters)
        h = []
        while len(h) < length:
            k = rng.randint(2, 4)
            items = rng.choice(cluster_size, k, replace=False) + c * cluster_size
            h.extend(int(names[i]) for i in items)
            c = (c + 1) % n_clusters
        hists.append(h[:length])
    return hists


def test_recency_auto_follows_the_order_of_the_baskets():
    """fit decides whether recommend's default query weighting is by recency:
    yes for histories whose order tells the next item, no for the same items
    shuffled or listed in sorted order of their ids (a set)."""
    hists = _drifting_histories()
    est = Item2VecTransformer(n_components=16, n_epochs=10, random_state=0)
    assert est.fit(hists).recency_ == 0.8
    rng = np.random.RandomState(1)
    shuffled = [list(rng.permutation(h)) for h in hists]
    assert est.fit(shuffled).recency_ is None
    assert est.fit([sorted(h) for h in hists]).recency_ is None
    # the default query weighting is the fitted one
    est.fit(hists)
    q = hists[0][:6]
    np.testing.assert_array_equal(est.recommend(q)[0],
                                  est.recommend(q, recency=0.8)[0])
    # baskets too short to tell: no weighting
    assert Item2VecTransformer(**FAST).fit([["a", "b"]] * 20).recency_ is None


def test_recency_auto_of_a_model_without_recency_(fitted):
    """A model saved before recency_ existed keeps the former default, 0.8."""
    est = pickle.loads(pickle.dumps(fitted))
    del est.recency_
    b = ["c0_0", "c1_1", "c3_0"]
    np.testing.assert_array_equal(est.recommend(b, k=4)[0],
                                  est.recommend(b, k=4, recency=0.8)[0])


def test_recommend_logsumexp(fitted):
    b = ["c0_0", "zz", "c3_0", "c3_1", "c0_0"]
    rows = [fitted.vocabulary_[i] for i in b if i != "zz"]
    logits = fitted.item_vectors_[rows].astype(np.float64) @ (
        fitted.output_vectors_.astype(np.float64).T
    )
    for recency, temperature in ((None, 1.0), (0.5, 1.0), (None, 2.0),
                                 (0.5, 0.3)):
        age = np.arange(len(rows))[::-1]
        w = np.ones(len(rows)) if recency is None else recency ** age
        w /= w.sum()
        ref = temperature * np.log(
            (w[:, None] * np.exp(logits / temperature)).sum(axis=0)
        )
        items, scores = fitted.recommend(b, k=4, scoring="logsumexp",
                                         recency=recency, temperature=temperature)
        assert not set(b) & set(items.tolist())
        np.testing.assert_allclose(
            scores, ref[[fitted.vocabulary_[i] for i in items]], rtol=1e-4,
            atol=1e-4,
        )
    # one query item: the same ranking as inout; batches of mixed baskets,
    # cold ones included, agree with one-by-one calls
    np.testing.assert_array_equal(
        fitted.recommend(["c2_0"], k=5, scoring="logsumexp")[0],
        fitted.recommend(["c2_0"], k=5)[0],
    )
    batch = [b, [], ["zz"], ["c1_0"], b[:2]]
    bi, bs = fitted.recommend_batch(batch, k=3, scoring="logsumexp")
    for row, basket in enumerate(batch):
        one_i, one_s = fitted.recommend(basket, k=3, scoring="logsumexp")
        np.testing.assert_array_equal(bi[row], one_i)
        np.testing.assert_allclose(bs[row], one_s, rtol=1e-5)
    with pytest.raises(ValueError, match="scoring must be one of"):
        fitted.recommend(b, scoring="dot")
    # the default temperature is 2; "inout" and "cosine" ignore it
    np.testing.assert_array_equal(
        fitted.recommend(b, k=4, scoring="logsumexp")[1],
        fitted.recommend(b, k=4, scoring="logsumexp", temperature=2.0)[1],
    )
    np.testing.assert_array_equal(
        fitted.recommend(b, k=4, scoring="inout", temperature=0.5)[1],
        fitted.recommend(b, k=4, scoring="inout")[1],
    )
    for bad in (0, -1.0, float("nan"), float("inf"), True, "2"):
        with pytest.raises(ValueError, match=r"temperature must be a float > 0"):
            fitted.recommend(b, scoring="logsumexp", temperature=bad)


def test_recommend_scoring_auto_follows_recency_():
    """scoring="auto" (the default) is "inout" on baskets fit found
    time-ordered and "logsumexp" on unordered ones (and on models saved
    before recency_ existed, "inout" as they were saved with)."""
    hists = _drifting_histories()
    est = Item2VecTransformer(n_components=16, n_epochs=10, random_state=0)
    rng = np.random.RandomState(1)
    for baskets, scoring in (
        (hists, "inout"),
        ([list(rng.permutation(h)) for h in hists], "logsumexp"),
    ):
        est.fit(baskets)
        q = [hists[0][:6], hists[1][:3], [], [hists[2][0]]]
        items, scores = est.recommend_batch(q, k=5)
        ref_items, ref_scores = est.recommend_batch(q, k=5, scoring=scoring)
        np.testing.assert_array_equal(items, ref_items)
        np.testing.assert_array_equal(scores, ref_scores)
        np.testing.assert_array_equal(
            est.recommend(q[0], k=5)[0], est.recommend(q[0], k=5, scoring=scoring)[0]
        )
    old = pickle.loads(pickle.dumps(est))
    del old.recency_
    q = hists[0][:6]
    np.testing.assert_array_equal(
        old.recommend(q, k=5)[1],
        old.recommend(q, k=5, scoring="inout", recency=0.8)[1],
    )
    with pytest.raises(ValueError, match=r"scoring must be one of \('auto'"):
        est.recommend(q, scoring="Auto")


def test_recommend_logsumexp_chunks(fitted, monkeypatch):
    import skembed._items._item2vec as mod

    batch = [["c0_0", "c0_1", "c0_2"], [], ["c1_0"], ["c2_0", "c3_0"], ["zz"]]
    ref = fitted.recommend_batch(batch, k=4, scoring="logsumexp", recency=0.7)
    # a budget of one catalogue row: one basket (or one item) per chunk
    monkeypatch.setattr(mod, "_LSE_CELLS", 1)
    got = fitted.recommend_batch(batch, k=4, scoring="logsumexp", recency=0.7)
    np.testing.assert_array_equal(got[0], ref[0])
    np.testing.assert_allclose(got[1], ref[1], rtol=1e-5, atol=1e-5)  # BLAS


def test_recommend_logsumexp_long_history(fitted):
    # recency ** age underflows to 0 on a long history: no warning, the
    # recent items decide
    b = (["c0_0", "c0_1"] * 600) + ["c3_0"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        items, scores = fitted.recommend(b, k=3, scoring="logsumexp", recency=0.5)
    assert np.isfinite(scores).all()


def test_recommend_scalar_and_long_frame(fitted):
    np.testing.assert_array_equal(
        fitted.recommend("c1_1", k=3)[0], fitted.recommend(["c1_1"], k=3)[0]
    )
    log = pd.DataFrame({"user": [1, 1, 2], "item": ["c0_0", "c0_1", "c2_2"]})
    est = clone(fitted).set_params(basket_col="user", item_col="item")
    est.__dict__.update({k: v for k, v in fitted.__dict__.items() if k.endswith("_")})
    items, _ = est.recommend_batch(log, k=2)
    np.testing.assert_array_equal(
        items, fitted.recommend_batch([["c0_0", "c0_1"], ["c2_2"]], k=2)[0]
    )


def test_recommend_cold_start_and_errors(fitted):
    items, scores = fitted.recommend(["never-seen"], k=3)
    np.testing.assert_array_equal(items, fitted.items_[:3])  # most frequent
    assert np.isnan(scores).all()
    items, _ = fitted.recommend([], k=2)
    assert items.shape == (2,)
    with pytest.raises(ValueError, match="k must be a positive int"):
        fitted.recommend(["c0_0"], k=0)
    with pytest.raises(ValueError, match="scoring must be"):
        fitted.recommend(["c0_0"], scoring="dot")
    with pytest.raises(ValueError, match="baskets"):
        fitted.recommend_batch("c0_0")


@pytest.mark.slow
@pytest.mark.parametrize("scoring", ["inout", "cosine"])
def test_recommend_beats_popularity(scoring):
    baskets, _, _ = planted_baskets(
        n_baskets=600, n_clusters=6, cluster_size=10, size=6, noise=0.05, seed=7
    )
    held = [b[-1] for b in baskets]
    train = [b[:-1] for b in baskets]
    est = Item2VecTransformer(
        n_components=16, n_epochs=10, random_state=0, ns_exponent=0.0
    ).fit(train)
    rec, _ = est.recommend_batch(train, k=3, scoring=scoring)
    recall = np.mean([h in r for h, r in zip(held, rec.tolist(), strict=True)])
    counts = pd.Series([i for b in train for i in b]).value_counts()
    pop = []
    for b in train:
        ranked = [i for i in counts.index if i not in b][:3]
        pop.append(ranked)
    pop_recall = np.mean([h in r for h, r in zip(held, pop, strict=True)])
    assert recall > pop_recall + 0.2, (recall, pop_recall)


# ------------------------------------------------------------- big baskets
def _initial_vectors(seed, n, dim):
    w = np.random.RandomState(seed).random_sample((n, dim)).astype(np.float32)
    w -= 0.5
    w /= dim
    return w


def test_20000_item_basket_loses_nothing():
    m = 20_000
    basket = [f"i{j}" for j in range(m)]
    t0 = time.process_time()
    est = Item2VecTransformer(
        n_components=4, n_epochs=2, n_context=None, max_context=10, random_state=0
    ).fit([basket, basket[:3]])
    assert time.process_time() - t0 < 30
    assert len(est.items_) == m
    # every item was a centre (its output vector moved from 0) and a context
    # (its input vector moved from the initial draw; in epoch 1 an early
    # context can get a zero gradient while all output vectors are still 0)
    assert np.all(np.any(est.output_vectors_ != 0, axis=1))
    init = _initial_vectors(0, m, 4)
    moved = np.any(est.item_vectors_ != init, axis=1)
    assert moved.all(), f"{(~moved).sum()} items never trained"
    assert np.isfinite(est.item_vectors_).all()
    assert est.transform([basket]).shape == (1, 4)


def test_engine_set_exact_all_pairs_and_stable():
    m = 2_000
    indptr = np.array([0, m], dtype=np.int64)
    ids = np.arange(m, dtype=np.int32)
    counts = np.ones(m, dtype=np.int64)
    r = train_sgns(
        (indptr, ids),
        counts,
        n_components=4,
        context="set",
        n_epochs=1,
        sample=0,
        random_state=0,
    )
    assert r.n_pairs == m * (m - 1)
    assert np.isfinite(r.w_in).all() and np.isfinite(r.w_out).all()
    assert np.abs(r.w_out).max() < 1e3


@pytest.mark.parametrize("sg", [True, False])
def test_engine_max_context(sg):
    rng = np.random.RandomState(0)
    lens = rng.randint(1, 30, 200)
    indptr = np.r_[0, np.cumsum(lens)].astype(np.int64)
    ids = rng.randint(0, 40, indptr[-1]).astype(np.int32)
    counts = np.bincount(ids, minlength=40)
    kw = dict(
        n_components=8, context="set", sample=0, n_epochs=2, random_state=1, sg=sg
    )
    exact = train_sgns((indptr, ids), counts, **kw)
    big_cap = train_sgns((indptr, ids), counts, max_context=int(lens.max()), **kw)
    # a cap no sentence reaches changes nothing, bit for bit
    np.testing.assert_array_equal(exact.w_in, big_cap.w_in)
    np.testing.assert_array_equal(exact.w_out, big_cap.w_out)
    capped = train_sgns((indptr, ids), counts, max_context=5, **kw)
    # a 2,000-token sentence: every token is context of exactly 5 centres
    one = train_sgns(
        (np.array([0, 2000], dtype=np.int64), np.arange(2000, dtype=np.int32)),
        np.ones(2000, dtype=np.int64),
        n_components=4,
        context="set",
        sample=0,
        n_epochs=1,
        random_state=0,
        max_context=5,
        sg=sg,
    )
    assert one.n_pairs == (2000 * 5 if sg else 2000)
    if sg:
        expected = (
            sum(m * min(m - 1, 5) if m - 1 > 5 else m * (m - 1) for m in lens) * 2
        )
        assert capped.n_pairs == expected
    assert np.isfinite(capped.w_in).all()
    again = train_sgns((indptr, ids), counts, max_context=5, **kw)
    np.testing.assert_array_equal(capped.w_in, again.w_in)
    with pytest.raises(ValueError, match="max_context"):
        train_sgns((indptr, ids), counts, max_context=-1, **kw)


# ---------------------------------------------------------- sklearn pipes
def test_grid_search_in_pipeline():
    baskets, _, labels = planted_baskets(n_baskets=240, noise=0.1, seed=5)
    y = (labels >= 2).astype(int)
    pipe = Pipeline(
        [
            ("i2v", Item2VecTransformer(n_epochs=5, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {
            "i2v__n_components": [4, 8],
            "i2v__context": ["set", "sequence"],
            "i2v__window": [2],
        },
        cv=3,
    )
    grid.fit(baskets, y)
    assert grid.best_score_ > 0.9
    assert set(grid.best_params_) == {
        "i2v__n_components",
        "i2v__context",
        "i2v__window",
    }
    assert grid.predict(baskets[:5]).shape == (5,)


def test_column_transformer_item_id_column():
    baskets, clusters, _ = planted_baskets(n_baskets=400, noise=0.05, seed=9)
    label = {it: c for c, items in enumerate(clusters) for it in items}
    rng = np.random.RandomState(0)
    ids = [it for it in label for _ in range(5)]
    frame = pd.DataFrame({"item_id": ids, "noise": rng.randn(len(ids))})
    y = np.array([label[i] for i in ids])
    ct = ColumnTransformer(
        [
            (
                "items",
                Item2VecTransformer(
                    baskets=baskets, n_components=8, n_epochs=10, random_state=0
                ),
                ["item_id"],
            ),
            ("num", "passthrough", ["noise"]),
        ]
    )
    Xt = ct.fit_transform(frame)
    assert Xt.shape == (len(ids), 9)
    names = ct.get_feature_names_out()
    assert names[0] == "items__item2vectransformer0" and names[-1] == "num__noise"
    # the item vectors separate the planted clusters: items of half of each
    # cluster train the classifier, the other half is predicted
    train_items = {it for c in clusters for it in c[::2]}
    mask = np.array([i in train_items for i in ids])
    clf = LogisticRegression(max_iter=1000).fit(Xt[mask], y[mask])
    assert clf.score(Xt[~mask], y[~mask]) > 0.9
    # without the baskets parameter the id column alone learns nothing
    alone = Item2VecTransformer(n_components=8, n_epochs=2, random_state=0)
    alone.fit(frame[["item_id"]])
    assert len(alone.items_) == len(label)


def test_idf_counts_baskets_not_occurrences():
    """idf_ is the documented inverse *basket* frequency: an item repeated
    in a basket counts once (it counted each occurrence before)."""
    model = Item2VecTransformer(n_components=4, random_state=0).fit(
        [["a", "a", "a", "b"], ["b", "c"]]
    )
    assert model.items_.tolist() == ["a", "b", "c"]
    np.testing.assert_allclose(
        model.idf_, np.log(3.0 / (1.0 + np.array([1, 2, 1]))) + 1.0
    )


def test_fit_reads_a_reiterable_once(data):
    """Issue #8: fit streams a plain iterable in one pass (the CLI hands it
    a re-iterable over a file), with the same result as a list."""
    X = data[0][:60]

    class Once:
        passes = 0

        def __iter__(self):
            Once.passes += 1
            return iter(X)

    ref = Item2VecTransformer(**FAST).fit(X)
    est = Item2VecTransformer(**FAST).fit(Once())
    assert Once.passes == 1
    np.testing.assert_array_equal(est.item_vectors_, ref.item_vectors_)
    np.testing.assert_array_equal(est.idf_, ref.idf_)
    assert est.vocabulary_ == ref.vocabulary_


# ------------------------------------------------ linear default context
def _heavy_tailed_baskets(seed=0, n=300, n_items=400):
    rng = np.random.RandomState(seed)
    lengths = np.minimum(2 + rng.pareto(1.2, size=n) * 4, 300).astype(int)
    return [list(rng.randint(n_items, size=m)) for m in lengths], rng


def _pairs_of_fit(monkeypatch, baskets, **params):
    seen = []
    fit_sgns = Item2VecTransformer._fit_sgns

    def spy(self, *args, **kwargs):
        result = fit_sgns(self, *args, **kwargs)
        seen.append(result.n_pairs)
        return result

    monkeypatch.setattr(Item2VecTransformer, "_fit_sgns", spy)
    Item2VecTransformer(n_components=4, n_epochs=2, random_state=0, **params).fit(
        baskets
    )
    monkeypatch.undo()
    return seen[0]


def test_default_fit_is_linear_in_item_occurrences(monkeypatch):
    """Doubling the length of every basket doubles the trained pairs with the
    default (sampled) set context, whatever the length distribution; the
    exhaustive context quadruples them."""
    baskets, rng = _heavy_tailed_baskets()
    doubled = [b + list(rng.randint(400, size=len(b))) for b in baskets]
    lengths = np.array([len(b) for b in baskets])
    assert lengths.max() > 20 * np.median(lengths)  # heavy tail
    default = _pairs_of_fit(monkeypatch, baskets)
    twice = _pairs_of_fit(monkeypatch, doubled)
    assert default == 2 * 10 * lengths.sum()  # n_epochs * n_context * items
    assert 1.9 < twice / default < 2.1
    exact = _pairs_of_fit(monkeypatch, baskets, n_context=None)
    exact_twice = _pairs_of_fit(monkeypatch, doubled, n_context=None)
    assert exact_twice / exact > 3.5


def test_n_context_only_for_set(monkeypatch, data):
    seq = _pairs_of_fit(monkeypatch, data[0], context="sequence", window=1,
                        shrink_window=False)
    seq_other = _pairs_of_fit(monkeypatch, data[0], context="sequence", window=1,
                              shrink_window=False, n_context=3)
    assert seq == seq_other
    with pytest.raises(ValueError, match="n_context"):
        Item2VecTransformer(n_context=0).fit(data[0])


def test_sampled_set_context_recovers_clusters():
    baskets, clusters, _ = planted_baskets(n_baskets=400, noise=0.1, seed=3)
    est = Item2VecTransformer(
        n_components=16, n_epochs=10, n_context=3, random_state=0
    ).fit(baskets)
    assert _cluster_purity(est, clusters) >= 0.9


# ------------------------------------------------------- spilled corpus
def test_spilled_item_corpus_trains_identically(monkeypatch, data):
    from skembed._engine import _corpus

    ref = Item2VecTransformer(**FAST).fit(data[0])
    monkeypatch.setattr(_corpus, "_SPILL_TOKENS", 100)
    monkeypatch.setattr(_corpus, "_READ_TOKENS", 200)
    spilled = Item2VecTransformer(**FAST).fit(iter(data[0]))
    np.testing.assert_array_equal(spilled.item_vectors_, ref.item_vectors_)
    np.testing.assert_array_equal(spilled.idf_, ref.idf_)
    assert spilled.n_baskets_ == ref.n_baskets_


# ------------------------------------------------- frames of every kind
LOG = pd.DataFrame(
    {
        "user": [1, 2, 1, 2, 1, 3, 3],
        "item": ["a", "b", "c", "a", "b", "c", "a"],
        "t": [3, 1, 1, 2, 2, 5, 4],
    }
)


def _long(**kw):
    return Item2VecTransformer(
        n_components=4, n_epochs=3, basket_col="user", item_col="item",
        order_col="t", random_state=0, **kw,
    )


def test_polars_long_format_matches_pandas():
    pl = pytest.importorskip("polars")
    ref = _long()
    Z = ref.fit_transform(LOG)
    est = _long()
    Z_pl = est.fit_transform(pl.DataFrame({c: LOG[c].tolist() for c in LOG}))
    assert Z_pl.shape == Z.shape == (3, 4)
    np.testing.assert_array_equal(Z_pl, Z)
    assert est.items_.tolist() == ref.items_.tolist() == ["a", "c", "b"]
    assert est.basket_ids_.tolist() == ref.basket_ids_.tolist() == [1, 2, 3]
    assert baskets_from_frame(
        pl.DataFrame({c: LOG[c].tolist() for c in LOG}), "user", "item", "t"
    ).tolist() == baskets_from_frame(LOG, "user", "item", "t").tolist()
    # a polars list column is a column of baskets
    col = pl.Series("b", [["a", "b"], ["c"]])
    np.testing.assert_array_equal(ref.transform(col), ref.transform([["a", "b"], ["c"]]))


def test_arrow_backed_pandas_matches_pandas():
    pytest.importorskip("pyarrow")
    arrow = LOG.convert_dtypes(dtype_backend="pyarrow")
    ref = _long()
    Z = ref.fit_transform(LOG)
    est = _long()
    np.testing.assert_array_equal(est.fit_transform(arrow), Z)
    assert est.items_.tolist() == ref.items_.tolist()
    assert est.basket_ids_.tolist() == [1, 2, 3]
    assert all(type(x) is str for x in est.items_)


def test_two_column_frame_without_basket_col_warns():
    with pytest.warns(UserWarning, match="2-column DataFrame.*basket_col="):
        Item2VecTransformer(n_components=4, n_epochs=1).fit(LOG[["user", "item"]])


def test_basket_ids_align_rows():
    est = _long()
    Z = est.fit_transform(LOG)
    pd_out = _long().set_output(transform="pandas").fit_transform(LOG)
    assert pd_out.index.tolist() == est.basket_ids_.tolist()
    np.testing.assert_array_equal(pd_out.to_numpy(), Z)
    plain = Item2VecTransformer(n_components=4, n_epochs=1).fit([["a", "b"], ["c"]])
    assert plain.basket_ids_.tolist() == [0, 1]


def test_baskets_from_frame_plain_items():
    cat = LOG.assign(item=LOG["item"].astype("category"))
    baskets = baskets_from_frame(cat, "user", "item", "t")
    assert all(type(x) is str for b in baskets for x in b)
    assert baskets.tolist() == [["c", "b", "a"], ["b", "a"], ["a", "c"]]
    with pytest.raises(TypeError, match="must be a DataFrame in long format"):
        baskets_from_frame([["a"]], "user", "item")


# ------------------------------------------------------ recommendation scorer
def test_recommendation_scorer_in_grid_search(data):
    baskets = data[0]
    search = GridSearchCV(
        Item2VecTransformer(n_components=8, n_epochs=5, random_state=0),
        {"ns_exponent": [0.0, 0.5]},
        scoring={
            "recall": recommendation_scorer("recall", k=5, holdout="random"),
            "ndcg": recommendation_scorer("ndcg", k=5, holdout="random"),
        },
        refit="ndcg",
        cv=3,
    ).fit(baskets)
    assert set(search.best_params_) == {"ns_exponent"}
    # planted clusters of 8 items: the held-out item is easy to find
    assert search.cv_results_["mean_test_recall"].max() > 0.5
    assert 0 < search.best_score_ <= 1


def test_recommendation_scorer_values(fitted):
    """Hand-checked metrics on a basket whose hidden item is known."""
    scorer = recommendation_scorer("recall", k=3)
    queries, truths = scorer.split([["x", "y", "z"], ["a"]])
    assert queries == [["x", "y"]] and truths == [{"z"}]
    items, _ = fitted.recommend(["c1_0", "c1_1"], k=3)
    basket = ["c1_0", "c1_1", items[0]]
    assert recommendation_scorer("recall", k=3)(fitted, [basket]) == 1.0
    assert recommendation_scorer("ndcg", k=3)(fitted, [basket]) == 1.0
    second = ["c1_0", "c1_1", items[1]]
    assert recommendation_scorer("ndcg", k=3)(fitted, [second]) == pytest.approx(
        1 / np.log2(3)
    )
    assert recommendation_scorer("hit_rate", k=1)(fitted, [second]) == 0.0
    assert recommendation_scorer("recall", k=3)(
        Pipeline([("i2v", fitted)]), [basket]
    ) == 1.0


def test_recommendation_scorer_errors(fitted):
    with pytest.raises(ValueError, match="metric must be one of"):
        recommendation_scorer("auc")
    with pytest.raises(ValueError, match="holdout must be one of"):
        recommendation_scorer(holdout="first")
    with pytest.raises(ValueError, match="k must be an int >= 1"):
        recommendation_scorer(k=0)
    with pytest.raises(ValueError, match="no basket of the held-out data"):
        recommendation_scorer()(fitted, [["c1_0"]])
    with pytest.raises(TypeError, match="recommend_batch"):
        recommendation_scorer()(LogisticRegression(), [["a", "b"]])
