"""`rethink check`: the same problems a build finds, as text, GitHub annotations or JSON, writing nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reThink_site.cli import main
from reThink_site.commands.report import escape_data, escape_property, github_annotation
from reThink_site.core.errors import Problem
from tests.helpers import REPO

CHECK_NOW = "2014-03-01T12:00"  # before the 2014-05-01 insight of the --future case: still scheduled then

ANNOTATION = re.compile(r"^::(error|warning) file=([^,:]+),line=(\d+),title=([^,:]+)::(.+)$")

BROKEN_SITE = {
    "content/events/2014-06-20-assets.md": """\
        ---
        title: Using public assets
        strat: 2014-06-20 10:00
        start: 2014-06-20 10:00
        location: Town Hall, Exampleton
        ---
        ## Agenda

        See [the slides](/assets/missing.pdf), [the agenda](#agenda) and [nothing](#nowhere).

        ![](/assets/pic.png)
        """,
    "content/summaries/2014-02-01-what-we-heard.md": """\
        ---
        title: What we heard
        date: 2014-02-01
        event: no-such-event
        ---
        Read [about us](../pages/about.md) and [a lost page](../pages/gone.md).
        """,
    "content/newsletters/2014-02-01-feb.md": """\
        ---
        title: February
        date: 2014-02-01
        featured:
          - events/2014-06-20-assets
          - insights/nothing-here
        ---
        Hello.
        """,
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "content/assets/pic.png": b"\x89PNG\r\n\x1a\n",
}

WARNINGS_ONLY_SITE = {
    "content/pages/about.md": "---\ntitle: About\nmenu: 1\nsponsor: A field of its own.\n---\n![](/assets/pic.png)\n",
    "content/assets/pic.png": b"\x89PNG\r\n\x1a\n",
}


def line_containing(path: Path, text: str) -> int:
    """The 1-based number of the first line of a file containing text (computed from the file itself)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def run_check(runner, site: Path, *args: str):
    return runner.invoke(main, ["check", "--site", str(site), "--now", CHECK_NOW, *args])


def test_clean_site_passes_and_writes_nothing(runner, make_site):
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    result = run_check(runner, site)
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output
    assert not (site / "output").exists()
    assert sorted(p.name for p in site.iterdir()) == ["content", "site.yaml"]


def untranslated_files() -> list[str]:
    """The real content files with no Welsh translation (`name.cy.md`) beside them, as check names them."""
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").glob("*/*.md")
                  if not p.name.endswith(".cy.md") and not p.with_suffix(".cy.md").is_file())


def test_real_content_checks_clean_but_for_the_places_nobody_knows(runner):
    result = run_check(runner, REPO, "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    rows = [row for row in found if row["severity"] != "note"]
    # the seeds give no place for these two sessions: check says so rather than the site inventing one
    places = [row for row in rows if row["field"] == "location"]
    assert sorted((row["path"], row["severity"]) for row in places) == [
        ("content/events/2014-02-11-making-savings-customer-services.md", "warning"),
        ("content/events/2014-06-20-using-public-assets.md", "warning"),
    ]
    assert all("search engines will not show this event" in row["message"] for row in places)
    # the sample site is in English and Welsh: each item not yet in Welsh is named once
    others = sorted((row["path"], row["field"], row["severity"]) for row in rows if row["field"] != "location")
    assert others == [(path, "lang", "warning") for path in untranslated_files()]
    assert all("not translated into Cymraeg (cy)" in row["message"] for row in rows if row["field"] == "lang")
    # by CHECK_NOW three events are over, and none has a discussion summary or slides: a follow-up note each
    assert sorted(row["path"] for row in found if row["severity"] == "note") == [
        f"content/events/{name}.md" for name in ("2014-01-08-design-in-public-services-briefing",
                                                 "2014-01-15-redefining-local-public-services",
                                                 "2014-02-11-making-savings-customer-services")]


def test_every_kind_of_problem_is_reported_with_its_line(runner, make_site):
    site = make_site(BROKEN_SITE)
    result = run_check(runner, site)
    assert result.exit_code == 1
    out = result.output
    event = site / "content/events/2014-06-20-assets.md"
    summary = site / "content/summaries/2014-02-01-what-we-heard.md"
    issue = site / "content/newsletters/2014-02-01-feb.md"
    expected = [
        f"content/events/2014-06-20-assets.md:{line_containing(event, 'strat:')}: warning: strat: unknown field",
        "did you mean `start`?",
        f"content/events/2014-06-20-assets.md:{line_containing(event, '#nowhere')}: warning: body: link to #nowhere",
        f"content/events/2014-06-20-assets.md:{line_containing(event, 'missing.pdf')}: body: link to "
        "/assets/missing.pdf",
        f"content/events/2014-06-20-assets.md:{line_containing(event, '![](')}: warning: body: image without alt",
        f"content/summaries/2014-02-01-what-we-heard.md:{line_containing(summary, 'event:')}: event:",
        f"content/summaries/2014-02-01-what-we-heard.md:{line_containing(summary, 'gone.md')}: body: link to a "
        "content file that does not exist: ../pages/gone.md",
        f"content/newsletters/2014-02-01-feb.md:{line_containing(issue, 'nothing-here')}: featured[1]:",
        "Found 4 error(s) and 3 warning(s); the build would fail.",
    ]
    for text in expected:
        assert text in out, f"{text!r} missing from:\n{out}"
    assert "#agenda" not in out  # the heading exists, so that anchor is fine
    assert "about.md" not in out  # a link to an existing content file is fine
    assert not (site / "output").exists()


def test_warnings_pass_unless_strict(runner, make_site):
    site = make_site(WARNINGS_ONLY_SITE)
    relaxed = run_check(runner, site)
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning: sponsor: unknown field" in relaxed.output
    assert "image without alt text" in relaxed.output
    strict = run_check(runner, site, "--strict")
    assert strict.exit_code == 1
    assert "the build would fail" in strict.output


def test_github_format_is_exact_annotation_syntax_with_right_lines(runner, make_site):
    site = make_site(BROKEN_SITE)
    result = run_check(runner, site, "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 7
    parsed = []
    for line in lines:
        match = ANNOTATION.match(line)
        assert match, f"not an annotation: {line!r}"
        parsed.append(match.groups())
    event = site / "content/events/2014-06-20-assets.md"
    assert ("warning", "content/events/2014-06-20-assets.md", str(line_containing(event, "strat:")), "strat") \
        in [p[:4] for p in parsed]
    assert ("error", "content/events/2014-06-20-assets.md", str(line_containing(event, "missing.pdf")), "body") \
        in [p[:4] for p in parsed]
    issue = site / "content/newsletters/2014-02-01-feb.md"
    featured = [p for p in parsed if p[3] == "featured[1]"]
    assert featured and featured[0][:3] == ("error", "content/newsletters/2014-02-01-feb.md",
                                            str(line_containing(issue, "nothing-here")))


def test_github_strict_turns_warnings_into_errors(runner, make_site):
    site = make_site(WARNINGS_ONLY_SITE)
    result = run_check(runner, site, "--format", "github", "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines() and all(line.startswith("::error ") for line in result.output.splitlines())


def test_github_escaping_follows_workflow_command_rules():
    problem = Problem("content/a,b:c.md", 7, "featured[0]", "100% wrong\r\nsecond line: here, too", "fix it")
    assert github_annotation(problem) == (
        "::error file=content/a%2Cb%3Ac.md,line=7,title=featured[0]::"
        "100%25 wrong%0D%0Asecond line: here, too (hint: fix it)")
    assert escape_data("a:b,c%") == "a:b,c%25"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    warning = Problem("x.md", 1, "", "odd", severity="warning")
    assert github_annotation(warning) == "::warning file=x.md,line=1,title=content::odd"


def test_json_format_lists_every_problem(runner, make_site):
    site = make_site(BROKEN_SITE)
    result = run_check(runner, site, "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.output)
    assert len(rows) == 7
    assert all(set(row) == {"path", "line", "field", "message", "hint", "severity"} for row in rows)
    assert sum(row["severity"] == "error" for row in rows) == 4
    event_row = next(r for r in rows if r["field"] == "event")
    assert event_row["path"] == "content/summaries/2014-02-01-what-we-heard.md"
    assert event_row["line"] == line_containing(site / event_row["path"], "event:")


def test_bad_settings_file_is_reported_not_a_traceback(runner, make_site):
    site = make_site({}, site_yaml="title: X\nbase_url: ftp://example.org/\n")
    result = run_check(runner, site, "--format", "github")
    assert result.exit_code == 1
    assert ANNOTATION.match(result.output.splitlines()[0])
    assert "site.yaml" in result.output and "Traceback" not in result.output


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["check", "--site", str(tmp_path)]).exit_code == 2
    assert runner.invoke(main, ["check", "--site", str(REPO), "--format", "xml"]).exit_code == 2
    assert runner.invoke(main, ["check", "--site", str(REPO), "--now", "yesterday"]).exit_code == 2


def test_check_as_a_real_subprocess(make_site):
    site = make_site(BROKEN_SITE)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    broken = subprocess.run([sys.executable, "-m", "reThink_site", "check", "--site", str(site), "--now", CHECK_NOW,
                             "--format", "github"], capture_output=True, text=True, env=env, timeout=120)
    assert broken.returncode == 1, broken.stderr
    assert all(ANNOTATION.match(line) for line in broken.stdout.splitlines())
    assert "Traceback" not in broken.stderr
    clean = subprocess.run([sys.executable, "-m", "reThink_site", "check", "--now", CHECK_NOW], cwd=REPO,
                           capture_output=True, text=True, env=env, timeout=120)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # the two events whose place nobody knows, and each item not yet in Welsh
    assert f"Found 0 error(s) and {2 + len(untranslated_files())} warning(s)" in clean.stdout


@pytest.mark.parametrize("flag, front", [("--drafts", "date: 2014-01-01\ndraft: true"),
                                         ("--future", "date: 2014-05-01")])
def test_check_accepts_the_build_selection_flags(runner, make_site, flag, front):
    site = make_site({"content/insights/2014-01-01-later.md": f"---\ntitle: Later\n{front}\n---\n[link](#nowhere)\n"})
    plain = run_check(runner, site)
    assert plain.exit_code == 0 and "#nowhere" not in plain.output  # not built, so not checked
    assert "#nowhere" in run_check(runner, site, flag).output


def test_links_to_another_pages_section_are_checked(runner, make_site):
    site = make_site({
        "content/pages/about.md": "---\ntitle: About\n---\n## Who we are\n\nUs.\n",
        "content/pages/join.md": "---\ntitle: Join\n---\nSee [who](/about/#who-we-are), [main](about.md#main)\n\n"
                                 "and [this](about.md#nobody-here) and [that](/about/#gone).\n",
    })
    result = run_check(runner, site)
    assert result.exit_code == 0, result.output
    join = site / "content/pages/join.md"
    assert f"content/pages/join.md:{line_containing(join, 'nobody-here')}: warning: body: link to /about/#nobody-here" \
        in result.output
    assert "/about/#gone, which that page does not have" in result.output
    assert "who-we-are" not in result.output and "#main" not in result.output
    assert run_check(runner, site, "--strict").exit_code == 1
