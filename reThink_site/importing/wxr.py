"""Reads a WordPress export (WXR 1.0–1.2) as a stream of items, refusing DTDs, entities and external references."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, Optional
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import iterparse
from pydantic import BaseModel, ConfigDict

from reThink_site.core.errors import SiteError

WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(1\.[0-2])/$")
SHORT_NAMES = {"http://purl.org/rss/1.0/modules/content/": "content", "http://purl.org/dc/elements/1.1/": "dc",
               "http://wellformedweb.org/CommentAPI/": "wfw"}


class ExportError(SiteError):
    """An export that cannot be imported: refused, broken or not a WordPress export; nothing was written."""


class Frozen(BaseModel):
    """Base of the export's records: immutable, every field typed."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Channel(Frozen):
    """The exported site: its name, its address and the WXR version."""

    title: str = ""
    link: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""


class Author(Frozen):
    """A `wp:author` of the export (its e-mail address is deliberately not read)."""

    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


class Term(Frozen):
    """A category or tag an item carries."""

    domain: str  # "category" or "post_tag"
    slug: str
    name: str


class Item(Frozen):
    """One `<item>`: a post, page, attachment or anything else WordPress stores as a post."""

    post_id: int
    post_type: str = "post"
    status: str = "publish"
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    post_password: str = ""
    parent: int = 0
    attachment_url: str = ""
    terms: tuple[Term, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    comments: int = 0

    def meta_value(self, key: str) -> str:
        """The value of one post meta key ('' when absent)."""
        return next((value for name, value in self.meta if name == key), "")


class ExportHead(Frozen):
    """What the channel says before and around its items."""

    channel: Channel
    authors: tuple[Author, ...]


def _local(tag: str, versions: dict[str, str]) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` as `wp:post_id`, whatever WXR version named it."""
    if not tag.startswith("{"):
        return tag
    uri, _, name = tag[1:].partition("}")
    if uri in versions:
        return f"{versions[uri]}:{name}"
    return f"{SHORT_NAMES.get(uri, uri)}:{name}"


def _text(element: Optional[Element]) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element: Element, versions: dict[str, str]) -> dict[str, Element]:
    found: dict[str, Element] = {}
    for child in element:
        found.setdefault(_local(child.tag, versions), child)
    return found


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


def _item(element: Element, versions: dict[str, str], with_bodies: bool) -> Item:
    """One `<item>` element as a record; bodies only when asked (the planning pass does not keep them)."""
    fields = _children(element, versions)
    terms, meta, comments = [], [], 0
    for child in element:
        name = _local(child.tag, versions)
        if name == "category" and child.get("domain") in ("category", "post_tag"):
            terms.append(Term(domain=child.get("domain", ""), slug=child.get("nicename", ""), name=_text(child)))
        elif name == "wp:postmeta":
            parts = _children(child, versions)
            meta.append((_text(parts.get("wp:meta_key")), (parts["wp:meta_value"].text or "")
                         if "wp:meta_value" in parts else ""))
        elif name == "wp:comment":
            comments += 1

    def text(name: str) -> str:
        return _text(fields.get(name))

    return Item(post_id=_int(text("wp:post_id")), post_type=text("wp:post_type") or "post",
                status=text("wp:status") or "publish", title=text("title"), link=text("link"), guid=text("guid"),
                creator=text("dc:creator"),
                content=(fields["content:encoded"].text or "") if with_bodies and "content:encoded" in fields else "",
                excerpt=text("excerpt:encoded"), post_date=text("wp:post_date"),
                post_date_gmt=text("wp:post_date_gmt"), post_name=text("wp:post_name"),
                post_password=text("wp:post_password"),
                parent=_int(text("wp:post_parent")), attachment_url=text("wp:attachment_url"),
                terms=tuple(terms), meta=tuple(meta), comments=comments)


def _author(element: Element, versions: dict[str, str]) -> Author:
    fields = _children(element, versions)
    return Author(login=_text(fields.get("wp:author_login")), display_name=_text(fields.get("wp:author_display_name")),
                  first_name=_text(fields.get("wp:author_first_name")),
                  last_name=_text(fields.get("wp:author_last_name")))


def read_export(path: Path, with_bodies: bool = True) -> Iterator[Item | ExportHead]:
    """Every item of the export in order, then its head (channel and authors), streaming in bounded memory.

    Raises ExportError, naming the file and line, for a DTD or entity (refused before anything is read),
    XML that is cut short or broken, bytes that are not in the declared encoding, and a file that is not WXR.
    """
    versions: dict[str, str] = {}
    channel: dict[str, str] = {}
    authors: list[Author] = []
    stack: list[str] = []
    parent: Optional[Element] = None
    try:
        with path.open("rb") as stream:
            for event, value in iterparse(stream, events=("start-ns", "start", "end"), forbid_dtd=True):
                if event == "start-ns":
                    prefix, uri = value
                    match = WXR_NAMESPACE.match(uri)
                    if match:
                        versions[uri] = "wp"
                        channel.setdefault("namespace_version", match.group(1))
                    elif uri.startswith(("http://wordpress.org/export/", "https://wordpress.org/export/")):
                        versions[uri] = "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp-other"
                    continue
                element: Element = value
                name = _local(element.tag, versions)
                if event == "start":
                    stack.append(name)
                    if len(stack) == 1 and (name != "rss" or not channel.get("namespace_version")):
                        raise ExportError(f"{path}: not a WordPress export (WXR): expected an <rss> document with "
                                          f"the WordPress export namespace, found <{name}>; in WordPress use "
                                          "Tools → Export → All content")
                    if stack == ["rss", "channel"]:
                        parent = element
                    continue
                stack.pop()
                if stack != ["rss", "channel"]:
                    continue
                if name == "item":
                    yield _item(element, versions, with_bodies)
                elif name == "wp:author":
                    authors.append(_author(element, versions))
                elif name in ("title", "link", "wp:base_blog_url", "wp:wxr_version"):
                    channel[name] = _text(element)
                if parent is not None:
                    parent.remove(element)  # keeps memory bounded: each finished child is dropped
    except DTDForbidden as err:
        where = f"an external DTD ({err.sysid})" if err.sysid else "a DTD"
        raise ExportError(f"{path}: refused: the export declares {where} in <!DOCTYPE {err.name}>, which a "
                          "WordPress export never has; a DTD can expand entities without end or read local "
                          "files, so nothing was read") from None
    except EntitiesForbidden as err:
        raise ExportError(f"{path}: refused: the export defines the entity {err.name!r}, which a WordPress "
                          "export never does; nothing was read") from None
    except DefusedXmlException as err:
        raise ExportError(f"{path}: refused: {err}; nothing was read") from None
    except ParseError as err:
        raise ExportError(parse_error_message(path, err)) from None
    except OSError as err:
        raise ExportError(f"{path}: cannot read the export ({err.strerror})") from None
    if "wp:wxr_version" not in channel:
        raise ExportError(f"{path}: not a WordPress export (WXR): its channel has no <wp:wxr_version>")
    yield ExportHead(channel=Channel(title=channel.get("title", ""), link=channel.get("link", ""),
                                     base_blog_url=channel.get("wp:base_blog_url", ""),
                                     wxr_version=channel["wp:wxr_version"]),
                     authors=tuple(authors))


def parse_error_message(path: Path, err: ParseError) -> str:
    """What broke, in an editor's words: cut short, not UTF-8, or plain malformed, with the line."""
    line, column = err.position
    reason = str(err).split(":", 1)[0]
    if reason in ("no element found", "unclosed token") or "unclosed" in reason:
        return (f"{path}:{line}: the export ends before its last element is closed (it was cut short, "
                "perhaps by a failed download); export it again; nothing was written")
    if reason == "not well-formed (invalid token)" and not _line_is_utf8(path, line):
        return (f"{path}:{line}: the export is not UTF-8 text at this line (WordPress writes UTF-8); convert it, "
                "e.g. `iconv -f windows-1252 -t utf-8`, or export it again; nothing was written")
    return f"{path}:{line}: the export is not well-formed XML ({reason}, column {column + 1}); nothing was written"


def _line_is_utf8(path: Path, line: int) -> bool:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if number == line:
                try:
                    raw.decode("utf-8")
                    return True
                except UnicodeDecodeError:
                    return False
    return True
