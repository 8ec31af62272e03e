"""HTML to plain text for e-mail: paragraphs, bullets, links listed as full URLs, wrapped at 72."""

from __future__ import annotations

import re
import textwrap

import lxml.html

WIDTH = 72
_URL = re.compile(r"^(?:https?://|mailto:|tel:)\S+$")
_BULLET = re.compile(r"^(\s*)(\* |- |\[\d+\] |\d+\. )?")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "figure",
                     "dl", "section", "article", "aside", "header", "footer", "address"})
_LISTS = frozenset({"ul", "ol"})


def is_url_only(line: str) -> bool:
    """A line holding nothing but a URL may run past the width (mail clients keep it clickable)."""
    return bool(_URL.match(line.strip()))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _child_text(child, links: list[str]) -> str:
    """The text one inline element contributes (its tail excluded)."""
    if child.tag == "br":
        return " "
    if child.tag == "img":
        alt = (child.get("alt") or "").strip()
        return f"[{alt}]" if alt else ""
    text = _inline(child, links)
    href = (child.get("href") or "").strip() if child.tag == "a" else ""
    if href and not href.startswith("#") and href != text.strip():
        if href not in links:
            links.append(href)
        text = f"{text} [{links.index(href) + 1}]"
    return text


def _inline(element, links: list[str]) -> str:
    """The text of an element, with each link's URL numbered as `[n]` for the list after it."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_child_text(child, links))
        parts.append(child.tail or "")
    return _squash("".join(parts))


def html_to_text(fragment: str) -> str:
    """Readable text from a body fragment: one line per paragraph or bullet, then the link list."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    links: list[str] = []
    paragraphs: list[str] = []
    loose = [_squash(root.text or "")]

    def flush() -> None:
        text = _squash(" ".join(loose))
        if text:
            paragraphs.append(text)
        loose.clear()

    for child in root:
        if not isinstance(child.tag, str):
            loose.append(child.tail or "")
            continue
        if child.tag in _LISTS:
            flush()
            items = [f"* {_inline(li, links)}" for li in child if li.tag == "li"]
            paragraphs.append("\n".join(items))
        elif child.tag in _BLOCKS or child.tag == "hr":
            flush()
            text = _inline(child, links)
            if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                text = text.upper()
            if text:
                paragraphs.append(text)
        else:
            loose.append(_child_text(child, links))
        loose.append(child.tail or "")
    flush()
    if links:
        paragraphs.append("\n".join(f"[{n}] {href}" for n, href in enumerate(links, 1)))
    return "\n\n".join(paragraphs)


def wrap(text: str, width: int = WIDTH) -> str:
    """Wrap every line at `width`, keeping indents and bullets; URL-only lines stay whole."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if len(line) <= width or is_url_only(line):
            out.append(line)
            continue
        lead = _BULLET.match(line)
        hanging = " " * len(lead.group(0))
        for piece in textwrap.wrap(line, width, subsequent_indent=hanging, break_long_words=False,
                                   break_on_hyphens=False):
            if len(piece) > width and not is_url_only(piece):
                out.extend(textwrap.wrap(piece, width, subsequent_indent=hanging, break_on_hyphens=False))
            else:
                out.append(piece)
    return "\n".join(out) + "\n"
