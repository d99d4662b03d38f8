"""Text input and tokenisation for the text estimators.

Mirrors scikit-learn's ``CountVectorizer`` pipeline (decode -> preprocess ->
tokenize -> stop words) with three additions:

* documents that are already token lists (``["a", "b"]``) are used as they
  are;
* a built-in tokeniser for Chinese, Japanese and Korean text that needs no
  dictionary: runs of CJK characters become character unigrams and bigrams,
  the rest of the text is split into words by ``token_pattern``;
* ``tokenizer="jieba"`` uses the jieba word segmenter (the ``zh`` extra).

The default rule (``tokenizer=None``) is decided **per document**: a
document containing at least one CJK character is tokenised by the CJK rule,
any other document by ``token_pattern``. On a document without CJK
characters both rules give the same tokens, so the rule never changes the
tokens of non-CJK text.

Nothing here is estimator-specific: :func:`build_analyzer` returns a plain
function ``document -> list of str`` and :func:`iter_documents` validates and
decodes an input column.
"""

import logging
import re
import time

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .._validation import check_column
from .._vectors._formats import open_input
from .._vectors._subwords import CJK_CHARACTERS

#: skembed's logger (messages of third-party libraries it quiets go here)
logger = logging.getLogger("skembed")

__all__ = [
    "CJK_CHARACTERS",
    "build_analyzer",
    "check_documents",
    "cjk_tokenize",
    "iter_documents",
]

#: Character ranges treated as CJK by the fallback tokeniser (defined with
#: the subword n-grams, which use the same ranges for cjk_ngram_range)
_CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
_HAS_WORD_CHAR = re.compile(r"\w")


def cjk_tokenize(text, word_pattern=r"(?u)\b\w\w+\b"):
    """Split text into CJK character unigrams + bigrams and other words.

    Each maximal run of CJK characters gives, in reading order, every
    character followed by the bigram it starts (``"北京大学"`` gives
    ``北 北京 京 京大 大 大学 学``), so skip-gram windows see neighbouring
    characters and the frequent two-character words of Chinese. The text
    between CJK runs is split by ``word_pattern`` (a regular expression
    string or compiled pattern, as ``token_pattern``).

    Parameters
    ----------
    text : str
    word_pattern : str or re.Pattern, default=r"(?u)\\b\\w\\w+\\b"

    Returns
    -------
    list of str

    Examples
    --------
    >>> from skembed._text._analyzer import cjk_tokenize
    >>> cjk_tokenize("我爱北京 and Beijing!")
    ['我', '我爱', '爱', '爱北', '北', '北京', '京', 'and', 'Beijing']
    """
    if isinstance(word_pattern, str):
        word_pattern = re.compile(word_pattern)
    findall = word_pattern.findall
    tokens = []
    pos = 0
    for match in _CJK_RUN.finditer(text):
        start, end = match.span()
        if start > pos:
            tokens.extend(findall(text[pos:start]))
        run = match.group()
        last = len(run) - 1
        for i, char in enumerate(run):
            tokens.append(char)
            if i < last:
                tokens.append(run[i : i + 2])
        pos = end
    if pos < len(text):
        tokens.extend(findall(text[pos:] if pos else text))
    return tokens


#: set once jieba's dictionary is loaded in this process
_jieba_loaded = False


def _load_jieba():
    """Import jieba and load its dictionary, once per process.

    jieba prints "Building prefix dict ... Loading model cost ..." on its
    own console handler in every process that segments; left at jieba's
    default level, that logger is raised to WARNING, and the load is said
    once on the ``skembed`` logger (INFO) instead, with jieba's version: the
    one place that tells that jieba, not the built-in CJK rule, ran.
    """
    global _jieba_loaded
    import jieba

    if not _jieba_loaded:
        jieba_logger = getattr(jieba, "default_logger", logging.getLogger("jieba"))
        if jieba_logger.level in (logging.NOTSET, logging.DEBUG):  # jieba's own
            jieba_logger.setLevel(logging.WARNING)
        t0 = time.perf_counter()
        jieba.initialize()
        logger.info(
            "jieba %s: dictionary loaded in %.1f s",
            getattr(jieba, "__version__", "(unknown version)"),
            time.perf_counter() - t0,
        )
        _jieba_loaded = True
    return jieba


def jieba_tokenize(text):
    """jieba's words of ``text``; spaces and punctuation (which jieba returns
    as tokens) are dropped. Module-level, so estimators holding it pickle."""
    return [t for t in _load_jieba().lcut(text) if _HAS_WORD_CHAR.search(t)]


def describe_tokenizer(tokenizer, analyzer="word"):
    """Which tokenizer runs, in words, for ``verbose`` output."""
    if callable(analyzer):
        return f"analyzer {getattr(analyzer, '__name__', type(analyzer).__name__)}"
    if tokenizer is None:
        return "token_pattern, built-in CJK rule for documents with CJK characters"
    if tokenizer == "cjk":
        return "built-in CJK rule"
    if tokenizer == "jieba" or tokenizer is jieba_tokenize:
        try:
            return f"jieba {_load_jieba().__version__}"
        except (ImportError, AttributeError):
            return "jieba"
    return f"tokenizer {getattr(tokenizer, '__name__', type(tokenizer).__name__)}"


def _jieba_tokenizer():
    try:
        import jieba  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            'tokenizer="jieba" needs the jieba package: pip install "skembed[zh]" '
            '(or pip install jieba). tokenizer="cjk" needs nothing.'
        ) from exc
    return jieba_tokenize


def _resolve_stop_words(stop_words):
    if stop_words is None:
        return None
    if isinstance(stop_words, str):
        if stop_words == "english":
            return ENGLISH_STOP_WORDS
        raise ValueError(f"not a built-in stop list: {stop_words!r}")
    return frozenset(stop_words)


def build_analyzer(
    *,
    lowercase=True,
    token_pattern=r"(?u)\b\w\w+\b",
    stop_words=None,
    preprocessor=None,
    tokenizer=None,
    analyzer="word",
):
    """Return ``analyze(text) -> list of str`` for the given settings.

    The steps and their precedence follow scikit-learn's vectorizers: an
    ``analyzer`` callable replaces everything; otherwise ``preprocessor``
    (default: lower-casing when ``lowercase``) then the tokeniser then the
    stop-word filter.

    Parameters
    ----------
    lowercase : bool, default=True
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a word outside CJK runs (sklearn's default:
        two or more word characters).
    stop_words : {"english"}, list or None, default=None
    preprocessor : callable or None, default=None
        ``str -> str``; replaces the lower-casing step when given.
    tokenizer : {None, "cjk", "jieba"} or callable, default=None
        ``None``: the CJK rule for documents that contain a CJK character,
        ``token_pattern`` for the others. ``"cjk"``: always the CJK rule.
        ``"jieba"``: jieba word segmentation. A callable: ``str -> list``.
    analyzer : "word" or callable, default="word"
        A callable ``str -> list of str`` replaces preprocessing,
        tokenisation and stop words.

    Returns
    -------
    callable

    Examples
    --------
    >>> from skembed._text._analyzer import build_analyzer
    >>> analyze = build_analyzer(stop_words="english")
    >>> analyze("The cat sat on the mat")
    ['cat', 'sat', 'mat']
    >>> analyze("我们喜欢NLP")
    ['我', '我们', '们', '们喜', '喜', '喜欢', '欢', 'nlp']
    """
    if callable(analyzer):
        return analyzer
    if analyzer != "word":
        raise ValueError(
            f"analyzer must be 'word' or a callable str -> list of str; got "
            f"{analyzer!r}. Character n-grams are FastTextVectorizer's subwords."
        )
    stop = _resolve_stop_words(stop_words)
    pattern = re.compile(token_pattern)
    if tokenizer is None:
        findall = pattern.findall
        has_cjk = _CJK_RUN.search

        def tokenize(text):
            if has_cjk(text):
                return cjk_tokenize(text, pattern)
            return findall(text)

    elif tokenizer == "cjk":

        def tokenize(text):
            return cjk_tokenize(text, pattern)

    elif tokenizer == "jieba":
        tokenize = _jieba_tokenizer()
    elif callable(tokenizer):
        tokenize = tokenizer
    else:
        raise ValueError(
            f"tokenizer must be None, 'cjk', 'jieba' or a callable; got {tokenizer!r}."
        )

    if preprocessor is not None:
        prep = preprocessor
    elif lowercase:
        prep = str.lower
    else:
        prep = None

    if prep is None and stop is None:
        return tokenize
    if stop is None:
        return lambda text: tokenize(prep(text))
    if prep is None:
        return lambda text: [t for t in tokenize(text) if t not in stop]
    return lambda text: [t for t in tokenize(prep(text)) if t not in stop]


def check_documents(X, *, param="X"):
    """Validate a column of documents; return a re-iterable or an iterator.

    A bare string raises scikit-learn's error. Lists, tuples, 1-D arrays and
    pandas Series are returned as a list of their values; a one-column
    DataFrame or an ``(n, 1)`` array is taken as its column. Any other
    iterable is returned as it is (a re-iterable such as a file reader
    class, or a one-shot generator): callers that need two passes must
    check ``iter(X) is X`` themselves.

    Raises
    ------
    ValueError
        For a bare ``str``/``bytes`` (which would iterate over characters),
        or an array that is not one column.
    TypeError
        For ``None``, a number, or a non-iterable.
    """
    X = check_column(
        X,
        what="documents",
        param=param,
        hint=" Select the text column (df['text']) or pass token lists as a "
        "list of lists.",
    )
    if isinstance(X, (np.ndarray, list, tuple)) or hasattr(X, "iloc"):
        return X if isinstance(X, (list, tuple)) else list(X)
    return X


def iter_documents(
    X, analyze, *, input="content", encoding="utf-8", decode_error="strict", param="X"
):
    """Yield the token list of each document of ``X``.

    ``input`` is scikit-learn's: ``"content"`` (each item is the text),
    ``"filename"`` (a path read in binary and decoded), ``"file"`` (an
    object with ``read()``). Bytes are decoded with ``encoding`` and
    ``decode_error``. A token list (list, tuple or 1-D array of str) is
    yielded as it is, without analysis.

    Raises
    ------
    ValueError
        For an item that is not a document (``None``, NaN, a number), with
        its position, and for bytes that do not decode (with the decode
        error of Python, when ``decode_error="strict"``).
    """
    for position, doc in enumerate(X):
        if input == "filename" and (
            isinstance(doc, (str, bytes)) or hasattr(doc, "__fspath__")
        ):
            with open_input(doc) as fh:  # .gz / .bz2 / .xz decompressed
                doc = fh.read()
        elif input == "file" and hasattr(doc, "read"):
            doc = doc.read()
        if isinstance(doc, str):
            yield analyze(doc)
        elif isinstance(doc, bytes):
            try:
                text = doc.decode(encoding, decode_error)
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"{param}[{position}] cannot be decoded with "
                    f"encoding={encoding!r}: {exc}. Set encoding= to the "
                    "file's encoding, or decode_error='replace' or 'ignore'."
                ) from exc
            yield analyze(text)
        elif isinstance(doc, (list, tuple)):
            yield doc
        elif isinstance(doc, np.ndarray) and doc.ndim == 1:
            yield doc.tolist()
        else:
            what = type(doc).__name__
            if isinstance(doc, float) and doc != doc:
                what = "NaN (a missing value)"
            raise ValueError(
                f"{param}[{position}] is {what}; expected a document: a str, "
                "bytes, or a list of tokens"
                + (f" (input={input!r})" if input != "content" else "")
                + ". Fill missing values first, e.g. X.fillna('')."
            )
