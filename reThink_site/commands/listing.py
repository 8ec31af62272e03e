"""`rethink list`: the programme and the unpublished files, one line each, without building the site."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Optional

from reThink_site.build import BuildOptions, build_time
from reThink_site.content import eventtime
from reThink_site.content.config import read_config
from reThink_site.content.index import Entry, build_site, by_publication
from reThink_site.content.loader import load_content
from reThink_site.core.errors import ContentErrors

WHICH = ("upcoming", "past", "drafts", "future", "all")
KIND_NAMES = MappingProxyType({"events": "event", "summaries": "summary", "insights": "insight",
                               "newsletters": "newsletter", "pages": "page"})  # as `rethink new` names them


@dataclass(frozen=True)
class Row:
    """One listed file: what an editor needs to find it."""

    date: str    # `2015-05-14 10:00` (an event's start in the site's zone), `2015-05-14`, or '' for a page
    kind: str    # event, summary, insight, newsletter or page
    title: str
    file: str    # the source file, relative to the site folder
    state: str   # upcoming, past, published, draft or future

    def text(self) -> str:
        """`2015-05-14 10:00  event       Using public assets  content/events/…md`."""
        return f"{self.date or '-':<16}  {self.kind:<10}  {self.title}  {self.file}"


def when(entry: Entry, tz) -> tuple[str, datetime]:
    """The date column and a sort key: an event's start (site's zone), a post's date, nothing for a page."""
    item = entry.item
    if entry.kind == "events":
        start = eventtime.starts_at(item, tz)
        text = item.start.isoformat() if item.all_day else f"{start.astimezone(tz):%Y-%m-%d %H:%M}"
        return text, start
    value = getattr(item, "date", None)
    if value is None:
        return "", datetime.min.replace(tzinfo=tz)
    if isinstance(value, datetime):
        return f"{value.astimezone(tz):%Y-%m-%d %H:%M}", value
    return value.isoformat(), datetime.combine(value, datetime.min.time(), tzinfo=tz)


def row(entry: Entry, state: str, tz) -> Row:
    """The row of one entry."""
    return Row(when(entry, tz)[0], KIND_NAMES[entry.kind], entry.item.title, entry.item.source_path, state)


def rows(project: Path, which: str, kind: Optional[str], now: Optional[str]) -> list[Row]:
    """The files `which` names, split as the site splits them at the build's now.

    upcoming and past: the published events still to come and those over (as /events/ and /events/past/
    list them, past newest first, with the posts and issues already published); drafts: files
    marked draft: true; future: posts and issues dated after now (what --future adds); all: every file.
    """
    settings = read_config(project / "site.yaml")
    config = settings.config
    moment = build_time(BuildOptions(project=project, now=now), config)
    loaded = load_content(project, config)
    if any(p.is_error for p in loaded.problems):
        raise ContentErrors([p for p in loaded.problems if p.is_error])
    chosen, held_back = by_publication(loaded, moment, drafts=False, future=False)
    entries = [Entry(k, item, url, "", "") for k, item, url in chosen]
    site = build_site(config, moment, entries, loaded.venues)
    tz = config.tz
    chronological = lambda found: sorted(found, key=lambda e: (when(e, tz)[1], e.url))  # noqa: E731
    posts = chronological([*site.posts, *site.newsletters])
    groups = {
        "upcoming": [(e, "upcoming") for e in site.upcoming],
        "past": sorted([(e, "past") for e in site.past] + [(e, "published") for e in posts],
                       key=lambda pair: (when(pair[0], tz)[1], pair[0].url), reverse=True),
        "drafts": [(e, "draft") for e in chronological(e for e in held_back if e.item.draft)],
        "future": [(e, "future") for e in chronological(e for e in held_back if not e.item.draft)],
    }
    if which == "all":
        to_come = {e.url for e in site.upcoming}  # a repeating event is upcoming while any of its dates is
        published = [(e, "upcoming" if e.url in to_come else "past") for e in site.events]
        published += [(e, "published") for e in posts] + [(e, "published") for e in site.pages]
        found = published + groups["drafts"] + groups["future"]
        found = sorted(found, key=lambda pair: (when(pair[0], tz)[1], pair[0].url))
    else:
        found = groups[which]
    return [row(e, state, tz) for e, state in found if kind is None or KIND_NAMES[e.kind] == kind]


def render(found: list[Row], fmt: str) -> str:
    """Text lines for people, or a JSON list of {date, kind, title, file, state} for tools."""
    if fmt == "json":
        return json.dumps([{"date": r.date, "kind": r.kind, "title": r.title, "file": r.file, "state": r.state}
                           for r in found], ensure_ascii=False, indent=2)
    return "\n".join(r.text() for r in found)
