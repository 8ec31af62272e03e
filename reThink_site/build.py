"""The build as a flat list of steps: config, load, Markdown, index, render, checks, publish.

Only this module wires the speed machinery (reThink_site.incremental) in: it asks once for the
stages, plain (`--no-cache`) or cached, and hands them to each step as parameters.
"""

from __future__ import annotations

import os
import time
from dataclasses import astuple, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Callable, Optional

from reThink_site import checks
from reThink_site.cms import admin
from reThink_site.content import theme
from reThink_site.content.config import ConfigFile, SiteConfig, read_config, with_base_url
from reThink_site.content.index import Site, build_site, by_publication, link_targets, make_entry, source_key
from reThink_site.content.loader import load_content
from reThink_site.core import timeparse
from reThink_site.core.errors import ContentErrors, Problem, UsageError
from reThink_site.core.outputs import OutputFile
from reThink_site.core.urls import base_path
from reThink_site.incremental import collector, fastpath
from reThink_site.incremental.pagepool import render_pages
from reThink_site.incremental.partcache import CALENDAR_PARTS, FEED_PARTS
from reThink_site.incremental.stages import CachedStages, PlainStages
from reThink_site.markdown.bodies import BodyJob
from reThink_site.publish import lock, search, writer
from reThink_site.render import assets, calendars, feeds, mailing, multilingual, seo
from reThink_site.render.templates import plain_words


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asked for."""

    project: Path
    output: Optional[Path] = None
    now: Optional[str] = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    jobs: int = 0
    cache: bool = True
    search: bool = True
    verify: bool = False  # read every file a rebuild would keep and compare it with its record
    base_url: Optional[str] = None  # --base-url: build for another address (staging) than site.yaml's


class StepTimer:
    """How long each step of one build took, in the order they ended (`rethink build --timings`).

    A step run inside another (the search index inside publishing) is counted once, as its own row.
    `records` is cutting pages down for search; `search` is the wait for Pagefind to write its index.
    """

    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []
        self.running: list[float] = []  # seconds spent in inner steps, per step still running

    def step(self, name: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one step and note its wall-clock seconds, less those of any step inside it."""
        started = time.perf_counter()
        self.running.append(0.0)
        try:
            return function(*args, **kwargs)
        finally:
            took = time.perf_counter() - started
            self.steps.append((name, took - self.running.pop()))
            if self.running:
                self.running[-1] += took


@dataclass(frozen=True)
class Plan:
    """Everything a build would write, and every problem found on the way."""

    config: SiteConfig
    site: Site
    files: tuple[OutputFile, ...]
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...] = ()  # warnings about the build cache
    valid_until: Optional[datetime] = None  # when the clock next changes the output


@dataclass(frozen=True)
class BuildReport:
    """What a finished build did, for the one-line summary and the step table."""

    pages: int
    feeds: int
    calendars: int
    files: int
    seconds: float
    output: Path
    warnings: tuple[Problem, ...] = field(default=())
    unchanged: bool = False  # nothing changed since the last build; output/ was left as it was
    steps: tuple[tuple[str, float], ...] = ()

    def summary(self) -> str:
        """`Built 42 pages, 3 feeds, 12 calendar files in 0.41 s`."""
        if self.unchanged:
            return f"Nothing changed; {self.output.name}/ is up to date ({self.pages} pages, {self.seconds:.2f} s)"
        return (f"Built {self.pages} pages, {self.feeds} feeds, {self.calendars} calendar files "
                f"in {self.seconds:.2f} s")

    def step_table(self) -> str:
        """Each step and its seconds, one per line, then the total."""
        rows = [f"{name:<10} {seconds:7.3f} s" for name, seconds in self.steps]
        return "\n".join([*rows, f"{'total':<10} {self.seconds:7.3f} s"])


def stages_for(options: BuildOptions, config: SiteConfig, output: Optional[Path]) -> PlainStages:
    """The one place the cache is switched on or off."""
    chosen = CachedStages if options.cache else PlainStages
    return chosen(options.project, config, options.jobs, output, options.verify)


def plan(options: BuildOptions, settings: Optional[ConfigFile] = None, progress: Callable[[int], None] = lambda n: None,
         timer: Optional[StepTimer] = None, stages: Optional[PlainStages] = None) -> Plan:
    """Do all the work of a build except publishing: load, Markdown, index, render and checks."""
    project, timer = options.project, timer or StepTimer()
    settings = with_base_url(settings or timer.step("config", read_config, project / "site.yaml"), options.base_url)
    config = settings.config
    stages = stages or stages_for(options, config, None)
    now = build_time(options, config)
    with collector.paused_gc():  # tens of thousands of long-lived objects: collecting finds nothing
        loaded = timer.step("load", load_content, project, config, stages.parse_files())
    chosen, held_back = by_publication(loaded, now, options.drafts, options.future)
    translated = {lang: by_publication(loaded, now, options.drafts, options.future, lang)[0]
                  for lang in config.languages[1:]}
    file_urls = link_targets(loaded, config.content_dir)
    everything = chosen + [one for items in translated.values() for one in items]
    jobs = [BodyJob(item.source_path, os.path.dirname(source_key(item.source_path, config.content_dir)), item.body)
            for _, item, _ in everything]
    bodies = timer.step("markdown", stages.render_bodies, jobs, file_urls, base_path(config.base_url), config.markdown)
    progress(len(bodies))
    made = [(make_entry(kind, item, url, body, loaded.lines.get(item.source_path, {})), body)
            for (kind, item, url), body in zip(everything, bodies)]
    rendered = made[:len(chosen)]
    site = timer.step("index", build_site, config, now, [entry for entry, _ in rendered], loaded.venues)
    others, start = {}, len(chosen)
    for lang, items in translated.items():
        others[lang] = build_site(config.for_language(lang), now, [e for e, _ in made[start:start + len(items)]],
                                  loaded.venues)
        start += len(items)
    site, others = multilingual.with_versions(site, others)
    files, problems = timer.step("render", render_outputs, project, site, loaded.assets, options.jobs, stages,
                                 others)
    files += admin.admin_files(project, config, loaded.people, loaded.items, problems, loaded.venues)
    problems += [*settings.warnings, *loaded.problems,
                 *timer.step("checks", checks.all_problems, config, loaded, rendered, held_back, files, file_urls),
                 *theme.link_problems(config.theme, {f.site_path for f in files}, project / "site.yaml")]
    return Plan(config, site, tuple(sorted(files, key=lambda f: f.path)), tuple(sorted(set(problems))),
                tuple(stages.notes), stages.valid_until(loaded, now))


def render_outputs(project: Path, site: Site, content_assets: tuple[str, ...], jobs: int, stages: PlainStages,
                   others: Optional[dict[str, Site]] = None) -> tuple[list[OutputFile], list[Problem]]:
    """Pages, calendars, feeds, e-mails, static files and the sitemap; and problems with the theme's files.

    `others`: the sites of the other languages, rendered afresh under their own folder (`/cy/`).
    """
    env = stages.environment(site)
    stages.open_memo(env, site)
    issue_html = partial(mailing.issue_html, env, site)
    words = plain_words(env)
    page_files, (calendar_files, feed_files, mail_files) = render_pages(env, site, jobs, [
        stages.producer(CALENDAR_PARTS, partial(calendars.calendar_files, site, gettext=words)),
        stages.producer(FEED_PARTS, partial(feeds.outputs, site, issue_html, gettext=words)),
        partial(mailing.outputs, env, site)], stages.memo, stages.recorder)
    problems: list[Problem] = []  # the theme's static folder is walked like content/
    files = [*page_files, *calendar_files,
             *assets.static_files(project, site.config.templates_dir, problems),
             *assets.asset_files(project, site.config.content_dir, content_assets), *feed_files, *mail_files]
    for other in (others or {}).values():
        files += multilingual.language_files(project, other)
    return files + seo.outputs(site, files, others), problems


def build_time(options: BuildOptions, config: SiteConfig) -> datetime:
    """The build's now: --now, else SOURCE_DATE_EPOCH, else the clock."""
    try:
        return timeparse.resolve_now(options.now, dict(os.environ), config.tz)
    except ValueError as err:
        raise UsageError(str(err)) from None


def failing(problems: tuple[Problem, ...], strict: bool) -> bool:
    """Errors always fail; warnings fail with --strict; notes never do."""
    return any(p.is_error or (strict and p.severity != "note") for p in problems)


def build(options: BuildOptions, progress: Callable[[int], None] = lambda n: None,
          known_changed: bool = False) -> BuildReport:
    """Build the site and publish it atomically; raise ContentErrors and leave output/ alone on failure.

    `known_changed`: the caller has just found that the no-change fast path does not apply.
    """
    started, timer, project = time.perf_counter(), StepTimer(), options.project
    with collector.fewer_collections(), lock.site_lock(project):  # one build of a site at a time
        settings = with_base_url(timer.step("config", read_config, project / "site.yaml"), options.base_url)
        config = settings.config
        output = (options.output or project / config.output_dir).absolute()
        writer.check_output_dir(output, project)
        stages = stages_for(options, config, output)
        watch = stages.watch(fastpath.options_key(project, options.output, options.now, options.drafts,
                                                  options.future, options.strict, options.search,
                                                  options.base_url), options.now)
        if not (known_changed or options.verify) and (recorded := watch.unchanged()) is not None:
            return report_from_manifest(recorded, output, time.perf_counter() - started)
        result = plan(options, settings, progress, timer, stages)
        if failing(result.problems, options.strict):
            watch.forget()
            raise ContentErrors(result.problems)
        indexer = search.start_index(timer.step("records", stages.search_records, result.files)) \
            if options.search else None  # Pagefind indexes the records while the tree is being written
        try:
            index_search = partial(timer.step, "search", indexer.finish) if indexer is not None else None
            timer.step("publish", stages.publish, output, result.files, index_search)
        finally:
            if indexer is not None:
                indexer.close()
        stages.published()
        report = make_report(result, output, time.perf_counter() - started, timer)
        watch.remember(result.site.now, result.valid_until, report_fields(report, result.notes))
        return report


def make_report(result: Plan, output: Path, seconds: float, timer: StepTimer) -> BuildReport:
    """Count what the build wrote."""
    paths = [f.path for f in result.files]
    return BuildReport(pages=sum(p.endswith(".html") for p in paths),
                       feeds=sum(p.endswith(".xml") and "sitemap" not in p for p in paths),
                       calendars=sum(p.endswith(".ics") for p in paths), files=len(paths), seconds=seconds,
                       output=output, warnings=tuple(p for p in result.problems if not p.is_error) + result.notes,
                       steps=tuple(timer.steps))


def report_from_manifest(recorded: dict, output: Path, seconds: float) -> BuildReport:
    """The report of the recorded build, for a rebuild that found nothing changed."""
    return BuildReport(recorded["pages"], recorded["feeds"], recorded["calendars"], recorded["files"], seconds,
                       output, tuple(Problem(*w) for w in recorded["warnings"]), unchanged=True)


def report_fields(report: BuildReport, notes: tuple[Problem, ...]) -> dict:
    """What the fast path records of a build, to repeat when nothing changed."""
    return {"pages": report.pages, "feeds": report.feeds, "calendars": report.calendars, "files": report.files,
            "warnings": [list(astuple(p)) for p in report.warnings if p not in notes]}
