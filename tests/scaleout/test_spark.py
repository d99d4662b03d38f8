"""skembed.spark on a local[2] SparkSession (#17): the pandas UDF of every
estimator family equals the in-process transform on the same rows."""

import numpy as np
import pandas as pd
import pytest

from skembed import Word2VecVectorizer, load_model, save_model
from skembed.spark import embedding_udf, with_embedding
from tests._cases import DOCS

from ._inputs import ALL_CASES, as_pandas_input, assert_same

# pyspark 4.x warns that pandas 3 is not fully supported yet (its own
# conversions); the tests check the values it returns
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

#: one case per estimator (DeepWalk through SpectralPropagation and
#: EdgeFeatures) and input kind (text, categorical columns in float64,
#: baskets, string and integer node ids, node pairs, one string per row): a
#: Spark job costs seconds, the dask tests run every case
SPARK_CASES = [
    "w2v-sif-cbow", "fasttext-tfidf", "d2v-dbow", "entity-multiclass",
    "item2vec-sampled", "node2vec-edges", "node2vec-graph", "line-edges",
    "prone-graph-frame", "propagation-deepwalk", "edges-prefit",
    "summarizer-tfidf",
]  # fmt: skip


def _spark_rows(est, arg):
    """The transform input as a pandas frame Spark can hold: an ``id``
    column, then the input column(s); baskets as lists of strings (a Spark
    array has one element type)."""
    X = as_pandas_input(est, arg)
    if isinstance(X, pd.Series):
        values = X.tolist()
        if any(isinstance(v, list) for v in values):
            values = [[str(item) for item in basket] for basket in values]
        X = pd.DataFrame({"x": pd.Series(values, dtype=object)})
    X = X.reset_index(drop=True)
    return X.assign(id=np.arange(len(X))), [c for c in X.columns]


def _in_process_input(frame, cols, est):
    X = frame[cols]
    if len(cols) == 1 and getattr(est, "feature_names_in_", None) is None:
        X = X[cols[0]]
    if type(est).__name__ == "EdgeFeatures":
        X = X.to_numpy().tolist()
    return X


@pytest.mark.parametrize("case", SPARK_CASES)
def test_spark_udf_equals_in_process(spark, case):
    est, calls, _ = ALL_CASES[case]()
    arg = next(a for m, a in calls if m == "transform")
    frame, cols = _spark_rows(est, arg)
    sdf = spark.createDataFrame(frame)
    # and an empty partition
    sdf = sdf.union(spark.createDataFrame(spark.sparkContext.parallelize([], 1), sdf.schema))
    assert sdf.rdd.getNumPartitions() >= 2
    udf = embedding_udf(est)
    got = sdf.select("id", udf(*cols).alias("out")).toPandas().sort_values("id")
    expected = est.transform(_in_process_input(frame, cols, est))
    if expected.dtype == object:
        assert got["out"].tolist() == [str(v) for v in expected]
        return
    assert_same(est, np.stack(got["out"].to_numpy()), expected)


def test_one_column_per_feature(spark):
    est, calls, _ = ALL_CASES["entity-continuous"]()
    frame, cols = _spark_rows(est, calls[0][1])
    out = with_embedding(spark.createDataFrame(frame), est, cols).toPandas()
    names = list(est.get_feature_names_out())
    assert list(out.columns) == [*frame.columns, *names]
    out = out.sort_values("id")
    assert_same(est, out[names].to_numpy(), est.transform(frame[cols]))
    arr = with_embedding(spark.createDataFrame(frame), est, cols, output="array")
    assert arr.schema["embedding"].dataType.simpleString() == "array<float>"


def test_model_loaded_with_load_model_on_the_workers(spark, tmp_path):
    est = Word2VecVectorizer(n_components=8, min_count=1, random_state=0).fit(DOCS)
    path = tmp_path / "w2v.skembed"
    save_model(est, path)
    sdf = spark.createDataFrame(pd.DataFrame({"id": range(len(DOCS)), "text": DOCS}))
    # the path, not the model: each Python worker reads the file itself
    udf = embedding_udf(str(path))
    got = sdf.select("id", udf("text").alias("v")).toPandas().sort_values("id")
    assert_same(est, np.stack(got["v"].to_numpy()), load_model(path).transform(DOCS))


def test_errors_name_what_to_do(spark):
    est = Word2VecVectorizer(n_components=4, min_count=1, random_state=0).fit(DOCS)
    sdf = spark.createDataFrame(pd.DataFrame({"text": DOCS}))
    with pytest.raises(TypeError, match="skembed.spark.embedding_udf"):
        est.transform(sdf)
    with pytest.raises(TypeError, match="Fit on a sample"):
        Word2VecVectorizer().fit(sdf)
    with pytest.raises(ValueError, match="output must be"):
        embedding_udf(est, output="columns")
