"""Markdown to HTML with heading ids, content-file links resolved and site paths recorded."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import Mapping
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from reThink_site.typography import SmartPunctuationExtension
from reThink_site.urls import slugify

_TAGS = re.compile(r"<[^>]+>")
_SCRIPTISH = re.compile(r"<\s*script\b|<[^>]*[\s/\"']on[a-z]+\s*=|\{:?[^}]*\bon[a-z]+\s*=|javascript\s*:",
                        re.IGNORECASE)  # a script, a handler inside a tag or an attr_list, a script URL
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these inside a URL before reading its scheme
_ACTIVE_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action", "xlink:href", "background",
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
class LinkContext:
    """What link rewriting needs: where the file lives and where every content file ends up."""

    source_dir: str                  # folder of the file, relative to content/ ("events")
    file_urls: Mapping[str, str]     # "events/2014-…md" -> "/events/2014-…/"
    base_path: str                   # "/" or "/rethink/"


class _LinkProcessor(Treeprocessor):
    """Rewrites links in the element tree and records them for checking."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: Element) -> None:
        for element in root.iter():
            if self.owner.escape_html:  # `{: onclick=…}` from attr_list is raw HTML by another name
                for name in [n for n in element.keys() if n.lower().startswith("on") or
                             n.lower() in _ACTIVE_ATTRIBUTES]:
                    del element.attrib[name]
            if element.get("id"):
                self.owner.found_ids.append(element.get("id"))
            if element.tag == "a" and element.get("href") is not None:
                element.set("href", self.owner.rewrite(element.get("href")))
            if element.tag == "img":
                if not (element.get("alt") or "").strip():
                    self.owner.no_alt.append(element.get("src") or "")  # as the editor wrote it
                if element.get("src") is not None:
                    element.set("src", self.owner.rewrite(element.get("src")))


class _Links(Extension):
    def __init__(self, owner: "MarkdownRenderer") -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_LinkProcessor(md, self.owner), "rethink_links", 1)


class MarkdownRenderer:
    """One configured Markdown instance, reused (reset) for every body it renders."""

    def __init__(self, raw_html: str = "allow") -> None:
        self.context = LinkContext("", {}, "/")
        self.escape_html = raw_html == "escape"
        self.found_ids: list[str] = []
        self.links: list[str] = []
        self.missing: list[str] = []
        self.no_alt: list[str] = []
        self.bad: list[str] = []
        self.md = markdown.Markdown(
            extensions=["toc", "tables", "fenced_code", "footnotes", "attr_list", "sane_lists",
                        SmartPunctuationExtension(), _Links(self)],
            extension_configs={"toc": {"slugify": lambda text, sep: slugify(text) or "section"}},
            output_format="html")
        if raw_html == "escape":
            self.md.preprocessors.deregister("html_block")
            self.md.inlinePatterns.deregister("html")

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
        if path.startswith("/"):
            self.links.append(path + fragment)
            return self.context.base_path.rstrip("/") + path + fragment
        return href

    def render(self, body: str, context: LinkContext) -> Rendered:
        """Render one body; the instance is reset so nothing leaks between documents."""
        self.context = context
        self.found_ids, self.links, self.missing, self.no_alt, self.bad = [], [], [], [], []
        self.md.reset()
        out = self.md.convert(body)
        return Rendered(out, tuple(self.found_ids), tuple(self.links), tuple(self.missing),
                        tuple(self.no_alt), tuple(self.bad))


def plain_text(fragment: str) -> str:
    """Strip tags and entities: for summaries, calendars and plain-text e-mail."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", fragment))).strip()


def first_paragraph(fragment: str) -> str:
    """The text of the first paragraph, the default summary of a page."""
    match = re.search(r"<p\b[^>]*>(.*?)</p>", fragment, re.DOTALL)
    return plain_text(match.group(1)) if match else ""


def has_script(body: str) -> bool:
    """True when a body holds a `<script>` element or an inline event handler."""
    if "<" not in body and "{" not in body and "javascript" not in body.lower():
        return False  # every alternative of the pattern needs one of these; most bodies have none
    return bool(_SCRIPTISH.search(body))


def script_line(body: str, first_line: int) -> int:
    """The file line of the first script or handler in a body (its first line when none)."""
    match = _SCRIPTISH.search(body)
    return first_line + body.count("\n", 0, match.start()) if match else first_line


def line_of(body: str, needle: str, first_line: int) -> int:
    """The file line where a link target first appears in a body (for messages)."""
    index = body.find(needle)
    return first_line + body.count("\n", 0, index) if index >= 0 else first_line
