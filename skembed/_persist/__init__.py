"""save_model / load_model: the pickle-free model file."""
