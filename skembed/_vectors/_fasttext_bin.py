"""Facebook fastText ``.bin`` models: reader and writer (unsupervised models).

Layout (fastText 0.9.x, ``FastText::saveModel``; native endianness, which is
little-endian on every platform the files are published for)::

    int32 magic (793712314), int32 version (12; 11 is read the same)
    args:  int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model,
           bucket, minn, maxn, lrUpdateRate; float64 t
    dict:  int32 size, nwords, nlabels; int64 ntokens, pruneidx_size;
           size x (word bytes, b"\\0", int64 count, int8 type);
           pruneidx_size x (int32, int32)
    bool quant_input
    input matrix:  int64 rows (= nwords + bucket), int64 dim, float32 data
    bool qout
    output matrix: int64 rows, int64 dim, float32 data
"""

import io
import os
import struct

import numpy as np

from .._engine._subword_kernels import compose_vectors
from ._formats import _compressor
from ._subwords import SubwordTable, ngram_buckets

MAGIC = 793712314
VERSION = 12
READABLE_VERSIONS = (11, 12)
_ARG_NAMES = ("dim", "ws", "epoch", "min_count", "neg", "word_ngrams", "loss",
              "model", "bucket", "minn", "maxn", "lr_update_rate", "t")
_LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "ova"}
_MODELS = {1: "cbow", 2: "sg", 3: "sup"}
EOS = "</s>"


class _Reader:
    def __init__(self, f, name):
        self.f, self.name, self.pos = f, name, 0

    def read(self, n, what):
        data = self.f.read(n)
        if len(data) != n:
            raise ValueError(
                f"{self.name}: truncated fastText .bin file: expected {n} bytes of "
                f"{what} at byte offset {self.pos}, found {len(data)} before the "
                "end of the file (an incomplete download?)."
            )
        self.pos += n
        return data

    def unpack(self, fmt, what):
        s = struct.Struct("<" + fmt)
        return s.unpack(self.read(s.size, what))


def _bad(name, pos, expected, found, hint=""):
    msg = f"{name}, byte offset {pos}: expected {expected}; found {found}."
    return ValueError(msg + (" " + hint if hint else ""))


def read_fasttext_bin(path, *, encoding="utf-8", unicode_errors="backslashreplace",
                      mmap=None):
    """Read a fastText ``.bin`` model.

    Returns a dict: ``args`` (header), ``version``, ``words`` (str),
    ``raw`` (bytes of each word), ``counts`` (int64), ``ntokens``,
    ``word_rows`` (float32, ``(nwords, dim)``: the words' own input rows)
    and ``ngram_rows`` (``(bucket, dim)``); both are read-only memory maps
    with ``mmap="r"`` and an uncompressed file path. ``.gz``/``.bz2``/``.xz``
    paths are decompressed; a non-seekable stream is read whole.
    """
    name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(
        getattr(path, "name", "<file>"))
    own = isinstance(path, (str, os.PathLike))
    opener = _compressor(path) if own else None
    if opener is not None and opener is not open:
        mmap = None  # a compressed file is read, not mapped
    f = opener(path, "rb") if own else path
    if not own and not _seekable(f):
        f = io.BytesIO(f.read())  # a stream: read whole
    try:
        r = _Reader(f, name)
        head = r.read(8, "the file signature (magic number and version)")
        magic, version = struct.unpack("<2i", head)
        if magic != MAGIC:
            if head[:2] == b"\x1f\x8b":
                hint = "It is gzip-compressed: decompress it first (gunzip)."
            elif 0 < magic <= 10000 and 0 < version <= 1000:
                hint = (f"It looks like a model of fastText before 0.2 (2018), "
                        f"whose files start with the vector size ({magic}) and "
                        "have no signature: save it again with a current "
                        "fastText, or load the .vec file published with it.")
            elif head[:1].isdigit():
                hint = ("It looks like a text file: a .vec file is read by "
                        "load_vectors (format='word2vec').")
            else:
                hint = ("Only the .bin models of fastText >= 0.2 (2018), "
                        "which start with this number, are read.")
            raise ValueError(
                f"{name}: not a fastText .bin model: expected the fastText file "
                f"signature {MAGIC} in the first 4 bytes; found {magic}. {hint}"
            )
        if version not in READABLE_VERSIONS:
            raise ValueError(
                f"{name}: fastText .bin file format version {version}; expected "
                f"version {VERSION} (written by fastText 0.9.x, and read the same: "
                "11). A file of a newer fastText cannot be read by this version of "
                "skembed; an older one is not a fastText .bin model."
            )
        values = r.unpack("12id", "the model arguments")
        args = dict(zip(_ARG_NAMES, values, strict=True))
        dim, bucket = args["dim"], args["bucket"]
        if args["model"] == 3:
            raise ValueError(
                f"{name}: a supervised fastText model (a text classifier, "
                "model=sup); expected an unsupervised model (skipgram or cbow) "
                "with word vectors."
            )
        if args["model"] not in _MODELS or args["loss"] not in _LOSSES:
            raise _bad(name, 8, "model 1 (cbow) or 2 (skipgram) and loss 1-4",
                       f"model={args['model']}, loss={args['loss']}",
                       "The header is damaged or the file is not a fastText model.")
        if dim < 1 or bucket < 0 or args["minn"] < 0 or args["maxn"] < 0:
            raise _bad(name, 8, "dim >= 1, bucket >= 0, minn >= 0, maxn >= 0",
                       f"dim={dim}, bucket={bucket}, minn={args['minn']}, "
                       f"maxn={args['maxn']}", "The header is damaged.")
        size, nwords, nlabels = r.unpack("3i", "the dictionary sizes")
        ntokens, pruneidx_size = r.unpack("2q", "the dictionary sizes")
        if nlabels > 0:
            raise ValueError(f"{name}: the dictionary has {nlabels} labels: a "
                             "supervised model; expected word vectors only.")
        if not (0 <= nwords == size):
            raise _bad(name, 60, "a dictionary of nwords == size >= 0 entries",
                       f"size={size}, nwords={nwords}")
        raw = _read_words(r, size, name)
        counts = np.empty(size, dtype=np.int64)
        words = []
        for i, (b, c) in enumerate(raw):
            counts[i] = c
            words.append(b.decode(encoding, unicode_errors))
        raw = [b for b, _ in raw]
        if pruneidx_size > 0:
            r.read(8 * pruneidx_size, "the pruned n-gram index")
        (quant,) = r.unpack("?", "the quantisation flag")
        if quant:
            raise ValueError(
                f"{name}: a quantised fastText model (.ftz, compressed with "
                "`fasttext quantize`); expected a plain .bin model with float32 "
                "vectors.")
        if pruneidx_size >= 0:
            raise ValueError(f"{name}: the dictionary is pruned but the vectors "
                             "are not quantised: an invalid model (fastText "
                             "refuses it too, see its issue #332).")
        rows, cols = r.unpack("2q", "the input matrix shape")
        if rows != nwords + bucket or cols != dim:
            raise _bad(name, r.pos - 16,
                       f"an input matrix of nwords + bucket = {nwords + bucket} "
                       f"rows and dim = {dim} columns", f"{rows} x {cols}",
                       "The file is damaged.")
        if mmap and own:
            word_rows, ngram_rows = _map_input(r, f, path, nwords, bucket, dim, mmap)
        else:
            word_rows = _read_rows(r, f, nwords, dim, "the word vectors")
            ngram_rows = _read_rows(r, f, bucket, dim, "the n-gram vectors")
        # the output matrix: checked, not kept
        r.unpack("?", "the output quantisation flag")
        orows, ocols = r.unpack("2q", "the output matrix shape")
        if ocols != dim or orows < 0:
            raise _bad(name, r.pos - 16, f"an output matrix of {dim} columns",
                       f"{orows} x {ocols}", "The file is damaged.")
        skip = orows * ocols * 4
        _skip(r, f, skip, "the output matrix")
        extra = f.read(1)
        if extra:
            raise ValueError(f"{name}: unexpected data after the end of the "
                             f"fastText model at byte offset {r.pos}; expected "
                             "the end of the file. The file is damaged.")
    finally:
        if own:
            f.close()
    return dict(args=args, version=version, words=words, raw=raw, counts=counts,
                ntokens=ntokens, word_rows=word_rows, ngram_rows=ngram_rows)


def _read_rows(r, f, rows, dim, what):
    out = np.empty((rows, dim), dtype="<f4")
    view = memoryview(out.reshape(-1).view(np.uint8))
    n_bytes = view.nbytes
    got = 0
    while got < n_bytes:
        k = f.readinto(view[got:]) if hasattr(f, "readinto") else None
        if k is None:
            data = f.read(n_bytes - got)
            k = len(data)
            view[got:got + k] = data
        if not k:
            break
        got += k
    if got != n_bytes:
        raise ValueError(
            f"{r.name}: truncated fastText .bin file: expected {n_bytes} bytes of "
            f"{what} at byte offset {r.pos}, found {got} before the end of the "
            "file (an incomplete download?).")
    r.pos += n_bytes
    return out.astype(np.float32, copy=False)


def _map_input(r, f, path, nwords, bucket, dim, mode):
    start = r.pos
    n_bytes = (nwords + bucket) * dim * 4
    end = f.seek(0, os.SEEK_END)
    if end < start + n_bytes:
        raise ValueError(
            f"{r.name}: truncated fastText .bin file: expected {n_bytes} bytes of "
            f"the input matrix at byte offset {start}, found {end - start} "
            "before the end of the file (an incomplete download?).")
    words = np.memmap(path, dtype="<f4", mode=mode, offset=start, shape=(nwords, dim))
    ngrams = np.memmap(path, dtype="<f4", mode=mode, offset=start + nwords * dim * 4,
                       shape=(bucket, dim)) if bucket else np.zeros((0, dim), np.float32)
    f.seek(start + n_bytes)
    r.pos = start + n_bytes
    return words, ngrams


def load_fasttext_bin(path, *, encoding="utf-8", unicode_errors="backslashreplace",
                      mmap=None):
    """The parts of a :class:`~skembed.KeyedVectors` with an n-gram table,
    from a fastText ``.bin`` model: ``(keys, vectors, counts, subwords)``.
    The vocabulary's vectors are fastText's (the mean of the word's row and
    its n-gram rows, ``getWordVector``); ``subwords`` gives any other word
    the mean of its n-gram rows (``None`` for a model without n-grams)."""

    m = read_fasttext_bin(path, encoding=encoding, unicode_errors=unicode_errors,
                          mmap=mmap)
    a = m["args"]
    words = m["words"]
    n, dim, bucket = len(words), a["dim"], a["bucket"]
    composed = np.empty((n, dim), dtype=np.float32)
    has_ngrams = bucket > 0 and a["maxn"] > 0 and a["maxn"] >= a["minn"]
    if has_ngrams:
        skip = np.array([w == EOS for w in words], dtype=np.bool_)
        ng_indptr, ng = ngram_buckets(words, max(a["minn"], 1), a["maxn"], bucket,
                                      raw=m["raw"], skip=skip)
        sub_indptr = ng_indptr + np.arange(n + 1)
        sub_ids = np.empty(sub_indptr[-1], dtype=np.int32)
        own = sub_indptr[:-1]
        sub_ids[own] = np.arange(n, dtype=np.int32)
        mask = np.ones(sub_ids.shape[0], dtype=bool)
        mask[own] = False
        sub_ids[mask] = ng + n
        compose_vectors(sub_indptr, sub_ids, m["word_rows"], m["ngram_rows"],
                        composed)
    else:
        composed[:] = m["word_rows"]
    keys, counts = words, m["counts"]
    subwords = None
    if has_ngrams:
        subwords = SubwordTable(m["ngram_rows"], min_n=max(a["minn"], 1),
                                max_n=a["maxn"], bucket=bucket)
    return keys, composed, counts, subwords


def _skip(r, f, n, what):
    seekable = getattr(f, "seekable", None)
    if seekable is not None and seekable():
        here = f.tell()
        end = f.seek(0, os.SEEK_END)
        if end - here < n:
            r.pos = here
            raise ValueError(
                f"{r.name}: truncated fastText .bin file: expected {n} bytes of "
                f"{what} at byte offset {here}, found {end - here} before the "
                "end of the file (an incomplete download?).")
        f.seek(here + n)
        r.pos += n
        return
    while n > 0:
        step = min(n, 1 << 24)
        r.read(step, what)
        n -= step


def _read_words(r, size, name):
    """``size`` entries of ``word\\0 int64 int8``, parsed from 1 MiB reads."""
    out = []
    buf = b""
    at = 0
    f = r.f
    while len(out) < size:
        end = buf.find(b"\0", at)
        if end < 0 or end + 10 > len(buf):
            more = f.read(1 << 20)
            if not more:
                raise ValueError(
                    f"{name}: truncated fastText .bin file: the dictionary ends "
                    f"after {len(out)} of its {size} words, at byte offset "
                    f"{r.pos + len(buf) - at} (an incomplete download?).")
            buf = buf[at:] + more
            r.pos += at
            at = 0
            continue
        count, kind = struct.unpack_from("<qb", buf, end + 1)
        if kind != 0:
            raise _bad(name, r.pos + end + 9, "a word entry (type 0)",
                       f"entry type {kind} for {buf[at:end]!r}",
                       "Labels belong to supervised models.")
        out.append((buf[at:end], count))
        at = end + 10
    # give back what was read beyond the dictionary
    rest = buf[at:]
    r.pos += at
    if rest:
        f.seek(-len(rest), os.SEEK_CUR)
    return out


def _seekable(f):
    s = getattr(f, "seekable", None)
    return s is not None and s()
