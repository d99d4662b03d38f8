import io
import pickle
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skembed import KeyedVectors, Word2VecVectorizer
from skembed._engine._corpus import encode_known, scan_corpus
from tests.conftest import planted_synonym_corpus

POOLINGS = ["mean", "tfidf", "sif", "max"]


def _small(**params):
    base = dict(n_components=8, min_count=1, n_epochs=2, random_state=0)
    base.update(params)
    return Word2VecVectorizer(**base)


@pytest.fixture(scope="module")
def docs():
    sentences, _ = planted_synonym_corpus(n_sentences=200, seed=1)
    return [" ".join(s) for s in sentences]


@pytest.fixture(scope="module")
def labelled():
    """Two topics -> two classes, as raw strings."""
    rng = np.random.RandomState(0)
    words = [[f"a{i}" for i in range(8)], [f"b{i}" for i in range(8)]]
    shared = [f"s{i}" for i in range(8)]
    X, y = [], []
    for _ in range(150):
        label = rng.randint(2)
        toks = list(rng.choice(words[label], 5)) + list(rng.choice(shared, 3))
        rng.shuffle(toks)
        X.append(" ".join(toks))
        y.append(label)
    return X, np.array(y)


# ----------------------------------------------------------------- tier A




def test_tags():
    tags = Word2VecVectorizer().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.transformer_tags.preserves_dtype == []
    assert not tags.non_deterministic
    assert Word2VecVectorizer(n_jobs=2).__sklearn_tags__().non_deterministic


# --------------------------------------------------------- fixture contract
def test_fit_returns_self_and_keeps_params(docs):
    vec = _small(stop_words=["f1"])
    before = vec.get_params()
    assert vec.fit(docs) is vec
    assert vec.get_params() == before
    assert vec.embedding_.dtype == np.float32
    assert len(vec.loss_curve_) == 2 and np.all(np.isfinite(vec.loss_curve_))
    assert isinstance(vec.wv_, KeyedVectors)
    assert vec.vocabulary_ == vec.wv_.key_to_index
    assert "f1" not in vec.vocabulary_


@pytest.mark.parametrize("pooling", POOLINGS)
def test_refit_pickle_joblib_identical(docs, pooling, tmp_path):
    vec = _small(pooling=pooling).fit(docs)
    X = vec.transform(docs)
    X2 = _small(pooling=pooling).fit(docs).transform(docs)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(vec)).transform(docs), X)
    joblib.dump(vec, tmp_path / "vec.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "vec.joblib").transform(docs), X
    )
    np.testing.assert_array_equal(clone(vec).fit(docs).transform(docs), X)


@pytest.mark.parametrize("pooling", POOLINGS)
def test_fit_transform_equals_fit_then_transform(docs, pooling):
    vec = _small(pooling=pooling, norm="l2")
    Xa = vec.fit_transform(docs)
    Xb = vec.transform(docs)
    np.testing.assert_allclose(Xa, Xb, rtol=1e-6, atol=1e-7)
    assert Xa.shape == (len(docs), 8) and Xa.dtype == np.float32


def test_transform_commutes_with_reorder_and_subset(docs):
    vec = _small(pooling="sif").fit(docs)
    X = vec.transform(docs)
    order = np.random.RandomState(0).permutation(len(docs))[:50]
    np.testing.assert_allclose(
        vec.transform([docs[i] for i in order]), X[order], rtol=1e-6, atol=1e-7
    )


def test_bad_inputs_and_not_fitted(docs):
    vec = _small()
    with pytest.raises(NotFittedError):
        vec.transform(docs)
    with pytest.raises(ValueError, match="string object received"):
        vec.fit("one document")
    with pytest.raises(ValueError, match="empty"):
        vec.fit([])
    vec.fit(docs)
    with pytest.raises(ValueError, match="string object received"):
        vec.transform("one document")
    with pytest.raises(ValueError, match="empty"):
        vec.transform([])
    with pytest.raises(ValueError, match=r"X\[1\] is NaN"):
        vec.transform(pd.Series(["t0w1", np.nan]))
    with pytest.raises(ValueError, match="min_count"):
        _small(min_count=10_000).fit(docs)
    with pytest.raises(ValueError, match="pooling"):
        _small(pooling="median").fit(docs)


def test_pooling_changed_after_fit_asks_for_refit(docs):
    vec = _small().fit(docs)
    vec.set_params(pooling="tfidf")
    with pytest.raises(NotFittedError, match="idf_"):
        vec.transform(docs)
    vec.set_params(pooling="max")
    assert vec.transform(docs).shape == (len(docs), 8)


def test_set_output_pandas_keeps_series_index(docs):
    series = pd.Series(docs[:30], index=np.arange(100, 130))
    vec = _small().set_output(transform="pandas")
    out = vec.fit_transform(series)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(series.index)
    assert list(out.columns) == list(vec.get_feature_names_out())
    assert list(vec.transform(series).index) == list(series.index)
    names = vec.get_feature_names_out()
    assert len(names) == 8 and names[0] == "word2vecvectorizer0"


def test_grid_search_in_pipeline(labelled):
    X, y = labelled
    pipe = Pipeline(
        [
            ("w2v", _small(n_epochs=5)),
            ("scale", StandardScaler()),
            ("clf", LogisticRegression()),
        ]
    )
    grid = GridSearchCV(
        pipe,
        {
            "w2v__window": [2, 5],
            "w2v__n_components": [8, 16],
            "w2v__pooling": ["mean", "sif"],
        },
        cv=3,
    )
    grid.fit(X, y)
    assert grid.best_score_ > 0.8
    assert len(grid.cv_results_["params"]) == 8


# ------------------------------------------------------------ exact pooling
@pytest.fixture(scope="module")
def fixed():
    """A vectorizer on pretrained vectors chosen by hand."""
    keys = ["aa", "bb", "cc"]
    vectors = np.array([[1, 0], [0, 2], [-3, 3]], dtype=np.float32)
    train = ["aa aa bb", "bb cc", "zz"]
    return KeyedVectors(keys, vectors), vectors, train


def test_mean_tfidf_sif_max_exact_values(fixed):
    kv, E, train = fixed
    docs = ["aa bb bb", "cc zz", "zz yy"]
    mean = Word2VecVectorizer(vectors=kv).fit(train).transform(docs)
    np.testing.assert_allclose(mean, [(E[0] + 2 * E[1]) / 3, E[2], [0, 0]])

    vec = Word2VecVectorizer(vectors=kv, pooling="tfidf").fit(train)
    # smooth idf over 3 training documents, as scikit-learn's
    df = np.array([1, 2, 1])
    idf = np.log(4 / (1 + df)) + 1
    np.testing.assert_allclose(vec.idf_, idf)
    from sklearn.feature_extraction.text import TfidfVectorizer

    sk = TfidfVectorizer(vocabulary=["aa", "bb", "cc"]).fit(train)
    np.testing.assert_allclose(vec.idf_, sk.idf_)
    out = vec.transform(docs)
    w = np.array([idf[0], idf[1], idf[1]])
    np.testing.assert_allclose(
        out[0], (w[0] * E[0] + w[1] * E[1] + w[2] * E[1]) / w.sum(), rtol=1e-6
    )
    np.testing.assert_allclose(out[1], E[2], rtol=1e-6)

    vec = Word2VecVectorizer(vectors=kv, pooling="sif", sif_alpha=0.5).fit(train)
    counts = np.array([2, 2, 1])
    p = counts / counts.sum()
    a = 0.5 / (0.5 + p)
    np.testing.assert_allclose(vec.sif_weights_, a, rtol=1e-6)
    raw = np.array(
        [
            (a[0] * E[0] + 2 * a[1] * E[1]) / 3,
            a[2] * E[2],
            [0, 0],
        ]
    )
    train_raw = np.array(
        [(2 * a[0] * E[0] + a[1] * E[1]) / 3, (a[1] * E[1] + a[2] * E[2]) / 2, [0, 0]]
    )
    _, _, vt = np.linalg.svd(train_raw)
    u = vt[0]
    np.testing.assert_allclose(np.abs(vec.sif_component_), np.abs(u), rtol=1e-5)
    expected = raw - np.outer(raw @ u, u)
    np.testing.assert_allclose(vec.transform(docs), expected, rtol=1e-5, atol=1e-6)

    mx = Word2VecVectorizer(vectors=kv, pooling="max", norm="l2").fit(train)
    out = mx.transform(docs)
    first = np.maximum(E[0], E[1])
    np.testing.assert_allclose(out[0], first / np.linalg.norm(first), rtol=1e-6)
    np.testing.assert_array_equal(out[2], [0, 0])


# -------------------------------------------------------- empty and OOV docs
@pytest.mark.parametrize("pooling", POOLINGS)
def test_empty_and_oov_documents_are_zero_never_nan(docs, pooling, capsys):
    vec = _small(pooling=pooling, norm="l2", verbose=1).fit(docs)
    capsys.readouterr()
    out = vec.transform(["", "unknown words only", "t0w1 nothing", "!!!", []])
    assert not np.isnan(out).any()
    np.testing.assert_array_equal(out[[0, 1, 3, 4]], 0)
    assert np.abs(out[2]).sum() > 0
    assert "4 of 5 documents have no known token" in capsys.readouterr().err
    strict = clone(vec).set_params(handle_empty="error", verbose=0).fit(docs)
    with pytest.raises(ValueError, match=r"1 of 2 documents .* X\[1\]"):
        strict.transform(["t0w1", "zzz"])


def test_empty_documents_in_fit_are_counted(docs):
    vec = _small(pooling="tfidf").fit(docs + ["", "???"])
    assert vec.n_empty_ == 2
    X = vec.fit_transform(docs + [""])
    assert vec.n_empty_ == 1 and not np.isnan(X).any()


def test_long_document():
    rng = np.random.RandomState(0)
    words = np.array([f"w{i}" for i in range(50)])
    long_doc = " ".join(rng.choice(words, 100_000))
    vec = _small(n_epochs=1).fit([long_doc, "w1 w2"])
    assert vec.wv_.counts.sum() == 100_002
    out = vec.transform([long_doc])
    assert out.shape == (1, 8) and np.isfinite(out).all()


# ------------------------------------------------------------------- inputs
def test_pre_tokenised_equals_raw(docs):
    tokens = [d.split() for d in docs]
    Xa = _small().fit_transform(docs)
    Xb = _small().fit_transform(tokens)
    np.testing.assert_array_equal(Xa, Xb)


def test_generator_input_is_read_once(docs):
    vec = _small()
    X = vec.fit_transform(d for d in docs)
    np.testing.assert_array_equal(X, _small().fit_transform(docs))


def test_fit_streams_an_open_file_line_by_line(tmp_path, docs):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(docs), encoding="utf-8")
    with open(path, encoding="utf-8") as lines:
        X = _small().fit_transform(lines)
    np.testing.assert_allclose(X, _small().fit_transform(docs), rtol=1e-6)


def test_filename_input_and_decoding(tmp_path, docs):
    paths = []
    for i, d in enumerate(docs[:40]):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(d, encoding="utf-8")
        paths.append(str(path))
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("t0w1 caf\xe9 t0w2".encode("latin-1"))
    vec = _small(input="filename")
    X = vec.fit_transform(paths)
    np.testing.assert_array_equal(X, _small().fit_transform(docs[:40]))
    with pytest.raises(ValueError, match=r"X\[1\] cannot be decoded"):
        vec.transform([paths[0], str(bad)])
    out = clone(vec).set_params(decode_error="replace").fit(paths).transform([str(bad)])
    assert np.isfinite(out).all() and out.any()
    out = clone(vec).set_params(encoding="latin-1").fit(paths + [str(bad)])
    assert "café" in out.vocabulary_
    files = [io.BytesIO(d.encode()) for d in docs[:40]]
    np.testing.assert_array_equal(_small(input="file").fit_transform(files), X)


def test_dataframe_column_and_object_array(docs):
    X = _small().fit_transform(docs[:30])
    np.testing.assert_array_equal(
        _small().fit_transform(pd.DataFrame({"text": docs[:30]})), X
    )
    np.testing.assert_array_equal(
        _small().fit_transform(np.array(docs[:30], dtype=object)), X
    )


# ------------------------------------------------------------- vocabulary
def test_scan_corpus_counts_order_and_min_count():
    keys, counts, indptr, ids = scan_corpus(
        [["b", "a", "a"], [], ["c", "a", "b", "d"]], min_count=2
    )
    assert keys == ["a", "b"]
    np.testing.assert_array_equal(counts, [3, 2])
    np.testing.assert_array_equal(indptr, [0, 3, 3, 5])
    np.testing.assert_array_equal(ids, [1, 0, 0, 0, 1])
    indptr, ids = encode_known([["a", "zz", "b"], ["q"]], {"a": 0, "b": 1})
    np.testing.assert_array_equal(indptr, [0, 2, 2])
    np.testing.assert_array_equal(ids, [0, 1])


@pytest.mark.parametrize("block", [1, 3, 7, 2**20])
def test_drop_unknown_in_place_blocks_match_naive(monkeypatch, block):
    """The block-wise in-place remap + compaction (bounded extra memory)
    equals the naive ``remap[ids]``, mask, re-indexed indptr, for unknowns at
    block edges, empty documents and documents that lose every token."""
    from skembed._engine import _corpus

    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", block)
    rng = np.random.default_rng(0)
    lengths = rng.integers(0, 6, size=40)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    raw = rng.integers(0, 10, size=indptr[-1]).astype(np.int32)
    remap = np.array([0, -1, 1, 2, -1, 3, 4, -1, 5, 6], dtype=np.int32)
    mapped = remap[raw]
    keep = mapped >= 0
    expect_ids = mapped[keep]
    expect_indptr = np.concatenate(([0], np.cumsum(keep)))[indptr]
    got_indptr, got_ids = _corpus._drop_unknown(indptr, raw.copy(), remap)
    np.testing.assert_array_equal(got_ids, expect_ids)
    np.testing.assert_array_equal(got_indptr, expect_indptr)
    # without a remap: -1 entries dropped, the rest kept in order
    got_indptr, got_ids = _corpus._drop_unknown(indptr, mapped.copy())
    np.testing.assert_array_equal(got_ids, expect_ids)
    np.testing.assert_array_equal(got_indptr, expect_indptr)
    np.testing.assert_array_equal(
        _corpus._count_ids(raw), np.bincount(raw)
    )
    np.testing.assert_array_equal(
        _corpus._count_ids(raw, 15), np.bincount(raw, minlength=15)
    )
    # scan_corpus gives the same corpus whatever the block size
    bounds = zip(indptr[:-1], indptr[1:], strict=True)
    docs = [[f"t{t}" for t in raw[a:b]] for a, b in bounds]
    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", 2**20)
    ref = scan_corpus(docs, min_count=5)
    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", block)
    got = scan_corpus(docs, min_count=5)
    assert got[0] == ref[0]
    for a, b in zip(got[1:], ref[1:], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("pooling", POOLINGS)
def test_spilled_corpus_trains_bit_identical(monkeypatch, docs, pooling):
    """A corpus spilled to a temporary file (the large-corpus path) is read
    back in blocks cut at the engine's chunk boundaries: same vectors, idf,
    SIF component and outputs as the in-memory corpus, for fit and
    fit_transform, with rare words dropped and empty documents."""
    from skembed._engine import _corpus, _driver

    monkeypatch.setattr(_driver, "CHUNK_TOKENS", 64)
    # the pooling statistics are summed over the same blocks either way
    monkeypatch.setattr(_corpus, "_READ_TOKENS", 150)
    X = list(docs) + ["", "zzzonce"] + list(docs[:50])
    params = dict(min_count=2, pooling=pooling, n_epochs=2, max_vocab_size=10_000)
    ref = _small(**params).fit(X)
    ref_out = _small(**params).fit_transform(X)
    calls = []
    real = _corpus._SpilledCorpus.__iter__

    def counting_iter(self):
        calls.append(len(self._bounds))
        return real(self)

    monkeypatch.setattr(_corpus._SpilledCorpus, "__iter__", counting_iter)
    monkeypatch.setattr(_corpus, "_SPILL_TOKENS", 100)
    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", 150)
    got = _small(**params).fit(X)
    assert calls and min(calls) > 3, "the corpus was not spilled in blocks"
    np.testing.assert_array_equal(got.embedding_, ref.embedding_)
    assert got.vocabulary_ == ref.vocabulary_
    assert got.n_empty_ == ref.n_empty_
    for name in ("idf_", "sif_weights_", "sif_component_"):
        if hasattr(ref, name):
            np.testing.assert_array_equal(getattr(got, name), getattr(ref, name))
    np.testing.assert_array_equal(got.transform(X), ref.transform(X))
    np.testing.assert_array_equal(_small(**params).fit_transform(X), ref_out)


@pytest.mark.parametrize("spill_tokens", [1, 7, 64])
def test_spilled_scan_matches_in_memory_with_pruning(monkeypatch, spill_tokens):
    """Spilling during the scan (counts carried over flushes) gives the same
    vocabulary, counts and corpus, also when max_vocab_size prunes."""
    from skembed._engine import _corpus

    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", 5)
    rng = np.random.RandomState(0)
    common = [f"c{i}" for i in range(8)]
    sentences = [
        list(rng.choice(common, rng.randint(0, 6))) + [f"rare{j % 97}"]
        for j in range(400)
    ]
    for max_vocab_size in (None, 30):
        ref = scan_corpus(sentences, min_count=2, max_vocab_size=max_vocab_size)
        keys, counts, corpus = _corpus._scan(
            sentences, min_count=2, max_vocab_size=max_vocab_size,
            spill_tokens=spill_tokens,
        )
        assert isinstance(corpus, _corpus._SpilledCorpus)
        assert keys == ref[0]
        np.testing.assert_array_equal(counts, ref[1])
        indptr, ids = corpus.materialize()
        np.testing.assert_array_equal(indptr, ref[2])
        np.testing.assert_array_equal(ids, ref[3])
        corpus.close()


@pytest.mark.parametrize("pooling", ["tfidf", "sif"])
def test_spilled_many_short_documents_bit_identical(monkeypatch, pooling):
    """Many documents of 0-3 tokens (empty ones, ones emptied by min_count)
    streamed from the spill files in groups that cut the document-length
    reads and the token reads at different places: the same vectors,
    pooling statistics, empty-document count and outputs as in memory."""
    from skembed._engine import _corpus, _driver

    rng = np.random.RandomState(3)
    vocab = [f"w{i}" for i in range(30)] + ["rare1", "rare2"]
    X = [" ".join(rng.choice(vocab, rng.randint(0, 4))) for _ in range(3000)]
    X[1700] = " ".join(rng.choice(vocab, 400))  # longer than a read group
    monkeypatch.setattr(_driver, "CHUNK_TOKENS", 40)
    monkeypatch.setattr(_corpus, "_READ_TOKENS", 300)
    params = dict(min_count=2, pooling=pooling, n_epochs=2)
    ref = _small(**params).fit(X)
    ref_out = _small(**params).fit_transform(X)
    monkeypatch.setattr(_corpus, "_SPILL_TOKENS", 97)
    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", 61)
    blocks = []
    real = _corpus._SpilledCorpus.__init__

    def spy(self, *args):
        real(self, *args)
        blocks.append(len(self._bounds))

    monkeypatch.setattr(_corpus._SpilledCorpus, "__init__", spy)
    got = _small(**params).fit(X)
    assert blocks and blocks[0] > 5, "the corpus was not spilled in blocks"
    np.testing.assert_array_equal(got.embedding_, ref.embedding_)
    assert got.n_empty_ == ref.n_empty_ > 0
    for name in ("idf_", "sif_component_"):
        if hasattr(ref, name):
            np.testing.assert_array_equal(getattr(got, name), getattr(ref, name))
    np.testing.assert_array_equal(_small(**params).fit_transform(X), ref_out)
    with pytest.raises(ValueError, match=r"the first is X\[\d+\]") as spilled:
        _small(handle_empty="error", **params).fit_transform(X)
    monkeypatch.setattr(_corpus, "_SPILL_TOKENS", 10**9)
    with pytest.raises(ValueError, match=r"the first is X\[\d+\]") as in_memory:
        _small(handle_empty="error", **params).fit_transform(X)
    assert str(spilled.value) == str(in_memory.value)


def test_spilled_corpus_of_empty_documents_raises_and_cleans_up(monkeypatch):
    """Millions of blank lines spill by their count alone (no token):
    the usual "no words remain" error, and the temporary files are closed."""
    from skembed._engine import _corpus

    monkeypatch.setattr(_corpus, "_SPILL_TOKENS", 50)
    closed = []
    real = _corpus._SpilledCorpus.close

    def spy(self):
        closed.append(True)
        real(self)

    monkeypatch.setattr(_corpus._SpilledCorpus, "close", spy)
    with pytest.raises(ValueError, match="no words remain"):
        _small().fit([""] * 500 + ["a"])
    assert closed == [True]


def test_block_boundaries_stream_like_the_whole_corpus(monkeypatch):
    """_Blocks fed document lengths group by group finds the chunk starts of
    the whole corpus (chunk_starts over one indptr) and the same blocks."""
    from skembed._engine import _corpus, _driver

    monkeypatch.setattr(_driver, "CHUNK_TOKENS", 25)
    rng = np.random.RandomState(0)
    lengths = rng.choice([0, 0, 1, 3, 7, 40], size=2000).astype(np.int32)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    starts = _driver.chunk_starts(indptr)
    whole = _corpus._Blocks(0)  # a block per chunk
    whole.feed(lengths)
    assert whole.docs == starts[:-1].tolist()
    assert whole.tokens == indptr[starts[:-1]].tolist()
    for block_tokens in (0, 100, 10**6):
        ref = _corpus._Blocks(block_tokens)
        ref.feed(lengths)
        streamed = _corpus._Blocks(block_tokens)
        cuts = np.sort(rng.choice(np.arange(1, 2000), 60, replace=False))
        for part in np.split(lengths, cuts):
            streamed.feed(part)
        assert streamed.bounds() == ref.bounds()
        assert (streamed.n_empty, streamed.first_empty) == (
            int((lengths == 0).sum()),
            int(np.flatnonzero(lengths == 0)[0]),
        )


_SPILLED_PEAKS = """
import json, sys, tracemalloc
import numpy as np
from skembed import Word2VecVectorizer
from skembed._engine import _corpus

_corpus._SPILL_TOKENS = 10_000
_corpus._REMAP_BLOCK = 4096
_corpus._READ_TOKENS = 16_384
small = dict(n_components=8, min_count=1, n_epochs=1, random_state=0)
rng = np.random.RandomState(0)
words = np.array([f"w{i}" for i in range(200)])
pairs = rng.choice(words, (80_000, 2))
X = [f"{a} {b}" for a, b in pairs]
kv = Word2VecVectorizer(**small).fit(X[:2000]).wv_
cases = [dict(pooling="tfidf"), dict(pooling="sif"),
         # the pretrained path, frozen and fine-tuned (issue #8)
         dict(pooling="tfidf", vectors=kv),
         dict(pooling="sif", vectors=kv, fine_tune=1)]
out = []
for params in cases:
    peaks = []
    for n in (20_000, 80_000):
        est = Word2VecVectorizer(**small, **params)
        est.fit(X[:100])  # compile outside the trace
        docs = X[:n]  # the list itself is not fit's memory
        tracemalloc.start()
        est.fit(docs)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    out.append([sorted(params), peaks])
json.dump(out, sys.stdout)
"""


def test_spilled_fit_memory_does_not_grow_with_documents():
    """Issue #8: peak memory of fit on a spilled corpus is bounded by the
    vocabulary and the model, not the corpus. 4x the documents (of two
    tokens each) must not raise the traced peak by even one byte per
    document (the code before held ~20, and ~180 with pooling="sif").

    Measured in a fresh interpreter: tracemalloc traces every thread, and
    the session-wide dask cluster and Spark session of tests/scaleout keep
    background threads allocating (CI saw +65 kB from them once)."""
    import json
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", _SPILLED_PEAKS],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout)
    assert len(results) == 4
    for params, peaks in results:
        assert peaks[1] - peaks[0] < 60_000, (params, peaks)


def test_vocabulary_matches_gensim(docs):
    gensim = pytest.importorskip("gensim")
    tokens = [d.split() for d in docs]
    model = gensim.models.Word2Vec(vector_size=8, min_count=5, workers=1)
    model.build_vocab(tokens)
    keys, counts, _, _ = scan_corpus(tokens, min_count=5)
    # same words and counts; the order of ties may differ
    assert dict(zip(keys, counts.tolist(), strict=True)) == {
        k: model.wv.get_vecattr(k, "count") for k in model.wv.index_to_key
    }
    assert np.all(np.diff(counts) <= 0)


def test_max_vocab_size_prunes_rare_words():
    rng = np.random.RandomState(0)
    common = [f"c{i}" for i in range(5)]
    sentences = [list(rng.choice(common, 5)) + [f"rare{j}"] for j in range(500)]
    keys, counts, _, _ = scan_corpus(sentences, max_vocab_size=20)
    assert set(common) <= set(keys)
    assert len(keys) <= 21
    vec = _small(max_vocab_size=20).fit([" ".join(s) for s in sentences])
    assert len(vec.vocabulary_) <= 21


# ------------------------------------------------------------------ quality
def _nearest(vec, word, candidates):
    E = vec.embedding_ / np.linalg.norm(vec.embedding_, axis=1, keepdims=True)
    v = E[vec.vocabulary_[word]]
    others = [c for c in candidates if c != word and c in vec.vocabulary_]
    sims = [E[vec.vocabulary_[c]] @ v for c in others]
    return others[int(np.argmax(sims))]


@pytest.mark.parametrize("algorithm", ["skipgram", "cbow"])
def test_planted_synonyms_recovered(planted_corpus, algorithm):
    sentences, topics = planted_corpus
    # CBOW needs more passes on this tiny corpus (so does gensim's)
    n_epochs = 5 if algorithm == "skipgram" else 10
    vec = Word2VecVectorizer(
        n_components=16,
        min_count=1,
        n_epochs=n_epochs,
        window=3,
        algorithm=algorithm,
        random_state=0,
    )
    vec.fit(sentences)
    words = [w for topic in topics for w in topic]
    topic_of = {w: t for t, topic in enumerate(topics) for w in topic}
    hits = [topic_of[_nearest(vec, w, words)] == topic_of[w] for w in words]
    assert np.mean(hits) >= 0.9


def test_chinese_planted_character_pairs_are_neighbours():
    """Characters of planted two-character words become nearest neighbours."""
    rng = np.random.RandomState(0)
    pairs = ["苹果", "香蕉", "电脑", "手机", "老师", "学生", "汽车", "飞机"]
    docs = []
    for _ in range(400):
        words = list(rng.choice(pairs, 6))
        docs.append("".join(words) + "。")  # no spaces, as Chinese is written
    vec = Word2VecVectorizer(
        n_components=16, min_count=1, n_epochs=5, random_state=0
    ).fit(docs)
    chars = [c for p in pairs for c in p]
    assert set(chars) <= set(vec.vocabulary_)
    hits = [_nearest(vec, p[0], chars) == p[1] for p in pairs]
    hits += [_nearest(vec, p[1], chars) == p[0] for p in pairs]
    assert np.mean(hits) >= 0.9
    # the bigram of a planted word is among the nearest keys of its characters
    top = [k for k, _ in vec.wv_.most_similar("苹", topn=3)]
    assert "苹果" in top or "果" in top
    # and documents about the same words end up close
    X = vec.transform(["我买了苹果", "苹果很好吃", "学生和老师"])
    cos = X @ X.T / np.outer(np.linalg.norm(X, axis=1), np.linalg.norm(X, axis=1))
    assert cos[0, 1] > cos[0, 2]


def test_jieba_tokenizer_in_the_vectorizer():
    pytest.importorskip("jieba")
    docs = [
        "我来到北京清华大学",
        "他来到了网易杭研大厦",
        "小明硕士毕业于中国科学院",
    ] * 5
    vec = Word2VecVectorizer(
        tokenizer="jieba", n_components=4, min_count=1, n_epochs=1, random_state=0
    ).fit(docs)
    assert "北京" in vec.vocabulary_ and "京" not in vec.vocabulary_
    assert vec.transform(docs).shape == (15, 4)


# --------------------------------------------------------------- pretrained
def _write_text_vectors(path, keys, vectors):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{len(keys)} {vectors.shape[1]}\n")
        for k, v in zip(keys, vectors, strict=True):
            fh.write(k + " " + " ".join(f"{x:.6f}" for x in v) + "\n")


def test_pretrained_without_fine_tune(docs, tmp_path):
    trained = _small(n_components=6).fit(docs)
    keys, E = trained.wv_.index_to_key, trained.embedding_
    vec = Word2VecVectorizer(vectors=trained.wv_).fit(docs[:10])
    assert vec.loss_curve_ == []
    np.testing.assert_array_equal(vec.embedding_, E)
    assert vec.get_feature_names_out().shape == (6,)
    np.testing.assert_allclose(vec.transform(docs), trained.transform(docs), rtol=1e-6)
    # a duck-typed object (gensim KeyedVectors) works too
    gensim = pytest.importorskip("gensim")
    gkv = gensim.models.KeyedVectors(6)
    gkv.add_vectors(keys, E)
    np.testing.assert_allclose(
        Word2VecVectorizer(vectors=gkv).fit(docs).transform(docs),
        trained.transform(docs),
        rtol=1e-6,
    )


def test_pretrained_gensim_model_object(docs):
    """#18: a gensim Word2Vec model itself (its ``wv``), without skembed
    importing gensim."""
    import sys

    gensim = pytest.importorskip("gensim")
    token_lists = [d.lower().split() for d in docs]
    model = gensim.models.Word2Vec(token_lists, vector_size=6, min_count=2,
                                   workers=1, seed=0)
    from_model = Word2VecVectorizer(vectors=model).fit(docs)
    from_wv = Word2VecVectorizer(vectors=model.wv).fit(docs)
    assert from_model.wv_.index_to_key == model.wv.index_to_key
    np.testing.assert_array_equal(from_model.embedding_, model.wv.vectors)
    np.testing.assert_array_equal(from_model.transform(docs), from_wv.transform(docs))
    with pytest.raises(TypeError, match="a model with such a wv attribute"):
        Word2VecVectorizer(vectors=object()).fit(docs)
    source = sys.modules["skembed._text._word2vec"].__file__
    assert "import gensim" not in open(source, encoding="utf8").read()


@pytest.mark.parametrize("fmt", ["text", "binary", "glove"])
def test_pretrained_from_file(docs, tmp_path, fmt):
    trained = _small(n_components=6).fit(docs)
    path = tmp_path / f"vectors.{fmt}"
    if fmt == "text":  # written by hand: the reader is not tested by the writer
        _write_text_vectors(path, trained.wv_.index_to_key, trained.embedding_)
    else:
        trained.wv_.save_word2vec_format(
            path, binary=fmt == "binary", write_header=fmt != "glove"
        )
    vec = Word2VecVectorizer(vectors=str(path)).fit(docs)
    assert vec.wv_.index_to_key == trained.wv_.index_to_key
    np.testing.assert_allclose(vec.embedding_, trained.embedding_, atol=1e-6)
    np.testing.assert_allclose(vec.transform(docs), trained.transform(docs), atol=1e-6)
    vec = Word2VecVectorizer(vectors=path, fine_tune=2, random_state=0).fit(docs)
    assert len(vec.loss_curve_) == 2
    assert not np.allclose(vec.embedding_, trained.embedding_)


def test_pretrained_fine_tune(docs):
    trained = _small(n_components=6).fit(docs)
    new_docs = docs[:50] + ["brand new words t0w1"]
    vec = Word2VecVectorizer(vectors=trained.wv_, fine_tune=3, random_state=0)
    vec.fit(new_docs)
    assert len(vec.loss_curve_) == 3
    assert vec.wv_.index_to_key == trained.wv_.index_to_key
    assert "brand" not in vec.vocabulary_
    assert not np.array_equal(vec.embedding_, trained.embedding_)
    # the input object is left untouched
    np.testing.assert_array_equal(trained.wv_.vectors, trained.embedding_)
    again = Word2VecVectorizer(vectors=trained.wv_, fine_tune=3, random_state=0)
    np.testing.assert_array_equal(again.fit(new_docs).embedding_, vec.embedding_)
    with pytest.raises(ValueError, match="fine-tune"):
        Word2VecVectorizer(vectors=trained.wv_, fine_tune=True).fit(["zzz qqq"])
    with pytest.raises(TypeError, match="vectors must be"):
        Word2VecVectorizer(vectors=3).fit(docs)


def test_verbose_progress(docs, capsys):
    _small(verbose=1).fit(docs)
    out = capsys.readouterr().err
    assert "[Word2VecVectorizer]" in out and "epoch 2/2" in out and "vocabulary" in out


@pytest.mark.parametrize("selector", ["text", ["text"]])
def test_column_transformer_with_a_text_column(selector):
    from sklearn.compose import ColumnTransformer

    df = pd.DataFrame(
        {"text": ["a cat sat", "the dog ran", "cat and dog"] * 5, "x": range(15)}
    )
    ct = ColumnTransformer(
        [("w2v", _small(n_components=4), selector)], remainder="passthrough"
    ).set_output(transform="pandas")
    out = ct.fit_transform(df)
    assert out.shape == (15, 5)
    assert out.columns[0] == "w2v__word2vecvectorizer0"


def _pretrained_digests(monkeypatch, docs, spill):
    """sha256 of fit / fit_transform / transform outputs of the pretrained
    path (frozen and fine-tuned, every pooling), optionally with the corpus
    forced to spill to disk in many small blocks."""
    import hashlib

    from skembed._engine import _corpus, _driver

    monkeypatch.setattr(_driver, "CHUNK_TOKENS", 64)
    monkeypatch.setattr(_corpus, "_READ_TOKENS", 150)
    spilled = []
    if spill:
        monkeypatch.setattr(_corpus, "_SPILL_TOKENS", 100)
        monkeypatch.setattr(_corpus, "_REMAP_BLOCK", 150)
        real = _corpus._SpilledCorpus.__init__

        def spy(self, *args):
            real(self, *args)
            spilled.append(len(self._bounds))

        monkeypatch.setattr(_corpus._SpilledCorpus, "__init__", spy)
    kv = _small(n_components=6, min_count=3).fit(docs[:120]).wv_
    X = list(docs) + ["", "zzz unknown only", "brand new t0w1"] + list(docs[:40])
    digests, blas = {}, {}
    for fine_tune in (False, 2):
        for pooling in POOLINGS:
            params = dict(vectors=kv, fine_tune=fine_tune, pooling=pooling,
                          random_state=0)
            h = hashlib.sha256()
            est = Word2VecVectorizer(**params)
            outs = [est.fit_transform(X)]
            outs.append(Word2VecVectorizer(**params).fit(X).transform(X[::-1]))
            if pooling == "sif":  # eigh: LAPACK's last bits, compared at rtol
                blas[f"{fine_tune}-{pooling}"] = np.stack(outs)
            else:
                h.update(outs[0].tobytes())
            h.update(est.embedding_.tobytes())
            h.update(np.asarray(est.loss_curve_, dtype=np.float64).tobytes())
            h.update(np.int64(est.n_empty_).tobytes())
            if pooling != "sif":
                h.update(outs[1].tobytes())
            digests[fine_tune, pooling] = h.hexdigest()[:16]
    if spill:  # every fit of the 16 spilled, in blocks (1 more: kv's)
        assert len(spilled) == 17 and min(spilled) > 3, spilled
    return digests, blas


#: outputs of the pretrained path pinned before it streamed its corpus
#: (regression pin: a change of the digest is a change of results). SIF's
#: outputs go through LAPACK's eigh, whose last bits depend on the
#: LAPACK / OpenBLAS build: their digests cover the BLAS-free state only
#: (vectors, loss), and the outputs are compared with PRETRAINED_SIF at rtol.
PRETRAINED_DIGESTS = {
    (False, 'mean'): 'ef650898c81fef9c',
    (False, 'tfidf'): '810b9558fc2d1374',
    (False, 'sif'): 'b4f3ac42048cdb96',
    (False, 'max'): 'd215e0a1f223646e',
    (2, 'mean'): '51d04dda80430eaa',
    (2, 'tfidf'): '4ea29ea2ad0c3414',
    (2, 'sif'): '8283525c076f8b10',
    (2, 'max'): '7595b361546944b1',
}


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRETRAINED_SIF = FIXTURES / "pretrained_sif.npz"


@pytest.mark.parametrize("spill", [False, True])
def test_pretrained_outputs_pinned(monkeypatch, docs, spill):
    """Issue #8: the pretrained path (frozen and fine-tuned) gives the same
    bits whether its corpus is held in memory or spilled to disk in blocks,
    and the same bits as before it learnt to spill."""
    got, blas = _pretrained_digests(monkeypatch, docs, spill)
    assert got == PRETRAINED_DIGESTS
    with np.load(PRETRAINED_SIF) as pinned:
        assert sorted(blas) == sorted(pinned.files)
        for key, out in blas.items():
            np.testing.assert_allclose(out, pinned[key], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("spill_tokens", [None, 1, 7, 64])
def test_scan_with_a_fixed_vocabulary_matches_encode_known(monkeypatch, spill_tokens):
    """_scan(vocabulary=...) (the pretrained path) encodes like encode_known,
    counts every word of the vocabulary (0 for absent ones), in memory or
    spilled, with unknown tokens at block edges and emptied documents."""
    from skembed._engine import _corpus

    monkeypatch.setattr(_corpus, "_REMAP_BLOCK", 5)
    rng = np.random.RandomState(1)
    vocab = {f"w{i}": i for i in range(12)}
    words = [f"w{i}" for i in range(10)] + ["oov1", "oov2", "oov3"]
    sentences = [list(rng.choice(words, rng.randint(0, 7))) for _ in range(300)]
    ref_indptr, ref_ids = encode_known(sentences, vocab)
    keys, counts, corpus = _corpus._scan(
        sentences, min_count=50, max_vocab_size=2, spill_tokens=spill_tokens,
        vocabulary=vocab,
    )
    assert keys == list(vocab)
    np.testing.assert_array_equal(counts, np.bincount(ref_ids, minlength=12))
    if spill_tokens is None:
        indptr, ids = corpus
    else:
        assert isinstance(corpus, _corpus._SpilledCorpus)
        indptr, ids = corpus.materialize()
        assert corpus.n_tokens == ref_ids.shape[0]
        corpus.close()
    np.testing.assert_array_equal(indptr, ref_indptr)
    np.testing.assert_array_equal(ids, ref_ids)


@pytest.mark.parametrize("pooling", ["mean", "tfidf", "max"])
def test_transform_streams_groups_bit_identical(monkeypatch, docs, pooling):
    """transform of a list encodes and pools group by group (one group of
    ids in memory): the same bits as one whole batch (a generator's path),
    and the same handle_empty error, counted over all documents."""
    from skembed._engine import _corpus

    vec = _small(pooling=pooling, norm="l2").fit(docs)
    X = list(docs[:80]) + ["zzz qqq"] + list(docs[80:]) + ["", "t0w1"]
    whole = vec.transform(iter(X))
    groups = []
    real = _corpus._StreamedCorpus.blocks

    def spy(self):
        for item in real(self):
            groups.append(item[0])
            yield item

    monkeypatch.setattr(_corpus._StreamedCorpus, "blocks", spy)
    monkeypatch.setattr(_corpus, "_POOL_TOKENS", 50)
    np.testing.assert_array_equal(vec.transform(X), whole)
    assert len(groups) > 20 and groups[-1][1] == len(X)
    vec.set_params(handle_empty="error")
    with pytest.raises(ValueError) as streamed:
        vec.transform(X)
    with pytest.raises(ValueError) as batch:
        vec.transform(iter(X))
    assert str(streamed.value) == str(batch.value)
    message = str(batch.value)
    assert f"2 of {len(X)} documents" in message and "X[80]" in message
    with pytest.raises(ValueError, match="X is empty"):
        vec.transform([])


def test_loss_curve_is_nan_for_an_epoch_without_pairs():
    """Documented: an epoch that subsampling emptied has a NaN mean loss, the
    others are finite (a tiny corpus, seed chosen to empty some epoch)."""
    import warnings

    curves = []
    for seed in range(20):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            vec = Word2VecVectorizer(n_components=4, min_count=1, random_state=seed)
            curves.append(np.array(vec.fit(["aa bb", "cc dd ee"]).loss_curve_))
    assert any(np.isnan(c).any() for c in curves)
    assert all(np.isfinite(c[~np.isnan(c)]).all() for c in curves)
    no_sampling = Word2VecVectorizer(n_components=4, min_count=1, sample=0)
    assert np.isfinite(no_sampling.fit(["aa bb", "cc dd ee"]).loss_curve_).all()


@pytest.mark.parametrize("analyzer", ["char", "char_wb"])
def test_char_analyzer_is_refused_by_build_analyzer_as_by_fit(analyzer):
    """#18: build_analyzer() used to return word tokens for "char"."""
    vec = Word2VecVectorizer(analyzer=analyzer, min_count=1)
    with pytest.raises(ValueError, match="analyzer"):
        vec.fit(["some text here"])
    with pytest.raises(ValueError, match="analyzer must be 'word' or a callable"):
        vec.build_analyzer()


def test_fit_reads_compressed_files(tmp_path):
    """#18: input="filename" decompresses .gz / .bz2 / .xz (and compressed
    data under a plain name), as load_vectors does."""
    import bz2
    import gzip
    import lzma

    text = "the cat sat on the mat\nthe dog sat on the log\n" * 20
    plain = tmp_path / "plain.txt"
    plain.write_text(text)
    paths = [plain]
    for suffix, opener in ((".gz", gzip.open), (".bz2", bz2.open),
                           (".xz", lzma.open)):
        for name in (f"c{suffix}", f"c{suffix}.txt"):
            with opener(tmp_path / name, "wt") as f:
                f.write(text)
            paths.append(tmp_path / name)
    outs = [
        Word2VecVectorizer(n_components=4, min_count=1, random_state=0,
                           input="filename").fit_transform([p, plain])
        for p in paths
    ]
    for out in outs[1:]:
        np.testing.assert_array_equal(out, outs[0])
