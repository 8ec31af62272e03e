"""`rethink new`: correctly named files whose front matter builds, with an explicit slug, never overwriting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
import yaml

from reThink_site.cli import main
from tests.helpers import REPO

NEW_NOW = "2015-06-01T12:00"  # after the 2015-05-14 dates the new files get: what they make is published


def front(path: Path) -> dict:
    """The front matter of a file, read by plain PyYAML."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("kind, args, expected_path, expected_slug", [
    ("event", ["--date", "2015-05-14 10:00"], "content/events/2015-05-14-title-slug.md", "2015-05-14-title-slug"),
    ("summary", ["--date", "2015-05-14"], "content/summaries/2015-05-14-title-slug.md", "title-slug"),
    ("insight", ["--date", "2015-05-14"], "content/insights/2015-05-14-title-slug.md", "title-slug"),
    ("newsletter", ["--date", "2015-05-14"], "content/newsletters/2015-05-14-title-slug.md",
     "2015-05-14-title-slug"),
    ("page", [], "content/pages/title-slug.md", "title-slug"),
])
def test_new_creates_a_named_file_that_builds(runner, make_site, build_site_at, kind, args, expected_path,
                                              expected_slug):
    site = make_site({})
    result = runner.invoke(main, ["new", kind, "Title: Slug!", "--site", str(site), *args])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected_path
    meta = front(site / expected_path)
    assert meta["title"] == "Title: Slug!"
    assert meta["slug"] == expected_slug
    text = (site / expected_path).read_text(encoding="utf-8")
    assert text.count("#") >= 5  # the fields are explained in comments
    build_site_at(site, now=NEW_NOW)
    url_folder = {"event": "events/", "summary": "summaries/", "insight": "insights/", "newsletter": "newsletter/",
                  "page": ""}[kind]
    page = site / "output" / url_folder / expected_slug / "index.html"
    assert page.is_file()
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    assert any("Title: Slug!" in "".join(h1.itertext()) for h1 in doc.iter("h1"))


def test_event_fields_are_filled_for_the_kind(runner, make_site):
    site = make_site({})
    result = runner.invoke(main, ["new", "event", "Using public assets", "--site", str(site),
                                  "--date", "2014-06-20 9:30"])
    meta = front(site / result.output.strip())
    assert str(meta["start"]) == "2014-06-20 09:30"
    assert meta["series"] == "Local reThink"
    all_day = runner.invoke(main, ["new", "event", "A day out", "--site", str(site), "--date", "2014-07-01"])
    assert str(front(site / all_day.output.strip())["start"]) == "2014-07-01"


def test_renaming_the_file_keeps_the_url(runner, make_site, build_site_at):
    site = make_site({})
    path = site / runner.invoke(main, ["new", "event", "Briefing", "--site", str(site),
                                       "--date", "2015-05-14 10:00"]).output.strip()
    path.rename(path.with_name("2015-05-21-moved-briefing.md"))
    build_site_at(site, now=NEW_NOW)
    assert (site / "output/events/2015-05-14-briefing/index.html").is_file()
    assert not (site / "output/events/2015-05-21-moved-briefing").exists()


def test_refuses_to_overwrite(runner, make_site):
    site = make_site({})
    first = runner.invoke(main, ["new", "insight", "What we heard", "--site", str(site), "--date", "2015-03-02"])
    path = site / first.output.strip()
    path.write_text(path.read_text(encoding="utf-8") + "\nMy words.\n", encoding="utf-8")
    again = runner.invoke(main, ["new", "insight", "What we heard", "--site", str(site), "--date", "2015-03-02"])
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert path.read_text(encoding="utf-8").endswith("My words.\n")
    other_day = runner.invoke(main, ["new", "insight", "What we heard", "--site", str(site), "--date", "2015-04-02"])
    assert other_day.exit_code == 2 and "already uses the slug what-we-heard" in other_day.output


def test_explicit_slug_and_bad_input(runner, make_site):
    site = make_site({})
    ok = runner.invoke(main, ["new", "page", "Get involved", "--site", str(site), "--slug", "join-us"])
    assert ok.output.strip() == "content/pages/join-us.md" and front(site / "content/pages/join-us.md")["slug"] \
        == "join-us"
    for args in (["new", "page", "X", "--slug", "Bad Slug"], ["new", "event", "X", "--date", "14/05/2015"],
                 ["new", "event", "X", "--date", "2015-02-30"], ["new", "insight", "X", "--date", "2015-01-01 10:00"],
                 ["new", "page", "!!!"], ["new", "podcast", "X"]):
        result = runner.invoke(main, [*args, "--site", str(site)])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    assert sorted(p.name for p in (site / "content/pages").iterdir()) == ["join-us.md"]


def test_new_as_a_real_subprocess(make_site):
    site = make_site({})
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "reThink_site", "new", "summary", "Delivering with communities",
               "--date", "2015-03-02", "--site", str(site)]
    created = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert created.returncode == 0, created.stderr
    assert created.stdout == "content/summaries/2015-03-02-delivering-with-communities.md\n"
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 2 and "already exists" in refused.stderr


def test_new_page_refuses_a_section_slug(runner, make_site):
    from reThink_site.cli import main

    root = make_site({})
    result = runner.invoke(main, ["new", "page", "Events", "--site", str(root)])
    assert result.exit_code == 2 and "section" in result.output
    assert not (root / "content/pages/events.md").exists()


def test_new_event_refuses_a_time_lost_at_the_clock_change(runner, make_site):
    from reThink_site.cli import main

    root = make_site({})
    result = runner.invoke(main, ["new", "event", "Gap", "--date", "2015-03-29 01:30", "--site", str(root)])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not list((root / "content").rglob("*.md"))


@pytest.mark.parametrize("kind", ["insight", "event", "page"])
def test_new_with_a_very_long_title_makes_a_file_that_builds(kind, runner, make_site, build_site_at):
    from reThink_site.cli import main
    from reThink_site.content.frontmatter import parse

    root = make_site({})
    title = ("Delivering neighbourhood services with communities across Greater Manchester " * 5)[:300]
    result = runner.invoke(main, ["new", kind, title, "--date", "2015-03-02", "--site", str(root)])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    created = root / result.output.strip()
    assert len(created.name.encode()) <= 255 and created.is_file()
    doc = parse(created.read_bytes())
    assert doc.meta["title"] == title.strip() and len(doc.meta["slug"]) <= 100
    assert created.stem.endswith(doc.meta["slug"]) and not doc.meta["slug"].endswith("-")
    build_site_at(root, now="2015-03-10T12:00")
    too_long = runner.invoke(main, ["new", kind, "Short", "--slug", "a" * 240, "--site", str(root)])
    assert too_long.exit_code == 2 and "at most 100 characters" in too_long.output and "Traceback" not in \
        too_long.output
