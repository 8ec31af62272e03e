"""Content: site.yaml, the models, front matter, reading content/, the Site index, event times, issues."""
