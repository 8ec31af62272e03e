"""Markdown bodies: the engine interface, the two engines, smart punctuation."""
