"""Doc2VecVectorizer: raw text to trained (PV-DBOW) document vectors."""

from numbers import Integral

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin
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
)
from .._engine._doc2vec import infer_documents
from .._fitted import (
    DICT,
    INT,
    array,
    check_rows,
    check_width,
    instance_of,
)
from .._progress import Progress
from .._vectors._keyedvectors import KeyedVectors
from ._analyzer import (
    check_documents,
    describe_tokenizer,
)
from ._base import TEXT_CONSTRAINTS, _TextMixin, l2_normalize_rows

__all__ = ["Doc2VecVectorizer"]


class Doc2VecVectorizer(_TextMixin, ClassNamePrefixFeaturesOutMixin, _BaseSGNS):
    """Convert raw text to trained document vectors (Doc2Vec, PV-DBOW).

    A sibling of :class:`Word2VecVectorizer` whose document vectors are
    trained, not pooled: ``fit`` learns one vector per training document
    that predicts the document's words through a shared output layer
    (PV-DBOW, Le & Mikolov 2014), optionally together with skip-gram word
    vectors (``train_words``); ``transform`` infers the vector of any
    document by a fixed number of SGD passes against the frozen output
    layer, deterministically.

    Read more in the :ref:`User Guide <doc2vec>`.

    Parameters
    ----------
    n_components : int, default=100
        Dimension of the document (and word) vectors (gensim:
        ``vector_size``).
    train_words : bool, default=False
        Also train skip-gram word vectors on the same documents,
        interleaved with the document vectors and sharing their output
        layer (gensim: ``dbow_words=1``). Costs about ``window + 1`` times
        more per word; fills ``wv_``.
    window : int, default=5
        Skip-gram window of the word training (``train_words`` only).
    negative : int, default=5
        Noise words per positive pair (negative sampling).
    min_count : int, default=5
        Words seen fewer times in the training documents are dropped from the
        vocabulary (and ignored by ``transform``).
    sample : float, default=1e-3
        Frequent-word subsampling threshold, in training and inference; 0
        disables.
    n_epochs : int, default=20
        Training passes over the documents (gensim: ``epochs``, default 10).
        Each pass updates a document's vector once per word, so short
        documents need more passes than word2vec does.
    infer_epochs : int or None, default=None
        Passes over each document in ``transform``; ``None`` means
        ``n_epochs`` (gensim's ``infer_vector(epochs=None)``).
    learning_rate : float, default=0.025
        Initial SGD step, decayed linearly to 1e-4 over the training (and,
        afresh, over each document's inference passes) (gensim: ``alpha``).
    ns_exponent : float, default=0.75
        Exponent of the word-frequency noise distribution.
    max_vocab_size : int or None, default=None
        Bound on distinct words held while scanning (prunes the rarest, as
        gensim's parameter of the same name); ``None`` means no bound.
    norm : {"l2"} or None, default=None
        Normalise each output row to unit L2 norm (zero rows stay zero).
    input : {"content", "filename", "file"}, default="content"
        As in scikit-learn: the items of ``X`` are the texts, paths of files
        to read (``.gz``, ``.bz2`` and ``.xz`` files are decompressed), or
        objects with a ``read`` method.
    encoding : str, default="utf-8"
        Encoding of bytes and files.
    decode_error : {"strict", "ignore", "replace"}, default="strict"
        What to do with bytes that do not decode.
    lowercase : bool, default=True
        Lower-case before tokenising.
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a word (outside CJK runs).
    stop_words : {"english"}, list or None, default=None
        Words removed after tokenising.
    preprocessor : callable or None, default=None
        ``str -> str``, replaces lower-casing.
    tokenizer : {None, "cjk", "jieba"} or callable, default=None
        As in :class:`Word2VecVectorizer`.
    analyzer : "word" or callable, default="word"
        A callable ``str -> list of str`` replaces preprocessing,
        tokenising and stop words.
    random_state : int, RandomState instance or None, default=None
        Seed of initialisation, subsampling, windows, negatives and
        inference (gensim: ``seed``). With ``n_jobs=None`` or 1, ``fit`` is
        bit-identical for a fixed seed; ``transform`` is bit-identical for
        a fitted model whatever ``n_jobs``.
    n_jobs : int or None, default=None
        Threads (gensim: ``workers``). ``None`` means 1. Training on more
        threads is lock-free (Hogwild) and not reproducible; inference on
        more threads gives the same vectors as on one.
    verbose : int, default=0
        Print the vocabulary size, one line per epoch, and the number of
        documents without a known word.

    Attributes
    ----------
    vocabulary_ : dict
        Word -> row of ``output_vectors_`` (and of ``wv_``).
    word_counts_ : ndarray of int64, shape (n_words,)
        Training count of each word (subsampling and noise in
        ``transform``).
    output_vectors_ : ndarray of float32, shape (n_words, n_components)
        The output layer (gensim: ``syn1neg``), frozen in ``transform``.
    wv_ : KeyedVectors
        The skip-gram word vectors with their counts; only with
        ``train_words=True`` (PV-DBOW alone leaves the word input vectors
        untrained).
    loss_curve_ : list of float
        Mean training loss per epoch.
    n_empty_ : int
        Training documents without a known word (zero rows in
        ``fit_transform``).

    See Also
    --------
    Word2VecVectorizer : Document vectors pooled from word vectors.
    sklearn.feature_extraction.text.TfidfVectorizer : The sparse baseline.

    Notes
    -----
    ``fit_transform(X)`` returns the vectors trained for the documents of
    ``X``, which ``fit(X).transform(X)`` does not: ``transform`` infers each
    document anew, from a random start against the frozen output layer, so
    its vectors are close to the trained ones (cosine about 0.9 with enough
    ``infer_epochs``) but not equal. This is the same split as scikit-learn's
    :class:`~sklearn.preprocessing.TargetEncoder`: in a
    :class:`~sklearn.pipeline.Pipeline`, the next step is fitted on the
    trained vectors and predicts from inferred ones. The trained vectors
    are not kept on the fitted estimator (they grow with the training set);
    take them from ``fit_transform``.

    Inference is deterministic: each document's random stream (start
    vector, subsampling, negatives) is seeded from the seed drawn in
    ``fit`` and the document's known word ids alone, so a document gets the
    same vector in any batch, position, order, process and thread count.
    gensim's ``infer_vector`` draws from the model's shared generator and
    seeds the start from Python's salted ``hash``, so it varies between
    calls and processes.

    gensim names: ``vector_size`` = ``n_components``, ``dm=0`` (PV-DBOW,
    the only mode), ``dbow_words`` = ``train_words``, ``epochs`` =
    ``n_epochs``, ``alpha`` = ``learning_rate``, ``workers`` = ``n_jobs``,
    ``seed`` = ``random_state``.

    References
    ----------
    .. [1] Le, Mikolov (2014). "Distributed Representations of Sentences and
       Documents". ICML.
    .. [2] Lau, Baldwin (2016). "An Empirical Evaluation of doc2vec with
       Practical Insights into Document Embedding Generation". RepL4NLP.

    Examples
    --------
    >>> from skembed import Doc2VecVectorizer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log",
    ...         "cats and dogs", "a cat and a dog"]
    >>> vec = Doc2VecVectorizer(n_components=8, min_count=1, random_state=0)
    >>> X = vec.fit_transform(docs)
    >>> X.shape
    (4, 8)
    >>> vec.transform(["the cat and the dog"]).shape
    (1, 8)
    >>> vec.get_feature_names_out()[:2]
    array(['doc2vecvectorizer0', 'doc2vecvectorizer1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **_BaseSGNS._parameter_constraints,
        "train_words": ["boolean"],
        "infer_epochs": [Interval(Integral, 1, None, closed="left"), None],
        "max_vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "norm": [StrOptions({"l2"}), None],
        **TEXT_CONSTRAINTS,
    }

    #: fitted state, saved by save_model (see :mod:`skembed._fitted`)
    _fitted_state: dict = {
        "vocabulary_": DICT,
        "word_counts_": array(np.int64, 1),
        "output_vectors_": array(np.float32, 2),
        "wv_": instance_of(KeyedVectors),
        "n_empty_": INT,
        "_seed": INT,
    }

    def _check_fitted_state(self):
        state = vars(self)
        out = state.get("output_vectors_")
        vocabulary = state.get("vocabulary_")
        n_words = len(vocabulary) if isinstance(vocabulary, dict) else None
        check_rows(state, n_words, "output_vectors_", "word_counts_")
        check_width(state, None if out is None else out.shape[1])
        if isinstance(vocabulary, dict) and sorted(vocabulary.values()) != list(
            range(n_words)
        ):
            raise ValueError("vocabulary_ maps words to rows not in output_vectors_")
        wv = state.get("wv_")
        if wv is not None and (
            wv.index_to_key != sorted(vocabulary, key=vocabulary.get)
            or wv.vectors.shape != out.shape
        ):
            raise ValueError("wv_ does not match vocabulary_ and output_vectors_")

    def __init__(
        self,
        *,
        n_components=100,
        train_words=False,
        window=5,
        negative=5,
        min_count=5,
        sample=1e-3,
        n_epochs=20,
        infer_epochs=None,
        learning_rate=0.025,
        ns_exponent=0.75,
        max_vocab_size=None,
        norm=None,
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
        self.train_words = train_words
        self.window = window
        self.negative = negative
        self.min_count = min_count
        self.sample = sample
        self.n_epochs = n_epochs
        self.infer_epochs = infer_epochs
        self.learning_rate = learning_rate
        self.ns_exponent = ns_exponent
        self.max_vocab_size = max_vocab_size
        self.norm = norm
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

    # -------------------------------------------------------------------- fit
    def _fit(self, X):
        """Fit; return the trained document vectors (empty documents zero)."""
        token_lists = self._token_lists(check_documents(X))
        rng = check_random_state(self.random_state)
        progress = Progress(type(self).__name__, self.verbose)
        keys, counts, corpus = _scan(
            token_lists,
            min_count=self.min_count,
            max_vocab_size=self.max_vocab_size,
            spill_tokens=_corpus._SPILL_TOKENS,
        )
        if not isinstance(corpus, _SpilledCorpus):
            corpus = _MemoryCorpus(*corpus)
        try:
            n_docs = corpus.n_docs
            if n_docs == 0:
                raise ValueError("X is empty: fit needs at least one document.")
            if not keys:
                raise ValueError(
                    f"After pruning, no words remain: no token of the {n_docs} "
                    f"documents occurs min_count={self.min_count} times, or the "
                    "tokenisation produced no token at all (the default "
                    "token_pattern keeps words of two or more characters). Try "
                    "a lower min_count, or check build_analyzer()(doc) on a "
                    "few documents."
                )
            progress.log(
                f"{n_docs:,} documents, {int(counts.sum()):,} tokens in the "
                f"vocabulary of {len(keys):,} words (min_count={self.min_count}; "
                f"tokens by {describe_tokenizer(self.tokenizer, self.analyzer)})"
            )
            blocks = (
                (corpus.indptr, corpus.ids)
                if isinstance(corpus, _MemoryCorpus)
                else corpus
            )
            result = self._fit_sgns(
                blocks,
                counts,
                rng,
                documents=n_docs,
                train_words=self.train_words,
                progress=progress,
            )
            empty = np.zeros(n_docs, dtype=bool)
            for (d0, d1), (indptr, _) in corpus.blocks():
                empty[d0:d1] = indptr[1:] == indptr[:-1]
        finally:
            corpus.close()
        self.vocabulary_ = {k: i for i, k in enumerate(keys)}
        self.word_counts_ = counts
        self.output_vectors_ = result.w_out
        if self.train_words:
            self.wv_ = KeyedVectors(keys, result.w_in, counts=counts)
        elif hasattr(self, "wv_"):
            del self.wv_  # from an earlier fit with train_words=True
        self.loss_curve_ = list(result.loss_curve)
        self.n_empty_ = int(empty.sum())
        # the inference seed: drawn after training, from the same generator
        self._seed = int(rng.randint(1, np.iinfo(np.int64).max, dtype=np.int64))
        self._n_features_out = self.n_components
        if self.n_empty_:
            progress.log(f"{self.n_empty_:,} of {n_docs:,} documents have no known word")
        out = result.d_in
        out[empty] = 0.0
        return self._normalize(out)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary, the document vectors and the output layer.

        Parameters
        ----------
        X : iterable of str, bytes or token lists
            The training documents, one trained vector each (what
            ``fit_transform`` returns): a list, array, pandas Series,
            generator, or file names / file objects with
            ``input="filename"`` / ``"file"``.
        y : None
            Ignored.

        Returns
        -------
        self : Doc2VecVectorizer
            The fitted vectorizer.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then return the trained vectors of the documents of ``X``.

        Not equal to ``fit(X).transform(X)``, which infers the vectors
        anew (see Notes of the class). Documents without a known word get
        a zero row.

        Parameters
        ----------
        X : iterable of str, bytes or token lists
        y : None
            Ignored.

        Returns
        -------
        ndarray of float32, shape (n_documents, n_components)
        """
        return self._fit(X)

    # -------------------------------------------------------------- transform
    def transform(self, X):
        """Infer the vector of each document against the frozen model.

        Each document takes ``infer_epochs`` SGD passes from a start drawn
        from its own seed; out-of-vocabulary words are ignored and a
        document without a known word gives a zero row.

        Parameters
        ----------
        X : iterable of str, bytes or token lists

        Returns
        -------
        ndarray of float32, shape (n_documents, n_components)
        """
        check_is_fitted(self, "output_vectors_")
        docs = check_documents(X)
        token_lists = self._token_lists(docs)
        if isinstance(docs, (list, tuple)):
            if not docs:
                raise ValueError("X is empty: transform needs at least one document.")
            corpus = _StreamedCorpus(token_lists, self.vocabulary_, len(docs))
        else:
            indptr, ids = encode_known(token_lists, self.vocabulary_)
            if indptr.shape[0] == 1:
                raise ValueError("X is empty: transform needs at least one document.")
            corpus = _MemoryCorpus(indptr, ids, block_tokens=np.inf)
        out = np.empty((corpus.n_docs, self.n_components), dtype=np.float32)
        infer_documents(
            corpus.blocks(),
            self.output_vectors_,
            self.word_counts_,
            out,
            seed=self._seed,
            negative=self.negative,
            ns_exponent=self.ns_exponent,
            sample=self.sample,
            n_epochs=self.infer_epochs or self.n_epochs,
            learning_rate=self.learning_rate,
            n_jobs=self.n_jobs,
            progress=Progress(type(self).__name__, self.verbose),
        )
        if corpus.n_empty:
            self._log(
                f"{corpus.n_empty:,} of {corpus.n_docs:,} documents have no "
                "known word: zero vectors"
            )
        return self._normalize(out)

    def _normalize(self, out):
        return l2_normalize_rows(out) if self.norm == "l2" else out
