"""KeyedVectors and word-vector file formats (shared by the families)."""
