"""What every Markdown engine shares: the render result, link resolution, and text helpers for HTML."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, fields
from typing import Mapping, Protocol

_TAGS = re.compile(r"<[^>]+>")
_SCRIPTISH = re.compile(r"<\s*script\b|<[^>]*[\s/\"']on[a-z]+\s*=|\{:?[^}]*\bon[a-z]+\s*=|javascript\s*:",
                        re.IGNORECASE)  # a script, a handler inside a tag or an attr_list, a script URL
_SCRIPT_URL = re.compile(r"(?:java|vb)script:")  # matched against text as_browser_reads it
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these inside a URL before reading its scheme
ACTIVE_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action", "xlink:href", "background",
                                "poster", "data", "dynsrc", "lowsrc"})


@dataclass(frozen=True)
class Rendered:
    """A body's HTML plus what the link checker needs to know about it."""

    html: str
    ids: tuple[str, ...]
    links: tuple[str, ...]          # site paths (with #fragment) the body points at
    missing_files: tuple[str, ...]  # content-file links whose target does not exist
    images_without_alt: tuple[str, ...]
    bad_schemes: tuple[str, ...]


@dataclass(frozen=True)
class RenderedBody(Rendered):
    """A body's render with the text of its first paragraph, an entry's default summary."""

    first_paragraph_text: str = ""


def with_first_paragraph(rendered: Rendered) -> RenderedBody:
    """The render plus its first paragraph's text, worked out once, in the process that rendered it."""
    parts = {part.name: getattr(rendered, part.name) for part in fields(Rendered)}
    return RenderedBody(**parts, first_paragraph_text=first_paragraph(rendered.html))


@dataclass(frozen=True)
class LinkContext:
    """What link rewriting needs: where the file lives and where every content file ends up."""

    source_dir: str                  # folder of the file, relative to content/ ("events")
    file_urls: Mapping[str, str]     # "events/2014-…md" -> "/events/2014-…/"
    base_path: str                   # "/" or "/rethink/"


class LinkRecorder:
    """Resolves and records the links of one body while an engine renders it."""

    def __init__(self, context: LinkContext) -> None:
        self.context = context
        self.links: list[str] = []
        self.missing: list[str] = []
        self.bad: list[str] = []

    def rewrite(self, href: str) -> str:
        """Resolve `.md` links to page URLs and prefix site paths with base_url's folder."""
        href = href.strip()
        if href.startswith("#"):
            self.links.append(href)
            return href
        as_read = _URL_NOISE.sub("", html.unescape(href))  # `java&#115;cript:` is javascript: to a browser
        if _SCHEME.match(as_read) or as_read.startswith(("//", "\\\\", "/\\", "\\/")):
            if as_read.split(":", 1)[0].lower() not in ("http", "https", "mailto", "tel"):
                self.bad.append(href)
                return "#"
            return href
        path, _, fragment = href.partition("#")
        fragment = "#" + fragment if fragment else ""
        if not path.startswith("/") and path.lower().endswith((".md", ".markdown")):
            target = posixpath.normpath(posixpath.join(self.context.source_dir, path))
            url = self.context.file_urls.get(target)
            if url is None:
                self.missing.append(href)
                return href
            path = url
        if self.context.base_path != "/" and path.startswith(self.context.base_path):
            path = path[len(self.context.base_path) - 1:]  # copied from the address bar: a site path all the same
        if path.startswith("/"):
            self.links.append(path + fragment)
            return self.context.base_path.rstrip("/") + path + fragment
        return href


def plain_text(fragment: str) -> str:
    """Strip tags and entities: for summaries, calendars and plain-text e-mail."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", fragment))).strip()


def first_paragraph(fragment: str) -> str:
    """The text of the first paragraph, the default summary of a page."""
    match = re.search(r"<p\b[^>]*>(.*?)</p>", fragment, re.DOTALL)
    return plain_text(match.group(1)) if match else ""


def as_browser_reads(text: str) -> str:
    """Text as a browser reads a URL in it: entities decoded (`&#106;`, `&colon;`), then tabs, newlines,
    spaces and other control characters dropped (`jav&#x09;ascript:` is `javascript:`)."""
    return _URL_NOISE.sub("", html.unescape(text)).lower()


def _scriptish_line(line: str) -> bool:
    """One line holds a script, a handler or (once decoded as a browser would) a script URL."""
    if _SCRIPTISH.search(line):
        return True
    return "&" in line and bool(_SCRIPT_URL.search(as_browser_reads(line)))


def has_script(body: str) -> bool:
    """True when a body holds a `<script>` element, an inline event handler or a script URL, however spelt."""
    if "<" not in body and "{" not in body and "javascript" not in body.lower() and "&" not in body:
        return False  # every alternative of the pattern needs one of these; most bodies have none
    return bool(_SCRIPTISH.search(body)) or any(map(_scriptish_line, body.split("\n")))


def script_line(body: str, first_line: int) -> int:
    """The file line of the first script, handler or script URL in a body (its first line when none)."""
    match = _SCRIPTISH.search(body)  # may span lines (`<img\nonerror=…>`)
    found = [body.count("\n", 0, match.start())] if match else []
    found += [next((n for n, line in enumerate(body.split("\n")) if _scriptish_line(line)), len(body))]
    return first_line + min(found) if min(found) < len(body) else first_line


def line_of(body: str, needle: str, first_line: int) -> int:
    """The file line where a link target first appears in a body (for messages)."""
    index = body.find(needle)
    return first_line + body.count("\n", 0, index) if index >= 0 else first_line


class Renderer(Protocol):
    """A Markdown engine as the build uses it: one body in, HTML and link data out."""

    def render(self, body: str, context: LinkContext) -> Rendered: ...
