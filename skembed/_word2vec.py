"""Word2VecVectorizer: raw text to pooled word2vec document vectors."""

import itertools
import os
import sys
from array import array
from collections import defaultdict
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import ClassNamePrefixFeaturesOutMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._base import _BaseSGNS
from ._compat import Interval, StrOptions, _fit_context
from ._keyedvectors import KeyedVectors
from ._pool_kernels import max_pool
from ._text import build_analyzer, check_documents, iter_documents

__all__ = ["Word2VecVectorizer"]

_INT32 = "i" if array("i").itemsize == 4 else "l"


#: tokens re-mapped per step of :func:`_drop_unknown` (4 MiB of int32), and
#: the size of the blocks a spilled corpus is read back in
_REMAP_BLOCK = 2**20
#: corpora of more tokens + documents than this (16 MiB of int32 ids and
#: lengths) are written to temporary files during the scan and streamed
#: from them in every epoch
_SPILL_TOKENS = 2**22
#: tokens per group ``transform`` encodes and pools at once (its pooling
#: temporaries are ~40 bytes per token of the group)
_POOL_TOKENS = 2**18
#: tokens per block a spilled corpus is trained in (cut at chunk boundaries;
#: fewer, larger blocks mean fewer parallel-region joins per epoch)
_READ_TOKENS = 2**21


def _drop_unknown(indptr, ids, remap=None):
    """Map ``ids`` through ``remap`` and drop the ``-1`` entries, in place.

    Works block by block on the (writable) ``ids`` buffer, so the extra
    memory is one block plus 8 bytes per document -- not the 13-21 bytes
    per token of ``remap[ids]`` + a boolean mask + an int64 prefix sum +
    ``ids[mask]``. Returns ``(indptr, ids)`` with ``ids`` a view of the
    input buffer.
    """
    n_docs = indptr.shape[0] - 1
    dropped = None
    write = 0
    for start in range(0, ids.shape[0], _REMAP_BLOCK):
        chunk = ids[start : start + _REMAP_BLOCK]
        if remap is not None:
            chunk = remap[chunk]
        known = chunk >= 0
        if known.all():
            if remap is None and write == start:  # nothing moved yet
                write += chunk.shape[0]
                continue
        else:
            if dropped is None:
                dropped = np.zeros(n_docs, dtype=np.int64)
            where = np.flatnonzero(~known) + start
            doc = np.searchsorted(indptr, where, side="right") - 1
            np.add.at(dropped, doc, 1)
            chunk = chunk[known]
        ids[write : write + chunk.shape[0]] = chunk
        write += chunk.shape[0]
    if dropped is not None:
        shift = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(dropped, out=shift[1:])
        indptr = indptr - shift
    return indptr, ids[:write]


def _count_ids(ids, minlength=0):
    """``np.bincount(ids, minlength)`` block by block: ``bincount`` casts an
    int32 input to int64 first, 8 bytes per token at once."""
    out = np.zeros(minlength, dtype=np.int64)
    for start in range(0, ids.shape[0], _REMAP_BLOCK):
        part = np.bincount(ids[start : start + _REMAP_BLOCK], minlength=minlength)
        if part.shape[0] > out.shape[0]:
            part[: out.shape[0]] += out
            out = part
        else:
            out[: part.shape[0]] += part
    return out


def _csr_from_lengths(lengths, buf):
    """CSR ``(indptr, ids)`` from int32 ``array`` objects of document
    lengths and token ids; ``ids`` is a writable view of ``buf`` (no copy)."""
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    if len(lengths):
        np.cumsum(np.frombuffer(lengths, dtype=np.int32), out=indptr[1:])
    ids = np.frombuffer(buf, dtype=np.int32) if len(buf) else np.zeros(0, np.int32)
    return indptr, ids


def _encode_groups(token_lists, key_to_index, block_tokens=None):
    """Yield CSR ``(indptr, ids)`` of known ids (unknown tokens dropped) of
    consecutive groups of documents of about ``block_tokens`` tokens each
    (``None``: one group of all). One C-level dictionary lookup per token
    (``map`` + ``array.extend``), no Python bytecode per token."""
    get = key_to_index.get
    minus_one = itertools.repeat(-1)
    buf = array(_INT32)
    lengths = array(_INT32)  # 4 bytes per document
    for tokens in token_lists:
        lengths.append(len(tokens))
        buf.extend(map(get, tokens, minus_one))
        if block_tokens is not None and len(buf) >= block_tokens:
            yield _drop_unknown(*_csr_from_lengths(lengths, buf))
            buf = array(_INT32)
            lengths = array(_INT32)
    if len(lengths) or block_tokens is None:
        yield _drop_unknown(*_csr_from_lengths(lengths, buf))


def encode_known(token_lists, key_to_index):
    """Map token lists to a CSR corpus of known ids; unknown tokens dropped."""
    return next(_encode_groups(token_lists, key_to_index))


def document_frequencies(blocks, n_words):
    """Documents containing each word (repeats in a document count once),
    summed over a re-iterable of CSR ``(indptr, ids)`` blocks of whole
    documents; memory is one block's, not the corpus's."""
    df = np.zeros(n_words, dtype=np.int64)
    for b_indptr, b_ids in blocks:
        ones = np.ones(b_ids.shape[0], dtype=np.int32)
        # copies: sum_duplicates sorts the index arrays in place
        docs = sp.csr_matrix(
            (ones, b_ids.copy(), b_indptr.copy()),
            shape=(b_indptr.shape[0] - 1, n_words),
        )
        docs.sum_duplicates()
        df += np.bincount(docs.indices, minlength=n_words)
    return df


def _read_int32(file, start, count):
    """``count`` int32 values at item offset ``start`` of a binary file."""
    out = np.empty(int(count), dtype=np.int32)
    file.seek(int(start) * 4)
    got = file.readinto(out)
    if got != out.nbytes:  # pragma: no cover - the file is ours
        raise OSError(f"short read from the corpus file ({got} of {out.nbytes} bytes)")
    return out


def _write_int32(file, start, values):
    file.seek(int(start) * 4)
    file.write(memoryview(np.ascontiguousarray(values, dtype=np.int32)))


class _Blocks:
    """Training blocks of a corpus, computed from its document lengths.

    Fed the (final, known-token) lengths of consecutive document groups,
    finds the engine's chunk starts over the *whole* corpus
    (:func:`~skembed._base.chunk_starts`, carried across groups) and
    opens a new block at the first chunk start at least ``block_tokens``
    tokens after the previous one. Memory: the carried state and one
    ``(document, token)`` pair per block -- nothing per document. Also
    counts the documents without a token.
    """

    def __init__(self, block_tokens):
        self.block_tokens = block_tokens
        self.docs = [0]  # first document of each block, then the end
        self.tokens = [0]  # token offset of each block start, then the end
        self.n_docs = 0
        self.n_tokens = 0
        self.n_empty = 0
        self.first_empty = None
        self._carry = 0  # tokens of the chunk still open at the group's end

    def feed(self, lengths):
        from ._base import chunk_starts

        n = lengths.shape[0]
        if n == 0:
            return
        if self.block_tokens == np.inf:  # one block: no chunk starts needed
            self._count(lengths)
            return
        # one leading pseudo-document holding the open chunk's tokens makes
        # chunk_starts continue the whole corpus's chunking exactly
        offsets = np.empty(n + 2, dtype=np.int64)
        offsets[0] = 0
        offsets[1] = self._carry
        np.cumsum(lengths, out=offsets[2:])
        offsets[2:] += self._carry
        starts = chunk_starts(offsets)
        self._carry = int(offsets[-1] - offsets[starts[-2]])
        for s in starts[1:-1].tolist():
            tok = self.n_tokens + int(offsets[s] - offsets[1])
            if tok - self.tokens[-1] >= self.block_tokens:
                self.docs.append(self.n_docs + s - 1)
                self.tokens.append(tok)
        self._count(lengths)

    def _count(self, lengths):
        empty = np.flatnonzero(lengths == 0)
        if empty.size and self.first_empty is None:
            self.first_empty = self.n_docs + int(empty[0])
        self.n_empty += int(empty.size)
        self.n_docs += lengths.shape[0]
        self.n_tokens += int(lengths.sum(dtype=np.int64))

    def bounds(self):
        """``[(doc0, doc1, token0, token1), ...]`` of every block."""
        docs = self.docs + [self.n_docs]
        tokens = self.tokens + [self.n_tokens]
        return list(zip(docs[:-1], docs[1:], tokens[:-1], tokens[1:], strict=True))


class _BlockCorpus:
    """What :class:`_MemoryCorpus` and :class:`_SpilledCorpus` share:
    ``n_docs``, ``n_tokens``, ``n_empty``, ``first_empty`` and iteration over the blocks
    found by a :class:`_Blocks` (``blocks()`` is each storage's own)."""

    def _set_blocks(self, blocks):
        self.n_docs = blocks.n_docs
        self.n_tokens = blocks.n_tokens
        self.n_empty = blocks.n_empty
        self.first_empty = blocks.first_empty
        self._bounds = blocks.bounds()

    def __iter__(self):
        for _, block in self.blocks():
            yield block

    def close(self):
        pass


class _MemoryCorpus(_BlockCorpus):
    """An in-memory CSR corpus ``(indptr, ids)`` with the interface of
    :class:`_SpilledCorpus`, iterated over the same blocks (so that
    statistics summed block by block are bit-identical whichever way the
    corpus is stored)."""

    def __init__(self, indptr, ids, block_tokens=None):
        self.indptr = indptr
        self.ids = ids
        blocks = _Blocks(_READ_TOKENS if block_tokens is None else block_tokens)
        blocks.feed(np.diff(indptr))
        self._set_blocks(blocks)

    def blocks(self):
        """Yield ``(doc0, doc1), (indptr, ids)`` per block, ``indptr`` from 0."""
        for d0, d1, t0, t1 in self._bounds:
            yield (d0, d1), (self.indptr[d0 : d1 + 1] - t0, self.ids[t0:t1])


class _StreamedCorpus(_BlockCorpus):
    """Documents encoded group by group while they are pooled (one pass,
    for ``transform`` of ``n_docs`` documents): one group of token ids in
    memory at a time. ``n_empty`` and ``first_empty`` are ``None`` until
    :meth:`blocks` has run through."""

    def __init__(self, token_lists, key_to_index, n_docs):
        self._groups = _encode_groups(token_lists, key_to_index, _POOL_TOKENS)
        self.n_docs = n_docs
        self.n_empty = self.first_empty = None

    def blocks(self):
        """Yield ``(doc0, doc1), (indptr, ids)`` per group."""
        seen = _Blocks(np.inf)  # counts the documents and the empty ones
        for indptr, ids in self._groups:
            d0 = seen.n_docs
            seen.feed(np.diff(indptr))
            yield (d0, seen.n_docs), (indptr, ids)
        self.n_empty, self.first_empty = seen.n_empty, seen.first_empty


class _SpilledCorpus(_BlockCorpus):
    """A scanned corpus that lives in two temporary files.

    Token ids (int32) and document lengths (int32) were appended to the
    files during the scan. The constructor re-maps the provisional ids to
    the final vocabulary, drops the unknown ones and rewrites both files in
    place (one pass, one group of documents at a time), recording only the
    block boundaries. Iteration then reads one block of ``(indptr, ids)``
    at a time for :func:`~skembed._base.train_sgns` and the pooling
    statistics: memory is a few blocks, nothing per token or per document.
    The blocks start and end at the engine's chunk boundaries
    (``CHUNK_TOKENS``), so the chunks, their random streams and hence the
    trained vectors are bit-identical to training on the whole in-memory
    corpus.
    """

    def __init__(self, ids_file, lengths_file, n_docs, remap, block_tokens):
        self._ids = ids_file
        self._lengths = lengths_file
        blocks = _Blocks(block_tokens)
        read_tok = 0
        for d0 in range(0, n_docs, _REMAP_BLOCK):
            lengths = _read_int32(lengths_file, d0, min(_REMAP_BLOCK, n_docs - d0))
            ends = np.cumsum(lengths, dtype=np.int64)
            g0 = 0
            while g0 < lengths.shape[0]:
                # documents of at most _REMAP_BLOCK tokens (or one longer one)
                before = int(ends[g0 - 1]) if g0 else 0
                g1 = int(np.searchsorted(ends, before + _REMAP_BLOCK, side="right"))
                g1 = max(g1, g0 + 1)
                n_raw = int(ends[g1 - 1]) - before
                mapped = remap[_read_int32(ids_file, read_tok, n_raw)]
                known = np.zeros(n_raw + 1, dtype=np.int64)
                np.cumsum(mapped >= 0, out=known[1:])
                local = np.zeros(g1 - g0 + 1, dtype=np.int64)
                local[1:] = ends[g0:g1] - before
                final = (known[local[1:]] - known[local[:-1]]).astype(np.int32)
                # both writes land on what this pass has already read
                _write_int32(ids_file, blocks.n_tokens, mapped[mapped >= 0])
                _write_int32(lengths_file, d0 + g0, final)
                blocks.feed(final)
                read_tok += n_raw
                g0 = g1
        ids_file.truncate(blocks.n_tokens * 4)
        ids_file.flush()
        lengths_file.flush()
        self._set_blocks(blocks)

    def blocks(self):
        """Yield ``(doc0, doc1), (indptr, ids)`` per block, ``indptr`` from 0."""
        for d0, d1, t0, t1 in self._bounds:
            indptr = np.zeros(d1 - d0 + 1, dtype=np.int64)
            np.cumsum(_read_int32(self._lengths, d0, d1 - d0), out=indptr[1:])
            yield (d0, d1), (indptr, _read_int32(self._ids, t0, t1 - t0))

    def materialize(self):
        """The whole corpus as one in-memory ``(indptr, ids)``."""
        indptr = np.zeros(self.n_docs + 1, dtype=np.int64)
        np.cumsum(_read_int32(self._lengths, 0, self.n_docs), out=indptr[1:])
        return indptr, _read_int32(self._ids, 0, indptr[-1])

    def close(self):
        self._ids.close()
        self._lengths.close()


def scan_corpus(token_lists, *, min_count=1, max_vocab_size=None):
    """Count and encode a corpus in a single pass over the documents.

    Every token gets a provisional id on first sight (one dictionary lookup
    per token); the provisional ids are written to one int32 buffer, the
    strings are not kept. At the end the vocabulary is the tokens seen at
    least ``min_count`` times, most frequent first (ties: first appearance),
    and the buffer is re-mapped to those ids with one numpy gather.

    ``max_vocab_size`` bounds the dictionary during the scan as gensim and
    word2vec.c do: when it is exceeded, tokens seen at most ``min_reduce``
    times so far are forgotten and ``min_reduce`` grows by one. Occurrences
    of a forgotten token before it was forgotten are lost (gensim loses
    them from the counts only).

    Returns
    -------
    keys : list of str
    counts : ndarray of int64
    indptr : ndarray of int64, shape (n_documents + 1,)
    ids : ndarray of int32
    """
    keys, counts, corpus = _scan(
        token_lists, min_count=min_count, max_vocab_size=max_vocab_size
    )
    if isinstance(corpus, _SpilledCorpus):
        indptr, ids = corpus.materialize()
        corpus.close()
        return keys, counts, indptr, ids
    return (keys, counts, *corpus)


def _scan(
    token_lists, *, min_count=1, max_vocab_size=None, spill_tokens=None,
    vocabulary=None, stats=None,
):
    """:func:`scan_corpus` that may keep the corpus on disk.

    With ``spill_tokens``, the provisional ids and the document lengths are
    appended to two anonymous temporary files (``tempfile.TemporaryFile``,
    in ``TMPDIR``) whenever the buffers hold that many values together, and
    the corpus comes back as a :class:`_SpilledCorpus` if anything was
    spilled, else as an in-memory ``(indptr, ids)``. Memory is then the
    dictionary and the counts, independent of the number of tokens and
    documents.

    With ``vocabulary`` (a ``key -> id`` dict of ids ``0 .. n - 1``, e.g.
    pretrained vectors') the ids are that dictionary's: no word is added,
    unknown tokens are dropped, ``min_count`` and ``max_vocab_size`` do not
    apply, and ``keys`` / ``counts`` cover the whole vocabulary in its own
    order (``counts`` 0 for a word absent from the corpus).

    ``stats``, a dict, receives ``n_distinct``: the number of distinct
    tokens held at the end of the scan (before ``min_count``).
    """
    fixed = vocabulary is not None
    if fixed:
        # unknown tokens get the provisional id n: counted, then dropped
        n_known = len(vocabulary)
        get = vocabulary.get
        unknown = itertools.repeat(n_known)
        max_vocab_size = None
        provisional = {}
    else:
        provisional = defaultdict(itertools.count().__next__)
        lookup = provisional.__getitem__
    buf = array(_INT32)
    lengths = array(_INT32)  # 4 bytes per document (until spilled)
    n_docs = 0
    min_reduce = 1
    spill = None
    seen_spilled = np.zeros(0, dtype=np.int64)

    def counts_so_far():
        seen = _count_ids(np.frombuffer(buf, dtype=np.int32), len(seen_spilled))
        seen[: len(seen_spilled)] += seen_spilled
        return seen

    def flush():
        nonlocal buf, lengths, seen_spilled
        seen_spilled = counts_so_far()
        buf.tofile(spill[0])
        lengths.tofile(spill[1])
        buf = array(_INT32)
        lengths = array(_INT32)

    for tokens in token_lists:
        lengths.append(len(tokens))
        if fixed:
            buf.extend(map(get, tokens, unknown))
        else:
            buf.extend(map(lookup, tokens))
        if max_vocab_size is not None and len(provisional) > max_vocab_size:
            seen = counts_so_far()
            for key in [k for k, i in provisional.items() if seen[i] <= min_reduce]:
                del provisional[key]
            min_reduce += 1
        if spill_tokens is not None and len(buf) + len(lengths) >= spill_tokens:
            if spill is None:
                import tempfile

                spill = (
                    tempfile.TemporaryFile(prefix="skembed-corpus-"),
                    tempfile.TemporaryFile(prefix="skembed-lengths-"),
                )
            n_docs += len(lengths)
            flush()
    if spill is not None:
        n_docs += len(lengths)
        flush()
        seen = seen_spilled
    else:
        seen = counts_so_far()
        indptr, ids = _csr_from_lengths(lengths, buf)
        del lengths
    if stats is not None:
        stats["n_distinct"] = len(provisional)
    if fixed:
        counts = np.zeros(n_known + 1, dtype=np.int64)
        counts[: seen.shape[0]] = seen
        remap = np.arange(n_known + 1, dtype=np.int32)
        remap[n_known] = -1
        keys, counts = list(vocabulary), counts[:n_known]
    else:
        keys, counts, remap = _final_vocabulary(provisional, seen, min_count)
    if spill is not None:
        corpus = _SpilledCorpus(*spill, n_docs, remap, _READ_TOKENS)
        return keys, counts, corpus
    return keys, counts, _drop_unknown(indptr, ids, remap)


def _final_vocabulary(provisional, seen, min_count):
    """``(keys, counts, remap)`` of the scan's words seen ``min_count``
    times, most frequent first (ties: first seen); ``remap`` maps a
    provisional id to the final one or -1."""
    n_provisional = seen.shape[0]
    alive_keys = list(provisional.keys())
    alive_ids = np.fromiter(provisional.values(), dtype=np.int64, count=len(alive_keys))
    alive_counts = seen[alive_ids]
    kept = np.flatnonzero(alive_counts >= min_count)
    order = kept[np.argsort(-alive_counts[kept], kind="stable")]
    remap = np.full(n_provisional, -1, dtype=np.int32)
    remap[alive_ids[order]] = np.arange(order.shape[0], dtype=np.int32)
    keys = [alive_keys[j] for j in order]
    counts = alive_counts[order].astype(np.int64)
    return keys, counts, remap


class Word2VecVectorizer(ClassNamePrefixFeaturesOutMixin, _BaseSGNS):
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
        Noise words per positive pair (negative sampling).
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
        :func:`skembed.load_vectors`), a :class:`skembed.KeyedVectors`, or
        any object with ``index_to_key`` and ``vectors`` (such as gensim's
        ``KeyedVectors``). ``fit`` then only learns the pooling statistics
        (idf, SIF) on ``X``, unless ``fine_tune``.
    fine_tune : bool or int, default=False
        With ``vectors``: continue training them on ``X`` for ``n_epochs``
        (``True``) or this many epochs. The vocabulary stays the
        pretrained one (words outside it are ignored).
    input : {"content", "filename", "file"}, default="content"
        As in scikit-learn: the items of ``X`` are the texts, paths of files
        to read, or objects with a ``read`` method.
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
        "algorithm": [StrOptions({"skipgram", "cbow"})],
        "max_vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "pooling": [StrOptions({"mean", "tfidf", "sif", "max"})],
        "sif_alpha": [Interval(Real, 0, None, closed="neither")],
        "norm": [StrOptions({"l2"}), None],
        "handle_empty": [StrOptions({"zeros", "error"})],
        "vectors": "no_validation",  # validated in fit (path, KeyedVectors, duck type)
        "fine_tune": ["boolean", Interval(Integral, 1, None, closed="left")],
        "input": [StrOptions({"content", "filename", "file"})],
        "encoding": [str],
        "decode_error": [StrOptions({"strict", "ignore", "replace"})],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "stop_words": [StrOptions({"english"}), list, None],
        "preprocessor": [callable, None],
        "tokenizer": [StrOptions({"cjk", "jieba"}), callable, None],
        "analyzer": [StrOptions({"word"}), callable],
    }

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
    def build_analyzer(self):
        """Return the callable ``str -> list of str`` used on raw text.

        Returns
        -------
        analyzer : callable
        """
        return build_analyzer(
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            stop_words=self.stop_words,
            preprocessor=self.preprocessor,
            tokenizer=self.tokenizer,
            analyzer=self.analyzer,
        )

    def _token_lists(self, X):
        docs = check_documents(X)
        return iter_documents(
            docs,
            self.build_analyzer(),
            input=self.input,
            encoding=self.encoding,
            decode_error=self.decode_error,
        )

    def _log(self, message):
        if self.verbose:
            print(f"[{type(self).__name__}] {message}", file=sys.stdout, flush=True)

    def _pretrained(self):
        vectors = self.vectors
        if isinstance(vectors, KeyedVectors):
            return vectors
        if isinstance(vectors, (str, os.PathLike)):
            try:
                from . import load_vectors
            except ImportError as exc:  # pragma: no cover - until _io lands
                raise ImportError(
                    "Loading vectors from a file needs skembed.load_vectors, "
                    "which this build of skembed lacks."
                ) from exc
            return load_vectors(vectors)
        if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):
            return KeyedVectors(list(vectors.index_to_key), vectors.vectors)
        raise TypeError(
            "vectors must be None, a path to a vectors file, a "
            "skembed.KeyedVectors or an object with index_to_key and vectors "
            f"attributes (such as gensim's KeyedVectors); got "
            f"{type(vectors).__name__}."
        )

    # -------------------------------------------------------------------- fit
    def _fit(self, X):
        """Fit and return the training corpus, a :class:`_MemoryCorpus` or
        (more than ``_SPILL_TOKENS`` tokens + documents) a
        :class:`_SpilledCorpus` still open on disk: the caller closes it."""
        token_lists = self._token_lists(X)
        rng = check_random_state(self.random_state)
        pretrained = None if self.vectors is None else self._pretrained()
        keys, counts, corpus = _scan(
            token_lists,
            min_count=self.min_count,
            max_vocab_size=self.max_vocab_size,
            spill_tokens=_SPILL_TOKENS,
            vocabulary=None if pretrained is None else pretrained.key_to_index,
        )
        if not isinstance(corpus, _SpilledCorpus):
            corpus = _MemoryCorpus(*corpus)
        try:
            vectors = self._train(keys, counts, corpus, rng, pretrained)
            self.wv_ = KeyedVectors(keys, vectors, counts=counts)
            self.vocabulary_ = self.wv_.key_to_index
            self.embedding_ = self.wv_.vectors
            self._n_features_out = self.embedding_.shape[1]
            self._fit_pooling(corpus)
        except BaseException:
            corpus.close()
            raise
        return corpus

    def _train(self, keys, counts, corpus, rng, pretrained=None):
        """Train the word vectors on the scanned corpus -- from a random
        start, or from ``pretrained`` (then only when ``fine_tune``) -- and
        set ``loss_curve_``. Returns the vectors."""
        n_docs = corpus.n_docs
        if n_docs == 0:
            raise ValueError("X is empty: fit needs at least one document.")
        sg = self.algorithm == "skipgram"
        overrides = {}
        if pretrained is None:
            if not keys:
                raise ValueError(
                    f"After pruning, no words remain: no token of the {n_docs} "
                    f"documents occurs min_count={self.min_count} times, or the "
                    "tokenisation produced no token at all (the default "
                    "token_pattern keeps words of two or more characters). Try "
                    "a lower min_count, or check build_analyzer()(doc) on a "
                    "few documents."
                )
            self._log(
                f"{n_docs:,} documents, {int(counts.sum()):,} tokens in the "
                f"vocabulary of {len(keys):,} words (min_count={self.min_count})"
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
        result = self._fit_sgns(corpus, counts, rng, sg=sg, **overrides)
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
            df = document_frequencies(corpus, n_words)
            self.idf_ = np.log((1.0 + corpus.n_docs) / (1.0 + df)) + 1.0
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

    def _weighted_sum(self, indptr, ids):
        """SIF/mean/tfidf pooling before normalisation and PC removal."""
        n_docs = indptr.shape[0] - 1
        n_words, dim = self.embedding_.shape
        lengths = np.diff(indptr)
        if self.pooling == "mean" or self.pooling == "sif":
            weights = (
                np.ones(ids.shape[0], dtype=np.float32)
                if self.pooling == "mean"
                else self.sif_weights_[ids]
            )
            denominator = lengths.astype(np.float64)
        else:  # tfidf
            weights = self.idf_[ids].astype(np.float32)
            # per-row sums (not differences of a corpus-wide running sum),
            # so a row's value never depends on the rows before it
            rows = np.repeat(np.arange(n_docs, dtype=np.intp), lengths)
            denominator = np.bincount(rows, weights=weights, minlength=n_docs)
        matrix = sp.csr_matrix((weights, ids, indptr), shape=(n_docs, n_words))
        out = np.asarray(matrix @ self.embedding_, dtype=np.float32)
        scale = np.zeros(n_docs, dtype=np.float32)
        np.divide(1.0, denominator, out=scale, where=denominator > 0, casting="unsafe")
        out *= scale[:, None]
        return out

    def _pool(self, corpus):
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
            out[d0:d1] = self._pool_rows(indptr, ids)
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
                f"{n_empty:,} of {n_docs:,} documents have no known token: "
                "zero vectors"
            )

    def _pool_rows(self, indptr, ids):
        if self.pooling == "max":
            out = max_pool(indptr, ids, self.embedding_)
        else:
            out = self._weighted_sum(indptr, ids)
            if self.pooling == "sif":
                u = self.sif_component_
                out -= np.outer(out @ u, u)
        if self.norm == "l2":
            norms = np.sqrt(np.einsum("ij,ij->i", out, out, dtype=np.float64))
            nonzero = norms > 0
            out[nonzero] /= norms[nonzero, None].astype(np.float32)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
