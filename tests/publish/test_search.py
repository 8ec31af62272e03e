"""Search: `rethink build` writes a Pagefind index of the content pages, and only those, deterministically."""

from __future__ import annotations

import json
from pathlib import Path

import html5lib

from reThink_site.build import BuildOptions, build, plan
from reThink_site.cli import main
from reThink_site.content.config import read_config
from tests.helpers import PINNED_NOW, REPO, TESTS


def index_entry(root: Path) -> dict:
    """Pagefind's own description of the index it wrote."""
    return json.loads((root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def searchable_pages(root: Path) -> list[Path]:
    """Pages whose main article the theme marks for indexing."""
    marked = []
    for page in sorted(root.rglob("*.html")):
        tree = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        if any(el.get("data-pagefind-body") is not None for el in tree.iter()):
            marked.append(page)
    return marked


def content_urls() -> set[str]:
    """Every page readers search for, from the sources: entries, and the pages of people who have one."""
    config = read_config(REPO / "site.yaml").config
    site = plan(BuildOptions(project=REPO, now=PINNED_NOW, jobs=1, cache=False)).site
    entries = [*site.events, *site.summaries, *site.insights, *site.newsletters, *site.pages]
    assert len(entries) == sum(1 for kind in ("events", "summaries", "insights", "newsletters", "pages")
                               for _ in (REPO / config.content_dir / kind).glob("*.md"))
    return {entry.url for entry in entries} | {person.url for person in site.people}


def test_build_indexes_exactly_the_content_pages(real_site):
    marked = searchable_pages(real_site)
    kinds = sorted({p.relative_to(real_site).parts[0] for p in marked})
    assert kinds == ["about", "accessibility", "events", "insights", "newsletter", "people", "privacy", "summaries"]
    expected = content_urls()
    assert {"/" + p.parent.relative_to(real_site).as_posix() + "/" for p in marked} == expected
    languages = index_entry(real_site)["languages"]
    assert sum(lang["page_count"] for lang in languages.values()) == len(expected)
    assert (real_site / "pagefind" / "pagefind-ui.js").is_file()


def test_calendars_lists_tags_redirects_and_the_404_are_not_indexed(real_site):
    marked = set(searchable_pages(real_site))
    for page in [*real_site.glob("events/calendar/**/index.html"), real_site / "events/index.html",
                 real_site / "tags/index.html", *real_site.glob("series/*/index.html"), real_site / "404.html",
                 real_site / "people/index.html", real_site / "index.html"]:
        assert page.is_file() and page not in marked, page
    redirect = TESTS / "golden" / "basic" / "about-us" / "index.html"  # the real site has no aliases
    assert b'http-equiv="refresh"' in redirect.read_bytes() and searchable_pages(redirect.parent) == []


def test_search_page_loads_the_ui_from_the_base_path(real_site):
    tree = html5lib.parse((real_site / "search/index.html").read_bytes(), treebuilder="etree",
                          namespaceHTMLElements=False)
    scripts = [el.get("src") for el in tree.iter("script") if el.get("src")]
    assert "/local-rethink/pagefind/pagefind-ui.js" in scripts
    label = next(el for el in tree.iter("label") if el.get("for") == "search-q")
    assert "Search" in "".join(label.itertext())


def test_two_builds_with_search_are_byte_identical(copy_real_site, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        build(BuildOptions(project=copy_real_site, output=out, now=PINNED_NOW, jobs=1, search=True))
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert Path("pagefind/pagefind-entry.json") in files
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_no_search_writes_no_index(copy_real_site, runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--site", str(copy_real_site), "--now", PINNED_NOW,
                                  "--output", str(out), "--no-search", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and not (out / "pagefind").exists()


def test_missing_indexer_fails_clearly_and_leaves_output_alone(copy_real_site, runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old site", encoding="utf-8")
    (out / ".rethink-output").write_text("", encoding="utf-8")  # a site an earlier build made
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = runner.invoke(main, ["build", "--site", str(copy_real_site), "--now", PINNED_NOW,
                                  "--output", str(out), "--quiet"])
    assert result.exit_code == 1
    assert "pagefind" in result.output and "--no-search" in result.output
    assert "Traceback" not in result.output
    assert (out / "index.html").read_text(encoding="utf-8") == "old site"
