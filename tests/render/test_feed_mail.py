"""Feeds for RSS-to-email tools: no date after the build's now, date/time/place in the text, images as media."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timezone

import feedparser
import yaml

from reThink_site.cli import main
from tests.helpers import PINNED_NOW

MAIL_NOW = "2015-03-10T12:00"  # GMT: the feed's instants compare with this as UTC
NOW_UTC = datetime(2015, 3, 10, 12, 0, tzinfo=timezone.utc)

MAIL_SITE = {
    "content/events/2015-04-02-announced.md": "---\ntitle: Announced early\nstart: 2015-04-02 10:00\n"
                                              "end: 2015-04-02 12:30\npublished: 2015-03-01\n"
                                              "location: {name: Town Hall, city: Exampleton}\ntags: [assets]\n"
                                              "image: {src: /assets/hall.png, alt: The hall}\n---\nCome along.\n",
    "content/events/2015-05-07-unannounced.md": "---\ntitle: No date yet\nstart: 2015-05-07 18:00\n"
                                                "location: online\nregistration: https://example.org/book\n"
                                                "---\nJoin us.\n",
    "content/events/2015-03-20-changed.md": "---\ntitle: Changed plans\nstart: 2015-03-20\nstatus: postponed\n"
                                            "published: 2015-02-01\nupdated: 2015-03-05T09:00\n"
                                            "location: {name: Library}\n---\nPostponed.\n",
    "content/events/2015-02-02-over.md": "---\ntitle: Over already\nstart: 2015-02-02 14:00\n"
                                         "location: {name: Library}\n---\nIt happened.\n",
    "content/insights/2015-03-02-pictured.md": "---\ntitle: With a picture\ndate: 2015-03-02\ntags: [assets]\n"
                                               "image: {src: /assets/hall.png, alt: The hall}\n---\nText.\n",
    "content/assets/hall.png": b"\x89PNG\r\n\x1a\n",
}
BASE = "https://example.org/"


def parsed(out, name: str):
    feed = feedparser.parse((out / name).read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    return feed


def instant(struct) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc)


def test_events_feed_dates_are_when_announced_never_after_now(make_site, build_site_at):
    root = make_site(MAIL_SITE)
    build_site_at(root, now=MAIL_NOW)
    feed = parsed(root / "output", "events/feed.xml")
    dates = {e.title: (instant(e.published_parsed) if "published_parsed" in e else None) for e in feed.entries}
    assert dates == {
        "Announced early": datetime(2015, 3, 1, tzinfo=timezone.utc),   # published:
        "Changed plans": datetime(2015, 3, 5, 9, tzinfo=timezone.utc),  # updated: wins over published:
        "Over already": datetime(2015, 2, 2, 14, tzinfo=timezone.utc),  # no published: its start, now passed
        "No date yet": None,                                            # never its future start
    }
    assert instant(feed.feed.updated_parsed) <= NOW_UTC


def test_every_feed_date_is_not_after_the_builds_now(make_site, build_site_at, real_site):
    root = make_site(MAIL_SITE)
    build_site_at(root, now=MAIL_NOW)
    for out, now in ((root / "output", NOW_UTC), (real_site, datetime.fromisoformat(PINNED_NOW + "+00:00"))):
        for path in sorted(out.rglob("*.xml")):
            if path.name not in ("feed.xml", "atom.xml"):
                continue
            feed = parsed(out, path.relative_to(out).as_posix())
            stamps = [feed.feed.get("updated_parsed")]
            stamps += [e.get(key) for e in feed.entries for key in ("published_parsed", "updated_parsed")]
            assert all(instant(s) <= now for s in stamps if s is not None), path


def test_events_feed_items_say_when_and_where(make_site, build_site_at):
    root = make_site(MAIL_SITE)
    build_site_at(root, now=MAIL_NOW)
    by_title = {e.title: e for e in parsed(root / "output", "events/feed.xml").entries}
    announced = by_title["Announced early"]
    assert announced.summary.startswith("When: Thursday 2 April 2015, 10am to 12:30pm. "
                                        "Where: Town Hall, Exampleton. Come along")
    assert "When: Thursday 2 April 2015, 10am to 12:30pm." in announced.content[0].value
    assert by_title["No date yet"].summary.startswith("When: Thursday 7 May 2015, 6pm. Where: Online. Join us.")
    assert by_title["Changed plans"].summary.startswith(
        "When: Friday 20 March 2015 (all day). Where: Library. Status: postponed.")


def test_images_are_media_content_and_enclosures(make_site, build_site_at):
    root = make_site(MAIL_SITE)
    build_site_at(root, now=MAIL_NOW)
    out, picture = root / "output", BASE + "assets/hall.png"
    for name, title in (("events/feed.xml", "Announced early"), ("tags/assets/feed.xml", "Announced early"),
                        ("tags/assets/feed.xml", "With a picture"), ("feed.xml", "With a picture"),
                        ("atom.xml", "With a picture")):
        entry = next(e for e in parsed(out, name).entries if e.title == title)
        assert [(m["url"], m["medium"], m["type"]) for m in entry.media_content] == [
            (picture, "image", "image/png")], name
        if name == "atom.xml":  # an enclosure is RSS's; Atom's entry keeps its one link, to the page
            assert not entry.enclosures and [link.href for link in entry.links] == [BASE + "insights/pictured/"]
        else:
            assert [(e.href, e.type) for e in entry.enclosures] == [(picture, "image/png")], name
    plain = next(e for e in parsed(out, "events/feed.xml").entries if e.title == "Over already")
    assert "media_content" not in plain and not plain.enclosures


def test_new_event_records_when_it_was_announced(runner, make_site):
    site = make_site({})
    result = runner.invoke(main, ["new", "event", "Later", "--date", "2030-05-14 10:00", "--site", str(site)])
    assert result.exit_code == 0, result.output
    front = yaml.safe_load((site / result.output.strip()).read_text(encoding="utf-8").split("---\n")[1])
    assert front["published"] == date.today()
