"""The in-process cache of graph embeddings (``memory=True``, and the default
with ``graph=``) and the joblib ``Memory`` path, in front of an embedder's
learn function."""

import numbers

import numpy as np
from sklearn.utils.validation import check_memory

from .._progress import Progress
from ._checks import graph_fingerprint

__all__ = ["clear_graph_cache", "learn_cached"]

_MEMO = {}  # key -> (embedding, info); in-process cache, bounded below
_MEMO_ORDER = []
_MEMO_MAX_ENTRIES = 8
_MEMO_MAX_BYTES = 512 * 2**20


def _memo_get(key):
    if key in _MEMO:
        _MEMO_ORDER.remove(key)
        _MEMO_ORDER.append(key)
        emb, info = _MEMO[key]
        return emb.copy(), dict(info)
    return None


def _memo_put(key, emb, info):
    _MEMO[key] = (emb.copy(), dict(info))
    _MEMO_ORDER.append(key)
    while len(_MEMO_ORDER) > _MEMO_MAX_ENTRIES or (
        len(_MEMO_ORDER) > 1
        and sum(v[0].nbytes for v in _MEMO.values()) > _MEMO_MAX_BYTES
    ):
        del _MEMO[_MEMO_ORDER.pop(0)]


def clear_graph_cache():
    """Empty the in-process cache of graph embeddings (see ``memory=``)."""
    _MEMO.clear()
    del _MEMO_ORDER[:]


def learn_cached(learn, A, params, *, random_state, threads, verbose, name,
                 memory, in_process):
    """``learn(A, params, random_state, threads, verbose, name)``, cached.

    Only an int ``random_state`` is cached (anything else is not
    reproducible): in a joblib ``Memory`` when ``memory`` is one (or a
    folder), else in this process when ``in_process``. Returns
    ``(embedding, info)``.
    """
    rs = random_state
    deterministic = isinstance(
        rs, (numbers.Integral, np.integer)
    ) and not isinstance(rs, (bool, np.bool_))
    if deterministic and not isinstance(memory, (bool, type(None))):
        cached = check_memory(memory).cache(learn, ignore=["verbose"])
        return cached(A, params, int(rs), threads, verbose, name)
    if deterministic and in_process:
        key = (
            name, graph_fingerprint(A, None), tuple(sorted(params.items())),
            int(rs), threads,
        )
        hit = _memo_get(key)
        if hit is not None:
            Progress(name, verbose).log("embedding taken from the in-process cache")
            return hit
        emb, info = learn(A, params, int(rs), threads, verbose, name)
        _memo_put(key, emb, info)
        return emb, info
    return learn(A, params, rs, threads, verbose, name)
