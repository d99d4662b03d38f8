"""Any dataframe works (issue #18): the one input layer, and every estimator
on every kind of frame, checked against pandas.

The reference is the same data as a NumPy-backed pandas frame; every other
kind (nullable and pyarrow-backed pandas, polars, a pyarrow Table, an object
that only exports an Arrow stream or only the interchange protocol) must give
the same output bits, the same feature names and, with pandas output, the
index a pandas user gets (the input's own for pandas, 0..n-1 otherwise).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from skembed import (
    DeepWalkEmbedder,
    Doc2VecVectorizer,
    EdgeFeatures,
    EntityEmbeddingEncoder,
    ExtractiveSummarizer,
    FastTextVectorizer,
    Item2VecTransformer,
    LINEEmbedder,
    NetMFEmbedder,
    Node2VecEmbedder,
    ProNEEmbedder,
    Word2VecVectorizer,
    baskets_from_frame,
)
from skembed._dataframes import as_pandas, is_dataframe

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

from tests._cases import DOCS, RING, SUMMARY_DOCS  # noqa: E402


class ArrowStream:
    """An object that only speaks the Arrow PyCapsule stream interface."""

    def __init__(self, data):
        self._data = data

    def __arrow_c_stream__(self, requested_schema=None):
        return self._data.__arrow_c_stream__(requested_schema)


class Interchange:
    """An object that only speaks the dataframe interchange protocol."""

    def __init__(self, table):
        self._table = table

    def __dataframe__(self, nan_as_null=False, allow_copy=True):
        return self._table.__dataframe__(nan_as_null, allow_copy)


def _arrow(df):
    return pa.Table.from_pandas(df, preserve_index=False)


FRAMES = {
    "pandas-nullable": lambda df: df.convert_dtypes(),
    "pandas-pyarrow": lambda df: df.convert_dtypes(dtype_backend="pyarrow"),
    "polars": lambda df: pl.from_pandas(df),
    "pyarrow": _arrow,
    "arrow-stream": lambda df: ArrowStream(_arrow(df)),
    "interchange": lambda df: Interchange(_arrow(df)),
}

COLUMNS = {
    "pandas-nullable": lambda s: s.convert_dtypes(),
    "pandas-pyarrow": lambda s: s.convert_dtypes(dtype_backend="pyarrow"),
    "polars": lambda s: pl.from_pandas(s),
    "polars-frame": lambda s: pl.from_pandas(s.to_frame()),
    "pyarrow": lambda s: pa.chunked_array([pa.array(s.tolist())]),
    "arrow-stream": lambda s: ArrowStream(pa.chunked_array([pa.array(s.tolist())])),
    "interchange": lambda s: Interchange(_arrow(s.to_frame())),
}


# ----------------------------------------------------------------- the layer
def test_pandas_without_pd_na_is_returned_as_it_is():
    df = pd.DataFrame({"a": ["x", None], "b": [1, 2], "c": pd.Categorical(["u", "v"])})
    assert as_pandas(df) is df
    column = df["a"]
    assert as_pandas(column) is column
    for other in ([1, 2], np.arange(3), (x for x in "ab"), None, "text"):
        assert as_pandas(other) is other


def test_nullable_and_pyarrow_pandas_become_numpy_backed():
    df = pd.DataFrame(
        {
            "i": pd.array([1, None, 3], dtype="Int64"),
            "j": pd.array([1, 2, 3], dtype="int64[pyarrow]"),
            "b": pd.array([True, None, False], dtype="boolean"),
            "s": pd.array(["x", None, "z"], dtype="string[pyarrow]"),
        },
        index=[10, 11, 12],
    )
    out = as_pandas(df)
    assert out.index.tolist() == [10, 11, 12]
    assert list(out.columns) == ["i", "j", "b", "s"]
    assert out["i"].dtype == np.float64 and np.isnan(out["i"].iloc[1])
    assert out["j"].dtype == np.int64
    assert out["b"].tolist() == [True, None, False]
    assert out["s"].iloc[0] == "x" and pd.isna(out["s"].iloc[1])
    assert not any(v is pd.NA for col in out for v in out[col])


def test_polars_and_arrow_dtypes():
    import datetime as dt

    frame = pl.DataFrame(
        {
            "i": [1, None, 3],
            "k": [1, 2, 3],
            "s": ["x", None, "z"],
            "c": pl.Series(["a", "b", None], dtype=pl.Categorical),
            "t": [dt.datetime(2020, 1, 1), None, dt.datetime(2021, 1, 1)],
            "l": [[1, 2], [], None],
            "b": [True, False, True],
        }
    )
    out = as_pandas(frame)
    assert list(out.columns) == ["i", "k", "s", "c", "t", "l", "b"]
    assert isinstance(out.index, pd.RangeIndex)
    assert out["i"].dtype == np.float64 and out["k"].dtype == np.int64
    assert isinstance(out["c"].dtype, pd.CategoricalDtype)
    assert out["t"].dtype.kind == "M" and pd.isna(out["t"].iloc[1])
    assert out["l"].tolist() == [[1, 2], [], None]
    assert out["b"].dtype == bool
    assert is_dataframe(frame) and not is_dataframe(frame["i"])
    assert as_pandas(frame["s"]).name == "s"


@pytest.mark.parametrize("kind", ["arrow-stream", "interchange"])
def test_protocol_only_objects(kind):
    df = pd.DataFrame({"q": ["a", "b"], "n": [1.5, 2.5]})
    out = as_pandas(FRAMES[kind](df))
    pd.testing.assert_frame_equal(out, df, check_dtype=False)
    assert is_dataframe(FRAMES[kind](df))


def test_lazy_frames_are_left_alone():
    """A lazy frame is neither read nor computed (dask's also exports
    ``__dataframe__``, whose reading would compute it)."""
    lazy = pl.DataFrame({"a": [1, 2]}).lazy()
    assert as_pandas(lazy) is lazy and not is_dataframe(lazy)
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning from narwhals about dask
        assert as_pandas(frame) is frame and not is_dataframe(frame)


def test_arrow_stream_of_an_array_is_a_column():
    out = as_pandas(ArrowStream(pa.chunked_array([["a", None, "c"]])))
    assert isinstance(out, pd.Series) and out.iloc[0] == "a" and pd.isna(out.iloc[1])


# ------------------------------------------------------- every estimator
def _w2v():
    return Word2VecVectorizer(n_components=6, min_count=1, n_epochs=1, random_state=0)


def _table():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "city": rng.choice(["paris", "lyon", "nice", "lille"], 120).astype(object),
            "code": rng.choice([3, 5, 8], 120),
            "kind": pd.Categorical(rng.choice(["u", "v"], 120)),
        }
    )
    X.loc[::13, "city"] = None
    y = (X["code"] == 5).to_numpy() + rng.normal(0, 0.2, 120)
    return X, y


def _fit_transform(est, X, y=None):
    out = est.fit_transform(X, y) if y is not None else est.fit_transform(X)
    return np.asarray(out), est


COLUMN_CASES = {
    # name: (builder of the estimator, the pandas Series given as X)
    "word2vec": (_w2v, pd.Series(DOCS, name="text")),
    "doc2vec": (
        lambda: Doc2VecVectorizer(n_components=6, min_count=1, n_epochs=2, random_state=0),
        pd.Series(DOCS, name="text"),
    ),
    "fasttext": (
        lambda: FastTextVectorizer(
            n_components=6, min_count=1, n_epochs=1, bucket=500, random_state=0
        ),
        pd.Series(DOCS, name="text"),
    ),
    "summarizer": (
        lambda: ExtractiveSummarizer(n_sentences=1, random_state=0),
        pd.Series(SUMMARY_DOCS, name="text"),
    ),
    "item2vec-baskets": (
        lambda: Item2VecTransformer(n_components=6, n_epochs=2, random_state=0),
        pd.Series([["a", "b", "c"], ["c", "d"], ["b", "e", "a"], ["d", "e"]] * 8),
    ),
    "node2vec-ids": (
        lambda: Node2VecEmbedder(
            n_components=6, walk_length=6, n_walks=2, random_state=0,
            graph=pd.DataFrame(RING, columns=["u", "v"]),
        ),
        pd.Series(["n0", "n3", "n7", "n0"], name="node"),
    ),
}


@pytest.mark.parametrize(
    "case, kind",
    [
        (case, kind)
        for case in sorted(COLUMN_CASES)
        for kind in sorted(COLUMNS)
        # the interchange protocol has no list type: baskets cannot cross it
        if (case, kind) != ("item2vec-baskets", "interchange")
    ],
)
def test_columns_of_every_kind_give_the_pandas_output(case, kind):
    build, series = COLUMN_CASES[case]
    expected, ref = _fit_transform(build(), series)
    got, est = _fit_transform(build(), COLUMNS[kind](series))
    np.testing.assert_array_equal(got, expected)
    if case != "summarizer":  # text output has no feature names
        np.testing.assert_array_equal(
            est.get_feature_names_out(), ref.get_feature_names_out()
        )
        pandas_out = est.set_output(transform="pandas").transform(
            COLUMNS[kind](series)
        )
        assert list(pandas_out.columns) == list(est.get_feature_names_out())
        assert pandas_out.index.tolist() == list(range(len(series)))


def _entity():
    return EntityEmbeddingEncoder(n_epochs=2, random_state=0)


TABLE_CASES = {
    # name: (builder, the pandas frame, y)
    "entity": (_entity, *_table()),
    "item2vec-long": (
        lambda: Item2VecTransformer(
            n_components=6, n_epochs=2, random_state=0,
            basket_col="user", item_col="item",
        ),
        pd.DataFrame(
            {
                "user": np.repeat(np.arange(12), 4),
                "item": np.tile(["a", "b", "c", "d", "b", "e"], 8),
            }
        ),
        None,
    ),
    "node2vec-edges": (
        lambda: Node2VecEmbedder(
            n_components=6, walk_length=6, n_walks=2, random_state=0
        ),
        pd.DataFrame(RING, columns=["src", "dst"]),
        None,
    ),
    "deepwalk-weighted": (
        lambda: DeepWalkEmbedder(
            n_components=6, walk_length=6, n_walks=2, random_state=0
        ),
        pd.DataFrame(RING, columns=["src", "dst"]).assign(w=np.arange(59) % 3 + 1.0),
        None,
    ),
    "prone-edges": (
        lambda: ProNEEmbedder(n_components=6, random_state=0),
        pd.DataFrame(RING, columns=["src", "dst"]).assign(w=np.arange(59) % 3 + 1.0),
        None,
    ),
    "netmf-edges": (
        lambda: NetMFEmbedder(n_components=6, random_state=0),
        pd.DataFrame(RING, columns=["src", "dst"]).assign(w=np.arange(59) % 3 + 1.0),
        None,
    ),
    "line-edges": (
        lambda: LINEEmbedder(n_components=6, n_samples=3000, random_state=0),
        pd.DataFrame(RING, columns=["src", "dst"]),
        None,
    ),
}


@pytest.mark.parametrize("kind", sorted(FRAMES))
@pytest.mark.parametrize("case", sorted(TABLE_CASES))
def test_frames_of_every_kind_give_the_pandas_output(case, kind):
    build, frame, y = TABLE_CASES[case]
    expected, ref = _fit_transform(build(), frame, y)
    got, est = _fit_transform(build(), FRAMES[kind](frame), y)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(
        est.get_feature_names_out(), ref.get_feature_names_out()
    )
    if case == "entity":
        np.testing.assert_array_equal(est.feature_names_in_, ref.feature_names_in_)
        new = FRAMES[kind](frame.iloc[:7])
        np.testing.assert_array_equal(
            est.transform(new), ref.transform(frame.iloc[:7])
        )
        out = est.set_output(transform="pandas").transform(new)
        assert out.index.tolist() == list(range(7))
        assert list(out.columns) == list(est.get_feature_names_out())


@pytest.mark.parametrize("kind", sorted(FRAMES))
def test_entity_selects_columns_by_name_in_every_kind(kind):
    X, y = _table()
    ref = EntityEmbeddingEncoder(
        n_epochs=2, random_state=0, categorical_features=["city", "kind"]
    ).fit(X, y)
    est = EntityEmbeddingEncoder(
        n_epochs=2, random_state=0, categorical_features=["city", "kind"]
    ).fit(FRAMES[kind](X), y)
    np.testing.assert_array_equal(est.transform(FRAMES[kind](X)), ref.transform(X))


@pytest.mark.parametrize("kind", sorted(FRAMES))
def test_edge_features_pairs_of_every_kind(kind):
    pairs = pd.DataFrame({"u": ["n0", "n1", "n5"], "v": ["n3", "n2", "n9"]})

    def build():
        emb = DeepWalkEmbedder(
            n_components=6, walk_length=6, n_walks=2, random_state=0,
            graph=pd.DataFrame(RING, columns=["src", "dst"]),
        )
        return EdgeFeatures(emb, operator="hadamard")

    expected = build().fit_transform(pairs)
    np.testing.assert_array_equal(build().fit_transform(FRAMES[kind](pairs)), expected)


@pytest.mark.parametrize("kind", sorted(FRAMES))
def test_baskets_from_frame_of_every_kind(kind):
    log = pd.DataFrame(
        {"user": [1, 2, 1, 2, 1], "item": ["a", "b", "c", "a", "b"], "t": [3, 1, 1, 2, 2]}
    )
    expected = baskets_from_frame(log, "user", "item", order_col="t")
    got = baskets_from_frame(FRAMES[kind](log), "user", "item", order_col="t")
    assert got.tolist() == expected.tolist()
    assert got.index.tolist() == expected.index.tolist()
    assert all(type(x) is str for basket in got for x in basket)


def test_pandas_index_is_kept_and_polars_output_has_the_names():
    series = pd.Series(DOCS, index=np.arange(100, 100 + len(DOCS)))
    est = _w2v().set_output(transform="pandas").fit(series)
    assert est.transform(series).index.tolist() == series.index.tolist()
    out = _w2v().set_output(transform="polars").fit(pl.Series(DOCS)).transform(
        pl.Series(DOCS)
    )
    assert isinstance(out, pl.DataFrame)
    assert out.columns == [f"word2vecvectorizer{i}" for i in range(6)]
