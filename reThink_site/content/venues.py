"""Venues and access details: where people go and whether they can get in, shared by events and venues.yaml."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any, Callable, Mapping, Optional, Union
from urllib.parse import quote

from pydantic import Field, field_validator, model_validator

from reThink_site.content.fieldrules import Frozen, check_url
from reThink_site.core.localdates import N_
from reThink_site.core.urls import slugify

_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}[0-9]$")

# Each feature: what the page says when it is there, and when it is said not to be (N_: for pybabel).
ACCESS_FEATURES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "step_free": (N_("Step-free access"), N_("No step-free access")),
    "accessible_toilet": (N_("Accessible toilet"), N_("No accessible toilet")),
    "hearing_loop": (N_("Hearing loop"), N_("No hearing loop")),
    "bsl": (N_("British Sign Language (BSL) interpretation"), N_("No BSL interpretation")),
    "captions": (N_("Live captions"), N_("No live captions")),
    "quiet_room": (N_("Quiet room"), N_("No quiet room")),
    "parking": (N_("Parking"), N_("No parking")),
    "dietary": (N_("Dietary needs catered for on request"), N_("Dietary needs cannot be catered for")),
})

Feature = Optional[Union[bool, str]]  # yes, no, or a few words that say yes and how ("2 Blue Badge spaces")


class Access(Frozen):
    """Whether people can get in and take part, and whom to ask; unset features are simply not mentioned."""

    step_free: Feature = None
    accessible_toilet: Feature = None
    hearing_loop: Feature = None
    bsl: Feature = None
    captions: Feature = None
    quiet_room: Feature = None
    parking: Feature = None
    dietary: Feature = None
    notes: Optional[str] = Field(default=None, max_length=2000)
    contact: Optional[str] = None

    @field_validator("contact")
    @classmethod
    def _check_contact(cls, value: Optional[str]) -> Optional[str]:
        if value is None or _EMAIL.match(value) or _PHONE.match(value):
            return value
        raise ValueError(f"expected an e-mail address or a phone number, found {value!r}")

    @property
    def contact_url(self) -> Optional[str]:
        """A mailto: or tel: link for the access contact."""
        if self.contact is None:
            return None
        if "@" in self.contact:
            return "mailto:" + self.contact
        return "tel:" + re.sub(r"[^0-9+]", "", self.contact)

    def features(self) -> list[tuple[str, bool, str, str]]:
        """Each stated feature: its field name, whether it is there, its label and the editor's own words."""
        found = []
        for name, (yes, no) in ACCESS_FEATURES.items():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str):
                found.append((name, True, yes, value))
            else:
                found.append((name, value, yes if value else no, ""))
        return found

    def lines(self, translate: Callable[[str], str] = str) -> list[str]:
        """The access details as plain lines, for calendars, e-mail and text (labels through *translate*)."""
        lines = [translate(label) + (f": {detail}" if detail else "") for _, _, label, detail in self.features()]
        if self.notes:
            lines.append(self.notes)
        if self.contact:
            lines.append(translate(N_("Access questions")) + f": {self.contact}")  # outside the f-string for pybabel
        return lines

    @property
    def empty(self) -> bool:
        """Nothing is said at all."""
        return not self.lines()

    def over(self, base: Optional["Access"]) -> "Access":
        """These details laid over a venue's: what the event says wins, field by field."""
        if base is None:
            return self
        mine = self.model_dump(exclude_none=True)
        return Access(**{**base.model_dump(exclude_none=True), **mine})


class Venue(Frozen):
    """A place in venues.yaml that events name by its id; it gets a page listing its events."""

    id: str
    name: str = Field(min_length=1, max_length=200)
    address: tuple[str, ...] = ()
    town: Optional[str] = None
    postcode: Optional[str] = None
    latitude: Optional[float] = Field(default=None, ge=-90, le=90)
    longitude: Optional[float] = Field(default=None, ge=-180, le=180)
    website: Optional[str] = None
    access: Optional[Access] = None

    @field_validator("address", mode="before")
    @classmethod
    def _address_lines(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if slugify(value) != value:
            raise ValueError(f"expected an id of lower-case letters, digits and hyphens, found {value!r}")
        return value

    @field_validator("website")
    @classmethod
    def _check_website(cls, value: Optional[str]) -> Optional[str]:
        return value if value is None else check_url(value)

    @model_validator(mode="after")
    def _both_coordinates(self) -> "Venue":
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude: expected both latitude and longitude, or neither")
        return self

    def as_location(self) -> dict:
        """The event `location` this venue stands for."""
        found = {"venue": self.id, "name": self.name, "address": ", ".join(self.address) or None,
                 "city": self.town, "postcode": self.postcode, "url": self.website,
                 "latitude": self.latitude, "longitude": self.longitude,
                 "access": self.access.model_dump(exclude_none=True) if self.access else None}
        return {k: v for k, v in found.items() if v is not None}


def map_url(latitude: Optional[float], longitude: Optional[float], postcode: Optional[str]) -> Optional[str]:
    """An OpenStreetMap link by coordinates, else by postcode (a plain link: no map script on our pages)."""
    if latitude is not None and longitude is not None:
        return f"https://www.openstreetmap.org/?mlat={latitude:.5f}&mlon={longitude:.5f}#map=17/{latitude:.5f}/{longitude:.5f}"
    if postcode:
        return "https://www.openstreetmap.org/search?query=" + quote(postcode)
    return None


def resolve_location(value: Any, venues: Mapping[str, dict]) -> Any:
    """A `location` naming a venue by id (alone, or as `venue:` in a mapping) becomes that venue's details."""
    if isinstance(value, str) and value.strip() in venues:
        return dict(venues[value.strip()])
    if isinstance(value, dict) and isinstance(value.get("venue"), str):
        venue = venues.get(value["venue"].strip())
        if venue is None:
            known = ", ".join(sorted(venues)) or "none yet"
            raise ValueError(f"location.venue: expected the id of a venue in venues.yaml ({known}), "
                             f"found {value['venue']!r}")
        return {**venue, **value}
    return value
