"""A post's HTML as Markdown (markdownify), with its links and images pointed at the imported pages and files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from markdownify import ATX, BACKSLASH, MarkdownConverter

BLOCKS = "table|thead|tbody|tfoot|tr|ul|ol|dl|li|dd|dt|pre|blockquote|h[1-6]|hr|div|figure|figcaption|form|" \
         "section|article|aside|header|footer|address|iframe|p"
AROUND_BLOCKS = re.compile(rf"(<(?:{BLOCKS})\b[^>]*>)|(</(?:{BLOCKS})>)", re.I)
KEEP_AS_IS = re.compile(rf"^\s*</?(?:{BLOCKS}|td|th|caption|col|colgroup)\b", re.I)


@dataclass(frozen=True)
class Rewritten:
    """Where a link or image of the old site points now; `remote` when it still points at the old site's files."""

    url: str
    remote: bool = False
    alt: str = ""


@dataclass
class Findings:
    """What converting one body noticed: images without alt text and files left on the old site."""

    no_alt: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines and adds `<p>` only when showing a post (wpautop); do the same.

    Content that already has `<p>` (the block editor's, or hand-written HTML) is left as it is.
    """
    if re.search(r"<p[\s>]", text, re.I):
        return text
    spaced = AROUND_BLOCKS.sub(lambda m: f"\n\n{m.group(1)}" if m.group(1) else f"{m.group(2)}\n\n",
                               text.replace("\r\n", "\n"))
    out = []
    for block in re.split(r"\n\s*\n", spaced):
        if not block.strip():
            continue
        if KEEP_AS_IS.match(block):
            out.append(block.strip())
        else:
            out.append("<p>" + re.sub(r"[ \t]*\n[ \t]*", "<br />\n", block.strip()) + "</p>")
    return "\n".join(out)


class ImportConverter(MarkdownConverter):
    """markdownify with every href and src passed through the import's rewrite first."""

    def __init__(self, rewrite: Callable[[str], Rewritten], findings: Findings, **options) -> None:
        super().__init__(heading_style=ATX, bullets="-", escape_misc=False, newline_style=BACKSLASH, **options)
        self.rewrite = rewrite
        self.findings = findings

    def convert_a(self, el, text, parent_tags):
        """A link, to the new page or imported file when it pointed at the old site."""
        href = el.get("href")
        if href:
            done = self.rewrite(href)
            el["href"] = done.url
            if done.remote:
                self.findings.remote.append(done.url)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        """An image, from the imported file, with its alt text (the media library's when the tag had none)."""
        src = el.get("src") or ""
        if src:
            done = self.rewrite(src)
            el["src"] = done.url
            if done.remote:
                self.findings.remote.append(done.url)
            if not (el.get("alt") or "").strip():
                if done.alt:
                    el["alt"] = done.alt
                else:
                    self.findings.no_alt.append(done.url)
        return super().convert_img(el, text, set(parent_tags) - {"_inline"} if el.parent and
                                   el.parent.name == "a" else parent_tags)


    def convert_figcaption(self, el, text, parent_tags):
        """A block editor image's caption, under it in italics (as a [caption] shortcode's)."""
        return f"\n\n*{text.strip()}*\n\n" if text.strip() else ""

    def convert_iframe(self, el, text, parent_tags):
        """An embedded player or map has no Markdown form: a link to what it showed."""
        src = (el.get("src") or "").strip()
        if not src:
            return ""
        done = self.rewrite(src)
        label = (el.get("title") or "").strip() or "Embedded content"
        return f"\n\n[{label}: {done.url}]({done.url})\n\n"


def to_markdown(html_text: str, rewrite: Callable[[str], Rewritten],
                findings: Optional[Findings] = None) -> tuple[str, Findings]:
    """The body as Markdown, tidy: no runs of blank lines, no trailing spaces, one final newline."""
    findings = findings if findings is not None else Findings()
    converted = ImportConverter(rewrite, findings).convert(autop(html_text))
    lines = [line.rstrip() for line in converted.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return (text + "\n" if text else ""), findings
