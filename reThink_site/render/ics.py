"""iCalendar files for the programme and for each event, built with `icalendar`, byte-stable."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Callable, Iterable, Optional
from urllib.parse import urlsplit

import icalendar

from reThink_site.content import eventtime, repeat
from reThink_site.content.index import Entry, Group, Site
from reThink_site.content.models import Event
from reThink_site.core.outputs import MAKE_EVERY_PART, Part, Reuse
from reThink_site.core.urls import absolute
from reThink_site.markdown.base import plain_text
from reThink_site.render import eventpage

PRODID = "-//iNetwork//reThink_site//EN"
STATUS = MappingProxyType({"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE",
                           "rescheduled": "CONFIRMED", "moved online": "CONFIRMED"})
_INLINE_TAG = re.compile(r"</?(?:a|b|strong|em|i|code|span|abbr|small|sub|sup|mark|q|cite)\b[^>]*>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr|div|dd|dt)>|<br\s*/?>", re.IGNORECASE)


def as_text(text: str) -> icalendar.vText:
    """A TEXT value, escaped as TEXT (CR and LF become `\\n`, never a line break of the file).

    icalendar escapes only the properties it knows as TEXT; NAME and the X-WR-* ones it would write raw.
    """
    return icalendar.vText(text)


def event_uid(slug: str, base_url: str) -> str:
    """A UID that never changes between builds: the event's slug at the site's host."""
    return f"{slug}@{urlsplit(base_url).hostname or 'localhost'}"


def stamp(event: Event, now: datetime, site_tz) -> datetime:
    """DTSTAMP/LAST-MODIFIED: `updated`, else *now* cut to its day, so same-day rebuilds match."""
    if event.updated is not None:
        return event.updated.astimezone(timezone.utc)
    day = now.astimezone(site_tz).date()
    return datetime.combine(day, time(0), tzinfo=site_tz).astimezone(timezone.utc)


def body_text(html: str) -> str:
    """A body as plain text with its paragraphs kept apart (Markdown and HTML stripped)."""
    parts = (plain_text(_INLINE_TAG.sub("", part)) for part in _BLOCK_END.split(html))
    return "\n\n".join(part for part in parts if part)


def location_text(event: Event) -> Optional[str]:
    """The place as one line; an online event's joining link when it has one; a hybrid one's place and link."""
    place = event.location
    if place is None:
        return None
    if place.online or event.status == "moved online":
        link = place.join_link
        return f"Online: {link}" if link else "Online"
    parts = ", ".join(dict.fromkeys(p for p in (place.name, place.address, place.city, place.postcode) if p))
    return f"{parts} and online: {place.join}" if place.hybrid else parts


def local_start_end(event: Event, site_tz, default_duration: Optional[timedelta] = None
                    ) -> tuple[date | datetime, Optional[date | datetime]]:
    """Start and end as calendar values: dates (exclusive end) or times in the event's own zone.

    A timed event with no end lasts `default_duration` (site.yaml `events.default_duration`), so every
    calendar program shows it the same length rather than zero minutes in some and an hour in others.
    """
    if event.all_day:
        return event.start, (event.end or event.start) + timedelta(days=1)
    zone = eventtime.event_zone(event, site_tz)
    start = event.start.astimezone(zone)
    if event.end is not None:
        return start, event.end.astimezone(zone)
    if default_duration is None:
        return start, None
    return start, (event.start.astimezone(timezone.utc) + default_duration).astimezone(zone)


def vevent(entry: Entry, site: Site) -> icalendar.Event:
    """One VEVENT with everything a calendar app shows."""
    event: Event = entry.item
    config = site.config
    start, end = local_start_end(event, config.tz, config.events.default_duration)
    when = stamp(event, site.now, config.tz)
    component = icalendar.Event()
    component.add("uid", event_uid(event.slug, config.base_url))
    component.add("dtstamp", when)
    component.add("last-modified", when)
    component.add("sequence", event.sequence)
    component.add("dtstart", start)
    if end is not None:
        component.add("dtend", end)
    component.add("summary", event.title)
    name, address = eventpage.organizer(event, site)
    component.add("organizer", address, parameters={"CN": name})
    description = body_text(entry.html) or entry.summary or ""
    for note in eventpage.notes(event, site):
        description += f"\n\n{note}"
    component.add("description", description.strip())
    place = location_text(event)
    if place:
        component.add("location", place)
    if event.location is not None and event.location.latitude is not None:
        component.add("geo", (event.location.latitude, event.location.longitude))
    component.add("url", absolute(config.base_url, entry.url))
    component.add("status", STATUS[event.status])
    if event.tags:
        component.add("categories", list(event.tags))
    return component


def repeating(entry: Entry, site: Site) -> list[icalendar.Event]:
    """A repeating event as RFC 5545 has it: one VEVENT with RRULE and EXDATE, then one per moved date.

    Every time is local with its TZID, so the wall-clock time stays put across the zone's clock changes.
    """
    event: Event = entry.item
    master = vevent(entry, site)
    if event.repeat is None:
        return [master]
    zone = eventtime.event_zone(event, site.config.tz)
    master.add("rrule", repeat.ical_rule(event.repeat, event.start, zone))
    starts = {(s.date() if isinstance(s, datetime) else s): s for s in repeat.rule_starts(event.repeat, event.start,
                                                                                           zone)}
    if event.repeat.except_:
        master.add("exdate", [starts[day] for day in sorted(event.repeat.except_)])
    found = [master]
    for one in eventtime.occurrences(event, site.config.tz):
        if one.moved_from is not None:
            moved = Entry(entry.kind, event.model_copy(update={"start": one.start, "end": one.end}), entry.url,
                          entry.html, entry.summary, entry.ids)
            override = vevent(moved, site)
            override.add("recurrence-id", one.moved_from)
            found.append(override)
    return found


FOLD_OCTETS = 74  # icalendar folds before the 75th octet; each continuation line then starts with a space
_ESCAPE_STARTS = frozenset(b"\\^")  # never end a folded piece on one: icalendar keeps escapes whole


def fold(line: str) -> bytes:
    """One content line folded exactly as icalendar's `_foldline` does, without its per-character loop."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return data
    pieces = []
    start, size = 0, len(data)
    while size - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # inside a multi-byte character: cut before it
            end -= 1
        if data[end - 1] in _ESCAPE_STARTS:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def to_ical(component: icalendar.Component) -> bytes:
    """The component's `to_ical()` bytes, from its public content lines and our fast `fold`."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def _zone_range(events: Iterable[Event], site_tz) -> tuple[date, date]:
    """A VTIMEZONE span from content alone (whole years around the events and their dates), never the clock."""
    years = [d.year for e in events for d in (e.start, e.end or e.start)]
    years += [o.start.year for e in events if e.repeat is not None for o in eventtime.occurrences(e, site_tz)]
    return date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)


class ComponentBytes:
    """Serialised VEVENTs and VTIMEZONEs, made once per build and shared by every calendar file.

    The programme repeats every event's VEVENT, and each event file repeats its zone's VTIMEZONE;
    serialising (escaping, folding) each component once halves the cost of the calendars. With a
    `reuse` from the build's cache, a VEVENT whose inputs are unchanged is not even made once.
    """

    def __init__(self, site: Site, reuse: Reuse = MAKE_EVERY_PART) -> None:
        self.site, self.reuse = site, reuse
        self.events: dict[str, tuple[bytes, frozenset[str]]] = {}
        self.zones: dict[tuple[str, date, date], bytes] = {}

    def inputs(self, entry: Entry) -> tuple:
        """Everything an event's VEVENT depends on besides the code and config: the entry and its DTSTAMP."""
        return (entry, stamp(entry.item, self.site.now, self.site.config.tz).isoformat())

    def event(self, entry: Entry) -> tuple[bytes, frozenset[str]]:
        """An event's VEVENT bytes and the TZIDs it uses."""
        if entry.url not in self.events:
            found = self.reuse.part("vevent", self.inputs(entry), lambda: self._serialise(entry))
            self.events[entry.url] = (found[0], frozenset(found[1]))
        return self.events[entry.url]

    def _serialise(self, entry: Entry) -> Part:
        components = repeating(entry, self.site)
        holder = icalendar.Calendar()
        for component in components:
            holder.add_component(component)
        return b"".join(map(to_ical, components)), tuple(sorted(holder.get_missing_tzids()))

    def zone(self, tzid: str, first: date, last: date) -> bytes:
        """A VTIMEZONE covering first..last (empty when icalendar does not know the zone)."""
        key = (tzid, first, last)
        if key not in self.zones:
            try:
                self.zones[key] = to_ical(icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last))
            except ValueError:
                self.zones[key] = b""
        return self.zones[key]


def calendar_bytes(entries: Iterable[Entry], site: Site, name: str, description: str = "",
                   subscribable: bool = False, parts: Optional[ComponentBytes] = None) -> bytes:
    """A VCALENDAR of the given events, with the VTIMEZONEs they use; CRLF, folded at 75 octets."""
    entries = list(entries)
    parts = parts or ComponentBytes(site)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", as_text(name))
    cal.add("x-wr-calname", as_text(name))
    if description:
        cal.add("x-wr-caldesc", as_text(description))
    cal.add("x-wr-timezone", site.config.timezone)
    if subscribable:
        cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "P1D")
    events = [parts.event(entry) for entry in entries]
    zones: list[bytes] = []
    if entries:
        first, last = _zone_range([e.item for e in entries], site.config.tz)
        tzids = sorted(set().union(*(used for _, used in events)))  # VTIMEZONEs first, by TZID
        zones = [parts.zone(tzid, first, last) for tzid in tzids]
    closing = b"END:VCALENDAR\r\n"
    head = to_ical(cal)
    return head[: -len(closing)] + b"".join(zones) + b"".join(body for body, _ in events) + closing


def programme(site: Site, parts: Optional[ComponentBytes] = None, gettext: Callable[[str], str] = str) -> bytes:
    """`/events.ics`: every event, oldest first, for subscribing (described through the language's catalog)."""
    return calendar_bytes(site.events, site, site.config.title, gettext("Events from %(site)s") % {
        "site": site.config.title}, subscribable=True, parts=parts)


def group_calendar(group: Group, kind: str, site: Site, parts: Optional[ComponentBytes] = None,
                   gettext: Callable[[str], str] = str) -> bytes:
    """`/series/<slug>/events.ics` or `/tags/<slug>/events.ics`: only that series' or topic's events."""
    title = site.config.title
    described = gettext("Events of the %(series)s series from %(site)s") % {"series": group.name, "site": title} \
        if kind == "series" else gettext("Events of the topic %(topic)s from %(site)s") % {"topic": group.name,
                                                                                          "site": title}
    return calendar_bytes(group.events, site, f"{title}: {group.name}", described, subscribable=True, parts=parts)


def single(entry: Entry, site: Site, parts: Optional[ComponentBytes] = None) -> bytes:
    """`/events/<slug>/event.ics`: one event, for downloading (reused whole, like its VEVENT)."""
    parts = parts or ComponentBytes(site)
    return parts.reuse.part("single-event", parts.inputs(entry),
                            lambda: (calendar_bytes([entry], site, entry.item.title, parts=parts), ()))[0]
