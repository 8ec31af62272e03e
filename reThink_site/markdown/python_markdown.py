"""Python-Markdown as an engine (`markdown.engine: python-markdown`): its extensions, our link rules."""

from __future__ import annotations

import re
from typing import Iterator
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from reThink_site.core.urls import slugify
from reThink_site.markdown.base import ACTIVE_ATTRIBUTES, LinkContext, LinkRecorder, Rendered
from reThink_site.markdown.typography import SKIP, smarten


def _text_slots(element: Element) -> Iterator[tuple[Element, str]]:
    """(element, 'text'|'tail') in reading order, skipping code and preformatted text."""
    if element.tag not in SKIP:
        yield element, "text"
        for child in element:
            yield from _text_slots(child)
    yield element, "tail"


class SmartPunctuation(Treeprocessor):
    """Applies `smarten` to every text node, carrying the previous character across elements."""

    def run(self, root: Element) -> None:
        before = ""
        for element, slot in _text_slots(root):
            if element is root and slot == "tail":
                continue
            text = getattr(element, slot)
            if not text:
                continue
            if "\x02" in text or "\x03" in text:  # stashed raw HTML or escapes: leave their characters alone
                parts = re.split(r"(\x02[^\x03]*\x03)", text)
                for index, part in enumerate(parts):
                    if index % 2 == 0 and part:
                        parts[index] = smarten(part, before)
                        before = parts[index][-1]
                setattr(element, slot, "".join(parts))
            else:
                setattr(element, slot, smarten(text, before))
                before = text[-1]


class SmartPunctuationExtension(Extension):
    """Registers the processor after the table of contents has read the headings."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(SmartPunctuation(md), "rethink_smart_punctuation", 3)


class _LinkProcessor(Treeprocessor):
    """Rewrites links in the element tree and records them for checking."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: Element) -> None:
        recorder = self.owner.recorder
        for element in root.iter():
            if self.owner.escape_html:  # `{: onclick=…}` from attr_list is raw HTML by another name
                for name in [n for n in element.keys() if n.lower().startswith("on") or
                             n.lower() in ACTIVE_ATTRIBUTES]:
                    del element.attrib[name]
            if element.get("id"):
                self.owner.found_ids.append(element.get("id"))
            if element.tag == "a" and element.get("href") is not None:
                element.set("href", recorder.rewrite(element.get("href")))
            if element.tag == "img":
                if not (element.get("alt") or "").strip():
                    self.owner.no_alt.append(element.get("src") or "")  # as the editor wrote it
                if element.get("src") is not None:
                    element.set("src", recorder.rewrite(element.get("src")))


class _Links(Extension):
    def __init__(self, owner: "MarkdownRenderer") -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_LinkProcessor(md, self.owner), "rethink_links", 1)


class MarkdownRenderer:
    """Python-Markdown (`markdown.engine: python-markdown`), one instance reset for every body."""

    def __init__(self, raw_html: str = "allow") -> None:
        self.recorder = LinkRecorder(LinkContext("", {}, "/"))
        self.escape_html = raw_html == "escape"
        self.found_ids: list[str] = []
        self.no_alt: list[str] = []
        self.md = markdown.Markdown(
            extensions=["toc", "tables", "fenced_code", "footnotes", "attr_list", "sane_lists",
                        SmartPunctuationExtension(), _Links(self)],
            extension_configs={"toc": {"slugify": lambda text, sep: slugify(text) or "section"}},
            output_format="html")
        if raw_html == "escape":
            self.md.preprocessors.deregister("html_block")
            self.md.inlinePatterns.deregister("html")

    def render(self, body: str, context: LinkContext) -> Rendered:
        """Render one body; the instance is reset so nothing leaks between documents."""
        self.recorder = LinkRecorder(context)
        self.found_ids, self.no_alt = [], []
        self.md.reset()
        out = self.md.convert(body)
        return Rendered(out, tuple(self.found_ids), tuple(self.recorder.links), tuple(self.recorder.missing),
                        tuple(self.no_alt), tuple(self.recorder.bad))
