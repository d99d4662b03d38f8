"""Vector file formats: word2vec text and binary, GloVe, fastText ``.vec``.

Readers and writers only; no estimator logic. Everything here works on plain
``(keys, vectors)`` pairs; :class:`skembed.KeyedVectors` wraps them.

Formats
-------
word2vec text (also fastText ``.vec``)
    A header line ``"<n_vectors> <vector_size>"``, then one line per vector:
    the key, a space, and ``vector_size`` numbers separated by spaces.
word2vec binary
    The same header line, then per vector: the UTF-8 key, a space, and
    ``vector_size`` little-endian float32 values. gensim writes nothing after
    the values; word2vec.c writes a newline. Both are read.
GloVe
    The text format without the header line.

The text reader parses numbers in bulk (one C-level parse per block of
lines); the binary reader copies each vector with ``np.frombuffer``. Nothing
here ever unpickles.
"""

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import re
import sys
import zlib

import numpy as np
import pandas as pd

from ._subwords import SubwordTable

__all__ = [
    "open_input",
    "read_vocab",
    "write_vocab",
    "read_word2vec",
    "write_word2vec",
    "sniff_format",
    "read_npz",
    "write_npz",
]

_BLOCK_LINES = 4096
_BINARY_CHUNK = 1 << 20
_ON_DUPLICATE = ("error", "first", "last")
# the separators of the formats (word2vec.c splits words on space, tab and
# newline); other Unicode spaces such as U+3000 are fine inside keys
_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]")
_NPZ_MAGIC = b"PK\x03\x04"
_FASTTEXT_MAGIC = (793712314).to_bytes(4, "little")  # fastText .bin models
_BOM = b"\xef\xbb\xbf"  # a UTF-8 byte order mark some editors write


# --------------------------------------------------------------------- files
def _name(file):
    if isinstance(file, (str, os.PathLike)):
        return os.fspath(file)
    return str(getattr(file, "name", f"<{type(file).__name__}>"))


def _compressor(path):
    lower = os.fspath(path).lower()
    if lower.endswith(".gz"):
        return gzip.open
    if lower.endswith(".bz2"):
        return bz2.open
    if lower.endswith((".xz", ".lzma")):
        return lzma.open
    return open


#: first bytes of the compressed formats every reader of text decompresses
_MAGIC = (
    (b"\x1f\x8b", gzip.open),
    (b"BZh", bz2.open),
    (b"\xfd7zXZ\x00", lzma.open),
)


def open_input(path):
    """Open a file for reading in binary, decompressed: ``.gz``, ``.bz2`` and
    ``.xz`` by their name, and gzip / bzip2 / xz data under any other name by
    its first bytes (a corpus is never read as compressed bytes)."""
    opener = _compressor(path)
    if opener is open:
        with open(path, "rb") as f:
            head = f.read(6)
        for magic, candidate in _MAGIC:
            if head.startswith(magic):
                opener = candidate
                break
    return opener(path, "rb")


class _Opened:
    """Context manager giving a binary file object for a path or file object.

    File objects are not closed. Text-mode file objects are accepted: reading
    goes through their ``buffer`` when they have one, else their text is
    encoded; writing encodes the bytes back to text.
    """

    def __init__(self, file, mode, encoding="utf8"):
        self.file, self.mode, self.encoding = file, mode, encoding
        self._close = None

    def __enter__(self):
        file = self.file
        if isinstance(file, (str, os.PathLike)):
            f = _compressor(file)(file, self.mode + "b")
            self._close = f
            return f
        if isinstance(file, io.TextIOBase) or (
            "r" in self.mode and hasattr(file, "read") and isinstance(file.read(0), str)
        ):
            buffer = getattr(file, "buffer", None)
            if buffer is not None:
                if "w" in self.mode or "a" in self.mode:
                    file.flush()
                return buffer
            if "r" in self.mode:
                return io.BytesIO(file.read().encode(self.encoding))
            return _TextWriter(file, self.encoding)
        if "r" in self.mode and not hasattr(file, "read"):
            raise TypeError(
                "Expected a path or a file object opened for reading; "
                f"got {type(file).__name__}."
            )
        if "w" in self.mode and not hasattr(file, "write"):
            raise TypeError(
                "Expected a path or a file object opened for writing; "
                f"got {type(file).__name__}."
            )
        return file

    def __exit__(self, exc_type, exc, tb):
        if self._close is not None:
            self._close.close()
            if type(self._close) in _COMPRESSED and _damaged_archive(exc):
                raise ValueError(
                    f"{_name(self.file)}: cannot decompress the file (truncated "
                    f"or damaged, or not {_COMPRESSED[type(self._close)]} data "
                    f"despite its name): {type(exc).__name__}: {exc}"
                ) from exc


_COMPRESSED = {gzip.GzipFile: "gzip", bz2.BZ2File: "bzip2", lzma.LZMAFile: "xz/lzma"}


def _damaged_archive(exc):
    """A decompressor's error (not an error of the file system: those carry
    an errno)."""
    if isinstance(exc, (EOFError, zlib.error, lzma.LZMAError)):
        return True
    return isinstance(exc, OSError) and exc.errno is None


class _TextWriter:
    def __init__(self, file, encoding):
        self.file, self.encoding = file, encoding

    def write(self, data):
        return self.file.write(data.decode(self.encoding))


def _peek(file, n=1 << 16):
    """The first ``n`` bytes of a file (decompressed), without consuming it."""
    if isinstance(file, (str, os.PathLike)):
        with _Opened(file, "r") as f:
            return f.read(n)
    seekable = getattr(file, "seekable", None)
    if seekable is not None and seekable():
        pos = file.tell()
        data = file.read(n)
        file.seek(pos)
        if isinstance(data, str):
            data = data.encode("utf8")
        return data
    if hasattr(file, "peek") and not isinstance(file, io.TextIOBase):
        return file.peek(n)[:n]
    raise ValueError(
        f"Cannot detect the format of {_name(file)}: it is a non-seekable "
        "stream. Pass format='word2vec', 'word2vec_binary' or 'glove'."
    )


# -------------------------------------------------------------------- errors
def _error(name, where, expected, found, hint=""):
    msg = f"{name}, {where}: expected {expected}; found {found}."
    if hint:
        msg += " " + hint
    return ValueError(msg)


def _show(data, n=60):
    text = repr(data[:n])
    return text + ("..." if len(data) > n else "")


def _looks_binary(data):
    return b"\x00" in data or any(b < 9 for b in data[:200])


# -------------------------------------------------------------------- header
def _parse_header(line, name):
    parts = line.split()
    ok = len(parts) == 2 and all(p.isdigit() for p in parts)
    if not ok:
        if not line.strip():
            found = "an empty first line"
        else:
            found = _show(line.rstrip(b"\r\n"))
        raise _error(
            name,
            "line 1",
            "a header '<n_vectors> <vector_size>'",
            found,
            "Files without a header (GloVe) load with no_header=True, or "
            "use load_vectors(path), which detects the format.",
        )
    n, d = int(parts[0]), int(parts[1])
    if d < 1:
        raise _error(name, "line 1", "a vector size >= 1 in the header", f"{d}")
    return n, d


# ---------------------------------------------------------------- text read
def _parse_floats_fast(rests, d):
    """Parse ``rests`` (bytes, ``d`` space-separated numbers each) in bulk."""
    frame = pd.read_csv(
        io.BytesIO(b"\n".join(rests)),
        sep=" ",
        header=None,
        dtype=np.float64,
        na_filter=False,
        quoting=csv.QUOTE_NONE,
        engine="c",
        skip_blank_lines=False,
        index_col=False,
    )
    values = frame.to_numpy(dtype=np.float64)
    if values.shape != (len(rests), d):
        raise ValueError("shape")
    return values


def _parse_floats_slow(rests, d, name, first_line_no, lines):
    """Parse line by line; raise a precise error on the first bad line.

    Numbers may be separated by any ASCII whitespace here (the fast path
    needs single spaces).
    """
    out = np.empty((len(rests), d), dtype=np.float64)
    for i, rest in enumerate(rests):
        where = f"line {first_line_no + i}"
        tokens = rest.split()
        hint = ""
        if _looks_binary(lines[i]):
            hint = "This looks like a binary file: load it with binary=True."
        if len(tokens) != d:
            raise _error(
                name,
                where,
                f"a key followed by {d} numbers",
                f"{len(tokens)} numbers in {_show(lines[i])}",
                hint or "Is the vector size in the header right?",
            )
        for j, token in enumerate(tokens):
            try:
                if b"_" in token:  # float() takes "1_0"; numpy and gensim do not
                    raise ValueError(token)
                out[i, j] = float(token)
            except ValueError:
                raise _error(
                    name,
                    where,
                    f"a number as value {j + 1} of {d}",
                    _show(token),
                    hint,
                ) from None
    return out


class _TextBlocks:
    """Parse text lines into keys and float64 vectors, a block at a time."""

    def __init__(self, name, d, encoding, unicode_errors, datatype):
        self.name, self.d = name, d
        self.encoding, self.unicode_errors = encoding, unicode_errors
        self.datatype = np.dtype(datatype)
        self.keys, self.blocks, self.line_nos = [], [], []
        self.blank_line = None

    def add(self, lines, first_line_no):
        raw_keys, rests, kept, line_nos = [], [], [], []
        for i, line in enumerate(lines):
            line_no = first_line_no + i
            stripped = line.rstrip()
            if line_no == 1 and stripped.startswith(_BOM):
                stripped = stripped[len(_BOM) :]
            if not stripped:
                if self.blank_line is None:
                    self.blank_line = line_no
                continue
            if self.blank_line is not None:
                raise _error(
                    self.name,
                    f"line {self.blank_line}",
                    "a key followed by numbers (empty lines are only allowed "
                    "at the end of the file)",
                    "an empty line",
                )
            key, _, rest = stripped.partition(b" ")
            if not key:
                raise _error(
                    self.name,
                    f"line {line_no}",
                    "a key at the start of the line",
                    f"{_show(stripped)} (starts with a space)",
                )
            if self.d is None:
                self.d = len(rest.split())
                if self.d == 0:
                    raise _error(
                        self.name,
                        f"line {line_no}",
                        "a key followed by at least one number",
                        _show(stripped),
                    )
            raw_keys.append(key)
            rests.append(rest)
            kept.append(stripped)
            line_nos.append(line_no)
        if not raw_keys:
            return
        d = self.d
        values = None
        counts = [r.count(b" ") for r in rests]
        if min(counts) == max(counts) == d - 1:
            try:
                values = _parse_floats_fast(rests, d)
            except (ValueError, TypeError, IndexError):
                values = None
        if values is None:
            values = _parse_floats_slow_nos(rests, d, self.name, line_nos, kept)
        self.keys.extend(
            _decode_keys_lines(
                raw_keys, self.encoding, self.unicode_errors, self.name, line_nos
            )
        )
        with np.errstate(over="ignore"):  # beyond float32 range: +-inf
            if self.datatype != values.dtype:  # round as the caller asks
                values = values.astype(self.datatype)
            self.blocks.append(values.astype(np.float32))
        self.line_nos.extend(line_nos)


def _parse_floats_slow_nos(rests, d, name, line_nos, lines):
    out = np.empty((len(rests), d), dtype=np.float64)
    for i in range(len(rests)):
        out[i] = _parse_floats_slow([rests[i]], d, name, line_nos[i], [lines[i]])
    return out


def _decode_keys_lines(raw_keys, encoding, unicode_errors, name, line_nos):
    try:
        return [k.decode(encoding, unicode_errors) for k in raw_keys]
    except UnicodeDecodeError:
        for k, line_no in zip(raw_keys, line_nos, strict=True):
            try:
                k.decode(encoding, unicode_errors)
            except UnicodeDecodeError as exc:
                hint = (
                    "Pass unicode_errors='replace' or 'ignore', or the right encoding=."
                )
                if _looks_binary(k):
                    hint = "This looks like a binary file: load it with binary=True."
                raise _error(
                    name,
                    f"line {line_no}",
                    f"a key in {encoding}",
                    f"{_show(k)} ({exc.reason})",
                    hint,
                ) from None
        raise  # pragma: no cover


def _read_text(f, name, n, d, first_line_no, limit, encoding, unicode_errors, datatype):
    parser = _TextBlocks(name, d, encoding, unicode_errors, datatype)
    block, block_start, line_no = [], first_line_no, first_line_no
    n_read = 0
    cap = limit if limit is not None else None
    for line in f:
        if cap is not None and n_read >= cap and line.strip():
            break
        block.append(line)
        if line.strip():
            n_read += 1
        line_no += 1
        if len(block) >= _BLOCK_LINES:
            parser.add(block, block_start)
            block, block_start = [], line_no
    if block:
        parser.add(block, block_start)
    keys = parser.keys
    if n is not None:
        expected = n if limit is None else min(n, limit)
        if len(keys) != expected:
            if len(keys) < expected:
                raise _error(
                    name,
                    f"line {first_line_no - 1}",
                    f"{expected} vectors, as the header announces",
                    f"only {len(keys)} (is the file truncated, or the header "
                    "count wrong?)",
                )
            raise _error(
                name,
                f"line {parser.line_nos[expected]}",
                f"no more vectors after the {n} the header announces",
                f"vector {expected + 1} ({keys[expected]!r})",
                "Is the header count wrong? (limit= reads only the first vectors.)",
            )
    if not keys:
        raise ValueError(f"{name}: the file holds no vectors.")
    d = parser.d
    vectors = (
        np.concatenate(parser.blocks) if len(parser.blocks) > 1 else parser.blocks[0]
    )
    return keys, vectors.reshape(len(keys), d), parser.line_nos


# -------------------------------------------------------------- binary read
def _read_binary(
    f, name, n, d, header_bytes, limit, encoding, unicode_errors, datatype
):
    if limit is not None:
        n = min(n, limit)
    nbytes = 4 * d
    # vectors go to blocks: a lying header cannot make us allocate more than
    # the file holds (blocks of at most ~64 MB, the first one allocated once
    # the first vector's bytes are in hand)
    blocks, cap, j = [], max(1, min(n, (1 << 26) // nbytes)), 0
    block = out = None
    raw_keys, offsets = [], []
    buf = b""
    view = memoryview(buf)
    base = header_bytes  # file offset of buf[0]
    pos = 0
    eof = False
    for i in range(n):
        while True:
            space = buf.find(b" ", pos)
            if space != -1 and len(buf) - space - 1 >= nbytes:
                break
            if eof:
                where = f"byte offset {base + pos}"
                if space == -1:
                    found = (
                        "the end of the file"
                        if not buf[pos:].strip()
                        else f"{_show(buf[pos:])} and then the end of the file"
                    )
                    raise _error(
                        name,
                        where,
                        f"vector {i + 1} of {n}: a key followed by a space",
                        found,
                        "The file is truncated or the header count is wrong.",
                    )
                raise _error(
                    name,
                    where,
                    f"vector {i + 1} of {n} ({_show(buf[pos:space])}): "
                    f"{nbytes} bytes ({d} float32)",
                    f"only {len(buf) - space - 1} bytes before the end of the file",
                    "The file is truncated, or the header's vector size is wrong.",
                )
            # read what the record needs (at least a chunk) in one go, in
            # bounded pieces: no quadratic re-copying for long vectors
            need = _BINARY_CHUNK
            if space != -1:
                need = max(need, space + 1 + nbytes - len(buf))
            pieces, got = [buf[pos:]], 0
            while got < need:
                chunk = f.read(min(need - got, 1 << 26))
                if not chunk:
                    eof = True
                    break
                pieces.append(chunk)
                got += len(chunk)
            base += pos
            buf = b"".join(pieces)
            view = memoryview(buf)
            pos = 0
        key = buf[pos:space]
        stripped = key.lstrip(b"\n")  # word2vec.c ends each vector with "\n"
        if not stripped or b"\n" in stripped or len(stripped) > 100_000:
            raise _error(
                name,
                f"byte offset {base + pos}",
                f"vector {i + 1} of {n}: a key followed by a space and {d} float32",
                f"the key {_show(key)}",
                "Is this a text file (binary=False), or is the header's vector "
                "size wrong?",
            )
        raw_keys.append(stripped)
        offsets.append(base + pos + len(key) - len(stripped))
        if block is None or j == cap:
            if block is not None:
                blocks.append(block)
            block, j = np.empty((min(n - i, cap), d), dtype=np.float32), 0
            out = memoryview(block).cast("B")
        pos = space + 1 + nbytes
        out[j * nbytes : (j + 1) * nbytes] = view[space + 1 : pos]
        j += 1
    if limit is None or n < limit:
        rest = buf[pos:] + (b"" if eof else f.read(_BINARY_CHUNK))
        if rest.strip():
            raise _error(
                name,
                f"byte offset {base + pos}",
                f"the end of the file after the {n} vectors the header announces",
                f"more data: {_show(rest.strip())}",
                "Is the header count wrong? (limit= reads only the first vectors.)",
            )
    try:
        keys = [k.decode(encoding, unicode_errors) for k in raw_keys]
    except UnicodeDecodeError:
        for k, off in zip(raw_keys, offsets, strict=True):
            try:
                k.decode(encoding, unicode_errors)
            except UnicodeDecodeError as exc:
                raise _error(
                    name,
                    f"byte offset {off}",
                    f"a key in {encoding}",
                    f"{_show(k)} ({exc.reason})",
                    "Pass unicode_errors='replace' or 'ignore', or the right "
                    "encoding=.",
                ) from None
        raise  # pragma: no cover
    blocks.append(block)
    vectors = np.concatenate(blocks) if len(blocks) > 1 else block
    if sys.byteorder == "big":  # the format stores little-endian float32
        vectors = vectors.byteswap()
    if np.dtype(datatype) != vectors.dtype:
        vectors = vectors.astype(datatype).astype(np.float32)
    return keys, vectors, offsets


# ---------------------------------------------------------------- duplicates
def _dedupe(keys, vectors, where, name, on_duplicate, unit):
    index = {}
    duplicates = []
    for i, key in enumerate(keys):
        j = index.setdefault(key, i)
        if j != i:
            duplicates.append((j, i))
    if not duplicates:
        return keys, vectors
    if on_duplicate == "error":
        j, i = duplicates[0]
        raise ValueError(
            f"{name}, {unit} {where[i]}: expected unique keys; found {keys[i]!r} "
            f"again (first at {unit} {where[j]}; {len(duplicates)} duplicate "
            "row(s) in all). Pass on_duplicate='first' or 'last' to keep one."
        )
    drop = np.zeros(len(keys), dtype=bool)
    for _, i in duplicates:
        drop[i] = True
        if on_duplicate == "last":
            vectors[index[keys[i]]] = vectors[i]
    keep = np.flatnonzero(~drop)
    return [keys[i] for i in keep], vectors[keep]


# ------------------------------------------------------------------- public
def read_word2vec(
    file,
    *,
    binary=False,
    no_header=False,
    limit=None,
    encoding="utf8",
    unicode_errors="strict",
    datatype=np.float32,
    on_duplicate="error",
):
    """Read a word2vec text/binary, GloVe or fastText ``.vec`` file.

    Returns ``(keys, vectors)``: a list of str and a C-contiguous float32
    array. Values are parsed as float64, rounded to ``datatype``, stored
    as float32. See :meth:`skembed.KeyedVectors.load_word2vec_format`.
    """
    name = _name(file)
    if on_duplicate not in _ON_DUPLICATE:
        raise ValueError(
            f"on_duplicate must be one of {_ON_DUPLICATE}; got {on_duplicate!r}."
        )
    if limit is not None and (not isinstance(limit, (int, np.integer)) or limit < 1):
        raise ValueError(f"limit must be None or a positive int; got {limit!r}.")
    if binary and no_header:
        raise ValueError(
            "no_header=True is only supported for text files (binary=False): "
            "the binary format needs the header's vector size."
        )
    with _Opened(file, "r", encoding) as f:
        if no_header:
            keys, values, where = _read_text(
                f, name, None, None, 1, limit, encoding, unicode_errors, datatype
            )
            unit = "line"
        else:
            header = f.readline()
            if header.startswith(_BOM):
                header = header[len(_BOM) :]
                header_bytes = len(header) + len(_BOM)
            else:
                header_bytes = len(header)
            if not header:
                raise ValueError(f"{name}: the file is empty; expected a header line.")
            n, d = _parse_header(header, name)
            if n == 0:
                keys, values, where = [], np.empty((0, d)), []
            elif binary:
                keys, values, where = _read_binary(
                    f,
                    name,
                    n,
                    d,
                    header_bytes,
                    limit,
                    encoding,
                    unicode_errors,
                    datatype,
                )
                unit = "byte offset"
            else:
                keys, values, where = _read_text(
                    f, name, n, d, 2, limit, encoding, unicode_errors, datatype
                )
                unit = "line"
    if keys:
        keys, values = _dedupe(keys, values, where, name, on_duplicate, unit)
    return keys, np.ascontiguousarray(values, dtype=np.float32)


def _check_keys_for_file(keys):
    out = []
    for i, key in enumerate(keys):
        text = key if isinstance(key, str) else str(key)
        if not text or _WHITESPACE.search(text):
            raise ValueError(
                f"Key {key!r} (row {i}) cannot be written to a word2vec file: keys "
                "must be non-empty and contain no ASCII whitespace (space, tab, "
                "newline, CR, VT, FF). Replace it first, e.g. key.replace(' ', '_')."
            )
        out.append(text)
    if len(set(out)) != len(out):
        seen = {}
        for i, text in enumerate(out):
            if text in seen:
                raise ValueError(
                    f"Keys {keys[seen[text]]!r} (row {seen[text]}) and {keys[i]!r} "
                    f"(row {i}) are both written as {text!r}: the file would hold "
                    "a duplicate key."
                )
            seen[text] = i
    return out


def write_word2vec(file, keys, vectors, *, binary=False, write_header=True):
    """Write vectors in the word2vec text or binary format, as gensim does.

    Text values are written with ``str(np.float32(x))`` (shortest repr that
    round-trips), so files are byte-identical to gensim's. Non-str keys are
    written as ``str(key)`` and read back as str.
    """
    if binary and not write_header:
        raise ValueError(
            "write_header=False is only supported for text files: the binary "
            "format needs the header's vector size."
        )
    texts = _check_keys_for_file(keys)
    vectors = np.asarray(vectors, dtype=np.float32)
    n, d = vectors.shape
    with _Opened(file, "w") as f:
        if write_header:
            f.write(f"{n} {d}\n".encode())
        if binary:
            little = vectors.astype("<f4", copy=False)
            parts = []
            for i, text in enumerate(texts):
                parts.append(f"{text} ".encode())
                parts.append(little[i].tobytes())
                if len(parts) >= 2 * _BLOCK_LINES:
                    f.write(b"".join(parts))
                    parts = []
            f.write(b"".join(parts))
        else:
            lines = []
            for text, row in zip(texts, vectors, strict=True):
                lines.append(f"{text} {' '.join(map(str, row))}\n")
                if len(lines) >= _BLOCK_LINES:
                    f.write("".join(lines).encode("utf8"))
                    lines = []
            f.write("".join(lines).encode("utf8"))


def write_vocab(file, keys, counts):
    """Write ``"<key> <count>"`` lines (word2vec.c's ``-save-vocab`` format)."""
    texts = _check_keys_for_file(keys)
    with _Opened(file, "w") as f:
        f.write(
            "".join(
                f"{t} {int(c)}\n" for t, c in zip(texts, counts, strict=True)
            ).encode("utf8")
        )


def read_vocab(file, *, encoding="utf8", unicode_errors="strict"):
    """Read a ``"<key> <count>"`` vocabulary file into a dict."""
    name = _name(file)
    table = {}
    with _Opened(file, "r", encoding) as f:
        for line_no, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit():
                raise _error(
                    name,
                    f"line {line_no}",
                    "'<key> <count>' with an integer count",
                    _show(line.rstrip(b"\r\n")),
                )
            key = parts[0].decode(encoding, unicode_errors)
            if key in table:
                raise _error(name, f"line {line_no}", "unique keys", f"{key!r} again")
            table[key] = int(parts[1])
    return table


def sniff_format(file):
    """Guess the format of a vector file from its first bytes.

    Returns one of ``"npz"``, ``"fasttext_bin"``, ``"word2vec_binary"``, ``"word2vec"`` (text with
    a header, fastText ``.vec`` too) or ``"glove"`` (text without header).
    """
    name = _name(file)
    head = _peek(file)
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    if not head.strip():
        raise ValueError(f"{name}: the file is empty; expected vectors.")
    if head.startswith(_NPZ_MAGIC):
        return "npz"
    if head.startswith(_FASTTEXT_MAGIC) or (
        b"\0" in head[:4] and not re.match(rb"\s*\d+\s+\d+\s*\n", head)
    ):
        # fastText .bin (its reader explains the files of other versions);
        # word2vec files start with a "<n> <dim>" text line
        return "fasttext_bin"
    first, newline, rest = head.partition(b"\n")
    parts = first.split()
    if len(parts) == 2 and all(p.isdigit() for p in parts) and newline:
        d = int(parts[1])
        # text if the next line is a key and d numbers, binary otherwise
        line = rest.split(b"\n", 1)[0]  # (maybe cut short by the 64 kB window)
        tokens = line.split()
        if len(tokens) == d + 1 and _all_numbers(tokens[1:]):
            return "word2vec"
        if not rest.strip():
            return "word2vec"  # header only
        if len(tokens) >= 2 and _all_numbers(tokens[1:]) and _is_text(line):
            if len(tokens) == 2 and d != 1:
                return "glove"  # "<key> <number>" lines: 1-d vectors, no header
            return "word2vec"  # text; the reader reports a wrong count
        return "word2vec_binary"
    tokens = first.split()
    if len(tokens) >= 2 and _all_numbers(tokens[1:]):
        return "glove"
    raise ValueError(
        f"{name}, line 1: expected a header '<n_vectors> <vector_size>' or a key "
        f"followed by numbers; found {_show(first)}."
    )


def _is_text(line):
    try:
        line.decode("utf8")
    except UnicodeDecodeError:
        return False
    return not any(b < 32 and b not in b"\t\r\x0b\x0c" for b in line)


def _all_numbers(tokens):
    try:
        for t in tokens:
            float(t)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- npz format
_NPZ_FORMAT = "skembed.KeyedVectors"
_NPZ_VERSION = 2


def _encode_key(key):
    if isinstance(key, (bool, np.bool_)):
        return {"b": bool(key)}
    if isinstance(key, str):
        return key
    if isinstance(key, (int, np.integer)):
        return {"i": int(key)}
    if isinstance(key, (float, np.floating)):
        return {"f": float(key)}
    if isinstance(key, tuple):
        return {"t": [_encode_key(k) for k in key]}
    if key is None:
        return {"n": None}
    raise ValueError(
        f"Key {key!r} of type {type(key).__name__} cannot be saved: keys must "
        "be str, int, float, bool, None or tuples of those."
    )


def _decode_key(obj):
    if isinstance(obj, str):
        return obj
    ((tag, value),) = obj.items()
    if tag == "i":
        return int(value)
    if tag == "f":
        return float(value)
    if tag == "b":
        return bool(value)
    if tag == "t":
        return tuple(_decode_key(v) for v in value)
    return None


def write_npz(file, keys, vectors, counts=None, subwords=None):
    """Save keys (as JSON), vectors, counts and an n-gram table
    (:class:`SubwordTable`) to an ``.npz`` file, no pickle. Files with
    n-grams are version 2, so that an older reader refuses them rather than
    dropping the n-grams."""
    meta = {
        "format": _NPZ_FORMAT,
        "version": 1 if subwords is None else _NPZ_VERSION,
        "keys": [_encode_key(k) for k in keys],
    }
    arrays = {
        "vectors": np.ascontiguousarray(vectors, dtype=np.float32),
    }
    if counts is not None:
        arrays["counts"] = np.asarray(counts, dtype=np.int64)
    if subwords is not None:
        meta["subwords"] = {
            "min_n": subwords.min_n,
            "max_n": subwords.max_n,
            "bucket": subwords.bucket,
            "cjk_ngram_range": subwords.cjk_ngram_range,
        }
        arrays["ngram_vectors"] = np.ascontiguousarray(subwords.vectors, np.float32)
        if subwords.bucket_rows is not None:
            arrays["bucket_rows"] = subwords.bucket_rows
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
    if isinstance(file, (str, os.PathLike)):
        with open(file, "wb") as f:  # np.savez would append ".npz" to the name
            np.savez(f, **arrays)
    else:
        np.savez(file, **arrays)


def read_npz(file):
    """Load what :func:`write_npz` saved. Never unpickles."""
    name = _name(file)
    try:
        with np.load(file, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"][()]))
            vectors = data["vectors"]
            counts = data["counts"] if "counts" in data.files else None
            ngrams = data["ngram_vectors"] if "ngram_vectors" in data.files else None
            rows = data["bucket_rows"] if "bucket_rows" in data.files else None
    except (KeyError, ValueError, OSError, json.JSONDecodeError) as exc:
        raise ValueError(
            f"{name}: expected a KeyedVectors .npz file (saved by "
            f"KeyedVectors.save); could not read it: {exc}"
        ) from None
    if meta.get("format") != _NPZ_FORMAT or meta.get("version", 0) > _NPZ_VERSION:
        raise ValueError(
            f"{name}: expected format {_NPZ_FORMAT!r} version <= {_NPZ_VERSION}; "
            f"found {meta.get('format')!r} version {meta.get('version')!r}."
        )
    keys = [_decode_key(k) for k in meta["keys"]]
    subwords = None
    if "subwords" in meta:
        if ngrams is None:
            raise ValueError(f"{name}: the n-gram vectors are missing from the file.")
        sizes = dict(meta["subwords"])
        cjk = sizes.pop("cjk_ngram_range", None)
        subwords = SubwordTable(
            ngrams,
            bucket_rows=rows,
            cjk_ngram_range=None if cjk is None else tuple(cjk),
            **sizes,
        )
    return keys, vectors, counts, subwords
