"""Every events output that is not a plain page: calendar files and the month-grid pages."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from reThink_site import cache, calendar_grid, ics
from reThink_site.index import Site
from reThink_site.outputs import OutputFile
from reThink_site.urls import output_path


def calendar_jobs(site: Site) -> list[tuple[str, str, str, dict]]:
    """A page per month from the first event to the last, and `/events/calendar/` at the current one.

    As page jobs (output path, URL, template, context), rendered with the other pages (pagepool.py).
    """
    opening_url = "/events/calendar/"
    grids = calendar_grid.all_months(site)
    if not grids:
        return [(output_path(opening_url), opening_url, "calendar.html", {"grid": None})]
    jobs = [(output_path(g.month.url), g.month.url, "calendar.html", {"grid": g}) for g in grids]
    current = calendar_grid.current_month(site, [g.month for g in grids])
    opening = next(g for g in grids if g.month == current)
    jobs.append((output_path(opening_url), opening_url, "calendar.html", {"grid": opening}))
    return jobs


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

