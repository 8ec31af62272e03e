"""`rethink new`: a correctly named content file with commented front matter, never overwriting."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from types import MappingProxyType

from reThink_site.content import examples
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


def example_end(day: date, time_text: str) -> str:
    """An end to uncomment that is not the start: two hours later (at most 23:59), or the next day."""
    if not time_text:
        return (day + timedelta(days=1)).isoformat()
    hours, minutes = map(int, time_text.split(":"))
    return f"{day.isoformat()} {min(hours + 2, 23):02d}:{minutes if hours < 22 else 59:02d}"


def newest_item(project: Path, content_dir: str) -> str:
    """`kind/slug` of the newest insight or summary, for the newsletter's `featured` example ('' when none)."""
    from reThink_site.core.urls import slug_from_filename

    found = [(path.name, f"{kind}/{slug_from_filename(kind, path.stem)}") for kind in ("insights", "summaries")
             for path in (project / content_dir / kind).glob("*.md")]
    return max(found)[1] if found else ""


def front_matter(kind: str, title: str, slug: str, day: date, time_text: str, featured: str = "") -> str:
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
                  f"# end: {example_end(day, time_text)}  # when it ends: a date-time, or the last day when "
                  "start is a date",
                  "# location: {name: The place, address: The street address, city: The town}  # or a venue id "
                  "from content/venues.yaml",
                  "# location: online  # instead of the line above, for an event held online only",
                  f"# location: {{name: The place, city: The town, join: {examples.WEB_ADDRESS}}}  # instead, in "
                  "a place and online",
                  f"# access: {{step_free: true, hearing_loop: true, contact: {examples.CONTACT}}}",
                  "series: Local reThink  # events of one series are listed together",
                  "# host: iNetwork  # the organisation that hosts it",
                  f"# chair: {examples.PERSON_ID}  # an id from content/people.yaml, or a name",
                  f"# speakers: [{examples.PERSON_ID}, {examples.PERSON_NAME}]",
                  f"# registration: {examples.BOOKING}  # where to book",
                  "# price: Free to iNetwork members",
                  "# chatham_house: true  # the event runs under the Chatham House Rule",
                  f"# booking_closes: {(day - timedelta(days=4)).isoformat()} 17:00  # after this the page says "
                  "booking has closed",
                  "# status: scheduled  # or cancelled, postponed, moved online, rescheduled (add previous_start:)",
                  "# repeat: {every: week, count: 6}  # or every: fortnight/month, on: second Tuesday, until: a date",
                  "# resources:  # slides and forms; put files in content/assets/",
                  f"#   - {{title: Slides, url: {examples.RESOURCE}}}  # the page adds the file's type, (PDF)"]
    elif kind in ("summary", "insight", "newsletter"):
        lines.append(f"date: {day.isoformat()}  # publication day: not on the site before this day")
        if kind == "summary":
            lines.append(f"# event: {examples.EVENT_REF}  # the event it summarises (file name without .md)")
        if kind in ("summary", "insight"):
            lines.append(f"# author: {examples.PERSON_ID}  # an id from content/people.yaml, or a name")
        if kind == "insight":
            lines += ["# source: The MJ  # for press coverage: the publication's name",
                      f"# source_url: {examples.WEB_ADDRESS}  # the original article"]
        if kind == "newsletter":
            lines.append(f"# featured: [{featured or 'kind/slug'}]  # items to put first: events/…, summaries/…, "
                         "insights/… (file names without .md)" if featured else
                         "# featured: []  # items to put first, such as [insights/a-post-file-name]")
    else:
        lines.append("# menu: 3  # position in the main menu; leave out to keep it out of the menu")
    lines += [f"# summary: {examples.SUMMARY}",
              "# tags: [neighbourhood services, digital]",
              f"# image: {{src: {examples.IMAGE}, alt: {examples.IMAGE_ALT}}}",
              "# draft: true  # keeps it off the published site (preview it with rethink serve --drafts)",
              "# Write the text below the --- line, in Markdown.",
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
    featured = newest_item(project, content_dir) if kind == "newsletter" else ""
    return NewFile(path, front_matter(kind, title.strip(), page_slug, day, time_text, featured) + "\n")


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
