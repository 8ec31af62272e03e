"""`rethink init DIR` writes a site that builds and passes check at once; `build --base-url` builds for staging."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import feedparser
import html5lib
import yaml

from reThink_site.cli import main

KINDS = ("events", "summaries", "insights", "newsletters", "pages")
STAGING = "https://staging.example.net/preview/"


def canonical(page: Path) -> str:
    document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    return next(link.get("href") for link in document.iter("link") if link.get("rel") == "canonical")


def test_init_writes_a_site_that_passes_check_and_builds(runner, tmp_path):
    folder = tmp_path / "new-site"
    result = runner.invoke(main, ["init", str(folder), "--title", "Test reThink"])
    assert result.exit_code == 0, result.output
    text = (folder / "site.yaml").read_text(encoding="utf-8")
    assert text.count("\n#") >= 3  # the settings come with comments
    settings = yaml.safe_load(text)
    assert settings["title"] == "Test reThink" and settings["base_url"] == "https://example.org/"
    for kind in KINDS:
        assert len(list((folder / "content" / kind).glob("*.md"))) == 1, kind
    assert (folder / "content" / "assets").is_dir() and (folder / "templates").is_dir()
    checked = runner.invoke(main, ["check", "--strict", "--site", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "No problems found: the site is ready to publish."
    built = runner.invoke(main, ["build", "--strict", "--no-search", "--site", str(folder)])
    assert built.exit_code == 0, built.output
    out = folder / "output"
    for kind in ("events", "summaries", "insights", "newsletter"):
        pages = [p for p in (out / kind).glob("*/index.html") if p.parent.name != "calendar"]
        assert len(pages) == 1, kind
        assert canonical(pages[0]).startswith("https://example.org/")
    assert (out / "about" / "index.html").is_file()


def test_init_writes_only_a_new_site(runner, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["init", str(taken)])
    assert result.exit_code == 2 and "not empty" in result.output
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]
    bad = runner.invoke(main, ["init", str(tmp_path / "bad"), "--base-url", "example.org"])
    assert bad.exit_code == 2 and "--base-url: expected an absolute https:// address" in bad.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # nothing half-written
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(main, ["init", str(empty)]).exit_code == 0
    assert (empty / "site.yaml").is_file()


def test_build_for_a_staging_address_without_editing_site_yaml(runner, tmp_path):
    folder = tmp_path / "site"
    assert runner.invoke(main, ["init", str(folder)]).exit_code == 0
    before = (folder / "site.yaml").read_bytes()
    out = folder / "output"

    def build(*args) -> None:
        result = runner.invoke(main, ["build", "--no-search", "--site", str(folder), *args])
        assert result.exit_code == 0, result.output

    build("--base-url", STAGING)
    assert (folder / "site.yaml").read_bytes() == before
    pages = sorted(out.rglob("index.html"))
    assert all(canonical(page).startswith(STAGING) for page in pages if "<meta http-equiv" not in page.read_text())
    feed = feedparser.parse((out / "events" / "feed.xml").read_bytes())
    assert feed.feed.link.startswith(STAGING) and feed.entries
    assert all(entry.link.startswith(STAGING) and entry.id.startswith(STAGING) for entry in feed.entries)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ElementTree.parse(out / "sitemap.xml").iter(f"{ns}loc")]
    assert locs and all(loc.startswith(STAGING) for loc in locs)
    assert b'href="/preview/' in (out / "index.html").read_bytes()  # links inside the site follow its path
    build()  # the next build without --base-url is for site.yaml's address again, not "nothing changed"
    assert canonical(out / "index.html") == "https://example.org/"
    bad = runner.invoke(main, ["build", "--site", str(folder), "--base-url", "staging.example.net"])
    assert bad.exit_code == 2 and "--base-url:" in bad.output
