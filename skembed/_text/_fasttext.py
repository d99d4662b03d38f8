"""FastTextVectorizer: word2vec with character n-gram subwords (fastText)."""

from array import array
from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, _fit_context
from .._engine._base import _BaseSGNS
from .._engine._corpus import _drop_unknown, _MemoryCorpus
from .._engine._subword_kernels import compose_vectors
from .._fitted import FLOAT
from .._vectors._keyedvectors import KeyedVectors
from .._vectors._subwords import SubwordTable, check_ngram_range, subword_rows
from ._analyzer import check_documents
from ._word2vec import Word2VecVectorizer

__all__ = ["FastTextVectorizer"]


class FastTextVectorizer(Word2VecVectorizer):
    """Convert raw text to document vectors pooled from fastText word vectors.

    :class:`Word2VecVectorizer` with subword information (Bojanowski et al.,
    2017): a word's input vector is the mean of its own vector and the
    vectors of its character n-grams (``min_n`` to ``max_n`` characters of
    ``"<" + word + ">"``, hashed into ``bucket`` rows, exactly as fastText
    does), trained by the same skip-gram / CBOW engine. Words never seen in
    ``fit`` -- typos, rare inflections, new compounds -- get the mean of
    their known n-gram vectors in ``transform`` and in ``wv_``, instead of
    being dropped. Pretrained Facebook fastText ``.bin`` models (the
    157-language ``cc.*.300.bin`` files) load with their n-gram tables.

    Read more in the :ref:`User Guide <fasttext>`.

    Parameters
    ----------
    min_n : int, default=3
        Shortest character n-gram (fastText's ``-minn``, gensim's ``min_n``).
    max_n : int, default=6
        Longest character n-gram (``-maxn``); ``min_n <= max_n``.
    bucket : int, default=2_000_000
        Number of hash buckets of the n-grams (``-bucket``). Only the buckets
        that some vocabulary word uses get a vector, so memory grows with the
        vocabulary, not with ``bucket`` (4 bytes per bucket for the map);
        fewer buckets mean more n-grams sharing a vector.
    cjk_ngram_range : tuple (min_n, max_n) or None, default=(1, 2)
        n-gram lengths of the words that contain a Chinese, Japanese or
        Korean character: their words are one to four characters long, so
        n-grams of 3 to 6 characters would only be the word itself with its
        boundary marks. ``None``: ``min_n`` to ``max_n`` for every word, as
        fastText.
    **word2vec parameters
        Every parameter of :class:`Word2VecVectorizer`, with the same
        defaults: ``n_components``, ``algorithm``, ``window``, ``negative``,
        ``min_count``, ``sample``, ``n_epochs``, ``learning_rate``,
        ``ns_exponent``, ``max_vocab_size``, ``pooling``, ``sif_alpha``,
        ``norm``, ``handle_empty``, ``vectors``, ``fine_tune``, ``input``,
        ``encoding``, ``decode_error``, ``lowercase``, ``token_pattern``,
        ``stop_words``, ``preprocessor``, ``tokenizer``, ``analyzer``,
        ``random_state``, ``n_jobs``, ``verbose``. ``vectors`` may be a
        fastText ``.bin`` file (or a :class:`KeyedVectors` with
        ``subwords``); its ``min_n``, ``max_n`` and ``bucket`` then replace
        these parameters. ``fine_tune`` is not supported with subwords.

    Attributes
    ----------
    wv_ : KeyedVectors
        The word vectors with their n-gram table (``wv_.subwords``):
        ``wv_["unseenword"]`` works.
    vocabulary_, embedding_, loss_curve_, idf_, sif_weights_, sif_component_, \
n_empty_
        As in :class:`Word2VecVectorizer`; ``embedding_`` holds the
        composed vectors (own vector and n-grams) of the vocabulary.
    oov_idf_ : float
        Weight of a word outside the vocabulary with ``pooling="tfidf"``:
        the idf of a word in no training document.

    See Also
    --------
    Word2VecVectorizer : The same without subwords.
    load_vectors : Reads fastText ``.bin`` models too.

    Notes
    -----
    gensim names: ``FastText(vector_size, sg, epochs, alpha, workers, seed,
    min_n, max_n, bucket)``. Skip-gram trains as fastText: the centre
    word's n-grams predict each context word; the centre's input vector is
    computed once per window and its n-gram rows are updated once per
    window with the window's summed gradient (fastText and gensim update
    them after every context word).

    ``transform`` drops a word outside the vocabulary without any known
    n-gram (its vector would be zero) and counts those words (printed
    with ``verbose``). ``fit_transform`` equals ``fit(X).transform(X)``:
    training words rarer than ``min_count`` get their n-gram vectors too,
    so a one-shot iterator ``X`` is first copied to a list.

    References
    ----------
    .. [1] Bojanowski, Grave, Joulin, Mikolov (2017). "Enriching Word
       Vectors with Subword Information". TACL 5.

    Examples
    --------
    >>> from skembed import FastTextVectorizer
    >>> docs = ["the walker walked", "the talker talked", "walking and talking",
    ...         "a walk and a talk"] * 5
    >>> vec = FastTextVectorizer(n_components=8, min_count=1, random_state=0)
    >>> vec.fit_transform(docs).shape
    (20, 8)
    >>> "walks" in vec.vocabulary_
    False
    >>> vec.wv_["walks"].shape
    (8,)
    >>> vec.transform(["walks"]).any()
    np.True_
    """

    _parameter_constraints: dict = {
        # no hierarchical softmax for subwords: negative sampling only
        **{
            k: v
            for k, v in Word2VecVectorizer._parameter_constraints.items()
            if k != "hs"
        },
        "negative": _BaseSGNS._parameter_constraints["negative"],
        "min_n": [Interval(Integral, 1, None, closed="left")],
        "max_n": [Interval(Integral, 1, None, closed="left")],
        "bucket": [Interval(Integral, 1, 2**31 - 1, closed="both")],
        "cjk_ngram_range": [tuple, None],
    }

    #: fitted state beyond Word2VecVectorizer's (see :mod:`skembed._fitted`)
    _fitted_state: dict = {"oov_idf_": FLOAT}

    def __init__(
        self,
        *,
        n_components=100,
        algorithm="skipgram",
        window=5,
        negative=5,
        min_count=5,
        sample=1e-3,
        n_epochs=5,
        learning_rate=0.025,
        ns_exponent=0.75,
        max_vocab_size=None,
        min_n=3,
        max_n=6,
        bucket=2_000_000,
        cjk_ngram_range=(1, 2),
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
        super().__init__(
            n_components=n_components,
            algorithm=algorithm,
            window=window,
            negative=negative,
            min_count=min_count,
            sample=sample,
            n_epochs=n_epochs,
            learning_rate=learning_rate,
            ns_exponent=ns_exponent,
            max_vocab_size=max_vocab_size,
            pooling=pooling,
            sif_alpha=sif_alpha,
            norm=norm,
            handle_empty=handle_empty,
            vectors=vectors,
            fine_tune=fine_tune,
            input=input,
            encoding=encoding,
            decode_error=decode_error,
            lowercase=lowercase,
            token_pattern=token_pattern,
            stop_words=stop_words,
            preprocessor=preprocessor,
            tokenizer=tokenizer,
            analyzer=analyzer,
            random_state=random_state,
            n_jobs=n_jobs,
            verbose=verbose,
        )
        self.min_n = min_n
        self.max_n = max_n
        self.bucket = bucket
        self.cjk_ngram_range = cjk_ngram_range

    # -------------------------------------------------------------------- fit
    def _pretrained(self):
        kv = super()._pretrained()
        if getattr(kv, "subwords", None) is None:
            raise ValueError(
                "FastTextVectorizer(vectors=...) needs vectors with an n-gram "
                "table: a fastText .bin model or a KeyedVectors with subwords; got "
                f"{kv!r} without n-grams (a .vec or word2vec file has none). Use "
                "Word2VecVectorizer for vectors without subwords."
            )
        if self.fine_tune is not False:
            raise ValueError(
                "fine_tune is not supported by FastTextVectorizer: pretrained "
                "subword vectors are used as they are (fine_tune=False)."
            )
        return kv

    def _train(self, keys, counts, corpus, rng, pretrained=None):
        if pretrained is not None:
            return super()._train(keys, counts, corpus, rng, pretrained)
        check_ngram_range(
            self.min_n, self.max_n, self.bucket,
            hint=" Use Word2VecVectorizer for word vectors without subwords.",
        )
        cjk = self._cjk_range()
        sub_indptr, sub_ids, used = subword_rows(
            keys, self.min_n, self.max_n, self.bucket, cjk=cjk
        )
        n_rows = len(keys) + used.shape[0]
        self._log(
            f"{used.shape[0]:,} n-gram buckets of {self.bucket:,} in use "
            f"(min_n={self.min_n}, max_n={self.max_n})"
        )
        self._subword_state = (sub_indptr, sub_ids, used)
        # fresh negatives for every (centre, context) pair, as fastText: the
        # engine's shared negatives are not measured with subwords
        vectors = super()._train(
            keys, counts, corpus, rng, subwords=(sub_indptr, sub_ids, n_rows),
            shared_negatives=False,
        )
        return vectors

    def _cjk_range(self):
        cjk = self.cjk_ngram_range
        if cjk is None:
            return None
        if len(cjk) != 2:
            raise ValueError(
                "cjk_ngram_range must be None or a pair (min_n, max_n); got "
                f"{cjk!r}."
            )
        check_ngram_range(cjk[0], cjk[1], self.bucket, where="cjk_ngram_range: ")
        return (int(cjk[0]), int(cjk[1]))

    def _keyed_vectors(self, keys, vectors, counts, pretrained):
        if pretrained is not None:
            return KeyedVectors(
                keys, pretrained.vectors, counts=counts, subwords=pretrained.subwords
            )
        sub_indptr, sub_ids, used = self._subword_state
        del self._subword_state
        n = len(keys)
        composed = np.empty((n, vectors.shape[1]), dtype=np.float32)
        compose_vectors(sub_indptr, sub_ids, vectors[:n], vectors[n:], composed)
        bucket_rows = np.full(self.bucket, -1, dtype=np.int32)
        bucket_rows[used] = np.arange(used.shape[0], dtype=np.int32)
        table = SubwordTable(
            np.ascontiguousarray(vectors[n:]),
            min_n=self.min_n,
            max_n=self.max_n,
            bucket=self.bucket,
            bucket_rows=bucket_rows,
            cjk_ngram_range=self._cjk_range(),
        )
        return KeyedVectors(keys, composed, counts=counts, subwords=table)

    def _fit_pooling(self, corpus):
        if hasattr(self, "oov_idf_"):
            del self.oov_idf_
        super()._fit_pooling(corpus)
        if self.pooling == "tfidf":
            self.oov_idf_ = float(np.log(1.0 + corpus.n_docs) + 1.0)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then return the document vectors of ``X``.

        Equal to ``fit(X).transform(X)``; a one-shot iterator is first
        copied to a list (it is read twice).

        Parameters
        ----------
        X : iterable of str, bytes or token lists
        y : None
            Ignored.

        Returns
        -------
        ndarray of float32, shape (n_documents, n_components)
        """
        docs = check_documents(X)
        if iter(docs) is docs:
            docs = list(docs)
        return self.fit(docs)._transform(docs)

    # -------------------------------------------------------------- transform
    def transform(self, X):
        """Pool the vectors of each document's words, unseen words included.

        A word outside the vocabulary gets the mean of its known n-gram
        vectors; one without any known n-gram is skipped (and counted). A
        document without any word with a vector gives a zero row (or raises
        with ``handle_empty="error"``).

        Parameters
        ----------
        X : iterable of str, bytes or token lists

        Returns
        -------
        ndarray of float32, shape (n_documents, n_components)
        """
        check_is_fitted(self, "wv_")
        return self._transform(check_documents(X))

    def _transform(self, docs):
        token_lists = self._token_lists(docs)
        indptr, ids, oov_words = _encode_open(token_lists, self.vocabulary_)
        if indptr.shape[0] == 1:
            raise ValueError("X is empty: transform needs at least one document.")
        n_words = len(self.vocabulary_)
        extra, known = self.wv_.subwords.word_vectors(oov_words)
        missing = known == 0
        if missing.any():
            self._log(
                f"{int(missing.sum()):,} of {len(oov_words):,} words outside the "
                "vocabulary have no known n-gram: skipped"
            )
            remap = np.arange(n_words + len(oov_words), dtype=np.int64)
            keep = np.concatenate([np.ones(n_words, bool), ~missing])
            remap[keep] = np.arange(int(keep.sum()))
            remap[~keep] = -1
            indptr, ids = _drop_unknown(indptr, ids, remap.astype(np.int32))
            extra = extra[~missing]
        corpus = _MemoryCorpus(indptr, ids, block_tokens=np.inf)
        return self._pool(corpus, extra)


def _encode_open(token_lists, key_to_index):
    """CSR ids of all tokens: known words their row, other words new ids
    ``n, n + 1, ...`` in order of first appearance (returned as a list)."""
    n = len(key_to_index)
    oov = {}
    get = key_to_index.get
    lengths = array("q")
    flat = array("i")
    for tokens in token_lists:
        lengths.append(len(tokens))
        for token in tokens:
            i = get(token)
            if i is None:
                i = oov.get(token)
                if i is None:
                    i = oov[token] = n + len(oov)
            flat.append(i)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    if len(lengths):
        np.cumsum(np.frombuffer(lengths, dtype=np.int64), out=indptr[1:])
    ids = np.frombuffer(flat, dtype=np.int32).copy() if len(flat) else np.zeros(
        0, dtype=np.int32
    )
    return indptr, ids, [str(t) for t in oov]
