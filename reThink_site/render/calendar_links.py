"""“Add to calendar” links for Google Calendar, Outlook.com and Outlook for work or school, with real times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote, urlencode

from reThink_site.content.index import Entry, Site
from reThink_site.content.models import Event
from reThink_site.core.urls import absolute
from reThink_site.render import eventpage
from reThink_site.render.ics import location_text

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"  # personal Microsoft accounts
OFFICE = "https://outlook.office.com/calendar/0/deeplink/compose"  # work or school (Microsoft 365) accounts
DEFAULT_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarLinks:
    """The web-calendar links an event page offers next to its .ics file."""

    google: str
    outlook: str
    office: str


def span(event: Event, default_length: timedelta = DEFAULT_LENGTH) -> tuple[date | datetime, date | datetime]:
    """Start and end for a link: UTC instants (the site's default length when no end), or days, end exclusive."""
    if event.all_day:
        return event.start, (event.end or event.start) + timedelta(days=1)
    start = event.start.astimezone(timezone.utc)
    end = event.end.astimezone(timezone.utc) if event.end else start + default_length
    return start, end


def _details(entry: Entry, page: str, site: Site) -> str:
    """The summary, the join link, booking and access details, and the page: what people need on the day."""
    return "\n\n".join(p for p in (entry.summary, *eventpage.notes(entry.item, site), page) if p)


def links(entry: Entry, site: Site) -> CalendarLinks:
    """Google, Outlook.com and Outlook (work or school) compose links for one event."""
    event: Event = entry.item
    page = absolute(site.config.base_url, entry.url)
    start, end = span(event, site.config.events.default_duration or DEFAULT_LENGTH)
    place = location_text(event) or ""
    if event.all_day:
        google_dates = f"{start:%Y%m%d}/{end:%Y%m%d}"
        outlook_times = {"startdt": start.isoformat(), "enddt": end.isoformat(), "allday": "true"}
    else:
        google_dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
        outlook_times = {"startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}", "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}"}
    google = {"action": "TEMPLATE", "text": event.title, "dates": google_dates,
              "details": _details(entry, page, site), "location": place}
    outlook = {"path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
               **outlook_times, "body": _details(entry, page, site), "location": place}
    encode = lambda params: urlencode({k: v for k, v in params.items() if v}, quote_via=quote)  # noqa: E731
    return CalendarLinks(f"{GOOGLE}?{encode(google)}", f"{OUTLOOK}?{encode(outlook)}", f"{OFFICE}?{encode(outlook)}")
