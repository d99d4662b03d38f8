"""Extractive summarisation: TextRank on sentence embeddings, then MMR.

The pipeline per document: split into sentences (:func:`split_sentences`),
embed each sentence with a fitted text vectorizer, build the cosine
similarity graph (negative similarities clipped to 0), score the sentences
by PageRank on it (TextRank), optionally mix in a lead prior, select
greedily by maximal marginal relevance (MMR) so that near-duplicates are not
picked together, and return the selected sentences in document order.
"""

import copy
import importlib.util
import math
import re
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .._compat import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
    validate_params,
)
from .._fitted import INT, STR, Kind
from .._progress import CallbackSupportMixin
from .._scaleout import LazyTransformMixin
from ._analyzer import (
    CJK_CHARACTERS,
    check_documents,
    cjk_tokenize,
    jieba_tokenize,
    logger,
)
from ._sentences import split_sentences
from ._word2vec import Word2VecVectorizer

__all__ = ["ExtractiveSummarizer", "summarize", "textrank"]

_FITTED_VECTORIZER = Kind("a fitted vectorizer", lambda v: hasattr(v, "transform"))

#: Training tokens (tokens x epochs) the default word2vec model gets at least:
#: a page of 1,000 tokens is trained for 50 epochs, a corpus of a million
#: tokens for the usual 5 (benchmarks/bench_summarize.py: 20 epochs on one
#: paper are worse, 100 no better).
_TRAINING_TOKENS = 50_000
_MAX_EPOCHS = 50
#: With ``vectorizer=None``, word2vec is trained when ``fit`` sees at least
#: this many tokens, else TF-IDF is used: on less text word2vec vectors are
#: mostly their random initialisation and the chosen sentences change with
#: the seed (benchmarks/results/summarize.md, "seed stability").
_MIN_WORD2VEC_TOKENS = 10_000

_CJK_RE = re.compile(f"[{CJK_CHARACTERS}]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_NON_WORD = re.compile(r"\W+")


# --------------------------------------------------------------------- helpers
def detect_language(text):
    """``"zh"`` when at least 30 % of the letters of ``text`` are CJK, else ``"en"``.

    Examples
    --------
    >>> from skembed._text._summarize import detect_language
    >>> detect_language("我们用Python和NumPy写代码。"), detect_language("Hello 世界")
    ('zh', 'en')
    """
    letters = len(_LETTER_RE.findall(text))
    if letters == 0:
        return "en"
    return "zh" if len(_CJK_RE.findall(text)) / letters >= 0.3 else "en"


def _jieba_available():
    return importlib.util.find_spec("jieba") is not None


def _default_vectorizer(kind, language, n_tokens, random_state):
    """The vectorizer used when ``vectorizer`` is None, "word2vec" or "tfidf"."""
    jieba = language == "zh" and _jieba_available()
    if language == "zh":  # results depend on it: say which segmenter runs
        logger.info(
            "summarize: Chinese text, segmented by %s",
            "jieba" if jieba else "the built-in CJK rule (jieba is not installed)",
        )
    if kind == "tfidf":
        return TfidfVectorizer(
            tokenizer=jieba_tokenize if jieba else cjk_tokenize,
            token_pattern=None,
            lowercase=True,
        )
    epochs = min(_MAX_EPOCHS, max(5, math.ceil(_TRAINING_TOKENS / max(n_tokens, 1))))
    return Word2VecVectorizer(
        n_components=50,
        min_count=1,
        n_epochs=epochs,
        pooling="sif",
        tokenizer="jieba" if jieba else None,
        random_state=random_state,
    )


def _is_fitted(estimator):
    """scikit-learn's notion of fitted, also for duck-typed vectorizers."""
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    except (AttributeError, TypeError):  # not a BaseEstimator: no tags
        return any(
            key.endswith("_") and not key.startswith("__")
            for key in getattr(estimator, "__dict__", {})
        )
    return True


def _cosine_similarity(vectors):
    """Dense cosine similarity of the rows (zero rows: similarity 0)."""
    if sp.issparse(vectors):
        vectors = vectors.toarray()
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or vectors.shape[0] == 0:
        raise ValueError(
            "The vectorizer must return a 2-D array with one row per sentence; "
            f"got shape {vectors.shape}."
        )
    finite = np.isfinite(vectors).all(axis=1)
    if not finite.all():
        raise ValueError(
            "The vectorizer returned NaN or infinite values for sentence "
            f"{int(np.flatnonzero(~finite)[0])} of a document; its vectors must "
            "be finite (e.g. zeros for a sentence without known words)."
        )
    norms = np.linalg.norm(vectors, axis=1)
    scale = np.zeros_like(norms)
    np.divide(1.0, norms, out=scale, where=norms > 0)
    unit = (vectors * scale[:, None]).astype(np.float32)
    sim = unit @ unit.T  # float32: n x n per document, 4 bytes each
    np.clip(sim, -1.0, 1.0, out=sim)
    return sim


def textrank(similarity, *, damping=0.85, tol=1e-6, max_iter=200):
    """PageRank scores of the sentences of a similarity graph (TextRank).

    Negative similarities and the diagonal are set to 0; each row is
    normalised to a transition distribution (a sentence similar to none is
    a dangling node and jumps uniformly), and the scores are found by power
    iteration of ``r = (1 - damping) / n + damping * P.T @ r`` until the L1
    change is below ``tol``.

    Parameters
    ----------
    similarity : array-like of shape (n, n)
        Symmetric or not; only the non-negative part is used.
    damping : float, default=0.85
    tol : float, default=1e-6
    max_iter : int, default=200
        A :class:`~sklearn.exceptions.ConvergenceWarning` is issued if the
        scores have not converged after this many iterations.

    Returns
    -------
    scores : ndarray of float64, shape (n,)
        A probability distribution; uniform when no two sentences are
        similar.
    n_iter : int

    Examples
    --------
    >>> import numpy as np
    >>> from skembed._text._summarize import textrank
    >>> sim = np.array([[1, .9, .8], [.9, 1, 0], [.8, 0, 1]])
    >>> scores, _ = textrank(sim)
    >>> scores.round(3)
    array([0.486, 0.269, 0.245])
    """
    weights = np.array(similarity, dtype=np.float64)
    n = weights.shape[0]
    np.clip(weights, 0.0, None, out=weights)
    np.fill_diagonal(weights, 0.0)
    out_degree = weights.sum(axis=1)
    dangling = out_degree <= 0
    transition = weights  # in place: one n x n array in all
    transition /= np.where(dangling, 1.0, out_degree)[:, None]
    transition[dangling] = 1.0 / n
    scores = np.full(n, 1.0 / n)
    for n_iter in range(1, max_iter + 1):
        new = (1.0 - damping) / n + damping * (transition.T @ scores)
        delta = np.abs(new - scores).sum()
        scores = new
        if delta < tol:
            return scores, n_iter
    warnings.warn(
        f"TextRank did not converge in max_iter={max_iter} iterations (last L1 "
        f"change {delta:.2e} > tol={tol}); increase max_iter or tol.",
        ConvergenceWarning,
        stacklevel=2,
    )
    return scores, max_iter


def _mmr(relevance, similarity, k, diversity, keys):
    """Indices chosen greedily by maximal marginal relevance.

    ``(1 - diversity) * relevance - diversity * max similarity to the chosen``;
    ties go to the more relevant, then the earlier sentence (so the first
    pick is the top-ranked sentence even with ``diversity=1``). A sentence
    whose text equals a chosen one's (ignoring case, spaces and
    punctuation) is never chosen, whatever ``diversity``. (Not a cosine
    threshold: word2vec can put two different sentences of one topic at a
    cosine of 0.9999.)
    """
    n = relevance.shape[0]
    available = np.ones(n, dtype=bool)
    closest = np.zeros(n)
    chosen = []
    while len(chosen) < k and available.any():
        gain = (1.0 - diversity) * relevance - diversity * closest
        gain[~available] = -np.inf
        ties = np.flatnonzero(gain == gain.max())
        best = int(ties[np.argmax(relevance[ties])])
        chosen.append(best)
        available[best] = False
        row = similarity[best]
        np.maximum(closest, np.clip(row, 0.0, 1.0), out=closest)
        available &= keys != keys[best]
    return chosen


def _rank(vectors, k, *, diversity, position_weight, damping, tol, max_iter, keys):
    sim = _cosine_similarity(vectors)
    scores, _ = textrank(sim, damping=damping, tol=tol, max_iter=max_iter)
    spread = scores.max() - scores.min()
    # min-max scaled, so the MMR penalty weighs against the spread of the
    # scores (PageRank's teleport term squeezes them towards 1 / n)
    relevance = (scores - scores.min()) / spread if spread > 0 else np.ones_like(scores)
    if position_weight:
        prior = 1.0 / np.arange(1, scores.shape[0] + 1)
        relevance = (1.0 - position_weight) * relevance + position_weight * prior
    return sorted(_mmr(relevance, sim, k, diversity, keys))


def _n_select(n_sentences, n_total):
    if isinstance(n_sentences, Integral):
        return min(int(n_sentences), n_total)
    # rounded first: 0.7 * 10 is 7.000000000000001 in floating point
    return min(n_total, max(1, math.ceil(round(n_sentences * n_total, 9))))


def _as_sentences(doc, position, line_breaks, param="X"):
    if isinstance(doc, bytes):
        doc = doc.decode("utf-8")
    if isinstance(doc, str):
        return split_sentences(doc, line_breaks=line_breaks)
    if isinstance(doc, (list, tuple, np.ndarray)) and all(
        isinstance(s, str) for s in doc
    ):
        return [s.strip() for s in doc if s.strip()]
    what = type(doc).__name__
    if isinstance(doc, float) and doc != doc:
        what = "NaN (a missing value)"
    raise ValueError(
        f"{param}[{position}] is {what}; expected a document: a str, or a list "
        "of its sentences (str). Fill missing values first, e.g. X.fillna('')."
    )


_PARAMETER_CONSTRAINTS = {
    "n_sentences": [
        Interval(Integral, 1, None, closed="left"),
        Interval(RealNotInt, 0, 1, closed="neither"),
    ],
    "vectorizer": [
        None,
        StrOptions({"word2vec", "tfidf"}),
        HasMethods(["fit", "transform"]),
    ],
    "language": [StrOptions({"auto", "en", "zh"})],
    "diversity": [Interval(Real, 0, 1, closed="both")],
    "position_weight": [Interval(Real, 0, 1, closed="both")],
    "damping": [Interval(Real, 0, 1, closed="left")],
    "tol": [Interval(Real, 0, None, closed="neither")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "line_breaks": [StrOptions({"sentence", "paragraph"})],
    "separator": [str, None],
    "random_state": ["random_state"],
}


# ------------------------------------------------------------------- estimator
class ExtractiveSummarizer(CallbackSupportMixin, LazyTransformMixin, TransformerMixin, BaseEstimator):
    """Extractive summaries of documents from sentence embeddings.

    Each document is split into sentences, the sentences are embedded by a
    text vectorizer (by default word2vec with SIF pooling, trained in
    ``fit`` on the sentences of the corpus), scored by TextRank (PageRank on
    their cosine-similarity graph), optionally pulled towards the lead, and
    chosen by maximal marginal relevance, so two near-identical sentences
    are not both chosen. The summary keeps the sentences' original order.
    English, Chinese and mixed text work out of the box.

    Read more in the :ref:`User Guide <summarize>`.

    Parameters
    ----------
    n_sentences : int or float, default=3
        Sentences per summary: an int, or a float in (0, 1) for that
        fraction of each document's sentences (rounded up, at least one).
        A document with fewer sentences is returned whole.
    vectorizer : estimator, {"word2vec", "tfidf"} or None, default=None
        Embeds a list of sentences (``transform(list_of_str)`` -> 2-D dense
        or sparse rows): a :class:`Word2VecVectorizer`,
        :class:`~sklearn.feature_extraction.text.TfidfVectorizer`, a
        :class:`~sklearn.pipeline.Pipeline`, ... A fitted vectorizer is used
        as it is (``fit`` does not refit it); an unfitted one is cloned and
        fitted on the sentences of ``X`` (note that
        :func:`~sklearn.base.clone`, as in ``GridSearchCV``, unfits it).
        ``"word2vec"``: a ``Word2VecVectorizer(n_components=50, min_count=1,
        pooling="sif")`` trained on the sentences of ``X`` for ``50000 /
        n_tokens`` epochs (5 to 50). ``"tfidf"``: a ``TfidfVectorizer``
        with the built-in CJK tokeniser (TextRank's classic TF-IDF graph).
        ``None``: ``"word2vec"`` when the sentences of ``X`` have at least
        10,000 tokens, else ``"tfidf"``: word2vec trained on less text is
        mostly its random initialisation, and the chosen sentences would
        change with ``random_state``. ``vectorizer_`` shows which was used.
    language : {"auto", "en", "zh"}, default="auto"
        Only chooses the tokeniser of the default vectorizers and the
        separator of joined summaries. ``"zh"`` uses jieba when it is
        installed, the built-in CJK tokeniser otherwise; ``"auto"`` is
        ``"zh"`` when at least 30 % of the letters of the corpus (for the
        tokeniser) or of the document (for the separator) are CJK.
    diversity : float, default=0.3
        MMR trade-off in [0, 1]: each pick maximises ``(1 - diversity) *
        relevance - diversity * (max cosine to the sentences already
        picked)``. 0 takes the top-ranked sentences. A sentence with the same
        text as a picked one (ignoring case, spaces and punctuation) is
        never picked.
    position_weight : float, default=0.0
        Weight in [0, 1] of a lead prior ``1 / (1 + position)`` mixed into
        the normalised TextRank score; useful on news, where the first
        sentences summarise.
    damping : float, default=0.85
        PageRank damping factor.
    tol : float, default=1e-6
        PageRank convergence tolerance (L1 change of the scores).
    max_iter : int, default=200
        PageRank iterations at most.
    output : {"text", "sentences", "indices"}, default="text"
        What ``transform`` gives per document: the summary joined into one
        string, the list of its sentences, or the array of their indices
        in :func:`split_sentences` order.
    line_breaks : {"sentence", "paragraph"}, default="sentence"
        Passed to :func:`split_sentences`: whether every line break, or
        only a blank line, ends a sentence.
    separator : str or None, default=None
        Joins the sentences for ``output="text"``; ``None`` means ``""``
        for Chinese documents and ``" "`` otherwise.
    random_state : int, RandomState instance or None, default=None
        Seed of the default word2vec vectorizer.

    Attributes
    ----------
    vectorizer_ : estimator
        The fitted vectorizer used to embed sentences.
    language_ : {"en", "zh"}
        Language the default vectorizer was set up for.
    n_sentences_fit_ : int
        Sentences in the documents given to ``fit``.

    See Also
    --------
    summarize : The same for a single text.
    split_sentences : The sentence splitter.

    Notes
    -----
    The similarity graph of a document is dense: a document of ``n``
    sentences needs about ``12 * n**2`` bytes while it is ranked (300 MB for
    5,000 sentences). Summarise a book chapter by chapter.

    A document in ``X`` is a ``str`` (split by :func:`split_sentences`) or
    a list of its sentences (used as they are). An empty document gives an
    empty summary (``""``, ``[]``), not an error. ``transform`` returns a
    1-D object array of length ``len(X)``, which a text vectorizer later
    in a pipeline accepts; the estimator has no ``get_feature_names_out``
    and no ``set_output``, since its output is text, not feature columns.

    References
    ----------
    .. [1] Mihalcea, Tarau (2004). "TextRank: Bringing Order into Texts".
       EMNLP.
    .. [2] Carbonell, Goldstein (1998). "The Use of MMR, Diversity-Based
       Reranking for Reordering Documents and Producing Summaries". SIGIR.

    Examples
    --------
    >>> from skembed import ExtractiveSummarizer
    >>> docs = ["Cats sleep a lot. Cats like warm places. Dogs bark. "
    ...         "Cats sleep in warm places. The sky is blue.",
    ...         "北京是中国的首都。北京有很多名胜古迹。上海是一个大城市。"
    ...         "很多游客来北京参观名胜古迹。"]
    >>> summ = ExtractiveSummarizer(n_sentences=2, random_state=0).fit(docs)
    >>> type(summ.vectorizer_).__name__  # too little text for word2vec
    'TfidfVectorizer'
    >>> summaries = summ.transform(docs)
    >>> summaries.shape
    (2,)
    >>> print(summaries[0])
    Cats like warm places. Cats sleep in warm places.
    >>> print(summaries[1])
    北京有很多名胜古迹。很多游客来北京参观名胜古迹。
    >>> summ.set_params(output="indices").transform(docs)[1].tolist()
    [1, 3]
    """

    _parameter_constraints: dict = {
        **_PARAMETER_CONSTRAINTS,
        "output": [StrOptions({"text", "sentences", "indices"})],
    }

    #: fitted state (see :mod:`skembed._fitted`; the summarizer is not on
    #: save_model's allowlist: its vectorizer may be any scikit-learn one)
    _fitted_state: dict = {
        "vectorizer_": _FITTED_VECTORIZER,
        "language_": STR,
        "n_sentences_fit_": INT,
    }

    def __init__(
        self,
        *,
        n_sentences=3,
        vectorizer=None,
        language="auto",
        diversity=0.3,
        position_weight=0.0,
        damping=0.85,
        tol=1e-6,
        max_iter=200,
        output="text",
        line_breaks="sentence",
        separator=None,
        random_state=None,
    ):
        self.n_sentences = n_sentences
        self.vectorizer = vectorizer
        self.language = language
        self.diversity = diversity
        self.position_weight = position_weight
        self.damping = damping
        self.tol = tol
        self.max_iter = max_iter
        self.output = output
        self.line_breaks = line_breaks
        self.separator = separator
        self.random_state = random_state

    def _split(self, X):
        docs = check_documents(X)
        return [_as_sentences(doc, i, self.line_breaks) for i, doc in enumerate(docs)]

    def _fit_vectorizer(self, sentences, param="X"):
        """Set ``vectorizer_`` and ``language_`` from a list of sentences."""
        if self.language == "auto":
            self.language_ = detect_language(" ".join(sentences[:2000]))
        else:
            self.language_ = self.language
        vectorizer = self.vectorizer
        if vectorizer is None or isinstance(vectorizer, str):
            probe = _default_vectorizer("word2vec", self.language_, 0, None)
            analyze = probe.build_analyzer()
            # count only as far as the choices need (model, epochs): a large
            # corpus is not tokenised twice nor held as token lists
            enough = max(_MIN_WORD2VEC_TOKENS, _TRAINING_TOKENS // 5)
            n_tokens = 0
            for sentence in sentences:
                n_tokens += len(analyze(sentence))
                if n_tokens >= enough:
                    break
            if n_tokens == 0:
                raise ValueError(
                    f"{param} has no word: the default vectorizer found no token in "
                    f"its {len(sentences)} sentences (one-character words are not "
                    "tokens); pass a vectorizer that keeps them."
                )
            kind = vectorizer
            if kind is None:
                kind = "word2vec" if n_tokens >= _MIN_WORD2VEC_TOKENS else "tfidf"
            fitted = _default_vectorizer(
                kind, self.language_, n_tokens, self.random_state
            )
            fitted.fit(sentences)
            self.vectorizer_ = fitted
        elif _is_fitted(vectorizer):
            self.vectorizer_ = vectorizer
        else:
            fresh = (
                clone(vectorizer)
                if hasattr(vectorizer, "get_params")
                else copy.deepcopy(vectorizer)
            )
            self.vectorizer_ = fresh.fit(sentences)
        return self

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the sentence vectorizer (if needed) on the sentences of ``X``.

        Parameters
        ----------
        X : iterable of str or of lists of sentences
            Documents (a list, array or pandas Series).
        y : None
            Ignored.

        Returns
        -------
        self : ExtractiveSummarizer
            The fitted summarizer.
        """
        docs = self._split(X)
        if not docs:
            raise ValueError("X is empty: fit needs at least one document.")
        sentences = [s for doc in docs for s in doc]
        if not sentences:
            raise ValueError(f"X has no sentence: all {len(docs)} documents are empty.")
        self._fit_vectorizer(sentences)
        self.n_sentences_fit_ = len(sentences)
        return self

    def _select(self, docs):
        """Selected sentence indices of each document (sorted)."""
        todo = [
            i
            for i, doc in enumerate(docs)
            if len(doc) > _n_select(self.n_sentences, len(doc))
        ]
        selected = [list(range(len(doc))) for doc in docs]
        if not todo:
            return selected
        batch = [s for i in todo for s in docs[i]]
        vectors = self.vectorizer_.transform(batch)
        if vectors.shape[0] != len(batch):
            raise ValueError(
                f"The vectorizer returned {vectors.shape[0]} rows for "
                f"{len(batch)} sentences; it must return one row per sentence."
            )
        if sp.issparse(vectors):
            vectors = vectors.tocsr()
        start = 0
        for i in todo:
            doc = docs[i]
            stop = start + len(doc)
            keys = np.array(
                [_NON_WORD.sub(" ", s.lower()).strip() for s in doc], dtype=object
            )
            selected[i] = _rank(
                vectors[start:stop],
                _n_select(self.n_sentences, len(doc)),
                diversity=self.diversity,
                position_weight=self.position_weight,
                damping=self.damping,
                tol=self.tol,
                max_iter=self.max_iter,
                keys=keys,
            )
            start = stop
        return selected

    def _join(self, sentences):
        separator = self.separator
        if separator is None:
            language = self.language
            if language == "auto":
                language = detect_language("".join(sentences))
            separator = "" if language == "zh" else " "
        return separator.join(sentences)

    def transform(self, X):
        """Summarise each document.

        Parameters
        ----------
        X : iterable of str or of lists of sentences
            Documents.

        Returns
        -------
        ndarray of object, shape (n_documents,)
            Per document, by ``output``: the summary string, the list of
            its sentences, or an int array of their indices.
        """
        check_is_fitted(self, "vectorizer_")
        self._validate_params()
        docs = self._split(X)
        if not docs:
            raise ValueError("X is empty: transform needs at least one document.")
        selected = self._select(docs)
        out = np.empty(len(docs), dtype=object)
        for i, (doc, rows) in enumerate(zip(docs, selected, strict=True)):
            if self.output == "indices":
                out[i] = np.asarray(rows, dtype=np.intp)
            elif self.output == "sentences":
                out[i] = [doc[j] for j in rows]
            else:
                out[i] = self._join([doc[j] for j in rows])
        return out

    def _lazy_output(self):
        # one summary (an object) per document: a dask Series / 1-D Array
        return None, np.dtype(object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags


# -------------------------------------------------------------------- function
@validate_params(
    {
        "text": [str, list, tuple],
        **_PARAMETER_CONSTRAINTS,
        "output": [StrOptions({"sentences", "text", "indices"})],
    },
    prefer_skip_nested_validation=True,
)
# The keywords repeat ExtractiveSummarizer.__init__'s: a public function and
# estimator pair, as scikit-learn's k_means / KMeans (both signatures are API).
def summarize(
    text,
    n_sentences=3,
    *,
    vectorizer=None,
    language="auto",
    diversity=0.3,
    position_weight=0.0,
    damping=0.85,
    tol=1e-6,
    max_iter=200,
    output="sentences",
    line_breaks="sentence",
    separator=None,
    random_state=0,
):
    """Extractive summary of one text: its most central sentences, in order.

    The function form of :class:`ExtractiveSummarizer`:
    ``summarize(text, ...)`` equals ``ExtractiveSummarizer(...).fit([text])
    .transform([text])[0]``. Without a ``vectorizer``, a single text of
    less than 10,000 tokens is embedded by TF-IDF: one text is too little
    to train word2vec on. For embedding-based summaries, fit an
    :class:`ExtractiveSummarizer` (or a :class:`Word2VecVectorizer`) on many
    texts of the domain once, and pass ``vectorizer=`` the fitted model.

    Read more in the :ref:`User Guide <summarize>`.

    Parameters
    ----------
    text : str or list of str
        The text, or its sentences already split.
    n_sentences : int or float, default=3
        Sentences to keep, or a fraction in (0, 1) of them (rounded up).
    vectorizer : estimator, {"word2vec", "tfidf"} or None, default=None
        A fitted vectorizer is used as it is; an unfitted one is cloned and
        fitted on the sentences of ``text``; see
        :class:`ExtractiveSummarizer`.
    language : {"auto", "en", "zh"}, default="auto"
    diversity : float, default=0.3
        MMR redundancy penalty in [0, 1].
    position_weight : float, default=0.0
        Weight of the lead prior in [0, 1].
    damping : float, default=0.85
    tol : float, default=1e-6
    max_iter : int, default=200
    output : {"sentences", "text", "indices"}, default="sentences"
        A list of the chosen sentences, their joined text, or a list of
        their indices.
    line_breaks : {"sentence", "paragraph"}, default="sentence"
    separator : str or None, default=None
        For ``output="text"``: ``None`` joins Chinese with ``""``, other
        text with ``" "``.
    random_state : int, RandomState instance or None, default=0
        Seed of a word2vec model trained on ``text`` (a function keeps no
        state, so its default seed is fixed, for repeatable results).

    Returns
    -------
    list of str, str or list of int
        By ``output``. An empty text gives ``[]`` (or ``""``); a text of
        at most ``n_sentences`` sentences is returned whole, untrained.

    Examples
    --------
    >>> from skembed import summarize
    >>> text = ("The city council approved the new park on Monday. "
    ...         "The park will have a lake and a playground. "
    ...         "Parking fees in the city rose last year. "
    ...         "The council said the park and its lake open next spring. "
    ...         "Local weather was mild.")
    >>> for sentence in summarize(text, n_sentences=2):
    ...     print(sentence)
    The city council approved the new park on Monday.
    The council said the park and its lake open next spring.
    >>> zh = ("新图书馆周一正式开放。新图书馆有十万册藏书。"
    ...       "昨天的天气很好。市民可以在新图书馆免费借阅藏书。")
    >>> summarize(zh, n_sentences=2, output="text")
    '新图书馆有十万册藏书。市民可以在新图书馆免费借阅藏书。'
    """
    estimator = ExtractiveSummarizer(
        n_sentences=n_sentences,
        vectorizer=vectorizer,
        language=language,
        diversity=diversity,
        position_weight=position_weight,
        damping=damping,
        tol=tol,
        max_iter=max_iter,
        output="indices",
        line_breaks=line_breaks,
        separator=separator,
        random_state=random_state,
    )
    if isinstance(text, str):
        sentences = split_sentences(text, line_breaks=line_breaks)
    else:
        sentences = _as_sentences(text, 0, line_breaks, param="text")
    if len(sentences) <= _n_select(n_sentences, max(len(sentences), 1)):
        rows = list(range(len(sentences)))
    else:
        if (
            vectorizer is not None
            and not isinstance(vectorizer, str)
            and _is_fitted(vectorizer)
        ):
            estimator.vectorizer_ = vectorizer
        else:
            estimator._fit_vectorizer(sentences, param="text")
        rows = estimator._select([sentences])[0]
    if output == "indices":
        return rows
    chosen = [sentences[j] for j in rows]
    if output == "text":
        return estimator._join(chosen)
    return chosen
