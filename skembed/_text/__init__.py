"""Text family: analyzer, sentences, word2vec, doc2vec, summarizer, contextual vectors."""
