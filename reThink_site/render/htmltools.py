"""HTML fragment rewriting for feeds and e-mail: absolute links, and nothing that can run."""

from __future__ import annotations

from typing import Callable

import lxml.etree
import lxml.html
from lxml_html_clean import Cleaner

# Elements that never belong in a feed reader or a mail client, whatever markdown.raw_html allows.
UNSAFE_TAGS = ("script", "style", "iframe", "object", "embed", "form", "link", "meta", "base", "frame",
               "frameset", "applet", "noscript")


def _wrap(fragment: str) -> lxml.html.HtmlElement:
    """Parse a body fragment under one <div> so text before the first tag survives."""
    return lxml.html.fragment_fromstring(fragment or "", create_parent="div")


def _unwrap(root: lxml.html.HtmlElement) -> str:
    """Serialise a wrapper's inside, without the wrapper itself."""
    inner = [lxml.html.tostring(child, encoding="unicode", method="html") for child in root]
    return (root.text or "") + "".join(inner)


def absolutize(fragment: str, page_url: str) -> str:
    """Make every link and image in a fragment absolute, resolving against the page it came from."""
    if not fragment.strip():
        return fragment
    root = _wrap(fragment)
    root.make_links_absolute(page_url, resolve_base_href=False)
    return _unwrap(root)


def make_cleaner() -> Cleaner:
    """Strip scripts, handlers, javascript: URLs, styles, frames, embeds and forms; keep the prose."""
    return Cleaner(scripts=True, javascript=True, comments=True, style=True, inline_style=True, links=True,
                   meta=True, page_structure=False, processing_instructions=True, embedded=True,
                   frames=True, forms=True, annoying_tags=False, remove_unknown_tags=False,
                   safe_attrs_only=True, kill_tags=UNSAFE_TAGS)


def strip_active(root: lxml.html.HtmlElement, keep: tuple[str, ...] = (),
                 keep_comment: Callable[[str], bool] = lambda text: False) -> None:
    """Belt and braces after cleaning: drop unsafe elements (bar `keep`), comments (bar `keep_comment`),
    on* attributes and script URLs."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            if not (element.tag is lxml.etree.Comment and keep_comment(element.text or "")):
                element.drop_tree()
            continue
        if element.tag in UNSAFE_TAGS and element.tag not in keep and element is not root:
            element.drop_tree()
            continue
        for name in list(element.attrib):
            value = element.attrib[name].strip().lower()
            if name.lower().startswith("on") or value.startswith(("javascript:", "vbscript:", "data:text")):
                del element.attrib[name]


def safe_for_email(fragment: str, page_url: str) -> str:
    """A body fragment fit for a mail client: cleaned, absolute, and every image with alt text."""
    if not fragment.strip():
        return ""
    root = _wrap(fragment)
    make_cleaner()(root)
    strip_active(root)
    root.make_links_absolute(page_url, resolve_base_href=False)
    for image in root.iter("img"):
        image.set("alt", image.get("alt") or "")
    return _unwrap(root)
