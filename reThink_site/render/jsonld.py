"""schema.org `Event` data for search engines; templates emit it through `json_script`."""

from __future__ import annotations

import re
from datetime import datetime
from types import MappingProxyType
from typing import Any, Optional

from reThink_site.content import eventtime
from reThink_site.content.index import Entry, Site
from reThink_site.content.models import Access, Event, Location, Person
from reThink_site.core.urls import absolute
from reThink_site.render import eventpage

SCHEMA = "https://schema.org/"
STATUS = MappingProxyType({"scheduled": "EventScheduled", "cancelled": "EventCancelled",
                           "postponed": "EventPostponed", "rescheduled": "EventRescheduled",
                           "moved online": "EventMovedOnline"})
AVAILABILITY = MappingProxyType({"open": "InStock", "not open yet": "PreOrder", "waiting list": "SoldOut",
                                 "fully booked": "SoldOut", "closed": "SoldOut"})
# The whole text is one amount for everyone ("£25", "£25 per person"); "£25 for members" is not.
_PRICE = re.compile(r"^(?:£\s*)?(\d+(?:\.\d{1,2})?)(?:\s*GBP)?(?:\s+(?:per (?:person|head|place|delegate)|each))?$",
                    re.IGNORECASE)


def iso(value, event: Event, site_tz) -> str:
    """ISO 8601: a date for all-day events (and dates), else the time with its offset in the event's zone."""
    if event.all_day or not isinstance(value, datetime):
        return value.isoformat()
    return value.astimezone(eventtime.event_zone(event, site_tz)).isoformat()


def amenities(access: Optional[Access]) -> list[dict]:
    """Access details as schema.org LocationFeatureSpecifications on the Place."""
    if access is None:
        return []
    return [{"@type": "LocationFeatureSpecification", "name": label + (f": {detail}" if detail else ""),
             "value": there} for _, there, label, detail in access.features()]


def physical_place(loc: Location, access: Optional[Access]) -> dict:
    """A Place with its PostalAddress; a place written as one line keeps that line as its street address."""
    address = {"@type": "PostalAddress", "streetAddress": loc.address, "addressLocality": loc.city,
               "postalCode": loc.postcode}
    name = loc.name or loc.one_line
    if not (loc.address or loc.city or loc.postcode):
        first, _, rest = name.partition(", ")
        name, address["streetAddress"] = (first, rest) if rest else (name, name)
    found: dict[str, Any] = {"@type": "Place", "name": name, "address": {k: v for k, v in address.items() if v}}
    if loc.website:
        found["url"] = loc.website
    if loc.latitude is not None:
        found["geo"] = {"@type": "GeoCoordinates", "latitude": loc.latitude, "longitude": loc.longitude}
    if amenities(access):
        found["amenityFeature"] = amenities(access)
    return found


def place(event: Event) -> Optional[dict | list]:
    """A Place, a VirtualLocation (with its join link, else the registration page), or both for a hybrid event."""
    loc = event.location
    if loc is None:
        return None
    link = loc.join_link or event.registration
    virtual = {"@type": "VirtualLocation", **({"url": link} if link else {})}
    if loc.online or event.status == "moved online":
        return virtual
    found = physical_place(loc, event.access_details)
    return [found, virtual] if loc.hybrid else found


def attendance(event: Event) -> str:
    """Offline, online or mixed, from the place and join link (a moved-online event is online)."""
    loc = event.location
    if event.status == "moved online" or (loc is not None and loc.online):
        return "OnlineEventAttendanceMode"
    return "MixedEventAttendanceMode" if loc is not None and loc.hybrid else "OfflineEventAttendanceMode"


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


def offer(event: Event, page: str, site: Site) -> Optional[dict]:
    """Registration, booking and price as an Offer; a numeric price only when the price text is a number.

    Free text such as "Free to iNetwork members" is the offer's description, never `price: 0`, which
    would tell search engines the event is free for everyone.
    """
    state = eventpage.booking_now(event, site)
    if not (event.registration or event.price or state):
        return None
    found: dict[str, Any] = {"@type": "Offer", "url": event.registration or page}
    if event.price:
        found["description"] = event.price
        amount = _PRICE.match(event.price.strip())
        if amount or event.price.strip().lower() == "free":
            found["price"] = amount.group(1) if amount else "0"
            found["priceCurrency"] = "GBP"
    if state:
        found["availability"] = SCHEMA + AVAILABILITY[state]
    elif event.registration and event.status not in ("cancelled", "postponed"):
        found["availability"] = SCHEMA + "InStock"
    tz = site.config.tz
    if event.booking_opens is not None:
        found["validFrom"] = event.booking_opens.astimezone(eventtime.event_zone(event, tz)).isoformat()
    if event.booking_closes is not None:
        found["validThrough"] = event.booking_closes.astimezone(eventtime.event_zone(event, tz)).isoformat()
    return found


def event_data(entry: Entry, site: Site) -> dict:
    """The JSON-LD object of one event page."""
    event: Event = entry.item
    tz = site.config.tz
    page = absolute(site.config.base_url, entry.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page,
        "startDate": iso(event.start, event, tz),
        "eventStatus": SCHEMA + STATUS[event.status],
        "eventAttendanceMode": SCHEMA + attendance(event),
    }
    if event.previous_start:
        earlier = [iso(value, event, tz) for value in event.previous_start]
        data["previousStartDate"] = earlier[0] if len(earlier) == 1 else earlier
    if event.end is not None:
        data["endDate"] = iso(event.end, event, tz)
    if entry.summary:
        data["description"] = entry.summary
    if place(event):
        data["location"] = place(event)
    if event.image is not None:
        data["image"] = [absolute(site.config.base_for(event.image.src), event.image.src)]
    if event.speakers:
        data["performer"] = [person(p, site) for p in event.speakers]
    name, _ = eventpage.organizer(event, site)
    data["organizer"] = {"@type": "Organization", "name": name,
                         **({} if event.host else {"url": site.config.base_url})}
    if event.places is not None:
        data["maximumAttendeeCapacity"] = event.places
    found_offer = offer(event, page, site)
    if found_offer:
        data["offers"] = found_offer
    return data
