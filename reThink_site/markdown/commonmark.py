"""CommonMark bodies (`markdown.engine: commonmark`, the default) with pulldown-cmark, through pyromark.

pulldown-cmark (the Rust parser behind Zola, mdBook and rustdoc) parses and renders a body in about
0.01 ms. It renders the HTML; its event stream, read once alongside, says where each
Markdown link, image, heading and footnote sits, so only those tags are adjusted: links resolved and
recorded, heading ids added, footnote ids made unique. Raw HTML is passed through untouched (or, with
`raw_html: escape`, turned into text before parsing). Smart punctuation runs over the text last.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pyromark

from reThink_site.core.urls import slugify
from reThink_site.markdown.base import LinkContext, LinkRecorder, Rendered
from reThink_site.markdown.typography import has_tokens, smarten_html

OPTIONS = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
           | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_TASKLISTS
           | pyromark.Options.ENABLE_HEADING_ATTRIBUTES)
_RAW_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_DUPLICATE = re.compile(r"^(.*)_([0-9]+)$")
_ESCAPE_ROUNDS = 8  # escaping raw HTML can expose more only in contrived input; each round removes some


@dataclass
class _Edits:
    """Replacements for spans of the rendered HTML, found in document order."""

    html: str
    cursor: int = 0
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def find(self, needle: str) -> int:
        """The next occurrence of a tag prefix (or raw HTML) at or after the cursor, -1 when absent."""
        return self.html.find(needle, self.cursor)

    def replace_attribute(self, tag_start: str, value: str, written: str = "") -> None:
        """Give the next `tag_start…"` attribute (e.g. `<a href="`) a new value, unless it is unchanged."""
        start = self.find(tag_start)
        if start < 0:
            return
        begin = start + len(tag_start)
        end = self.html.find('"', begin)
        if value != written:  # an untouched URL keeps the renderer's own escaping
            self.spans.append((begin, end, html.escape(value)))
        self.cursor = end

    def skip_past(self, text: str) -> None:
        """Move past raw HTML, which the renderer copies verbatim, so no tag inside it is taken for ours."""
        at = self.find(text)
        if at >= 0:
            self.cursor = at + len(text)

    def applied(self) -> str:
        """The HTML with every replacement made."""
        out, last = [], 0
        for start, end, text in self.spans:
            out.append(self.html[last:start])
            out.append(text)
            last = end
        out.append(self.html[last:])
        return "".join(out)


class CommonMarkRenderer:
    """Renders bodies as CommonMark with tables, footnotes, task lists and heading attributes."""

    def __init__(self, raw_html: str = "allow") -> None:
        self.escape_html = raw_html == "escape"

    def render(self, body: str, context: LinkContext) -> Rendered:
        """Render one body and collect what the link checker needs."""
        if self.escape_html:
            body = _without_raw_html(body)
        walk = _Walk(_Edits(pyromark.html(body, options=OPTIONS)), LinkRecorder(context), self.escape_html)
        for event in pyromark.events(body, options=OPTIONS):
            if type(event) is dict:  # the bare strings (breaks, rules) need nothing
                (kind, value), = event.items()
                handler = walk.handlers.get(kind)
                if handler is not None:
                    handler(value)
        out = walk.edits.applied()
        typeset = smarten_html(out) if has_tokens("\0".join(walk.texts)) else out
        links = walk.links
        return Rendered(typeset.rstrip("\n"), tuple(walk.ids), tuple(links.links), tuple(links.missing),
                        tuple(walk.no_alt), tuple(links.bad))


class _Walk:
    """One pass over a body's events, adjusting the tags they produced in the rendered HTML."""

    def __init__(self, edits: _Edits, links: LinkRecorder, escape_html: bool) -> None:
        self.edits, self.links, self.escape_html = edits, links, escape_html
        self.ids: list[str] = []
        self.no_alt: list[str] = []
        self.texts: list[str] = []  # to learn whether any text has quotes, dashes or dots to typeset
        self.heading: list[str] | None = None  # the text of the heading being read
        self.heading_tag: tuple[int, int, dict] = (0, 0, {})
        self.image_depth, self.alt, self.image_source = 0, [], ""
        self.handlers = {"Text": self.text, "Code": self.code, "Html": self.raw, "InlineHtml": self.raw,
                         "Start": self.start, "End": self.end, "FootnoteReference": self.footnote_reference}

    def text(self, value: str) -> None:
        """Plain text: typeset later, and part of a heading's id or an image's alt text."""
        self.texts.append(value)
        self.code(value)

    def code(self, value: str) -> None:
        """Inline code: never typeset, but it names headings and describes images too."""
        if self.heading is not None:
            self.heading.append(value)
        if self.image_depth:
            self.alt.append(value)

    def raw(self, value: str) -> None:
        """Raw HTML, copied verbatim: skipped over, its ids noted, its text typeset."""
        self.texts.append("'")
        self.edits.skip_past(value)
        self.ids.extend(next(v for v in found if v is not None) for found in _RAW_ID.findall(value))

    def start(self, value) -> None:
        """Links and images get our URL rules; headings and footnotes their ids."""
        (tag, data), = value.items() if type(value) is dict else ((value, None),)
        if self.image_depth and tag in ("Link", "Image"):
            self.image_depth += tag == "Image"  # inside alt text nothing is a tag
        elif tag == "Link":
            target = ("mailto:" if data["link_type"] == "Email" else "") + data["dest_url"]
            self.edits.replace_attribute('<a href="', self.links.rewrite(target), target)
        elif tag == "Image":
            self.image_depth, self.alt, self.image_source = 1, [], data["dest_url"]
            self.edits.replace_attribute('<img src="', self.links.rewrite(data["dest_url"]), data["dest_url"])
        elif tag == "Heading":
            start = self.edits.find("<h" + data["level"][1])
            if start >= 0:
                end = self.edits.html.find(">", start) + 1
                self.heading, self.heading_tag, self.edits.cursor = [], (start, end, data), end
        elif tag == "FootnoteDefinition":
            self.ids.append(f"fn-{data}")
            self.edits.replace_attribute('<div class="footnote-definition" id="', f"fn-{data}", data)

    def end(self, value) -> None:
        """An image's alt text or a heading's text is complete."""
        if value == "Image" and self.image_depth:
            self.image_depth -= 1
            if not self.image_depth and not "".join(self.alt).strip():
                self.no_alt.append(self.image_source)
        elif type(value) is dict and "Heading" in value and self.heading is not None:
            start, end, data = self.heading_tag
            anchor = _unique(data["id"] or slugify("".join(self.heading)) or "section", self.ids)
            self.ids.append(anchor)
            self.edits.spans.append((start, end, self._heading_tag(data, anchor)))
            self.heading = None

    def footnote_reference(self, value: str) -> None:
        """A footnote mark links to the footnote's own id."""
        self.edits.replace_attribute('<sup class="footnote-reference"><a href="', f"#fn-{value}", f"#{value}")

    def _heading_tag(self, data: dict, anchor: str) -> str:
        """`<h2 id="…">`, keeping classes and, unless raw HTML is escaped, other `{…}` attributes."""
        parts = [f'<h{data["level"][1]} id="{html.escape(anchor)}"']
        if data["classes"]:
            parts.append(f' class="{html.escape(" ".join(data["classes"]))}"')
        if not self.escape_html:
            parts.extend(f' {html.escape(name)}="{html.escape(value or "")}"' for name, value in data["attrs"])
        return "".join(parts) + ">"


def _unique(anchor: str, taken: list[str]) -> str:
    """`intro`, then `intro_1`, `intro_2`: the numbering Python-Markdown's toc uses."""
    while anchor in taken:
        numbered = _DUPLICATE.match(anchor)
        anchor = f"{numbered.group(1)}_{int(numbered.group(2)) + 1}" if numbered else f"{anchor}_1"
    return anchor


def _without_raw_html(body: str) -> str:
    """The body with every `<` that starts raw HTML written as `&lt;`, so it shows as text."""
    for _ in range(_ESCAPE_ROUNDS):
        source = body.encode()
        spans = [span for event, span in pyromark.events_with_range(body, options=OPTIONS)
                 if type(event) is dict and ("Html" in event or "InlineHtml" in event)]
        if not spans:
            return body
        out, last = [], 0
        for span in spans:
            out += [source[last:span["start"]], source[span["start"]:span["end"]].replace(b"<", b"&lt;")]
            last = span["end"]
        body = b"".join(out + [source[last:]]).decode()
    return html.escape(body)  # never reached by real text; as a last resort nothing stays markup
