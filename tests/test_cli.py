"""The command line, run as a user runs it: in a subprocess."""

import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import planted_synonym_corpus


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "skembed", *map(str, args)],
        capture_output=True, text=True, cwd=cwd,
    )


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("word2vec", "node2vec", "item2vec"):
        assert command in out.stdout
    out = run("word2vec", "--help")
    for flag in ("-size", "-window", "-negative", "-min-count", "-sample",
                 "-iter", "-threads", "-cbow", "-binary"):
        assert flag in out.stdout


@pytest.fixture
def corpus_file(tmp_path):
    sentences, topics = planted_synonym_corpus(n_sentences=400)
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(s) for s in sentences) + "\n")
    return path, topics


@pytest.mark.parametrize("binary", [0, 1])
def test_word2vec_round_trips_into_gensim(tmp_path, corpus_file, binary):
    gensim_models = pytest.importorskip("gensim.models")
    path, topics = corpus_file
    out_file = tmp_path / ("vectors.bin" if binary else "vectors.txt")
    out = run("word2vec", "-train", path, "-output", out_file, "-size", 16,
              "-min-count", 1, "-iter", 8, "-sample", 0, "-binary", binary,
              "-seed", 3)
    assert out.returncode == 0, out.stderr
    assert "epoch 8/8" in out.stdout + out.stderr
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(out_file),
                                                         binary=bool(binary))
    assert kv.vector_size == 16 and len(kv) == 34
    nearest = [w for w, _ in kv.most_similar("t0w0", topn=3)]
    assert set(nearest) <= set(topics[0])


def test_word2vec_is_reproducible_with_a_seed(tmp_path, corpus_file):
    path, _ = corpus_file
    outs = []
    for name in ("a.txt", "b.txt"):
        res = run("word2vec", "-train", path, "-output", tmp_path / name,
                  "-size", 8, "-min-count", 1, "-iter", 1, "-seed", 5, "-q")
        assert res.returncode == 0, res.stderr
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


def test_word2vec_reads_a_directory(tmp_path, corpus_file):
    path, _ = corpus_file
    folder = tmp_path / "texts"
    folder.mkdir()
    text = path.read_text().splitlines()
    (folder / "part1.txt").write_text("\n".join(text[:200]))
    (folder / "part2.txt").write_text("\n".join(text[200:]))
    res = run("word2vec", "-train", folder, "-output", tmp_path / "v.txt",
              "-size", 8, "-min-count", 1, "-iter", 1, "-q")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "v.txt").read_text().splitlines()[0] == "34 8"


@pytest.mark.parametrize(
    "args, message",
    [
        (["word2vec", "-train", "missing.txt", "-output", "v.txt"],
         "-train 'missing.txt': no such file or directory"),
        (["word2vec", "-train", "{corpus}", "-output", "v.txt", "-size", "0"],
         "-size must be positive, got 0"),
        (["node2vec", "--input", "{bad_edges}", "--output", "v.txt"],
         "line 2: expected src dst [weight]"),
        (["node2vec", "--input", "{bad_edges}", "--output", "v.txt", "--weighted"],
         "line 1: expected src dst weight"),
        (["word2vec", "-train", "{latin1}", "-output", "v.txt"],
         "bytes not valid utf-8"),
    ],
)
def test_clear_errors_on_bad_input(tmp_path, corpus_file, args, message):
    (tmp_path / "bad.txt").write_text("a b\nonlyone\n")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait\n".encode("latin-1"))
    args = [a.format(corpus=corpus_file[0], bad_edges=tmp_path / "bad.txt",
                     latin1=tmp_path / "latin1.txt") for a in args]
    out = run(*args, cwd=tmp_path)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_node2vec_on_an_edge_list(tmp_path):
    nx = pytest.importorskip("networkx")
    gensim_models = pytest.importorskip("gensim.models")
    graph = nx.karate_club_graph()
    lines = [f"n{u}\tn{v}\t1.0" for u, v in graph.edges()]
    (tmp_path / "edges.tsv").write_text("# karate\n" + "\n".join(lines) + "\n")
    out = run("node2vec", "--input", tmp_path / "edges.tsv", "--output",
              tmp_path / "nodes.txt", "--dimensions", 8, "--walk-length", 10,
              "--num-walks", 5, "--weighted", "--q", 2)
    assert out.returncode == 0, out.stderr
    kv = gensim_models.KeyedVectors.load_word2vec_format(str(tmp_path / "nodes.txt"))
    assert len(kv) == 34 and kv.vector_size == 8
    assert np.isfinite(kv.vectors).all()


def test_item2vec_on_baskets(tmp_path):
    rng = np.random.RandomState(0)
    groups = [[f"a{i}" for i in range(5)], [f"b{i}" for i in range(5)]]
    baskets = [" ".join(rng.choice(groups[k % 2], 4, replace=False))
               for k in range(300)]
    (tmp_path / "baskets.txt").write_text("\n".join(baskets) + "\n")
    out = run("item2vec", "--input", tmp_path / "baskets.txt", "--output",
              tmp_path / "items.txt", "--dimensions", 8, "--seed", 2,
              "--max-context", 2)
    assert out.returncode == 0, out.stderr
    lines = (tmp_path / "items.txt").read_text().splitlines()
    assert lines[0] == "10 8" and len(lines) == 11
