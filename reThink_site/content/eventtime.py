"""Event time rules: instants, upcoming/past, the days an event covers, and display text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from reThink_site.content.models import Event


def event_zone(event: Event, site_tz: ZoneInfo) -> ZoneInfo:
    """The zone an event is shown in: its own, else the site's."""
    return ZoneInfo(event.timezone) if event.timezone else site_tz


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def starts_at(event: Event, site_tz: ZoneInfo) -> datetime:
    """The instant an event starts (midnight in its zone for an all-day event)."""
    if isinstance(event.start, datetime):
        return event.start
    return _midnight(event.start, event_zone(event, site_tz))


def ends_at(event: Event, site_tz: ZoneInfo) -> datetime:
    """The instant an event stops being upcoming (contract: end, end of last day, or start)."""
    if event.all_day:
        last = event.end or event.start
        return _midnight(last + timedelta(days=1), event_zone(event, site_tz))
    return event.end or event.start


def is_upcoming(event: Event, now: datetime, site_tz: ZoneInfo) -> bool:
    """Upcoming until its end has passed."""
    return ends_at(event, site_tz) > now


def days_covered(event: Event, site_tz: ZoneInfo) -> list[date]:
    """The days (in the site's zone) an event appears on in the calendar."""
    if event.all_day:
        first, last = event.start, event.end or event.start
    else:
        first = event.start.astimezone(site_tz).date()
        end = event.end or event.start
        last_instant = end.astimezone(site_tz)
        last = last_instant.date()
        if event.end and last_instant.time() == time(0) and last > first:
            last -= timedelta(days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def _clock(dt: datetime) -> str:
    return f"{dt:%H:%M}"


def describe(event: Event, site_tz: ZoneInfo) -> str:
    """Human text for when an event happens, in its own zone with the zone's abbreviation."""
    tz = event_zone(event, site_tz)
    if event.all_day:
        if event.end and event.end != event.start:
            return f"{_day(event.start)} to {_day(event.end)} (all day)"
        return f"{_day(event.start)} (all day)"
    start = event.start.astimezone(tz)
    if event.end is None:
        return f"{_day(start.date())}, {_clock(start)} {start.tzname()}"
    end = event.end.astimezone(tz)
    if end.date() == start.date():
        zone = start.tzname() if start.tzname() == end.tzname() else f"{start.tzname()}/{end.tzname()}"
        return f"{_day(start.date())}, {_clock(start)}–{_clock(end)} {zone}"
    return f"{_day(start.date())}, {_clock(start)} {start.tzname()} to {_day(end.date())}, " \
           f"{_clock(end)} {end.tzname()}"


def describe_in_site_zone(event: Event, site_tz: ZoneInfo) -> str:
    """The same time in the site's zone, shown when the event's own zone differs."""
    if event.all_day or event_zone(event, site_tz) == site_tz:
        return ""
    start = event.start.astimezone(site_tz)
    text = f"{_day(start.date())}, {_clock(start)} {start.tzname()}"
    if event.end:
        end = event.end.astimezone(site_tz)
        text += f" to {_clock(end)} {end.tzname()}" if end.date() == start.date() else \
            f" to {_day(end.date())}, {_clock(end)} {end.tzname()}"
    return text
