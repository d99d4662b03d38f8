"""The shared SGNS engine: driver, estimator base, kernels, corpus, vocabulary."""
