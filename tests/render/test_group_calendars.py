"""Calendars per series and per topic, and an RSS feed per series (tests/sites/repeating/): each holds exactly
the events of its series or topic, and its page and /subscribe/ offer a webcal: subscription to it."""

from __future__ import annotations

from pathlib import Path

import feedparser
import html5lib
import icalendar
import pytest
import recurring_ical_events

from reThink_site import checks
from reThink_site.build import BuildOptions, build, plan
from reThink_site.core.outputs import OutputFile
from tests.helpers import TESTS

FIXTURE = TESTS / "sites" / "repeating"
NOW = "2027-06-01T12:00"
# From the fixture's front matter, read by eye: which event files name which series and which tags.
SERIES = {"practitioners-forum": {"2027-01-12-monthly-forum", "2027-05-20-one-off-workshop"},
          "digital-forum": {"2027-03-18-fortnightly-call"}}
TAGS = {"housing": {"2027-01-12-monthly-forum", "2027-02-01-drop-in-day"},
        "communities": {"2027-01-12-monthly-forum"},
        "digital": {"2027-03-18-fortnightly-call", "2027-05-20-one-off-workshop"}}
POSTS_ONLY_TAG = "policy"  # a topic with a post and no event: no calendar of its own


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("groups") / "out"
    build(BuildOptions(project=FIXTURE, output=out, now=NOW, jobs=1, search=False, cache=False))
    return out


def uids(path: Path) -> set[str]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(ev["UID"]).removesuffix("@example.org") for ev in cal.walk("VEVENT")}


@pytest.mark.parametrize("kind, slug, expected", [("series", s, e) for s, e in SERIES.items()]
                         + [("tags", t, e) for t, e in TAGS.items()])
def test_each_group_calendar_holds_exactly_its_events(site, kind, slug, expected):
    path = site / kind / slug / "events.ics"
    assert uids(path) == expected
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(cal["REFRESH-INTERVAL"].to_ical().decode()) == "P1D"  # made for subscribing
    expanded = {str(ev["UID"]).removesuffix("@example.org")
                for ev in recurring_ical_events.of(cal).between((2026, 1, 1), (2029, 1, 1))}
    assert expanded == expected


def test_a_topic_without_events_has_no_calendar(site):
    assert (site / "tags" / POSTS_ONLY_TAG / "feed.xml").exists()
    assert not (site / "tags" / POSTS_ONLY_TAG / "events.ics").exists()
    doc = html5lib.parse((site / "tags" / POSTS_ONLY_TAG / "index.html").read_bytes(), namespaceHTMLElements=False)
    assert not [a for a in doc.iterfind(".//a") if (a.get("href") or "").startswith("webcal:")]


@pytest.mark.parametrize("slug, expected", sorted(SERIES.items()))
def test_each_series_has_an_rss_feed_of_its_events(site, slug, expected):
    feed = feedparser.parse((site / "series" / slug / "feed.xml").read_bytes())
    assert not feed.bozo
    links = {entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in feed.entries}
    assert links == expected


def webcal_links(path: Path) -> set[str]:
    doc = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return {a.get("href") for a in doc.iterfind(".//a") if (a.get("href") or "").startswith("webcal:")}


@pytest.mark.parametrize("kind, slug", [("series", s) for s in SERIES] + [("tags", t) for t in TAGS])
def test_group_page_and_subscribe_page_offer_the_webcal_subscription(site, kind, slug):
    link = f"webcal://example.org/{kind}/{slug}/events.ics"
    assert link in webcal_links(site / kind / slug / "index.html")
    assert link in webcal_links(site / "subscribe" / "index.html")
    doc = html5lib.parse((site / kind / slug / "index.html").read_bytes(), namespaceHTMLElements=False)
    wording = "Subscribe to this series" if kind == "series" else "Subscribe to this topic"
    assert any("".join(a.itertext()) == wording and a.get("href") == link for a in doc.iterfind(".//a"))


def test_subscribe_page_lists_each_series_feed(site):
    doc = html5lib.parse((site / "subscribe" / "index.html").read_bytes(), namespaceHTMLElements=False)
    hrefs = {a.get("href") for a in doc.iterfind(".//a")}
    assert {f"/series/{slug}/feed.xml" for slug in SERIES} <= hrefs


def test_group_calendars_and_feeds_are_outputs_the_collision_check_sees():
    planned = plan(BuildOptions(project=FIXTURE, now=NOW, jobs=1, search=False, cache=False))
    paths = [f.path for f in planned.files]
    for slug in SERIES:
        assert paths.count(f"series/{slug}/events.ics") == 1 and paths.count(f"series/{slug}/feed.xml") == 1
    for slug in TAGS:
        assert paths.count(f"tags/{slug}/events.ics") == 1
    twice = [*planned.files, OutputFile("series/digital-forum/events.ics", b"")]  # as a clash would make it
    problems = checks.output_collisions([], twice)
    assert [p.field for p in problems] == ["series/digital-forum/events.ics"]
