"""Unit rules of the contract: slugs, URLs, typos, time parsing (upcoming/past: tests/content/test_eventtime.py)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from reThink_site.content.models import Event
from reThink_site.core import timeparse, urls
from reThink_site.core.typos import likely_meant
from tests.helpers import LONDON


@pytest.mark.parametrize("kind, stem, slug", [
    ("events", "2014-06-20-Using Public Assets", "2014-06-20-using-public-assets"),
    ("newsletters", "2015-02-02-february-2015", "2015-02-02-february-2015"),
    ("summaries", "2015-03-02-what-we-heard", "what-we-heard"),
    ("insights", "2014-01-20-Councils as co‑ordinators!", "councils-as-co-ordinators"),
    ("pages", "Café__About", "cafe-about"),
])
def test_slug_from_file_name(kind, stem, slug):
    assert urls.slug_from_filename(kind, stem) == slug


@pytest.mark.parametrize("kind, slug, url", [("events", "x", "/events/x/"), ("newsletters", "n", "/newsletter/n/"),
                                             ("pages", "about", "/about/")])
def test_content_urls_follow_the_contract(kind, slug, url):
    assert urls.content_url(kind, slug) == url


def test_site_paths_honour_base_url_folder():
    assert urls.prefixed("https://example.org/rethink/", "/events/") == "/rethink/events/"
    assert urls.prefixed("https://example.org/", "/events/") == "/events/"
    assert urls.absolute("https://example.org/rethink/", "/feed.xml") == "https://example.org/rethink/feed.xml"


@pytest.mark.parametrize("typo, meant", [("titel", "title"), ("strat", "start"), ("tgas", "tags"),
                                         ("sumary", "summary"), ("speakerss", "speakers")])
def test_one_edit_typos_are_recognised(typo, meant):
    known = set(Event.model_fields) - {"source_path", "body", "body_line"}
    assert likely_meant(typo, known) == meant


def test_unrelated_names_are_not_typos():
    assert likely_meant("venue_notes", {"title", "start", "tags"}) is None


@pytest.mark.parametrize("text, expected", [
    ("2015-02-27 10:00", datetime(2015, 2, 27, 10, 0, tzinfo=LONDON)),
    ("2015-02-27T10:00", datetime(2015, 2, 27, 10, 0, tzinfo=LONDON)),
    ("2015-06-27T10:00+01:00", datetime(2015, 6, 27, 9, 0, tzinfo=timezone.utc)),
    ("2015-02-27", date(2015, 2, 27)),
])
def test_date_time_forms(text, expected):
    assert timeparse.parse_date_or_datetime(text, LONDON) == expected


def test_wall_clock_summer_time_is_bst():
    value = timeparse.parse_date_or_datetime("2014-06-20 10:00", LONDON)
    assert value.utcoffset().total_seconds() == 3600


@pytest.mark.parametrize("text", ["2014-03-30 01:30", "2014-10-26 01:30"])
def test_dst_gap_and_overlap_are_refused(text):
    with pytest.raises(ValueError):
        timeparse.parse_date_or_datetime(text, LONDON)


def test_now_prefers_option_then_epoch():
    assert timeparse.resolve_now("2014-01-01 12:00", {"SOURCE_DATE_EPOCH": "0"}, LONDON).year == 2014
    assert timeparse.resolve_now(None, {"SOURCE_DATE_EPOCH": "0"}, LONDON) == datetime(1970, 1, 1, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        timeparse.resolve_now(None, {"SOURCE_DATE_EPOCH": "yesterday"}, LONDON)
