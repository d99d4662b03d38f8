"""Sentence splitting, TextRank + MMR extractive summaries, and the ROUGE scorer."""

import importlib.util
import pickle
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils._param_validation import InvalidParameterError

import skembed._text._summarize as summarize_module
from skembed import (
    ExtractiveSummarizer,
    Word2VecVectorizer,
    split_sentences,
    summarize,
)
from skembed._text._summarize import detect_language, textrank

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


# ------------------------------------------------------------------ splitting
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Mr. Smith met Dr. Jones. They talked.",
            ["Mr. Smith met Dr. Jones.", "They talked."],
        ),
        (
            "Pi is 3.14 or so. It is irrational.",
            ["Pi is 3.14 or so.", "It is irrational."],
        ),
        (
            "J. R. R. Tolkien was born in 1892. He died in 1973.",
            ["J. R. R. Tolkien was born in 1892.", "He died in 1973."],
        ),
        (
            "The U.S. Army and the U.K. Navy met. Fruit, e.g. Apples, i.e. Food.",
            ["The U.S. Army and the U.K. Navy met.", "Fruit, e.g. Apples, i.e. Food."],
        ),
        (
            "See Smith et al. (2019) for more. Done.",
            ["See Smith et al. (2019) for more.", "Done."],
        ),
        (
            "I waited... Then nothing. Wait… What?",
            ["I waited... Then nothing.", "Wait… What?"],
        ),
        (
            'He said "Stop." Then he left! Did he? "Yes," she said.',
            ['He said "Stop."', "Then he left!", "Did he?", '"Yes," she said.'],
        ),
        ('She asked "why?" and left.', ['She asked "why?" and left.']),
        ("Really?! Yes. (It was.) Ok.", ["Really?!", "Yes.", "(It was.)", "Ok."]),
        (
            "Version 2.0.1 is out. See v2.1 soon.",
            ["Version 2.0.1 is out.", "See v2.1 soon."],
        ),
        (
            "lower case after a period. stays one",
            ["lower case after a period. stays one"],
        ),
        ("Il était là. Élodie aussi.", ["Il était là.", "Élodie aussi."]),
        (
            "Two points. • First one. • second one.",
            ["Two points.", "• First one. • second one."],
        ),
    ],
)
def test_split_english(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("今天下雨。我们没有出门！你呢？", ["今天下雨。", "我们没有出门！", "你呢？"]),
        ("他说：“今天下雨。”我们在家。", ["他说：“今天下雨。”", "我们在家。"]),
        ("「你好。」他说。『再见！』", ["「你好。」", "他说。", "『再见！』"]),
        (
            "我们等了很久……后来天晴了；大家出门了。",
            ["我们等了很久……", "后来天晴了；", "大家出门了。"],
        ),
        ("真的吗？！当然。。", ["真的吗？！", "当然。。"]),
        ("天气很好!我们去公园.好吧", ["天气很好!", "我们去公园.", "好吧"]),
        ("圆周率约等于3.14。它是无理数。", ["圆周率约等于3.14。", "它是无理数。"]),
        (
            "我喜欢Python。It is great. 你呢？Mr. Li说好。",
            ["我喜欢Python。", "It is great.", "你呢？", "Mr. Li说好。"],
        ),
        ("It is good.你觉得呢？", ["It is good.", "你觉得呢？"]),
    ],
)
def test_split_chinese_and_mixed(text, expected):
    assert split_sentences(text) == expected


def test_split_line_breaks_and_empty_pieces():
    text = "A title\nFirst line wraps\nhere. Next one.\n\n中文换\n行了。\n***\n……"
    assert split_sentences(text) == [
        "A title",
        "First line wraps",
        "here.",
        "Next one.",
        "中文换",
        "行了。",
    ]
    # "***" and "……" have no word character: dropped
    assert split_sentences(text, line_breaks="paragraph") == [
        "A title First line wraps here.",
        "Next one.",
        "中文换行了。",
    ]
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
    assert split_sentences("a\r\nb") == ["a", "b"]


def test_split_bad_input():
    with pytest.raises(TypeError, match="text must be a str"):
        split_sentences(None)
    with pytest.raises(ValueError, match="line_breaks"):
        split_sentences("a", line_breaks="never")


def test_detect_language():
    assert detect_language("今天天气很好，我们去公园。") == "zh"
    assert detect_language("我们用Python和NumPy写代码。") == "zh"
    assert detect_language("The Beijing office (北京) opened.") == "en"
    assert detect_language("123 ...") == "en"


# ------------------------------------------------------------------- ranking
def test_textrank_matches_networkx_pagerank():
    nx = pytest.importorskip("networkx")
    rng = np.random.default_rng(0)
    sim = rng.uniform(-0.5, 1, size=(7, 7))
    sim = (sim + sim.T) / 2
    scores, n_iter = textrank(sim, tol=1e-12, max_iter=1000)
    graph = nx.Graph()
    graph.add_nodes_from(range(7))
    for i in range(7):
        for j in range(i + 1, 7):
            if sim[i, j] > 0:
                graph.add_edge(i, j, weight=sim[i, j])
    expected = nx.pagerank(graph, alpha=0.85, tol=1e-13, max_iter=10_000)
    np.testing.assert_allclose(scores, [expected[i] for i in range(7)], atol=1e-9)
    assert scores.sum() == pytest.approx(1.0)
    assert 1 < n_iter < 1000


def test_textrank_all_zero_similarity_is_uniform_and_warns_without_convergence():
    scores, n_iter = textrank(-np.eye(4) - 1)
    np.testing.assert_allclose(scores, 0.25)
    assert n_iter == 1
    sim = np.array([[1, 0.9, 0.1], [0.9, 1, 0.0], [0.1, 0.0, 1]])
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        textrank(sim, max_iter=1)


def _planted_document():
    """Three sentences about one topic, one of them twice, and unrelated ones."""
    central = [
        "The river flood damaged the old bridge in the town.",
        "Engineers say the flood left the town bridge unsafe.",
        "The town will rebuild the bridge after the river flood.",
    ]
    filler = [
        "A bakery sells fresh bread every morning.",
        "Children played chess at the library.",
        "Tickets for the concert sold quickly.",
        "The weather turned cold on Friday evening.",
    ]
    sentences = [
        filler[0],
        central[0],
        filler[1],
        central[1],
        filler[2],
        central[0],
        filler[3],
        central[2],
    ]
    return " ".join(sentences), sentences


@pytest.mark.parametrize("vectorizer", [None, "tfidf"])
def test_planted_central_sentences_without_both_duplicates(vectorizer):
    text, sentences = _planted_document()
    picked = summarize(text, 3, vectorizer=vectorizer, output="indices")
    assert picked == sorted(picked)
    chosen = [sentences[i] for i in picked]
    assert set(chosen) == {sentences[1], sentences[3], sentences[7]}
    # pure centrality (no MMR penalty) still never takes both copies
    picked = summarize(text, 3, vectorizer=vectorizer, diversity=0.0, output="indices")
    assert len({sentences[i] for i in picked}) == 3
    assert not {1, 5} <= set(picked)


def _topic_corpus(n_docs=150, seed=0):
    """Documents of 8 sentences, each sentence about one of 30 topics (its
    own 15 words): sentences 1, 4 and 6 about the document's main topic, the
    five others about five other topics."""
    rng = np.random.default_rng(seed)
    words = [[f"t{t}w{i}" for i in range(15)] for t in range(30)]
    docs = []
    for _ in range(n_docs):
        main, *others = rng.choice(30, 6, replace=False)
        others = iter(others)
        sentences = []
        for k in range(8):
            topic = main if k in (1, 4, 6) else next(others)
            sentences.append(" ".join(rng.choice(words[topic], 10)).capitalize() + ".")
        docs.append(" ".join(sentences))
    return docs


def test_planted_structure_with_word2vec_fitted_on_a_corpus():
    docs = _topic_corpus()
    summ = ExtractiveSummarizer(output="indices", diversity=0.0, random_state=0)
    summ.fit(docs)
    assert isinstance(summ.vectorizer_, Word2VecVectorizer)  # >= 10,000 tokens
    picked = summ.transform(docs[:30])
    # chance of the exact set {1, 4, 6}: 1 / 56
    assert np.mean([set(p.tolist()) == {1, 4, 6} for p in picked]) >= 0.6
    # word2vec puts the main-topic sentences at a cosine of ~1: MMR then
    # takes them for redundant and trades one for another topic
    summ.set_params(diversity=0.3)
    assert (
        np.mean([len({1, 4, 6} & set(p.tolist())) for p in summ.transform(docs[:30])])
        >= 2
    )
    tfidf = ExtractiveSummarizer(vectorizer="tfidf", output="indices").fit(docs)
    assert all(set(p.tolist()) == {1, 4, 6} for p in tfidf.transform(docs[:30]))


def test_position_prior_and_diversity_extremes():
    text, sentences = _planted_document()
    lead = summarize(text, 2, position_weight=1.0, output="indices")
    assert lead == [0, 1]
    # all-zero similarity graph: uniform scores, ties go to the earliest
    vec = TfidfVectorizer().fit(["zzz"])  # knows no word of the text
    assert summarize(text, 3, vectorizer=vec, output="indices") == [0, 1, 2]


def test_order_preserved_and_output_forms():
    text, sentences = _planted_document()
    picked = summarize(text, 3, output="indices")
    assert summarize(text, 3) == [sentences[i] for i in picked]
    assert summarize(text, 3, output="text") == " ".join(sentences[i] for i in picked)
    assert summarize(text, 3, output="text", separator="\n").count("\n") == 2
    zh = "北京是首都。北京有故宫。上海很大。很多人去北京看故宫。"
    joined = summarize(zh, 2, output="text")
    assert " " not in joined and joined.endswith("。")


def test_small_inputs():
    assert summarize("") == []
    assert summarize("", output="text") == ""
    assert summarize("  \n ") == []
    assert summarize("Only one sentence here.") == ["Only one sentence here."]
    two = "First one. Second one."
    assert summarize(two, 5) == ["First one.", "Second one."]
    assert summarize(["pre-split one", "  ", "pre-split two"], 3) == [
        "pre-split one",
        "pre-split two",
    ]
    text, sentences = _planted_document()  # 8 sentences
    assert len(summarize(text, 0.25)) == 2
    assert len(summarize(text, 0.3)) == 3  # ceil(2.4)
    assert len(summarize(text, 0.01)) == 1
    # identical sentences only: never two copies, so fewer than asked
    assert summarize("Same thing. Same thing. Same  THING.", 2) == ["Same thing."]


def test_determinism_with_random_state():
    docs = _topic_corpus(60, seed=1)
    a = ExtractiveSummarizer(vectorizer="word2vec", random_state=3).fit(docs)
    b = ExtractiveSummarizer(vectorizer="word2vec", random_state=3).fit(docs)
    np.testing.assert_array_equal(a.vectorizer_.embedding_, b.vectorizer_.embedding_)
    assert list(a.transform(docs)) == list(b.transform(docs))
    text = docs[0]
    assert summarize(text, vectorizer="word2vec") == summarize(
        text, vectorizer="word2vec"
    )


def test_fitted_vectorizer_is_used_as_is_and_unfitted_is_cloned():
    docs = _topic_corpus(30)
    fitted = TfidfVectorizer().fit(docs)
    summ = ExtractiveSummarizer(vectorizer=fitted).fit(docs[:2])
    assert summ.vectorizer_ is fitted
    unfitted = TfidfVectorizer()
    summ = ExtractiveSummarizer(vectorizer=unfitted).fit(docs)
    assert summ.vectorizer_ is not unfitted and not hasattr(unfitted, "vocabulary_")
    assert summ.vectorizer_.vocabulary_
    pipe = make_pipeline(TfidfVectorizer(), "passthrough")
    out = summarize(docs[0], 2, vectorizer=pipe)
    assert len(out) == 2 and not hasattr(pipe[0], "vocabulary_")


def test_wrong_vectorizer_output_is_a_clear_error():
    class OneRow:
        def fit(self, X, y=None):
            self.fitted_ = True
            return self

        def transform(self, X):
            return np.ones((1, 3))

    text, _ = _planted_document()
    with pytest.raises(ValueError, match="one row per sentence"):
        summarize(text, vectorizer=OneRow())


# ------------------------------------------------------------------ estimator
DOCS = [
    "Cats sleep a lot. Cats like warm places. Dogs bark. Cats sleep in warm "
    "places. The sky is blue.",
    "北京是中国的首都。北京有很多名胜古迹。上海是一个大城市。很多游客来北京参观名胜古迹。",
    "Short one.",
    "",
]


def test_estimator_contract():
    summ = ExtractiveSummarizer(n_sentences=2)
    params = summ.get_params()
    assert summ.fit(DOCS) is summ
    assert summ.get_params() == params
    out = summ.transform(DOCS)
    assert out.shape == (4,) and out.dtype == object
    assert list(out) == [
        "Cats like warm places. Cats sleep in warm places.",
        "北京有很多名胜古迹。很多游客来北京参观名胜古迹。",
        "Short one.",
        "",
    ]
    order = [2, 0, 3, 1]
    assert list(summ.transform([DOCS[i] for i in order])) == [out[i] for i in order]
    assert list(summ.transform(DOCS[1:2])) == [out[1]]
    sentences = summ.set_params(output="sentences").transform(DOCS)
    assert sentences[0] == ["Cats like warm places.", "Cats sleep in warm places."]
    assert sentences[3] == []
    indices = summ.set_params(output="indices").transform(DOCS)
    assert [i.tolist() for i in indices] == [[1, 3], [1, 3], [0], []]
    pd = pytest.importorskip("pandas")
    series = pd.Series(DOCS, index=[10, 11, 12, 13])
    assert [i.tolist() for i in summ.transform(series)] == [[1, 3], [1, 3], [0], []]
    again = clone(summ).fit(DOCS).transform(DOCS)
    assert [a.tolist() for a in again] == [i.tolist() for i in indices]
    assert not hasattr(summ, "get_feature_names_out")


def test_estimator_pickle_and_joblib_round_trip(tmp_path):
    for vectorizer in (None, "word2vec"):
        summ = ExtractiveSummarizer(vectorizer=vectorizer, random_state=0).fit(DOCS[:2])
        expected = list(summ.transform(DOCS))
        assert list(pickle.loads(pickle.dumps(summ)).transform(DOCS)) == expected
        joblib.dump(summ, tmp_path / "s.joblib")
        assert list(joblib.load(tmp_path / "s.joblib").transform(DOCS)) == expected


def test_estimator_in_pipeline_and_grid_search():
    docs = (
        _topic_corpus(40)
        + [" ".join(["Noise words only here."] * 2 + ["Another plain sentence."] * 2)]
        * 40
    )
    y = [1] * 40 + [0] * 40
    pipe = Pipeline(
        [
            ("summ", ExtractiveSummarizer(n_sentences=2, vectorizer="tfidf")),
            ("tfidf", TfidfVectorizer()),
            ("clf", LogisticRegression()),
        ]
    )
    search = GridSearchCV(
        pipe, {"summ__n_sentences": [1, 2], "summ__diversity": [0.0, 0.3]}, cv=2
    )
    search.fit(docs, y)
    assert search.best_score_ == 1.0
    assert search.predict(docs[:1]).tolist() == [1]


def test_estimator_bad_inputs():
    summ = ExtractiveSummarizer()
    with pytest.raises(NotFittedError):
        summ.transform(DOCS)
    with pytest.raises(ValueError, match="string object received"):
        summ.fit("a bare string")
    with pytest.raises(ValueError, match="X is empty"):
        summ.fit([])
    with pytest.raises(ValueError, match="all 2 documents are empty"):
        summ.fit(["", "  "])
    with pytest.raises(ValueError, match=r"X\[1\] is NaN"):
        summ.fit(["ok.", float("nan")])
    with pytest.raises(ValueError, match=r"X\[0\] is int"):
        summ.fit([3])
    with pytest.raises(TypeError, match="X must be an iterable"):
        summ.fit(None)
    summ.fit(DOCS)
    with pytest.raises(ValueError, match="X is empty"):
        summ.transform([])
    summ.set_params(output="html")
    with pytest.raises(InvalidParameterError, match="'output' parameter"):
        summ.transform(DOCS)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"n_sentences": 0}, "n_sentences"),
        ({"n_sentences": 1.5}, "n_sentences"),
        ({"n_sentences": "3"}, "n_sentences"),
        ({"diversity": 2}, "diversity"),
        ({"position_weight": -0.1}, "position_weight"),
        ({"damping": 1.0}, "damping"),
        ({"vectorizer": object()}, "vectorizer"),
        ({"vectorizer": "bert"}, "vectorizer"),
        ({"language": "fr"}, "language"),
        ({"max_iter": 0}, "max_iter"),
        ({"output": "html"}, "output"),
    ],
)
def test_bad_parameters_name_the_argument(params, name):
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of summarize"):
        summarize("One. Two. Three. Four.", **params)
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        ExtractiveSummarizer(**params).fit(["One. Two. Three. Four."])


def test_summarize_bad_text():
    with pytest.raises(InvalidParameterError, match="'text' parameter of summarize"):
        summarize(None)
    with pytest.raises(ValueError, match=r"text\[0\] is list"):
        summarize(["fine", None])


def test_chinese_without_jieba(monkeypatch):
    monkeypatch.setattr(summarize_module, "_jieba_available", lambda: False)
    summ = ExtractiveSummarizer(n_sentences=2, language="zh").fit(DOCS[1:2])
    assert summ.vectorizer_.tokenizer.__name__ == "cjk_tokenize"
    assert (
        summ.transform(DOCS[1:2])[0]
        == "北京有很多名胜古迹。很多游客来北京参观名胜古迹。"
    )


@pytest.mark.skipif(importlib.util.find_spec("jieba") is None, reason="needs jieba")
def test_chinese_with_jieba():
    summ = ExtractiveSummarizer(n_sentences=2, vectorizer="word2vec", random_state=0)
    summ.fit(DOCS[1:2])
    assert summ.vectorizer_.tokenizer == "jieba"
    assert "北京" in summ.vectorizer_.vocabulary_


# ---------------------------------------------------------------------- ROUGE
@pytest.fixture(scope="module")
def rouge():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import rouge
    finally:
        sys.path.remove(str(BENCHMARKS))
    return rouge


def test_rouge_hand_computed_english(rouge):
    cand = rouge.tokenize("The cat sat on the mat.")
    ref = rouge.tokenize("the cat was on the mat")
    # unigrams: the x2, cat, on, mat shared -> 5 of 6 each way
    assert rouge.rouge_n(cand, ref, 1) == pytest.approx((5 / 6, 5 / 6, 5 / 6))
    # bigrams: "the cat", "on the", "the mat" -> 3 of 5
    assert rouge.rouge_n(cand, ref, 2) == pytest.approx((0.6, 0.6, 0.6))
    # LCS "the cat on the mat" = 5
    assert rouge.rouge_l(cand, ref) == pytest.approx((5 / 6, 5 / 6, 5 / 6))


def test_rouge_clipped_counts_and_edge_cases(rouge):
    cand, ref = ["the", "the", "the"], ["the", "cat", "the"]
    assert rouge.rouge_n(cand, ref, 1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert rouge.rouge_n(cand, ref, 2) == (0.0, 0.0, 0.0)
    assert rouge.rouge_l(cand, ref) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    p, r, f = rouge.rouge_l(["a", "b", "c", "d"], ["b", "d", "e"])
    assert (p, r) == (0.5, pytest.approx(2 / 3)) and f == pytest.approx(4 / 7)
    assert rouge.rouge_n([], ["a"], 1) == (0.0, 0.0, 0.0)
    assert rouge.lcs_length(list("ABCBDAB"), list("BDCABA")) == 4


def test_rouge_chinese_is_character_level(rouge):
    assert rouge.tokenize("北京大学, NLP 2024！", "zh") == [
        "北",
        "京",
        "大",
        "学",
        "nlp",
        "2024",
    ]
    scores = rouge.rouge_scores("北京大学", "北京的大学", "zh")
    # chars: 4 shared of 4 / 5 -> F 8/9; bigrams 北京, 大学 of 3 / 4 -> F 4/7
    assert scores == pytest.approx({"rouge1": 8 / 9, "rouge2": 4 / 7, "rougeL": 8 / 9})
    with pytest.raises(ValueError, match="language"):
        rouge.tokenize("x", "fr")


def test_rouge_agrees_with_rouge_score_package(rouge):
    rouge_score = pytest.importorskip("rouge_score.rouge_scorer")
    scorer = rouge_score.RougeScorer(["rouge1", "rouge2", "rougeL"])
    pairs = [
        ("police killed the gunman", "the gunman police killed"),
        ("A b c d. E f!", "b d e a c f g h"),
    ]
    for cand, ref in pairs:
        theirs = scorer.score(ref, cand)
        ours = rouge.rouge_scores(cand, ref)
        for key in ours:
            assert ours[key] == pytest.approx(theirs[key].fmeasure)


# ------------------------------------------------------------------ review
@pytest.mark.parametrize(
    "text, expected",
    [
        ("1. First item.\n2. Second item.", ["1. First item.", "2. Second item."]),
        ("1. First item. 2. Second item.", ["1. First item.", "2. Second item."]),
        ("Steps: 1. Open it. 2. Close it.", ["Steps: 1. Open it.", "2. Close it."]),
        ("He scored 3 vs. 2. Great.", ["He scored 3 vs. 2.", "Great."]),
        ("Chapter 1. The Beginning", ["Chapter 1.", "The Beginning"]),
    ],
)
def test_split_numbered_lists(text, expected):
    assert split_sentences(text) == expected


def test_split_time_is_linear_in_the_text_length():
    # one line of 4 million characters: quadratic splitting took minutes
    text = "This is one sentence of the text. " * 120_000
    start = time.process_time()
    sentences = split_sentences(text)
    assert len(sentences) == 120_000
    assert time.process_time() - start < 10


@pytest.mark.parametrize(
    "fraction, total, n", [(0.28, 25, 7), (0.14, 50, 7), (0.07, 100, 7), (0.35, 10, 4)]
)
def test_fraction_of_sentences_is_not_rounded_up_by_float_error(fraction, total, n):
    # 0.28 * 25 is 7.000000000000001 in floating point
    assert summarize_module._n_select(fraction, total) == n
    text = " ".join(f"Sentence about topic {i:03d} is here." for i in range(total))
    assert len(split_sentences(text)) == total
    assert len(summarize(text, fraction, output="indices")) == n


def test_mmr_first_pick_is_the_top_ranked_sentence_at_any_diversity():
    relevance = np.array([0.1, 0.9, 0.5, 0.2])
    similarity = np.eye(4, dtype=np.float32)
    keys = np.array(["a", "b", "c", "d"], dtype=object)
    for diversity in (0.0, 0.5, 1.0):
        picked = summarize_module._mmr(relevance, similarity, 2, diversity, keys)
        assert picked == [1, 2]


class _NaNVectorizer:
    """A fitted vectorizer whose second sentence vector is NaN."""

    fitted_ = True

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        out = np.random.RandomState(0).rand(len(X), 3)
        out[1] = np.nan
        return out


def test_non_finite_sentence_vectors_are_a_clear_error():
    text = "A b c. D e f. G h i. J k l. M n o."
    with pytest.raises(ValueError, match="NaN or infinite values for sentence 1"):
        summarize(text, 2, vectorizer=_NaNVectorizer())


def test_text_without_words_names_the_argument():
    with pytest.raises(ValueError, match=r"^text has no word.*one-character"):
        summarize("A b c. D e f. G h i. J k l.", 1)
    with pytest.raises(ValueError, match=r"^X has no word"):
        ExtractiveSummarizer(n_sentences=1).fit(["A b c. D e f. G h i. J k l."])
