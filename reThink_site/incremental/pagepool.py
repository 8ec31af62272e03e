"""Renders pages, calendars, feeds and mailings side by side on every core, in forked workers."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Optional, Sequence

import jinja2

from reThink_site.content.index import ENTRY_LISTS, Site
from reThink_site.core.outputs import OutputFile
from reThink_site.incremental.fingerprints import file_digest
from reThink_site.incremental.pagememo import PageMemo, Recorder
from reThink_site.incremental.parallel import fork_map, worker_count
from reThink_site.render import pages

SLICES_PER_WORKER = 4
MIN_ENTRIES = 200  # smaller sites render faster than a fork starts
MIN_PAGES_PER_WORKER = 100  # a worker compiles the templates again (~0.1 s): a few pages are cheaper here


def page_workers(jobs: int, entries: int, pages_to_render: int) -> int:
    """Processes for this build's pages and producers: one unless the site and the pages left are both large."""
    return min(worker_count(jobs, entries, MIN_ENTRIES // 2),
               worker_count(jobs, pages_to_render, MIN_PAGES_PER_WORKER))


def _render_job(env: jinja2.Environment, job: pages.Job, recorder: Optional[Recorder],
                memo: Optional[PageMemo]) -> tuple[OutputFile, tuple, str]:
    """Render one page in a worker, with what it read and (for the memo) its key and digest."""
    if recorder is None or memo is None:
        return pages.page(env, job), (), ""
    recorder.start()
    try:
        page = pages.page(env, job)
    finally:
        reads = recorder.stop()
    return replace(page, digest=file_digest(page)), reads, memo.key(job, reads)


def render_pages(env: jinja2.Environment, site: Site, jobs: int,
               extras: Sequence[Callable[[], Iterable[OutputFile]]] = (), memo: Optional[PageMemo] = None,
               recorder: Optional[Recorder] = None) -> tuple[list[OutputFile], list[list[OutputFile]]]:
    """Every HTML page plus each extra producer's files, rendered side by side by forked workers.

    Pages that the memo finds unchanged are taken from the live site instead of rendered.
    """
    reused, todo = [], []
    for job in pages.all_jobs(site):
        hit = memo.reuse(job) if memo is not None else None
        (reused if hit is not None else todo).append(hit if hit is not None else job)
    entries = sum(len(getattr(site, name)) for name in ENTRY_LISTS)
    workers = page_workers(jobs, entries, len(todo))
    count = workers * SLICES_PER_WORKER
    tasks: list[Callable[[], list]] = [
        *(lambda extra=extra: list(extra()) for extra in extras),
        *(lambda index=index: [_render_job(env, job, recorder, memo) for job in todo[index::count]]
          for index in range(count))]
    done = fork_map(lambda task: task(), tasks, workers, min_per_worker=1)
    rendered: list[OutputFile] = []
    for part in done[len(extras):]:
        for page, reads, key in part:
            if memo is not None:
                memo.remember(page, reads, key)
            rendered.append(page)
    return [*reused, *rendered], done[:len(extras)]
