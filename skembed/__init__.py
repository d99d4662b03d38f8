"""skembed: scikit-learn compatible embedding transformers.

Word2Vec and Doc2Vec for text, entity embeddings for categorical columns, Item2Vec for
baskets and Node2Vec / DeepWalk / LINE for graphs, all trained by one
numba-compiled skip-gram-with-negative-sampling engine (entity embeddings use
a small numpy/numba neural net); ProNE for graphs by a spectral engine
(randomized SVD and spectral propagation). ``summarize`` / ``ExtractiveSummarizer``
pick the central sentences of English or Chinese text (TextRank on sentence
vectors, with MMR).
"""

from ._engine import _numba_config  # noqa: F401  (must run before any kernel import)
from ._graph._line import LINEEmbedder
from ._graph._node2vec import DeepWalkEmbedder, EdgeFeatures, Node2VecEmbedder
from ._graph._prone import ProNEEmbedder, SpectralPropagation
from ._items._item2vec import Item2VecTransformer, baskets_from_frame
from ._items._scoring import recommendation_scorer
from ._persist._api import load_model, save_model
from ._tabular._entity import EntityEmbeddingEncoder
from ._text._contextual import ContextualVectorizer
from ._text._doc2vec import Doc2VecVectorizer
from ._text._fasttext import FastTextVectorizer
from ._text._sentences import split_sentences
from ._text._summarize import ExtractiveSummarizer, summarize
from ._text._word2vec import Word2VecVectorizer
from ._vectors._keyedvectors import KeyedVectors, load_vectors
from ._version import __version__

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
