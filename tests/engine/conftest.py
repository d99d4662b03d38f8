"""Fixtures of the engine tests."""

import pytest

from skembed._engine._vocab import build_vocabulary, count_tokens, encode
from tests.conftest import planted_synonym_corpus


@pytest.fixture(scope="module")
def planted():
    """The planted-synonym corpus as a CSR corpus, its vocabulary, topics."""
    sentences, topics = planted_synonym_corpus()
    counts, _ = count_tokens(sentences)
    vocab = build_vocabulary(counts)
    return encode(sentences, vocab.key_to_index), vocab, topics
