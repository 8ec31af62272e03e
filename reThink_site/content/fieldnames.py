"""Field names the build would ignore: other words for known fields, near-misses, and the site's own extras."""

from __future__ import annotations

import difflib
from types import MappingProxyType
from typing import Iterable, Mapping, NamedTuple, Optional

from reThink_site.core.typos import likely_meant

SYNONYMS: Mapping[str, str] = MappingProxyType({  # a word editors write -> the field the build reads
    "register": "registration", "registration_url": "registration", "booking_url": "registration",
    "booking_link": "registration", "book": "registration", "signup": "registration", "sign_up": "registration",
    "tickets": "registration", "eventbrite": "registration", "rsvp": "registration",
    "venue": "location", "place": "location", "where": "location", "address": "location",
    "speaker": "speakers", "presenter": "speakers", "presenters": "speakers", "panel": "speakers",
    "panellists": "speakers", "chairs": "chair", "chairperson": "chair", "moderator": "chair",
    "facilitator": "chair", "when": "start", "date": "start", "time": "start", "start_date": "start",
    "starts": "start", "begins": "start", "start_time": "start", "finish": "end", "end_date": "end",
    "ends": "end", "until": "end", "end_time": "end", "tag": "tags", "category": "tags", "categories": "tags",
    "keywords": "tags", "topics": "tags", "topic": "tags", "description": "summary", "excerpt": "summary",
    "abstract": "summary", "teaser": "summary", "alias": "aliases", "redirect_from": "aliases",
    "picture": "image", "photo": "image", "img": "image", "thumbnail": "image", "featured_image": "image",
    "authors": "author", "by": "author", "writer": "author", "published": "date", "publish_date": "date",
    "pubdate": "date", "date_published": "date", "cost": "price", "fee": "price", "organiser": "host",
    "organizer": "host", "hosted_by": "host", "slides": "resources", "downloads": "resources",
    "attachments": "resources", "chatham": "chatham_house", "chatham_house_rule": "chatham_house",
    "time_zone": "timezone", "tz": "timezone", "capacity": "places", "spaces": "places",
    "menu_order": "menu", "weight": "menu", "hidden": "draft", "unpublished": "draft", "modified": "updated",
    "last_updated": "updated", "lastmod": "updated", "publication": "source", "featured_items": "featured",
    "repeats": "repeat", "recurrence": "repeat", "recurring": "repeat", "rrule": "repeat",
})


class FieldName(NamedTuple):
    """What an unknown field name is: `meant` is the known field it stands for, else None (a field of its own)."""

    key: str
    meant: Optional[str]
    closest: str
    why: str  # "synonym", "near-miss" or "unknown"


def normalised(name: str) -> str:
    """The name as the build would spell it: lower case, `_` for spaces and hyphens."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_name(key: str, known: Iterable[str]) -> FieldName:
    """Which known field an unknown name is another word for, or a near-miss of, or the closest one to it."""
    fields = sorted(known)
    plain = normalised(key)
    if plain in fields:
        return FieldName(key, plain, plain, "near-miss")
    if SYNONYMS.get(plain) in fields:
        return FieldName(key, SYNONYMS[plain], SYNONYMS[plain], "synonym")
    meant = likely_meant(plain, fields)
    if meant:
        return FieldName(key, meant, meant, "near-miss")
    closest = difflib.get_close_matches(plain, fields, n=1, cutoff=0.0)
    return FieldName(key, None, closest[0] if closest else "", "unknown")

