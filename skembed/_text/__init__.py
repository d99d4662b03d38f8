"""Text family: analyzer, sentences, word2vec, summarizer, contextual vectors."""
