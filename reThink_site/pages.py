"""Plans and renders every HTML page of the site through the theme's templates."""

from __future__ import annotations

from collections import OrderedDict
from typing import Iterator

import jinja2

from reThink_site.index import Entry, Site
from reThink_site.newsletter import build_issue
from reThink_site.outputs import OutputFile
from reThink_site.render import render
from reThink_site.urls import alias_url, output_path


def _page(env: jinja2.Environment, url: str, template: str, **context) -> OutputFile:
    return OutputFile(output_path(url), render(env, template, page_url=url, **context))


def page(env: jinja2.Environment, url: str, template: str, context: dict) -> OutputFile:
    """One page at url from a template and its context."""
    return _page(env, url, template, **context)


def events_by_month(events: tuple[Entry, ...], tz) -> "OrderedDict[str, list[Entry]]":
    """Upcoming events grouped under 'June 2014' headings, in date order."""
    groups: OrderedDict[str, list[Entry]] = OrderedDict()
    for event in events:
        start = event.item.start
        day = start.astimezone(tz).date() if hasattr(start, "hour") else start
        groups.setdefault(f"{day:%B %Y}", []).append(event)
    return groups


def events_by_year(events: tuple[Entry, ...]) -> "OrderedDict[int, list[Entry]]":
    """Past events grouped by year, newest first."""
    groups: OrderedDict[int, list[Entry]] = OrderedDict()
    for event in events:
        groups.setdefault(event.item.start.year, []).append(event)
    return groups


def content_jobs(site: Site) -> list[tuple[str, str, dict]]:
    """(URL, template, context) of the page of every event, summary, insight, issue and stand-alone page."""
    jobs = [(e.url, "event.html", {"entry": e, "summary": site.summary_of_event.get(e.slug)}) for e in site.events]
    jobs += [(s.url, "summary.html", {"entry": s, "event": site.event_of_summary.get(s.slug)})
             for s in site.summaries]
    jobs += [(i.url, "insight.html", {"entry": i}) for i in site.insights]
    jobs += [(p.url, "page.html", {"entry": p}) for p in site.pages]
    jobs += [(n.url, "newsletter.html", {"entry": n, "issue": build_issue(site, n)}) for n in site.newsletters]
    return jobs


def content_pages(env: jinja2.Environment, site: Site) -> Iterator[OutputFile]:
    """One page per event, summary, insight, newsletter issue and stand-alone page."""
    for url, template, context in content_jobs(site):
        yield _page(env, url, template, **context)


def index_pages(env: jinja2.Environment, site: Site) -> Iterator[OutputFile]:
    """Home, lists, people, tags, series and the other section pages."""
    yield _page(env, "/", "home.html")
    yield _page(env, "/events/", "events.html", upcoming=events_by_month(site.upcoming, site.tz),
                past=events_by_year(site.past))
    yield _page(env, "/summaries/", "list.html", title="Discussion summaries", entries=site.summaries,
                intro="Write-ups of what was said at Local reThink sessions.")
    yield _page(env, "/insights/", "list.html", title="Insights", entries=site.insights,
                intro="Blog posts, opinion pieces and press coverage.")
    yield _page(env, "/newsletter/", "newsletters.html")
    yield _page(env, "/people/", "people.html")
    for person in site.people:
        yield _page(env, person.url, "person.html", person=person)
    yield _page(env, "/tags/", "tags.html")
    for tag in site.tags:
        yield _page(env, tag.url, "group.html", group=tag, heading=f"Topic: {tag.name}", kind="tags")
    for series in site.series:
        yield _page(env, series.url, "group.html", group=series, heading=series.name, kind="series")
    yield _page(env, "/subscribe/", "subscribe.html")
    yield _page(env, "/search/", "search.html")
    yield OutputFile("404.html", render(env, "404.html", page_url="/404.html"))


def redirect_pages(env: jinja2.Environment, site: Site) -> Iterator[OutputFile]:
    """A small page at each alias that sends readers (and crawlers) to the new URL."""
    for entry in site.events + site.posts + site.newsletters + site.pages:
        for alias in entry.item.aliases:
            url = alias_url(alias)
            yield OutputFile(output_path(url), render(env, "redirect.html", page_url=url, target=entry))


def all_pages(env: jinja2.Environment, site: Site) -> list[OutputFile]:
    """Every HTML page, in a stable order."""
    return [*content_pages(env, site), *index_pages(env, site), *redirect_pages(env, site)]
