"""Feeds parse cleanly with feedparser, keep their ids, carry absolute HTML and never stamp the build time."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

import feedparser
import html5lib
import lxml.html

from tests.helpers import PINNED_NOW

ABSOLUTE = re.compile(r"^(https?://|mailto:|tel:)")
OFFSET = re.compile(r"([+-]\d{2}:?\d{2}|Z|GMT|UT)$")

INSIGHT = """\
---
title: {title}
date: 2015-01-10
tags: [assets, communities]
author: Ann Editor
{extra}---
Read [the event](../events/2015-02-20-meet.md), the [slides](/assets/slides.pdf) and
![a chart](/assets/chart.png) and [a sibling](notes.pdf).
"""
EVENT = """\
---
title: Meet up
start: 2015-02-20 10:00
end: 2015-02-20 12:00
tags: [assets]
---
A meeting.
"""
SUMMARY = """\
---
title: What we heard
date: 2015-02-21
updated: 2015-02-25T09:30
---
Notes.
"""


def small_site(make_site, title="First title", extra="", site_yaml=None):
    files = {"content/insights/2015-01-10-piece.md": INSIGHT.format(title=title, extra=extra),
             "content/events/2015-02-20-meet.md": EVENT,
             "content/summaries/2015-02-21-heard.md": SUMMARY,
             "content/assets/slides.pdf": b"%PDF-1.4", "content/assets/chart.png": b"\x89PNG"}
    yaml = site_yaml or "title: Test reThink\nbase_url: https://example.org/sub/\ndescription: A test site.\n"
    return make_site(files, yaml)


def all_feeds(out):
    return sorted(p for p in out.rglob("*.xml") if p.name in ("feed.xml", "atom.xml"))


def test_every_real_feed_parses_with_complete_entries(real_site):
    feeds = all_feeds(real_site)
    names = {p.relative_to(real_site).as_posix() for p in feeds}
    assert {"feed.xml", "atom.xml", "events/feed.xml", "newsletter/feed.xml"} <= names
    assert any(n.startswith("tags/") for n in names)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.title
            assert entry.link.startswith("https://i-network.org.uk/local-rethink/")
            assert entry.id
            assert OFFSET.search(entry.published.strip()), entry.published
            assert entry.published_parsed is not None


def test_real_feed_content_has_only_absolute_urls(real_site):
    for path in all_feeds(real_site):
        for entry in feedparser.parse(path.read_bytes()).entries:
            for content in entry.get("content", []):
                root = lxml.html.fragment_fromstring(content.value, create_parent="div")
                for _, attr, link, _ in root.iterlinks():
                    if attr in ("href", "src"):
                        assert ABSOLUTE.match(link), (path, link)


def test_entries_newest_first_and_feed_updated_is_newest_entry(real_site):
    rss = feedparser.parse((real_site / "feed.xml").read_bytes())
    stamps = [parsedate_to_datetime(e.published) for e in rss.entries]
    assert stamps == sorted(stamps, reverse=True)
    newest_update = max(parsedate_to_datetime(e.updated) if "updated" in e else s
                        for e, s in zip(rss.entries, stamps))
    assert parsedate_to_datetime(rss.feed.updated) == newest_update
    atom = feedparser.parse((real_site / "atom.xml").read_bytes())
    assert [e.id for e in atom.entries] == [e.id for e in rss.entries]


def test_ids_survive_a_title_edit(make_site, build_site_at, tmp_path):
    root = small_site(make_site, title="First title")
    build_site_at(root, tmp_path / "a")
    before = {p.name: [e.id for e in feedparser.parse((tmp_path / "a" / p.name).read_bytes()).entries]
              for p in [tmp_path / "a" / "feed.xml", tmp_path / "a" / "atom.xml"]}
    small_site(make_site, title="A quite different title")
    build_site_at(root, tmp_path / "b")
    for name, ids in before.items():
        parsed = feedparser.parse((tmp_path / "b" / name).read_bytes())
        assert [e.id for e in parsed.entries] == ids
        assert "A quite different title" in [e.title for e in parsed.entries]


def test_entry_fields_updated_author_categories_and_absolute_content(make_site, build_site_at, tmp_path):
    root = small_site(make_site)
    build_site_at(root, tmp_path / "out")
    atom = feedparser.parse((tmp_path / "out" / "atom.xml").read_bytes())
    by_title = {e.title: e for e in atom.entries}
    summary, insight = by_title["What we heard"], by_title["First title"]
    assert summary.updated.startswith("2015-02-25T09:30:00+00:00")
    assert summary.published.startswith("2015-02-21T00:00:00+00:00")
    assert insight.updated == insight.published
    assert insight.author == "Ann Editor"
    assert {t.term for t in insight.tags} == {"assets", "communities"}
    html = insight.content[0].value
    assert 'href="https://example.org/sub/events/2015-02-20-meet/"' in html
    assert 'href="https://example.org/sub/assets/slides.pdf"' in html
    assert 'src="https://example.org/sub/assets/chart.png"' in html
    assert 'href="https://example.org/sub/insights/piece/notes.pdf"' in html
    tag_feed = feedparser.parse((tmp_path / "out" / "tags" / "assets" / "feed.xml").read_bytes())
    assert tag_feed.bozo == 0
    assert [e.title for e in tag_feed.entries] == ["Meet up", "First title"]
    events = feedparser.parse((tmp_path / "out" / "events" / "feed.xml").read_bytes())
    assert [e.link for e in events.entries] == ["https://example.org/sub/events/2015-02-20-meet/"]
    assert events.entries[0].published == "Fri, 20 Feb 2015 10:00:00 +0000"


def test_summary_only_setting_leaves_content_out(make_site, build_site_at, tmp_path):
    yaml = "title: T\nbase_url: https://example.org/\nfeed:\n  content: summary\n"
    root = small_site(make_site, site_yaml=yaml)
    build_site_at(root, tmp_path / "out")
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((tmp_path / "out" / name).read_bytes())
        assert parsed.entries and all("content" not in e for e in parsed.entries)
        assert all(e.summary for e in parsed.entries)


def test_feed_items_limit(make_site, build_site_at, tmp_path):
    yaml = "title: T\nbase_url: https://example.org/\nfeed:\n  items: 1\n"
    root = small_site(make_site, site_yaml=yaml)
    build_site_at(root, tmp_path / "out")
    parsed = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["What we heard"]


def test_rebuild_later_gives_same_bytes(copy_real_site, build_site_at, tmp_path):
    build_site_at(copy_real_site, tmp_path / "a", now=PINNED_NOW)
    build_site_at(copy_real_site, tmp_path / "b", now="2016-07-01T08:00")
    for name in ("feed.xml", "atom.xml", "events/feed.xml", "newsletter/feed.xml", "sitemap.xml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_every_page_advertises_the_feeds(real_site):
    for page in ("index.html", "events/index.html", "insights/index.html"):
        doc = lxml.html.fromstring((real_site / page).read_bytes())
        alternates = {link.get("href") for link in doc.iterfind(".//head/link[@rel='alternate']")}
        assert {"/local-rethink/feed.xml", "/local-rethink/atom.xml"} <= alternates


def head_alternates(page):
    """{href: type} of a page's feed links, read from its <head> by html5lib."""
    doc = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
    return {link.get("href"): link.get("type") for link in doc.find("head").iterfind("link")
            if link.get("rel") == "alternate"}


def test_every_page_head_advertises_the_newsletter_feed(real_site):
    pages = [p for p in real_site.rglob("*.html") if p.name != "email.html"
             and p.relative_to(real_site).parts[0] != "admin"]  # the editor's application, not a page of the site
    assert len(pages) > 40
    for page in pages:
        assert head_alternates(page).get("/local-rethink/newsletter/feed.xml") == "application/rss+xml", page
    assert (real_site / "newsletter/feed.xml").exists()


def test_each_tag_page_head_advertises_its_own_feed(real_site):
    tags = sorted(p.parent.name for p in (real_site / "tags").glob("*/index.html"))
    assert "communities" in tags
    for tag in tags:
        alternates = head_alternates(real_site / "tags" / tag / "index.html")
        own = [href for href in alternates if href.startswith("/local-rethink/tags/")]
        assert own == [f"/local-rethink/tags/{tag}/feed.xml"], tag
        assert alternates[own[0]] == "application/rss+xml"
        assert (real_site / "tags" / tag / "feed.xml").exists()
    series = head_alternates(real_site / "series/local-rethink/index.html")  # a series has its own feed (#20)
    assert [href for href in series if "/series/" in href or "/tags/" in href] == \
        ["/local-rethink/series/local-rethink/feed.xml"]
    assert series["/local-rethink/series/local-rethink/feed.xml"] == "application/rss+xml"
    assert (real_site / "series" / "local-rethink" / "feed.xml").exists()
