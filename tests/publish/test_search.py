"""Search: `rethink build` writes a Pagefind index of events, summaries and insights, deterministically."""

from __future__ import annotations

import json
from pathlib import Path

import html5lib

from reThink_site.build import BuildOptions, build
from reThink_site.cli import main
from tests.helpers import PINNED_NOW, REPO


def index_entry(root: Path) -> dict:
    """Pagefind's own description of the index it wrote."""
    return json.loads((root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def searchable_pages(root: Path) -> list[Path]:
    """Pages whose main article the theme marks for indexing."""
    marked = []
    for page in sorted(root.rglob("index.html")):
        tree = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        if any(el.get("data-pagefind-body") is not None for el in tree.iter()):
            marked.append(page)
    return marked


def test_build_indexes_exactly_the_events_summaries_and_insights(real_site):
    marked = searchable_pages(real_site)
    parts = [p.relative_to(real_site).parts for p in marked]
    kinds = sorted({part[1] if part[0] == "cy" else part[0] for part in parts})  # Welsh pages under /cy/
    assert kinds == ["events", "insights", "summaries"]
    # one page per content file, a Welsh translation (name.cy.md) being its item's page under /cy/
    expected = sum(1 for kind in ("events", "summaries", "insights") for _ in (REPO / "content" / kind).glob("*.md"))
    assert sum(1 for part in parts if part[0] == "cy") == sum(
        1 for kind in ("events", "summaries", "insights") for _ in (REPO / "content" / kind).glob("*.cy.md"))
    assert len(marked) == expected
    languages = index_entry(real_site)["languages"]
    assert sorted(languages) == ["cy", "en-gb"]  # Pagefind indexes each language apart, by the page's lang
    assert sum(lang["page_count"] for lang in languages.values()) == expected
    assert (real_site / "pagefind" / "pagefind-ui.js").is_file()


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
