"""Month grids for the events calendar: weeks of days, each with its events, in the site's zone."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from reThink_site.content import eventtime
from reThink_site.content.index import Entry, Site
from reThink_site.core.localdates import N_, format_date


@dataclass(frozen=True, order=True)
class MonthRef:
    """One calendar month, with its page URL."""

    year: int
    month: int

    @property
    def url(self) -> str:
        """`/events/calendar/YYYY/MM/`."""
        return f"/events/calendar/{self.year:04d}/{self.month:02d}/"

    @property
    def first_day(self) -> date:
        """The month's first day, which templates name in the page's language (`date('month')`)."""
        return date(self.year, self.month, 1)

    @property
    def title(self) -> str:
        """`June 2014` (English; the theme writes `first_day|date('month')` for the page's language)."""
        return format_date(self.first_day, "month", "en")

    def shifted(self, months: int) -> "MonthRef":
        """The month `months` later (or earlier when negative)."""
        index = self.year * 12 + self.month - 1 + months
        return MonthRef(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class DayEvent:
    """An event as one day of the grid shows it."""

    entry: Entry
    label: str          # "6pm", "All day" or "Continues" (English)
    cancelled: bool
    at: Optional[datetime] = None  # the start in the site's zone when it is that day, for the page's own clock words


@dataclass(frozen=True)
class Day:
    """One cell of the grid."""

    day: date
    in_month: bool
    is_today: bool
    events: tuple[DayEvent, ...]


@dataclass(frozen=True)
class MonthGrid:
    """A month page: its weeks (Monday first) and the months either side that have pages."""

    month: MonthRef
    weeks: tuple[tuple[Day, ...], ...]
    previous: Optional[MonthRef]
    next: Optional[MonthRef]
    first: MonthRef
    last: MonthRef

    @property
    def days_with_events(self) -> tuple[Day, ...]:
        """The month's own days that have events, for summaries and the phone layout."""
        return tuple(d for week in self.weeks for d in week if d.in_month and d.events)


def _label(entry: Entry, day: date, site: Site) -> tuple[str, Optional[datetime]]:
    """What a day says about an event: its start time there, `All day`, or `Continues`."""
    event = entry.item
    if event.all_day:
        return N_("All day"), None
    start = event.start.astimezone(site.tz)
    if start.date() != day:
        return N_("Continues"), None
    return eventtime.clock_text(start, site.config.events.clock), start


def events_by_day(site: Site) -> dict[date, tuple[DayEvent, ...]]:
    """Each day (in the site's zone) with the events on it; multi-day events on every day."""
    found: dict[date, list[DayEvent]] = {}
    for entry in site.occurrences:  # a repeating event on each of its dates
        for day in eventtime.days_covered(entry.item, site.tz):
            label, at = _label(entry, day, site)
            found.setdefault(day, []).append(DayEvent(entry, label, entry.item.status == "cancelled", at))
    return {day: tuple(events) for day, events in found.items()}


def month_span(by_day: dict[date, tuple[DayEvent, ...]], today: Optional[date] = None) -> list[MonthRef]:
    """The months that get a page: each month with events, and the current one (empty or not), in order.

    A month with no events gets no page of its own, so one event years ahead adds one page, not
    one per month in between; previous and next on each page jump to the nearest month listed here.
    """
    if not by_day:
        return []
    months = {MonthRef(day.year, day.month) for day in by_day}
    if today is not None:
        months.add(MonthRef(today.year, today.month))
    return sorted(months)


def month_grid(ref: MonthRef, months: list[MonthRef], by_day: dict, today: date) -> MonthGrid:
    """The grid of one month, Monday-first weeks padded with the neighbouring months' days."""
    weeks = tuple(
        tuple(Day(d, d.month == ref.month, d == today, by_day.get(d, ()) if d.month == ref.month else ())
              for d in week)
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(ref.year, ref.month))
    index = months.index(ref)
    return MonthGrid(ref, weeks, months[index - 1] if index > 0 else None,
                     months[index + 1] if index + 1 < len(months) else None, months[0], months[-1])


def all_months(site: Site) -> list[MonthGrid]:
    """One grid per month with events, and one for the current month."""
    by_day = events_by_day(site)
    today = site.now.astimezone(site.tz).date()
    months = month_span(by_day, today)
    return [month_grid(ref, months, by_day, today) for ref in months]


def current_month(site: Site, months: list[MonthRef]) -> Optional[MonthRef]:
    """The month `/events/calendar/` opens at: the next upcoming event's (today's if it is on), else the
    latest of `months` (the months with events)."""
    if not months:
        return None
    if not site.upcoming:
        return months[-1]
    today = site.now.astimezone(site.tz).date()
    days = eventtime.days_covered(site.upcoming[0].item, site.tz)
    day = next((d for d in days if d >= today), days[-1])
    return MonthRef(day.year, day.month)

