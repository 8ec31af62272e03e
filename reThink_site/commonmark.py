"""CommonMark bodies (`markdown.engine: commonmark`, the default) with pulldown-cmark, through pyromark.

pulldown-cmark (the Rust parser behind Zola, mdBook and rustdoc) renders a body about 200 times faster
than Python-Markdown. It renders the HTML; its event stream, read once alongside, says where each
Markdown link, image, heading and footnote sits, so only those tags are adjusted: links resolved and
recorded, heading ids added, footnote ids made unique. Raw HTML is passed through untouched (or, with
`raw_html: escape`, turned into text before parsing). Smart punctuation runs over the text last.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pyromark

from reThink_site.markup import LinkContext, LinkRecorder, Rendered
from reThink_site.typography import has_tokens, smarten_html
from reThink_site.urls import slugify

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
        events = tuple(pyromark.events(body, options=OPTIONS))
        edits = _Edits(pyromark.html(body, options=OPTIONS))
        links = LinkRecorder(context)
        ids: list[str] = []
        no_alt: list[str] = []
        heading: list[str] | None = None
        heading_start: tuple[int, int, dict] = (0, 0, {})
        image_depth, alt, image_source = 0, [], ""
        texts: list[str] = []  # to learn whether any text has quotes, dashes or dots to make typographic
        for event in events:
            if type(event) is str:
                continue
            (kind, value), = event.items()
            if kind == "Text" or kind == "Code":
                if kind == "Text":
                    texts.append(value)
                if heading is not None:
                    heading.append(value)
                if image_depth:
                    alt.append(value)
            elif kind == "Html" or kind == "InlineHtml":
                texts.append("'")  # text inside raw HTML is typeset too
                edits.skip_past(value)
                ids.extend(next(v for v in found if v is not None) for found in _RAW_ID.findall(value))
            elif kind == "Start":
                (tag, data), = value.items() if type(value) is dict else ((value, None),)
                if image_depth and tag in ("Link", "Image"):
                    image_depth += tag == "Image"  # inside alt text nothing is a tag
                elif tag == "Link":
                    target = ("mailto:" if data["link_type"] == "Email" else "") + data["dest_url"]
                    edits.replace_attribute('<a href="', links.rewrite(target), target)
                elif tag == "Image":
                    image_depth, alt, image_source = 1, [], data["dest_url"]
                    edits.replace_attribute('<img src="', links.rewrite(image_source), image_source)
                elif tag == "Heading":
                    start = edits.find("<h" + data["level"][1])
                    if start < 0:
                        continue
                    end = edits.html.find(">", start) + 1
                    heading, heading_start = [], (start, end, data)
                    edits.cursor = end
                elif tag == "FootnoteDefinition":
                    ids.append(f"fn-{data}")
                    edits.replace_attribute('<div class="footnote-definition" id="', f"fn-{data}", data)
            elif kind == "End":
                if value == "Image" and image_depth:
                    image_depth -= 1
                    if not image_depth and not "".join(alt).strip():
                        no_alt.append(image_source)
                elif type(value) is dict and "Heading" in value and heading is not None:
                    start, end, data = heading_start
                    anchor = _unique(data["id"] or slugify("".join(heading)) or "section", ids)
                    ids.append(anchor)
                    edits.spans.append((start, end, self._heading_tag(data, anchor)))
                    heading = None
            elif kind == "FootnoteReference":
                edits.replace_attribute('<sup class="footnote-reference"><a href="', f"#fn-{value}", f"#{value}")
        out = edits.applied()
        return Rendered((smarten_html(out) if has_tokens("\0".join(texts)) else out).rstrip("\n"), tuple(ids), tuple(links.links),
                        tuple(links.missing), tuple(no_alt), tuple(links.bad))

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
