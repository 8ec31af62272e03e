"""The build, top to bottom: config, content, Markdown, Site, outputs, checks, atomic publish."""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, Optional

from reThink_site import (assets, bodies, cache, checks, events_outputs, fastpath, feeds, mailing, pagememo,
                          pagepool, seo, templatecache, timeparse, treestate)
from reThink_site.newsletter import build_issue
from reThink_site.config import SiteConfig, config_warnings, load_config
from reThink_site.errors import ContentErrors, Problem, UsageError
from reThink_site.index import Entry, Site, build_site
from reThink_site.loader import Loaded, load_content
from reThink_site.markup import (LinkContext, Rendered, make_renderer, has_script,
                                 script_line)
from reThink_site.models import KINDS, Content
from reThink_site.outputs import OutputFile
from reThink_site.publish import publish_site
from reThink_site.render import make_env, theme_dirs
from reThink_site.urls import base_path, content_url
from reThink_site import writer


GC_THRESHOLD = 50_000  # allocations between young-generation collections (Python's default: 700)


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


@dataclass(frozen=True)
class Plan:
    """Everything a build would write, and every problem found on the way."""

    config: SiteConfig
    site: Site
    files: tuple[OutputFile, ...]
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...] = ()  # warnings about the build cache
    valid_until: Optional[datetime] = None  # when the clock next changes the output
    memo: Optional[pagememo.PageMemo] = None  # what each page read, saved once the site is published


@dataclass(frozen=True)
class BuildReport:
    """What a finished build did, for the one-line summary."""

    pages: int
    feeds: int
    calendars: int
    files: int
    seconds: float
    output: Path
    warnings: tuple[Problem, ...] = field(default=())
    unchanged: bool = False  # nothing changed since the last build; output/ was left as it was

    def summary(self) -> str:
        """`Built 42 pages, 3 feeds, 12 calendar files in 0.41 s`."""
        if self.unchanged:
            return f"Nothing changed; {self.output.name}/ is up to date ({self.pages} pages, {self.seconds:.2f} s)"
        return (f"Built {self.pages} pages, {self.feeds} feeds, {self.calendars} calendar files "
                f"in {self.seconds:.2f} s")


def is_published(item: Content, now: datetime, drafts: bool, future: bool) -> bool:
    """Drafts need --drafts; posts and issues dated after *now* need --future (events never wait)."""
    if item.draft and not drafts:
        return False
    when = getattr(item, "date", None)
    if when is None or future:
        return True
    if isinstance(when, datetime):
        return when <= now
    return when <= now.date()


def source_key(item: Content, config: SiteConfig) -> str:
    """A content file's path relative to content/, as Markdown links name it."""
    return source_key_of(item.source_path, config)


def source_key_of(source_path: str, config: SiteConfig) -> str:
    """`content/events/x.md` -> `events/x.md`."""
    prefix = config.content_dir.strip("/") + "/"
    return source_path[len(prefix):] if source_path.startswith(prefix) else source_path


def render_bodies(loaded: Loaded, config: SiteConfig, now: datetime, options: BuildOptions,
                  progress: Callable[[int], None],
                  notes: list[Problem]) -> tuple[list[tuple[Entry, Rendered]], list[Entry],
                                                 list[tuple[Entry, Rendered]]]:
    """Render every published body: entries with their link data, the unpublished ones, and the
    bodies of files whose front matter failed (checked for links and scripts, never published)."""
    file_urls, unpublished, chosen = {}, [], []
    for kind, items in loaded.items.items():
        for item in items:
            url = content_url(kind, item.slug)
            file_urls[source_key(item, config)] = url
            if is_published(item, now, options.drafts, options.future):
                chosen.append((kind, item, url))
            else:
                unpublished.append(Entry(kind, item, url, "", "", (), loaded.lines.get(item.source_path, {})))
    for failed in loaded.invalid:  # links to a file with errors are not errors of their own
        file_urls[source_key_of(failed.source_path, config)] = content_url(failed.kind, failed.slug)
    # cached and parallel rendering (bodies.py); the loop below only assembles entries.
    renders = bodies.render_all([bodies.BodyJob(os.path.dirname(source_key(item, config)), item.body)
                                 for _, item, _ in chosen], file_urls, base_path(config.base_url),
                                config.markdown, options.project, options.cache, options.jobs)
    notes.extend(Problem(cache.CACHE_DIR, 1, "", renders.warning, "", "warning")
                 for _ in range(bool(renders.warning)))
    out = []
    body_keys = renders.keys or ("",) * len(chosen)
    for (kind, item, url), rendered, body_key in zip(chosen, renders.rendered, body_keys):
        summary = item.summary or rendered.first_paragraph_text
        model_key = loaded.keys.get(item.source_path, "")
        out.append((Entry(kind, item, url, rendered.html, summary, rendered.ids,
                          loaded.lines.get(item.source_path, {}),
                          inputs_key=f"{model_key}\0{body_key}" if model_key and body_key else "",
                          front_key=loaded.front_keys.get(item.source_path, "")), rendered))
    progress(len(out))
    return out, unpublished, failed_bodies(loaded, config, file_urls)


def failed_bodies(loaded: Loaded, config: SiteConfig, file_urls: dict) -> list[tuple[Entry, Rendered]]:
    """Bodies of files that failed validation, rendered only so their own link problems show too."""
    renderer, out = make_renderer(config.markdown.engine, config.markdown.raw_html), []
    for failed in loaded.invalid:
        if not failed.body.strip():
            continue
        stand_in = KINDS[failed.kind].model_construct(source_path=failed.source_path, slug=failed.slug,
                                                      body=failed.body, body_line=failed.body_line, title="")
        context = LinkContext(os.path.dirname(source_key_of(failed.source_path, config)), file_urls,
                              base_path(config.base_url))
        rendered = renderer.render(failed.body, context)
        out.append((Entry(failed.kind, stand_in, content_url(failed.kind, failed.slug), rendered.html, "",
                          rendered.ids), rendered))
    return out


def body_warnings(entries: list[Entry]) -> list[Problem]:
    """Scripts and inline handlers in bodies are allowed but worth a second look."""
    return [Problem(e.item.source_path, script_line(e.item.body, e.item.body_line), "body",
                    "contains a <script> element or an on…= event handler",
                    "remove it unless you really mean to run code on the page", "warning")
            for e in entries if has_script(e.item.body)]


def plan(options: BuildOptions, progress: Callable[[int], None] = lambda n: None,
         reuse_from: Optional[Path] = None) -> Plan:
    """Do all the work of a build except writing: load, check, index and render.

    With `reuse_from` (the output folder, cache on) unchanged content pages come from the live site.
    """
    project = options.project
    config = load_config(project / "site.yaml")
    try:
        now = timeparse.resolve_now(options.now, dict(os.environ), config.tz)
    except ValueError as err:
        raise UsageError(str(err)) from None
    notes: list[Problem] = []  # build-cache warnings, reported but never failing --strict
    loaded = load_content(project, config, use_cache=options.cache, jobs=options.jobs, notes=notes)
    rendered, unpublished, failed = render_bodies(loaded, config, now, options, progress, notes)
    entries = [entry for entry, _ in rendered]
    problems = [*config_warnings(project / "site.yaml", config), *loaded.problems,
                *checks.url_collisions(entries), *body_warnings(entries + [e for e, _ in failed])]
    site = build_site(config, now, entries)
    recorder = pagememo.Recorder()
    env = make_env(project, pagememo.TrackedSite(site, recorder), recorder)  # notes what each page reads
    if options.cache:
        env.bytecode_cache = templatecache.open_bytecode_cache(config)  # compiled templates of earlier builds
    memo = None
    if reuse_from:  # the live tree's record, read once here and handed on to publishing with the plan
        state = treestate.load(project / cache.CACHE_DIR, reuse_from)
        memo = pagememo.open_memo(project / cache.CACHE_DIR, state, env, site)
    # pages and the producers listed here render side by side on every core (pagepool.py)
    page_files, (calendar_files, feed_files, mail_files) = pagepool.render_all(env, site, options.jobs, [
        lambda: events_outputs.calendar_files(site, project if reuse_from else None),
        lambda: feeds.outputs(site, lambda e: e.html + mailing.sections_html(env, build_issue(site, e)),
                              project if reuse_from else None),
        lambda: mailing.outputs(env, site)], memo, recorder)
    files = [*page_files, *calendar_files,
             *assets.static_files(project, config.templates_dir, problems),
             *assets.asset_files(project, config.content_dir, loaded.assets)]
    files += [*feed_files, *mail_files]
    files += seo.outputs(site, files)
    broken_urls = {content_url(f.kind, f.slug) for f in loaded.invalid}
    produced = {f.site_path for f in files} | broken_urls
    problems += checks.reference_problems(entries + unpublished, [(f.kind, f.slug) for f in loaded.invalid])
    unpublished_urls = {e.url for e in unpublished}
    for entry, body in rendered + failed:
        problems += checks.link_problems(entry, body, produced, unpublished_urls)
    problems += checks.site_path_problems(entries, produced)
    problems += checks.alias_collisions(entries, files)
    problems += checks.fragment_problems(rendered, files)
    return Plan(config, site, tuple(sorted(files, key=lambda f: f.path)), tuple(sorted(set(problems))),
                tuple(notes), fastpath.valid_until(loaded, now, config), memo)


def failing(problems: tuple[Problem, ...], strict: bool) -> bool:
    """Errors always fail; warnings fail with --strict."""
    return any(p.is_error or strict for p in problems)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often: a build allocates much and keeps most of it."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(options: BuildOptions, progress: Callable[[int], None] = lambda n: None,
          known_changed: bool = False) -> BuildReport:
    """Build the site and publish it atomically; raise ContentErrors and leave output/ alone on failure.

    `known_changed`: the caller has just found that the no-change fast path does not apply.
    """
    with fewer_collections():
        return _build(options, progress, known_changed)


def _build(options: BuildOptions, progress: Callable[[int], None], known_changed: bool = False) -> BuildReport:
    """The build itself (see build)."""
    started = time.perf_counter()
    config = load_config(options.project / "site.yaml")
    output = (options.output or options.project / config.output_dir).absolute()
    writer.check_output_dir(output, options.project)
    roots = [options.project / "site.yaml", options.project / config.content_dir,
             options.project / config.templates_dir, *theme_dirs(options.project, config.templates_dir)]
    inputs = fastpath.snapshot(roots)  # taken before anything is read, and recorded once the build is done
    # a rebuild whose inputs, options, output folder and time window are unchanged stops here.
    key = fastpath.options_key(options.project, options.output, options.now, options.drafts, options.future,
                               options.strict, options.search)
    if options.cache:
        recorded = None if known_changed else fastpath.up_to_date(options.project, key, options.now, (roots, inputs))
        if recorded is not None:
            return report_from_manifest(recorded, output, time.perf_counter() - started)
        try:
            (options.project / cache.CACHE_DIR).mkdir(exist_ok=True)
        except OSError:
            pass  # a read-only site still builds, just without the cache
    else:
        fastpath.forget(options.project)
    result = plan(options, progress, reuse_from=output if options.cache else None)
    if failing(result.problems, options.strict):
        fastpath.forget(options.project)
        raise ContentErrors(result.problems)
    publish_site(options.project / cache.CACHE_DIR, output, result.files, options.cache, options.search,
                 result.memo.state if result.memo is not None else None)
    if result.memo is not None:
        result.memo.save()
    paths = [f.path for f in result.files]
    report = BuildReport(
        pages=sum(p.endswith(".html") for p in paths),
        feeds=sum(p.endswith(".xml") and "sitemap" not in p for p in paths),
        calendars=sum(p.endswith(".ics") for p in paths),
        files=len(paths), seconds=time.perf_counter() - started, output=output,
        warnings=tuple(p for p in result.problems if not p.is_error) + result.notes)
    remember_build(options, key, roots, inputs, result, report)
    return report


def remember_build(options: BuildOptions, key: str, roots: list[Path], inputs: dict, result: Plan,
                   report: BuildReport) -> None:
    """Record what this build depended on, so an unchanged rebuild can stop early."""
    if not options.cache:
        return
    start = result.site.now.timestamp()
    end = result.valid_until.timestamp() if result.valid_until else None
    fields = {"pages": report.pages, "feeds": report.feeds, "calendars": report.calendars, "files": report.files,
              "warnings": [list(astuple(p)) for p in report.warnings if p not in result.notes]}
    try:
        fastpath.record(options.project, key, roots, inputs, report.output, (start, end), fields)
    except OSError:
        fastpath.forget(options.project)


def report_from_manifest(recorded: dict, output: Path, seconds: float) -> BuildReport:
    """The report of the recorded build, for a rebuild that found nothing changed."""
    return BuildReport(recorded["pages"], recorded["feeds"], recorded["calendars"], recorded["files"], seconds,
                       output, tuple(Problem(*w) for w in recorded["warnings"]), unchanged=True)
