"""Character n-gram (subword) tables of fastText models.

A word's n-grams are those of fastText: the character n-grams, ``min_n`` to
``max_n`` characters long, of ``"<" + word + ">"`` (the angle brackets mark
the word's boundaries; the lone ``"<"`` and ``">"`` are not n-grams),
hashed with fastText's 32-bit FNV-1a variant into ``bucket`` buckets. The
hashing is byte-for-byte fastText's, so the tables of Facebook's ``.bin``
models are used as they are.

:class:`SubwordTable` holds the bucket vectors and computes the vector of any
word from them: the mean of its known n-gram vectors. A model trained by
skembed stores only the buckets that some vocabulary word uses (the only ones
training ever updates) and a ``bucket -> row`` map, so its memory is
``n_used_buckets x dim`` floats plus 4 bytes per bucket, not ``bucket x
dim`` floats; a Facebook model stores all ``bucket`` rows.
"""

import re
from numbers import Integral

import numpy as np

from .._engine import _subword_kernels as _sk
from .._fitted import check_array, expect

#: Character ranges treated as CJK (the scripts written without spaces
#: between words, plus Hangul, as Lucene's CJKBigramFilter): Hiragana,
#: Katakana, CJK Unified Ideographs and extension A, Hangul syllables,
#: compatibility ideographs, and the supplementary ideograph planes
#: (extensions B-F and compatibility supplement). The text family's CJK
#: tokeniser uses the same ranges (``_text/_analyzer.py`` imports them).
CJK_CHARACTERS = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0002fa1f"  # Extensions B-F, compatibility supplement
)
_HAS_CJK = re.compile(f"[{CJK_CHARACTERS}]")

__all__ = [
    "CJK_CHARACTERS", "SubwordTable", "check_ngram_range", "encode_words",
    "ngram_buckets", "subword_rows",
]


def check_ngram_range(min_n, max_n, bucket, *, where="", hint=""):
    """Validate fastText's n-gram parameters with errors that name them."""
    for name, value in (("min_n", min_n), ("max_n", max_n), ("bucket", bucket)):
        if not isinstance(value, Integral) or isinstance(value, bool):
            raise TypeError(
                f"{where}{name} must be an int; got {type(value).__name__} {value!r}."
            )
    if min_n < 1:
        raise ValueError(f"{where}min_n must be >= 1 (characters); got {min_n}.")
    if max_n < min_n:
        raise ValueError(
            f"{where}min_n must be <= max_n; got min_n={min_n} > max_n={max_n}. "
            "n-grams of min_n to max_n characters are used (fastText: 3 to 6)."
        )
    if bucket < 1:
        raise ValueError(
            f"{where}bucket must be >= 1 (the number of hashed n-gram rows); got "
            f"{bucket}.{hint}"
        )
    if bucket > np.iinfo(np.int32).max:
        raise ValueError(f"{where}bucket must be < 2**31; got {bucket}.")


def encode_words(words, raw=None):
    """UTF-8 bytes of ``"<" + word + ">"`` of each word, concatenated:
    ``(data uint8, offsets int64)``. ``raw`` (bytes per word) replaces the
    encoding (the exact bytes of a fastText file's words)."""
    if raw is None:
        parts = [b"<" + w.encode("utf-8", "surrogatepass") + b">" for w in words]
    else:
        parts = [b"<" + b + b">" for b in raw]
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    if parts:
        np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)),
                  out=offsets[1:])
    data = np.frombuffer(b"".join(parts), dtype=np.uint8)
    return (data if data.size else np.zeros(1, dtype=np.uint8)), offsets


def ngram_buckets(words, min_n, max_n, bucket, *, raw=None, skip=None, cjk=None):
    """CSR ``(indptr int64, buckets int64)`` of the n-gram buckets of each
    word, in fastText's order (duplicates kept). ``skip[w]`` words get none.
    ``cjk=(min_n, max_n)``: the n-gram lengths of words that contain a CJK
    character."""
    data, offsets = encode_words(words, raw)
    n = offsets.shape[0] - 1
    if skip is None:
        skip = np.zeros(n, dtype=np.bool_)
    min_ns = np.full(n, int(min_n), dtype=np.int64)
    max_ns = np.full(n, int(max_n), dtype=np.int64)
    if cjk is not None and tuple(cjk) != (min_n, max_n):
        search = _HAS_CJK.search
        rows = [i for i, w in enumerate(words) if search(w)]
        min_ns[rows] = int(cjk[0])
        max_ns[rows] = int(cjk[1])
    return _sk.ngram_buckets(data, offsets, min_ns, max_ns, int(bucket), skip)


def subword_rows(words, min_n, max_n, bucket, cjk=None):
    """The input rows of each vocabulary word for training.

    Returns ``(sub_indptr, sub_ids, used)``: word ``w`` is the mean of rows
    ``sub_ids[sub_indptr[w]:sub_indptr[w + 1]]`` -- its own row ``w``, then
    the rows of its n-grams, numbered ``len(words) + k`` for the ``k``-th
    bucket of ``used`` (the sorted buckets some word uses).
    """
    n = len(words)
    ng_indptr, ng = ngram_buckets(words, min_n, max_n, bucket, cjk=cjk)
    used, inverse = np.unique(ng, return_inverse=True)
    sub_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.diff(ng_indptr) + 1, out=sub_indptr[1:])
    sub_ids = np.empty(sub_indptr[-1], dtype=np.int32)
    own = sub_indptr[:-1]
    sub_ids[own] = np.arange(n, dtype=np.int32)
    mask = np.ones(sub_ids.shape[0], dtype=bool)
    mask[own] = False
    sub_ids[mask] = inverse.reshape(-1) + n
    return sub_indptr, sub_ids, used


class SubwordTable:
    """Hashed character n-gram vectors: vectors for words never seen.

    Parameters
    ----------
    vectors : ndarray of float32, shape (n_rows, vector_size)
        The n-gram (bucket) vectors.
    min_n, max_n : int
        Lengths, in characters, of the n-grams.
    bucket : int
        Number of hash buckets.
    cjk_ngram_range : (int, int) or None, default=None
        n-gram lengths of the words that contain a CJK character; ``None``:
        ``min_n`` to ``max_n`` for every word (as fastText).
    bucket_rows : ndarray of int32, shape (bucket,), or None
        Row of ``vectors`` of each bucket, -1 for a bucket that no training
        word used (an unknown n-gram). ``None``: row ``b`` is bucket ``b``
        (a full table, as in Facebook's ``.bin`` files; ``n_rows ==
        bucket``).

    Attributes
    ----------
    n_known_buckets : int
        Buckets with a vector.
    nbytes : int
        Memory of the table.
    """

    def __init__(self, vectors, *, min_n, max_n, bucket, bucket_rows=None,
                 cjk_ngram_range=None):
        check_ngram_range(min_n, max_n, bucket)
        if cjk_ngram_range is not None:
            check_ngram_range(*cjk_ngram_range, bucket, where="cjk_ngram_range: ")
            cjk_ngram_range = (int(cjk_ngram_range[0]), int(cjk_ngram_range[1]))
        vectors = np.asarray(vectors)
        if vectors.ndim != 2:
            raise ValueError(
                f"n-gram vectors must be 2-D; got shape {vectors.shape}."
            )
        if vectors.dtype != np.float32 or not vectors.flags.c_contiguous:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if bucket_rows is None:
            if vectors.shape[0] != bucket:
                raise ValueError(
                    f"a full n-gram table needs one row per bucket: {bucket} "
                    f"rows; got {vectors.shape[0]}."
                )
        else:
            bucket_rows = np.ascontiguousarray(bucket_rows, dtype=np.int32)
            if bucket_rows.shape != (bucket,):
                raise ValueError(
                    f"bucket_rows must have shape ({bucket},); got "
                    f"{bucket_rows.shape}."
                )
            if bucket_rows.size and (
                bucket_rows.min() < -1 or bucket_rows.max() >= vectors.shape[0]
            ):
                raise ValueError(
                    f"bucket_rows must hold -1 or rows in [0, {vectors.shape[0]})."
                )
        self.vectors = vectors
        self.min_n = int(min_n)
        self.max_n = int(max_n)
        self.bucket = int(bucket)
        self.bucket_rows = bucket_rows
        self.cjk_ngram_range = cjk_ngram_range

    @property
    def vector_size(self):
        return self.vectors.shape[1]

    @property
    def n_known_buckets(self):
        if self.bucket_rows is None:
            return self.bucket
        return int(np.count_nonzero(self.bucket_rows >= 0))

    @property
    def nbytes(self):
        extra = 0 if self.bucket_rows is None else self.bucket_rows.nbytes
        return int(self.vectors.nbytes + extra)

    def __repr__(self):
        return (
            f"<SubwordTable: n-grams of {self.min_n}-{self.max_n} characters, "
            f"{self.bucket} buckets ({self.n_known_buckets} known), "
            f"vector_size={self.vector_size}>"
        )

    def ngrams(self, word):
        """The character n-grams of ``word`` (strings, fastText's order).

        Examples
        --------
        >>> import numpy as np
        >>> from skembed._vectors._subwords import SubwordTable
        >>> table = SubwordTable(np.zeros((10, 2)), min_n=3, max_n=4, bucket=10)
        >>> table.ngrams("cat")
        ['<ca', '<cat', 'cat', 'cat>', 'at>']
        """
        text = "<" + word + ">"
        lo, hi = self.min_n, self.max_n
        if self.cjk_ngram_range is not None and _HAS_CJK.search(word):
            lo, hi = self.cjk_ngram_range
        out = []
        for i in range(len(text)):
            for n in range(1, hi + 1):
                if i + n > len(text):
                    break
                if n >= lo and not (n == 1 and (i == 0 or i + n == len(text))):
                    out.append(text[i : i + n])
        return out

    def word_vectors(self, words):
        """Mean of the known n-gram vectors of each word.

        Returns ``(vectors float32 (n, vector_size), n_known int64 (n,))``:
        a word without a known n-gram gets a zero vector (``n_known`` 0).
        """
        words = list(words)
        indptr, buckets = ngram_buckets(
            words, self.min_n, self.max_n, self.bucket, cjk=self.cjk_ngram_range
        )
        out = np.empty((len(words), self.vector_size), dtype=np.float32)
        rows = (
            np.zeros(0, dtype=np.int32) if self.bucket_rows is None else self.bucket_rows
        )
        known = _sk.oov_vectors(indptr, buckets, rows, 0, self.vectors, out)
        return out, known

    def __getstate__(self):
        state = self.__dict__.copy()
        state["vectors"] = np.asarray(self.vectors)  # a memory map pickles as data
        return state

    def _persist_state(self):
        """What :func:`skembed.save_model` stores (see :mod:`skembed._fitted`)."""
        return {
            "vectors": np.array(self.vectors),
            "min_n": self.min_n,
            "max_n": self.max_n,
            "bucket": self.bucket,
            "bucket_rows": self.bucket_rows,
            "cjk_ngram_range": self.cjk_ngram_range,
        }

    @classmethod
    def _persist_build(cls, state, path):
        """Rebuild from :meth:`_persist_state`; ValueError if it is not one."""
        vectors = expect(state.get("vectors"), np.ndarray, f"{path}.vectors")
        check_array(vectors, np.float32, 2, f"{path}.vectors")
        rows = state.get("bucket_rows")
        if rows is not None:
            rows = expect(rows, np.ndarray, f"{path}.bucket_rows")
            check_array(rows, np.int32, 1, f"{path}.bucket_rows")
        sizes = {k: state.get(k) for k in ("min_n", "max_n", "bucket")}
        for key, value in sizes.items():
            if type(value) is not int:
                raise ValueError(f"{path}.{key}: expected an int.")
        cjk = state.get("cjk_ngram_range")
        if cjk is not None and not (
            type(cjk) is tuple and len(cjk) == 2 and all(type(v) is int for v in cjk)
        ):
            raise ValueError(f"{path}.cjk_ngram_range: expected None or two ints.")
        try:
            return cls(vectors, bucket_rows=rows, cjk_ngram_range=cjk, **sizes)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from None
