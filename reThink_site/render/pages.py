"""Plans and renders every HTML page of the site through the theme's templates."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

import jinja2

from reThink_site.content import eventtime
from reThink_site.content.index import Entry, Site
from reThink_site.content.issue import build_issue
from reThink_site.core.localdates import N_
from reThink_site.core.outputs import OutputFile
from reThink_site.core.urls import alias_url, output_path
from reThink_site.render import calendars
from reThink_site.render.templates import render


def events_by_month(events: tuple[Entry, ...], tz) -> "OrderedDict[date, list[Entry]]":
    """Upcoming events grouped by month (keyed by its first day, named `June 2014` by the theme), in date order."""
    groups: OrderedDict[date, list[Entry]] = OrderedDict()
    for event in events:
        start = event.item.start
        day = start.astimezone(tz).date() if hasattr(start, "hour") else start
        groups.setdefault(day.replace(day=1), []).append(event)
    return groups


def events_by_year(events: tuple[Entry, ...]) -> "OrderedDict[int, list[Entry]]":
    """Past events grouped by year, newest first."""
    groups: OrderedDict[int, list[Entry]] = OrderedDict()
    for event in events:
        groups.setdefault(event.item.start.year, []).append(event)
    return groups


Job = tuple[str, str, str, dict]  # output path, URL, template and context of one page


def _job(url: str, template: str, **context) -> Job:
    return (output_path(url), url, template, context)


def event_jobs(site: Site) -> list[Job]:
    """Each event's page; a repeating one shows its next date (else its last) and lists all its dates."""
    upcoming_of: dict[str, list[Entry]] = {}
    past_of: dict[str, list[Entry]] = {}
    if any(e.item.repeat is not None for e in site.events):
        for found, into in ((site.upcoming, upcoming_of), (site.past, past_of)):
            for one in found:
                into.setdefault(one.url, []).append(one)
    jobs = []
    for entry in site.events:
        summary = site.summary_of_event.get(entry.slug)
        if entry.item.repeat is None:
            jobs.append(_job(entry.url, "event.html", entry=entry, summary=summary))
            continue
        upcoming, past = upcoming_of.get(entry.url, []), past_of.get(entry.url, [])
        moved = {o.start: o.moved_from for o in eventtime.occurrences(entry.item, site.tz) if o.moved_from is not None}
        dates = {name: [(e, moved.get(e.item.start)) for e in found] for name, found in (("upcoming", upcoming),
                                                                                         ("past", past))}
        jobs.append(_job(entry.url, "event.html", entry=(upcoming or past)[0], summary=summary, dates=dates,
                         rule=entry.item))  # the event as written: its own start is the rule's
    return jobs


def content_jobs(site: Site) -> list[Job]:
    """The page of every event, summary, insight, newsletter issue and stand-alone page."""
    jobs = event_jobs(site)
    jobs += [_job(s.url, "summary.html", entry=s, event=site.event_of_summary.get(s.slug)) for s in site.summaries]
    jobs += [_job(i.url, "insight.html", entry=i) for i in site.insights]
    jobs += [_job(p.url, "page.html", entry=p) for p in site.pages]
    jobs += [_job(n.url, "newsletter.html", entry=n, issue=build_issue(site, n)) for n in site.newsletters]
    return jobs


def index_jobs(site: Site) -> list[Job]:
    """Home, lists, people, tags, series and the other section pages."""
    jobs = [_job("/", "home.html"),
            _job("/events/", "events.html", upcoming=events_by_month(site.upcoming, site.tz),
                 past=events_by_year(site.past)),
            _job("/summaries/", "list.html", title=N_("Discussion summaries"), entries=site.summaries,
                 intro=N_("Write-ups of what was said at Local reThink sessions.")),
            _job("/insights/", "list.html", title=N_("Insights"), entries=site.insights,
                 intro=N_("Blog posts, opinion pieces and press coverage.")),
            _job("/newsletter/", "newsletters.html"), _job("/people/", "people.html")]
    jobs += [_job(person.url, "person.html", person=person) for person in site.people]
    jobs += [_job(venue.url, "venue.html", venue=venue) for venue in site.venues]
    jobs.append(_job("/tags/", "tags.html"))
    jobs += [_job(tag.url, "group.html", group=tag, heading=f"Topic: {tag.name}", kind="tags") for tag in site.tags]
    jobs += [_job(series.url, "group.html", group=series, heading=series.name, kind="series")
             for series in site.series]
    jobs += [_job("/subscribe/", "subscribe.html"), _job("/search/", "search.html"),
             ("404.html", "/404.html", "404.html", {})]
    return jobs


def redirect_jobs(site: Site) -> list[Job]:
    """A small page at each alias that sends readers (and crawlers) to the new URL."""
    return [_job(alias_url(alias), "redirect.html", target=entry)
            for entry in site.events + site.posts + site.newsletters + site.pages for alias in entry.item.aliases]


def page(env: jinja2.Environment, job: Job) -> OutputFile:
    """Render one page job."""
    path, url, template, context = job
    return OutputFile(path, render(env, template, page_url=url, **context))


def all_jobs(site: Site) -> list[Job]:
    """Every HTML page of the site, in a stable order."""
    return [*content_jobs(site), *index_jobs(site), *calendars.calendar_jobs(site), *redirect_jobs(site)]


def page_urls(site: Site) -> frozenset[str]:
    """The site path of every page (relative to the language's base): which versions of a page exist."""
    return frozenset(url for _, url, _, _ in all_jobs(site))


def all_pages(env: jinja2.Environment, site: Site) -> list[OutputFile]:
    """Every HTML page, in a stable order."""
    return [page(env, job) for job in all_jobs(site)]
