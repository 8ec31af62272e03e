"""Renders pages, calendars, feeds and mailings side by side on every core, in forked workers."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Sequence

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


def render_all(env: jinja2.Environment, site: Site, jobs: int,
               extras: Sequence[Callable[[], Iterable[OutputFile]]] = ()
               ) -> tuple[list[OutputFile], list[list[OutputFile]]]:
    """pages.all_pages plus each extra producer's files, rendered side by side by forked workers."""
    entries = sum(len(getattr(site, name)) for name in CONTENT_LISTS)
    workers = worker_count(jobs, entries, MIN_ENTRIES // 2)
    if workers == 1 or set(pages.all_pages.__code__.co_names) - SPLIT_KNOWN:
        # small site, or all_pages grew a part this split does not know: stay exact and sequential
        return pages.all_pages(env, site), [list(extra()) for extra in extras]
    count = workers * SLICES_PER_WORKER
    tasks: list[Callable[[], list[OutputFile]]] = [
        *(lambda extra=extra: list(extra()) for extra in extras),
        lambda: [*pages.index_pages(env, site), *pages.redirect_pages(env, site)],
        *(lambda index=index: list(pages.content_pages(env, _content_slice(site, index, count)))
          for index in range(count))]
    done = fork_map(lambda task: task(), tasks, workers, min_per_worker=1)
    page_files = [f for part in done[len(extras):] for f in part]  # plan() sorts by path
    return page_files, done[:len(extras)]
