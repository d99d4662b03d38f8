"""ContextualVectorizer on the dask workers and in Spark's Python workers
(#17), with the tiny random BERT of tests/text/test_contextual.py (built
here, no network).

The pickled vectorizer holds no weights: each worker process loads the
model from its directory (a path every worker sees) at its first batch.
Both tests run on one worker process: importing torch and transformers
costs each fresh process seconds (5 s here on a loaded machine), and one
process shows the path a cluster takes.
Outputs equal the in-process transform up to float rounding (a partition
pads its documents to another length than the whole call does; padding
changes the last bits, as ``test_padding_invariance`` of the text tests
shows).
"""

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from skembed import ContextualVectorizer
from skembed.spark import embedding_udf

pytest.importorskip("torch")
pytest.importorskip("transformers")

from tests.text import test_contextual as text_tests  # noqa: E402

DOCS = text_tests.DOCS[:12]


@pytest.fixture(scope="module")
def vectorizer(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny_bert_scaleout") / "model"
    text_tests.build_tiny_bert(str(path), text_tests.DOCS)
    return ContextualVectorizer(model=str(path), batch_size=4).fit(DOCS)


def _close(got, expected):
    got = np.asarray(got)
    assert got.dtype == expected.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)


def test_dask_series_equals_in_process(dask_client, vectorizer):
    X = pd.Series(DOCS, index=pd.RangeIndex(100, 100 + len(DOCS)), name="text")
    k = len(X) // 2
    pieces = [X.iloc[:k], X.iloc[k:k], X.iloc[k:]]  # the middle one empty
    lazy = vectorizer.transform(
        dd.from_delayed([dask.delayed(p) for p in pieces], meta=X.iloc[:0])
    )
    assert list(lazy.columns) == list(vectorizer.get_feature_names_out())
    one_worker = sorted(dask_client.scheduler_info()["workers"])[:1]
    got = dask_client.compute(lazy, workers=one_worker).result()
    assert got.index.equals(X.index)
    _close(got.to_numpy(), vectorizer.transform(X))


def test_spark_udf_equals_in_process(spark, vectorizer):
    frame = pd.DataFrame({"id": np.arange(len(DOCS)), "text": DOCS})
    sdf = spark.createDataFrame(frame).coalesce(1)  # one Python worker
    got = (
        sdf.select("id", embedding_udf(vectorizer)("text").alias("v"))
        .toPandas()
        .sort_values("id")
    )
    _close(np.stack(got["v"].to_numpy()), vectorizer.transform(DOCS))
