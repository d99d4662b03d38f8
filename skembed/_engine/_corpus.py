"""Corpus scanning shared by the token-sequence estimators.

Token sequences (word2vec documents, item2vec baskets) are counted, given
a vocabulary and encoded to int32 ids in one pass (:func:`_scan`); a corpus
of more than ``_SPILL_TOKENS`` tokens + documents goes to two temporary
files and is read back in chunk-aligned blocks (:class:`_SpilledCorpus`),
so that nothing per token or per document stays in memory. Every corpus
object yields ``(indptr, ids)`` CSR blocks that
:func:`skembed._engine._driver.train_sgns` takes as they are.

This module knows nothing of any estimator: ``_word2vec.py`` and
``_item2vec.py`` both build on it.
"""

import itertools
import tempfile
from array import array
from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from ._driver import chunk_starts

_INT32 = "i" if array("i").itemsize == 4 else "l"


#: tokens re-mapped per step of :func:`_drop_unknown` (4 MiB of int32), and
#: the size of the blocks a spilled corpus is read back in
_REMAP_BLOCK = 2**20
#: corpora of more tokens + documents than this (16 MiB of int32 ids and
#: lengths) are written to temporary files during the scan and streamed
#: from them in every epoch
_SPILL_TOKENS = 2**22
#: tokens per block a spilled corpus is trained in (cut at chunk boundaries;
#: fewer, larger blocks mean fewer parallel-region joins per epoch)
_READ_TOKENS = 2**21
#: tokens per group ``transform`` encodes and pools at once
#: (:class:`_StreamedCorpus`; the pooling temporaries are ~40 bytes per
#: token of the group)
_POOL_TOKENS = 2**18


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


def smooth_idf(n_docs, blocks, n_words):
    """scikit-learn's smooth idf, ``log((1 + n_docs) / (1 + df)) + 1``, of
    each word over the documents of ``blocks`` (see
    :func:`document_frequencies`); float64."""
    df = document_frequencies(blocks, n_words)
    return np.log((1.0 + n_docs) / (1.0 + df)) + 1.0


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
    (:func:`~skembed._engine._driver.chunk_starts`, carried across groups) and
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
    at a time for :func:`~skembed._engine._driver.train_sgns` and the pooling
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
    token_lists,
    *,
    min_count=1,
    max_vocab_size=None,
    spill_tokens=None,
    vocabulary=None,
    stats=None,
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
