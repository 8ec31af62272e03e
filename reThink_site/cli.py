"""The `rethink` command: parses options, calls the build, maps failures to exit codes."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

import click

from reThink_site import __version__
from reThink_site.core.errors import ContentErrors, Problem, SiteError, UsageError

SITE_OPTION = click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path),
                           default=None, help="Site folder holding site.yaml (default: the current folder).")
NOW_OPTION = click.option("--now", default=None, metavar="DATETIME",
                          help="Pretend the build runs at this time (e.g. 2014-06-01T09:00); "
                               "default SOURCE_DATE_EPOCH, else the clock.")
DRAFTS_OPTION = click.option("--drafts", is_flag=True, help="Include content marked draft: true.")
FUTURE_OPTION = click.option("--future", is_flag=True, help="Include posts and issues dated after now.")


def find_site(site_dir: Optional[Path]) -> Path:
    """The folder holding site.yaml: --site, else the current folder."""
    folder = (site_dir or Path.cwd()).absolute()
    if not (folder / "site.yaml").is_file():
        raise UsageError(f"no site.yaml in {folder}; run inside a site folder or pass --site DIR")
    return folder


def print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    """Every problem on its own line, on stderr."""
    for problem in problems:
        click.echo(problem.format(), err=True)


def fail(err: SiteError) -> None:
    """Print a domain error without a traceback and exit with its code."""
    if isinstance(err, ContentErrors):
        print_problems(err.problems)
        errors = sum(p.is_error for p in err.problems)
        warnings = len(err.problems) - errors
        click.echo(f"Build failed: {errors} error(s), {warnings} warning(s); output left unchanged.", err=True)
    else:
        click.echo(f"Error: {err}", err=True)
    sys.exit(err.exit_code)


@contextmanager
def progress_bar(project: Path, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on terminals only, and only for sites big enough to take a moment."""
    total = sum(1 for _ in (project / "content").rglob("*.md")) if enabled else 0
    if not enabled or total < 200 or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label="Rendering", file=sys.stderr) as bar:
        yield bar.update


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rethink")
def main() -> None:
    """Build the Local reThink site from Markdown content."""


@main.command()
@SITE_OPTION
@NOW_OPTION
@DRAFTS_OPTION
@FUTURE_OPTION
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to build into (default: output_dir from site.yaml, i.e. output/).")
@click.option("--jobs", type=click.IntRange(0, 64), default=0, help="Worker processes (default: one per core).")
@click.option("--no-cache", is_flag=True, help="Ignore the build cache and render everything.")
@click.option("--no-search", is_flag=True, help="Skip building the search index.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--verify", is_flag=True, help="Read every file kept from the last build and rewrite any that "
                                             "changed, even with its size and date put back (slower).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--timings", is_flag=True, help="Print how long each step of the build took.")
@click.option("--base-url", default=None, metavar="URL",
              help="Build for this address instead of site.yaml's base_url (a staging copy); site.yaml is not changed.")
def build(site_dir, now, drafts, future, output, jobs, no_cache, no_search, strict, verify, quiet, timings,
          base_url) -> None:
    """Build the site into the output folder (all or nothing)."""
    try:
        project = find_site(site_dir)
        fast_path = not (no_cache or verify)
        if fast_path and report_unchanged(project, output, now, drafts, future, strict, not no_search, quiet,
                                          base_url):
            if timings:
                click.echo("No build step ran: nothing changed since the last build.")
            return
        from reThink_site.build import BuildOptions
        from reThink_site.build import build as run_build

        options = BuildOptions(project=project, output=output, now=now, drafts=drafts, future=future,
                               strict=strict, jobs=jobs or (os.cpu_count() or 1), cache=not no_cache,
                               search=not no_search, verify=verify, base_url=base_url)
        with progress_bar(project, enabled=not quiet) as advance:
            report = run_build(options, advance, known_changed=not no_cache)  # report_unchanged said so
    except SiteError as err:
        fail(err)
        return
    if not quiet:
        print_problems(report.warnings)
        click.echo(report.summary())
    if timings:
        click.echo(report.step_table())


def report_unchanged(project: Path, output: Optional[Path], now: Optional[str], drafts: bool, future: bool,
                     strict: bool, search: bool, quiet: bool, base_url: Optional[str] = None) -> bool:
    """Answer a rebuild that would change nothing without importing the build machinery."""
    from reThink_site.incremental import fastpath

    started = time.perf_counter()
    key = fastpath.options_key(project, output, now, drafts, future, strict, search, base_url)
    recorded = fastpath.up_to_date(project, key, now)
    if recorded is None:
        return False
    if not quiet:
        print_problems([Problem(*w) for w in recorded["warnings"]])
        click.echo(f"Nothing changed; the output is up to date ({recorded['pages']} pages, "
                   f"{time.perf_counter() - started:.2f} s)")
    return True


# --- rethink newsletter (feeds/newsletter helper) ---------------------------------------------
@main.command()
@click.argument("slug")
@click.option("--format", "output_format", type=click.Choice(["html", "text"]), default="html",
              show_default=True, help="E-mail HTML (styles inlined) or plain text.")
@SITE_OPTION
@NOW_OPTION
@DRAFTS_OPTION
@FUTURE_OPTION
def newsletter(slug, output_format, site_dir, now, drafts, future) -> None:
    """Print an issue's e-mail rendering, for pasting into a mailing tool."""
    from reThink_site.build import BuildOptions, failing, plan

    try:
        project = find_site(site_dir)
        result = plan(BuildOptions(project=project, now=now, drafts=drafts, future=future))
        if failing(result.problems, strict=False):
            raise ContentErrors(result.problems)
        wanted = f"newsletter/{slug}/email.{'html' if output_format == 'html' else 'txt'}"
        found = next((f for f in result.files if f.path == wanted), None)
        if found is None:
            known = ", ".join(e.slug for e in result.site.newsletters) or "none"
            raise UsageError(f"no published newsletter issue {slug!r} (issues: {known}); "
                             "an issue dated after now needs --future, a draft --drafts")
    except SiteError as err:
        fail(err)
        return
    click.echo(found.data.decode("utf-8"), nl=False)


@main.command()
@SITE_OPTION
@NOW_OPTION
@DRAFTS_OPTION
@FUTURE_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text for people, github for Actions annotations, json for tools.")
def check(site_dir, now, drafts, future, strict, fmt) -> None:
    """Check everything a build would, writing nothing (exit 1 on errors)."""
    from reThink_site.build import BuildOptions, failing, plan
    from reThink_site.checks import followup_notes
    from reThink_site.commands.report import report

    try:
        project = find_site(site_dir)
        result = plan(BuildOptions(project=project, now=now, drafts=drafts, future=future, strict=strict,
                                   jobs=1, search=False))
        problems = list(result.problems) + followup_notes(result.site.past, result.site.summary_of_event)
    except ContentErrors as err:
        problems = err.problems
    except SiteError as err:
        fail(err)
        return
    text = report(problems, fmt, strict)
    if text:
        click.echo(text)
    sys.exit(1 if failing(tuple(problems), strict) else 0)


@main.command()
@SITE_OPTION
@click.argument("kind", type=click.Choice(["event", "summary", "insight", "newsletter", "page"]))
@click.argument("title", required=False)
@click.option("--date", "when", default=None, metavar="DATE",
              help="Day (2015-05-14) or, for events, day and time (2015-05-14 10:00); default today.")
@click.option("--slug", default=None, help="The page's address part (default: made from the title).")
@click.option("--event", "event_slug", default=None, metavar="SLUG",
              help="For a summary: the event it summarises; title, date, link, chair and tags come from it.")
def new(site_dir, kind, title, when, slug, event_slug) -> None:
    """Create a content file of KIND with its front matter filled in, and print its path."""
    from datetime import datetime

    from reThink_site.commands.new import parse_when, plan_new, write_new
    from reThink_site.content.config import load_config

    try:
        project = find_site(site_dir)
        config = load_config(project / "site.yaml")
        today = datetime.now(tz=config.tz).date()
        day, time_text = parse_when(when) if when else (today, "")
        if time_text and kind != "event":
            raise UsageError(f"--date: only events take a time; give a date such as {day.isoformat()}")
        if event_slug is not None:
            created = new_summary_of(project, config, kind, event_slug, title, day if when else None, slug, today)
        elif title is None:
            raise UsageError(f"expected a title: rethink new {kind} \"Title\"")
        else:
            created = plan_new(project, config.content_dir, kind, title, day, time_text, slug, config.tz)
        write_new(created)
    except SiteError as err:
        fail(err)
        return
    click.echo(created.path.relative_to(project).as_posix())


def new_summary_of(project: Path, config, kind: str, event_slug: str, title: Optional[str], day, slug, today):
    """`new summary --event SLUG`: the summary started from its event (kept apart from the plain templates)."""
    from reThink_site.commands.followup import plan_summary

    if kind != "summary":
        raise UsageError(f"--event: only a summary names its event; use rethink new summary --event {event_slug}")
    return plan_summary(project, config, event_slug, title, day, slug, today)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default="Local reThink", show_default=True, help="The site's title.")
@click.option("--base-url", default="https://example.org/", show_default=True, metavar="URL",
              help="Where the site will be published (site.yaml's base_url; change it there later).")
def init(folder, title, base_url) -> None:
    """Start a new site in FOLDER: site.yaml with comments, one example of each kind, the folders."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reThink_site.commands.init import init_site

    try:
        written = init_site(folder, title, base_url, datetime.now(tz=ZoneInfo("Europe/London")).date())
    except SiteError as err:
        fail(err)
        return
    for name in written:
        click.echo(f"{folder.as_posix().rstrip('/')}/{name}")
    click.echo(f"Next: cd {folder.as_posix()} && rethink check && rethink serve", err=True)


@main.command()
@SITE_OPTION
@NOW_OPTION
@DRAFTS_OPTION
@FUTURE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default lets only this computer connect.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--search/--no-search", default=True, show_default=True,
              help="Build the search index so /search/ works in the preview (--no-search: faster rebuilds).")
@click.option("--cms", is_flag=True, help="Also edit in the browser at /admin/: runs the CMS's local backend "
              "(decap-server, on 127.0.0.1), which saves into content/.")
def serve(site_dir, now, drafts, future, host, port, search, cms) -> None:
    """Build, preview on this computer, rebuild on every change and reload the browser."""
    from reThink_site.build import BuildOptions
    from reThink_site.commands.serve import serve as run_serve

    try:
        project = find_site(site_dir)
        options = BuildOptions(project=project, now=now, drafts=drafts, future=future, jobs=1, search=search)
        code = run_serve(options, host, port, cms=cms)
    except SiteError as err:
        fail(err)
        return
    sys.exit(code)


@main.command(name="list")
@click.argument("which", type=click.Choice(["upcoming", "past", "drafts", "future", "all"]))
@click.option("--kind", type=click.Choice(["event", "summary", "insight", "newsletter", "page"]), default=None,
              help="Only files of this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
@SITE_OPTION
@NOW_OPTION
def list_command(which, kind, fmt, site_dir, now) -> None:
    """List upcoming or past events, drafts, posts dated after now, or everything: one line per file."""
    from reThink_site.commands.listing import render, rows

    try:
        found = rows(find_site(site_dir), which, kind, now)
    except SiteError as err:
        fail(err)
        return
    text = render(found, fmt)
    if text:
        click.echo(text)


@main.group(name="import")
def import_group() -> None:
    """Move content in from another tool (a WordPress export)."""


@import_group.command(name="wordpress")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--uploads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The wp-content/uploads folder (or an unpacked media export): its files are copied into "
                   "content/assets/ and linked; without it media stay on the old site and are listed.")
@click.option("--events-category", "event_categories", multiple=True, metavar="NAME",
              help="Posts in this category (its name or slug) become events; repeat for more than one.")
@click.option("--dry-run", is_flag=True, help="List what would be written and write nothing.")
@click.option("--force", is_flag=True, help="Replace existing files that differ from the import.")
@SITE_OPTION
def import_wordpress(export, uploads, event_categories, dry_run, force, site_dir) -> None:
    """Import a WordPress export (WXR): posts, events, pages, authors, tags, media and old addresses."""
    from reThink_site.commands.importer import import_wordpress_export

    try:
        project = find_site(site_dir)
        report = import_wordpress_export(project, export, uploads, tuple(event_categories), dry_run, force)
    except SiteError as err:
        fail(err)
        return
    click.echo(report.text())


if __name__ == "__main__":
    main()


def run() -> None:
    """The `rethink` program: run the command, then exit at once instead of freeing a heap about to vanish.

    A large build leaves hundreds of thousands of objects; tearing them down one by one at exit took a
    quarter of a second at 5,000 pages. Output is flushed first; every file is closed by then.
    """
    code: int = 0
    try:
        main(standalone_mode=True)
    except SystemExit as done:
        if isinstance(done.code, str):
            click.echo(done.code, err=True)
            code = 1
        else:
            code = done.code or 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
