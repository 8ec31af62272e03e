"""The first pass over an export: what each item becomes, where it goes and which old addresses lead to it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict

from reThink_site.core.urls import RESERVED_PAGE_SLUGS, alias_url, content_url, slugify
from reThink_site.importing.wxr import Author, Channel, ExportHead, Item, Term, read_export

PUBLISHED = frozenset({"publish", "future"})
DRAFTS = frozenset({"draft", "pending"})
SKIPPED_STATUS = {"private": "private", "trash": "trash", "auto-draft": "auto-draft"}
NOT_TAGS = frozenset({"uncategorized"})
EVENT_POST_TYPES = frozenset({"tribe_events"})
ALIAS_REFUSED = re.compile(r"[\x00-\x1f<>\"'\\?#%:]")
RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class Frozen(BaseModel):
    """Base of the plan's records: immutable, every field typed."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Target(Frozen):
    """Where one imported item goes: its kind, file, new URL and its old addresses."""

    post_id: int
    position: int  # the item's place among the export's items, which both passes read in the same order
    kind: str  # "events", "insights" or "pages"
    file: str  # relative to the content folder, e.g. "insights/2014-01-02-hello.md"
    url: str  # its new site path
    draft: bool
    old_link: str
    aliases: tuple[str, ...]
    start: str = ""  # events: the start read from the event plugin's meta ('' when the export has none)


class Venue(Frozen):
    """An event venue (The Events Calendar's `tribe_venue`), as a `location` mapping."""

    name: str
    address: str = ""
    city: str = ""
    postcode: str = ""


class Attachment(Frozen):
    """A media item: its URL, its path inside the uploads folder, and its alt text."""

    post_id: int
    url: str
    upload_path: str  # e.g. "2014/01/form.pdf" ('' when the URL is not an uploads URL)
    alt: str = ""
    parent: int = 0
    page_link: str = ""


class Plan(Frozen):
    """Everything the second pass needs to write each item with its links rewritten."""

    channel: Channel
    authors: tuple[Author, ...]
    targets: tuple[Target, ...]
    venues: dict[int, Venue]
    attachments: tuple[Attachment, ...]
    skipped: dict[str, int]  # why -> how many (private, trash, revision, nav_menu_item …)
    comments: int
    old_hosts: tuple[str, ...]
    categories: dict[str, str]  # every category items carry: lower-cased name and slug -> its name
    archives: dict[str, str]  # an old category, tag or author archive's path -> its tag or person page

    def by_position(self) -> dict[int, Target]:
        """Each imported item's target by its place in the export."""
        return {t.position: t for t in self.targets}


def is_event(item: Item, event_categories: frozenset[str]) -> bool:
    """An event: The Events Calendar's own post type, or a post in one of the --events-category categories."""
    if item.post_type in EVENT_POST_TYPES:
        return True
    return item.post_type == "post" and any(
        term.domain == "category" and (term.slug.lower() in event_categories or term.name.lower() in event_categories)
        for term in item.terms)


def tag_names(terms: Iterable[Term], event_categories: frozenset[str]) -> list[str]:
    """Categories and tags as tag names, without WordPress's default category and the events categories."""
    names: list[str] = []
    for term in terms:
        if term.slug.lower() in NOT_TAGS or term.slug.lower() in event_categories \
                or term.name.lower() in event_categories or not slugify(term.name) or len(slugify(term.name)) > 100:
            continue
        if term.name not in names:
            names.append(term.name)
    return names


def host_of(url: str) -> str:
    """A URL's host without `www.`, lower-cased."""
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def old_key(url: str, hosts: tuple[str, ...]) -> Optional[str]:
    """The key under which an old address is looked up: its path (no trailing slash) and query, on an old host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", "") or (parts.netloc and host_of(url) not in hosts):
        return None
    if not parts.netloc and not parts.path.startswith("/"):
        return None
    path = unquote(parts.path).rstrip("/") or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def upload_path(url: str) -> str:
    """The path of a media URL inside the uploads folder (`2014/01/form.pdf`), or '' for any other URL."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path)
    if "/wp-content/uploads/" in path:
        rel = path.split("/wp-content/uploads/", 1)[1]
    elif parts.netloc.lower().endswith(".files.wordpress.com") or re.match(r"^/\d{4}/\d{2}/[^/]+\.\w+$", path) \
            and parts.netloc.lower().endswith(".wordpress.com"):
        rel = path.lstrip("/")
    else:
        return ""
    pieces = rel.split("/")
    if not rel or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in pieces):
        return ""
    return rel


def original_upload(rel: str) -> str:
    """The full-size original of a resized copy (`photo-300x200.jpg` → `photo.jpg`)."""
    return RESIZED.sub("", rel)


def old_alias(link: str, new_url: str, taken: set[str]) -> Optional[str]:
    """The old permalink's path as an alias, when the contract can hold it and it is not a page the site makes."""
    path = unquote(urlsplit(link).path) if link else ""
    if not path or path == "/" or ALIAS_REFUSED.search(path) or "//" in path:
        return None
    if any(part in (".", "..") or len(part.encode("utf-8")) > 200 for part in path.split("/")):
        return None
    first = path.strip("/").split("/")[0]
    if alias_url(path) in (new_url, *taken) or (first in RESERVED_PAGE_SLUGS and path.count("/") <= 2):
        return None
    return path


def event_start(item: Item) -> str:
    """The start the event plugins' post meta gives (The Events Calendar, Events Manager), or ''."""
    start = item.meta_value("_EventStartDate")
    if not start:
        day, at = item.meta_value("_event_start_date"), item.meta_value("_event_start_time")
        start = f"{day} {at}".strip() if day else ""
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?", start)
    if not match:
        return ""
    all_day = item.meta_value("_EventAllDay").lower() in ("yes", "1", "true") \
        or item.meta_value("_event_all_day") == "1"
    return match.group(1) if all_day or not match.group(2) else f"{match.group(1)} {match.group(2)}"


def base_slug(item: Item) -> str:
    """The item's slug: its WordPress slug made URL-safe, else its title's, else its id."""
    return (slugify(unquote(item.post_name)) or slugify(item.title) or f"post-{item.post_id}")[:120].strip("-")


def make_plan(export: Path, event_categories: frozenset[str]) -> Plan:
    """Read the export once without bodies and decide every item's target; nothing is written."""
    event_categories = frozenset(name.lower() for name in event_categories)
    targets: list[Target] = []
    venues: dict[int, Venue] = {}
    attachments: list[Attachment] = []
    skipped: Counter[str] = Counter()
    comments = 0
    used: set[str] = set()
    head: Optional[ExportHead] = None
    links: list[str] = []
    archives: dict[str, str] = {}
    categories: dict[str, str] = {}
    for position, record in enumerate(read_export(export, with_bodies=False)):
        if isinstance(record, ExportHead):
            head = record
            continue
        item = record
        comments += item.comments
        for term in item.terms:
            if term.domain == "category":
                categories.setdefault(term.name.lower(), term.name)
                categories.setdefault(term.slug.lower(), term.name)
        if item.link:
            links.append(item.link)
        if item.post_type == "attachment":
            attachments.append(Attachment(post_id=item.post_id, url=item.attachment_url or item.guid,
                                          upload_path=item.meta_value("_wp_attached_file").lstrip("/")
                                          if upload_path(item.attachment_url) else "",
                                          alt=item.meta_value("_wp_attachment_image_alt"), parent=item.parent,
                                          page_link=item.link))
            continue
        if item.post_type == "tribe_venue":
            venues[item.post_id] = Venue(name=item.title or "Venue", address=item.meta_value("_VenueAddress"),
                                         city=item.meta_value("_VenueCity"), postcode=item.meta_value("_VenueZip"))
            continue
        if item.status in SKIPPED_STATUS:
            skipped[SKIPPED_STATUS[item.status]] += 1
            continue
        if item.post_type not in ("post", "page") and item.post_type not in EVENT_POST_TYPES:
            skipped[item.post_type] += 1
            continue
        if item.status not in PUBLISHED | DRAFTS:
            skipped[item.status] += 1
            continue
        if item.post_password:
            skipped["password-protected"] += 1  # its readers needed the password: never publish it openly
            continue
        targets.append(_target(item, position, event_categories, used))
        if item.status in PUBLISHED:
            _note_archives(item, targets[-1].kind, event_categories, archives)
    assert head is not None  # read_export ends with the head or raises
    hosts = tuple(sorted({host_of(u) for u in (head.channel.link, head.channel.base_blog_url, *links) if host_of(u)}))
    taken = {t.url for t in targets}
    with_aliases = []
    for target in targets:
        alias = None if target.draft else old_alias(target.old_link, target.url, taken)
        if alias:
            taken.add(alias_url(alias))
        with_aliases.append(target.model_copy(update={"aliases": (alias,) if alias else ()}))
    attachments = [a.model_copy(update={"upload_path": a.upload_path if upload_path(a.url) and a.upload_path
                                        else upload_path(a.url)}) for a in attachments]
    return Plan(channel=head.channel, authors=head.authors, targets=tuple(with_aliases), venues=venues,
                attachments=tuple(attachments), skipped=dict(sorted(skipped.items())), comments=comments,
                old_hosts=hosts, archives=dict(sorted(archives.items())),
                categories=categories)


def _note_archives(item: Item, kind: str, event_categories: frozenset[str], archives: dict[str, str]) -> None:
    """The old archive pages a published item was on, and the tag or person page that now lists it."""
    if kind == "pages":
        return
    kept = set(tag_names(item.terms, event_categories))
    for term in item.terms:
        if term.name in kept and term.slug and "/" not in term.slug:
            folder = "category" if term.domain == "category" else "tag"
            archives.setdefault(f"/{folder}/{unquote(term.slug)}", f"/tags/{slugify(term.name)}/")
    if kind == "insights" and item.creator and slugify(item.creator):
        archives.setdefault(f"/author/{item.creator}", f"/people/{slugify(item.creator)}/")


def _target(item: Item, position: int, event_categories: frozenset[str], used: set[str]) -> Target:
    """One item's kind, file name and URL; a slug already taken gets `-2`, `-3` in export order."""
    slug = base_slug(item)
    day = (item.post_date or "")[:10]
    day = day if re.match(r"^\d{4}-\d{2}-\d{2}$", day) and not day.startswith("0000") else ""
    start = ""
    if is_event(item, event_categories):
        kind = "events"
        start = event_start(item)
        prefix = start[:10] or day
        stem = f"{prefix}-{slug}" if prefix else slug
    elif item.post_type == "page":
        kind, stem = "pages", (f"{slug}-page" if slug in RESERVED_PAGE_SLUGS else slug)
    else:
        kind, stem = "insights", slug
    final, number = stem, 1
    while f"{kind}/{final}" in used:
        number += 1
        final = f"{stem}-{number}"
    used.add(f"{kind}/{final}")
    file = f"{kind}/{final}.md" if kind != "insights" or not day else f"{kind}/{day}-{final}.md"
    return Target(post_id=item.post_id, position=position, kind=kind, file=file, url=content_url(kind, final),
                  draft=item.status in DRAFTS,
                  old_link=item.link if item.status in PUBLISHED else "", aliases=(), start=start)
