import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skembed._text._analyzer import (
    CJK_CHARACTERS,
    build_analyzer,
    check_documents,
    cjk_tokenize,
    iter_documents,
)

_CJK = re.compile(f"[{CJK_CHARACTERS}]")


def test_default_analyzer_matches_sklearn_on_latin_text():
    from sklearn.feature_extraction.text import CountVectorizer

    docs = ["The quick brown fox, isn't it?", "Ça va très bien; 42 x y zz", ""]
    ours = build_analyzer(stop_words="english")
    theirs = CountVectorizer(stop_words="english").build_analyzer()
    for doc in docs:
        assert ours(doc) == theirs(doc)


def test_cjk_unigrams_and_bigrams_in_reading_order():
    assert cjk_tokenize("北京大学") == ["北", "北京", "京", "京大", "大", "大学", "学"]
    assert cjk_tokenize("我") == ["我"]
    assert cjk_tokenize("") == []


def test_cjk_mixed_text_latin_runs_are_words():
    tokens = build_analyzer()("我爱NLP和Python 3, ok")
    assert tokens == ["我", "我爱", "爱", "nlp", "和", "python", "ok"]


def test_cjk_punctuation_splits_runs():
    # ideographic comma / full stop are not CJK characters: no bigram across
    assert cjk_tokenize("你好，世界。") == ["你", "你好", "好", "世", "世界", "界"]


def test_japanese_and_korean_are_cjk():
    assert cjk_tokenize("ひらがな") == ["ひ", "ひら", "ら", "らが", "が", "がな", "な"]
    assert cjk_tokenize("한국어") == ["한", "한국", "국", "국어", "어"]


def test_auto_rule_is_per_document():
    analyze = build_analyzer()
    assert analyze("hello world") == ["hello", "world"]
    # the sklearn pattern would give one token for the whole sentence
    assert analyze("今天天气很好") != ["今天天气很好"]
    assert "天气" in analyze("今天天气很好")


def test_forced_cjk_tokenizer_equals_pattern_on_latin():
    forced = build_analyzer(tokenizer="cjk")
    assert forced("Hello big World") == ["hello", "big", "world"]


def test_preprocessor_replaces_lowercase_and_tokenizer_callable():
    analyze = build_analyzer(preprocessor=lambda s: s.replace("-", " "))
    assert analyze("Foo-Bar") == ["Foo", "Bar"]
    analyze = build_analyzer(tokenizer=str.split, stop_words=["the"])
    assert analyze("The cat the dog") == ["cat", "dog"]


def test_analyzer_callable_replaces_everything():
    analyze = build_analyzer(analyzer=lambda s: list(s), stop_words="english")
    assert analyze("ab") == ["a", "b"]


def test_bad_tokenizer_and_stop_words():
    with pytest.raises(ValueError, match="tokenizer"):
        build_analyzer(tokenizer="spacy")
    with pytest.raises(ValueError, match="stop list"):
        build_analyzer(stop_words="french")


def test_jieba_tokenizer():
    pytest.importorskip("jieba")
    analyze = build_analyzer(tokenizer="jieba")
    tokens = analyze("我来到北京清华大学，很高兴。")
    assert "北京" in tokens and "，" not in tokens and all(tokens)


def test_jieba_missing_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "jieba":
            raise ImportError("No module named 'jieba'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r'pip install "skembed\[zh\]"'):
        build_analyzer(tokenizer="jieba")


def test_check_documents_shapes():
    assert check_documents(["a", "b"]) == ["a", "b"]
    assert check_documents(np.array(["a", "b"], dtype=object)) == ["a", "b"]
    assert check_documents(np.array([["a"], ["b"]], dtype=object)) == ["a", "b"]
    assert check_documents(pd.Series(["a", "b"], index=[5, 7])) == ["a", "b"]
    assert check_documents(pd.DataFrame({"t": ["a", "b"]})) == ["a", "b"]
    with pytest.raises(ValueError, match="string object received"):
        check_documents("a document")
    with pytest.raises(ValueError, match="2 columns"):
        check_documents(pd.DataFrame({"t": ["a"], "u": ["b"]}))
    with pytest.raises(ValueError, match="shape"):
        check_documents(np.array([["a", "b"]], dtype=object))
    with pytest.raises(TypeError, match="iterable of documents"):
        check_documents(3)
    with pytest.raises(TypeError, match="iterable of documents"):
        check_documents(None)


def test_iter_documents_inputs(tmp_path):
    analyze = build_analyzer()
    path = tmp_path / "doc.txt"
    path.write_bytes("Héllo wörld".encode("latin-1"))
    with pytest.raises(ValueError, match=r"X\[0\] cannot be decoded.*encoding"):
        list(iter_documents([str(path)], analyze, input="filename"))
    out = list(iter_documents([path], analyze, input="filename", encoding="latin-1"))
    assert out == [["héllo", "wörld"]]
    out = list(
        iter_documents([str(path)], analyze, input="filename", decode_error="ignore")
    )
    assert out == [["hllo", "wrld"]]
    out = list(iter_documents([io.BytesIO(b"a bb ccc")], analyze, input="file"))
    assert out == [["bb", "ccc"]]
    out = list(iter_documents([["Pre", "tok"], ("a",), np.array(["x"])], analyze))
    assert [list(t) for t in out] == [["Pre", "tok"], ["a"], ["x"]]
    with pytest.raises(ValueError, match=r"X\[1\] is NaN"):
        list(iter_documents(["ok", float("nan")], analyze))
    with pytest.raises(ValueError, match=r"X\[0\] is int"):
        list(iter_documents([3], analyze))


# --------------------------------------------------------------- properties
_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("北京大学我爱你好世界ひらがな한국어 ,.!?\n\t")),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_tokenizers_never_crash_and_give_non_empty_tokens(text):
    for tokenizer in (None, "cjk"):
        tokens = build_analyzer(tokenizer=tokenizer)(text)
        assert all(isinstance(t, str) and t for t in tokens)
        # tokens are pieces of the (lower-cased) text
        assert all(t in text.lower() for t in tokens)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_cjk_rule(text):
    tokens = cjk_tokenize(text)
    cjk_tokens = [t for t in tokens if _CJK.search(t)]
    # CJK tokens are single characters or bigrams of CJK characters only
    assert all(len(t) in (1, 2) and all(_CJK.match(c) for c in t) for t in cjk_tokens)
    # every CJK character of the text appears once as a unigram
    assert [t for t in cjk_tokens if len(t) == 1] == _CJK.findall(text)
    # and texts without CJK characters tokenise as the plain pattern
    if not _CJK.search(text):
        assert tokens == re.findall(r"(?u)\b\w\w+\b", text)


def test_jieba_loads_once_through_logging_and_verbose_names_it():
    """#18: jieba's "Building prefix dict ... Loading model cost" console
    lines are gone; the load is one INFO line of the "skembed" logger, and
    verbose output says which tokenizer ran."""
    import subprocess
    import sys

    pytest.importorskip("jieba")
    code = (
        "import logging\n"
        "from skembed import Word2VecVectorizer\n"
        "docs = ['我们喜欢自然语言处理', '自然语言处理很有趣'] * 5\n"
        "Word2VecVectorizer(tokenizer='jieba', min_count=1, n_components=4,\n"
        "                   n_epochs=1, verbose=1).fit(docs)\n"
        "logging.basicConfig(level=logging.INFO, format='%(name)s: %(message)s')\n"
        "Word2VecVectorizer(tokenizer='jieba', min_count=1, n_components=4,\n"
        "                   n_epochs=1).fit(docs)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Building prefix dict" not in out.stderr
    assert "Loading model cost" not in out.stderr
    assert "tokens by jieba 0." in out.stderr  # the verbose vocabulary line
    # loaded once per process: before logging was configured, so not shown
    assert "jieba" not in out.stderr.replace("tokens by jieba", "")


def test_describe_tokenizer():
    from skembed._text._analyzer import describe_tokenizer

    assert describe_tokenizer(None).startswith("token_pattern, built-in CJK")
    assert describe_tokenizer("cjk") == "built-in CJK rule"
    assert describe_tokenizer(None, str.split) == "analyzer split"
    assert describe_tokenizer(str.split) == "tokenizer split"
