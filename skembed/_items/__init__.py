"""Items family: item2vec on baskets, sessions and playlists."""
