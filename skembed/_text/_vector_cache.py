"""ContextualVectorizer's vector cache under ``memory=``: one small float32
file per document, shared safely by the processes of a grid search."""

import os
import uuid

import numpy as np
from sklearn.utils.validation import check_memory

#: version of the layout of the vectors stored under ``memory``
_STORE_FORMAT = 1


class _VectorStore:
    """Document vectors on disk, one small float32 file per document.

    Files are written to a temporary name and renamed, so processes of a
    parallel ``GridSearchCV`` may share the directory.
    """

    def __init__(self, root, width):
        self.root = root
        self.width = width

    def _path(self, key):
        return os.path.join(self.root, key[:2], key[2:] + ".f32")

    def get(self, key):
        try:
            vec = np.fromfile(self._path(key), dtype=np.float32)
        except (FileNotFoundError, ValueError, OSError):
            return None
        return vec if vec.shape[0] == self.width else None

    def put(self, key, vec):
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
        np.ascontiguousarray(vec, dtype=np.float32).tofile(tmp)
        os.replace(tmp, path)


def _store_root(memory):
    """The folder under ``memory`` where vectors go (None: no caching)."""
    memory = check_memory(memory)
    backend = getattr(memory, "store_backend", None)
    location = getattr(backend, "location", None)
    if location is None:
        if getattr(memory, "location", None) is None:
            return None
        location = os.path.join(os.fspath(memory.location), "joblib")
    return os.path.join(os.fspath(location), "skembed_contextual")
