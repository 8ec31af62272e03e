"""Builds the one `Site` index every template and feed reads: sorted, linked, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Optional

from reThink_site.content import eventtime
from reThink_site.content.config import SiteConfig
from reThink_site.content.loader import Loaded
from reThink_site.content.models import Content, Person, Venue
from reThink_site.content.people import plain_name
from reThink_site.content.versions import Versions
from reThink_site.core.localdates import N_
from reThink_site.core.urls import content_url, slugify
from reThink_site.markdown.base import RenderedBody

ENTRY_LISTS = ("events", "summaries", "insights", "pages", "newsletters")  # Site fields holding every entry
KIND_LABEL = MappingProxyType({"events": N_("Event"), "summaries": N_("Discussion summary"),
                               "insights": N_("Insight"), "newsletters": N_("Newsletter"), "pages": N_("Page")})


@dataclass(frozen=True)
class Entry:
    """A content item with its URL and rendered HTML: what pages, feeds and lists show."""

    kind: str
    item: Content
    url: str
    html: str
    summary: str
    ids: tuple[str, ...] = ()
    field_lines: Mapping[tuple, int] = field(default_factory=dict, compare=False, repr=False)

    def __getattr__(self, name: str) -> Any:
        """Let templates read the item's fields directly (`entry.title`)."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.item, name)

    @property
    def label(self) -> str:
        """The kind in words, shown in lists and search results."""
        if self.kind == "insights" and self.item.source:
            return N_("Press coverage")
        return KIND_LABEL[self.kind]

    @property
    def sort_date(self) -> datetime:
        """Date used to order posts newest first (dates count as midnight UTC)."""
        value = getattr(self.item, "date", None) or getattr(self.item, "start", None)
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day).astimezone()
        return datetime(1970, 1, 1).astimezone()


@dataclass(frozen=True)
class PersonEntry:
    """A person with everything they appear in."""

    slug: str
    person: Person
    url: str
    events: tuple[Entry, ...]
    posts: tuple[Entry, ...]


@dataclass(frozen=True)
class VenueEntry:
    """A venue from venues.yaml with the events held there."""

    venue: Venue
    url: str
    upcoming: tuple[Entry, ...]
    past: tuple[Entry, ...]


@dataclass(frozen=True)
class Group:
    """A tag or series: its name, slug, URL and members."""

    name: str
    slug: str
    url: str
    events: tuple[Entry, ...]
    posts: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Site:
    """The whole site, indexed once; templates get this and nothing else global."""

    config: SiteConfig
    now: datetime
    events: tuple[Entry, ...]
    upcoming: tuple[Entry, ...]
    past: tuple[Entry, ...]
    summaries: tuple[Entry, ...]
    insights: tuple[Entry, ...]
    posts: tuple[Entry, ...]
    newsletters: tuple[Entry, ...]
    pages: tuple[Entry, ...]
    menu: tuple[Entry, ...]
    people: tuple[PersonEntry, ...]
    tags: tuple[Group, ...]
    series: tuple[Group, ...]
    summary_of_event: Mapping[str, Entry] = field(default_factory=dict)
    event_of_summary: Mapping[str, Entry] = field(default_factory=dict)
    person_url: Mapping[str, str] = field(default_factory=dict)
    venues: tuple[VenueEntry, ...] = ()
    occurrences: tuple[Entry, ...] = ()  # every date of every event, in order: a repeating one once per date
    versions: Optional[Versions] = None  # a bilingual site's pages by language; None with one language

    @property
    def tz(self):
        """The site's zone."""
        return self.config.tz

    def venue_url(self, venue_id: str) -> Optional[str]:
        """URL of a venue's page, when the venue has one."""
        return next((v.url for v in self.venues if v.venue.id == venue_id), None)

    def group_url(self, kind: str, name: str) -> str:
        """URL of a tag or series page by its name."""
        return f"/{kind}/{slugify(name)}/"


def person_slug(person: Person) -> str:
    """The URL part of a person's page: their id's slug (people.yaml keys are ids), else their name's.

    Always a slug, so no key or id (`../about`, `Tom Okafor`) can place a page anywhere but /people/<slug>/.
    """
    return slugify(person.id or person.name)


def people_of(entry: Entry) -> list[Person]:
    """Everyone named by an item: speakers, chair, author."""
    item = entry.item
    found = list(getattr(item, "speakers", ()) or ())
    for attr in ("chair", "author"):
        if getattr(item, attr, None) is not None:
            found.append(getattr(item, attr))
    return found


def _group(entries: list[Entry], key_names, kind: str) -> tuple[Group, ...]:
    """Gather entries under each tag or series name (by slug, first spelling wins)."""
    names: dict[str, str] = {}
    members: dict[str, list[Entry]] = {}
    slugs: dict[str, str] = {}  # a few names, repeated across thousands of entries
    for entry in entries:
        for name in key_names(entry):
            if name not in slugs:
                slugs[name] = slugify(name)
            slug = slugs[name]
            names.setdefault(slug, name)
            members.setdefault(slug, []).append(entry)
    groups = []
    for slug in sorted(names):
        found = members[slug]
        groups.append(Group(names[slug], slug, f"/{kind}/{slug}/",
                            tuple(e for e in found if e.kind == "events"),
                            tuple(e for e in found if e.kind != "events")))
    return tuple(groups)


def _people(entries: list[Entry]) -> tuple[PersonEntry, ...]:
    """One page per person who appears anywhere."""
    people: dict[str, Person] = {}
    events: dict[str, list[Entry]] = {}
    posts: dict[str, list[Entry]] = {}
    for entry in entries:
        seen = set()
        for person in people_of(entry):
            slug = person_slug(person)
            if not slug or slug in seen:
                continue
            seen.add(slug)
            people.setdefault(slug, person)
            (events if entry.kind == "events" else posts).setdefault(slug, []).append(entry)
    in_reading_order = sorted(people, key=lambda slug: (plain_name(people[slug].name), slug))  # not by id
    return tuple(PersonEntry(slug, people[slug], f"/people/{slug}/", tuple(events.get(slug, ())),
                             tuple(posts.get(slug, ()))) for slug in in_reading_order)


def _venues(venues: Mapping[str, Venue], upcoming: list[Entry], past: list[Entry]) -> tuple[VenueEntry, ...]:
    """One page per venue that has events, with its upcoming and past ones."""
    def held_at(entries: list[Entry], venue_id: str) -> tuple[Entry, ...]:
        return tuple(e for e in entries if e.item.location is not None and e.item.location.venue == venue_id)

    found = [VenueEntry(venue, f"/venues/{key}/", held_at(upcoming, key), held_at(past, key))
             for key, venue in sorted(venues.items())]
    return tuple(v for v in found if v.upcoming or v.past)


def expand_dates(events: Iterable[Entry], tz) -> list[Entry]:
    """Each event once per date it happens on: a repeating event's entry copied with each date's start and end."""
    found = []
    for entry in events:
        if entry.item.repeat is None:
            found.append(entry)
        else:
            found += [replace(entry, item=one) for one in eventtime.occurrence_events(entry.item, tz)]
    return found


def dates_of(site: Site, entry: Entry) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    """A repeating event's upcoming dates (soonest first) and past ones (latest first)."""
    return (tuple(e for e in site.upcoming if e.url == entry.url), tuple(e for e in site.past if e.url == entry.url))


def build_site(config: SiteConfig, now: datetime, entries: list[Entry],
               venues: Optional[Mapping[str, Venue]] = None) -> Site:
    """Sort, split and cross-link the published entries into one Site."""
    tz = config.tz
    by_kind: dict[str, list[Entry]] = {k: [] for k in ("events", "summaries", "insights", "newsletters", "pages")}
    for entry in entries:
        by_kind[entry.kind].append(entry)
    events = sorted(by_kind["events"], key=lambda e: (eventtime.starts_at(e.item, tz), e.url))
    dates = sorted(expand_dates(events, tz), key=lambda e: (eventtime.starts_at(e.item, tz), e.url))
    upcoming = [e for e in dates if eventtime.is_upcoming(e.item, now, tz)]
    past = [e for e in reversed(dates) if not eventtime.is_upcoming(e.item, now, tz)]
    newest = lambda e: (e.sort_date, e.url)  # noqa: E731
    summaries = sorted(by_kind["summaries"], key=newest, reverse=True)
    insights = sorted(by_kind["insights"], key=newest, reverse=True)
    posts = sorted(summaries + insights, key=newest, reverse=True)
    newsletters = sorted(by_kind["newsletters"], key=newest, reverse=True)
    pages = sorted(by_kind["pages"], key=lambda e: e.url)
    menu = sorted((p for p in pages if p.item.menu is not None), key=lambda p: (p.item.menu, p.url))
    event_by_slug = {e.slug: e for e in events}
    summary_of_event = {s.item.event: s for s in reversed(summaries) if s.item.event in event_by_slug}
    event_of_summary = {s.slug: event_by_slug[s.item.event] for s in summaries if s.item.event in event_by_slug}
    everyone = _people(events + posts)
    tagged = events + posts
    return Site(
        config=config, now=now, events=tuple(events), upcoming=tuple(upcoming), past=tuple(past),
        summaries=tuple(summaries), insights=tuple(insights), posts=tuple(posts),
        newsletters=tuple(newsletters), pages=tuple(pages), menu=tuple(menu), people=everyone,
        tags=_group(tagged, lambda e: e.item.tags, "tags"),
        series=_group(events, lambda e: [e.item.series] if e.item.series else [], "series"),
        summary_of_event=MappingProxyType(summary_of_event),
        event_of_summary=MappingProxyType(event_of_summary),
        person_url=MappingProxyType({p.slug: p.url for p in everyone}),
        venues=_venues(venues or {}, upcoming, past), occurrences=tuple(dates),
    )


def resolve_featured(ref: str, entries: Iterable[Entry]) -> Entry | None:
    """The entry a featured reference names."""
    kind, _, slug = ref.rpartition("/")
    for entry in entries:
        if entry.slug == slug and entry.kind in ((kind,) if kind else ("events", "summaries", "insights")):
            return entry
    return None


def is_published(item: Content, now: datetime, drafts: bool, future: bool) -> bool:
    """Drafts need --drafts; posts and issues dated after *now* need --future (events never wait)."""
    if item.draft and not drafts:
        return False
    when = getattr(item, "date", None)
    if when is None or future:
        return True
    if isinstance(when, datetime):
        return when <= now
    return when <= now.date()


def source_key(source_path: str, content_dir: str) -> str:
    """A content file's path relative to content/, as Markdown links name it (`events/x.md`)."""
    prefix = content_dir.strip("/") + "/"
    return source_path[len(prefix):] if source_path.startswith(prefix) else source_path


def link_targets(loaded: Loaded, content_dir: str) -> dict[str, str]:
    """The URL of every content file by its path in content/: published or not, valid or not."""
    targets = {source_key(item.source_path, content_dir): content_url(kind, item.slug)
               for kind, items in loaded.items.items() for item in items}
    for failed in loaded.invalid:  # links to a file with errors are not errors of their own
        targets[source_key(failed.source_path, content_dir)] = content_url(failed.kind, failed.slug)
    return targets


def by_publication(loaded: Loaded, now: datetime, drafts: bool, future: bool,
                   language: Optional[str] = None) -> tuple[list[tuple[str, Content, str]], list[Entry]]:
    """The items to publish (kind, item, URL), and entries for the rest (drafts, posts not due yet).

    `language`: those of one of the other languages (the translations), at URLs relative to its base.
    """
    chosen, held_back = [], []
    for kind, items in (loaded.items if language is None else loaded.translations.get(language, {})).items():
        for item in items:
            url = content_url(kind, item.slug)
            if is_published(item, now, drafts, future):
                chosen.append((kind, item, url))
            else:
                held_back.append(Entry(kind, item, url, "", "", (), loaded.lines.get(item.source_path, {})))
    return chosen, held_back


def make_entry(kind: str, item: Content, url: str, body: RenderedBody, lines: Mapping[tuple, int]) -> Entry:
    """A published item with its rendered body; its summary is the first paragraph unless it has one."""
    return Entry(kind, item, url, body.html, item.summary or body.first_paragraph_text, body.ids, lines)


def find_person(site: Site, person: Optional[Person]) -> Optional[str]:
    """URL of a person's page, for linking names."""
    return site.person_url.get(person_slug(person)) if person else None
