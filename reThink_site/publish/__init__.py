"""Publishing: writing the output tree, the atomic swap, the search index."""
