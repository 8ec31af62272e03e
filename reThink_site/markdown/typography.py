"""Smart punctuation (curly quotes, dashes, ellipses): SmartyPants rules in one pass over a body's text.

Python-Markdown's `smarty` extension does this with ten inline patterns tried at every position,
which doubled the cost of rendering a body (4.4 ms against 2.3 ms on the benchmark corpus); here the
rules are applied once to each text run in document order, for either engine: to Python-Markdown's
element tree (python_markdown.py) or to the text between the tags of rendered HTML (`smarten_html`).
"""

from __future__ import annotations

import html
import re

SKIP = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})
_TOKENS = re.compile(r"---|--|\.\.\.|\. \. \.|[\"']")
_OPENS_AFTER = frozenset(" \t\n([{\u2014\u2013-/\u00a0\u201c\u2018")
_DECADE = re.compile(r"\d\ds")
_HTML_PIECES = re.compile(r"<!--.*?-->|<[^>]*>|&#?\w+;|[^<&]+|[<&]", re.DOTALL)
_SKIP_TAG = re.compile(r"<(/?)(" + "|".join(sorted(SKIP)) + r")\b", re.IGNORECASE)


def has_tokens(text: str) -> bool:
    """Whether smarten would change anything in text."""
    return _TOKENS.search(text) is not None


def smarten(text: str, before: str) -> str:
    """Replace straight quotes, -- and ... in text; `before` is the character that precedes it."""
    if not _TOKENS.search(text):
        return text
    out, last = [], 0
    for match in _TOKENS.finditer(text):
        token, start = match.group(), match.start()
        prev = text[start - 1] if start else before
        out.append(text[last:start])
        if token == "---":
            out.append("\u2014")
        elif token == "--":
            out.append("\u2013")
        elif token in ("...", ". . ."):
            out.append("\u2026")
        elif token == '"':
            out.append("\u201c" if (not prev or prev in _OPENS_AFTER) else "\u201d")
        elif prev and prev.isalnum():
            out.append("\u2019")  # it's, councils'
        elif (not prev or prev in _OPENS_AFTER) and not _DECADE.match(text, start + 1):
            out.append("\u2018")
        else:
            out.append("\u2019")  # '90s, or a closing quote after punctuation
        last = match.end()
    out.append(text[last:])
    return "".join(out)




def smarten_html(fragment: str) -> str:
    """Smart punctuation in the text of an HTML fragment: tags, comments and code are left alone."""
    if not any(mark in fragment for mark in ("'", '"', "--", "...", ". . .")):
        return fragment
    out, before, skipping = [], "", []
    for piece in _HTML_PIECES.findall(fragment):
        if piece[0] == "<" and len(piece) > 1:
            skip_tag = _SKIP_TAG.match(piece)
            if skip_tag and not piece.endswith("/>"):
                tag = skip_tag.group(2).lower()
                if not skip_tag.group(1):
                    skipping.append(tag)
                elif skipping and skipping[-1] == tag:
                    skipping.pop()
            out.append(piece)
        elif piece[0] == "&" and len(piece) > 1:
            out.append(piece)  # an entity: its character counts as the one before the next text
            if not skipping:
                before = html.unescape(piece)[-1:] or before
        elif skipping:
            out.append(piece)
        else:
            out.append(smarten(piece, before))
            before = piece[-1]
    return "".join(out)
