"""Every events output that is not a plain page: calendar files and the month-grid pages."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import jinja2

from reThink_site import cache, calendar_grid, ics
from reThink_site.index import Site
from reThink_site.outputs import OutputFile
from reThink_site.render import render
from reThink_site.urls import output_path


def calendar_pages(env: jinja2.Environment, site: Site) -> list[OutputFile]:
    """A page per month from the first event to the last, and `/events/calendar/` at the current one."""
    grids = calendar_grid.all_months(site)
    if not grids:
        return [OutputFile(output_path("/events/calendar/"),
                           render(env, "calendar.html", page_url="/events/calendar/", grid=None))]
    files = [OutputFile(output_path(g.month.url), render(env, "calendar.html", page_url=g.month.url, grid=g))
             for g in grids]
    current = calendar_grid.current_month(site, [g.month for g in grids])
    opening = next(g for g in grids if g.month == current)
    files.append(OutputFile(output_path("/events/calendar/"),
                            render(env, "calendar.html", page_url="/events/calendar/", grid=opening)))
    return files


def calendar_files(site: Site, project: Optional[Path] = None) -> list[OutputFile]:
    """`/events.ics` and one `event.ics` beside each event page.

    With `project` (cache on) each unchanged event's VEVENT comes from the last build's cache.
    """
    known = cache.load_parts(project) if project is not None else {}
    parts = ics.ComponentBytes(site, known, cache.package_fingerprint())  # each part serialised once
    files = [OutputFile("events.ics", ics.programme(site, parts))]
    files += [OutputFile(output_path(entry.url + "event.ics"), ics.single(entry, site, parts))
              for entry in site.events]
    if project is not None and parts.made != known:
        cache.save_parts(project, parts.made)
    return files


def outputs(env: jinja2.Environment, site: Site, project: Optional[Path] = None) -> list[OutputFile]:
    """All of the events section's extra outputs."""
    return [*calendar_files(site, project), *calendar_pages(env, site)]
