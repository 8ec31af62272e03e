"""What build.py hands each stage: plain work on --jobs processes, or the same work through the caches.

`PlainStages` is `--no-cache`: no recorder, no memo, no keys, nothing kept. `CachedStages` gives the
same stages their caches, recorders and reuse tables, every key made by one `Freshness`. The build
asks for one of the two once and never tests for the cache again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, Optional, Sequence

import jinja2

from reThink_site.content.config import SiteConfig
from reThink_site.content.index import Site
from reThink_site.content.loader import Loaded, ParseFiles
from reThink_site.core.errors import Problem
from reThink_site.core.outputs import MAKE_EVERY_PART, OutputFile, Reuse
from reThink_site.incremental import (
    contentcache,
    fastpath,
    pagememo,
    partcache,
    searchcache,
    sparetree,
    templatecache,
    treestate,
)
from reThink_site.incremental.bodycache import render_cached
from reThink_site.incremental.cachedir import CACHE_DIR, repair
from reThink_site.incremental.fingerprints import Freshness, Prints, code_fingerprint
from reThink_site.incremental.pagememo import PageMemo, Recorder
from reThink_site.incremental.parallel import fork_map
from reThink_site.markdown.base import RenderedBody
from reThink_site.markdown.bodies import BodyJob, EngineSettings, render_bodies
from reThink_site.publish import search, swap
from reThink_site.publish.swap import IndexSearch
from reThink_site.render.templates import make_env, theme_dirs

Produce = Callable[[Reuse], list[OutputFile]]


class PlainStages:
    """Every stage as written, spread over `jobs` processes, computing no key and keeping nothing."""

    def __init__(self, project: Path, config: SiteConfig, jobs: int, output: Optional[Path],
                 verify: bool = False) -> None:
        self.project, self.config, self.jobs, self.output = project, config, jobs, output
        self.verify = verify  # read every reused file and compare it with its record (`--verify`)
        self.notes: list[Problem] = []  # warnings about the caches (none here)
        self.memo: Optional[PageMemo] = None
        self.recorder: Optional[Recorder] = None

    def watch(self, options_key: str, now: Optional[str]) -> fastpath.Watch:
        """The no-change fast path, off: no snapshot, and no old record left to trust."""
        return fastpath.Watch.start(self.project, False, [], options_key, now, self.output or self.project)

    def valid_until(self, loaded: Loaded, now: datetime) -> Optional[datetime]:
        """When the output would go stale by the clock alone: the fast path's business, off here."""
        return None

    def map_items(self, function: Callable, items: Sequence) -> list:
        """[function(x) for x in items] on up to `jobs` processes."""
        return fork_map(function, items, self.jobs)

    def parse_files(self) -> ParseFiles:
        """How the load stage parses the Markdown files."""
        return contentcache.parse_in_workers(self.jobs)

    def render_bodies(self, jobs: Sequence[BodyJob], file_urls: dict[str, str], base: str,
                      settings: EngineSettings) -> list[RenderedBody]:
        """The Markdown stage."""
        return render_bodies(jobs, file_urls, base, settings, self.map_items)

    def environment(self, site: Site) -> jinja2.Environment:
        """The theme's template environment."""
        return make_env(self.project, site)

    def open_memo(self, env: jinja2.Environment, site: Site) -> None:
        """No page is taken from an earlier build."""

    def producer(self, parts_file: str, produce: Produce) -> Callable[[], list[OutputFile]]:
        """A producer of calendar or feed files that makes every part afresh."""
        return lambda: produce(MAKE_EVERY_PART)

    def search_records(self, files: Sequence[OutputFile]) -> list[search.SearchRecord]:
        """What Pagefind indexes: every content page's record, made afresh."""
        return search.page_records(files)

    def publish(self, output: Path, files: Sequence[OutputFile], index_search: Optional[IndexSearch]) -> None:
        """Write a new tree beside the output folder and swap it in."""
        with swap.write_errors(output):
            swap.publish_fresh(output, files, index_search)

    def published(self) -> None:
        """Nothing to remember once the site is out."""


class CachedStages(PlainStages):
    """The same stages through .rethink-cache/: unchanged files, bodies, pages and parts are reused.

    `output` is the live site to reuse pages from and patch (None for `check` and `newsletter`, which
    only read the content and body caches).
    """

    def __init__(self, project: Path, config: SiteConfig, jobs: int, output: Optional[Path],
                 verify: bool = False) -> None:
        super().__init__(project, config, jobs, output, verify)
        self.cache_dir = project / CACHE_DIR
        for entry, found in repair(project):  # before any cache is opened
            self.notes.append(Problem(entry, 1, "", f"damaged build cache: {found}; discarded and rebuilt",
                                      "a link is removed itself; what it points to is never touched", "warning"))
        self.freshness = Freshness(code_fingerprint())
        self.parse = contentcache.CachedParse(project, self.freshness, jobs, self.notes)
        self.body_keys: dict[str, str] = {}
        self.state: Optional[treestate.TreeState] = None
        self._prints: Optional[Prints] = None

    def watch(self, options_key: str, now: Optional[str]) -> fastpath.Watch:
        """The no-change fast path: the inputs as they are now, before anything is read."""
        config = self.config
        roots = [self.project / "site.yaml", self.project / config.content_dir, self.project / config.templates_dir,
                 *theme_dirs(self.project, config.templates_dir)]
        return fastpath.Watch.start(self.project, True, roots, options_key, now, self.output or self.project)

    def valid_until(self, loaded: Loaded, now: datetime) -> Optional[datetime]:
        """The first instant after now at which the clock alone changes the output."""
        return fastpath.valid_until(loaded, now, self.config)

    def parse_files(self) -> ParseFiles:
        """Unchanged files come from the content cache; the rest are parsed in workers."""
        return self.parse

    def render_bodies(self, jobs: Sequence[BodyJob], file_urls: dict[str, str], base: str,
                      settings: EngineSettings) -> list[RenderedBody]:
        """Unchanged bodies come from the body cache."""
        done = render_cached(jobs, file_urls, base, settings, self.project, self.freshness, self.map_items)
        if done.warning:
            self.notes.append(Problem(CACHE_DIR, 1, "", done.warning, "", "warning"))
        self.body_keys = {job.source_path: key for job, key in zip(jobs, done.keys)}
        return list(done.rendered)

    def prints(self) -> Prints:
        """Entry prints for this build, made from the keys each file was loaded and rendered under."""
        if self._prints is None:
            keys = {}
            for source, model_key in self.parse.keys.items():
                body_key = self.body_keys.get(source, "")
                keys[source] = (f"{model_key}\0{body_key}" if body_key else "", self.parse.front_keys.get(source, ""))
            self._prints = Prints(keys)
        return self._prints

    def environment(self, site: Site) -> jinja2.Environment:
        """A recording environment (what each page reads) with compiled templates kept between builds."""
        self.recorder = Recorder()
        env = pagememo.recording_env(self.project, site, self.recorder)
        env.bytecode_cache = templatecache.open_bytecode_cache(self.config, self.freshness)
        return env

    def open_memo(self, env: jinja2.Environment, site: Site) -> None:
        """Last build's page records, read once here and handed on to publishing."""
        if self.output is not None:
            self.state = treestate.load(self.cache_dir, self.output)
            self.memo = pagememo.open_memo(self.cache_dir, self.state, env, site, self.freshness, self.prints(),
                                           self.verify)

    def producer(self, parts_file: str, produce: Produce) -> Callable[[], list[OutputFile]]:
        """A producer whose unchanged parts come from the part file, saved by the process that made them."""
        if self.output is None:
            return super().producer(parts_file, produce)
        store = partcache.PartStore(self.project, parts_file, self.freshness, self.prints(), self.config)
        return partcache.producing(store, produce)

    def search_records(self, files: Sequence[OutputFile]) -> list[search.SearchRecord]:
        """Records of pages reused unchanged come from the record cache; only the rest are made again."""
        return searchcache.cached_records(self.project, self.freshness, files)

    def publish(self, output: Path, files: Sequence[OutputFile], index_search: Optional[IndexSearch]) -> None:
        """Patch the spare tree into the new site and swap it in."""
        with swap.write_errors(output):
            sparetree.publish_reusing(self.cache_dir, output, files, index_search, self.state, self.verify)

    def published(self) -> None:
        """Save what each page read, for the next build."""
        if self.memo is not None:
            self.memo.save()
