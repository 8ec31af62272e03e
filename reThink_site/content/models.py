"""Frozen, validated models of every kind of content; pydantic does the field checks."""

from __future__ import annotations

import re
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Callable, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from reThink_site.content.booking import Booking
from reThink_site.content.fieldrules import Frozen, check_url, find_control_character
from reThink_site.content.people import listed_as
from reThink_site.content.repeat import Repeat, check_repeat, parse_moves
from reThink_site.content.venues import Access, resolve_location
from reThink_site.content.venues import Venue as Venue  # re-exported: the loader and index import it from here
from reThink_site.core import timeparse
from reThink_site.core.localdates import N_

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME_SLUG = 100  # a tag's or series' URL part; file systems refuse names over 255 bytes
MAX_PATH_PART = 200  # one folder name of an alias
LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
Day = date  # the annotation of fields named `date`, which shadow the name `date` once they have a Field()


def check_group_name(value: str, what: str) -> str:
    """A tag, series or person id must give a URL part that is neither empty nor too long for a file name."""
    from reThink_site.core.urls import slugify

    slug = slugify(value)
    if not slug:
        raise ValueError(f"expected a {what} with at least one letter or digit, found {value!r}")
    if len(slug) > MAX_NAME_SLUG:
        raise ValueError(f"expected a {what} of at most {MAX_NAME_SLUG} letters and digits, "
                         f"found one of {len(slug)}")
    return value


def single_line(value: str) -> str:
    """A title is one line wherever it lands (a calendar's NAME, a feed's title): line breaks become spaces."""
    return LINE_BREAKS.sub(" ", value) if "\n" in value or "\r" in value else value


def check_site_path_or_url(value: str) -> str:
    """Accept a URL or a site path starting with `/` that stays inside the site."""
    text = value.strip()
    if text.startswith("/") and not text.startswith("//"):
        if any(ord(c) < 32 or c in "<>\"'\\" for c in text) or "/../" in text + "/" or text.endswith("/.."):
            raise ValueError(f"expected a site path such as /assets/slides.pdf, found {value!r}")
        return text
    return check_url(text)


class Person(Frozen):
    """A speaker, chair or author; `id` links to `people.yaml` and the person's page."""

    name: str = Field(min_length=1, max_length=200, description="Their name as it should appear")
    role: Optional[str] = Field(None, description="Job title, such as Chief Executive")
    organisation: Optional[str] = Field(None, description="Council or organisation they work for")
    url: Optional[str] = Field(None, title="Web page", description="A web page about them (https://…)")
    bio: Optional[str] = Field(None, description="A sentence or two about them", json_schema_extra={"widget": "text"})
    id: str = Field("", title="From people.yaml", json_schema_extra={"relation": "people"},
                    description="Choose someone listed in content/people.yaml, or fill in the fields below")

    _check_url = field_validator("url")(lambda cls, v: v if v is None else check_url(v))
    _check_id = field_validator("id")(lambda cls, v: v and check_group_name(v, "person id"))


class Location(Frozen):
    """Where an event happens: a place, an online join link, or both (hybrid); `venue` names venues.yaml."""

    name: Optional[str] = Field(None, description="The place, such as Dukinfield Town Hall")
    address: Optional[str] = Field(None, description="Street address")
    city: Optional[str] = Field(None, description="Town or city")
    postcode: Optional[str] = Field(None, description="Postcode")
    url: Optional[str] = Field(None, title="Web address", description="The place's website; for an online-only "
                               "event, the joining link (leave the place empty)")
    join: Optional[str] = Field(None, title="Join online", description="The online join link of an event held "
                                "in a place too")
    venue: str = Field("", description="A venue from content/venues.yaml: its address and access come with it",
                       json_schema_extra={"relation": "venues"})
    latitude: Optional[float] = Field(default=None, ge=-90, le=90, description="For a map link")
    longitude: Optional[float] = Field(default=None, ge=-180, le=180, description="For a map link")
    access: Optional[Access] = Field(None, description="Access details of the place")

    _check_url = field_validator("url", "join")(lambda cls, v: v if v is None else check_url(v))

    @property
    def online(self) -> bool:
        """An online event has a link and no physical place."""
        return not (self.name or self.address or self.city or self.postcode)

    @property
    def hybrid(self) -> bool:
        """In a place and online at once."""
        return not self.online and self.join is not None

    @property
    def join_link(self) -> Optional[str]:
        """Where people join online, if they can."""
        return self.join or (self.url if self.online else None)

    @property
    def website(self) -> Optional[str]:
        """The place's own web page (never the join link)."""
        return None if self.online else self.url

    @property
    def one_line(self) -> str:
        """The place as one line, for calendars and e-mail."""
        return self.line()

    def line(self, words: Callable[[str], str] = str) -> str:
        """The place as one line, its words (`Online`, `and online`) in the page's language through *words*."""
        if self.online:
            return words(N_("Online"))
        place = ", ".join(dict.fromkeys(p for p in (self.name, self.address, self.city, self.postcode) if p))
        return words(N_("%(place)s and online")) % {"place": place} if self.hybrid else place


class Link(Frozen):
    """A titled link to a download or page (slides, forms, recordings)."""

    title: str = Field(min_length=1, description="What the link is, such as Slides (the page adds (PDF) itself)")
    url: str = Field(title="Web address", description="A web address, or a file under /assets/")

    _check = field_validator("url")(lambda cls, v: check_site_path_or_url(v))


class Image(Frozen):
    """An image with its alt text, shown on the page and in link previews."""

    src: str = Field(title="Picture", description="The picture (kept in content/assets/images/)",
                     json_schema_extra={"widget": "image"})
    alt: str = Field(title="Alt text", description="What the picture shows, for people who cannot see it")

    @field_validator("src")
    @classmethod
    def _check_src(cls, value: str) -> str:
        text = check_site_path_or_url(value)
        if text.startswith("/") and not text.startswith("/assets/"):
            raise ValueError(f"expected an image under /assets/ or a URL, found {value!r}")
        return text


class Content(BaseModel):
    """Fields every kind shares; unknown fields are kept in `extra` for templates."""

    model_config = ConfigDict(frozen=True, extra="allow", str_strip_whitespace=True)

    source_path: str
    slug: str = Field(description="The page's address; leave empty for a new file (its name gives it)")
    body: str = Field("", description="The text of the page, in Markdown", json_schema_extra={"widget": "markdown"})
    body_line: int = 1
    title: str = Field(min_length=1, max_length=500, description="The title, as shown on the page and in lists")
    summary: Optional[str] = Field(None, description="One or two sentences for lists and link previews",
                                   json_schema_extra={"widget": "text"})
    tags: tuple[str, ...] = Field((), description="Topics, separated by commas, such as digital, social care")
    draft: bool = Field(False, description="Keep it off the published site")
    updated: Optional[datetime] = Field(None, description="When it was last changed in a way readers should know")
    image: Optional[Image] = Field(None, description="A picture for the page and link previews")
    aliases: tuple[str, ...] = Field((), description="Old addresses of this page, such as /old-name/")

    @model_validator(mode="before")
    @classmethod
    def _refuse_control_characters(cls, data: Any) -> Any:
        for name, value in (data.items() if isinstance(data, dict) else ()):
            found = find_control_character(value)
            if found and isinstance(name, str):
                raise ValueError(f"{name}: expected text without control characters, found {found}")
        return data

    _one_line_title = field_validator("title")(lambda cls, v: single_line(v))

    @field_validator("slug")
    @classmethod
    def _check_slug(cls, value: str) -> str:
        if not SAFE_SLUG.match(value) or len(value) > 200:
            raise ValueError("expected a slug of lower-case letters, digits and single hyphens "
                             f"(such as using-public-assets), found {value!r}")
        return value

    @field_validator("tags", mode="before")
    @classmethod
    def _check_tags(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(f"expected a list of tags such as [assets, communities], found {value!r}")
        return value

    @field_validator("tags")
    @classmethod
    def _check_tag_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            check_group_name(tag, "tag")
        return tuple(dict.fromkeys(value))

    @field_validator("updated", mode="before")
    @classmethod
    def _parse_updated(cls, value: Any, info: ValidationInfo) -> Any:
        return None if value is None else timeparse.parse_datetime(value, info.context["tz"])

    @field_validator("aliases")
    @classmethod
    def _check_aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for alias in value:
            parts = alias.split("/")
            if not alias.startswith("/") or alias.startswith("//") or ".." in parts or "." in parts \
                    or any(ord(c) < 32 or c in "<>\"'\\?#%:" for c in alias):
                raise ValueError(f"expected an old site path such as /old-name/, found {alias!r}")
            if any(len(part.encode("utf-8")) > MAX_PATH_PART for part in parts):
                raise ValueError(f"expected an old site path whose parts have at most {MAX_PATH_PART} "
                                 f"characters, found {alias[:60]!r}…")
        return value

    @property
    def extra(self) -> dict:
        """Fields the contract does not define, kept for templates."""
        return dict(self.model_extra or {})

    def __getattr__(self, name: str) -> Any:
        """An unknown field named like another kind's field (`date` on an event) is not that field."""
        if name in CONTRACT_FIELDS and name not in type(self).model_fields:
            raise AttributeError(name)
        return super().__getattr__(name)  # type: ignore[misc]


def _person(value: Any, info: ValidationInfo) -> Any:
    """Resolve a person given as a `people.yaml` id, a plain name or a mapping."""
    people = info.context.get("people", {})
    if isinstance(value, str):
        listed = people.get(value.strip()) or people.get(listed_as(value, people) or "")
        return listed or {"name": value}  # "Professor Gwen Ellis", listed as Gwen Ellis, is that person
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"].strip() in people:
        return {**people[value["id"].strip()], **value}  # {id: asha-patel} (as the CMS writes it), with changes
    if isinstance(value, dict) and (key := listed_as(value, people)):
        return {**people[key], **value, "id": key}  # written out in full, with the url of someone listed
    return value


class Event(Booking, Content):
    """Something readers can attend: the heart of the site."""

    timezone: Optional[str] = Field(None, description="Only for an event outside the UK: its zone, such as "
                                    "Europe/Paris")  # before start/end: pydantic validates in order, they need it
    start: Union[datetime, date] = Field(description="When it starts (UK time)")
    end: Optional[Union[datetime, date]] = Field(None, description="When it ends")
    location: Optional[Location] = Field(None, description="Where it happens")
    series: Optional[str] = Field(None, description="Events of one series are listed together, such as Local reThink")
    host: Optional[str] = Field(None, description="The organisation that hosts it")
    chair: Optional[Person] = Field(None, description="Who chairs it")
    speakers: tuple[Person, ...] = Field((), description="Who speaks, in order")
    registration: Optional[str] = Field(None, title="Booking link", description="Where to book (https://…)")
    price: Optional[str] = Field(None, description="Such as Free to iNetwork members")
    chatham_house: bool = Field(False, title="Chatham House Rule",
                                description="The event runs under the Chatham House Rule")
    status: Literal["scheduled", "cancelled", "postponed", "rescheduled", "moved online"] = Field(
        "scheduled", description="Changed plans stay listed, marked (rescheduled needs Previous start)")
    resources: tuple[Link, ...] = Field((), description="Slides, forms and recordings")
    access: Optional[Access] = Field(None, description="Access details, laid over the venue's")
    repeat: Optional[Repeat] = Field(None, description="For an event that happens again and again: how often, "
                                     "until when, and the dates it skips or moves")  # after start: it needs it
    published: Optional[Union[datetime, date]] = Field(None, title="Announced", description="When the event was "
                                                       "first announced: the date feeds and mail tools give it")

    @field_validator("timezone")
    @classmethod
    def _check_zone(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            timeparse.zone(value)
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _parse_published(cls, value: Any, info: ValidationInfo) -> Any:
        return None if value is None else timeparse.parse_date_or_datetime(value, info.context["tz"])

    @field_validator("start", "end", mode="before")
    @classmethod
    def _parse_when(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return None
        zone_name = info.data.get("timezone")
        tz = timeparse.zone(zone_name) if zone_name else info.context["tz"]
        return timeparse.parse_date_or_datetime(value, tz)

    @field_validator("location", mode="before")
    @classmethod
    def _parse_location(cls, value: Any, info: ValidationInfo) -> Any:
        value = resolve_location(value, info.context.get("venues", {}))
        if isinstance(value, str):
            return {"url": None} if value.strip().lower() == "online" else {"name": value}
        return value

    _chair = field_validator("chair", mode="before")(_person)

    @field_validator("speakers", mode="before")
    @classmethod
    def _parse_speakers(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, (list, tuple)):
            return [_person(v, info) for v in value]
        return value

    @model_validator(mode="before")
    @classmethod
    def _parse_repeat(cls, data: Any, info: ValidationInfo) -> Any:
        """`repeat.moved` times are read in the event's zone (a bad zone is reported on its own field)."""
        if not isinstance(data, dict) or not isinstance(data.get("repeat"), dict):
            return data
        try:
            tz = timeparse.zone(data["timezone"]) if data.get("timezone") else info.context["tz"]
        except ValueError:
            tz = info.context["tz"]
        return {**data, "repeat": parse_moves(data["repeat"], tz)}

    _check_registration = field_validator("registration")(lambda cls, v: v if v is None else check_url(v))
    _check_series = field_validator("series")(lambda cls, v: v if v is None else check_group_name(v, "series"))

    @model_validator(mode="after")
    def _check_end(self, info: ValidationInfo) -> "Event":
        if self.end is not None:
            if isinstance(self.start, datetime) != isinstance(self.end, datetime):
                raise ValueError("end: expected the same kind as start (both dates or both date-times)")
            if self.end < self.start:
                raise ValueError(f"end: expected a time not before start ({self.start}), found {self.end}")
        if self.repeat is not None:
            zone = timeparse.zone(self.timezone) if self.timezone else info.context["tz"]
            check_repeat(self.repeat, self.start, zone)  # its rule against the start: `repeat.on: …`
        return self

    @property
    def all_day(self) -> bool:
        """A date without a time means the whole day."""
        return not isinstance(self.start, datetime)

    @property
    def access_details(self) -> Optional[Access]:
        """The event's access details laid over its venue's; None when nothing is said."""
        venue = self.location.access if self.location is not None else None
        found = self.access.over(venue) if self.access is not None else venue
        return None if found is None or found.empty else found


class Summary(Content):
    """A write-up published after an event."""

    date: Day = Field(description="Publication day: not on the site before this day")
    event: Optional[str] = Field(None, description="The event it summarises", json_schema_extra={"relation": "events"})
    author: Optional[Person] = Field(None, description="Who wrote it")

    _date = field_validator("date", mode="before")(lambda cls, v: timeparse.parse_date(v))
    _author = field_validator("author", mode="before")(_person)


class Insight(Content):
    """A blog post, opinion piece or press coverage."""

    date: Union[datetime, Day] = Field(description="Publication day: not on the site before this day")
    author: Optional[Person] = Field(None, description="Who wrote it")
    source: Optional[str] = Field(None, description="For press coverage: the publication's name")
    source_url: Optional[str] = Field(None, title="Source web address",
                                      description="For press coverage: the original article (https://…)")

    @field_validator("date", mode="before")
    @classmethod
    def _parse_date(cls, value: Any, info: ValidationInfo) -> Any:
        return timeparse.parse_date_or_datetime(value, info.context["tz"])

    _author = field_validator("author", mode="before")(_person)
    _source_url = field_validator("source_url")(lambda cls, v: v if v is None else check_url(v))


class Newsletter(Content):
    """One issue of the newsletter: an introduction; the build adds the rest."""

    date: Day = Field(description="The issue's day")
    featured: tuple[str, ...] = Field((), description="Items to put first", json_schema_extra={"relation": "posts"})

    _date = field_validator("date", mode="before")(lambda cls, v: timeparse.parse_date(v))


class Page(Content):
    """A stand-alone page such as About."""

    menu: Optional[int] = Field(default=None, ge=0, le=1000, description="Position in the main menu; "
                                "leave empty to keep it out of the menu")


KINDS: Mapping[str, type[Content]] = MappingProxyType({
    "events": Event,
    "summaries": Summary,
    "insights": Insight,
    "newsletters": Newsletter,
    "pages": Page,
})
CONTRACT_FIELDS = frozenset(name for kind in KINDS.values() for name in kind.model_fields)
