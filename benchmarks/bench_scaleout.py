# ruff: noqa: E501  (long Markdown table strings)
"""Scale-out benchmark (#17): transform throughput in process, on 2 dask
workers and on Spark ``local[2]``; overhead per partition; first-task
latency of a fresh worker process with and without a warm numba cache;
fitted model bytes per estimator.

Data are generated partition by partition from a seed, *where the
partition is transformed* (in the loop of the in-process run, on the dask
worker, in the Spark Python worker), so no engine ships the input over the
network; generation alone is timed in each engine and subtracted, so the
throughput is the transform's.

* ``EntityEmbeddingEncoder``: 3 categorical columns (1,000 levels each,
  Zipf-like), fitted on 50,000 rows; output 3 x 8 columns.
* ``Word2VecVectorizer``: documents of 12 words from a 5,000-word Zipf
  vocabulary, fitted on 20,000 documents (1 epoch), 64 dimensions, mean
  pooling.

Outputs are reduced where they are made (a row count per partition for
dask, Spark's ``noop`` sink), never collected.

    flock /tmp/skembed-bench.lock python benchmarks/bench_scaleout.py --rows 1000000
    flock /tmp/skembed-bench.lock python benchmarks/bench_scaleout.py   # 10 M rows

appends to ``benchmarks/results/scaleout.md`` (``--out`` to change).
"""

import argparse
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

N_LEVELS = 1_000
VOCAB = 5_000
DOC_WORDS = 12


def _zipf(rng, n, size):
    p = 1.0 / np.arange(1, n + 1)
    return rng.choice(n, size=size, p=p / p.sum())


def make_table(seed, n):
    rng = np.random.RandomState(seed)
    return pd.DataFrame(
        {c: np.char.add(c, _zipf(rng, N_LEVELS, n).astype(str)) for c in ("a", "b", "c")}
    )


def make_docs(seed, n):
    rng = np.random.RandomState(seed)
    words = np.char.add("w", np.arange(VOCAB).astype(str))
    ids = _zipf(rng, VOCAB, n * DOC_WORDS).reshape(n, DOC_WORDS)
    return pd.Series([" ".join(row) for row in words[ids]], name="text")


MAKERS = {"entity": make_table, "w2v": make_docs, "d2v": make_docs}


def fit_models():
    from skembed import EntityEmbeddingEncoder, Word2VecVectorizer

    X = make_table(10**6, 50_000)
    y = (X["a"].str.len() % 2).to_numpy() + np.random.RandomState(0).normal(0, 1, len(X))
    enc = EntityEmbeddingEncoder(n_components=8, n_epochs=2, random_state=0).fit(X, y)
    w2v = Word2VecVectorizer(
        n_components=64, n_epochs=1, min_count=1, random_state=0
    ).fit(make_docs(10**6 + 1, 20_000))
    return {"entity": enc, "w2v": w2v}


def _gen_and_count(kind, seed, n):
    return len(MAKERS[kind](seed, n))


def _gen_and_transform(model, kind, seed, n):
    X = MAKERS[kind](seed, n)
    return model.transform(X if kind == "entity" else X).shape[0]


# ----------------------------------------------------------------- engines
def run_in_process(model, kind, n_parts, part_rows):
    t0 = time.perf_counter()
    for s in range(n_parts):
        _gen_and_count(kind, s, part_rows)
    gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = sum(_gen_and_transform(model, kind, s, part_rows) for s in range(n_parts))
    total = time.perf_counter() - t0
    assert rows == n_parts * part_rows
    return gen, total


def _dask_input(kind, n_parts, part_rows):
    import dask.dataframe as dd

    meta = MAKERS[kind](0, 1).iloc[:0]
    return dd.from_map(
        lambda s: MAKERS[kind](s, part_rows), list(range(n_parts)), meta=meta
    )


def run_dask(client, model, kind, n_parts, part_rows):
    X = _dask_input(kind, n_parts, part_rows)
    t0 = time.perf_counter()
    n = X.map_partitions(len).compute().sum()
    gen = time.perf_counter() - t0
    assert n == n_parts * part_rows
    t0 = time.perf_counter()
    lazy = model.transform(_dask_input(kind, n_parts, part_rows))
    rows = lazy.map_partitions(len).compute().sum()
    total = time.perf_counter() - t0
    assert rows == n_parts * part_rows
    return gen, total


def run_spark(spark, model, kind, n_parts, part_rows):
    import pyspark.sql.functions as F

    from skembed.spark import embedding_udf

    schema = "a string, b string, c string" if kind == "entity" else "text string"
    cols = ["a", "b", "c"] if kind == "entity" else ["text"]

    def gen(batches):
        for batch in batches:
            for s in batch["seed"]:
                part = MAKERS[kind](int(s), part_rows)
                yield part.to_frame() if isinstance(part, pd.Series) else part

    seeds = spark.createDataFrame(pd.DataFrame({"seed": np.arange(n_parts)})).repartition(
        n_parts, "seed"
    )
    frame = seeds.mapInPandas(gen, schema)
    t0 = time.perf_counter()
    frame.write.format("noop").mode("overwrite").save()
    gen_t = time.perf_counter() - t0
    udf = embedding_udf(model)
    t0 = time.perf_counter()
    frame.select(udf(*[F.col(c) for c in cols]).alias("v")).write.format("noop").mode(
        "overwrite"
    ).save()
    total = time.perf_counter() - t0
    return gen_t, total


# ------------------------------------------------------- fresh worker start
FIRST_TASK = r"""
import pickle, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
import skembed
t1 = time.perf_counter()
model = pickle.load(open(sys.argv[1], "rb"))
from benchmarks.bench_scaleout import MAKERS
X = MAKERS[sys.argv[3]](0, 1000)
model.transform(X)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def first_task_latency(model, kind, tmp):
    """Seconds from a fresh process to the first transformed block: import,
    then unpickle + first transform (numba compiles or loads its cache)."""
    path = Path(tmp) / f"{kind}.pkl"
    path.write_bytes(pickle.dumps(model))
    cache = Path(tmp) / f"numba-{kind}"
    out = {}
    for label in ("cold", "warm"):
        env = dict(os.environ, NUMBA_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
        t0 = time.perf_counter()
        res = subprocess.run(
            [sys.executable, "-c", FIRST_TASK, str(path), str(ROOT), kind],
            env=env, capture_output=True, text=True, check=True,
        )
        wall = time.perf_counter() - t0
        imp, first = map(float, res.stdout.split())
        out[label] = (wall, imp, first)
    return out


def model_bytes():
    from skembed import save_model
    from tests._cases import CASES, OTHER_CASES

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in {**CASES, **OTHER_CASES}.items():
            est = build()[0]
            pickled = len(pickle.dumps(est, protocol=pickle.HIGHEST_PROTOCOL))
            try:
                save_model(est, Path(tmp) / "m.skembed")
                saved = (Path(tmp) / "m.skembed").stat().st_size
            except Exception:
                saved = None
            rows.append((name, type(est).__name__, pickled, saved))
    return rows


# --------------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--parts", type=int, default=16)
    parser.add_argument("--overhead-parts", type=int, default=128)
    parser.add_argument("--out", default=str(HERE / "results" / "scaleout.md"))
    args = parser.parse_args()
    part_rows = args.rows // args.parts
    n_parts = args.parts
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    os.environ["PYSPARK_PYTHON"] = sys.executable

    models = fit_models()
    lines = []
    log = print

    from distributed import Client, LocalCluster

    tmp = tempfile.mkdtemp(prefix="skembed-bench-scaleout-")
    results = {}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, local_directory=tmp,
        env={"PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"},
    ) as cluster, Client(cluster) as client:
        for kind, model in models.items():
            # warm every engine (imports, numba) on a small run first
            run_in_process(model, kind, 2, 1000)
            run_dask(client, model, kind, 2, 1000)
            results[kind, "in-process"] = run_in_process(model, kind, n_parts, part_rows)
            log(kind, "in-process", results[kind, "in-process"])
            results[kind, "dask"] = run_dask(client, model, kind, n_parts, part_rows)
            log(kind, "dask", results[kind, "dask"])
            small = max(1, args.rows // 10 // args.overhead_parts)
            results[kind, "dask-overhead"] = (
                run_dask(client, model, kind, 4, small * args.overhead_parts // 4),
                run_dask(client, model, kind, args.overhead_parts, small),
            )
            log(kind, "dask-overhead", results[kind, "dask-overhead"])

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.local.dir", tmp)
        .config("spark.executorEnv.PYTHONPATH", str(ROOT))
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for kind, model in models.items():
            run_spark(spark, model, kind, 2, 1000)
            results[kind, "spark"] = run_spark(spark, model, kind, n_parts, part_rows)
            log(kind, "spark", results[kind, "spark"])
    finally:
        spark.stop()

    from skembed import Doc2VecVectorizer

    # Doc2Vec infers each document with numba kernels: the case where the
    # numba cache matters for a fresh worker
    models_latency = {
        **models,
        "d2v": Doc2VecVectorizer(
            n_components=32, n_epochs=1, min_count=1, random_state=0
        ).fit(make_docs(10**6 + 2, 5_000)),
    }
    latency = {k: first_task_latency(m, k, tmp) for k, m in models_latency.items()}
    sizes = model_bytes()

    n = n_parts * part_rows
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()
    lines += [
        f"## Run of {now}: {n:,} rows in {n_parts} partitions",
        "",
        f"`{' '.join(sys.argv)}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} (other sessions share the cores: compare "
        "ratios of this run, not seconds).",
        "",
        "Throughput of `transform` (rows/s; generation of the rows, timed alone in "
        "each engine, subtracted):",
        "",
        "| estimator | in process | 2 dask workers | Spark local[2] | dask / in process | Spark / in process |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, name in (("entity", "EntityEmbeddingEncoder"), ("w2v", "Word2VecVectorizer")):
        rate = {}
        for engine in ("in-process", "dask", "spark"):
            gen, total = results[kind, engine]
            rate[engine] = n / max(total - gen, 1e-9)
        lines.append(
            f"| {name} | {rate['in-process']:,.0f} | {rate['dask']:,.0f} | "
            f"{rate['spark']:,.0f} | {rate['dask'] / rate['in-process']:.2f}x | "
            f"{rate['spark'] / rate['in-process']:.2f}x |"
        )
    lines += [
        "",
        "End to end (rows generated and transformed in each partition; seconds and "
        "speed-up over in process). The subtraction above divides by a difference "
        "of two timings and is noisier; this is the figure to quote:",
        "",
        "| estimator | in process (s) | 2 dask workers (s) | Spark local[2] (s) | dask speed-up | Spark speed-up |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, name in (("entity", "EntityEmbeddingEncoder"), ("w2v", "Word2VecVectorizer")):
        t = {e: results[kind, e][1] for e in ("in-process", "dask", "spark")}
        lines.append(
            f"| {name} | {t['in-process']:.2f} | {t['dask']:.2f} | {t['spark']:.2f} | "
            f"{t['in-process'] / t['dask']:.2f}x | {t['in-process'] / t['spark']:.2f}x |"
        )
    lines += [
        "",
        f"Overhead per dask partition: the same rows (1/10 of the run) in 4 vs "
        f"{args.overhead_parts} partitions, (t_{args.overhead_parts} - t_4) / "
        f"{args.overhead_parts - 4} (generation included in both):",
        "",
        "| estimator | 4 partitions (s) | many partitions (s) | per partition (ms) |",
        "|---|---:|---:|---:|",
    ]
    for kind in models:
        (g4, t4), (gm, tm) = results[kind, "dask-overhead"]
        per = (tm - t4) / (args.overhead_parts - 4) * 1e3
        lines.append(f"| {kind} | {t4:.2f} | {tm:.2f} | {per:.1f} |")
    lines += [
        "",
        "First task of a fresh worker process (`python -c`: import skembed, unpickle "
        "the model, transform 1,000 rows), numba cache empty (cold) then filled by "
        "the first run (warm):",
        "",
        "| estimator | cache | wall (s) | import skembed (s) | unpickle + first transform (s) |",
        "|---|---|---:|---:|---:|",
    ]
    for kind, res in latency.items():
        for label, (wall, imp, first) in res.items():
            lines.append(f"| {kind} | {label} | {wall:.2f} | {imp:.2f} | {first:.2f} |")
    lines += [
        "",
        "Fitted model bytes: the benchmark models, then the small models of "
        "`tests/_cases.py` (pickle, what dask scatters and Spark broadcasts; "
        "`save_model` file, what `embedding_udf(path)` reads):",
        "",
        "| model | estimator | pickle (bytes) | save_model (bytes) |",
        "|---|---|---:|---:|",
    ]
    for kind, model in models.items():
        lines.append(
            f"| bench {kind} | {type(model).__name__} | "
            f"{len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)):,} | |"
        )
    for name, cls, pickled, saved in sizes:
        lines.append(f"| {name} | {cls} | {pickled:,} | {'' if saved is None else f'{saved:,}'} |")
    text = "\n".join(lines) + "\n\n"
    print(text)
    out = Path(args.out)
    if not out.exists():
        out.write_text("# Scale-out benchmark\n\nWritten by `benchmarks/bench_scaleout.py`.\n\n")
    with out.open("a") as f:
        f.write(text)


if __name__ == "__main__":
    main()
