"""skembed: scikit-learn compatible embedding transformers.

Word2Vec and Doc2Vec for text, entity embeddings for categorical columns, Item2Vec for
baskets and Node2Vec / DeepWalk / LINE for graphs, all trained by one
numba-compiled skip-gram-with-negative-sampling engine (entity embeddings use
a small numpy/numba neural net); ProNE and NetMF for graphs by a spectral
engine (randomized SVD and spectral propagation). ``summarize`` / ``ExtractiveSummarizer``
pick the central sentences of English or Chinese text (TextRank on sentence
vectors, with MMR).

The public names are loaded on first use (PEP 562): ``import skembed`` costs
only the version, and ``from skembed import ProNEEmbedder`` imports the graph
family and the spectral engine, not the text, tabular or item families.
Every kernel module imports ``_engine._numba_config`` itself, so numba's cache
is configured before any kernel is compiled, whatever is imported first.
"""

import importlib

from ._version import __version__

#: public name -> the private module that defines it
_PUBLIC = {
    "ContextualVectorizer": "._text._contextual",
    "DeepWalkEmbedder": "._graph._node2vec",
    "Doc2VecVectorizer": "._text._doc2vec",
    "EdgeFeatures": "._graph._node2vec",
    "EntityEmbeddingEncoder": "._tabular._entity",
    "ExtractiveSummarizer": "._text._summarize",
    "FastTextVectorizer": "._text._fasttext",
    "Item2VecTransformer": "._items._item2vec",
    "KeyedVectors": "._vectors._keyedvectors",
    "LINEEmbedder": "._graph._line",
    "NetMFEmbedder": "._graph._netmf",
    "Node2VecEmbedder": "._graph._node2vec",
    "ProNEEmbedder": "._graph._prone",
    "SpectralPropagation": "._graph._prone",
    "Word2VecVectorizer": "._text._word2vec",
    "baskets_from_frame": "._items._item2vec",
    "load_model": "._persist._api",
    "load_vectors": "._vectors._keyedvectors",
    "recommendation_scorer": "._items._scoring",
    "save_model": "._persist._api",
    "split_sentences": "._text._sentences",
    "summarize": "._text._summarize",
}

__all__ = [
    "ContextualVectorizer",
    "DeepWalkEmbedder",
    "Doc2VecVectorizer",
    "EdgeFeatures",
    "EntityEmbeddingEncoder",
    "ExtractiveSummarizer",
    "FastTextVectorizer",
    "Item2VecTransformer",
    "KeyedVectors",
    "LINEEmbedder",
    "NetMFEmbedder",
    "Node2VecEmbedder",
    "ProNEEmbedder",
    "SpectralPropagation",
    "Word2VecVectorizer",
    "__version__",
    "baskets_from_frame",
    "load_model",
    "load_vectors",
    "recommendation_scorer",
    "save_model",
    "split_sentences",
    "summarize",
]


def __getattr__(name):
    """Import a public name's module on first access (PEP 562)."""
    try:
        module = _PUBLIC[name]
    except KeyError:
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}"
        ) from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later accesses skip this function
    return value


def __dir__():
    return sorted({*globals(), *__all__})
