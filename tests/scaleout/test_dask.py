"""transform of dask collections on a 2-worker LocalCluster (#17)."""

import pickle

import dask
import dask.array as da
import dask.bag as db
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from dask_ml.wrappers import ParallelPostFit

from skembed import (
    EntityEmbeddingEncoder,
    Item2VecTransformer,
    Node2VecEmbedder,
    Word2VecVectorizer,
    load_model,
    save_model,
)
from tests._cases import BASKETS, DOCS

from ._inputs import ALL_CASES, as_pandas_input, assert_same, transform_calls

CALLS = transform_calls()


def _object_rows(X):
    """Whether dask's string conversion would change the rows (objects that
    are not all strings: baskets, tuples, ints stored as objects)."""
    frame = X.to_frame() if isinstance(X, pd.Series) else X
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object and not all(
            isinstance(v, str) or v is None for v in values
        ):
            return True
    return False


def partitioned(X):
    """A dask collection of ``X`` in 3 partitions, the middle one empty."""
    k = len(X) // 2
    if isinstance(X, np.ndarray):
        return da.from_array(X, chunks=((k, 0, len(X) - k), (X.shape[1],)))
    pieces = [X.iloc[:k], X.iloc[k:k], X.iloc[k:]]
    return dd.from_delayed([dask.delayed(p) for p in pieces], meta=X.iloc[:0])


@pytest.mark.parametrize("case, call", CALLS, ids=[f"{c}-{k}" for c, k in CALLS])
def test_dask_transform_equals_in_process(dask_client, case, call):
    est, calls, _ = ALL_CASES[case]()
    X = as_pandas_input(est, calls[call][1])
    # dask turns object columns into pyarrow strings by default: keep the
    # objects where that would change them (lists, tuples, ints)
    keep_objects = not isinstance(X, np.ndarray) and _object_rows(X)
    with dask.config.set({"dataframe.convert-string": not keep_objects}):
        lazy = est.transform(partitioned(X))
        expected = est.transform(X)
        assert dask.is_dask_collection(lazy)
        got = lazy.compute()
    if isinstance(X, np.ndarray):
        assert isinstance(lazy, da.Array)
        assert_same(est, got, expected)
        return
    assert_same(est, np.asarray(got), np.asarray(expected))
    pd.testing.assert_index_equal(got.index, X.index)
    if expected.ndim == 2:
        assert list(got.columns) == list(est.get_feature_names_out())


def test_bag_and_array_inputs(dask_client):
    w2v = Word2VecVectorizer(n_components=4, min_count=1, random_state=0).fit(DOCS)
    docs = DOCS[:9]
    from_bag = w2v.transform(db.from_sequence(docs, npartitions=4))
    assert isinstance(from_bag, da.Array)
    assert_same(w2v, from_bag.compute(), w2v.transform(docs))
    array = da.from_array(np.array(docs, dtype=object), chunks=((4, 0, 5),))
    assert_same(w2v, w2v.transform(array).compute(), w2v.transform(docs))
    i2v = Item2VecTransformer(n_components=4, n_epochs=1, random_state=0).fit(BASKETS)
    baskets = db.from_sequence(BASKETS[:7] + [["never"]], npartitions=3)
    assert_same(i2v, i2v.transform(baskets).compute(), i2v.transform(BASKETS[:7] + [["never"]]))


def test_long_format_baskets_say_group_first(dask_client):
    long = pd.DataFrame({"basket": [1, 1, 2, 2, 2], "item": list("abcbd")})
    est = Item2VecTransformer(
        n_components=4, n_epochs=1, basket_col="basket", item_col="item", random_state=0
    ).fit(long)
    lazy = est.transform(dd.from_pandas(long, npartitions=2))
    with pytest.raises(ValueError, match="Group rows that belong together"):
        lazy.compute()
    grouped = long.groupby("basket")["item"].apply(list)
    with dask.config.set({"dataframe.convert-string": False}):
        got = est.transform(dd.from_pandas(grouped, npartitions=2)).compute()
    assert_same(est, got, est.transform(long))


def _never(*_):
    raise AssertionError("the input was computed")


@pytest.mark.parametrize("kind", ["frame", "series", "array", "bag"])
def test_transform_builds_meta_without_computing(kind):
    X, y = _entity_table()
    enc = EntityEmbeddingEncoder(n_epochs=1, random_state=0, dtype=np.float64).fit(X, y)
    w2v = Word2VecVectorizer(n_components=4, min_count=1, random_state=0).fit(DOCS)
    boom = dask.delayed(_never)
    if kind == "frame":
        lazy = enc.transform(dd.from_delayed([boom(1)], meta=X.iloc[:0]))
        assert list(lazy.columns) == list(enc.get_feature_names_out())
        assert set(lazy.dtypes) == {np.dtype(np.float64)}
        return
    if kind == "series":
        lazy = w2v.transform(dd.from_delayed([boom(1)], meta=pd.Series([], dtype=str)))
        assert list(lazy.columns) == list(w2v.get_feature_names_out())
        assert set(lazy.dtypes) == {np.dtype(np.float32)}
        return
    if kind == "array":
        arr = da.from_delayed(boom(1), shape=(5,), dtype=object)
        lazy = w2v.transform(arr)
        assert lazy.shape == (5, 4)
    else:
        lazy = w2v.transform(db.from_delayed([boom(1)]))
        assert lazy.shape[1] == 4
    assert lazy.dtype == np.float32


def _entity_table(n=120, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame({"city": rng.choice(list("abcdef"), n), "shop": rng.choice(list("uvwxyz"), n)})
    y = (X["city"] < "c").to_numpy() + rng.normal(0, 0.1, n)
    return X, y


def test_partition_of_unseen_values(dask_client):
    X, y = _entity_table()
    enc = EntityEmbeddingEncoder(n_epochs=1, random_state=0, handle_unknown="zeros").fit(X, y)
    unseen = pd.DataFrame({"city": ["zz", "qq"], "shop": ["u", "??"]}, index=[7, 8])
    lazy = enc.transform(dd.from_pandas(pd.concat([X.iloc[:3], unseen]), npartitions=2))
    assert_same(enc, lazy.compute(), enc.transform(pd.concat([X.iloc[:3], unseen])))

    i2v = Item2VecTransformer(n_components=4, n_epochs=1, random_state=0).fit(BASKETS)
    baskets = pd.Series([["a", "b"], ["never", "seen"], ["zzz"]], dtype=object)
    with dask.config.set({"dataframe.convert-string": False}):
        got = i2v.transform(dd.from_pandas(baskets, npartitions=2)).compute()
    assert_same(i2v, got, i2v.transform(baskets))

    import networkx as nx

    emb = Node2VecEmbedder(
        n_components=4, walk_length=5, n_walks=2, graph=nx.karate_club_graph(),
        handle_unknown="zeros", random_state=0,
    ).fit([0])
    ids = pd.Series([0, 1, 500, 600])
    got = emb.transform(dd.from_pandas(ids, npartitions=2)).compute()
    assert_same(emb, got, emb.transform(ids))
    assert not got.iloc[2:].to_numpy().any()


def test_model_scattered_once(dask_client):
    est = Word2VecVectorizer(n_components=256, min_count=1, random_state=0).fit(DOCS)
    before = {w: set(keys) for w, keys in dask_client.has_what().items()}
    lazy = est.transform(dd.from_pandas(pd.Series(DOCS), npartitions=8))
    after = dask_client.has_what()
    new = {w: set(after[w]) - before.get(w, set()) for w in after}
    assert len(new) == 2 and all(len(keys) == 1 for keys in new.values())
    # the tasks hold a reference to the scattered model, not a copy of it
    graph = dict(lazy.__dask_graph__())
    assert len(pickle.dumps(graph)) < len(pickle.dumps(est))
    assert_same(est, lazy.compute(), est.transform(DOCS))


def test_fit_on_a_dask_collection_says_what_to_do():
    docs = dd.from_pandas(pd.Series(DOCS), npartitions=2)
    with pytest.raises(TypeError, match=r"Fit on a sample.*then call transform"):
        Word2VecVectorizer().fit(docs)
    X, y = _entity_table()
    with pytest.raises(TypeError, match="dask DataFrame"):
        EntityEmbeddingEncoder().fit(dd.from_pandas(X, npartitions=2), y)
    with pytest.raises(TypeError, match="dask"):
        Node2VecEmbedder().fit(dd.from_pandas(pd.DataFrame({"u": [1], "v": [2]}), 1))


@pytest.mark.parametrize("case", sorted({c for c, _ in CALLS}))
def test_parallel_post_fit(dask_client, case):
    est, calls, fit_args = ALL_CASES[case]()
    arg = next(a for m, a in calls if m == "transform")
    X = as_pandas_input(est, arg)
    if isinstance(X, np.ndarray):
        lazy_X = da.from_array(X, chunks=(2, X.shape[1]))
    else:
        keep_objects = _object_rows(X)
        with dask.config.set({"dataframe.convert-string": not keep_objects}):
            lazy_X = dd.from_pandas(X, npartitions=2)
    names, dtype = est._lazy_output()
    meta = np.empty((0,) if names is None else (0, len(names)), dtype=dtype)
    # a fitted estimator needs no ParallelPostFit.fit; transform_meta saves
    # dask-ml from guessing the output on made-up rows (unknown node ids)
    wrapped = ParallelPostFit(est, transform_meta=meta)
    got = wrapped.transform(lazy_X).compute()
    assert_same(est, np.asarray(got), np.asarray(est.transform(X)))


def test_model_loaded_on_the_workers(dask_client, tmp_path):
    est = Word2VecVectorizer(n_components=8, min_count=1, random_state=0).fit(DOCS)
    path = str(tmp_path / "w2v.skembed")
    save_model(est, path)
    # every worker reads the file itself (a path both see), then transforms
    models = [dask_client.submit(load_model, path, workers=[w], pure=False)
              for w in dask_client.scheduler_info()["workers"]]
    outs = [dask_client.submit(lambda m, d: m.transform(d), m, DOCS) for m in models]
    for out in dask_client.gather(outs):
        assert_same(est, out, est.transform(DOCS))
    # and a model loaded here transforms a dask collection on the workers
    loaded = load_model(path)
    lazy = loaded.transform(dd.from_pandas(pd.Series(DOCS), npartitions=3))
    assert_same(est, lazy.compute(), est.transform(DOCS))


def test_workers_run_this_checkout(dask_client):
    import skembed

    here = skembed.__file__
    assert set(dask_client.run(lambda: __import__("skembed").__file__).values()) == {here}
