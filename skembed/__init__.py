"""skembed: scikit-learn compatible embedding transformers.

Word2Vec for text, entity embeddings for categorical columns, Item2Vec for
baskets and Node2Vec / DeepWalk / LINE for graphs, all trained by one
numba-compiled skip-gram-with-negative-sampling engine (entity embeddings use
a small numpy/numba neural net). ``summarize`` / ``ExtractiveSummarizer``
pick the central sentences of English or Chinese text (TextRank on sentence
vectors, with MMR).
"""

from importlib.metadata import PackageNotFoundError, version

from . import _numba_config  # noqa: F401  (must run before any kernel import)
from ._contextual import ContextualVectorizer
from ._entity import EntityEmbeddingEncoder
from ._item2vec import Item2VecTransformer, baskets_from_frame
from ._keyedvectors import KeyedVectors, load_vectors
from ._line import LINEEmbedder
from ._node2vec import DeepWalkEmbedder, EdgeFeatures, Node2VecEmbedder
from ._persist import load_model, save_model
from ._sentences import split_sentences
from ._summarize import ExtractiveSummarizer, summarize
from ._word2vec import Word2VecVectorizer

try:
    __version__ = version("skembed")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "ContextualVectorizer",
    "DeepWalkEmbedder",
    "EdgeFeatures",
    "EntityEmbeddingEncoder",
    "ExtractiveSummarizer",
    "Item2VecTransformer",
    "KeyedVectors",
    "LINEEmbedder",
    "Node2VecEmbedder",
    "Word2VecVectorizer",
    "__version__",
    "baskets_from_frame",
    "load_model",
    "load_vectors",
    "save_model",
    "split_sentences",
    "summarize",
]
