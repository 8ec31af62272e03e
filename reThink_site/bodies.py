"""Renders many Markdown bodies fast: reuse cached renders, spread the rest over the cores."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from reThink_site import cache as body_cache
from reThink_site.config import MarkdownSettings
from reThink_site.markup import LinkContext, make_renderer
from reThink_site.parallel import fork_map


@dataclass(frozen=True)
class BodyJob:
    """One body to render and the folder its relative links start from."""

    source_dir: str
    body: str


@dataclass(frozen=True)
class Renders:
    """The renders in job order, and a note when the cache had to be thrown away."""

    rendered: tuple[body_cache.CachedRender, ...]  # each with its first paragraph, cached or not
    warning: str = ""
    keys: tuple[str, ...] = ()  # each job's cache key, when the cache is on


def render_all(jobs_list: list[BodyJob], file_urls: dict[str, str], base: str, settings: MarkdownSettings,
               project: Path, use_cache: bool, jobs: int) -> Renders:
    """Render every body, taking unchanged ones from .rethink-cache/ when the cache is on."""
    opened: Optional[body_cache.BodyCache] = body_cache.open_cache(project) if use_cache else None
    keys: list[str] = []
    found: dict[str, body_cache.CachedRender] = {}
    warning = opened.warning if opened else ""
    if opened is not None:
        shared = body_cache.context_hash(body_cache.package_fingerprint(), settings.model_dump_json(), base,
                                          file_urls)
        keys = [body_cache.body_key(shared, job.source_dir, job.body) for job in jobs_list]
        try:
            found = opened.get_many(keys)
        except body_cache.CacheCorrupt as err:
            warning = f"{body_cache.CACHE_DIR}: the build cache was unreadable ({err}); discarded it"
            opened.close()
            body_cache.discard(project)
            opened = body_cache.open_cache(project)
            found = {}
    todo = [index for index, key in enumerate(keys or [None] * len(jobs_list)) if key not in found]
    renderer = make_renderer(settings.engine, settings.raw_html)

    def render_one(index: int) -> body_cache.CachedRender:
        job = jobs_list[index]
        return body_cache.with_first_paragraph(renderer.render(job.body, LinkContext(job.source_dir, file_urls, base)))

    fresh = dict(zip(todo, fork_map(render_one, todo, jobs)))
    if opened is not None:
        try:
            opened.keep_only({keys[i]: r for i, r in fresh.items()}, set(keys))
        except Exception as err:  # noqa: BLE001 (a cache that cannot be written only costs speed)
            warning = warning or f"{body_cache.CACHE_DIR}: could not update the build cache ({err})"
        opened.close()
    rendered = tuple(fresh[i] if i in fresh else found[keys[i]] for i in range(len(jobs_list)))
    return Renders(rendered, warning, tuple(keys))
