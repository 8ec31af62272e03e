"""`rethink new summary --event SLUG`: a discussion summary started from what its event already says."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Optional

from reThink_site.commands.new import NewFile, plan_new, quoted, title_slug
from reThink_site.content.config import SiteConfig
from reThink_site.content.index import source_key
from reThink_site.content.loader import load_content
from reThink_site.content.models import Event
from reThink_site.core.errors import UsageError
from reThink_site.core.typos import likely_meant

CHATHAM_HOUSE = ("# Chatham House Rule: the event ran under it. Participants may use what they heard, but",
                 "# may not reveal who said it or which organisation they are from, nor identify any other",
                 "# participant: report what was said without attributing it.")


def find_event(project: Path, config: SiteConfig, slug: str) -> Event:
    """The event with this slug, drafts included; a usage error naming the nearest slug when there is none."""
    loaded = load_content(project, config)
    events = {event.slug: event for event in loaded.items.get("events", ())}
    if slug in events:
        return events[slug]
    failed = next((f for f in loaded.invalid if f.kind == "events" and f.slug == slug), None)
    if failed is not None:
        raise UsageError(f"--event: {failed.source_path} has errors; run rethink check and fix them first")
    guess = likely_meant(slug, set(events))
    raise UsageError(f"--event: expected the slug of an event (its file name without .md), found {slug!r}"
                     + (f"; did you mean {guess!r}?" if guess else ""))


def day_text(day: date) -> str:
    """`Friday 27 February 2015`, as event pages write a day."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def opening(event: Event, config: SiteConfig) -> str:
    """The first sentence: which event, when, where and who chaired, all taken from the event's file."""
    start = event.start if isinstance(event.start, date) and not isinstance(event.start, datetime) \
        else event.start.astimezone(config.tz).date()
    link = "../" + source_key(event.source_path, config.content_dir)
    text = f"These are the main points from [{event.title}]({link}), held on {day_text(start)}"
    if event.location is not None:
        text += " online" if event.location.online else f" at {event.location.one_line}"
    if event.chair is not None:
        chair = event.chair.name + (f" ({event.chair.organisation})" if event.chair.organisation else "")
        text += f", with {chair} in the chair"
    return text + "."


def summary_text(event: Event, config: SiteConfig, title: str, slug: str, day: date) -> str:
    """Front matter naming the event, its tags copied, a Chatham House reminder when it applies, and a body."""
    lines = ["---", f"title: {quoted(title)}",
             "# The page's address. Keep it when you rename the file; after changing it, list the old",
             "# address under aliases:.",
             f"slug: {slug}",
             f"date: {day.isoformat()}  # publication day: not on the site before this day",
             f"event: {event.slug}  # the event it summarises: its page links here",
             "# author: asha-patel  # who wrote it: an id from content/people.yaml, or a name",
             "# summary: One or two sentences for lists and link previews."]
    if event.tags:
        lines.append(f"tags: [{', '.join(quoted(tag) for tag in event.tags)}]  # the event's; change them freely")
    if event.chatham_house:
        lines += list(CHATHAM_HOUSE)
    lines += ["# draft: true  # keeps it off the published site until it is ready", "---", "",
              opening(event, config), "", "Write here what was said.", ""]
    return "\n".join(lines)


def plan_summary(project: Path, config: SiteConfig, event_slug: str, title: Optional[str],
                 day: Optional[date], slug: Optional[str], today: date) -> NewFile:
    """The summary of one event: named and checked as `rethink new summary` would, pre-filled from the event."""
    event = find_event(project, config, event_slug)
    title = title or f"What we heard: {event.title}"
    if day is None:
        start = event.start if not isinstance(event.start, datetime) else event.start.astimezone(config.tz).date()
        day = max(today, start)  # a summary is not published before its event
    planned = plan_new(project, config.content_dir, "summary", title, day, "", slug, config.tz)
    page_slug = slug or title_slug(title)
    return NewFile(planned.path, summary_text(event, config, title.strip(), page_slug, day))
