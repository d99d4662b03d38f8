"""Graph family: input checks, node2vec / DeepWalk / LINE, edge features."""
