"""Every events output that is not a plain page: calendar files and the month-grid pages."""

from __future__ import annotations

import jinja2

from reThink_site import calendar_grid, ics
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


def calendar_files(site: Site) -> list[OutputFile]:
    """`/events.ics` and one `event.ics` beside each event page."""
    parts = ics.ComponentBytes(site)  # each VEVENT and VTIMEZONE serialised once for all files
    files = [OutputFile("events.ics", ics.programme(site, parts))]
    files += [OutputFile(output_path(entry.url + "event.ics"), ics.single(entry, site, parts))
              for entry in site.events]
    return files


def outputs(env: jinja2.Environment, site: Site) -> list[OutputFile]:
    """All of the events section's extra outputs."""
    return [*calendar_files(site), *calendar_pages(env, site)]
