"""`rethink new`: a correctly named content file with commented front matter, never overwriting."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from types import MappingProxyType

from reThink_site.content.models import SAFE_SLUG
from reThink_site.core.errors import UsageError
from reThink_site.core.timeparse import localize
from reThink_site.core.urls import RESERVED_PAGE_SLUGS, slugify

KIND_FOLDERS = MappingProxyType({"event": "events", "summary": "summaries", "insight": "insights",
                "newsletter": "newsletters", "page": "pages"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})$")
TITLE_SLUG_CHARACTERS = 80  # an address made from a long title is cut at a word, well inside a file name's 255 bytes
MAX_SLUG_CHARACTERS = 100  # the most a --slug may hold (the date prefix and .md still fit a file name)


@dataclass(frozen=True)
class NewFile:
    """What `new` is about to write: where, and the text."""

    path: Path
    text: str


def parse_when(text: str) -> tuple[date, str]:
    """The day of a --date value and its time part ('' for a date alone); bad values are usage errors."""
    text = text.strip()
    match = _DATETIME.match(text)
    day_text, time_text = (match.group(1), match.group(2)) if match else (text, "")
    if not _DATE.match(day_text):
        raise UsageError(f"--date: expected a date such as 2015-05-14 or 2015-05-14 10:00, found {text!r}")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise UsageError(f"--date: expected a real date, found {text!r}") from None
    if time_text:
        hours, minutes = map(int, time_text.split(":"))
        if hours > 23 or minutes > 59:
            raise UsageError(f"--date: expected a time between 00:00 and 23:59, found {time_text!r}")
        time_text = f"{hours:02d}:{minutes:02d}"
    return day, time_text


def quoted(text: str) -> str:
    """A YAML double-quoted string (JSON strings are valid YAML), so any title is safe."""
    return json.dumps(text, ensure_ascii=False)


def front_matter(kind: str, title: str, slug: str, day: date, time_text: str) -> str:
    """The front matter for one kind, each field with a comment saying what it is for."""
    lines = ["---",
             f"title: {quoted(title)}",
             "# The page's address. Keep it when you rename the file, so links and calendar",
             "# subscriptions keep working. After changing it, list the old address under aliases:.",
             f"slug: {slug}"]
    if kind == "event":
        start = f"{day.isoformat()} {time_text}" if time_text else day.isoformat()
        lines += [f"start: {start}  # date and time it starts (a date alone means all day)",
                  f"published: {date.today().isoformat()}  # when it was announced: the date feeds give it",
                  f"# end: {start}  # when it ends: a date-time, or the last day when start is a date",
                  "# location: {name: Tameside Council, address: Dukinfield Town Hall, city: Dukinfield}",
                  "#   (or: location: online; or a venue id from content/venues.yaml)",
                  "#   (hybrid: add join: https://... to the mapping, the online joining link)",
                  "# access: {step_free: true, hearing_loop: true, contact: someone@example.org}",
                  "series: Local reThink  # events of one series are listed together",
                  "# host: iNetwork  # the organisation that hosts it",
                  "# chair: asha-patel  # an id from content/people.yaml, or a name",
                  "# speakers: [asha-patel, Jo Bloggs]",
                  "# registration: https://www.eventbrite.co.uk/e/...  # where to book",
                  "# price: Free to iNetwork members",
                  "# chatham_house: true  # the event runs under the Chatham House Rule",
                  "# booking_closes: 2015-05-10 17:00  # after this the page says booking has closed",
                  "# status: scheduled  # or cancelled, postponed, moved online, rescheduled (add previous_start:)",
                  "# resources:  # slides and forms; put files in content/assets/",
                  "#   - {title: Slides (PDF), url: /assets/slides/example.pdf}"]
    elif kind in ("summary", "insight", "newsletter"):
        lines.append(f"date: {day.isoformat()}  # publication day: not on the site before this day")
        if kind == "summary":
            lines.append("# event: 2015-02-27-event-file-name  # the event it summarises (file name without .md)")
        if kind in ("summary", "insight"):
            lines.append("# author: asha-patel  # an id from content/people.yaml, or a name")
        if kind == "insight":
            lines += ["# source: The MJ  # for press coverage: the publication's name",
                      "# source_url: https://www.themj.co.uk/...  # the original article"]
        if kind == "newsletter":
            lines.append("# featured: [insights/what-we-heard]  # items to put first (kind/slug)")
    else:
        lines.append("# menu: 3  # position in the main menu; leave out to keep it out of the menu")
    lines += ["# summary: One or two sentences for lists and link previews.",
              "# tags: [neighbourhood services, digital]",
              "# image: {src: /assets/images/example.jpg, alt: What the picture shows}",
              "# draft: true  # keeps it off the published site (preview it with rethink serve --drafts)",
              "---", ""]
    return "\n".join(lines)


def title_slug(title: str) -> str:
    """The address part made from a title, cut after a whole word when the title is long."""
    slug = slugify(title)
    if len(slug) <= TITLE_SLUG_CHARACTERS:
        return slug
    return slug[:TITLE_SLUG_CHARACTERS + 1].rsplit("-", 1)[0] or slug[:TITLE_SLUG_CHARACTERS]


def plan_new(project: Path, content_dir: str, kind: str, title: str, day: date, time_text: str = "",
             slug: str | None = None, tz: tzinfo | None = None) -> NewFile:
    """Decide the file name, slug and text for a new content file; refuse clashes."""
    if kind not in KIND_FOLDERS:
        raise UsageError(f"expected one of {', '.join(KIND_FOLDERS)}, found {kind!r}")
    if not title.strip():
        raise UsageError("expected a title, found an empty one")
    name_slug = slug or title_slug(title)
    if slug and len(slug) > MAX_SLUG_CHARACTERS:
        raise UsageError(f"--slug: expected at most {MAX_SLUG_CHARACTERS} characters, found {len(slug)}")
    if not name_slug or not SAFE_SLUG.match(name_slug):
        raise UsageError(f"--slug: expected lower-case letters, digits and single hyphens, found {name_slug!r}"
                         if slug else f"the title {title!r} has no letters or digits to make an address "
                         "from; pass --slug")
    if kind == "page" and name_slug in RESERVED_PAGE_SLUGS:
        raise UsageError(f"/{name_slug}/ is a section of the site, so a page cannot use it; pass --slug "
                         "to choose another address")
    if time_text and tz is not None:
        try:
            localize(datetime.combine(day, time.fromisoformat(time_text)), tz)
        except ValueError as err:
            raise UsageError(f"--date: {err}") from None
    if kind == "page":
        filename, page_slug = f"{name_slug}.md", name_slug
    else:
        filename = f"{day.isoformat()}-{name_slug}.md"
        page_slug = filename[:-3] if kind in ("event", "newsletter") and not slug else name_slug
    folder = project / content_dir / KIND_FOLDERS[kind]
    path = folder / filename
    if path.exists():
        raise UsageError(f"{path.relative_to(project).as_posix()} already exists; refusing to overwrite it "
                         "(choose another title or pass --slug)")
    for other in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if f"slug: {page_slug}\n" in other.read_text(encoding="utf-8", errors="replace"):
            raise UsageError(f"{other.relative_to(project).as_posix()} already uses the slug {page_slug}; "
                             "pass --slug to choose another")
    return NewFile(path, front_matter(kind, title.strip(), page_slug, day, time_text) + "\nWrite here.\n")


def write_new(new: NewFile) -> None:
    """Create the file, failing rather than overwriting if it appeared meanwhile."""
    try:
        new.path.parent.mkdir(parents=True, exist_ok=True)
        with open(new.path, "x", encoding="utf-8") as handle:
            handle.write(new.text)
    except FileExistsError:
        raise UsageError(f"{new.path} already exists; refusing to overwrite it") from None
    except OSError as err:
        raise UsageError(f"cannot create {new.path.name[:120]}: {err.strerror or err}") from None
