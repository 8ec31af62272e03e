"""reThink_site: a static site generator for Local reThink's events, summaries and insights."""

__version__ = "0.1.0"
