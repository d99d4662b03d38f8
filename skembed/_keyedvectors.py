"""KeyedVectors: a key -> vector table with similarity queries and file I/O.

The class every estimator exposes for inspection (``wv_`` and friends) and
the entry point for pretrained vectors. File formats live in :mod:`._io`.
"""

import numpy as np

__all__ = ["KeyedVectors"]


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

    Parameters
    ----------
    keys : sequence of hashable
        The key of each row, unique. Keys must be ``str`` to be written to
        the word2vec file formats.
    vectors : array-like of shape (n_keys, vector_size)
        The vectors, converted to C-contiguous float32.
    counts : array-like of int of shape (n_keys,), default=None
        Optional frequency of each key (e.g. the training-corpus count).

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
    """

    def __init__(self, keys, vectors, *, counts=None):
        if isinstance(keys, (str, bytes)):
            raise ValueError(
                "keys must be a sequence of keys, not a single "
                f"{type(keys).__name__}; got {keys!r}."
            )
        keys = list(keys)
        self.vectors = _as_vectors(vectors, len(keys))
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
        self._normed = None

    # ------------------------------------------------------------------ basics
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
        return (
            f"<{type(self).__name__}: {len(self)} keys, "
            f"vector_size={self.vector_size}>"
        )

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
        """
        i = self.get_index(key)
        if i is None:
            if default is not KeyedVectors._NO_DEFAULT:
                return default
            raise self._missing(key)
        return (self.get_normed_vectors() if norm else self.vectors)[i]

    def __getitem__(self, key):
        if isinstance(key, (list, np.ndarray)):
            rows = [self._index(k) for k in key]
            return self.vectors[np.asarray(rows, dtype=np.intp)].reshape(
                len(rows), self.vector_size
            )
        return self.vectors[self._index(key)]

    def get_normed_vectors(self):
        """Unit-length copies of the vectors (cached; zero rows stay zero).

        The cache is dropped when ``vectors`` is replaced; call
        :meth:`fill_norms` with ``force=True`` after editing it in place.
        """
        if self._normed is None or self._normed[0] is not self.vectors:
            self.fill_norms(force=True)
        return self._normed[1]

    def fill_norms(self, force=False):
        """Compute (or recompute with ``force=True``) the cached unit vectors."""
        if not force and self._normed is not None and self._normed[0] is self.vectors:
            return
        vectors = self.vectors
        norms = np.linalg.norm(vectors, axis=1).astype(np.float32)
        safe = np.where(norms > 0, norms, np.float32(1.0))
        normed = np.ascontiguousarray(vectors / safe[:, None], dtype=np.float32)
        self._normed = (vectors, normed, norms)

    @property
    def norms(self):
        """L2 norm of each row (float32)."""
        self.get_normed_vectors()
        return self._normed[2]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_normed"] = None
        return state
