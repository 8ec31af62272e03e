"""schema.org `Event` data for search engines; templates emit it through `json_script`."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any, Optional

from reThink_site.content import eventtime
from reThink_site.content.index import Entry, Site
from reThink_site.content.models import Event, Person
from reThink_site.core.urls import absolute

SCHEMA = "https://schema.org/"
STATUS = MappingProxyType({"scheduled": "EventScheduled", "cancelled": "EventCancelled",
                           "postponed": "EventPostponed"})
_AMOUNT = re.compile(r"£\s*(\d+(?:\.\d{1,2})?)")


def iso(value, event: Event, site_tz) -> str:
    """ISO 8601: a date for all-day events, else the time with its offset in the event's zone."""
    if event.all_day:
        return value.isoformat()
    return value.astimezone(eventtime.event_zone(event, site_tz)).isoformat()


def place(event: Event) -> Optional[dict]:
    """A Place with a PostalAddress, or a VirtualLocation for an online event."""
    loc = event.location
    if loc is None:
        return None
    if loc.online:
        return {"@type": "VirtualLocation", **({"url": loc.url} if loc.url else {})}
    address = {"@type": "PostalAddress", "streetAddress": loc.address, "addressLocality": loc.city,
               "postalCode": loc.postcode}
    found = {"@type": "Place", "name": loc.name or loc.one_line,
             "address": {k: v for k, v in address.items() if v}}
    if loc.url:
        found["url"] = loc.url
    return found


def person(p: Person, site: Site) -> dict:
    """A speaker as a schema.org Person."""
    found: dict[str, Any] = {"@type": "Person", "name": p.name}
    if p.role:
        found["jobTitle"] = p.role
    if p.organisation:
        found["affiliation"] = {"@type": "Organization", "name": p.organisation}
    if p.url:
        found["url"] = p.url
    return found


def offer(event: Event, page: str) -> Optional[dict]:
    """Registration and price as an Offer (a numeric price in GBP when the text gives one)."""
    if not (event.registration or event.price):
        return None
    found: dict[str, Any] = {"@type": "Offer", "url": event.registration or page}
    if event.price:
        found["description"] = event.price
        amount = _AMOUNT.search(event.price)
        if amount or event.price.strip().lower().startswith("free"):
            found["price"] = amount.group(1) if amount else "0"
            found["priceCurrency"] = "GBP"
    return found


def event_data(entry: Entry, site: Site) -> dict:
    """The JSON-LD object of one event page."""
    event: Event = entry.item
    tz = site.config.tz
    page = absolute(site.config.base_url, entry.url)
    online = event.location is not None and event.location.online
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page,
        "startDate": iso(event.start, event, tz),
        "eventStatus": SCHEMA + STATUS[event.status],
        "eventAttendanceMode": SCHEMA + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"),
    }
    if event.end is not None:
        data["endDate"] = iso(event.end, event, tz)
    if entry.summary:
        data["description"] = entry.summary
    if place(event):
        data["location"] = place(event)
    if event.image is not None:
        data["image"] = [absolute(site.config.base_url, event.image.src)]
    if event.host:
        data["organizer"] = {"@type": "Organization", "name": event.host}
    if event.speakers:
        data["performer"] = [person(p, site) for p in event.speakers]
    if offer(event, page):
        data["offers"] = offer(event, page)
    return data
