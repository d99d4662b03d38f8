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
    for command in ("word2vec", "node2vec", "deepwalk", "line", "item2vec"):
        assert command in out.stdout
    out = run("word2vec", "--help")
    for flag in ("-size", "-window", "-negative", "-min-count", "-sample",
                 "-iter", "-threads", "-cbow", "-binary", "-hs", "-save-vocab",
                 "-read-vocab", "-classes", "-debug", "-alpha"):
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
                  "-size", 8, "-min-count", 1, "-iter", 1, "-seed", 5, "--quiet",
                  "-threads", 1)
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
              "-size", 8, "-min-count", 1, "-iter", 1, "--quiet", "-threads", 1)
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


# ------------------------------------------------------ malformed input files
# In-process (main(argv)) for speed: every case must stop with exit status 2
# and one line on stderr, before any training.
def cli(capsys, *args):
    from skembed._cli import main

    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_error_line(code, err, command, *fragments):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"skembed {command}: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def files(tmp_path):
    good = "\n".join(["alpha beta", "gamma delta"] * 15) + "\n"
    paths = {
        "latin1": "café au lait\n".encode("latin-1"),
        # 500 good lines, then a line with invalid UTF-8 in its middle
        "mid": good.encode() * 17 + "x y\nok zz \xff\xfe tail\n".encode("latin-1")
        + b"more text\n",
        "empty": b"",
        "blank": b"\n   \n\t\n\n",
        "nul": b"some text\n\x00\x00\x01\x02binary\n",
        "garbage": bytes(np.random.RandomState(0).randint(128, 256, 300)
                         .astype(np.uint8)),
        "good": good.encode(),
        "baskets": b"a b c\nb c d\n" * 20,
    }
    out = {}
    for name, data in paths.items():
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_bytes(data)
    return out


def _train_args(command, path, output):
    if command == "word2vec":
        return ["word2vec", "-train", path, "-output", output, "-size", 4,
                "-iter", 1, "-min-count", 1, "-sample", 0, "--quiet"]
    if command == "item2vec":
        return ["item2vec", "--input", path, "--output", output, "--dimensions",
                4, "--epochs", 1, "--quiet"]
    return ["node2vec", "--input", path, "--output", output, "--dimensions", 4,
            "--walk-length", 5, "--num-walks", 2, "--quiet"]


@pytest.mark.parametrize("command", ["word2vec", "item2vec", "node2vec"])
def test_undecodable_file_names_file_line_and_byte_offset(
    capsys, tmp_path, files, command
):
    flag = "-train" if command == "word2vec" else "--input"
    code, _, err = cli(capsys, *_train_args(command, files["latin1"],
                                            tmp_path / "v.txt"))
    assert_one_error_line(
        code, err, command, f"{flag} '{files['latin1']}', line 1 (byte offset 3)",
        "bytes not valid utf-8 b'\\xe9 au'", "--encoding",
    )
    mid = files["mid"]
    offset = mid.read_bytes().index(b"\xff")
    code, _, err = cli(capsys, *_train_args(command, mid, tmp_path / "v.txt"))
    assert_one_error_line(
        code, err, command, f"line 512 (byte offset {offset})", "b'\\xff\\xfe"
    )
    assert not (tmp_path / "v.txt").exists()


def test_encoding_and_decode_errors_options(capsys, tmp_path, files):
    out = tmp_path / "v.txt"
    code, _, err = cli(capsys, *_train_args("word2vec", files["latin1"], out),
                       "--encoding", "latin-1")
    assert code == 0, err
    assert "café" in out.read_text(encoding="utf-8")
    code, _, err = cli(capsys, *_train_args("word2vec", files["mid"], out),
                       "--decode-errors", "replace")
    assert code == 0, err
    code, _, err = cli(capsys, *_train_args("word2vec", files["good"], out),
                       "--encoding", "no-such-codec")
    assert_one_error_line(code, err, "word2vec",
                          "--encoding 'no-such-codec': unknown encoding")


@pytest.mark.parametrize("command", ["word2vec", "item2vec", "node2vec"])
@pytest.mark.parametrize("name, message", [
    ("empty", "empty, or only blank"),
    ("blank", "empty, or only blank"),
    ("nul", "line 2: a NUL byte; this looks like a binary file"),
    ("garbage", "line 1 (byte offset 0): bytes not valid utf-8"),
    ("missing", "no such file or directory"),
])
def test_unusable_input_files(capsys, tmp_path, files, command, name, message):
    path = files.get(name, tmp_path / "missing.txt")
    code, _, err = cli(capsys, *_train_args(command, path, tmp_path / "v.txt"))
    assert_one_error_line(code, err, command, repr(str(path)), message)


def test_a_directory_as_input(capsys, tmp_path, files):
    code, _, err = cli(capsys, *_train_args("node2vec", tmp_path, tmp_path / "v"))
    assert_one_error_line(code, err, "node2vec", "is a directory; expected a file")
    empty = tmp_path / "nothing"
    empty.mkdir()
    code, _, err = cli(capsys, *_train_args("word2vec", empty, tmp_path / "v"))
    assert_one_error_line(code, err, "word2vec", "the directory holds no file")


@pytest.mark.parametrize("command", ["word2vec", "item2vec", "node2vec"])
def test_output_that_cannot_be_written_fails_before_training(
    capsys, tmp_path, files, command
):
    flag = "-output" if command == "word2vec" else "--output"
    edges = tmp_path / "edges.txt"
    edges.write_text("a b\nb c\n")
    source = edges if command == "node2vec" else files["good"]
    target = tmp_path / "no" / "such" / "v.txt"
    code, _, err = cli(capsys, *_train_args(command, source, target))
    assert_one_error_line(code, err, command, f"{flag} '{target}'",
                          "does not exist")
    code, _, err = cli(capsys, *_train_args(command, source, tmp_path))
    assert_one_error_line(code, err, command, "is a directory; expected a file name")


@pytest.mark.parametrize("text, weighted, message", [
    ("a b\nc\n", False, "line 2: expected src dst [weight], got 1 column(s)"),
    ("a b 1 2\n", False, "line 1: expected src dst [weight], got 4 column(s)"),
    ("a b\n", True, "line 1: expected src dst weight, got 2 column(s)"),
    ("# c\na b 1\nb c heavy\n", True, "line 3: weight 'heavy' is not a number"),
    ("a b -1\n", True, "line 1: weight '-1' must be a finite number >= 0"),
    ("a b nan\n", True, "line 1: weight 'nan' must be a finite number >= 0"),
    ("a b inf\n", True, "line 1: weight 'inf' must be a finite number >= 0"),
    ("# only\n# comments\n\n", False, "no edge found (empty, or only blank and #"),
])
def test_malformed_edge_lists(capsys, tmp_path, text, weighted, message):
    path = tmp_path / "edges.txt"
    path.write_text(text)
    args = _train_args("node2vec", path, tmp_path / "v.txt")
    code, _, err = cli(capsys, *args, *(["--weighted"] if weighted else []))
    assert_one_error_line(code, err, "node2vec", f"--input '{path}'", message)


@pytest.mark.filterwarnings("ignore:.*saw no training token")  # 3 nodes
def test_edge_list_comments_blank_lines_commas_and_ignored_weights(
    capsys, tmp_path
):
    """Documented results: # comment and blank lines are skipped, commas
    separate like spaces, and without --weighted a third column is ignored."""
    path = tmp_path / "edges.csv"
    path.write_text("# source,target,weight\n\na,b,5\n  # indented comment\n"
                    "b,c,0.5\nc a 1\n")
    out = tmp_path / "v.txt"
    code, _, err = cli(capsys, *_train_args("node2vec", path, out))
    assert code == 0, err
    lines = out.read_text().splitlines()
    assert lines[0] == "3 4"
    assert sorted(line.split()[0] for line in lines[1:]) == ["a", "b", "c"]


@pytest.mark.parametrize("command, flags", [
    ("word2vec", ["-train", "-output", "-size", "--encoding", "--decode-errors"]),
    ("node2vec", ["--input", "--output", "--weighted", "--encoding"]),
    ("item2vec", ["--input", "--output", "--context", "--encoding"]),
    ("deepwalk", ["--input", "--output", "--number-walks", "--workers"]),
    ("line", ["-train", "-output", "-order", "-samples", "-rho", "-threads"]),
])
def test_help_of_each_subcommand(capsys, command, flags):
    code, out, _ = cli(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: skembed {command}")
    for flag in flags:
        assert flag in out


def _pinned_inputs(tmp_path):
    """An edge list with string and numeric-looking ids ("01" is not "1"),
    comments, blank lines, commas, tabs and weights; a basket directory."""
    rng = np.random.RandomState(0)
    names = [f"n{i}" for i in range(30)] + ["1", "01", "7"]
    lines = ["# source target weight", ""]
    for k in range(300):
        u, v = rng.choice(names, 2)
        sep = [" ", "\t", ",", " , "][k % 4]
        lines.append(f"{u}{sep}{v}{sep}{rng.randint(1, 9) / 4}")
        if k % 50 == 7:
            lines += ["  # an indented comment", "   "]
    edges = tmp_path / "edges.txt"
    edges.write_text("\n".join(lines) + "\n")
    folder = tmp_path / "baskets"
    folder.mkdir()
    for part in range(2):
        rows = [" ".join(rng.choice(names, rng.randint(1, 6))) for _ in range(150)]
        rows[10] = "   "
        (folder / f"part{part}.txt").write_text("\n".join(rows) + "\n")
    return edges, folder


#: sha256 (first 16 hex digits) of the CLI's output files for the inputs
#: of _pinned_inputs, pinned before the readers streamed (issue #8)
CLI_DIGESTS = {
    # changed on purpose by #18: --walk-length counts steps as pecanpy's
    # (N + 1 nodes); and by #15: the walk embedders train in gensim's order
    # (output vectors per pair) from gensim's start (before: 8fec0c9129a92c51,
    # 26fa550542a1f01a, 3940c67e3c575f01)
    "node2vec": "350c9d937979643e",
    "node2vec-weighted": "a9640d043f70a646",
    "node2vec-directed": "286ba00d6fdbc690",
    # changed on purpose by #16: the default set context is now sampled
    # (n_context=10 partners per occurrence), not all pairs
    "item2vec": "a2d9341fbe1ece9b",
    "item2vec-sequence": "dc2159ae6740c8b7",
}


def test_cli_outputs_pinned(capsys, tmp_path):
    """The node2vec and item2vec commands write the same bytes for the same
    input and seed as before their readers streamed the input."""
    import hashlib

    edges, folder = _pinned_inputs(tmp_path)
    runs = {
        "node2vec": ["node2vec", "--input", edges, "--dimensions", 6,
                     "--walk-length", 8, "--num-walks", 3, "--seed", 4, "--quiet",
                     "--workers", 1],
        "node2vec-weighted": ["node2vec", "--input", edges, "--dimensions", 6,
                              "--walk-length", 8, "--num-walks", 3, "--weighted",
                              "--q", 2, "--seed", 4, "--quiet", "--workers", 1],
        "node2vec-directed": ["node2vec", "--input", edges, "--dimensions", 6,
                              "--walk-length", 8, "--num-walks", 3, "--directed",
                              "--weighted", "--binary", "--quiet", "--workers", 1],
        "item2vec": ["item2vec", "--input", folder, "--dimensions", 6,
                     "--epochs", 3, "--seed", 4, "--quiet", "--workers", 1],
        "item2vec-sequence": ["item2vec", "--input", folder / "part1.txt",
                              "--dimensions", 6, "--context", "sequence",
                              "--min-count", 2, "--binary", "--quiet", "--workers", 1],
    }
    got = {}
    for name, args in runs.items():
        out = tmp_path / f"{name}.out"
        code, _, err = cli(capsys, *args, "--output", out)
        assert code == 0, err
        got[name] = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    assert got == CLI_DIGESTS


def test_read_edgelist_streams_into_int32_codes(tmp_path):
    """Issue #8: the edge list is parsed into an (n_edges, 2) int32 array of
    node codes (no Python object per edge), numbered as the estimator
    numbers string ids: first appearance as a source, then as a target."""
    from skembed._cli import read_edgelist

    path = tmp_path / "edges.txt"
    path.write_text("b a 1\n\n# comment\nc b 2\n d,a , 0.5\nd e 1\n")
    edges, weights, names = read_edgelist(str(path), weighted=True)
    assert names == ["b", "c", "d", "a", "e"]
    assert edges.dtype == np.int32 and edges.shape == (4, 2)
    np.testing.assert_array_equal(edges, [[0, 3], [1, 0], [2, 3], [2, 4]])
    np.testing.assert_array_equal(weights, [1.0, 2.0, 0.5, 1.0])
    edges, weights, names = read_edgelist(str(path), weighted=False)
    assert weights is None and names == ["b", "c", "d", "a", "e"]


# ------------------------------------------- the reference tools' command lines
# What each flag maps to is checked on the estimator the command builds
# (recorded, not trained: fast); a few real runs check the files.
class _Built(Exception):
    pass


@pytest.fixture
def built(monkeypatch):
    """``built(name)``: run a command line up to the estimator it builds and
    return the keyword arguments it was given."""
    import skembed._cli as cli_module

    def record(**params):
        record.params = params
        raise _Built

    def run_until_built(*args, estimator="Word2VecVectorizer", factory=record):
        monkeypatch.setattr(cli_module, estimator, factory)
        with pytest.raises(_Built):
            cli_module.main([str(a) for a in args])
        return factory.params

    return run_until_built


def test_word2vec_takes_word2vec_c_defaults(built, corpus_file, tmp_path):
    """No flag: word2vec.c's defaults -- CBOW, 100 dimensions, window 5,
    sample 1e-3, 5 negatives, 5 epochs, min-count 5, alpha 0.05 for CBOW --
    and every core (word2vec.c: 12 threads)."""
    out = tmp_path / "v.txt"
    params = built("word2vec", "-train", corpus_file[0], "-output", out)
    expected = dict(algorithm="cbow", n_components=100, window=5, sample=1e-3,
                    negative=5, n_epochs=5, min_count=5, learning_rate=0.05,
                    n_jobs=-1, verbose=1)
    assert {k: params[k] for k in expected} == expected
    # -cbow 0: skip-gram, whose default alpha is 0.025 (word2vec.c)
    params = built("word2vec", "-train", corpus_file[0], "-output", out,
                   "-cbow", 0)
    assert (params["algorithm"], params["learning_rate"]) == ("skipgram", 0.025)
    params = built("word2vec", "-train", corpus_file[0], "-output", out,
                   "-cbow", 0, "-alpha", 0.1)
    assert params["learning_rate"] == 0.1


@pytest.mark.parametrize("spellings", [
    [["-min-count", 2], ["-min_count", 2], ["--min-count", 2], ["--min_count", 2]],
    [["-threads", 3], ["--workers", 3], ["--threads", 3], ["-workers", 3]],
    [["-seed", 4], ["--seed", 4], ["--random_state", 4], ["--random-state", 4]],
    [["-size", 16], ["--dimensions", 16]],
    [["-iter", 2], ["--epochs", 2]],
    [["-window", 3], ["--window-size", 3], ["--window_size", 3]],
    [["-binary", 1], ["--binary"], ["-binary"], ["--binary", 1]],
    [["-debug", 0], ["--quiet"], ["-quiet"], ["--verbose", 0]],
    [["-hs", 0, "-sample", 0], ["-sample", 0, "-hs", 0]],
])
def test_word2vec_spellings_are_the_same_flag(built, corpus_file, tmp_path,
                                               spellings):
    """word2vec.c's, gensim-standalone's and pecanpy's spellings of a flag
    build the same model (`-hs 0` used to fail as `-h s`)."""
    import skembed._cli as cli_module

    seen = []
    for flags in spellings:
        args = cli_module._parser().parse_args(
            ["word2vec", "-train", str(corpus_file[0]), "-output", "v.txt",
             *map(str, flags)]
        )
        seen.append(vars(args))
    assert all(s == seen[0] for s in seen[1:])
    params = built("word2vec", "-train", corpus_file[0], "-output",
                   tmp_path / "v.txt", *spellings[0])
    assert params["n_components"] in (16, 100)


def test_word2vec_hs_trains_hierarchical_softmax(built, capsys, corpus_file,
                                                 tmp_path):
    """word2vec.c's -hs 1 is Word2VecVectorizer(hs=True); with -negative 0,
    hierarchical softmax alone (word2vec.c's own combination)."""
    out = tmp_path / "v.txt"
    args = ["word2vec", "-train", corpus_file[0], "-output", out, "-hs", 1,
            "-negative", 0, "-min-count", 1, "-size", 8, "-threads", 1]
    params = built(*args)
    assert params["hs"] is True and params["negative"] == 0
    built_default = built("word2vec", "-train", corpus_file[0], "-output", out)
    assert "hs" not in built_default or not built_default["hs"]


def test_word2vec_hs_alone_runs(capsys, corpus_file, tmp_path):
    out = tmp_path / "v.txt"
    code, _, err = cli(capsys, "word2vec", "-train", corpus_file[0], "-output",
                       out, "-hs", 1, "-negative", 0, "-min-count", 1,
                       "-size", 8, "-threads", 1)
    assert code == 0, err
    header = out.read_text().splitlines()[0].split()
    assert int(header[1]) == 8 and int(header[0]) > 0


def test_word2vec_classes_is_refused(capsys, corpus_file, tmp_path):
    code, _, err = cli(capsys, "word2vec", "-train", corpus_file[0], "-output",
                       tmp_path / "v.txt", "-classes", 10)
    assert_one_error_line(code, err, "word2vec", "-classes 10: word classes are "
                          "not implemented", "KMeans")


def test_node2vec_takes_pecanpy_defaults(built, tmp_path):
    """pecanpy's defaults: 128 dimensions, walks of 80 steps (81 nodes), 10
    walks per node, window 10, 1 epoch, p = q = 1, SparseOTF (on-the-fly
    steps: our rejection sampler), every core; --random_state is the seed."""
    edges = tmp_path / "e.edg"
    edges.write_text("a\tb\nb\tc\n")
    params = built("node2vec", "--input", edges, "--output", tmp_path / "o.emb",
                   estimator="Node2VecEmbedder")
    expected = dict(n_components=128, walk_length=81, n_walks=10, window=10,
                    n_epochs=1, p=1.0, q=1.0, sampler="rejection", n_jobs=-1,
                    negative=5)
    assert {k: params[k] for k in expected} == expected
    params = built("node2vec", "--input", edges, "--output", tmp_path / "o.emb",
                   "--mode", "PreComp", "--random_state", 7, "--workers", 2,
                   "--p", 0.5, "--q", 2, estimator="Node2VecEmbedder")
    assert (params["sampler"], params["random_state"], params["n_jobs"],
            params["p"], params["q"]) == ("alias", 7, 2, 0.5, 2.0)


@pytest.mark.parametrize("flags, message", [
    (["--mode", "FirstOrderUnweighted", "--q", 2],
     "--mode FirstOrderUnweighted needs --p 1 --q 1"),
    (["--mode", "PreCompFirstOrder", "--p", 2], "--mode PreCompFirstOrder needs"),
    (["--mode", "FirstOrderUnweighted", "--weighted"], "needs an unweighted graph"),
    (["--extend"], "--extend: node2vec+ is not implemented"),
    (["--p", 0], "--p must be positive, got 0.0"),
])
def test_node2vec_refuses_what_pecanpy_refuses(capsys, tmp_path, flags, message):
    edges = tmp_path / "e.edg"
    edges.write_text("a\tb\t1\nb\tc\t1\n")
    code, _, err = cli(capsys, "node2vec", "--input", edges, "--output",
                       tmp_path / "o.emb", *flags)
    assert_one_error_line(code, err, "node2vec", message)


def test_progress_goes_to_stderr_and_stdout_stays_empty(capsys, tmp_path, files):
    code, out, err = cli(capsys, "word2vec", "-train", files["good"], "-output",
                         tmp_path / "v.txt", "-size", 4, "-iter", 2,
                         "-min-count", 1, "-threads", 1)
    assert code == 0, err
    assert out == ""
    assert "epoch 2/2" in err and "[skembed word2vec] wrote 4 vectors" in err


def test_version(capsys):
    from skembed import __version__

    code, out, _ = cli(capsys, "--version")
    assert code == 0 and out.strip() == f"skembed {__version__}"


def test_pruning_error_speaks_the_command_line(capsys, tmp_path, files):
    code, _, err = cli(capsys, "word2vec", "-train", files["good"], "-output",
                       tmp_path / "v.txt", "-min-count", 1000, "--quiet")
    assert_one_error_line(
        code, err, "word2vec", "no word occurs -min-count 1000 times or more in "
        "its 30 lines (words are separated by white space); lower -min-count",
    )
    assert "build_analyzer" not in err and "min_count" not in err


# ------------------------------------------------------------ compressed input
def _compress(path, suffix, name=None):
    import bz2
    import gzip
    import lzma

    opener = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}[suffix]
    target = path.with_name(name or path.name + suffix)
    with opener(target, "wb") as f:
        f.write(path.read_bytes())
    return target


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_compressed_input_trains_as_the_plain_file(capsys, tmp_path, files,
                                                   suffix):
    """The same bytes out for a compressed corpus (no `--encoding latin-1`
    hint): word2vec, item2vec and node2vec; compressed data under a plain
    name is recognised by its first bytes."""
    edges = tmp_path / "edges.txt"
    edges.write_text("".join(f"n{i} n{(i * 7 + 1) % 13}\n" for i in range(13)))
    for command, source in [("word2vec", files["good"]),
                            ("item2vec", files["baskets"]),
                            ("node2vec", edges)]:
        outs = []
        for path in (source, _compress(source, suffix),
                     _compress(source, suffix, name=f"plain-{command}.txt")):
            out = tmp_path / f"{command}-{path.name}.vec"
            code, _, err = cli(capsys, *_train_args(command, path, out),
                               "--workers", 1)
            assert code == 0, err
            outs.append(out.read_bytes())
        assert outs[1] == outs[0] and outs[2] == outs[0]


def test_a_damaged_archive_is_one_clear_error(capsys, tmp_path, files):
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(_compress(files["good"], ".gz").read_bytes()[:40])
    code, _, err = cli(capsys, *_train_args("word2vec", broken, tmp_path / "v"))
    assert_one_error_line(code, err, "word2vec", "cannot read (a truncated or "
                          "damaged archive?)")
    assert "latin-1" not in err


# ------------------------------------------------------------- edge list files
@pytest.mark.parametrize("text, flags, nodes, told", [
    # pecanpy-style CSV header over numeric ids: skipped, said on stderr
    ("source,target\n1,2\n2,3\n3,1\n", [], ["1", "2", "3"], "column 1 holds numbers"),
    # a weight column named in the header, string ids
    ("src dst weight\na b 1\nb c 2\nc a 1\n", ["--weighted"], ["a", "b", "c"],
     "column 3 holds numbers"),
    # column names alone
    ("source target\na b\nb c\nc a\n", [], ["a", "b", "c"], "column names"),
    # no header
    ("a b\nb c\nc a\n", [], ["a", "b", "c"], None),
    # forced either way
    ("x y\na b\nb c\n", ["--header", 1], ["a", "b", "c"], "--header 1"),
    ("source,target\n1,2\n2,3\n", ["--header", 0], ["1", "2", "3", "source",
                                                    "target"], None),
])
@pytest.mark.filterwarnings("ignore:.*saw no training token")
def test_edge_list_headers(capsys, tmp_path, text, flags, nodes, told):
    path = tmp_path / "edges.csv"
    path.write_text(text)
    out = tmp_path / "v.txt"
    code, _, err = cli(capsys, "node2vec", "--input", path, "--output", out,
                       "--dimensions", 4, "--walk-length", 4, "--num-walks", 2,
                       *flags)
    assert code == 0, err
    written = sorted(line.split()[0] for line in out.read_text().splitlines()[1:])
    assert written == nodes
    if told is None:
        assert "as a header" not in err
    else:
        assert f"skipped line 1 {text.splitlines()[0]!r} as a header" in err
        assert told in err


def test_delimiter_keeps_ids_with_spaces(capsys, tmp_path):
    path = tmp_path / "cities.tsv"
    path.write_text("New York\tBoston\t2\nBoston\tSan Jose\t1\n"
                    "San Jose\tNew York\t1\n")
    out = tmp_path / "v.npz"  # ids with spaces: not for the word2vec format
    code, _, err = cli(capsys, "node2vec", "--input", path, "--output", out,
                       "--dimensions", 4, "--walk-length", 4, "--weighted",
                       "--delimiter", "\\t")
    assert code == 0, err
    with np.load(out) as raw:
        assert sorted(raw["IDs"].tolist()) == ["Boston", "New York", "San Jose"]
    # without it, white space splits "New York": a clear error
    code, _, err = cli(capsys, "node2vec", "--input", path, "--output", out,
                       "--weighted")
    assert_one_error_line(code, err, "node2vec", "line 1: expected src dst "
                          "weight, got 4 column(s)", "see --delimiter")


def _karate_edges(path, weighted=False):
    nx = pytest.importorskip("networkx")
    graph = nx.karate_club_graph()
    path.write_text("".join(
        f"{u}\t{v}" + ("\t" + str(1 + (u + v) % 3) if weighted else "") + "\n"
        for u, v in graph.edges()
    ))
    return path


def test_pecanpy_npz_graphs_in_and_vectors_out(capsys, tmp_path):
    """--task tocsr writes pecanpy's CSR .npz (IDs, data, indptr, indices);
    training on it gives the vectors of the edge list it came from; an
    --output ending in .npz holds IDs and data as pecanpy's."""
    edges = _karate_edges(tmp_path / "karate.edg", weighted=True)
    csr = tmp_path / "karate.csr.npz"
    code, _, err = cli(capsys, "node2vec", "--input", edges, "--output", csr,
                       "--task", "tocsr", "--weighted")
    assert code == 0, err
    with np.load(csr) as raw:
        assert sorted(raw.files) == ["IDs", "data", "indices", "indptr"]
        assert raw["indptr"].dtype == np.uint32 and raw["data"].dtype == np.float32
        assert raw["indptr"][-1] == 2 * 78 and len(raw["IDs"]) == 34
    dense = tmp_path / "karate.dense.npz"
    code, _, err = cli(capsys, "node2vec", "--input", edges, "--output", dense,
                       "--task", "todense", "--weighted")
    assert code == 0, err
    with np.load(dense) as raw:
        assert raw["data"].shape == (34, 34)
        np.testing.assert_array_equal(raw["data"], raw["data"].T)
    vectors = {}
    for name, source in [("edg", edges), ("csr", csr), ("dense", dense)]:
        out = tmp_path / f"{name}.npz"
        code, _, err = cli(capsys, "node2vec", "--input", source, "--output", out,
                           "--dimensions", 8, "--walk-length", 10, "--num-walks",
                           2, "--weighted", "--q", 2, "--workers", 1)
        assert code == 0, err
        with np.load(out) as raw:
            assert sorted(raw.files) == ["IDs", "data"]
            vectors[name] = dict(zip(raw["IDs"].tolist(), raw["data"]))
    assert set(vectors["csr"]) == set(vectors["edg"]) == set(map(str, range(34)))
    for node, vector in vectors["edg"].items():
        np.testing.assert_allclose(vectors["csr"][node], vector, rtol=1e-5)
        np.testing.assert_allclose(vectors["dense"][node], vector, rtol=1e-5)


def test_npz_that_is_not_a_graph(capsys, tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, vectors=np.zeros(3))
    code, _, err = cli(capsys, "node2vec", "--input", path, "--output",
                       tmp_path / "o")
    assert_one_error_line(code, err, "node2vec", "expected pecanpy's .npz graph",
                          "got arrays ['vectors']")


@pytest.mark.parametrize("command, flags", [
    ("deepwalk", ["--number-walks", 2, "--representation-size", 8,
                  "--walk-length", 10]),
    ("line", ["-size", 8, "-order", 2, "-samples", 0.01, "-rho", 0.025,
              "-negative", 5, "-threads", 1, "-binary", 1]),
])
def test_deepwalk_and_line_subcommands(capsys, tmp_path, command, flags):
    gensim_models = pytest.importorskip("gensim.models")
    edges = _karate_edges(tmp_path / "karate.edg", weighted=command == "line")
    out = tmp_path / "v.bin"
    flag = "-train" if command == "line" else "--input"
    code, _, err = cli(capsys, command, flag, edges, "-output", out, *flags)
    assert code == 0, err
    kv = gensim_models.KeyedVectors.load_word2vec_format(
        str(out), binary=command == "line"
    )
    assert len(kv) == 34 and kv.vector_size == 8


def test_line_flags_map_to_the_estimator(built, tmp_path):
    edges = tmp_path / "e.txt"
    edges.write_text("a b 2\nb c 1\n")
    params = built("line", "-train", edges, "-output", tmp_path / "v",
                   estimator="LINEEmbedder")
    assert (params["n_components"], params["order"], params["n_samples"],
            params["learning_rate"], params["negative"]) == (100, 2, 10**6, 0.025, 5)
    params = built("line", "-train", edges, "-output", tmp_path / "v", "-order",
                   "both", "-samples", 2.5, estimator="LINEEmbedder")
    assert (params["order"], params["n_samples"]) == ("both", 2_500_000)


# ------------------------------------------------------- vocabulary files
def test_save_vocab_and_read_vocab(capsys, tmp_path, files):
    """-save-vocab writes word2vec.c's file (</s> with the number of lines
    first, then words by decreasing count; alone, without -output, no
    training); -read-vocab trains only its words with a count >= -min-count."""
    from collections import Counter

    corpus = tmp_path / "c.txt"
    corpus.write_text("a a a b b c\na b d\n" * 5)
    vocab = tmp_path / "vocab.txt"
    code, _, err = cli(capsys, "word2vec", "-train", corpus, "-save-vocab", vocab,
                       "-min-count", 5)
    assert code == 0, err
    assert vocab.read_text().splitlines() == [
        "</s> 10", "a 20", "b 15", "c 5", "d 5",
    ]
    out = tmp_path / "v.txt"
    code, _, err = cli(capsys, "word2vec", "-train", corpus, "-output", out,
                       "-size", 4, "-min-count", 1, "-save-vocab", vocab,
                       "-threads", 1)
    assert code == 0, err
    counts = Counter(corpus.read_text().split())
    lines = vocab.read_text().splitlines()
    assert lines[0] == "</s> 10"
    assert {w: int(c) for w, c in map(str.split, lines[1:])} == counts
    vocab.write_text("</s> 10\na 20\nb 15\nc 4\nzzz 9\n")
    code, _, err = cli(capsys, "word2vec", "-train", corpus, "-output", out,
                       "-size", 4, "-read-vocab", vocab, "-threads", 1)
    assert code == 0, err
    words = sorted(line.split()[0] for line in out.read_text().splitlines()[1:])
    assert words == ["a", "b"]  # c: 4 < -min-count 5; zzz: not in the text
    vocab.write_text("a twenty\n")
    code, _, err = cli(capsys, "word2vec", "-train", corpus, "-output", out,
                       "-read-vocab", vocab)
    assert_one_error_line(code, err, "word2vec", f"-read-vocab '{vocab}'",
                          "line 1")


def test_accuracy_is_reported_on_stderr(capsys, tmp_path, corpus_file):
    questions = tmp_path / "questions.txt"
    questions.write_text(": planted\nt0w0 t0w1 t0w2 t0w3\nt0w0 t0w1 t1w0 t1w1\n")
    code, out, err = cli(capsys, "word2vec", "-train", corpus_file[0], "-output",
                         tmp_path / "v.txt", "-size", 8, "-min-count", 1,
                         "-iter", 1, "-accuracy", questions, "-threads", 1)
    assert code == 0, err
    assert out == ""
    assert "analogy accuracy" in err and "on 2 questions" in err


# ------------------------------------------------- the README's command lines
def _readme_cli_lines():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("python -m")]


def test_readme_runs_a_word2vec_c_and_a_pecanpy_command_unchanged(
    capsys, tmp_path, monkeypatch
):
    """The README's word2vec.c line (demo-word.sh's flags) and pecanpy line
    (its README's) run as written, on small stand-ins for their files."""
    import shlex

    lines = _readme_cli_lines()
    assert any("-cbow 1" in line and "-hs 0" in line for line in lines)
    assert any("--mode" in line for line in lines)
    monkeypatch.chdir(tmp_path)
    sentences, _ = planted_synonym_corpus(n_sentences=300)
    (tmp_path / "text8").write_text("\n".join(" ".join(s) for s in sentences))
    _karate_edges(tmp_path / "karate.edg")
    (tmp_path / "baskets.txt").write_text("a b c\nb c d\n" * 10)
    for line in lines:
        argv = shlex.split(line)
        assert argv[:3] == ["python", "-m", "skembed"]
        code, out, err = cli(capsys, *argv[3:])
        assert code == 0, (line, err)
        assert out == ""


@pytest.mark.parametrize("args, message", [
    (["word2vec", "-train", "{good}", "-output", "v.txt", "-alpha", "-1"],
     "-alpha must be a float in the range (0.0, inf). Got -1.0"),
    (["word2vec", "-train", "{good}", "-output", "v.txt", "-negative", "0"],
     "-negative must be positive (or 0 with -hs 1), got 0"),
    (["item2vec", "--input", "{good}", "--output", "v.txt", "--max-context", "0"],
     "--max-context must be positive, got 0"),
    (["node2vec", "--input", "{png}", "--output", "v.txt"],
     "NUL bytes; this looks like a binary file, not text"),
    (["item2vec", "--input", "{good}", "--output", "v.txt", "--min-count", "99"],
     "seen at least --min-count 99 times"),
])
def test_errors_name_the_flags_not_the_parameters(capsys, tmp_path, files, args,
                                                  message):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    args = [a.format(good=files["good"], png=png) for a in args]
    code, _, err = cli(capsys, *args, "--quiet")
    assert_one_error_line(code, err, args[0], message)
    assert "parameter of" not in err and "latin-1" not in err


def test_word2vec_c_command_line_trains_the_cbow_model_of_its_defaults(
    capsys, tmp_path, corpus_file
):
    """Not only the parameters: the vectors a bare word2vec.c command line
    writes are those of Word2VecVectorizer with word2vec.c's defaults (CBOW,
    alpha 0.05, ...) on the file's lines split on white space."""
    from skembed import KeyedVectors, Word2VecVectorizer

    path, _ = corpus_file
    out = tmp_path / "v.txt"
    code, _, err = cli(capsys, "word2vec", "-train", path, "-output", out,
                       "-size", 12, "-iter", 2, "-threads", 1, "-seed", 3)
    assert code == 0, err
    written = KeyedVectors.load_word2vec_format(out)
    lines = path.read_text().splitlines()
    reference = Word2VecVectorizer(
        analyzer=str.split, algorithm="cbow", n_components=12, window=5,
        negative=5, min_count=5, sample=1e-3, n_epochs=2, learning_rate=0.05,
        random_state=3,
    ).fit(lines)
    assert written.index_to_key == reference.wv_.index_to_key
    np.testing.assert_allclose(written.vectors, reference.wv_.vectors, atol=1e-6)


def test_weights_of_npz_graphs(monkeypatch, tmp_path):
    """pecanpy: without --weighted every edge of a .npz graph weighs 1; line
    keeps the weights by default, as for its edge lists."""
    import scipy.sparse as sp

    import skembed._cli as cli_module

    path = tmp_path / "g.csr.npz"
    graph = sp.csr_matrix(np.array([[0, 3.0, 0], [3.0, 0, 1.0], [0, 1.0, 0]]))
    np.savez(path, IDs=np.array(["a", "b", "c"]), data=graph.data.astype(np.float32),
             indptr=graph.indptr.astype(np.uint32),
             indices=graph.indices.astype(np.uint32))
    for command, flags, weights in [("node2vec", [], [1, 1, 1, 1]),
                                    ("node2vec", ["--weighted"], [3, 3, 1, 1]),
                                    ("line", [], [3, 3, 1, 1]),
                                    ("line", ["--weighted", 0], [1, 1, 1, 1])]:
        args = cli_module._parser().parse_args(
            [command, "--input", str(path), "--output", "o", *map(str, flags)]
        )
        read, names = cli_module._read_graph(args)
        assert names == ["a", "b", "c"]
        assert read.data.tolist() == weights, (command, flags)


@pytest.mark.parametrize("terminal, expected", [(True, 2), (False, 1)])
def test_default_progress_follows_the_terminal(monkeypatch, terminal, expected):
    """Issue #18: on a terminal the CLI shows in-epoch progress (percent,
    rate, time left) by default; redirected to a file, one line per epoch."""
    import sys

    from skembed import _cli

    seen = {}
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal, raising=False)
    monkeypatch.setitem(_cli._COMMANDS, "word2vec",
                        lambda args: seen.setdefault("verbose", args.verbose))
    assert _cli.main(["word2vec", "-train", "x.txt", "-output", "y.txt"]) == 0
    assert seen["verbose"] == expected
    seen.clear()
    _cli.main(["word2vec", "-train", "x.txt", "-output", "y.txt", "-debug", "0"])
    assert seen["verbose"] == 0
