"""Cheap checks of the graph benchmark harness (benchmarks/_graph_common.py).

The benchmark itself is never run here; these tests pin the parts whose bugs
would silently skew its numbers: per-child CPU/RSS accounting, the alignment of
returned vectors to node ids, the F1 evaluation and the ratio/target logic.
"""

import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "benchmarks")
sys.path.insert(0, BENCH)
gc = pytest.importorskip("_graph_common")


def _planted(n_per=30, k=3, seed=0):
    rng = np.random.RandomState(seed)
    labels = np.repeat(np.arange(k), n_per)
    centers = 4 * np.eye(k, 8)
    X = centers[labels] + rng.normal(size=(len(labels), 8))
    return X, labels


def test_evaluate_planted_clusters_and_chance():
    X, labels = _planted()
    splits = gc.make_splits(labels, n_splits=2, seed=0)
    for _train, test in splits:
        assert len(test) == len(labels) // 2
        # stratified: every class is half in train, half in test
        assert np.all(np.bincount(labels[test]) == 15)
    good = gc.evaluate(X, labels, splits)
    assert good["macro_f1"] > 0.95 and good["micro_f1"] > 0.95
    noise = np.random.RandomState(1).normal(size=X.shape)
    bad = gc.evaluate(noise, labels, splits)
    assert bad["macro_f1"] < 0.7


def test_align_vectors_reorders_and_fills_missing():
    vectors = np.array([[2.0, 2.0], [0.0, 0.0], [3.0, 3.0]])
    X, missing = gc.align_vectors(vectors, np.array([2, 0, 3]), n_nodes=5)
    assert missing == 2
    np.testing.assert_array_equal(X[:, 0], [0.0, 0.0, 2.0, 3.0, 0.0])
    with pytest.raises(ValueError, match="do not match"):
        gc.align_vectors(vectors, np.array([0, 1]), n_nodes=5)
    with pytest.raises(ValueError, match="outside"):
        gc.align_vectors(vectors, np.array([0, 1, 9]), n_nodes=5)


def test_run_child_cpu_and_own_peak_rss(tmp_path):
    # a child that burns ~0.3 CPU-s and touches ~200 MB must report both; its
    # own VmHWM (what the workers report) must not include this process's RSS
    code = (
        "import sys, time, numpy as np\n"
        f"sys.path.insert(0, {BENCH!r})\n"
        "from _graph_rss import peak_rss_mb\n"
        "before = peak_rss_mb()\n"
        "a = np.ones(25_000_000)\n"
        "t = time.process_time()\n"
        "while time.process_time() - t < 0.3: pass\n"
        "print(before, peak_rss_mb())\n"
    )
    log = tmp_path / "log"
    res = gc.run_child([sys.executable, "-c", code], log_path=str(log))
    assert res["returncode"] == 0 and not res["timed_out"]
    assert res["cpu_s"] >= 0.3
    before, after = map(float, log.read_text().split())
    assert 190 < after - before < 260
    assert res["ru_maxrss_mb"] >= after - 1
    slow = gc.run_child(
        [sys.executable, "-c", "import time; time.sleep(30)"], timeout=1
    )
    assert slow["timed_out"] and slow["returncode"] != 0


def test_ratio_rows_and_targets():
    base = dict(graph="g", p=1.0, q=1.0, returncode=0)
    runs = [
        dict(
            base,
            method="skembed",
            cpu_s=40.0,
            peak_rss_mb=100.0,
            macro_f1=0.890,
            micro_f1=0.90,
        ),
        dict(
            base,
            method="pecanpy-SparseOTF",
            cpu_s=160.0,
            peak_rss_mb=400.0,
            macro_f1=0.894,
            micro_f1=0.91,
        ),
        dict(
            base,
            method="pecanpy-PreComp",
            cpu_s=60.0,
            peak_rss_mb=150.0,
            macro_f1=0.900,
            micro_f1=0.91,
        ),
        dict(base, method="pecanpy-DenseOTF", returncode=1, error="boom"),
    ]
    rows = {r["versus"]: r for r in gc.ratio_rows(runs)}
    assert set(rows) == {"pecanpy-SparseOTF", "pecanpy-PreComp"}
    assert rows["pecanpy-SparseOTF"]["cpu_ratio"] == pytest.approx(0.25)
    assert rows["pecanpy-SparseOTF"]["met"] == dict(cpu=True, rss=True, f1=True)
    assert rows["pecanpy-PreComp"]["met"] == dict(cpu=False, rss=False, f1=False)
    table = gc.ratio_table(list(rows.values()))
    assert table.count("**MISS**") == 3
    assert "boom" in gc.results_table(runs)


def test_spectral_table_fit_cpu_and_plot(tmp_path):
    runs = [
        dict(graph="g", method="prone", p=1, q=1, returncode=0, macro_f1=0.6,
             micro_f1=0.7, cpu_s=2.0, peak_rss_mb=300.0,
             phases={"fit": {"cpu": 0.3, "wall": 0.3}}),
        dict(graph="g", method="skembed", p=1, q=1, returncode=0, macro_f1=0.5,
             micro_f1=0.7, cpu_s=30.0, peak_rss_mb=300.0,
             phases={"fit": {"cpu": 15.0, "wall": 15.0}}),
        dict(graph="g", method="pecanpy-PreComp", p=1, q=1, returncode=0,
             macro_f1=0.65, micro_f1=0.7, cpu_s=60.0, peak_rss_mb=500.0,
             phases={"walks": {"cpu": 10.0, "wall": 10.0},
                     "embed": {"cpu": 40.0, "wall": 40.0}}),
    ]
    table = gc.spectral_table(runs)
    assert "| g | node2vec (skembed) p,q=1,1 | 0.067 ok (<= 0.1) | 0.020 |" in table
    assert "| 0.033 ok (<= 0.05) | 0.006 | 0.60 | -0.0500 **MISS**" in table
    pytest.importorskip("matplotlib")
    assert gc.plot_quality_cpu(runs, str(tmp_path / "q.png"))
    assert (tmp_path / "q.png").stat().st_size > 1000


def test_make_splits_skips_unlabelled_and_singleton_classes():
    labels = np.array([0, 0, 1, 1, 2, -1, 0, 1])
    for train, test in gc.make_splits(labels, n_splits=2, seed=0):
        assert 4 not in train and 4 not in test  # class 2 has one node
        assert 5 not in train and 5 not in test  # unlabelled
        assert len(train) + len(test) == 6


def test_sbm_graph_is_seeded_and_undirected():
    e1, y1 = gc.sbm_edges(n=400, k=4, seed=1)
    e2, _ = gc.sbm_edges(n=400, k=4, seed=1)
    assert np.array_equal(e1, e2) and (e1[:, 0] < e1[:, 1]).all()
    inside = (y1[e1[:, 0]] == y1[e1[:, 1]]).mean()
    assert 0.2 < inside < 0.4  # mixing 0.7


def test_aggregate_seeds_means_sd_and_failures(tmp_path):
    def run(method, seed, cpu, f1, fit=None, rc=0):
        r = dict(graph="g", method=method, p=1.0, q=1.0, seed=seed,
                 returncode=rc, n_nodes=10)
        if rc == 0:
            r.update(cpu_s=cpu, wall_s=cpu, peak_rss_mb=100.0,
                     rss_after_import_mb=50.0, macro_f1=f1, micro_f1=f1)
            if fit is not None:
                r["phases"] = {"fit": {"cpu": fit, "wall": fit}}
        else:
            r["error"] = "boom"
        return r

    runs = [run("skembed", s, c, f) for s, c, f in
            [(0, 10.0, 0.80), (1, 12.0, 0.82), (2, 14.0, 0.84)]]
    runs += [run("prone", s, 2.0, 0.81, fit=0.2) for s in (0, 1)]
    runs += [run("prone", 2, None, None, rc=1)]
    runs += [run("pecanpy-FirstOrderUnweighted", s, 20.0, 0.83) for s in (0, 1, 2)]
    runs += [dict(graph="h", method="svd", p=1.0, q=1.0, returncode=0,
                  cpu_s=1.0, macro_f1=0.5, micro_f1=0.5, peak_rss_mb=1.0)]
    agg = {(r["graph"], r["method"]): r for r in gc.aggregate_seeds(runs)}
    n2v = agg["g", "skembed"]
    assert n2v["n_seeds"] == 3 and n2v["cpu_s"] == pytest.approx(12.0)
    assert n2v["sd_macro_f1"] == pytest.approx(0.02)
    prone = agg["g", "prone"]
    assert prone["n_seeds"] == 2 and prone["n_failed"] == 1
    assert prone["phases"]["fit"]["cpu"] == pytest.approx(0.2)
    assert "seed" not in agg["h", "svd"]  # seedless records pass through
    table = gc.seed_table(list(agg.values()))
    assert "| 3 | 12.0 ± 2.0 |" in table and "2 (1 failed)" in table
    assert "**0.8200 ± 0.0200**" in table
    # ratios of the means: node2vec 12 CPU-s vs pecanpy 20
    (row,) = gc.ratio_rows(list(agg.values()))
    assert row["cpu_ratio"] == pytest.approx(0.6)
    assert row["macro_f1_delta"] == pytest.approx(-0.01)
    assert "| node2vec | pecanpy-FirstOrderUnweighted |" in gc.ratio_table([row])
    (dw,) = gc.ratio_rows(
        [dict(r, method="deepwalk") if r["method"] == "skembed" else r
         for r in agg.values()], ours="deepwalk")
    assert dw["ours"] == "deepwalk"
    assert "(seed 1)" in gc.results_table(runs)
