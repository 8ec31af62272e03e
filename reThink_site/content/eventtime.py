"""Event time rules: instants, upcoming/past, the days an event covers, and display text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Callable, Optional
from zoneinfo import ZoneInfo

from reThink_site.content import repeat
from reThink_site.content.models import Event
from reThink_site.core.localdates import N_, long_day

Words = Callable[[str], str]  # a catalog's gettext: the words of a time line in the page's language


def _same(text: str) -> str:
    """The English words themselves, for callers with no catalog (e-mail notes, tests)."""
    return text


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


def occurrences(event: Event, site_tz: ZoneInfo) -> tuple[repeat.Occurrence, ...]:
    """Every date an event happens on: its own start and end, or each one its `repeat:` rule makes."""
    if event.repeat is None:
        return (repeat.Occurrence(event.start, event.end),)
    return repeat.occurrences(event.repeat, event.start, event.end, event_zone(event, site_tz))


def occurrence_events(event: Event, site_tz: ZoneInfo) -> tuple[Event, ...]:
    """The event once per date it happens on (itself when it does not repeat), for lists and the month grid."""
    if event.repeat is None:
        return (event,)
    return tuple(event.model_copy(update={"start": o.start, "end": o.end})
                 for o in occurrences(event, site_tz))


def describe_repeat(event: Event, site_tz: ZoneInfo, language: str = "en", words: Words = _same) -> str:
    """A repeating event's rule in words (`Every month on the second Tuesday, until …`); "" for one date."""
    if event.repeat is None:
        return ""
    return repeat.describe_rule(event.repeat, event.start, event_zone(event, site_tz), language, words)


def moments(event: Event, site_tz: ZoneInfo) -> list[datetime]:
    """Every instant at which one of an event's dates starts or stops being upcoming."""
    return [when for one in occurrence_events(event, site_tz) for when in (starts_at(one, site_tz),
                                                                           ends_at(one, site_tz))]


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


def clock_text(dt: datetime, clock: str = "12-hour", words: Words = _same) -> str:
    """A time as GOV.UK writes it (10am, 12:30pm, midday, midnight), or 24-hour (16:00) when the site asks.

    Welsh writes the same clock with its own words (10yb, 12:30yp, hanner dydd) through the catalog.
    """
    if clock == "24-hour":
        return f"{dt:%H:%M}"
    if dt.minute == 0 and dt.hour in (0, 12):
        return words(N_("midnight")) if dt.hour == 0 else words(N_("midday"))
    hour = dt.hour % 12 or 12
    time = f"{hour}" if dt.minute == 0 else f"{hour}:{dt.minute:02d}"
    return (words(N_("%(time)sam")) if dt.hour < 12 else words(N_("%(time)spm"))) % {"time": time}


def names_zone(event: Event, site_tz: ZoneInfo) -> bool:
    """The zone is named only when it is not the site's, or when people join from anywhere (online)."""
    online = event.status == "moved online" or (event.location is not None and event.location.join_link is not None)
    return event_zone(event, site_tz) != site_tz or online


def _span(start: datetime, end: Optional[datetime], zone: bool, clock: str, language: str, words: Words) -> str:
    """Start (and end) on one line: `Wednesday 15 January 2014, 12:30pm to 4pm GMT`."""
    label = (lambda dt: " " + (dt.tzname() or "")) if zone else (lambda dt: "")
    first = f"{long_day(start.date(), language)}, {clock_text(start, clock, words)}"
    if end is None:
        return f"{first}{label(start)}"
    if end.date() == start.date():
        names = label(start) if label(start) == label(end) else f"{label(start)}/{label(end).strip()}"
        times = words(N_("%(start)s to %(end)s")) % {"start": clock_text(start, clock, words),
                                                       "end": clock_text(end, clock, words)}
        return f"{long_day(start.date(), language)}, {times}{names}"
    last = f"{long_day(end.date(), language)}, {clock_text(end, clock, words)}{label(end)}"
    return words(N_("%(first)s to %(last)s")) % {"first": f"{first}{label(start)}", "last": last}


def describe(event: Event, site_tz: ZoneInfo, clock: str = "12-hour", language: str = "en",
             words: Words = _same) -> str:
    """Human text for when an event happens, in its own zone (named when it is not the site's)."""
    tz = event_zone(event, site_tz)
    if event.all_day:
        if event.end and event.end != event.start:
            return words(N_("%(first)s to %(last)s (all day)")) % {"first": long_day(event.start, language),
                                                                    "last": long_day(event.end, language)}
        return words(N_("%(day)s (all day)")) % {"day": long_day(event.start, language)}
    end = event.end.astimezone(tz) if event.end else None
    return _span(event.start.astimezone(tz), end, names_zone(event, site_tz), clock, language, words)


def describe_previous(event: Event, site_tz: ZoneInfo, clock: str = "12-hour", language: str = "en",
                      words: Words = _same) -> str:
    """When a rescheduled event was to start before it moved (its latest earlier start)."""
    if not event.previous_start:
        return ""
    earlier = event.previous_start[-1]
    if not isinstance(earlier, datetime):
        return long_day(earlier, language)
    return _span(earlier.astimezone(event_zone(event, site_tz)), None, names_zone(event, site_tz), clock,
                 language, words)


def describe_in_site_zone(event: Event, site_tz: ZoneInfo, clock: str = "12-hour", language: str = "en",
                          words: Words = _same) -> str:
    """The same time in the site's zone, shown when the event's own zone differs."""
    if event.all_day or event_zone(event, site_tz) == site_tz:
        return ""
    end = event.end.astimezone(site_tz) if event.end else None
    return _span(event.start.astimezone(site_tz), end, True, clock, language, words)


def moment_text(value: datetime, event: Event, site_tz: ZoneInfo, clock: str = "12-hour", language: str = "en",
                words: Words = _same) -> str:
    """One moment as `5pm on Friday 13 June 2014` (booking deadlines), in the event's zone."""
    local = value.astimezone(event_zone(event, site_tz))
    zone = f" {local.tzname()}" if names_zone(event, site_tz) else ""
    return words(N_("%(time)s on %(day)s")) % {"time": f"{clock_text(local, clock, words)}{zone}",
                                               "day": long_day(local.date(), language)}
