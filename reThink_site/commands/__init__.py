"""The commands besides build: serve, new and the check report."""
