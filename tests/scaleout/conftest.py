"""Real services for the scale-out tests, started and closed here.

* ``dask_client``: a ``distributed.LocalCluster`` of 2 worker processes (1
  thread each) on 127.0.0.1, no dashboard. The workers import skembed from
  this checkout: ``PYTHONPATH`` (their ``env``) starts with the repository
  root, so a worktree is tested, not the editable install.
* ``spark``: a ``local[2]`` SparkSession, UI off, its temp and local
  directories under pytest's tmp, Python workers on this interpreter and
  this checkout.

Both are session-scoped: started once, only if a test asks for them.
"""

import importlib
import os
import sys
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parents[2])


def _pythonpath():
    rest = os.environ.get("PYTHONPATH", "")
    return ROOT + (os.pathsep + rest if rest else "")


@pytest.fixture(scope="session")
def dask_client(tmp_path_factory):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        local_directory=str(tmp_path_factory.mktemp("dask-workers")),
        env={"PYTHONPATH": _pythonpath(), "OMP_NUM_THREADS": "1"},
    )
    client = Client(cluster)
    # import skembed on the workers now, so that its cost (seconds on a
    # loaded machine) shows in this fixture, not in the first test
    client.run(importlib.import_module, "skembed")
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    tmp = tmp_path_factory.mktemp("spark")
    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "PYSPARK_PYTHON")}
    # the JVM and the Python workers it forks inherit these
    os.environ["PYTHONPATH"] = _pythonpath()
    os.environ["PYSPARK_PYTHON"] = sys.executable
    java_tmp = tmp / "java"
    java_tmp.mkdir()
    session = (
        SparkSession.builder.master("local[2]")
        .appName("skembed-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", str(tmp / "local"))
        .config("spark.sql.warehouse.dir", str(tmp / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={java_tmp}")
        .config("spark.executorEnv.PYTHONPATH", _pythonpath())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
