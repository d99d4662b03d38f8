"""FastTextVectorizer, subword tables and fastText .bin models."""

import os
import pickle
import struct
import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skembed import FastTextVectorizer, KeyedVectors, load_model, load_vectors, save_model
from skembed._vectors._subwords import SubwordTable, ngram_buckets

POOLINGS = ["mean", "tfidf", "sif", "max"]

# stems that share contexts within a family; one inflection never occurs
STEMS = {
    "walk": ["street", "park", "feet", "slowly"],
    "paint": ["canvas", "brush", "colour", "wall"],
    "jump": ["high", "fence", "rope", "leap"],
    "read": ["book", "page", "novel", "library"],
    "cook": ["kitchen", "dinner", "stove", "recipe"],
    "play": ["game", "ball", "team", "match"],
}
SUFFIXES = ["", "s", "ed", "ing", "er", "ers"]
HELD_OUT = {"walkers", "painting", "jumped", "reader", "cooks", "players"}


def _planted_docs(n=600, seed=0):
    rng = np.random.default_rng(seed)
    stems = list(STEMS)
    docs = []
    for _ in range(n):
        stem = stems[rng.integers(len(stems))]
        forms = [stem + s for s in SUFFIXES if stem + s not in HELD_OUT]
        words = [forms[rng.integers(len(forms))] for _ in range(3)]
        words += list(rng.choice(STEMS[stem], 4))
        rng.shuffle(words)
        docs.append(" ".join(words))
    return docs


@pytest.fixture(scope="module")
def planted():
    return _planted_docs()


@pytest.fixture(scope="module")
def fitted(planted):
    return FastTextVectorizer(
        n_components=24, min_count=2, n_epochs=10, sample=0, min_n=3, max_n=5,
        bucket=50_000, random_state=0,
    ).fit(planted)


DOCS = ["the walker walked to the park", "a painter painted the wall",
        "jumping over the fence", "reading a novel in the library",
        "cooking dinner in the kitchen", "swimming lanes in the pool"] * 4


# ------------------------------------------------------------------ n-grams
def test_ngrams_and_hash_known_answers():
    table = SubwordTable(np.zeros((4, 1)), min_n=3, max_n=4, bucket=4)
    assert table.ngrams("cat") == ["<ca", "<cat", "cat", "cat>", "at>"]
    # fastText's hash (FNV-1a of the signed bytes) of "<ca" and of a
    # multi-byte character, checked against fastText / gensim's ft_hash_bytes
    indptr, buckets = ngram_buckets(["cat", "é"], 3, 3, 2**31 - 1)
    assert buckets[0] == 1066916747 and buckets[3] == 1002806231
    assert list(np.diff(indptr)) == [3, 1]  # "<ca" "cat" "at>"; "<é>"
    # min_n=1 leaves out the lone "<" and ">"
    indptr, _ = ngram_buckets(["ab"], 1, 1, 100)
    assert indptr[-1] == 2
    # words with a CJK character get cjk_ngram_range's lengths
    cjk = SubwordTable(np.zeros((4, 1)), min_n=3, max_n=6, bucket=4,
                       cjk_ngram_range=(1, 2))
    assert cjk.ngrams("北京") == ["<北", "北", "北京", "京", "京>"]
    assert cjk.ngrams("cat") == ["<ca", "<cat", "<cat>", "cat", "cat>", "at>"]
    indptr, _ = ngram_buckets(["北京", "cat"], 3, 6, 100, cjk=(1, 2))
    assert list(np.diff(indptr)) == [5, 6]


def test_ngrams_equal_gensim():
    fasttext = pytest.importorskip("gensim.models.fasttext")
    words = ["hello", "a", "naïve", "北京大学", "ёлка", "x" * 30, "😀emoji"]
    for min_n, max_n in [(3, 6), (1, 2), (2, 4), (5, 5)]:
        indptr, buckets = ngram_buckets(words, min_n, max_n, 2_000_000)
        for i, w in enumerate(words):
            expected = fasttext.ft_ngram_hashes(w, min_n, max_n, 2_000_000)
            assert list(buckets[indptr[i] : indptr[i + 1]]) == list(expected)


# --------------------------------------------------------------- the model
def test_planted_morphology_oov_lands_near_its_family(fitted):
    wv = fitted.wv_
    for word in sorted(HELD_OUT):
        assert word not in wv
        stem = next(s for s in STEMS if word.startswith(s))
        top = [w for w, _ in wv.most_similar(word, topn=5)]
        family = [w for w in top if w.startswith(stem)]
        assert len(family) >= 3, (word, top)
        own = np.mean([wv.similarity(word, stem + s) for s in ("", "s", "ing")
                       if stem + s in wv])
        other = np.mean([wv.similarity(word, o) for o in STEMS if o != stem])
        assert own > other + 0.2, (word, own, other)


def test_oov_words_in_transform(fitted):
    X = fitted.transform(["walkers", "qqqqqq", "walkers qqqqqq"])
    assert X[0].any() and not X[1].any()
    np.testing.assert_allclose(X[0], X[2], rtol=1e-6)  # the unknown word is skipped
    np.testing.assert_allclose(X[0], fitted.wv_["walkers"], rtol=1e-6)


def test_word_without_known_ngram_is_zero_and_counted(fitted, capsys):
    assert not fitted.wv_["qqqqqq"].any()
    est = clone(fitted).set_params(verbose=1).fit(_planted_docs(100))
    capsys.readouterr()
    est.transform(["qqqqqq walk", "zzzzzz"])
    out = capsys.readouterr().err
    assert "2 of 2 words outside the vocabulary have no known n-gram" in out


def test_in_vocabulary_vector_is_mean_of_word_and_ngram_rows(fitted):
    wv = fitted.wv_
    word = "walking"
    sub = wv.subwords
    _, buckets = ngram_buckets([word], sub.min_n, sub.max_n, sub.bucket)
    rows = sub.bucket_rows[buckets]
    assert (rows >= 0).all()
    ngram_mean = sub.vectors[rows].mean(axis=0)
    k = len(rows)
    own = wv[word] * (k + 1) - ngram_mean * k  # the word's own row
    assert np.linalg.norm(own) > 0
    # the OOV-style vector (n-grams only) is close to the full vector
    assert np.dot(ngram_mean, wv[word]) / (
        np.linalg.norm(ngram_mean) * np.linalg.norm(wv[word])) > 0.5


@pytest.mark.parametrize("algorithm", ["skipgram", "cbow"])
def test_both_algorithms_learn(planted, algorithm):
    est = FastTextVectorizer(n_components=16, min_count=2, n_epochs=8, sample=0,
                             algorithm=algorithm, bucket=20_000, random_state=1)
    est.fit(planted)
    assert est.loss_curve_[-1] < est.loss_curve_[0]
    assert est.wv_.similarity("walking", "walked") > est.wv_.similarity(
        "walking", "cooked")


def test_memory_is_the_used_buckets(fitted):
    sub = fitted.wv_.subwords
    assert sub.bucket == 50_000
    assert sub.vectors.shape[0] == sub.n_known_buckets < 2_000
    assert sub.nbytes == sub.vectors.nbytes + 50_000 * 4


# ----------------------------------------------------------- bad inputs
def test_bad_ngram_parameters(planted):
    with pytest.raises(ValueError, match=r"min_n must be <= max_n; got min_n=5 > max_n=3"):
        FastTextVectorizer(min_n=5, max_n=3, min_count=1).fit(planted[:10])
    with pytest.raises(InvalidParameterError, match="'bucket' parameter"):
        FastTextVectorizer(bucket=0).fit(planted[:10])
    with pytest.raises(InvalidParameterError, match="'min_n' parameter"):
        FastTextVectorizer(min_n=0).fit(planted[:10])
    with pytest.raises(ValueError, match="bucket must be >= 1"):
        SubwordTable(np.zeros((1, 2)), min_n=3, max_n=6, bucket=0)


def test_pretrained_without_ngrams_is_refused(planted):
    kv = KeyedVectors(["walk", "park"], np.ones((2, 3)))
    with pytest.raises(ValueError, match="needs vectors with an n-gram table"):
        FastTextVectorizer(vectors=kv).fit(planted[:5])


# ---------------------------------------------------- sklearn contract (tier C)
@pytest.mark.parametrize("pooling", POOLINGS)
def test_fit_transform_equals_fit_then_transform(pooling):
    docs = DOCS + ["walkers painted qqqq"]
    est = FastTextVectorizer(n_components=8, min_count=2, pooling=pooling,
                             random_state=0)
    a = est.fit_transform(docs)
    b = clone(est).fit(docs).transform(docs)
    np.testing.assert_array_equal(a, b)
    assert a[-1].any() and not np.isnan(a).any()
    gen = clone(est).fit_transform(d for d in docs)  # a one-shot iterator
    np.testing.assert_array_equal(a, gen)


def test_refit_pickle_and_reorder_subset():
    est = FastTextVectorizer(n_components=8, min_count=2, random_state=3).fit(DOCS)
    assert est.fit(DOCS) is est
    again = clone(est).fit(DOCS)
    new = ["walkers in the parks", "jumpers", "painted fences"]
    X = est.transform(new)
    np.testing.assert_array_equal(X, again.transform(new))
    np.testing.assert_array_equal(X, pickle.loads(pickle.dumps(est)).transform(new))
    np.testing.assert_array_equal(X[::-1], est.transform(new[::-1]))
    np.testing.assert_array_equal(X[1:], est.transform(new[1:]))
    assert est.get_params()["bucket"] == 2_000_000


def test_errors_before_fit_and_on_bad_x():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        FastTextVectorizer().transform(["a b"])
    est = FastTextVectorizer(n_components=4, min_count=1).fit(DOCS)
    with pytest.raises(ValueError, match="string object received"):
        est.transform("walk")
    with pytest.raises(ValueError, match="X is empty"):
        est.transform([])


def test_set_output_pandas_keeps_index():
    pd = pytest.importorskip("pandas")
    s = pd.Series(DOCS, index=range(100, 100 + len(DOCS)))
    est = FastTextVectorizer(n_components=4, min_count=1, random_state=0)
    out = est.set_output(transform="pandas").fit_transform(s)
    assert list(out.index) == list(s.index)
    assert len(est.get_feature_names_out()) == out.shape[1] == 4
    assert out.columns[0] == "fasttextvectorizer0"


def test_grid_search_over_ngram_parameters():
    docs = _planted_docs(120, seed=2)
    y = [int(d.split()[0][0] in "wpj") for d in docs]
    pipe = make_pipeline(
        FastTextVectorizer(n_components=8, min_count=1, n_epochs=2, random_state=0),
        LogisticRegression(),
    )
    grid = GridSearchCV(
        pipe,
        {"fasttextvectorizer__min_n": [2, 3], "fasttextvectorizer__max_n": [4],
         "fasttextvectorizer__bucket": [1000, 100_000]},
        cv=2,
    ).fit(docs, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["fasttextvectorizer__max_n"] == 4


def test_determinism_across_processes(tmp_path):
    code = (
        "import sys, hashlib; sys.path.insert(0, {root!r});"
        "from skembed import FastTextVectorizer;"
        "docs = ['the walker walked', 'painting the wall', 'jumpers jumped'] * 20;"
        "v = FastTextVectorizer(n_components=8, min_count=1, random_state=7).fit(docs);"
        "print(hashlib.sha256(v.transform(['walkers paint', 'qq']).tobytes()"
        " + v.wv_.subwords.vectors.tobytes()).hexdigest())"
    ).format(root=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    outs = set()
    for hashseed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        res = subprocess.run([sys.executable, "-c", code], capture_output=True,
                             text=True, env=env, check=True)
        outs.add(res.stdout.strip())
    assert len(outs) == 1


def test_save_model_round_trip(tmp_path, fitted):
    path = tmp_path / "ft.skembed"
    save_model(fitted, path)
    back = load_model(path)
    new = ["walkers jumped", "qqqq", "painting"]
    np.testing.assert_array_equal(back.transform(new), fitted.transform(new))
    np.testing.assert_array_equal(back.wv_["players"], fitted.wv_["players"])


def test_chinese_default_tokens_with_subwords():
    docs = ["我明天要去北京开会", "他从上海坐火车回家", "北京的天气今天很好"] * 10
    est = FastTextVectorizer(n_components=8, min_count=1, min_n=1, max_n=2,
                             random_state=0).fit(docs)
    assert "北京" in est.vocabulary_
    assert est.transform(["北海"]).any()  # an unseen bigram: its characters


# ---------------------------------------------------------- KeyedVectors
def test_keyedvectors_oov_lookup_and_npz(fitted, tmp_path):
    wv = fitted.wv_
    assert "jumped" not in wv and "jumped" not in wv.key_to_index
    v = wv["jumped"]
    np.testing.assert_array_equal(v, wv.get_vector("jumped"))
    np.testing.assert_allclose(np.linalg.norm(wv.get_vector("jumped", norm=True)), 1,
                               rtol=1e-6)
    assert wv[["jumped", "jump"]].shape == (2, wv.vector_size)
    assert wv.most_similar(positive=["jumped"], topn=1)[0][0].startswith("jump")
    wv.save(tmp_path / "kv.npz")
    back = load_vectors(tmp_path / "kv.npz")
    np.testing.assert_array_equal(back["jumped"], v)
    plain = KeyedVectors(["a"], [[1.0, 2.0]])
    with pytest.raises(KeyError, match="not present"):
        plain["b"]


# ------------------------------------------------------- fastText .bin files
@pytest.fixture(scope="module")
def gensim_bin(tmp_path_factory):
    gensim_ft = pytest.importorskip("gensim.models.fasttext")
    from gensim.models import FastText

    sents = [d.split() for d in _planted_docs(200, seed=5)]
    model = FastText(sents, vector_size=12, min_count=2, sg=1, min_n=2, max_n=5,
                     bucket=3000, epochs=1, seed=1, workers=1)
    path = tmp_path_factory.mktemp("bin") / "model.bin"
    gensim_ft.save_facebook_model(model, str(path))
    return path, gensim_ft.load_facebook_vectors(str(path))


@pytest.mark.parametrize("mmap", [None, "r"])
def test_bin_vectors_equal_gensim(gensim_bin, mmap):
    path, gensim_kv = gensim_bin
    kv = load_vectors(path, mmap=mmap)
    assert kv.index_to_key == list(gensim_kv.index_to_key)
    np.testing.assert_allclose(kv.vectors, gensim_kv.vectors, atol=1e-6)
    for word in ["walkers", "zzz", "naïve", "北京", "x", "reader"]:
        np.testing.assert_allclose(kv[word], gensim_kv.get_vector(word), atol=1e-6)
    assert (kv.subwords.min_n, kv.subwords.max_n, kv.subwords.bucket) == (2, 5, 3000)


def test_vectorizer_with_a_bin_model(gensim_bin):
    path, gensim_kv = gensim_bin
    est = FastTextVectorizer(vectors=str(path), min_n=4, bucket=7).fit(DOCS)
    assert est.wv_.subwords.bucket == 3000  # the file's, not the parameters'
    np.testing.assert_allclose(est.transform(["walkers"])[0],
                               gensim_kv.get_vector("walkers"), atol=1e-6)


def _damaged(path, tmp_path, name, edit):
    data = bytearray(open(path, "rb").read())
    out = tmp_path / name
    out.write_bytes(bytes(edit(data)))
    return out


@pytest.mark.parametrize(
    "name, edit, message",
    [
        ("head.bin", lambda d: d[:30], r"truncated fastText \.bin file: expected 56 "
         r"bytes of the model arguments at byte offset 8, found 22"),
        ("dict.bin", lambda d: d[:300], r"truncated fastText \.bin file: the dictionary"),
        ("matrix.bin", lambda d: d[: len(d) // 2], r"truncated fastText \.bin file: "
         r"expected \d+ bytes of the (n-gram vectors|input matrix)"),
        ("tail.bin", lambda d: d[:-4], r"truncated .* of the output matrix"),
        ("v13.bin", lambda d: d[:4] + struct.pack("<i", 13) + d[8:],
         r"format version 13; expected version 12"),
        ("old.bin", lambda d: struct.pack("<2i", 100, 5) + d[8:],
         r"model of fastText before 0\.2 .* vector size \(100\)"),
        ("sup.bin", lambda d: d[:36] + struct.pack("<i", 3) + d[40:],
         r"a supervised fastText model"),
        ("quant.bin", None, r"a quantised fastText model \(\.ftz"),
        ("extra.bin", lambda d: d + b"\0", r"unexpected data after the end"),
    ],
)
@pytest.mark.parametrize("mmap", [None, "r"])
def test_bad_bin_files_name_the_file_and_what_was_expected(
    gensim_bin, tmp_path, name, edit, message, mmap
):
    path, _ = gensim_bin
    if edit is None:  # set the quant_input flag after the dictionary
        def edit(d):
            from skembed._vectors._fasttext_bin import read_fasttext_bin

            m = read_fasttext_bin(path)
            dict_end = 8 + 56 + 28 + sum(len(b) + 10 for b in m["raw"])
            d[dict_end] = 1
            return d
    bad = _damaged(path, tmp_path, name, edit)
    with pytest.raises(ValueError, match=message) as info:
        load_vectors(bad, format="fasttext_bin", mmap=mmap)
    assert str(bad) in str(info.value)
    with pytest.raises(ValueError, match=message):  # detected as fastText too
        load_vectors(bad, mmap=mmap)


def _gensim_sg_reference(sentence, sub, w_in, w_out, lr, sig, scale):
    """gensim FastText's skip-gram (fasttext_fast_sentence_sg_neg, positive
    pairs only, window 1), written plainly: for each (centre, context) pair
    the hidden vector is sum(rows) / n_ngrams, a score beyond +-6 is
    skipped, and every row gets the pair's gradient at once."""
    for i, w in enumerate(sentence):
        rows = sub[w]
        for j in (i - 1, i + 1):
            if not 0 <= j < len(sentence):
                continue
            c = sentence[j]
            h = w_in[rows].sum(axis=0) / max(len(rows) - 1, 1)
            f = float(h @ w_out[c])
            if abs(f) >= 6.0:
                continue
            g = (1.0 - sig[int((f + 6.0) * scale)]) * lr
            grad = g * w_out[c]
            w_out[c] += g * h
            for r in rows:
                w_in[r] += grad


@pytest.mark.parametrize("saturated", [False, True])
def test_skipgram_update_equals_gensims(saturated):
    from skembed._engine import _sgns_kernels as sk
    from skembed._engine._subword_kernels import _train_chunk_subword

    rng = np.random.RandomState(0)
    dim, n_words = 8, 3
    # word 0: rows 0, 3, 4; word 1: rows 1, 5; word 2: row 2 only (no n-gram)
    sub = {0: [0, 3, 4], 1: [1, 5], 2: [2]}
    sub_indptr = np.array([0, 3, 5, 6], dtype=np.int64)
    sub_ids = np.array([0, 3, 4, 1, 5, 2], dtype=np.int32)
    w_in = rng.uniform(-0.5, 0.5, (6, dim)).astype(np.float32)
    w_out = rng.uniform(-0.5, 0.5, (n_words, dim)).astype(np.float32)
    if saturated:  # word 1 predicting word 0 scores > 6: no update at all
        w_out[0] = 40.0 * np.sign(w_in[[1, 5]].sum(axis=0) / 1.0)
    sentence = [1, 0, 2, 0]
    sig, logsig = sk.sigmoid_tables()
    ref_in, ref_out = w_in.astype(np.float64), w_out.astype(np.float64)
    _gensim_sg_reference(sentence, sub, ref_in, ref_out, 0.05, sig, sk._TABLE_SCALE)
    ids = np.array(sentence, dtype=np.int32)
    _train_chunk_subword(
        np.array([0, 4], dtype=np.int64), ids, 0, 1, sub_indptr, sub_ids, w_in,
        w_out, np.ones(n_words, dtype=np.float32), np.ones(1), np.zeros(1, np.int64),
        True, 1, False, 0, False, 0.05, 0.05, 0, 1e9, 1, sig, logsig,
        np.empty(4, dtype=np.int32), np.empty(1, dtype=np.int64),
        np.empty(dim, np.float32), np.empty(dim, np.float32), np.empty(dim, np.float32),
    )
    np.testing.assert_allclose(w_in, ref_in, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w_out, ref_out, rtol=1e-5, atol=1e-6)
