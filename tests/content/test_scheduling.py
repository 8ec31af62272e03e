"""Drafts and scheduled posts: absent from every page, list, feed and the sitemap until asked for or due."""

from __future__ import annotations

import feedparser
import html5lib
import pytest

from reThink_site.cli import main
from tests.helpers import tree

NOW = "2014-03-01T12:00"  # the day before the first scheduled piece

SITE = {
    "content/insights/2014-02-01-already-out.md": """\
        ---
        title: Already out quokka
        date: 2014-02-01
        author: Asha Patel
        tags: [scheduling]
        ---
        Published in February.
        """,
    "content/insights/2014-03-02-scheduled-piece.md": """\
        ---
        title: Scheduled zanzibar piece
        date: 2014-03-02
        author: Asha Patel
        tags: [scheduling]
        ---
        Due in March.
        """,
    "content/summaries/2014-03-05-later-summary.md": """\
        ---
        title: Later summary marmalade
        date: 2014-03-05
        ---
        Not yet.
        """,
    "content/newsletters/2014-04-01-april.md": """\
        ---
        title: April issue pelican
        date: 2014-04-01
        ---
        Not yet.
        """,
    "content/pages/draft-page.md": """\
        ---
        title: Draft page wombat
        draft: true
        ---
        Work in progress.
        """,
}
HIDDEN = {"scheduled-piece": b"zanzibar", "later-summary": b"marmalade", "2014-04-01-april": b"pelican",
          "draft-page": b"wombat"}


def mentions(files: dict[str, bytes], slug: str, word: bytes) -> list[str]:
    return sorted(name for name, data in files.items() if slug.encode() in data or word in data.lower()
                  or slug in name)


@pytest.fixture
def site(make_site):
    return make_site(SITE)


def test_future_and_draft_content_is_absent_everywhere(site, build_site_at):
    build_site_at(site, now=NOW)
    files = tree(site / "output")
    for slug, word in HIDDEN.items():
        assert mentions(files, slug, word) == [], slug
    control = mentions(files, "already-out", b"quokka")
    assert {"index.html", "insights/index.html", "insights/already-out/index.html",
            "tags/scheduling/index.html"} <= set(control)
    for feed_name in ("feed.xml", "atom.xml"):
        if feed_name in files:
            titles = [e.title for e in feedparser.parse(files[feed_name]).entries]
            assert "Already out quokka" in titles and "Scheduled zanzibar piece" not in titles
    if "sitemap.xml" in files:
        assert b"/insights/already-out/" in files["sitemap.xml"]


def test_future_flag_publishes_them_in_the_same_places(site, build_site_at):
    build_site_at(site, now=NOW)
    before = tree(site / "output")
    control = set(mentions(before, "already-out", b"quokka")) - {"insights/already-out/index.html"}
    build_site_at(site, now=NOW, future=True)
    after = tree(site / "output")
    scheduled = set(mentions(after, "scheduled-piece", b"zanzibar"))
    assert "insights/scheduled-piece/index.html" in scheduled
    assert control - {p for p in control if p.startswith("people/")} <= scheduled
    assert "summaries/later-summary/index.html" in after
    assert "newsletter/2014-04-01-april/index.html" in after
    assert "draft-page/index.html" not in after  # --future is not --drafts


def test_the_day_comes(site, build_site_at):
    build_site_at(site, now="2014-03-02T00:00")
    assert (site / "output/insights/scheduled-piece/index.html").is_file()
    assert not (site / "output/summaries/later-summary").exists()


def test_drafts_only_with_drafts_flag_and_marked(site, build_site_at):
    build_site_at(site, now=NOW, drafts=True)
    page = (site / "output/draft-page/index.html").read_bytes()
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    text = " ".join("".join(el.itertext()) for el in doc.iter() if isinstance(el.tag, str) and
                    "draft" in (el.get("class") or ""))
    assert "Draft" in text
    assert not (site / "output/insights/scheduled-piece").exists()  # --drafts is not --future


def test_check_and_build_commands_honour_the_flags(site, runner):
    out = site / "built"
    result = runner.invoke(main, ["build", "--site", str(site), "--now", NOW, "--output", str(out), "--no-search",
                                  "--future", "--drafts", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "insights/scheduled-piece/index.html").is_file() and (out / "draft-page/index.html").is_file()
