"""Feeds kept from the last build are used only while their entries, settings and code are unchanged."""

from __future__ import annotations

import marshal
from pathlib import Path

import feedparser
import pytest

from reThink_site.incremental.cachedir import CACHE_DIR, PARTS_FORMAT
from reThink_site.incremental.partcache import FEED_PARTS as FEED_PARTS_FILE
from tests.helpers import assert_clean, edit_title, run


@pytest.fixture
def site(site: Path) -> Path:
    """The shared built site (conftest.py), whose build kept its feed parts."""
    assert (site / CACHE_DIR / FEED_PARTS_FILE).is_file()
    return site


def titles(feed: Path) -> list[str]:
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo
    return [entry.title for entry in parsed.entries]


def test_a_title_edit_reaches_the_main_and_tag_feeds(site: Path, tmp_path: Path) -> None:
    edit_title(site)
    run(site, site / "output")
    assert "Other thoughts" in titles(site / "output/feed.xml")
    assert "Other thoughts" in titles(site / "output/tags/extra-topic/feed.xml")
    assert "Extra thoughts" not in titles(site / "output/atom.xml")
    assert_clean(site, tmp_path, "title")


def test_a_new_feed_setting_regenerates_every_feed(site: Path, tmp_path: Path) -> None:
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  content: full\n" in text
    config.write_text(text.replace("  content: full\n", "  content: summary\n"), encoding="utf-8")
    run(site, site / "output")
    assert "<content" not in (site / "output/atom.xml").read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "feed setting")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "stranger's keys"])
def test_damaged_feed_parts_are_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    parts = site / CACHE_DIR / FEED_PARTS_FILE
    if damage == "garbage":
        parts.write_bytes(b"[[[")
    elif damage == "truncated":
        parts.write_bytes(parts.read_bytes()[: parts.stat().st_size // 2])
    else:
        parts.write_bytes(marshal.dumps((PARTS_FORMAT, {"x": (b"<rss/>", ())})))
    edit_title(site)
    run(site, site / "output")
    assert_clean(site, tmp_path, damage)
