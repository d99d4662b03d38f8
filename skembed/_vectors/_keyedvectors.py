"""KeyedVectors: a key -> vector table with similarity queries and file I/O.

The class every estimator exposes for inspection (``wv_`` and friends) and
the entry point for pretrained vectors. File formats live in :mod:`._formats`.
"""

import warnings

import numpy as np
from scipy import stats

from .._fitted import expect
from ._fasttext_bin import load_fasttext_bin
from ._formats import (
    _name,
    _Opened,
    read_npz,
    read_vocab,
    read_word2vec,
    sniff_format,
    write_npz,
    write_vocab,
    write_word2vec,
)
from ._subwords import SubwordTable

__all__ = ["KeyedVectors", "load_vectors"]


def _as_vectors(vectors, n_keys):
    vectors = np.asarray(vectors)
    if vectors.ndim != 2:
        raise ValueError(
            "vectors must be a 2-D array of shape (n_keys, vector_size); "
            f"got an array with shape {vectors.shape}."
        )
    if vectors.shape[0] != n_keys:
        raise ValueError(
            f"vectors has {vectors.shape[0]} rows but {n_keys} keys were given; "
            "expected one row per key."
        )
    if not (np.issubdtype(vectors.dtype, np.number) or vectors.dtype == bool):
        raise ValueError(
            f"vectors must be numeric; got an array of dtype {vectors.dtype}."
        )
    return np.ascontiguousarray(vectors, dtype=np.float32)


class KeyedVectors:
    """A table of vectors indexed by keys (words, item ids, node ids).

    Rows are stored as a C-contiguous float32 array; ``index_to_key`` and
    ``key_to_index`` map rows to keys and back. Similarity queries use cosine
    similarity, with the conventions of gensim's ``KeyedVectors``.

    ``kv[key]`` is the vector of one key and ``kv[[key1, key2]]`` (a list or
    an array of keys) a 2-D array of rows; any other hashable, a tuple
    included, is looked up as one key. A missing key raises ``KeyError``;
    ``key in kv``, ``kv.get_vector(key, default=...)`` and
    ``kv.get_indices(keys)`` avoid it. Integers are keys, never row numbers.
    ``len(kv)`` is the number of keys and iterating yields the keys in row
    order.

    Files: :meth:`load_word2vec_format` / :meth:`save_word2vec_format` (word2vec
    text and binary, GloVe, fastText ``.vec``, byte-compatible with gensim),
    :func:`load_vectors` (format detection) and :meth:`save` / :meth:`load`
    (a pickle-free ``.npz``).

    Parameters
    ----------
    keys : sequence of hashable
        The key of each row, unique. Keys must be ``str`` to be written to
        the word2vec file formats.
    vectors : array-like of shape (n_keys, vector_size)
        The vectors, converted to C-contiguous float32.
    counts : array-like of int of shape (n_keys,), default=None
        Optional frequency of each key (e.g. the training-corpus count).
    subwords : SubwordTable or None, default=None
        Character n-gram vectors (fastText): with them, a str key outside
        the vocabulary still has a vector, the mean of its known n-gram
        vectors (zero when none is known), in ``kv[key]``,
        :meth:`get_vector` and the similarity queries. ``key in kv`` stays
        "has its own row". Set by :class:`FastTextVectorizer` and by
        :func:`load_vectors` for fastText ``.bin`` models.

    Attributes
    ----------
    index_to_key : list
        Key of each row.
    key_to_index : dict
        Row of each key.
    vectors : ndarray of shape (n_keys, vector_size), dtype float32
        The vectors.
    vector_size : int
        Number of dimensions.
    counts : ndarray of shape (n_keys,), dtype int64, or None
        Frequency of each key, when known.
    subwords : SubwordTable or None
        The n-gram vectors that give out-of-vocabulary words a vector.

    See Also
    --------
    load_vectors : Load vectors from a word2vec / GloVe / fastText file.

    Examples
    --------
    >>> import numpy as np
    >>> from skembed import KeyedVectors
    >>> kv = KeyedVectors(["cat", "dog", "car"],
    ...                   [[1.0, 0.1], [0.9, 0.2], [0.0, 1.0]])
    >>> len(kv), kv.vector_size
    (3, 2)
    >>> kv["dog"]
    array([0.9, 0.2], dtype=float32)
    >>> "cow" in kv
    False
    >>> kv.get_index("car")
    2
    >>> kv[["car", "cat"]].shape
    (2, 2)
    >>> kv.get_indices(["cat", "cow"])
    array([ 0, -1])
    >>> kv.most_similar("cat", topn=1)
    [('dog', 0.99...)]
    """

    def __init__(self, keys, vectors, *, counts=None, subwords=None):
        if isinstance(keys, (str, bytes)):
            raise ValueError(
                "keys must be a sequence of keys, not a single "
                f"{type(keys).__name__}; got {keys!r}."
            )
        keys = list(keys)
        self._vectors = _as_vectors(vectors, len(keys))
        key_to_index = {}
        for i, key in enumerate(keys):
            try:
                previous = key_to_index.setdefault(key, i)
            except TypeError:
                raise TypeError(
                    f"keys must be hashable; key at position {i} is an "
                    f"unhashable {type(key).__name__}: {key!r}."
                ) from None
            if previous != i:
                raise ValueError(
                    f"keys must be unique; key {key!r} appears at positions "
                    f"{previous} and {i}."
                )
        self.index_to_key = keys
        self.key_to_index = key_to_index
        if counts is not None:
            counts = np.asarray(counts)
            if counts.shape != (len(keys),):
                raise ValueError(
                    f"counts must have shape ({len(keys)},), one count per key; "
                    f"got shape {counts.shape}."
                )
            counts = counts.astype(np.int64)
        self.counts = counts
        if subwords is not None:
            if not isinstance(subwords, SubwordTable):
                raise TypeError(
                    "subwords must be a SubwordTable or None; got "
                    f"{type(subwords).__name__}."
                )
            if subwords.vector_size != self._vectors.shape[1]:
                raise ValueError(
                    f"subwords has vectors of size {subwords.vector_size} but the "
                    f"keys' vectors have size {self._vectors.shape[1]}."
                )
        self.subwords = subwords
        self._normed = None
        self._norms = None

    # ------------------------------------------------------------------ basics
    @property
    def vectors(self):
        """The vectors, shape (n_keys, vector_size), C-contiguous float32.

        Assigning a new array validates it (one row per key) and drops the
        cached unit vectors; after editing rows in place, call
        ``fill_norms(force=True)``.
        """
        return self._vectors

    @vectors.setter
    def vectors(self, value):
        self._vectors = _as_vectors(value, len(self.index_to_key))
        self._normed = None
        self._norms = None

    @property
    def vector_size(self):
        """Number of dimensions of the vectors."""
        return self.vectors.shape[1]

    def __len__(self):
        return len(self.index_to_key)

    def __iter__(self):
        return iter(self.index_to_key)

    def __contains__(self, key):
        try:
            return key in self.key_to_index
        except TypeError:  # unhashable: a list or an array is never a key
            return False

    def has_index_for(self, key):
        """Whether ``key`` has a row (same as ``key in kv``)."""
        return key in self

    def __repr__(self):
        sub = "" if self.subwords is None else (
            f", subwords={self.subwords.min_n}-{self.subwords.max_n} characters"
        )
        return (
            f"<{type(self).__name__}: {len(self)} keys, vector_size={self.vector_size}"
            f"{sub}>"
        )

    def _subword_vector(self, key):
        """The n-gram vector of an out-of-vocabulary str key, or None."""
        if self.subwords is None or not isinstance(key, str):
            return None
        return self.subwords.word_vectors([key])[0][0]

    def _missing(self, key):
        n = len(self)
        sample = ", ".join(repr(k) for k in self.index_to_key[:3])
        more = ", ..." if n > 3 else ""
        return KeyError(
            f"Key {key!r} not present in the {n} keys of this KeyedVectors "
            f"([{sample}{more}]). Check with `key in kv`, or use "
            "`kv.get_vector(key, default=...)` / `kv.get_index(key, default=...)`."
        )

    def get_index(self, key, default=None):
        """Row of ``key``, or ``default`` if the key is absent.

        Integers that are not keys themselves are not taken as row numbers
        (unlike gensim): keys and rows are never confused.
        """
        try:
            return self.key_to_index.get(key, default)
        except TypeError:
            return default

    def _index(self, key):
        try:
            return self.key_to_index[key]
        except KeyError:
            raise self._missing(key) from None
        except TypeError:
            raise TypeError(
                f"Keys are hashable values; got an unhashable "
                f"{type(key).__name__}: {key!r}."
            ) from None

    _NO_DEFAULT = object()

    def get_indices(self, keys, default=-1):
        """Rows of several keys as an int array, ``default`` for missing ones.

        Parameters
        ----------
        keys : iterable of hashable
        default : int, default=-1

        Returns
        -------
        rows : ndarray of shape (n_keys,), dtype intp
        """
        if isinstance(keys, str):
            raise ValueError(
                f"get_indices expects an iterable of keys; got the str {keys!r} "
                "(use get_index for one key)."
            )
        get = self.key_to_index.get
        try:
            return np.fromiter((get(k, default) for k in keys), dtype=np.intp)
        except TypeError:
            rows = []
            for k in keys:
                rows.append(self.get_index(k, default))
            return np.asarray(rows, dtype=np.intp)

    def get_vector(self, key, norm=False, *, default=_NO_DEFAULT):
        """The vector of ``key`` (a copy-free view of its row).

        Parameters
        ----------
        key : hashable
        norm : bool, default=False
            Return the unit-length vector (zero vectors stay zero).
        default : array-like, optional
            Returned instead of raising ``KeyError`` when ``key`` is absent.

        Returns
        -------
        vector : ndarray of shape (vector_size,), dtype float32

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b"], [[3.0, 4.0], [0.0, 0.0]])
        >>> kv.get_vector("a", norm=True)
        array([0.6, 0.8], dtype=float32)
        >>> kv.get_vector("b", norm=True)
        array([0., 0.], dtype=float32)
        >>> kv.get_vector("zz", default=None) is None
        True
        """
        i = self.get_index(key)
        if i is None:
            vector = self._subword_vector(key)
            if vector is not None:
                return self._unit(vector) if norm else vector
            if default is not KeyedVectors._NO_DEFAULT:
                return default
            raise self._missing(key)
        if norm:
            return self._rows_normed([i])[0]
        return self.vectors[i]

    def __getitem__(self, key):
        if self.subwords is not None:
            if isinstance(key, (list, np.ndarray)):
                return np.stack([self.get_vector(k) for k in key]).reshape(
                    len(key), self.vector_size
                )
            if key not in self and self._subword_vector(key) is not None:
                return self._subword_vector(key)
        if isinstance(key, (list, np.ndarray)):
            rows = [self._index(k) for k in key]
            return self.vectors[np.asarray(rows, dtype=np.intp)].reshape(
                len(rows), self.vector_size
            )
        return self.vectors[self._index(key)]

    def get_normed_vectors(self):
        """Unit-length copies of the vectors (cached; zero rows stay zero).

        Similarity queries do not need this copy (they divide by the cached
        norms), so it only costs memory when asked for. The cache is dropped
        when ``vectors`` is replaced; call :meth:`fill_norms` with
        ``force=True`` after editing it in place.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b"], [[3.0, 4.0], [0.0, 0.0]])
        >>> kv.get_normed_vectors()
        array([[0.6, 0.8],
               [0. , 0. ]], dtype=float32)
        """
        if self._normed is None or self._normed[0] is not self.vectors:
            safe = self._safe_norms()
            normed = np.ascontiguousarray(
                self.vectors / safe[:, None], dtype=np.float32
            )
            self._normed = (self.vectors, normed)
        return self._normed[1]

    def fill_norms(self, force=False):
        """Compute (or recompute with ``force=True``) the cached row norms."""
        if force:
            self._norms = self._normed = None
        self._safe_norms()

    def _safe_norms(self):
        """Row norms with 1 for zero rows, so that zero rows score 0, not NaN."""
        if self._norms is None or self._norms[0] is not self.vectors:
            norms = np.linalg.norm(self.vectors, axis=1).astype(np.float32)
            safe = np.where(norms > 0, norms, np.float32(1.0))
            self._norms = (self.vectors, norms, safe)
        return self._norms[2]

    def _rows_normed(self, rows):
        rows = np.asarray(rows, dtype=np.intp)
        return self.vectors[rows] / self._safe_norms()[rows][:, None]

    def _cosines(self, query, end):
        """Cosine of every of the first ``end`` rows with unit vector(s) ``query``."""
        return (self.vectors[:end] @ query.T).T / self._safe_norms()[:end]

    @property
    def norms(self):
        """L2 norm of each row (float32)."""
        self._safe_norms()
        return self._norms[1]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_normed"] = state["_norms"] = None
        return state

    def __setstate__(self, state):
        state = dict(state)
        if "vectors" in state:  # pickled by the first release of this class
            state["_vectors"] = state.pop("vectors")
        state["_normed"] = state["_norms"] = None
        self.__dict__.update(state)

    # --------------------------------------------------------- save_model
    def _persist_state(self):
        """What :func:`skembed.save_model` stores (see :mod:`skembed._fitted`)."""
        return {
            "key_to_index": self.key_to_index,
            "vectors": self.vectors,
            "counts": self.counts,
            "subwords": self.subwords,
        }

    @classmethod
    def _persist_build(cls, state, path):
        """Rebuild from :meth:`_persist_state`; ValueError if it is not one."""
        key_to_index = expect(state.get("key_to_index"), dict, f"{path}.key_to_index")
        keys = list(key_to_index)
        if list(key_to_index.values()) != list(range(len(keys))):
            raise ValueError(f"{path}.key_to_index: rows must be 0..n-1 in key order.")
        kv = cls.__new__(cls)
        kv._vectors = _as_vectors(
            expect(state.get("vectors"), np.ndarray, f"{path}.vectors"), len(keys)
        )
        kv.index_to_key = keys
        kv.key_to_index = key_to_index
        counts = state.get("counts")
        if counts is not None:
            counts = expect(counts, np.ndarray, f"{path}.counts")
            if counts.shape != (len(keys),) or counts.dtype != np.int64:
                raise ValueError(
                    f"{path}.counts: expected int64 of shape ({len(keys)},)."
                )
        kv.counts = counts
        subwords = state.get("subwords")
        if subwords is not None:
            subwords = expect(subwords, SubwordTable, f"{path}.subwords")
            if subwords.vector_size != kv._vectors.shape[1]:
                raise ValueError(
                    f"{path}.subwords: vectors of size {subwords.vector_size}, "
                    f"expected {kv._vectors.shape[1]}."
                )
        kv.subwords = subwords
        kv._normed = kv._norms = None
        return kv

    # ------------------------------------------------------------ similarity
    def _check_restrict(self, restrict_vocab):
        if restrict_vocab is None:
            return len(self)
        if not isinstance(restrict_vocab, (int, np.integer)) or restrict_vocab < 1:
            raise ValueError(
                "restrict_vocab must be None or a positive int (the number of "
                f"first rows to search); got {restrict_vocab!r}."
            )
        return min(int(restrict_vocab), len(self))

    def _check_topn(self, topn):
        if topn is not None and (
            not isinstance(topn, (int, np.integer)) or isinstance(topn, bool)
        ):
            raise ValueError(f"topn must be an int or None; got {topn!r}.")

    def _as_query_list(self, value, name):
        """gensim's ``_ensure_list``, for any hashable keys."""
        if value is None:
            return []
        if isinstance(value, np.ndarray):
            if value.ndim == 1:
                return [value]
            if value.ndim == 2:
                return list(value)
            raise ValueError(
                f"{name} must be keys or 1-D vectors; got a {value.ndim}-D array."
            )
        if isinstance(value, str) or value in self:
            return [value]
        if isinstance(value, (list, tuple)):
            return list(value)
        return [value]

    def _query_item(self, item, default_weight, name):
        """``(row or None, vector, weight)`` for one query item."""
        if isinstance(item, np.ndarray):
            return None, self._check_raw_vector(item, name), default_weight
        if item in self:
            i = self.key_to_index[item]
            return i, self._rows_normed([i])[0], default_weight
        if (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[1], (int, float, np.number))
            and not isinstance(item[1], bool)
            and (isinstance(item[0], np.ndarray) or item[0] in self)
        ):
            row, vec, _ = self._query_item(item[0], default_weight, name)
            return row, vec, float(item[1])
        vector = self._subword_vector(item)
        if vector is not None:
            return None, self._unit(vector), default_weight
        try:
            hash(item)
        except TypeError:
            raise TypeError(
                f"{name} must hold keys, (key, weight) pairs or 1-D numpy arrays; "
                f"got {type(item).__name__}: {item!r}."
            ) from None
        raise self._missing(item)

    def _check_raw_vector(self, vector, name):
        vector = np.asarray(vector, dtype=np.float32)
        if vector.shape != (self.vector_size,):
            raise ValueError(
                f"Vectors in {name} must have shape ({self.vector_size},); "
                f"got shape {vector.shape}."
            )
        return vector

    @staticmethod
    def _unit(vector):
        vector = np.asarray(vector, dtype=np.float32)
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector

    def _top(self, scores, topn, exclude, offset=0):
        if topn is None:
            return scores
        if topn < 1:
            return []
        k = min(len(scores), topn + len(exclude))
        if k < len(scores):
            best = np.argpartition(-scores, k - 1)[:k]
        else:
            best = np.arange(len(scores))
        best = best[np.argsort(-scores[best], kind="stable")]
        out = []
        for i in best:
            if i + offset in exclude:
                continue
            out.append((self.index_to_key[i + offset], float(scores[i])))
            if len(out) == topn:
                break
        return out

    def get_mean_vector(
        self,
        keys,
        weights=None,
        pre_normalize=True,
        post_normalize=False,
        ignore_missing=True,
    ):
        """Weighted mean of the vectors of ``keys`` (and/or raw vectors).

        As gensim: each key's vector is unit-normed first when
        ``pre_normalize``, the sum is divided by the total absolute weight,
        and the result is unit-normed when ``post_normalize``. Missing keys
        are skipped when ``ignore_missing`` (a zero vector if none is left).

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b"], [[2.0, 0.0], [0.0, 4.0]])
        >>> kv.get_mean_vector(["a", "b"])
        array([0.5, 0.5], dtype=float32)
        """
        if isinstance(keys, np.ndarray) and keys.ndim == 2:
            keys = list(keys)
        elif isinstance(keys, (str, np.ndarray)) or keys in self:
            keys = [keys]
        keys = list(keys)
        if not keys:
            raise ValueError(
                "get_mean_vector: keys is empty; expected at least one key."
            )
        weights = (
            np.ones(len(keys)) if weights is None else np.asarray(weights, dtype=float)
        )
        if weights.shape != (len(keys),):
            raise ValueError(
                f"weights must have one value per key ({len(keys)}); got shape "
                f"{weights.shape}."
            )
        mean = np.zeros(self.vector_size, dtype=np.float64)
        total = 0.0
        for key, w in zip(keys, weights, strict=True):
            if isinstance(key, np.ndarray):
                vec = self._check_raw_vector(key, "keys")
            elif key in self or self._subword_vector(key) is not None:
                vec = self.get_vector(key, norm=pre_normalize)
            elif ignore_missing:
                continue
            else:
                raise self._missing(key)
            mean += w * vec
            total += abs(w)
        if total > 0:
            mean /= total
        mean = mean.astype(np.float32)
        return self._unit(mean) if post_normalize else mean

    def most_similar(self, positive=None, negative=None, topn=10, restrict_vocab=None):
        """Keys most similar (cosine) to a combination of keys or vectors.

        The query is the mean of the unit-normed ``positive`` vectors and the
        negated unit-normed ``negative`` ones (3CosAdd for analogies, as in
        gensim and word2vec.c), normalised; the query keys themselves are never
        returned.

        Parameters
        ----------
        positive : key, vector, or list of keys / vectors / (key, weight)
        negative : key, vector, or list of keys / vectors / (key, weight)
        topn : int or None, default=10
            Number of results; ``None`` returns the similarity to every row
            (of the first ``restrict_vocab`` rows) as an array.
        restrict_vocab : int, default=None
            Only search the first ``restrict_vocab`` rows (the most frequent
            keys when the rows are sorted by count).

        Returns
        -------
        list of (key, float), or ndarray of shape (n_rows,) if ``topn=None``

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["king", "queen", "man", "woman", "car"],
        ...                   [[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1], [5, 5, 5]])
        >>> [(k, round(s, 3)) for k, s in kv.most_similar(
        ...     positive=["king", "woman"], negative=["man"], topn=2)]
        [('queen', 0.959), ('car', 0.648)]
        >>> kv.most_similar("king", topn=None).shape
        (5,)
        """
        self._check_topn(topn)
        if topn is not None and topn < 1:
            return []
        positive = self._as_query_list(positive, "positive")
        negative = self._as_query_list(negative, "negative")
        if not positive and not negative:
            raise ValueError("most_similar: positive and negative are both empty.")
        end = self._check_restrict(restrict_vocab)
        mean = np.zeros(self.vector_size, dtype=np.float32)
        total = 0.0
        exclude = set()
        for items, sign, name in (
            (positive, 1.0, "positive"),
            (negative, -1.0, "negative"),
        ):
            for item in items:
                row, vec, weight = self._query_item(item, sign, name)
                if row is not None:
                    exclude.add(row)
                mean += weight * vec
                total += abs(weight)
        if total > 0:
            mean /= total
        mean = self._unit(mean)
        scores = self._cosines(mean, end)
        return self._top(scores, topn, exclude)

    def _most_similar_rows(self, key, topn):
        """:meth:`most_similar` of one key as arrays: ``(rows, scores)``, the
        rows (int64) of the nearest keys and their cosines (float32), for
        estimators whose ``most_similar`` returns arrays."""
        pairs = self.most_similar(key, topn=topn)
        index = self.key_to_index
        rows = np.fromiter((index[k] for k, _ in pairs), np.int64, len(pairs))
        scores = np.fromiter((s for _, s in pairs), np.float32, len(pairs))
        return rows, scores

    def similar_by_vector(self, vector, topn=10, restrict_vocab=None):
        """Keys most similar (cosine) to a raw vector.

        Examples
        --------
        >>> import numpy as np
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["x", "y"], np.eye(2))
        >>> kv.similar_by_vector(np.array([1.0, 0.1]), topn=1)
        [('x', 0.99...)]
        """
        vector = self._check_raw_vector(vector, "vector")
        return self.most_similar(
            positive=[vector], topn=topn, restrict_vocab=restrict_vocab
        )

    def similar_by_key(self, key, topn=10, restrict_vocab=None):
        """Keys most similar to ``key`` (the key itself excluded)."""
        return self.most_similar(
            positive=[key], topn=topn, restrict_vocab=restrict_vocab
        )

    similar_by_word = similar_by_key

    def most_similar_cosmul(
        self, positive=None, negative=None, topn=10, restrict_vocab=None
    ):
        """Most similar keys by the multiplicative objective 3CosMul.

        Levy and Goldberg (2014): similarities are shifted to [0, 1], the
        product over ``positive`` is divided by the product over ``negative``
        (plus 1e-6), as gensim. Raw vectors are unit-normed too (gensim leaves
        them as given), and ``restrict_vocab`` is honoured.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
        ...                   [[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]])
        >>> kv.most_similar_cosmul(["king", "woman"], ["man"], topn=1)[0][0]
        'queen'
        """
        self._check_topn(topn)
        if topn is not None and topn < 1:
            return []
        positive = self._as_query_list(positive, "positive")
        negative = self._as_query_list(negative, "negative")
        if not positive:
            raise ValueError("most_similar_cosmul: positive is empty; expected keys.")
        end = self._check_restrict(restrict_vocab)
        exclude = set()

        def shifted(items, name):
            out = []
            for item in items:
                row, vec, _ = self._query_item(item, 1.0, name)
                if row is not None:
                    exclude.add(row)
                out.append((1 + self._cosines(self._unit(vec), end)) / 2)
            return out

        pos = shifted(positive, "positive")
        neg = shifted(negative, "negative")
        scores = (
            np.prod(pos, axis=0) / (np.prod(neg, axis=0) + 0.000001)
            if neg
            else np.prod(pos, axis=0) / 1.000001
        )
        return self._top(scores.astype(np.float32), topn, exclude)

    def similarity(self, key1, key2):
        """Cosine similarity of two keys (0 when either vector is zero).

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b"], [[1.0, 0.0], [1.0, 1.0]])
        >>> round(kv.similarity("a", "b"), 4)
        0.7071
        """
        return float(
            self.get_vector(key1, norm=True) @ self.get_vector(key2, norm=True)
        )

    def distance(self, key1, key2):
        """Cosine distance, ``1 - similarity(key1, key2)``."""
        return 1.0 - self.similarity(key1, key2)

    def n_similarity(self, keys1, keys2):
        """Cosine similarity of the (unnormalised) mean vectors of two key lists.

        Unlike gensim, a missing key raises ``KeyError`` rather than being
        skipped silently.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b", "c"], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> round(kv.n_similarity(["a", "b"], ["c"]), 4)
        1.0
        """
        for keys, name in ((keys1, "keys1"), (keys2, "keys2")):
            if isinstance(keys, str) or len(keys) == 0:
                raise ValueError(
                    f"n_similarity: {name} must be a non-empty list of keys; "
                    f"got {keys!r}."
                )
        mean1 = self.get_mean_vector(
            list(keys1), pre_normalize=False, ignore_missing=False
        )
        mean2 = self.get_mean_vector(
            list(keys2), pre_normalize=False, ignore_missing=False
        )
        return float(self._unit(mean1) @ self._unit(mean2))

    def distances(self, key_or_vector, other_keys=()):
        """Cosine distances from a key or vector to ``other_keys`` (default: all)."""
        if isinstance(key_or_vector, np.ndarray):
            vec = self._unit(self._check_raw_vector(key_or_vector, "key_or_vector"))
        else:
            vec = self.get_vector(key_or_vector, norm=True)
        if len(other_keys):
            return 1.0 - self._rows_normed([self._index(k) for k in other_keys]) @ vec
        return 1.0 - self._cosines(vec, len(self))

    def doesnt_match(self, keys):
        """The key furthest from the mean of the (unit-normed) keys.

        Missing keys are ignored with a warning, as gensim does.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["cat", "dog", "car"], [[1, 0.1], [1, 0.2], [0, 1]])
        >>> kv.doesnt_match(["cat", "dog", "car"])
        'car'
        """
        if isinstance(keys, str):
            raise ValueError(
                f"doesnt_match expects a list of keys; got the str {keys!r}."
            )
        keys = list(keys)
        used = [k for k in keys if k in self]
        if len(used) != len(keys):
            missing = [k for k in keys if k not in self]
            warnings.warn(
                f"doesnt_match: ignoring keys not present: {missing!r}.",
                UserWarning,
                stacklevel=2,
            )
        if not used:
            raise ValueError(
                "doesnt_match: none of the keys is present; cannot choose one."
            )
        vectors = self._rows_normed([self.key_to_index[k] for k in used])
        mean = self._unit(vectors.mean(axis=0))
        dists = vectors @ mean
        try:
            return min(zip(dists.tolist(), used, strict=True))[1]
        except TypeError:  # keys of mixed, unorderable types
            return used[int(np.argmin(dists))]

    def most_similar_to_given(self, key1, keys_list):
        """The key of ``keys_list`` most similar (cosine) to ``key1``, as gensim.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["cat", "dog", "car"], [[1, 0.1], [1, 0.2], [0, 1]])
        >>> kv.most_similar_to_given("cat", ["car", "dog"])
        'dog'
        """
        if isinstance(keys_list, str):
            raise ValueError("most_similar_to_given: keys_list must be a list of "
                             f"keys; got the str {keys_list!r}.")
        keys_list = list(keys_list)
        if not keys_list:
            raise ValueError("most_similar_to_given: keys_list is empty; expected "
                             "at least one key.")
        scores = [self.similarity(key1, key) for key in keys_list]
        return keys_list[int(np.argmax(scores))]

    def closer_than(self, key1, key2):
        """Keys closer (cosine distance) to ``key1`` than ``key2`` is, ``key1``
        excluded, in row order -- gensim's ``closer_than``.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b", "c", "d"],
        ...                   [[1, 0], [1, 0.1], [1, 0.5], [0, 1]])
        >>> kv.closer_than("a", "c")
        ['b']
        >>> kv.rank("a", "c")
        2
        """
        distances = self.distances(key1)
        index1, index2 = self._index(key1), self._index(key2)
        closer = np.flatnonzero(distances < distances[index2])
        return [self.index_to_key[i] for i in closer.tolist() if i != index1]

    def rank(self, key1, key2):
        """Rank of ``key2`` among all keys by distance from ``key1`` (1 is the
        nearest): ``len(closer_than(key1, key2)) + 1``, as gensim."""
        return len(self.closer_than(key1, key2)) + 1

    def relative_cosine_similarity(self, wa, wb, topn=10):
        """``similarity(wa, wb)`` divided by the sum of the similarities of the
        ``topn`` keys most similar to ``wa`` (Leeuwenberg et al., 2016), as
        gensim: above about 0.10 at ``topn=10``, ``wb`` is closer to ``wa``
        than an arbitrary key is.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b", "c"], [[1, 0], [1, 1], [0, 1]])
        >>> round(kv.relative_cosine_similarity("a", "b", topn=2), 4)
        1.0
        """
        sims = self.similar_by_key(wa, topn=topn)
        if not sims:
            raise ValueError(
                "relative_cosine_similarity: no key is similar to "
                f"{wa!r} (topn={topn}, {len(self)} keys); nothing to divide by."
            )
        return self.similarity(wa, wb) / sum(score for _, score in sims)

    # ---------------------------------------------------------------- editing
    def add_vectors(self, keys, weights, replace=False):
        """Append keys and their vectors, as gensim's ``add_vectors``.

        A key already present keeps its vector unless ``replace=True``. New
        keys get count 0 when ``counts`` are known. ``index_to_key`` and
        ``key_to_index`` are replaced by new objects, so the ``vocabulary_``
        of an estimator whose ``wv_`` this is stays as fitted.

        Parameters
        ----------
        keys : key or list of keys
            One key (then ``weights`` is one vector) or a list of keys,
            unique.
        weights : array-like of shape (n_keys, vector_size) or (vector_size,)
        replace : bool, default=False
            Overwrite the vectors of keys already present.

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a"], [[1.0, 0.0]])
        >>> kv.add_vectors(["b", "a"], [[0.0, 1.0], [5.0, 5.0]])
        >>> kv.index_to_key, kv["a"].tolist()
        (['a', 'b'], [1.0, 0.0])
        """
        if isinstance(keys, (list, tuple, np.ndarray)):
            keys = list(keys)
        else:
            keys = [keys]
            weights = np.asarray(weights).reshape(1, -1)
        weights = np.asarray(weights, dtype=np.float32)
        if weights.ndim != 2 or weights.shape != (len(keys), self.vector_size):
            raise ValueError(
                f"add_vectors: weights must have shape ({len(keys)}, "
                f"{self.vector_size}), one vector of the keys' size per key; got "
                f"shape {weights.shape}."
            )
        if len(set(keys)) != len(keys):
            raise ValueError("add_vectors: keys must be unique; got "
                             f"{len(keys) - len(set(keys))} repeated key(s).")
        present = np.array([key in self.key_to_index for key in keys], dtype=bool)
        added = [key for key, old in zip(keys, present, strict=True) if not old]
        key_to_index = dict(self.key_to_index)
        for key in added:
            key_to_index[key] = len(key_to_index)
        vectors = np.concatenate([self._vectors, weights[~present]])
        if replace and present.any():
            rows = [
                key_to_index[k] for k, old in zip(keys, present, strict=True) if old
            ]
            vectors[rows] = weights[present]
        if self.counts is not None:
            self.counts = np.concatenate(
                [self.counts, np.zeros(len(added), dtype=np.int64)]
            )
        self.index_to_key = self.index_to_key + added
        self.key_to_index = key_to_index
        self.vectors = vectors

    def add_vector(self, key, vector):
        """Add one key and its vector; returns its row (a key already present
        keeps its vector, as in :meth:`add_vectors`).

        Examples
        --------
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a"], [[1.0, 0.0]])
        >>> kv.add_vector("b", [0.0, 1.0])
        1
        """
        self.add_vectors([key], np.asarray(vector, dtype=np.float32).reshape(1, -1))
        return self.key_to_index[key]

    # ------------------------------------------------------------- evaluation
    def _ok_vocab(self, restrict_vocab, case_insensitive):
        ok = {}
        for i, key in enumerate(
            self.index_to_key[: self._check_restrict(restrict_vocab)]
        ):
            if not isinstance(key, str):
                continue
            ok.setdefault(key.upper() if case_insensitive else key, i)
        return ok

    def evaluate_word_analogies(
        self,
        analogies,
        restrict_vocab=300000,
        case_insensitive=True,
        dummy4unknown=False,
    ):
        """Accuracy on word analogies ``a : b :: c : d`` (3CosAdd), as gensim.

        The file is in the ``questions-words.txt`` format: sections start
        with ``: name``; each other line holds four words. For each question
        whose words are all among the first ``restrict_vocab`` keys, the
        answer is the nearest key to ``b - a + c`` among those rows, the three
        question words excluded. Queries run in batches (matrix products).

        Parameters
        ----------
        analogies : path or file object
        restrict_vocab : int, default=300000
        case_insensitive : bool, default=True
            Compare upper-cased words; a key stands for its most frequent
            (first) casing.
        dummy4unknown : bool, default=False
            Count questions with unknown words as wrong instead of skipping them.

        Returns
        -------
        score : float
            Overall accuracy.
        sections : list of dict
            ``{"section": name, "correct": [...], "incorrect": [...]}`` per
            section, then ``"Total accuracy"``; entries are 4-tuples of words.

        Examples
        --------
        >>> import io
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["king", "queen", "man", "woman"],
        ...                   [[1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 1]])
        >>> score, sections = kv.evaluate_word_analogies(
        ...     io.StringIO(": family\\nman woman king queen\\n"))
        >>> score, sections[0]["correct"]
        (1.0, [('MAN', 'WOMAN', 'KING', 'QUEEN')])
        """

        name = _name(analogies)
        ok = self._ok_vocab(restrict_vocab, case_insensitive)
        end = self._check_restrict(restrict_vocab)
        sections, section = [], None
        queries = []  # (section, quad, (ia, ib, ic))
        with _Opened(analogies, "r") as f:
            for line_no, raw in enumerate(f):
                line = raw.decode("utf8")
                if line.startswith(": "):
                    section = {
                        "section": line.lstrip(": ").strip(),
                        "correct": [],
                        "incorrect": [],
                    }
                    sections.append(section)
                    continue
                if section is None:
                    raise ValueError(
                        f"{name}, line {line_no + 1}: expected a section header "
                        f"': name' before the first question; found {line.strip()!r}."
                    )
                words = line.split()
                if len(words) != 4:
                    continue
                quad = (
                    tuple(w.upper() for w in words)
                    if case_insensitive
                    else tuple(words)
                )
                if not all(w in ok for w in quad):
                    if dummy4unknown:
                        section["incorrect"].append(quad)
                    continue
                queries.append((section, quad, [ok[w] for w in quad[:3]]))
                section["incorrect"].append(None)  # placeholder keeps order
        results = {}
        batch = max(1, min(512, (1 << 23) // max(end, 1)))  # <= 32 MB of scores
        for start in range(0, len(queries), batch):
            chunk = queries[start : start + batch]
            idx = np.array([q[2] for q in chunk], dtype=np.intp)
            a, b, c = (self._rows_normed(idx[:, j]) for j in range(3))
            query = (b + c - a) / 3
            norms = np.linalg.norm(query, axis=1, keepdims=True)
            query = query / np.where(norms > 0, norms, 1)
            scores = self._cosines(query, end)
            k = min(8, scores.shape[1])
            if k < scores.shape[1]:
                top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            else:
                top = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
            for row, (_, quad, ids) in enumerate(chunk):
                cand = top[row][np.argsort(-scores[row, top[row]], kind="stable")]
                cand = [c for c in cand if c not in ids][:5]
                ignore = set(quad[:3])
                predicted = None
                for c in cand:
                    key = self.index_to_key[c]
                    predicted = key.upper() if case_insensitive else key
                    if predicted in ok and predicted not in ignore:
                        break
                results[start + row] = predicted == quad[3]
        it = iter(range(len(queries)))
        for sec in sections:
            entries = sec["incorrect"]
            correct, incorrect = [], []
            for e in entries:
                if e is None:
                    i = next(it)
                    (correct if results[i] else incorrect).append(queries[i][1])
                else:
                    incorrect.append(e)
            sec["correct"], sec["incorrect"] = correct, incorrect
        total = {
            "section": "Total accuracy",
            "correct": [q for s in sections for q in s["correct"]],
            "incorrect": [q for s in sections for q in s["incorrect"]],
        }
        sections.append(total)
        n = len(total["correct"]) + len(total["incorrect"])
        score = len(total["correct"]) / n if n else 0.0
        return score, sections

    def evaluate_word_pairs(
        self,
        pairs,
        delimiter="\t",
        restrict_vocab=300000,
        case_insensitive=True,
        dummy4unknown=False,
        encoding="utf8",
    ):
        """Correlation of cosine similarities with human similarity judgements.

        The file holds ``word1<delimiter>word2<delimiter>score`` lines; lines
        starting with ``#`` and malformed lines are skipped (as gensim, e.g.
        ``wordsim353.tsv``, ``simlex999.txt``).

        Returns
        -------
        pearson : (float, float)
            Pearson correlation and its p-value.
        spearman : (float, float)
            Spearman rank correlation and its p-value.
        oov_ratio : float
            Percentage of pairs with a word outside the first ``restrict_vocab`` keys.

        Examples
        --------
        >>> import io
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["a", "b", "c", "d"],
        ...                   [[1, 0], [1, 0.1], [0.5, 1], [0, 1]])
        >>> pearson, spearman, oov = kv.evaluate_word_pairs(
        ...     io.StringIO("a\\tb\\t9\\na\\tc\\t5\\na\\td\\t1\\na\\tzz\\t3\\n"))
        >>> round(spearman[0], 3), round(oov, 1)
        (1.0, 25.0)
        """


        name = _name(pairs)
        ok = self._ok_vocab(restrict_vocab, case_insensitive)
        gold, rows_a, rows_b = [], [], []
        oov = 0
        with _Opened(pairs, "r", encoding) as f:
            for raw in f:
                line = raw.decode(encoding).replace("\r\n", "\n")
                if not line or line.startswith("#"):
                    continue
                try:
                    parts = line.split(delimiter)
                    if case_insensitive:
                        parts = [p.upper() for p in parts]
                    a, b, sim = parts
                    sim = float(sim)
                except (ValueError, TypeError):
                    continue
                if a not in ok or b not in ok:
                    oov += 1
                    if dummy4unknown:
                        gold.append(sim)
                        rows_a.append(-1)
                        rows_b.append(-1)
                    continue
                gold.append(sim)
                rows_a.append(ok[a])
                rows_b.append(ok[b])
        if not gold:
            raise ValueError(
                f"{name}: expected lines 'word1{delimiter}word2{delimiter}score' with "
                f"known words; found no valid pair among the first "
                f"{self._check_restrict(restrict_vocab)} keys."
            )
        rows_a, rows_b = np.array(rows_a), np.array(rows_b)
        model = np.einsum(
            "ij,ij->i", self._rows_normed(rows_a), self._rows_normed(rows_b)
        )
        model[rows_a < 0] = 0.0
        spearman = stats.spearmanr(gold, model)
        pearson = stats.pearsonr(gold, model)
        if dummy4unknown:
            oov_ratio = float(oov) / len(gold) * 100
        else:
            oov_ratio = float(oov) / (len(gold) + oov) * 100
        return (
            (float(pearson[0]), float(pearson[1])),
            (float(spearman[0]), float(spearman[1])),
            oov_ratio,
        )

    # ------------------------------------------------------------------- I/O
    @classmethod
    def load_word2vec_format(
        cls,
        path,
        binary=False,
        no_header=False,
        limit=None,
        encoding="utf8",
        unicode_errors="strict",
        datatype=np.float32,
        *,
        on_duplicate="error",
        fvocab=None,
    ):
        """Load vectors from a word2vec text/binary, GloVe or fastText ``.vec`` file.

        Reads the files gensim and word2vec.c write (binary records with or
        without a newline after each vector). Paths ending in ``.gz``,
        ``.bz2`` or ``.xz`` are decompressed; open binary file objects work too.

        Parameters
        ----------
        path : str, path-like or file object
        binary : bool, default=False
            Binary format (float32 values) instead of text.
        no_header : bool, default=False
            Text file without the ``"<n_vectors> <vector_size>"`` header
            line (GloVe).
        limit : int, default=None
            Read only the first ``limit`` vectors.
        encoding : str, default="utf8"
            Encoding of the keys.
        unicode_errors : str, default="strict"
            ``"strict"``, ``"replace"`` or ``"ignore"`` for undecodable keys.
        datatype : numpy dtype, default=np.float32
            Values are rounded to this type (then stored as float32).
        on_duplicate : {"error", "first", "last"}, default="error"
            A key appearing twice is an error by default; ``"first"`` keeps
            the first vector (gensim's behaviour), ``"last"`` the last one
            (at the position of the first).
        fvocab : path or file object, default=None
            A vocabulary file of ``"<key> <count>"`` lines (word2vec.c's
            ``-save-vocab``, gensim's ``fvocab``) giving ``counts``. Keys it
            lacks get count 0, with a warning.

        Returns
        -------
        KeyedVectors

        Raises
        ------
        ValueError
            For a malformed file, naming the file, the line (text) or byte
            offset (binary), what was expected and what was found: empty
            file, bad header, wrong number of values, non-numeric value,
            truncated binary data, more or fewer vectors than the header
            says, duplicate keys.

        Examples
        --------
        >>> import io
        >>> from skembed import KeyedVectors
        >>> f = io.BytesIO(b"2 3\\ncat 0.1 0.2 0.3\\ndog 0.1 0.25 0.3\\n")
        >>> kv = KeyedVectors.load_word2vec_format(f)
        >>> kv.index_to_key, kv.vectors.shape
        (['cat', 'dog'], (2, 3))
        """

        keys, vectors = read_word2vec(
            path,
            binary=binary,
            no_header=no_header,
            limit=limit,
            encoding=encoding,
            unicode_errors=unicode_errors,
            datatype=datatype,
            on_duplicate=on_duplicate,
        )
        counts = None
        if fvocab is not None:

            table = read_vocab(fvocab, encoding=encoding, unicode_errors=unicode_errors)
            counts = np.array([table.get(k, 0) for k in keys], dtype=np.int64)
            missing = [k for k in keys if k not in table]
            if missing:
                warnings.warn(
                    f"{len(missing)} key(s) are not in the vocabulary file "
                    f"(e.g. {missing[0]!r}); their count is 0.",
                    UserWarning,
                    stacklevel=2,
                )
        return cls(keys, vectors, counts=counts)

    def save_word2vec_format(
        self, path, binary=False, write_header=True, *, fvocab=None
    ):
        """Write the vectors in the word2vec text or binary format.

        Files are byte-identical to gensim's ``save_word2vec_format`` for the
        same keys and vectors in the same order (text values are written as
        ``str(numpy.float32)``, the shortest repr that reads back exactly).
        ``write_header=False`` writes the GloVe text format. Paths ending in
        ``.gz``/``.bz2``/``.xz`` are compressed.

        Keys must be non-empty and free of whitespace (a ``ValueError`` names
        the first bad one; replace spaces, e.g. with ``"_"``, before saving).
        Non-str keys are written as ``str(key)`` and load back as str.

        Rows are written in their order (gensim sorts by count when it knows
        counts; the files match when rows are sorted by decreasing count, as
        the estimators' vocabularies are). ``fvocab`` writes ``counts`` to a
        ``"<key> <count>"`` vocabulary file as gensim and word2vec.c do.

        Examples
        --------
        >>> import io
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors(["cat", "dog"], [[0.5, 1.0], [0.25, -2.0]])
        >>> f = io.BytesIO()
        >>> kv.save_word2vec_format(f)
        >>> print(f.getvalue().decode())
        2 2
        cat 0.5 1.0
        dog 0.25 -2.0
        """

        if fvocab is not None and self.counts is None:
            raise ValueError(
                "fvocab was given but this KeyedVectors has no counts to write."
            )
        write_word2vec(
            path,
            self.index_to_key,
            self.vectors,
            binary=binary,
            write_header=write_header,
        )
        if fvocab is not None:

            write_vocab(fvocab, self.index_to_key, self.counts)

    def save(self, path):
        """Save to a ``.npz`` file (vectors, counts, keys as JSON), no pickle.

        Keys may be str, int, float, bool, None or tuples of those; they load
        back with their types. Load with :meth:`load` or :func:`load_vectors`.

        Examples
        --------
        >>> import io
        >>> from skembed import KeyedVectors
        >>> kv = KeyedVectors([1, "b"], [[0.5, 1.0], [0.25, -2.0]], counts=[3, 1])
        >>> f = io.BytesIO()
        >>> kv.save(f)
        >>> _ = f.seek(0)
        >>> kv2 = KeyedVectors.load(f)
        >>> kv2.index_to_key, kv2.counts
        ([1, 'b'], array([3, 1]))
        """

        write_npz(path, self.index_to_key, self.vectors, self.counts, self.subwords)

    @classmethod
    def load(cls, path):
        """Load a file written by :meth:`save` (``allow_pickle=False``)."""

        keys, vectors, counts, subwords = read_npz(path)
        return cls(keys, vectors, counts=counts, subwords=subwords)


_FORMATS = (
    "auto", "word2vec", "word2vec_binary", "glove", "fasttext", "fasttext_bin", "npz"
)


def load_vectors(
    path,
    format="auto",
    *,
    limit=None,
    encoding="utf8",
    unicode_errors="strict",
    on_duplicate="error",
    mmap=None,
):
    """Load a vector file, detecting its format.

    Parameters
    ----------
    path : str, path-like or file object
        ``.gz``/``.bz2``/``.xz`` paths are decompressed. With
        ``format="auto"``, a file object must be seekable (or have ``peek``).
    format : {"auto", "word2vec", "word2vec_binary", "glove", "fasttext", \
"fasttext_bin", "npz"}, default="auto"
        ``"word2vec"``: text with a ``"<n> <dim>"`` header (also fastText
        ``.vec``, alias ``"fasttext"``); ``"word2vec_binary"``: the binary
        format; ``"glove"``: text without header; ``"fasttext_bin"``: a
        fastText ``.bin`` model, with its n-gram table; ``"npz"``: the file
        :meth:`KeyedVectors.save` writes. ``"auto"`` looks at the first bytes:
        an npz (zip) signature, fastText's signature, a header line followed
        by a text line of the
        announced width (text) or by raw bytes (binary), or a first line of a
        key and numbers (GloVe).
    limit, encoding, unicode_errors, on_duplicate
        As in :meth:`KeyedVectors.load_word2vec_format` (ignored for npz;
        ``limit`` and ``on_duplicate`` ignored for fastText ``.bin``, whose
        undecodable word bytes are backslash-escaped unless
        ``unicode_errors`` says otherwise).
    mmap : {None, "r"}, default=None
        fastText ``.bin`` only: ``"r"`` maps the n-gram table of an
        uncompressed file read-only instead of reading it (a 157-language
        ``cc.*.300.bin`` model holds 2.4 GB of n-gram vectors); the
        vocabulary's vectors are always computed into memory.

    Returns
    -------
    KeyedVectors

    Notes
    -----
    fastText's ``.bin`` models (``format="fasttext_bin"``, detected by their
    signature) load with their n-gram table (``subwords``), so words outside
    the vocabulary get vectors; the vectors equal fastText's and gensim's
    ``load_facebook_vectors`` within float32 rounding. Quantised ``.ftz`` and
    supervised (classifier) models are refused with an error saying so.
    Nothing here unpickles: the npz format stores keys as JSON and is loaded
    with ``allow_pickle=False``.

    Examples
    --------
    >>> import io
    >>> from skembed import load_vectors
    >>> glove = io.BytesIO(b"the 0.1 0.2\\nof 0.3 0.4\\n")
    >>> kv = load_vectors(glove)
    >>> kv.index_to_key, kv.vector_size
    (['the', 'of'], 2)
    """

    if format not in _FORMATS:
        raise ValueError(f"format must be one of {_FORMATS}; got {format!r}.")
    if format == "auto":
        format = sniff_format(path)
    if format == "npz":
        return KeyedVectors.load(path)
    if format == "fasttext_bin":
        keys, vectors, counts, subwords = load_fasttext_bin(
            path,
            encoding=encoding,
            unicode_errors="backslashreplace"
            if unicode_errors == "strict"
            else unicode_errors,
            mmap=mmap,
        )
        return KeyedVectors(keys, vectors, counts=counts, subwords=subwords)
    keys, vectors = read_word2vec(
        path,
        binary=format == "word2vec_binary",
        no_header=format == "glove",
        limit=limit,
        encoding=encoding,
        unicode_errors=unicode_errors,
        on_duplicate=on_duplicate,
    )
    return KeyedVectors(keys, vectors)
