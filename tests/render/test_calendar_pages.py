"""A calendar without empty pages: one far-future event adds one month page, and navigation jumps to it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest

from reThink_site.build import BuildOptions, build
from tests.helpers import PINNED_NOW, TESTS

FAR_EVENT = "content/events/2027-06-15-far-ahead.md"
FAR_TEXT = "---\ntitle: Far ahead\nstart: 2027-06-15 10:00\nlocation: online\n---\nA long way off.\n"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def basic_site(tmp_path: Path, name: str, far: bool) -> Path:
    """The golden fixture site (events in October and November 2014), with or without the 2027 event."""
    root = shutil.copytree(TESTS / "sites" / "basic", tmp_path / name)
    if far:
        (root / FAR_EVENT).write_text(FAR_TEXT, encoding="utf-8")
    return root


def month_pages(out: Path) -> list[str]:
    root = out / "events" / "calendar"
    return sorted(p.parent.relative_to(root).as_posix() for p in root.glob("*/*/index.html"))


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def rel_link(out: Path, month: str, rel: str):
    links = [a.get("href") for a in parse(out / "events" / "calendar" / month / "index.html").iter("a")
             if a.get("rel") == rel]
    assert len(links) <= 1
    return links[0].split("/events/calendar/")[1].rstrip("/") if links else None


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The fixture site built at PINNED_NOW (March 2015, a month with no events), without and with the 2027 event."""
    tmp = tmp_path_factory.mktemp("calendar-pages")
    found = {}
    for name, far in (("without", False), ("with", True)):
        root = basic_site(tmp, name, far)
        found[name] = root / "output"
        build(BuildOptions(project=root, output=found[name], now=PINNED_NOW, jobs=1, search=False, cache=False))
    return found


def test_one_far_event_adds_one_month_page(built):
    assert month_pages(built["without"]) == ["2014/10", "2014/11", "2015/03"]  # March 2015: the current month
    assert month_pages(built["with"]) == ["2014/10", "2014/11", "2015/03", "2027/06"]
    pages = {name: sum(1 for _ in out.rglob("*.html")) for name, out in built.items()}
    assert pages["with"] - pages["without"] == 2  # the event's own page and its month, nothing in between


def test_the_current_month_keeps_a_page_saying_it_has_no_events(built):
    doc = parse(built["with"] / "events" / "calendar" / "2015" / "03" / "index.html")
    table = next(t for t in doc.iter("table") if "calendar" in (t.get("class") or "").split())
    assert " ".join("".join(table.find("caption").itertext()).split()) == "March 2015 (no events)"
    assert not list(table.iter("a"))
    robots = [m.get("content") for m in doc.iter("meta") if m.get("name") == "robots"]
    assert robots == ["noindex"]  # there only while the month lasts: search engines need not keep it
    october = parse(built["with"] / "events" / "calendar" / "2014" / "10" / "index.html")
    assert not [m for m in october.iter("meta") if m.get("name") == "robots"]


def test_previous_and_next_jump_to_the_nearest_month_with_a_page(built):
    out = built["with"]
    forward, month = [], "2014/10"
    while month is not None:
        forward.append(month)
        month = rel_link(out, month, "next")
    assert forward == ["2014/10", "2014/11", "2015/03", "2027/06"]
    backward, month = [], "2027/06"
    while month is not None:
        backward.append(month)
        month = rel_link(out, month, "prev")
    assert backward == forward[::-1]
    opening = parse(out / "events" / "calendar" / "index.html")  # the next upcoming event's month
    assert "June 2027" in "".join(next(opening.iter("caption")).itertext())


def test_the_sitemap_lists_exactly_the_month_pages_with_events(built):
    """The current month's empty page is left out, so the sitemap does not change with the clock."""
    for out in built.values():
        locs = [loc.text for loc in ElementTree.parse(out / "sitemap.xml").iter(f"{SITEMAP}loc")]
        months = sorted(loc.split("/events/calendar/")[1].rstrip("/") for loc in locs
                        if "/events/calendar/" in loc and loc.rstrip("/").split("/")[-1].isdigit())
        assert months == [month for month in month_pages(out) if month != "2015/03"]


def test_the_search_index_gains_the_event_and_no_month(tmp_path):
    counts = {}
    for name, far in (("without", False), ("with", True)):
        root = basic_site(tmp_path, name, far)
        build(BuildOptions(project=root, output=root / "output", now=PINNED_NOW, jobs=1, search=True, cache=False))
        entry = (root / "output" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
        counts[name] = sum(lang["page_count"] for lang in json.loads(entry)["languages"].values())
    assert counts["with"] == counts["without"] + 1
