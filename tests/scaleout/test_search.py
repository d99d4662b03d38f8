"""The documented search recipes (docs/user_guide/scaling.rst): GridSearchCV
over a node2vec pipeline on Dask (joblib backend "dask") and on Spark
(joblib-spark), the node2vec ``memory=`` cache on a folder every worker
sees, so each embedding is learnt once for the whole search (#17)."""

from pathlib import Path

import joblib
import networkx as nx
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skembed import Node2VecEmbedder

# pyspark 4.x warns that pandas 3 is not fully supported yet (its own
# conversions); the tests check the values it returns
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


def _search(cache):
    G = nx.karate_club_graph()
    y = np.array([G.nodes[v]["club"] == "Officer" for v in G], dtype=int)
    pipe = Pipeline([
        ("emb", Node2VecEmbedder(
            graph=G, n_components=8, walk_length=10, n_walks=4, random_state=0,
            memory=str(cache),
        )),
        ("clf", LogisticRegression()),
    ])  # fmt: skip
    grid = {"emb__q": [0.5, 2.0], "clf__C": [0.1, 1.0]}
    return GridSearchCV(pipe, grid, cv=2, n_jobs=2), np.arange(34), y


def _cached_embeddings(cache):
    """The embeddings the joblib Memory cache holds (one folder per call)."""
    return sorted(p.parent for p in Path(cache).rglob("output.pkl"))


def _check(search, cache, serial_cache_hits):
    # 2 embeddings (q) for 2 x 2 x 2 fits + the refit: learnt once each
    assert len(_cached_embeddings(cache)) == 2
    serial, ids, y = _search(cache)
    serial.set_params(n_jobs=None).fit(ids, y)  # every embedding from the cache
    assert len(_cached_embeddings(cache)) == 2
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert search.best_params_ == serial.best_params_


def test_grid_search_on_dask(dask_client, tmp_path):
    cache = tmp_path / "node2vec-cache"  # one machine: a path both workers see
    search, ids, y = _search(cache)
    with joblib.parallel_backend("dask"):
        search.fit(ids, y)
    _check(search, cache, 2)


def test_grid_search_on_spark(spark, tmp_path):
    from joblibspark import register_spark

    register_spark()
    cache = tmp_path / "node2vec-cache"
    search, ids, y = _search(cache)
    with joblib.parallel_backend("spark", n_jobs=2):
        search.fit(ids, y)
    _check(search, cache, 2)
