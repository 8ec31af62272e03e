"""Renders the one-per-entry pages on every core; list, tag and people pages stay in the parent."""

from __future__ import annotations

from dataclasses import replace

import jinja2

from reThink_site import pages
from reThink_site.index import Site
from reThink_site.outputs import OutputFile
from reThink_site.parallel import fork_map, worker_count

CONTENT_LISTS = ("events", "summaries", "insights", "pages", "newsletters")
SLICES_PER_WORKER = 4
SPLIT_KNOWN = {"content_pages", "index_pages", "redirect_pages"}
MIN_ENTRIES = 200  # smaller sites render faster than a fork starts


def _content_slice(site: Site, index: int, count: int) -> Site:
    """The site with only every entry of one contiguous run in each content list (for content_pages)."""
    def part(items: tuple) -> tuple:
        size = -(-len(items) // count)
        return items[index * size:(index + 1) * size]

    return replace(site, **{name: part(getattr(site, name)) for name in CONTENT_LISTS})


def all_pages(env: jinja2.Environment, site: Site, jobs: int) -> list[OutputFile]:
    """The same files as pages.all_pages, rendered by forked workers when the site is big enough."""
    if set(pages.all_pages.__code__.co_names) - SPLIT_KNOWN:
        return pages.all_pages(env, site)  # all_pages grew a part this split does not know: stay exact
    entries = sum(len(getattr(site, name)) for name in CONTENT_LISTS)
    workers = worker_count(jobs, entries, MIN_ENTRIES // 2)
    if workers == 1:
        return pages.all_pages(env, site)
    count = workers * SLICES_PER_WORKER
    tasks = [*range(count), -1]  # -1: the list, index and redirect pages

    def render_task(task: int) -> list[OutputFile]:
        if task == -1:
            return [*pages.index_pages(env, site), *pages.redirect_pages(env, site)]
        return list(pages.content_pages(env, _content_slice(site, task, count)))

    done = fork_map(render_task, tasks, workers, min_per_worker=1)
    return [f for part in done for f in part]  # plan() sorts by path, so slice order does not matter
