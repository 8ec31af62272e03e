"""One exported item as a content file: front matter by the content contract, the body as Markdown, its to-dos."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Any

import yaml

from reThink_site.importing.plan import Plan, Target, Venue, tag_names
from reThink_site.importing.shortcodes import GalleryImage, expand, left_over, lines_naming
from reThink_site.importing.tomarkdown import Findings, to_markdown
from reThink_site.importing.wxr import Item

WP_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})")


@dataclass(frozen=True, order=True)
class ToDo:
    """Something a person must do in an imported file, reported as `file:line: field: what to do`."""

    path: str
    line: int
    field: str
    message: str

    def format(self) -> str:
        """The to-do as one line an editor (or an IDE) can jump to."""
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Converted:
    """The bytes of one content file and what a person still has to do in it."""

    data: bytes
    todos: tuple[ToDo, ...]


def plain_text(fragment: str) -> str:
    """HTML (an excerpt) as one line of plain text."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"\s+", " ", text).strip()


def wall_clock(item: Item, tz: tzinfo) -> str:
    """When an item was published, in the site's zone: from the GMT date when the export has one."""
    gmt = WP_DATETIME.match(item.post_date_gmt or "")
    if gmt and not item.post_date_gmt.startswith("0000"):
        moment = datetime.fromisoformat(f"{gmt.group(1)}T{gmt.group(2)}").replace(tzinfo=timezone.utc).astimezone(tz)
        other = moment.replace(fold=1 - moment.fold)
        if other.utcoffset() != moment.utcoffset():  # the hour a DST change repeats: say which one
            return moment.isoformat(timespec="minutes")
        return moment.strftime("%Y-%m-%d %H:%M")
    local = WP_DATETIME.match(item.post_date or "")
    return f"{local.group(1)} {local.group(2)}" if local and not item.post_date.startswith("0000") else ""


def event_fields(item: Item, target: Target, venues: dict[int, Venue], site_zone: str) -> dict[str, Any]:
    """start, end, timezone and location from the event plugin's post meta, where the export has them."""
    fields: dict[str, Any] = {}
    if target.start:
        fields["start"] = target.start
        end = item.meta_value("_EventEndDate") or " ".join(
            p for p in (item.meta_value("_event_end_date"), item.meta_value("_event_end_time")) if p)
        match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?", end)
        if match:
            end_text = match.group(1) if len(target.start) == 10 or not match.group(2) else \
                f"{match.group(1)} {match.group(2)}"
            if len(end_text) == len(target.start) and end_text > target.start:
                fields["end"] = end_text
        zone = item.meta_value("_EventTimezone")
        if zone and zone != site_zone and "/" in zone:
            fields["timezone"] = zone
    venue_id = item.meta_value("_EventVenueID")
    venue = venues.get(int(venue_id)) if venue_id.isdigit() else None
    if venue is not None:
        fields["location"] = {k: v for k, v in venue.model_dump().items() if v}
    return fields


def front_matter(item: Item, target: Target, plan: Plan, people: dict[str, str], tz: tzinfo,
                 site_zone: str, event_categories: frozenset[str]) -> dict[str, Any]:
    """The front matter of one file, in the contract's field order."""
    meta: dict[str, Any] = {"title": item.title or f"Untitled ({target.file.rsplit('/', 1)[-1][:-3]})"}
    if target.kind == "events":
        meta.update(event_fields(item, target, plan.venues, site_zone))
    elif target.kind == "insights":
        when = wall_clock(item, tz)
        if when:
            meta["date"] = when
        if item.creator:
            meta["author"] = people.get(item.creator, item.creator)
    summary = plain_text(item.excerpt)
    if summary:
        meta["summary"] = summary
    tags = tag_names(item.terms, event_categories)
    if tags and target.kind != "pages":
        meta["tags"] = tags
    if target.draft:
        meta["draft"] = True
    if target.aliases:
        meta["aliases"] = list(target.aliases)
    return meta


def convert_item(item: Item, target: Target, plan: Plan, rewrite, gallery, people: dict[str, str], tz: tzinfo,
                 site_zone: str, event_categories: frozenset[str], shown_path: str) -> Converted:
    """The file for one item: YAML front matter, then the body converted to Markdown."""
    meta = front_matter(item, target, plan, people, tz, site_zone, event_categories)
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    todos: list[ToDo] = []
    if target.kind == "events" and "start" not in meta:
        text += "# start: YYYY-MM-DD HH:MM  (the export gave no start: fill it in)\n"
        todos.append(ToDo(shown_path, 1, "start", "the export gives no start for this event; add "
                                                  "`start: YYYY-MM-DD HH:MM` (a date alone for an all-day event)"))
    if target.kind == "insights" and "date" not in meta:
        todos.append(ToDo(shown_path, 1, "date", "the export gives no publication date; add `date: YYYY-MM-DD`"))
    body_html = strip_block_comments(item.content)
    expanded = expand(body_html, gallery)
    unknown = left_over(expanded)
    findings = Findings()
    markdown, findings = to_markdown(expanded, rewrite, findings)
    head = f"---\n{text}---\n"
    body_line = head.count("\n") + 1
    for number, name in lines_naming(markdown, unknown):
        todos.append(ToDo(shown_path, body_line + number, "body",
                          f"the shortcode [{name}] has no Markdown form; replace it (a link, an image) or remove it"))
    for url in dict.fromkeys(findings.remote):
        todos.append(ToDo(shown_path, body_line + line_of(markdown, url), "body",
                          f"{url} is still on the old site; download it into content/assets/ (or import again "
                          "with --uploads pointing at wp-content/uploads) and link to it there"))
    for url in dict.fromkeys(findings.no_alt):
        todos.append(ToDo(shown_path, body_line + line_of(markdown, url), "body",
                          f"the image {url} has no alt text; describe it between the brackets of ![…]({url})"))
    return Converted((head + markdown).encode("utf-8"), tuple(sorted(todos)))


def strip_block_comments(text: str) -> str:
    """The block editor's `<!-- wp:… -->` markers and other HTML comments carry nothing a reader sees."""
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def line_of(markdown: str, needle: str) -> int:
    """The 0-based line of the Markdown where a URL first appears (0 when it does not)."""
    index = markdown.find(needle)
    return markdown.count("\n", 0, index) if index >= 0 else 0


def gallery_images(by_id: dict, by_parent: dict, post_id: int):
    """The images a `[gallery]` shows: the listed ids, else the post's own attached images, in order."""

    def images(ids: list[int]) -> list[GalleryImage]:
        chosen = [by_id[i] for i in ids if i in by_id] if ids else by_parent.get(post_id, [])
        return [GalleryImage(a.url, a.alt) for a in chosen if re.search(r"\.(jpe?g|png|gif|webp|svg)$", a.url, re.I)]

    return images


def person_entry(display: str, first: str, last: str, login: str) -> dict[str, str]:
    """A people.yaml entry for a WordPress author: the name only (never the e-mail address)."""
    name = display or " ".join(p for p in (first, last) if p) or login
    return {"name": name}
