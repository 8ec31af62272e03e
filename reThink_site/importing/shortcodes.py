"""WordPress shortcodes in a post's HTML: the ones with a faithful Markdown form become HTML markdownify converts."""

from __future__ import annotations

import html
import re
from typing import Callable, Mapping, NamedTuple

ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"\]]+)"""
                       r"""|"([^"]*)"|(\S+)""")
ENCLOSING = re.compile(r"\[(caption|wp_caption|embed)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
SINGLE = re.compile(r"\[(gallery|youtube|vimeo|audio|video)\b(=?[^\]]*)\](?:(.*?)\[/\1\])?", re.S | re.I)
LEFT_OVER = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)((?:\s+[^\]\[]*)?)\]", re.I)
NAMED_SHORTCODES = frozenset({"contact-form", "contact-form-7", "googlemaps", "slideshare", "scribd", "soundcloud",
                              "playlist", "wpvideo", "instagram", "tweet", "twitter", "polldaddy", "archives",
                              "sourcecode", "code", "recipe", "gravityform", "wufoo", "issuu", "dailymotion",
                              "spotify", "ted", "flickr", "googleapps", "blip.tv", "pdf-embedder", "embeddoc"})
AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "wav")
VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv")


class GalleryImage(NamedTuple):
    """An image a gallery shows: its URL and alt text."""

    url: str
    alt: str


def attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """A shortcode's named and positional attributes, as WordPress's shortcode_parse_atts reads them."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in ATTRIBUTE.finditer(text):
        if match.group(1):
            named[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            named[match.group(3).lower()] = match.group(4)
        elif match.group(5):
            named[match.group(5).lower()] = match.group(6)
        else:
            positional.append(match.group(7) if match.group(7) is not None else match.group(8))
    return named, positional


def _link(url: str, label: str) -> str:
    url = html.unescape(url.strip())
    return f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>' if url else ""


def _caption(match: re.Match) -> str:
    named, _ = attributes(match.group(2))
    inner = match.group(3).strip()
    image = re.match(r"^((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S | re.I)
    picture, text = (image.group(1), image.group(2).strip()) if image else (inner, "")
    text = text or named.get("caption", "")
    return f"<p>{picture}</p>" + (f"<p><em>{text}</em></p>" if text else "")


def _video_or_audio(name: str, attrs: str, content: str) -> str:
    named, positional = attributes(attrs.lstrip("="))
    if attrs.startswith("="):
        url = attrs[1:].strip()
    else:
        keys = AUDIO_SOURCES if name == "audio" else VIDEO_SOURCES
        url = next((named[k] for k in keys if named.get(k)), "") or (positional[0] if positional else "")
    url = url or (content or "").strip()
    if name in ("youtube", "vimeo", "video"):
        return _link(url, f"Watch the video: {url}")
    return _link(url, f"Listen: {url}")


def expand(body: str, gallery: Callable[[list[int]], list[GalleryImage]]) -> str:
    """Replace the shortcodes that have a faithful form: a captioned image, a gallery's images, a link to a video."""

    def enclosing(match: re.Match) -> str:
        name = match.group(1).lower()
        if name in ("caption", "wp_caption"):
            return _caption(match)
        return _link(match.group(3), f"See: {match.group(3).strip()}")

    def single(match: re.Match) -> str:
        name = match.group(1).lower()
        if name == "gallery":
            named, _ = attributes(match.group(2))
            ids = [int(n) for n in re.findall(r"\d+", named.get("ids", named.get("include", "")))]
            images = gallery(ids)
            return "".join(f'<p><img src="{html.escape(i.url)}" alt="{html.escape(i.alt)}"></p>' for i in images)
        return _video_or_audio(name, match.group(2), match.group(3) or "")

    return SINGLE.sub(single, ENCLOSING.sub(enclosing, body))


def left_over(body: str) -> list[str]:
    """The shortcodes still in a body after expand(): `[name attr=…]`, `[/name]` or a well-known name."""
    found = []
    for match in LEFT_OVER.finditer(body):
        closing, name, attrs = match.groups()
        if closing or "=" in attrs or name.lower() in NAMED_SHORTCODES:
            if name.lower() not in found:
                found.append(name.lower())
    return found


def lines_naming(markdown: str, names: Mapping[str, None] | list[str]) -> list[tuple[int, str]]:
    """(0-based line, name) of each line of the Markdown where a left-over shortcode stands."""
    found = []
    for number, line in enumerate(markdown.split("\n")):
        plain = line.replace("\\_", "_").lower()
        for name in names:
            if f"[{name}" in plain or f"[/{name}]" in plain:
                found.append((number, name))
    return found
