"""Reads site.yaml into a frozen SiteConfig, reporting every problem with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, Optional
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reThink_site.content.fieldrules import find_control_character
from reThink_site.content.frontmatter import FrontMatterError, decode, load_yaml, nearest_line
from reThink_site.content.models import Person, check_url, single_line
from reThink_site.core import timeparse
from reThink_site.core.errors import ContentErrors, Problem, UsageError
from reThink_site.core.typos import likely_meant


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FeedSettings(_Section):
    """How feeds are filled."""

    items: int = Field(default=20, ge=1, le=10_000)
    content: Literal["full", "summary"] = "full"


class NewsletterSettings(_Section):
    """Newsletter title, windows and mailing details."""

    title: str = "Newsletter"
    upcoming_days: int = Field(default=60, ge=0, le=3660)
    lookback_days: int = Field(default=31, ge=0, le=3660)
    signup_url: Optional[str] = None
    footer: str = ""

    _url = field_validator("signup_url")(lambda cls, v: v if v is None else check_url(v))
    _one_line = field_validator("title")(lambda cls, v: single_line(v))


class MarkdownSettings(_Section):
    """What editors may put in Markdown bodies."""

    raw_html: Literal["allow", "escape"] = "allow"
    engine: Literal["commonmark", "python-markdown"] = "commonmark"


class CmsSettings(_Section):
    """Editing in the browser at /admin/: where the CMS commits (a GitHub repository) and how."""

    repo: Optional[str] = Field(None, pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")  # owner/name on GitHub
    branch: str = Field("main", min_length=1)
    editorial_workflow: bool = True  # each change a pull request, merged to publish
    auth_url: Optional[str] = None  # the OAuth service that signs editors in to GitHub (base_url of Decap)

    _url = field_validator("auth_url")(lambda cls, v: v if v is None else check_url(v))


FIELD_PREFIX = re.compile(r"^([A-Za-z_]\w*(?:\.[\w-]+)*): ")  # a message naming its own field: `end: expected …`
_DURATION = re.compile(r"^(?:(\d+)\s*(?:h|hours?))?\s*(?:(\d+)\s*(?:m|mins?|minutes?))?$")


class EventSettings(_Section):
    """How event times are written and how long an event with no end lasts in calendars."""

    clock: Literal["12-hour", "24-hour"] = "12-hour"
    default_duration: Optional[timedelta] = None  # unset: no DTEND, as the shared contract says

    @field_validator("default_duration", mode="before")
    @classmethod
    def _parse_duration(cls, value: Any) -> Any:
        """`90` (minutes), `2 hours`, `1 hour 30 minutes` or `1h30m`."""
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            minutes = value
        else:
            found = _DURATION.match(str(value).strip().lower())
            if not found or not any(found.groups()):
                raise ValueError(f"expected a length such as 2 hours, 90 minutes or 1 hour 30 minutes, "
                                 f"found {value!r}")
            minutes = int(found.group(1) or 0) * 60 + int(found.group(2) or 0)
        if not 1 <= minutes <= 7 * 24 * 60:
            raise ValueError(f"expected a length between 1 minute and 7 days, found {value!r}")
        return timedelta(minutes=minutes)


class SiteConfig(BaseModel):
    """Everything in site.yaml, validated once."""

    model_config = ConfigDict(frozen=True, extra="allow")

    title: str = Field(min_length=1)
    base_url: str
    description: str = ""
    language: str = "en-GB"
    timezone: str = "Europe/London"
    author: Optional[Person] = None
    feed: FeedSettings = FeedSettings()
    newsletter: NewsletterSettings = NewsletterSettings()
    markdown: MarkdownSettings = MarkdownSettings()
    cms: Optional[CmsSettings] = None  # no cms: section, no /admin/
    events: EventSettings = EventSettings()
    contact_email: Optional[str] = None  # the site's contact: calendars name it as every event's ORGANIZER
    content_dir: str = "content"
    output_dir: str = "output"
    templates_dir: str = "templates"

    _one_line = field_validator("title")(lambda cls, v: single_line(v))

    @field_validator("base_url")
    @classmethod
    def _check_base(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"expected an absolute https:// address, found {value!r}")
        check_url(value)
        if "?" in value or "#" in value:
            raise ValueError(f"expected the address the site is published at, without a ?query or #fragment "
                             f"(every page's address is made by adding to it), found {value!r}")
        return value if value.endswith("/") else value + "/"

    @field_validator("contact_email")
    @classmethod
    def _check_email(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and check_url("mailto:" + value) and ("@" not in value or " " in value.strip()):
            raise ValueError(f"expected an e-mail address such as team@example.org, found {value!r}")
        return value if value is None else value.strip()

    @field_validator("timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        timeparse.zone(value)
        return value

    @field_validator("author", mode="before")
    @classmethod
    def _author(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("content_dir", "output_dir", "templates_dir")
    @classmethod
    def _relative(cls, value: str) -> str:
        if not value or "\x00" in value:
            raise ValueError(f"expected a folder name, found {value!r}")
        if value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value) or ".." in re.split(r"[/\\]", value):
            raise ValueError(f"expected a folder inside the project, such as content or site/output, found "
                             f"{value!r} (to build into a folder elsewhere, pass --output)")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The site's zone object."""
        return ZoneInfo(self.timezone)


def folders_outside(config: SiteConfig, project: Path, lines: dict) -> list[Problem]:
    """The folder settings that lead out of the project through a symbolic link (what is there is not ours)."""
    root = project.resolve()
    found = []
    for key in ("content_dir", "templates_dir"):
        name = getattr(config, key)
        try:
            folder = (project / name).resolve()
        except (OSError, RuntimeError):  # a link loop
            folder = Path("/")
        if folder != root and root not in folder.parents:
            found.append(Problem("site.yaml", lines.get((key,), 1), key,
                                 f"the folder {name} leads out of the project (to {folder}) through a symbolic "
                                 "link; refused", "keep the site's folders inside the project"))
    return found


def problems_from_validation(err: ValidationError, path: str, line_of) -> list[Problem]:
    """Turn pydantic's errors into `path:line: field: expected …, found …` problems."""
    problems = []
    for item in err.errors():
        loc = tuple(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if message.startswith("Input should be "):
            message = "expected " + message.removeprefix("Input should be ")
            message += f", found {item['input']!r}"[:160]
        if item["type"] == "missing":
            message = "required field is missing"
        if item["type"] == "extra_forbidden":
            message = f"unknown field (found {item['input']!r})"[:160]
        field = ".".join(str(p) for p in loc)
        named = FIELD_PREFIX.match(message)
        if named and not loc:  # a model's own check naming its field (`end: …`, `repeat.until: …`): its line
            field, message = named.group(1), message[named.end():]
            loc = tuple(int(p) if p.isdigit() else p for p in field.split("."))
        line = line_of(loc[:-1] if item["type"] == "missing" else loc)  # a missing field: its parent's line
        problems.append(Problem(path, line, field, message))
    return problems


@dataclass(frozen=True)
class ConfigFile:
    """site.yaml read once: its settings, and warnings about keys that look like misspelt settings."""

    config: SiteConfig
    warnings: tuple[Problem, ...] = ()


def control_characters(value: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Each setting (by key path) holding a character no feed, calendar or page can carry, and that character."""
    if isinstance(value, dict):
        return [found for key, item in value.items()
                for found in control_characters(key, path + (key,)) + control_characters(item, path + (key,))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in control_characters(item, path + (index,))]
    found = find_control_character(value)
    return [(path, found)] if found else []


def read_config(path: Path) -> ConfigFile:
    """Read and validate site.yaml; raise ContentErrors naming each bad key."""
    name = path.name
    try:
        raw, lines = load_yaml(decode(path.read_bytes()))
    except FileNotFoundError:
        raise ContentErrors([Problem(name, 1, "", "site.yaml not found; run rethink inside a site folder "
                                                   "or pass --site DIR")]) from None
    except FrontMatterError as err:
        raise ContentErrors([Problem(name, err.line, err.field, err.message, err.hint)]) from None
    if not isinstance(raw, dict):
        raise ContentErrors([Problem(name, 1, "", "expected settings as `key: value` lines")])
    control = control_characters(raw)
    if control:
        raise ContentErrors([Problem(name, nearest_line(lines, path), ".".join(map(str, path)),
                                     f"expected text without control characters, found {found}")
                             for path, found in control])
    try:
        config = SiteConfig.model_validate(raw)
    except ValidationError as err:
        raise ContentErrors(problems_from_validation(err, name, lambda loc: nearest_line(lines, loc))) from None
    if outside := folders_outside(config, path.parent, lines):
        raise ContentErrors(outside)
    known = set(SiteConfig.model_fields)
    warnings = tuple(Problem(name, lines.get((key,), 1), key, f"unknown setting `{key}`",
                             f"did you mean `{guess}`?", "warning")
                     for key in sorted(config.model_extra or {}) if (guess := likely_meant(key, known)))
    return ConfigFile(config, warnings)


def with_base_url(settings: ConfigFile, url: Optional[str]) -> ConfigFile:
    """The settings with another base_url (`rethink build --base-url`, for staging), checked as site.yaml's is."""
    if not url:
        return settings
    config = settings.config
    try:
        checked = SiteConfig.model_validate({"title": config.title, "base_url": url}).base_url
    except ValidationError as err:
        reason = str(err.errors()[0]["msg"]).removeprefix("Value error, ")
        raise UsageError(f"--base-url: {reason}") from None
    return ConfigFile(config.model_copy(update={"base_url": checked}), settings.warnings)


def load_config(path: Path) -> SiteConfig:
    """The settings of site.yaml, for callers that report no warnings."""
    return read_config(path).config
