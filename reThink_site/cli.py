"""The `rethink` command: parses options, calls the build, maps failures to exit codes."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Optional

import click

from reThink_site import __version__
from reThink_site.errors import ContentErrors, Problem, SiteError, UsageError

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
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build(site_dir, now, drafts, future, output, jobs, no_cache, no_search, strict, quiet) -> None:
    """Build the site into the output folder (all or nothing)."""
    try:
        project = find_site(site_dir)
        if not no_cache and report_unchanged(project, output, now, drafts, future, strict, not no_search, quiet):
            return
        from reThink_site.build import BuildOptions, build as run_build

        options = BuildOptions(project=project, output=output, now=now, drafts=drafts, future=future,
                               strict=strict, jobs=jobs or (os.cpu_count() or 1), cache=not no_cache,
                               search=not no_search)
        report = run_build(options)
    except SiteError as err:
        fail(err)
        return
    if not quiet:
        print_problems(report.warnings)
        click.echo(report.summary())


def report_unchanged(project: Path, output: Optional[Path], now: Optional[str], drafts: bool, future: bool,
                     strict: bool, search: bool, quiet: bool) -> bool:
    """perf: answer a rebuild that would change nothing without importing the build machinery."""
    from reThink_site import fastpath

    started = time.perf_counter()
    key = fastpath.options_key(project, output, now, drafts, future, strict, search)
    recorded = fastpath.up_to_date(project, key, now)
    if recorded is None:
        return False
    if not quiet:
        print_problems([Problem(*w) for w in recorded["warnings"]])
        click.echo(f"Nothing changed; the output is up to date ({recorded['pages']} pages, "
                   f"{time.perf_counter() - started:.2f} s)")
    return True


if __name__ == "__main__":
    main()
