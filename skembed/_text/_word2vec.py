"""Word2VecVectorizer: raw text to pooled word2vec document vectors."""

import os
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import ClassNamePrefixFeaturesOutMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context
from .._engine import _corpus
from .._engine._base import _BaseSGNS
from .._engine._corpus import (
    _MemoryCorpus,
    _scan,
    _SpilledCorpus,
    _StreamedCorpus,
    encode_known,
    smooth_idf,
)
from .._engine._pool_kernels import max_pool
from .._fitted import (
    DICT,
    INT,
    array,
    check_rows,
    check_vocabulary,
    check_width,
    instance_of,
)
from .._vectors._keyedvectors import KeyedVectors, load_vectors
from ._analyzer import (
    check_documents,
    describe_tokenizer,
)
from ._base import TEXT_CONSTRAINTS, _TextMixin, l2_normalize_rows

__all__ = ["Word2VecVectorizer"]


class _NoVocabularyError(ValueError):
    """No token of the training documents reaches ``min_count``: a
    ``ValueError`` that also carries the numbers, so that the command line
    can say it in its own words (``-min-count``, lines)."""

    def __init__(self, n_docs, min_count, message):
        super().__init__(message)
        self.n_docs = n_docs
        self.min_count = min_count


class Word2VecVectorizer(_TextMixin, ClassNamePrefixFeaturesOutMixin, _BaseSGNS):
    """Convert raw text to document vectors pooled from word2vec vectors.

    A sibling of :class:`~sklearn.feature_extraction.text.TfidfVectorizer`:
    ``fit`` tokenises the documents like scikit-learn's vectorizers and
    trains word2vec (skip-gram or CBOW with negative sampling) on them, or
    loads pretrained vectors; ``transform`` pools the vectors of each
    document's words into one dense row (mean, TF-IDF-weighted mean, SIF or
    max). Works in a :class:`~sklearn.pipeline.Pipeline` and
    :class:`~sklearn.model_selection.GridSearchCV`, pickles, and never
    outputs NaN.

    Read more in the :ref:`User Guide <word2vec>`.

    Parameters
    ----------
    n_components : int, default=100
        Dimension of the word vectors (gensim: ``vector_size``). Ignored
        when ``vectors`` is given: the width is the vectors'.
    algorithm : {"skipgram", "cbow"}, default="skipgram"
        Skip-gram or CBOW (mean of the context; gensim's ``cbow_mean=1``).
        gensim: ``sg=1`` / ``sg=0``. gensim's default is CBOW; skip-gram is
        the default here because it is much better on the small corpora a
        text column usually is.
    window : int, default=5
        Maximum distance between a word and a context word; the effective
        window is drawn uniformly in ``[1, window]`` per word, as word2vec.
    negative : int, default=5
        Noise words per positive pair (negative sampling); 0 (with
        ``hs=True``) trains hierarchical softmax alone.
    hs : bool, default=False
        Also train hierarchical softmax over a Huffman tree of the word
        counts (word2vec.c's ``-hs 1``, gensim's ``hs=1``); with
        ``negative > 0`` both objectives train every pair, as in word2vec.c.
    min_count : int, default=5
        Words seen fewer times in the training documents are dropped from the
        vocabulary (and are out-of-vocabulary in ``transform``).
    sample : float, default=1e-3
        Frequent-word subsampling threshold; 0 disables.
    n_epochs : int, default=5
        Passes over the corpus (gensim: ``epochs``).
    learning_rate : float, default=0.025
        Initial SGD step, decayed linearly to 1e-4 (gensim: ``alpha``).
    ns_exponent : float, default=0.75
        Exponent of the word-frequency noise distribution.
    max_vocab_size : int or None, default=None
        Bound on distinct words held while scanning (prunes the rarest, as
        gensim's parameter of the same name); ``None`` means no bound.
    pooling : {"mean", "tfidf", "sif", "max"}, default="mean"
        How word vectors become a document vector. ``"mean"``: mean over
        the document's known tokens (repeats count). ``"tfidf"``: mean
        weighted by the idf learnt in ``fit`` (smoothed as scikit-learn's:
        ``ln((1 + n) / (1 + df)) + 1``), so each token weighs tf-idf.
        ``"sif"``: Arora et al. (2017): tokens weighted by
        ``sif_alpha / (sif_alpha + p(w))`` with ``p`` the training
        frequency, summed and divided by the number of known tokens, then
        the projection on the first principal component of the training
        documents' vectors (learnt in ``fit``) is removed. ``"max"``:
        element-wise maximum.
    sif_alpha : float, default=1e-3
        The ``a`` of SIF weights.
    norm : {"l2"} or None, default=None
        Normalise each output row to unit L2 norm (zero rows stay zero).
    handle_empty : {"zeros", "error"}, default="zeros"
        A document without any in-vocabulary token gives a zero row
        (counted, and reported when ``verbose``), or raises ``ValueError``.
    vectors : str, path, KeyedVectors or None, default=None
        Pretrained vectors instead of training: a file in word2vec text or
        binary, GloVe or fastText ``.vec`` format (read with
        :func:`skembed.load_vectors`), a :class:`skembed.KeyedVectors`,
        any object with ``index_to_key`` and ``vectors`` (such as gensim's
        ``KeyedVectors``), or a model whose ``wv`` is one (gensim's
        ``Word2Vec``, ``FastText``: their word vectors; gensim is never
        imported). ``fit`` then only learns the pooling statistics
        (idf, SIF) on ``X``, unless ``fine_tune``.
    fine_tune : bool or int, default=False
        With ``vectors``: continue training them on ``X`` for ``n_epochs``
        (``True``) or this many epochs. The vocabulary stays the
        pretrained one (words outside it are ignored).
    input : {"content", "filename", "file"}, default="content"
        As in scikit-learn: the items of ``X`` are the texts, paths of files
        to read (``.gz``, ``.bz2`` and ``.xz`` files are decompressed), or
        objects with a ``read`` method.
    encoding : str, default="utf-8"
        Encoding of bytes and files.
    decode_error : {"strict", "ignore", "replace"}, default="strict"
        What to do with bytes that do not decode; ``"strict"`` raises a
        ``ValueError`` naming the document.
    lowercase : bool, default=True
        Lower-case before tokenising.
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a word (outside CJK runs).
    stop_words : {"english"}, list or None, default=None
        Words removed after tokenising ("english": scikit-learn's list).
    preprocessor : callable or None, default=None
        ``str -> str``, replaces lower-casing.
    tokenizer : {None, "cjk", "jieba"} or callable, default=None
        ``None``: documents containing a Chinese, Japanese or Korean
        character are split by the built-in CJK rule (each run of CJK
        characters gives its characters and character bigrams, other text
        gives words by ``token_pattern``), other documents by
        ``token_pattern`` alone. ``"cjk"``: the CJK rule for every document.
        ``"jieba"``: jieba word segmentation (``pip install
        "skembed[zh]"``). A callable ``str -> list of str``.
    analyzer : "word" or callable, default="word"
        A callable ``str -> list of str`` replaces preprocessing,
        tokenising and stop words.
    random_state : int, RandomState instance or None, default=None
        Seed of initialisation, subsampling, windows and negatives (gensim:
        ``seed``). With ``n_jobs=None`` or 1 the result is bit-identical for
        a fixed seed.
    n_jobs : int or None, default=None
        Training threads (gensim: ``workers``). ``None`` means 1; more
        threads train lock-free (Hogwild) and are not reproducible.
    verbose : int, default=0
        Print the vocabulary size, one line per epoch, and the number of
        documents without a known token.

    Attributes
    ----------
    wv_ : KeyedVectors
        The word vectors (``most_similar``, ``similarity``, saving), with the
        training counts of the fitted documents.
    vocabulary_ : dict
        Word -> row of ``embedding_``.
    embedding_ : ndarray of float32, shape (n_words, n_components)
        The word vectors (``wv_.vectors``).
    loss_curve_ : list of float
        Mean training loss per epoch; empty when pretrained vectors were
        not fine-tuned. NaN for an epoch that trained no pair (frequent-token
        subsampling can drop every token of a tiny corpus in one epoch).
    idf_ : ndarray of float64, shape (n_words,)
        Inverse document frequency (``pooling="tfidf"`` only).
    sif_weights_ : ndarray of float32, shape (n_words,)
        ``a / (a + p(w))`` (``pooling="sif"`` only).
    sif_component_ : ndarray of float32, shape (n_components,)
        Unit first principal component removed by SIF (``pooling="sif"``
        only; zeros when the training documents have no known token).
    n_empty_ : int
        Documents without a known token in the last ``fit`` /
        ``fit_transform``.

    See Also
    --------
    sklearn.feature_extraction.text.TfidfVectorizer : The sparse baseline.
    KeyedVectors : The fitted ``wv_``.

    Notes
    -----
    gensim names: ``vector_size`` = ``n_components``, ``sg`` =
    ``algorithm``, ``epochs`` = ``n_epochs``, ``alpha`` = ``learning_rate``,
    ``workers`` = ``n_jobs``, ``seed`` = ``random_state``; the other
    training parameters and all defaults but the algorithm are gensim's.

    Memory: ``fit`` reads the documents once, tokenising each and keeping
    only its token ids (4 bytes per token) and the dictionary of distinct
    words; the strings are not kept, so ``X`` may be a generator or a list
    of file names with ``input="filename"``, or an open text file with one
    document per line (``fit(open("corpus.txt"))``). A corpus of up to
    4 M tokens + documents is held in memory as int32 ids; a larger one is
    written to two anonymous temporary files (ids and document lengths, in
    ``TMPDIR``) during the scan and read back block by block in every
    epoch, for the idf / SIF statistics and for ``fit_transform``'s
    pooling, so ``fit`` needs memory for the dictionary, the model and a
    few blocks -- nothing per token or per document -- with results
    bit-identical to in-memory training. The same holds with ``vectors=``
    (pretrained, frozen or ``fine_tune``): the corpus is encoded with the
    pretrained vocabulary and spilled the same way. ``fit_transform``'s
    output is ``n_documents x n_components`` floats.

    ``transform`` tokenises, looks each token up once, and pools with one
    sparse-matrix product (or a compiled max kernel): no Python loop per
    token beyond the tokeniser. For a list (or Series, array) of documents
    it encodes and pools one group of about 260,000 tokens at a time, so it
    holds the output and one group of token ids (``pooling="sif"`` and
    generators: the ids of the whole call).

    References
    ----------
    .. [1] Mikolov et al. (2013). "Distributed Representations of Words and
       Phrases and their Compositionality". NeurIPS.
    .. [2] Arora, Liang, Ma (2017). "A Simple but Tough-to-Beat Baseline for
       Sentence Embeddings". ICLR.

    Examples
    --------
    >>> from skembed import Word2VecVectorizer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log",
    ...         "cats and dogs", "我爱北京天安门"]
    >>> vec = Word2VecVectorizer(n_components=8, min_count=1, random_state=0)
    >>> X = vec.fit_transform(docs)
    >>> X.shape
    (4, 8)
    >>> vec.get_feature_names_out()[:2]
    array(['word2vecvectorizer0', 'word2vecvectorizer1'], dtype=object)
    >>> "北京" in vec.vocabulary_
    True
    >>> vec.transform(["unknown words only"]).any()
    np.False_
    """

    _parameter_constraints: dict = {
        **_BaseSGNS._parameter_constraints,
        # 0 (no negative sampling) is allowed with hs=True
        "negative": [Interval(Integral, 0, None, closed="left")],
        "hs": ["boolean"],
        "algorithm": [StrOptions({"skipgram", "cbow"})],
        "max_vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "pooling": [StrOptions({"mean", "tfidf", "sif", "max"})],
        "sif_alpha": [Interval(Real, 0, None, closed="neither")],
        "norm": [StrOptions({"l2"}), None],
        "handle_empty": [StrOptions({"zeros", "error"})],
        "vectors": "no_validation",  # validated in fit (path, KeyedVectors, duck type)
        "fine_tune": ["boolean", Interval(Integral, 1, None, closed="left")],
        **TEXT_CONSTRAINTS,
    }

    #: fitted state, saved by save_model (see :mod:`skembed._fitted`)
    _fitted_state: dict = {
        "wv_": instance_of(KeyedVectors),
        "vocabulary_": DICT,
        "n_empty_": INT,
        "idf_": array(np.float64, 1),
        "sif_weights_": array(np.float32, 1),
        "sif_component_": array(np.float32, 1),
    }

    def _check_fitted_state(self):
        state = vars(self)
        emb = state.get("embedding_")
        rows = len(self.wv_.index_to_key) if "wv_" in state else None
        check_rows(state, rows, "embedding_")
        check_width(state, None if emb is None else emb.shape[1])
        check_vocabulary(state)

    def __init__(
        self,
        *,
        n_components=100,
        algorithm="skipgram",
        window=5,
        negative=5,
        hs=False,
        min_count=5,
        sample=1e-3,
        n_epochs=5,
        learning_rate=0.025,
        ns_exponent=0.75,
        max_vocab_size=None,
        pooling="mean",
        sif_alpha=1e-3,
        norm=None,
        handle_empty="zeros",
        vectors=None,
        fine_tune=False,
        input="content",
        encoding="utf-8",
        decode_error="strict",
        lowercase=True,
        token_pattern=r"(?u)\b\w\w+\b",
        stop_words=None,
        preprocessor=None,
        tokenizer=None,
        analyzer="word",
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.algorithm = algorithm
        self.window = window
        self.negative = negative
        self.hs = hs
        self.min_count = min_count
        self.sample = sample
        self.n_epochs = n_epochs
        self.learning_rate = learning_rate
        self.ns_exponent = ns_exponent
        self.max_vocab_size = max_vocab_size
        self.pooling = pooling
        self.sif_alpha = sif_alpha
        self.norm = norm
        self.handle_empty = handle_empty
        self.vectors = vectors
        self.fine_tune = fine_tune
        self.input = input
        self.encoding = encoding
        self.decode_error = decode_error
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.stop_words = stop_words
        self.preprocessor = preprocessor
        self.tokenizer = tokenizer
        self.analyzer = analyzer
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    # ------------------------------------------------------------------ input
    def _pretrained(self):
        vectors = self.vectors
        if isinstance(vectors, KeyedVectors):
            return vectors
        if isinstance(vectors, (str, os.PathLike)):
            return load_vectors(vectors)
        if not hasattr(vectors, "index_to_key") and hasattr(
            getattr(vectors, "wv", None), "index_to_key"
        ):
            vectors = vectors.wv  # a gensim model (Word2Vec, FastText): its words
        if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):
            return KeyedVectors(list(vectors.index_to_key), vectors.vectors)
        raise TypeError(
            "vectors must be None, a path to a vectors file, a "
            "skembed.KeyedVectors, an object with index_to_key and vectors "
            "attributes (such as gensim's KeyedVectors) or a model with such a "
            f"wv attribute (such as gensim's Word2Vec); got "
            f"{type(vectors).__name__}."
        )

    # -------------------------------------------------------------------- fit
    def _fit(self, X):
        """Fit and return the training corpus, a :class:`_MemoryCorpus` or
        (more than ``_SPILL_TOKENS`` tokens + documents) a
        :class:`_SpilledCorpus` still open on disk: the caller closes it."""
        token_lists = self._token_lists(check_documents(X))
        rng = check_random_state(self.random_state)
        pretrained = None if self.vectors is None else self._pretrained()
        keys, counts, corpus = _scan(
            token_lists,
            min_count=self.min_count,
            max_vocab_size=self.max_vocab_size,
            spill_tokens=_corpus._SPILL_TOKENS,
            vocabulary=None if pretrained is None else pretrained.key_to_index,
        )
        if not isinstance(corpus, _SpilledCorpus):
            corpus = _MemoryCorpus(*corpus)
        try:
            vectors = self._train(keys, counts, corpus, rng, pretrained)
            self.wv_ = self._keyed_vectors(keys, vectors, counts, pretrained)
            self.vocabulary_ = self.wv_.key_to_index
            self.embedding_ = self.wv_.vectors
            self._n_features_out = self.embedding_.shape[1]
            self._fit_pooling(corpus)
        except BaseException:
            corpus.close()
            raise
        return corpus

    def _keyed_vectors(self, keys, vectors, counts, pretrained):
        """The fitted ``wv_`` (a hook for :class:`FastTextVectorizer`)."""
        return KeyedVectors(keys, vectors, counts=counts)

    def _train(self, keys, counts, corpus, rng, pretrained=None, **engine):
        """Train the word vectors on the scanned corpus -- from a random
        start, or from ``pretrained`` (then only when ``fine_tune``) -- and
        set ``loss_curve_``. Returns the vectors. ``engine``: more keyword
        arguments of ``train_sgns`` (e.g. ``subwords``)."""
        n_docs = corpus.n_docs
        if n_docs == 0:
            raise ValueError("X is empty: fit needs at least one document.")
        sg = self.algorithm == "skipgram"
        overrides = {}
        if pretrained is None:
            if not keys:
                raise _NoVocabularyError(
                    n_docs,
                    self.min_count,
                    f"After pruning, no words remain: no token of the {n_docs} "
                    f"documents occurs min_count={self.min_count} times, or the "
                    "tokenisation produced no token at all (the default "
                    "token_pattern keeps words of two or more characters). Try "
                    "a lower min_count, or check build_analyzer()(doc) on a "
                    "few documents."
                )
            self._log(
                f"{n_docs:,} documents, {int(counts.sum()):,} tokens in the "
                f"vocabulary of {len(keys):,} words (min_count={self.min_count}; "
                f"tokens by {describe_tokenizer(self.tokenizer, self.analyzer)})"
            )
        else:
            self._log(
                f"{n_docs:,} documents, {corpus.n_tokens:,} tokens found in "
                f"the {len(pretrained):,} pretrained vectors"
            )
            self.loss_curve_ = []
            if self.fine_tune is False:
                return pretrained.vectors
            if corpus.n_tokens == 0:
                raise ValueError(
                    "Cannot fine-tune: no token of X is in the vocabulary of "
                    "the pretrained vectors."
                )
            epochs = self.n_epochs if self.fine_tune is True else int(self.fine_tune)
            overrides = dict(
                n_epochs=epochs,
                n_components=pretrained.vector_size,
                init=pretrained.vectors,
            )
        if isinstance(corpus, _MemoryCorpus):
            corpus = (corpus.indptr, corpus.ids)  # one block, as ever
        result = self._fit_sgns(corpus, counts, rng, sg=sg, **overrides, **engine)
        self.loss_curve_ = list(result.loss_curve)
        return result.w_in

    def _fit_pooling(self, corpus):
        """idf (tfidf) or SIF weights and component, summed block by block:
        nothing per document is kept."""
        for name in ("idf_", "sif_weights_", "sif_component_"):
            if hasattr(self, name):
                delattr(self, name)
        n_words, dim = self.embedding_.shape
        if self.pooling == "tfidf":
            self.idf_ = smooth_idf(corpus.n_docs, corpus, n_words)
        elif self.pooling == "sif":
            counts = self.wv_.counts.astype(np.float64)
            total = counts.sum()
            p = counts / total if total > 0 else counts
            self.sif_weights_ = (self.sif_alpha / (self.sif_alpha + p)).astype(
                np.float32
            )
            gram = np.zeros((dim, dim), dtype=np.float64)
            for b_indptr, b_ids in corpus:
                pooled = self._weighted_sum(b_indptr, b_ids).astype(np.float64)
                gram += pooled.T @ pooled
            _, eigvecs = np.linalg.eigh(gram)
            u = eigvecs[:, -1]
            if not np.any(gram):
                u = np.zeros_like(u)
            elif u[np.argmax(np.abs(u))] < 0:
                u = -u
            self.sif_component_ = u.astype(np.float32)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the word vectors (or load them) and the pooling statistics.

        Parameters
        ----------
        X : iterable of str, bytes or token lists
            Documents: a list, array, pandas Series, generator, or file
            names / file objects with ``input="filename"`` / ``"file"``.
        y : None
            Ignored.

        Returns
        -------
        self : Word2VecVectorizer
            The fitted vectorizer.
        """
        corpus = self._fit(X)
        corpus.close()
        self.n_empty_ = corpus.n_empty
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then return the document vectors of ``X``.

        Equal to ``fit(X).transform(X)``, but tokenises ``X`` only once (so
        ``X`` may be a generator).

        Parameters
        ----------
        X : iterable of str, bytes or token lists
        y : None
            Ignored.

        Returns
        -------
        ndarray of float32, shape (n_documents, n_components)
        """
        corpus = self._fit(X)
        try:
            out = self._pool(corpus)
        finally:
            corpus.close()
        self.n_empty_ = corpus.n_empty
        return out

    # -------------------------------------------------------------- transform
    def transform(self, X):
        """Pool the vectors of each document's words.

        Out-of-vocabulary tokens are skipped; a document without any known
        token gives a zero row (or raises with ``handle_empty="error"``).

        Parameters
        ----------
        X : iterable of str, bytes or token lists

        Returns
        -------
        ndarray of float32, shape (n_documents, n_components)
        """
        check_is_fitted(self, "wv_")
        docs = check_documents(X)
        token_lists = self._token_lists(docs)
        # known length: encode while pooling, one group of ids at a time.
        # Not for SIF: its projection (a BLAS matrix-vector product) may
        # round a row differently in a block of another height, and the
        # output stays bit-identical to the whole-batch one.
        if isinstance(docs, (list, tuple)) and self.pooling != "sif":
            if not docs:
                raise ValueError("X is empty: transform needs at least one document.")
            return self._pool(_StreamedCorpus(token_lists, self.vocabulary_, len(docs)))
        indptr, ids = encode_known(token_lists, self.vocabulary_)
        if indptr.shape[0] == 1:
            raise ValueError("X is empty: transform needs at least one document.")
        return self._pool(_MemoryCorpus(indptr, ids, block_tokens=np.inf))

    def _weighted_sum(self, indptr, ids, extra=None):
        """SIF/mean/tfidf pooling before normalisation and PC removal.

        ``extra``: vectors of the ids ``n_words, n_words + 1, ...``, words
        outside the vocabulary that have a vector (subwords); they weigh as
        a word never seen in training (SIF weight 1, idf ``oov_idf_``)."""
        n_docs = indptr.shape[0] - 1
        n_words = self.embedding_.shape[0]
        lengths = np.diff(indptr)
        if self.pooling == "mean":
            weights = np.ones(ids.shape[0], dtype=np.float32)
        else:
            known = self.sif_weights_ if self.pooling == "sif" else self.idf_
            if extra is None:
                weights = known[ids].astype(np.float32)
            else:
                unseen = 1.0 if self.pooling == "sif" else self.oov_idf_
                outside = ids >= n_words
                weights = np.where(outside, unseen, known[np.where(outside, 0, ids)])
                weights = weights.astype(np.float32)
        if self.pooling != "tfidf":
            denominator = lengths.astype(np.float64)
        else:
            # per-row sums (not differences of a corpus-wide running sum),
            # so a row's value never depends on the rows before it
            rows = np.repeat(np.arange(n_docs, dtype=np.intp), lengths)
            denominator = np.bincount(rows, weights=weights, minlength=n_docs)
        ids, table = self._pooling_table(ids, extra)
        matrix = sp.csr_matrix((weights, ids, indptr), shape=(n_docs, table.shape[0]))
        out = np.asarray(matrix @ table, dtype=np.float32)
        scale = np.zeros(n_docs, dtype=np.float32)
        np.divide(1.0, denominator, out=scale, where=denominator > 0, casting="unsafe")
        out *= scale[:, None]
        return out

    def _pooling_table(self, ids, extra):
        """``(ids, table)``: the rows to pool from. With ``extra`` (vectors
        of ids past the vocabulary), only the rows ``ids`` use, renumbered:
        no copy of the whole embedding."""
        if extra is None:
            return ids, self.embedding_
        n_words = self.embedding_.shape[0]
        used, local = np.unique(ids, return_inverse=True)
        table = np.concatenate(
            [self.embedding_[used[used < n_words]], extra[used[used >= n_words] - n_words]]
        )
        return local.reshape(-1).astype(np.int32), table

    def _pool(self, corpus, extra=None):
        """Pooled rows of a :class:`_MemoryCorpus` or :class:`_SpilledCorpus`,
        computed block by block into one output array."""
        needed = {"tfidf": "idf_", "sif": "sif_component_"}.get(self.pooling)
        if needed is not None and not hasattr(self, needed):
            raise NotFittedError(
                f"pooling={self.pooling!r} needs {needed}, learnt in fit; this "
                "vectorizer was fitted with another pooling. Fit it again after "
                "set_params(pooling=...)."
            )
        counted = corpus.n_empty is not None  # else known after the pass
        if counted:
            self._check_empty(corpus)
        out = np.empty((corpus.n_docs, self.embedding_.shape[1]), dtype=np.float32)
        doomed = False  # an empty document seen with handle_empty="error"
        for (d0, d1), (indptr, ids) in corpus.blocks():
            if not counted and self.handle_empty == "error":
                doomed = doomed or bool(np.any(indptr[1:] == indptr[:-1]))
                if doomed:
                    continue  # it will raise: only count the rest
            out[d0:d1] = self._pool_rows(indptr, ids, extra)
        if not counted:
            self._check_empty(corpus)
        return out

    def _check_empty(self, corpus):
        n_docs, n_empty = corpus.n_docs, corpus.n_empty
        if n_empty:
            if self.handle_empty == "error":
                raise ValueError(
                    f"{n_empty} of {n_docs} documents have no token in the "
                    f"vocabulary (the first is X[{corpus.first_empty}]). Use "
                    "handle_empty='zeros' to get zero vectors for them."
                )
            self._log(
                f"{n_empty:,} of {n_docs:,} documents have no known token: zero vectors"
            )

    def _pool_rows(self, indptr, ids, extra=None):
        if self.pooling == "max":
            out = max_pool(indptr, *self._pooling_table(ids, extra))
        else:
            out = self._weighted_sum(indptr, ids, extra)
            if self.pooling == "sif":
                u = self.sif_component_
                out -= np.outer(out @ u, u)
        if self.norm == "l2":
            l2_normalize_rows(out)
        return out
