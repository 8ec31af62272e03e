"""Input at the edges: dates outside 1900-2200, keys given twice, odd base_url and site.yaml values, link spellings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reThink_site.core.errors import ContentErrors
from tests.helpers import MINIMAL_SITE_YAML, REPO, tree

EVENT = "---\ntitle: Session\nstart: {start}\n---\nBody text.\n"


def refused(make_site, build_site_at, files: dict[str, str], site_yaml: str = MINIMAL_SITE_YAML, **kwargs):
    root = make_site(files, site_yaml)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root, cache=False, **kwargs)
    assert not (root / "output").exists(), "a refused build writes nothing"
    return [p for p in caught.value.problems if p.is_error]


def cli(root, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "reThink_site", "build", "--site", str(root), "--no-cache", *args],
                          capture_output=True, text=True, env=environ, timeout=120)


@pytest.mark.parametrize("field, text, line", [
    ("start", "start: 9999-12-31 23:00", 3),          # used to hang: a calendar page per month since the first event
    ("start", "start: '9999-12-31T23:30-01:00'", 3),  # used to overflow
    ("start", "start: 3026-02-01", 3),                # a typo: used to give 12,112 files silently
    ("start", "start: 1899-12-31", 3),
    ("end", "start: 2014-06-20\nend: 2999-06-20", 4),
    ("updated", "start: 2014-06-20\nupdated: 9999-12-31T23:00", 4),
])
def test_an_event_date_outside_the_window_names_its_file_and_field(make_site, build_site_at, field, text, line):
    files = {"content/events/2014-06-20-x.md": f"---\ntitle: Session\n{text}\n---\n"}
    problem, = refused(make_site, build_site_at, files)
    assert (problem.path, problem.line, problem.field) == ("content/events/2014-06-20-x.md", line, field)
    assert "between 1900 and 2200" in problem.message


@pytest.mark.parametrize("kind, date", [("insights", "0001-01-01"), ("summaries", "9999-12-31"),
                                        ("newsletters", "2201-01-01"), ("insights", "'0001-01-01T00:30+01:00'")])
def test_a_post_date_outside_the_window_names_its_file_and_field(make_site, build_site_at, kind, date):
    files = {f"content/{kind}/2014-06-20-x.md": f"---\ntitle: Post\ndate: {date}\n---\n"}
    problem, = refused(make_site, build_site_at, files)
    assert (problem.path, problem.line, problem.field) == (f"content/{kind}/2014-06-20-x.md", 3, "date")


def test_the_window_edges_build(make_site, build_site_at):
    root = make_site({"content/events/1900-01-01-x.md": EVENT.format(start="1900-01-01 00:30"),
                      "content/events/2200-12-31-y.md": EVENT.format(start="'2200-12-31T23:30-01:00'")})
    build_site_at(root, now="2200-12-31T12:00", cache=False)
    assert "events/calendar/2200/12/index.html" in tree(root / "output")


@pytest.mark.parametrize("args, env, named", [
    (["--now", "9999-12-31T12:00"], {}, "--now"),
    (["--now", "0001-01-01T00:00+01:00"], {}, "--now"),
    ([], {"SOURCE_DATE_EPOCH": "253402300799"}, "SOURCE_DATE_EPOCH"),     # used to be an OverflowError traceback
    ([], {"SOURCE_DATE_EPOCH": "100000000000000"}, "SOURCE_DATE_EPOCH"),  # used to say "year 3170843 is out of range"
])
def test_a_build_time_outside_the_window_names_the_option_and_value(make_site, args, env, named):
    root = make_site({})
    done = cli(root, *args, env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert named in done.stderr and "between 1900 and 2200" in done.stderr
    assert (args[-1] if args else env["SOURCE_DATE_EPOCH"]) in done.stderr
    assert not (root / "output").exists()


@pytest.mark.parametrize("path, text, field, lines", [
    ("content/events/2014-06-20-x.md", "---\ntitle: A\nstart: 2014-06-20\ntitle: B\n---\n", "title", (2, 4)),
    ("content/events/2014-06-20-x.md",
     "---\ntitle: A\nstart: 2014-06-20\nlocation:\n  name: Here\n  name: There\n---\n", "location.name", (5, 6)),
    ("content/people.yaml", "ada:\n  name: Ada\nbob:\n  name: Bob\nada:\n  name: Another Ada\n", "ada", (1, 5)),
])
def test_a_key_given_twice_is_an_error_naming_both_lines(make_site, build_site_at, path, text, field, lines):
    problem, = refused(make_site, build_site_at, {path: text})
    assert (problem.path, problem.line, problem.field) == (path, lines[1], field)
    assert f"lines {lines[0]} and {lines[1]}" in problem.message


def test_a_site_setting_given_twice_is_an_error_naming_both_lines(make_site, build_site_at):
    problem, = refused(make_site, build_site_at, {}, MINIMAL_SITE_YAML + "newsletter:\n  title: A\n  title: B\n")
    assert (problem.path, problem.line, problem.field) == ("site.yaml", 6, "newsletter.title")
    assert "lines 5 and 6" in problem.message


@pytest.mark.parametrize("base_url", ["https://example.org/#top", "https://example.org/site/?utm=x",
                                      "https://example.org/?", "https://example.org/#"])
def test_base_url_with_a_query_or_fragment_is_refused(make_site, build_site_at, base_url):
    problem, = refused(make_site, build_site_at, {}, f"title: T\nbase_url: '{base_url}'\n")
    assert (problem.path, problem.line, problem.field) == ("site.yaml", 2, "base_url")
    assert "?query or #fragment" in problem.message


@pytest.mark.parametrize("setting, line, field", [
    ('title: "Site\\x1b[31m"', 1, "title"),
    ('language: "a\\x00b"', 4, "language"),
    ('newsletter:\n  footer: "\\x07"', 5, "newsletter.footer"),
    ('author: {name: "A\\x0cB"}', 4, "author.name"),
    ('"bad\\x01key": 1', 4, "bad\x01key"),
])
def test_control_characters_in_site_yaml_name_the_setting(make_site, build_site_at, setting, line, field):
    yaml = MINIMAL_SITE_YAML.replace("title: Test reThink\n", "") if setting.startswith("title") else MINIMAL_SITE_YAML
    site_yaml = (setting + "\n" + yaml) if setting.startswith("title") else yaml + setting + "\n"
    problem, = refused(make_site, build_site_at, {}, site_yaml)
    assert (problem.path, problem.line, problem.field) == ("site.yaml", line, field)
    assert "control characters" in problem.message


def test_a_percent_encoded_link_to_an_asset_with_a_space_resolves(make_site, build_site_at):
    root = make_site({"content/assets/forms/my form.pdf": "%PDF",
                      "content/pages/p.md": "---\ntitle: P\nresources: []\n---\n"
                                            "[The form](/assets/forms/my%20form.pdf)\n",
                      "content/events/2014-06-20-x.md": "---\ntitle: S\nstart: 2014-06-20\nresources:\n"
                                                        "  - {title: Form, url: /assets/forms/my%20form.pdf}\n---\n"})
    report = build_site_at(root, cache=False)
    assert not [w for w in report.warnings if "form" in w.message]
    assert (root / "output" / "assets" / "forms" / "my form.pdf").read_bytes() == b"%PDF"


def test_a_resource_linking_a_scheduled_post_is_a_warning_so_the_site_builds(make_site, build_site_at):
    root = make_site({"content/insights/2015-06-01-later.md": "---\ntitle: Later\ndate: 2015-06-01\n---\nSoon.\n",
                      "content/events/2014-06-20-x.md": "---\ntitle: S\nstart: 2014-06-20\nresources:\n"
                                                        "  - {title: Write-up, url: /insights/later/}\n---\n"})
    report = build_site_at(root, now="2015-03-10T12:00", cache=False)
    warning, = [w for w in report.warnings if w.path == "content/events/2014-06-20-x.md" and w.line == 5]
    assert warning.field == "resources.0.url" and "not published yet" in warning.message
    assert not (root / "output" / "insights" / "later").exists()
