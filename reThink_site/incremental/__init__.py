"""Speed machinery: caches, fingerprints, page memo, worker pools, fast path, spare tree (wired in by build.py)."""
