"""Every events output that is not a plain page: calendar files and the month-grid pages."""

from __future__ import annotations

from typing import Callable

from reThink_site.content.index import Site
from reThink_site.core.outputs import MAKE_EVERY_PART, OutputFile, Reuse
from reThink_site.core.urls import output_path
from reThink_site.render import calendar_grid, ics


def calendar_jobs(site: Site) -> list[tuple[str, str, str, dict]]:
    """A page per month with events (and the current month), and `/events/calendar/` at the current one.

    As page jobs (output path, URL, template, context), rendered with the other pages (pagepool.py).
    """
    opening_url = "/events/calendar/"
    grids = calendar_grid.all_months(site)
    if not grids:
        return [(output_path(opening_url), opening_url, "calendar.html", {"grid": None})]
    jobs = [(output_path(g.month.url), g.month.url, "calendar.html", {"grid": g}) for g in grids]
    current = calendar_grid.current_month(site, [g.month for g in grids if g.days_with_events])
    opening = next(g for g in grids if g.month == current)
    jobs.append((output_path(opening_url), opening_url, "calendar.html", {"grid": opening}))
    return jobs


def calendar_files(site: Site, reuse: Reuse = MAKE_EVERY_PART,
                   gettext: Callable[[str], str] = str) -> list[OutputFile]:
    """`/events.ics`, one `event.ics` beside each event page, and an `events.ics` for each series and each
    topic with events (parts from `reuse` when it has them)."""
    parts = ics.ComponentBytes(site, reuse)  # each part serialised once
    files = [OutputFile("events.ics", ics.programme(site, parts, gettext))]
    files += [OutputFile(output_path(entry.url + "event.ics"), ics.single(entry, site, parts))
              for entry in site.events]
    files += [OutputFile(output_path(group.url + "events.ics"), ics.group_calendar(group, kind, site, parts, gettext))
              for kind, groups in (("series", site.series), ("tags", site.tags)) for group in groups if group.events]
    return files
