"""Reads site.yaml into a frozen SiteConfig, reporting every problem with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, Optional, Union, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reThink_site.content import languages
from reThink_site.content.fieldrules import find_control_character
from reThink_site.content.frontmatter import FrontMatterError, decode, load_yaml, nearest_line
from reThink_site.content.models import Person, check_url, single_line
from reThink_site.content.theme import ThemeSettings
from reThink_site.core import timeparse, urls
from reThink_site.core.errors import ContentErrors, Problem, UsageError, shown
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


_CLOCK_LENGTH = re.compile(r"^(\d+):([0-5]\d)$")  # 1:30, which YAML 1.1 read as the number 90
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
            found = _DURATION.match(str(value).strip().lower()) or _CLOCK_LENGTH.match(str(value).strip())
            if not found or not any(found.groups()):
                raise ValueError(f"expected a length such as 2 hours, 90 minutes or 1 hour 30 minutes, "
                                 f"found {value!r}")
            minutes = int(found.group(1) or 0) * 60 + int(found.group(2) or 0)
        if not 1 <= minutes <= 7 * 24 * 60:
            raise ValueError(f"expected a length between 1 minute and 7 days, found {value!r}")
        return timedelta(minutes=minutes)


class LanguageText(_Section):
    """The site's title and description in one of its other languages (`translations: {cy: {...}}`)."""

    title: Optional[str] = Field(None, min_length=1)
    description: Optional[str] = None
    newsletter_title: Optional[str] = Field(None, min_length=1)

    _one_line = field_validator("title", "newsletter_title")(lambda cls, v: v if v is None else single_line(v))


class SiteConfig(BaseModel):
    """Everything in site.yaml, validated once."""

    model_config = ConfigDict(frozen=True, extra="allow")

    title: str = Field(min_length=1)
    base_url: str
    description: str = ""
    language: str = "en-GB"
    languages: tuple[str, ...] = ()  # a bilingual site's languages, the default first; none: one language
    translations: dict[str, LanguageText] = {}  # title and description in each other language
    require_translations: Union[tuple[str, ...], dict[str, tuple[str, ...]]] = ()  # site-wide or per kind
    timezone: str = "Europe/London"
    author: Optional[Person] = None
    feed: FeedSettings = FeedSettings()
    newsletter: NewsletterSettings = NewsletterSettings()
    markdown: MarkdownSettings = MarkdownSettings()
    cms: Optional[CmsSettings] = None  # no cms: section, no /admin/
    events: EventSettings = EventSettings()
    theme: ThemeSettings = ThemeSettings()  # the look: logo, footer, extra menu links (docs/theme.md)
    contact_email: Optional[str] = None  # the site's contact: calendars name it as every event's ORGANIZER
    extra_fields: tuple[str, ...] = ()  # the site's own front-matter fields, read by its templates: no warning
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

    _languages = model_validator(mode="before")(lambda cls, data: languages.default_first(data))
    _language_rules = model_validator(mode="after")(lambda self: languages.check_settings(self))

    @property
    def default_language(self) -> str:
        """The language of the pages at today's URLs."""
        return self.languages[0] if self.languages else self.language

    @property
    def root_url(self) -> str:
        """The default language's base_url: where the shared files (/static/, /assets/, /pagefind/) live."""
        if self.language == self.default_language:
            return self.base_url
        return self.base_url.removesuffix(urls.language_prefix(self.language) + "/")

    def base_for(self, site_path: str) -> str:
        """The base a site path hangs from: the shared root for shared files, else this language's base_url."""
        return self.root_url if site_path.startswith(urls.SHARED_PATHS) else self.base_url

    def for_language(self, language: str) -> "SiteConfig":
        """The settings of one language's pages: its tag, its /cy/ base and its own title and description."""
        if language == self.default_language:
            return self
        text = self.translations.get(language, LanguageText())
        return self.model_copy(update={
            "language": language, "base_url": self.base_url + urls.language_prefix(language) + "/",
            "title": text.title or self.title,
            "description": self.description if text.description is None else text.description,
            "newsletter": self.newsletter.model_copy(update={"title": text.newsletter_title or self.newsletter.title})})


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


EXPECTED = {  # pydantic's kind of error -> what the field needs, in an editor's words
    **dict.fromkeys(("tuple_type", "list_type", "set_type", "frozen_set_type"),
                    "a list, such as [first, second], or one `- item` per line below it"),
    **dict.fromkeys(("model_type", "model_attributes_type", "dict_type"),
                    "fields on indented lines below it (`name: value`)"),
    "string_type": "text", **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "a whole number"),
    **dict.fromkeys(("float_type", "float_parsing"), "a number"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "true or false"),
    **dict.fromkeys(("datetime_type", "datetime_parsing", "date_type", "date_parsing", "datetime_from_date_parsing",
                     "date_from_datetime_parsing"), "a date (2015-02-27) or a date and time (2015-02-27 10:00)"),
    "string_pattern_mismatch": "text of the form this setting takes",
}
TYPE_STEPS = frozenset({"str", "int", "float", "bool", "date", "datetime", "list", "tuple", "dict", "set", "none"})


def field_path(loc: tuple) -> tuple:
    """An error's location without the names of the types pydantic tried (`start.datetime` is `start`)."""
    return tuple(step for index, step in enumerate(loc) if index == 0 or isinstance(step, int)
                 or not (step in TYPE_STEPS or "[" in step or step[:1].isupper()))


def fields_at(model: Optional[type], loc: tuple) -> frozenset[str]:
    """The field names of the nested model at a location (`feed` in site.yaml: items, content)."""
    for step in loc:
        if model is None or isinstance(step, int):
            continue
        info = getattr(model, "model_fields", {}).get(step)
        model = next((t for t in _types(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)),
                     None) if info is not None else None
    return frozenset(getattr(model, "model_fields", ()))


def _types(annotation: Any) -> list:
    """An annotation and everything inside it (Optional[Image] gives Image)."""
    return [annotation, *(inner for arg in get_args(annotation) for inner in _types(arg))]


def in_words(item: dict) -> str:
    """One pydantic error's message as an editor would read it."""
    kind, message, found = item["type"], item["msg"].removeprefix("Value error, "), item.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field (found {shown(found)})"
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}, found {shown(found)}"
    if message.startswith("Input should be "):
        return f"expected {message.removeprefix('Input should be ')}, found {shown(found)}"
    if message.startswith("String should have "):
        return "expected " + message.removeprefix("String should have ")
    return message


def problems_from_validation(err: ValidationError, path: str, line_of, model: Optional[type] = None) -> list[Problem]:
    """Turn pydantic's errors into `path:line: field: expected …, found …` problems, with a "did you mean"
    for an unknown field of a nested model close to one of its fields."""
    problems: list[Problem] = []
    for item in err.errors():
        loc = field_path(tuple(item["loc"]))
        message, hint = in_words(item), ""
        field = ".".join(str(p) for p in loc)
        named = FIELD_PREFIX.match(message)
        if named and not loc:  # a model's own check naming its field (`end: …`, `repeat.until: …`): its line
            field, message = named.group(1), message[named.end():]
            loc = tuple(int(p) if p.isdigit() else p for p in field.split("."))
        if item["type"] == "extra_forbidden" and (meant := likely_meant(str(loc[-1]), fields_at(model, loc[:-1]))):
            hint = f"did you mean `{meant}`?"
        line = line_of(loc[:-1] if item["type"] == "missing" else loc)  # a missing field: its parent's line
        problem = Problem(path, line, field, message, hint)
        if problem not in problems:  # a date-or-date-time field fails both ways with one message
            problems.append(problem)
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
        raise ContentErrors(problems_from_validation(err, name, lambda loc: nearest_line(lines, loc),
                                                     SiteConfig)) from None
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
