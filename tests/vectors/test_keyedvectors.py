import io
import os
import pickle

import numpy as np
import pytest

from skembed import KeyedVectors


@pytest.fixture
def kv():
    return KeyedVectors(
        ["cat", "dog", "car", "zero"],
        [[1.0, 0.1, 0.0], [0.9, 0.2, 0.1], [0.0, 1.0, 0.5], [0.0, 0.0, 0.0]],
        counts=[10, 8, 5, 1],
    )


def test_basic_access(kv):
    assert len(kv) == 4
    assert kv.vector_size == 3
    assert kv.vectors.dtype == np.float32 and kv.vectors.flags.c_contiguous
    assert kv.index_to_key == ["cat", "dog", "car", "zero"]
    assert kv.key_to_index["car"] == 2
    assert kv.counts.dtype == np.int64
    assert list(kv) == kv.index_to_key
    assert "dog" in kv and "cow" not in kv and [1] not in kv
    assert kv.has_index_for("cat") and not kv.has_index_for("cow")
    np.testing.assert_array_equal(kv["dog"], np.float32([0.9, 0.2, 0.1]))
    assert kv[["dog", "cat"]].shape == (2, 3)
    assert kv[[]].shape == (0, 3)
    assert kv.get_index("car") == 2
    assert kv.get_index("cow") is None and kv.get_index("cow", -1) == -1
    assert kv.get_vector("cow", default=None) is None


def test_missing_key_message(kv):
    with pytest.raises(KeyError, match=r"'cow'.*key in kv.*get_vector"):
        kv["cow"]
    with pytest.raises(KeyError, match="'cow'"):
        kv[["cat", "cow"]]


def test_normed_vectors(kv):
    normed = kv.get_normed_vectors()
    assert not np.isnan(normed).any()
    np.testing.assert_allclose(np.linalg.norm(normed[:3], axis=1), 1, rtol=1e-6)
    np.testing.assert_array_equal(normed[3], 0)
    assert kv.get_normed_vectors() is normed
    np.testing.assert_allclose(
        np.linalg.norm(kv.get_vector("car", norm=True)), 1, rtol=1e-6
    )
    # replacing the vectors drops the cache
    kv.vectors = kv.vectors * 2
    assert kv.get_normed_vectors() is not normed


@pytest.mark.parametrize(
    "keys, vectors, counts, match",
    [
        (["a", "a"], np.ones((2, 2)), None, "unique.*'a'"),
        (["a", "b"], np.ones((3, 2)), None, "3 rows but 2 keys"),
        (["a"], np.ones(2), None, "2-D"),
        ("ab", np.ones((2, 2)), None, "single str"),
        (["a", "b"], np.ones((2, 2)), [1], "counts must have shape"),
        (["a"], np.array([["x"]]), None, "numeric"),
    ],
)
def test_constructor_errors(keys, vectors, counts, match):
    with pytest.raises(ValueError, match=match):
        KeyedVectors(keys, vectors, counts=counts)


def test_non_string_keys_and_pickle():
    kv = KeyedVectors([3, (1, 2), "x"], np.eye(3))
    assert kv[(1, 2)][1] == 1
    assert kv.get_index(0) is None  # ints are keys, never row numbers
    kv.get_normed_vectors()
    kv2 = pickle.loads(pickle.dumps(kv))
    np.testing.assert_array_equal(kv2.vectors, kv.vectors)
    assert kv2.index_to_key == kv.index_to_key


# ----------------------------------------------------------------- similarity
@pytest.fixture
def random_kv():
    rng = np.random.default_rng(3)
    keys = [f"w{i}" for i in range(300)]
    vectors = rng.standard_normal((300, 16)).astype(np.float32)
    vectors[:50] += 2 * vectors[0]  # a cluster around w0
    return KeyedVectors(keys, vectors)


@pytest.fixture
def gensim_pair(random_kv):
    gensim = pytest.importorskip("gensim")
    g = gensim.models.KeyedVectors(random_kv.vector_size)
    g.add_vectors(random_kv.index_to_key, random_kv.vectors)
    return random_kv, g


def assert_same_results(ours, theirs):
    assert [k for k, _ in ours] == [k for k, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"positive": "w1"},
        {"positive": ["w1", "w2"], "negative": ["w3"]},
        {"positive": ["w1", "w2"], "negative": ["w3"], "topn": 3},
        {"positive": ["w5"], "restrict_vocab": 100, "topn": 20},
        {"positive": [("w1", 2.0), "w2"], "negative": [("w7", 0.5)]},
        {"negative": ["w9"]},
        {"positive": ["w1"], "topn": 1000},
    ],
)
def test_most_similar_matches_gensim(gensim_pair, kwargs):
    kv, g = gensim_pair
    assert_same_results(kv.most_similar(**kwargs), g.most_similar(**kwargs))


def test_most_similar_raw_vectors_and_topn_none(gensim_pair):
    kv, g = gensim_pair
    vec = kv["w4"] * 3 + 1
    assert_same_results(
        kv.most_similar(positive=[vec, "w2"]), g.most_similar(positive=[vec, "w2"])
    )
    assert_same_results(
        kv.similar_by_vector(vec, topn=5), g.similar_by_vector(vec, topn=5)
    )
    ours = kv.most_similar("w1", topn=None)
    assert ours.shape == (300,)
    np.testing.assert_allclose(ours, g.most_similar("w1", topn=None), atol=1e-6)
    assert kv.most_similar("w1", topn=None, restrict_vocab=10).shape == (10,)
    assert kv.most_similar("w1", topn=0) == []
    assert_same_results(kv.similar_by_key("w3", topn=4), g.similar_by_key("w3", topn=4))


@pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")
def test_most_similar_cosmul_matches_gensim(gensim_pair):
    kv, g = gensim_pair
    for pos, neg in [
        (["w1", "w2"], ["w3"]),
        (["w1"], []),
        (["w4", "w8", "w9"], ["w2", "w5"]),
    ]:
        assert_same_results(
            kv.most_similar_cosmul(pos, neg, topn=8),
            g.most_similar_cosmul(pos, neg, topn=8),
        )


def test_pairwise_similarities_match_gensim(gensim_pair):
    kv, g = gensim_pair
    assert kv.similarity("w1", "w2") == pytest.approx(
        float(g.similarity("w1", "w2")), abs=1e-6
    )
    assert kv.distance("w1", "w2") == pytest.approx(
        float(g.distance("w1", "w2")), abs=1e-6
    )
    assert isinstance(kv.similarity("w1", "w2"), float)
    assert kv.n_similarity(["w1", "w2"], ["w3", "w4", "w5"]) == pytest.approx(
        float(g.n_similarity(["w1", "w2"], ["w3", "w4", "w5"])), abs=1e-6
    )
    np.testing.assert_allclose(
        kv.distances("w1", ["w2", "w3"]), g.distances("w1", ["w2", "w3"]), atol=1e-6
    )
    np.testing.assert_allclose(kv.distances("w1"), g.distances("w1"), atol=1e-6)
    words = ["w1", "w2", "w3", "w200"]
    assert kv.doesnt_match(words) == g.doesnt_match(words)
    np.testing.assert_allclose(
        kv.get_mean_vector(["w1", "w2"], weights=[1, 3]),
        g.get_mean_vector(["w1", "w2"], weights=[1, 3]),
        atol=1e-6,
    )


def test_planted_cluster_is_found(random_kv):
    neighbours = [k for k, _ in random_kv.most_similar("w0", topn=20)]
    assert all(int(k[1:]) < 50 for k in neighbours)


def test_zero_vectors_never_nan(kv):
    result = kv.most_similar("zero", topn=None)
    assert not np.isnan(result).any() and (result == 0).all()
    assert kv.similarity("zero", "cat") == 0.0
    assert not np.isnan(kv.most_similar_cosmul("cat", topn=None)).any()
    assert not np.isnan(
        kv.most_similar(positive=["cat"], negative=["cat"], topn=None)
    ).any()


def test_item_keys(kv):
    """Non-str keys (item ids) work, including tuples and ints."""
    items = KeyedVectors([7, 8, (1, 2)], [[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    assert items.most_similar(7, topn=1)[0][0] == 8
    assert items.most_similar((1, 2), topn=1)[0][0] == 8
    assert items.most_similar([7, (1, 2)], topn=1)[0][0] == 8
    assert items.similarity(7, 8) > 0.9
    assert items.doesnt_match([7, 8, (1, 2)]) == (1, 2)


def test_similarity_errors(kv):
    with pytest.raises(KeyError, match="'cow'"):
        kv.most_similar("cow")
    with pytest.raises(KeyError, match="'cow'"):
        kv.most_similar(["cat"], ["cow"])
    with pytest.raises(ValueError, match="both empty"):
        kv.most_similar()
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        kv.most_similar(np.ones(4))
    with pytest.raises(ValueError, match="topn must be an int or None"):
        kv.most_similar("cat", topn=1.5)
    with pytest.raises(
        ValueError, match="restrict_vocab must be None or a positive int"
    ):
        kv.most_similar("cat", restrict_vocab=0)
    with pytest.raises(TypeError, match="unhashable|must hold keys"):
        kv.most_similar([["cat"]])
    with pytest.raises(ValueError, match="keys1 must be a non-empty list"):
        kv.n_similarity([], ["cat"])
    with pytest.raises(KeyError, match="'cow'"):
        kv.n_similarity(["cow"], ["cat"])
    with pytest.raises(KeyError, match="'cow'"):
        kv.similarity("cat", "cow")
    with pytest.raises(ValueError, match="positive is empty"):
        kv.most_similar_cosmul(negative=["cat"])
    with pytest.warns(UserWarning, match="ignoring keys not present"):
        assert kv.doesnt_match(["cat", "dog", "car", "cow"]) == "car"
    with pytest.raises(ValueError, match="none of the keys"):
        with pytest.warns(UserWarning):
            kv.doesnt_match(["cow"])


# ----------------------------------------------------------------- evaluation
def gensim_data(name):
    gensim = pytest.importorskip("gensim")
    path = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data", name)
    if not os.path.exists(path):
        pytest.skip(f"gensim test file {name} not installed")
    return path


@pytest.fixture(scope="module")
def eval_pair():
    """Vectors for the words of the benchmark files, with planted analogies."""
    gensim = pytest.importorskip("gensim")
    rng = np.random.default_rng(0)
    words, sections = {}, []
    with open(gensim_data("questions-words.txt"), encoding="utf8") as f:
        for line in f:
            if line.startswith(":"):
                sections.append([])
                continue
            sections[-1].append(line.lower().split())
            for w in sections[-1][-1]:
                words.setdefault(w, None)
    for name in ("wordsim353.tsv", "simlex999.txt"):
        with open(gensim_data(name), encoding="utf8") as f:
            for line in f:
                if not line.startswith("#"):
                    for w in line.lower().split("\t")[:2]:
                        words.setdefault(w, None)
    d = 24
    vec = {w: rng.standard_normal(d) for w in words}
    for section in sections:
        offset = 1.5 * rng.standard_normal(d)
        for a, b, _, _ in section:
            if rng.random() < 0.3:  # a planted relation: partly solvable
                vec[b] = vec[a] + offset + 0.8 * rng.standard_normal(d)
    keys = list(words)
    rng.shuffle(keys)
    keys = keys[: int(0.9 * len(keys))] + ["Paris", "PARIS", "Greece"]
    vectors = np.array([vec[k.lower()] for k in keys], dtype=np.float32)
    g = gensim.models.KeyedVectors(d)
    g.add_vectors(keys, vectors)
    return KeyedVectors(keys, vectors), g


@pytest.fixture(scope="module")
def small_questions(tmp_path_factory):
    """Every 8th question of each section of questions-words.txt (and blank lines)."""
    path = tmp_path_factory.mktemp("analogies") / "questions.txt"
    out, i = [], 0
    with open(gensim_data("questions-words.txt"), encoding="utf8") as f:
        for line in f:
            i += 1
            if line.startswith(":") or i % 8 == 0:
                out.append(line)
    out.insert(3, "\n")
    out.insert(5, "too few words\n")
    path.write_text("".join(out), encoding="utf8")
    return path


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"restrict_vocab": 1500, "case_insensitive": False}, {"dummy4unknown": True}],
)
def test_evaluate_word_analogies_matches_gensim(eval_pair, small_questions, kwargs):
    kv, g = eval_pair
    _check_analogies(kv, g, small_questions, kwargs)


@pytest.mark.slow
def test_evaluate_word_analogies_full_file_matches_gensim(eval_pair):
    kv, g = eval_pair
    _check_analogies(kv, g, gensim_data("questions-words.txt"), {})


def _check_analogies(kv, g, path, kwargs):
    score, sections = kv.evaluate_word_analogies(path, **kwargs)
    g_score, g_sections = g.evaluate_word_analogies(path, **kwargs)
    assert 0.2 < score < 1
    assert score == g_score
    assert sections == g_sections


@pytest.mark.parametrize("name", ["wordsim353.tsv", "simlex999.txt"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"restrict_vocab": 1500},
        {"case_insensitive": False},
        {"dummy4unknown": True},
    ],
)
def test_evaluate_word_pairs_matches_gensim(eval_pair, name, kwargs):
    kv, g = eval_pair
    path = gensim_data(name)
    pearson, spearman, oov = kv.evaluate_word_pairs(path, **kwargs)
    g_pearson, g_spearman, g_oov = g.evaluate_word_pairs(path, **kwargs)
    np.testing.assert_allclose(pearson, tuple(g_pearson), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(spearman, tuple(g_spearman), rtol=1e-6)
    assert oov == g_oov
    assert all(isinstance(v, float) for v in (*pearson, *spearman, oov))


def test_evaluate_word_pairs_recovers_planted_similarity():
    rng = np.random.default_rng(0)
    base = rng.standard_normal(8)
    keys = [f"w{i}" for i in range(20)]
    noise = np.linspace(0.1, 5, 20)
    vectors = base + noise[:, None] * rng.standard_normal((20, 8))
    kv = KeyedVectors(["anchor"] + keys, np.vstack([base, vectors]))
    text = "".join(f"anchor\t{k}\t{10 - i / 2}\n" for i, k in enumerate(keys))
    _, (rho, _), oov = kv.evaluate_word_pairs(io.StringIO(text))
    assert rho > 0.8 and oov == 0


def test_evaluate_errors(kv):
    with pytest.raises(ValueError, match=r"line 1: expected a section header"):
        kv.evaluate_word_analogies(io.StringIO("cat dog car zero\n"))
    with pytest.raises(ValueError, match="found no valid pair"):
        kv.evaluate_word_pairs(io.StringIO("cow\tpig\t3\n"))
    score, sections = kv.evaluate_word_analogies(io.StringIO(": s\ncow a b c\n"))
    assert score == 0.0 and sections[-1]["section"] == "Total accuracy"


# ------------------------------------------------------------------------ npz
def test_save_load_npz(tmp_path, kv):
    kv.save(tmp_path / "kv.npz")
    loaded = KeyedVectors.load(tmp_path / "kv.npz")
    assert loaded.index_to_key == kv.index_to_key
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)
    np.testing.assert_array_equal(loaded.counts, kv.counts)


def test_vectors_setter_validates_and_drops_cache(kv):
    normed = kv.get_normed_vectors()
    kv.vectors = np.ones((4, 2), dtype=np.float64)
    assert kv.vectors.dtype == np.float32 and kv.vector_size == 2
    assert kv.get_normed_vectors() is not normed
    with pytest.raises(ValueError, match="5 rows but 4 keys"):
        kv.vectors = np.ones((5, 2))
    kv.vectors[0] = [3.0, 4.0]  # in place: refresh explicitly
    kv.fill_norms(force=True)
    np.testing.assert_allclose(kv.get_vector("cat", norm=True), [0.6, 0.8])


def test_get_indices(kv):
    np.testing.assert_array_equal(kv.get_indices(["car", "cow", "cat"]), [2, -1, 0])
    np.testing.assert_array_equal(kv.get_indices(iter(["cow"]), default=9), [9])
    assert kv.get_indices([]).shape == (0,)
    np.testing.assert_array_equal(kv.get_indices(["cat", ["unhashable"]]), [0, -1])
    with pytest.raises(ValueError, match="use get_index for one key"):
        kv.get_indices("cat")


def test_unpickles_state_of_first_release(kv):
    old_state = {
        "vectors": kv.vectors,
        "index_to_key": kv.index_to_key,
        "key_to_index": kv.key_to_index,
        "counts": kv.counts,
        "_normed": None,
    }
    restored = KeyedVectors.__new__(KeyedVectors)
    restored.__setstate__(old_state)
    assert restored.most_similar("cat", topn=1)[0][0] == "dog"


# ------------------------------------------- gensim's query and editing methods
@pytest.fixture
def kv_pair():
    """The same vectors in skembed and in gensim."""
    gensim_models = pytest.importorskip("gensim.models")
    rng = np.random.RandomState(0)
    keys = [f"w{i}" for i in range(40)]
    vectors = rng.normal(size=(40, 6)).astype(np.float32)
    ours = KeyedVectors(keys, vectors, counts=np.arange(40, 0, -1))
    theirs = gensim_models.KeyedVectors(6)
    theirs.add_vectors(keys, vectors)
    return ours, theirs


def test_closer_than_rank_and_given_match_gensim(kv_pair):
    ours, theirs = kv_pair
    for a, b in [("w0", "w5"), ("w3", "w39"), ("w7", "w8"), ("w1", "w1")]:
        assert ours.closer_than(a, b) == theirs.closer_than(a, b)
        assert ours.rank(a, b) == theirs.rank(a, b)
    for given in (["w1", "w2", "w3"], ["w9"], ["w30", "w0", "w12"]):
        assert ours.most_similar_to_given("w0", given) == \
            theirs.most_similar_to_given("w0", given)
    with pytest.raises(ValueError, match="keys_list is empty"):
        ours.most_similar_to_given("w0", [])
    with pytest.raises(KeyError):
        ours.rank("w0", "missing")


@pytest.mark.parametrize("topn", [1, 3, 10])
def test_relative_cosine_similarity_matches_gensim(kv_pair, topn):
    ours, theirs = kv_pair
    for a, b in [("w0", "w1"), ("w4", "w20")]:
        # gensim's own formula, from its similar_by_word and similarity
        sims = theirs.similar_by_word(a, topn=topn)
        expected = float(theirs.similarity(a, b)) / sum(s for _, s in sims)
        assert ours.relative_cosine_similarity(a, b, topn=topn) == \
            pytest.approx(expected, rel=1e-5)
        if hasattr(theirs, "relative_cosine_similarity"):
            assert ours.relative_cosine_similarity(a, b, topn=topn) == \
                pytest.approx(theirs.relative_cosine_similarity(a, b, topn),
                              rel=1e-5)


def test_add_vectors_and_add_vector_match_gensim(kv_pair):
    ours, theirs = kv_pair
    rng = np.random.RandomState(1)
    new = rng.normal(size=(3, 6)).astype(np.float32)
    keys = ["w2", "x1", "x2"]  # w2 is present: kept unless replace
    for replace in (False, True):
        o = KeyedVectors(list(ours.index_to_key), ours.vectors, counts=ours.counts)
        t = type(theirs)(6)
        t.add_vectors(list(theirs.index_to_key), theirs.vectors.copy())
        before = o.key_to_index
        o.add_vectors(keys, new, replace=replace)
        t.add_vectors(keys, new, replace=replace)
        assert o.index_to_key == t.index_to_key
        np.testing.assert_array_equal(o.vectors, t.vectors)
        assert o.key_to_index == t.key_to_index and before is not o.key_to_index
        assert o.counts.tolist()[-2:] == [0, 0]
        got, want = o.most_similar("x1", topn=3), t.most_similar("x1", topn=3)
        assert [k for k, _ in got] == [k for k, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-5)
    o = KeyedVectors(["a"], [[1.0, 0.0]])
    assert o.add_vector("b", np.array([0.0, 1.0])) == 1
    assert o.add_vector("b", [5.0, 5.0]) == 1 and o["b"].tolist() == [0.0, 1.0]
    with pytest.raises(ValueError, match=r"weights must have shape \(2, 2\)"):
        o.add_vectors(["c", "d"], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="keys must be unique"):
        o.add_vectors(["c", "c"], np.zeros((2, 2)))


def test_add_vectors_leaves_a_fitted_vocabulary_alone():
    from skembed import Word2VecVectorizer

    docs = ["the cat sat on the mat", "the dog sat on the log"] * 5
    vec = Word2VecVectorizer(n_components=4, min_count=1, random_state=0).fit(docs)
    n_words = len(vec.vocabulary_)
    vec.wv_.add_vector("zebra", np.ones(4))
    assert "zebra" in vec.wv_ and "zebra" not in vec.vocabulary_
    assert len(vec.vocabulary_) == n_words
    assert vec.transform(["zebra cat"]).shape == (1, 4)
