"""The iCalendar files, read back with icalendar AND vobject, against what the content says."""

from __future__ import annotations

from datetime import date, datetime, timezone

import html5lib
import icalendar
import pytest
import vobject

from tests.helpers import EVENT_FILES, EVENT_SITE_NOW, EXPECTED_UTC, LONG_TITLE, SCRIPT_TITLE


def as_utc(value):
    """A parsed DTSTART/DTEND as comparable text: a date stays a date, a time becomes UTC."""
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "floating time in a calendar file"
        return value.astimezone(timezone.utc).isoformat()
    assert isinstance(value, date)
    return value.isoformat()


def icalendar_events(data: bytes) -> dict:
    cal = icalendar.Calendar.from_ical(data)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def vobject_events(data: bytes) -> dict:
    cal = vobject.readOne(data.decode("utf-8"))
    return {ev.uid.value: ev for ev in cal.vevent_list}


def test_programme_times_match_the_content_in_both_parsers(event_site):
    data = (event_site / "events.ics").read_bytes()
    by_ical, by_vobject = icalendar_events(data), vobject_events(data)
    assert set(by_ical) == set(by_vobject) == {f"{slug}@example.org" for slug in EXPECTED_UTC}
    for slug, (start, end) in EXPECTED_UTC.items():
        ev, vev = by_ical[f"{slug}@example.org"], by_vobject[f"{slug}@example.org"]
        assert as_utc(ev.decoded("DTSTART")) == start, slug
        assert as_utc(vev.dtstart.value) == start, slug
        if end is None:
            assert "DTEND" not in ev and "DURATION" not in ev, slug
            assert not hasattr(vev, "dtend"), slug
        else:
            assert as_utc(ev.decoded("DTEND")) == end, slug
            assert as_utc(vev.dtend.value) == end, slug


@pytest.mark.parametrize("slug", sorted(EXPECTED_UTC))
def test_each_event_file_holds_that_event_alone(event_site, slug):
    data = (event_site / "events" / slug / "event.ics").read_bytes()
    by_ical, by_vobject = icalendar_events(data), vobject_events(data)
    assert list(by_ical) == list(by_vobject) == [f"{slug}@example.org"]
    start, end = EXPECTED_UTC[slug]
    assert as_utc(by_vobject[f"{slug}@example.org"].dtstart.value) == start
    assert as_utc(by_ical[f"{slug}@example.org"].decoded("DTSTART")) == start
    if end:
        assert as_utc(by_vobject[f"{slug}@example.org"].dtend.value) == end


def test_zones_are_declared_and_events_keep_their_own_zone(event_site):
    data = (event_site / "events.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(data)
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/London", "America/New_York"}
    events = icalendar_events(data)
    new_york = events["2014-12-01-new-york@example.org"]["DTSTART"]
    assert new_york.params["TZID"] == "America/New_York"
    assert new_york.dt.replace(tzinfo=None) == datetime(2014, 12, 1, 18, 0)
    change = events["2014-10-25-clock-change@example.org"]
    assert change["DTSTART"].params["TZID"] == "Europe/London"
    elapsed = change.decoded("DTEND").astimezone(timezone.utc) - change.decoded("DTSTART").astimezone(timezone.utc)
    assert elapsed.total_seconds() == 6 * 3600  # 22:00 BST to 03:00 GMT: the clocks went back
    text = data.decode("utf-8")
    assert "DTSTART;TZID=Europe/London:20141025T220000\r\n" in text
    assert "DTEND;TZID=Europe/London:20141026T030000\r\n" in text


def test_all_day_event_uses_dates_with_exclusive_end(event_site):
    text = (event_site / "events.ics").read_bytes().decode("utf-8")
    assert "DTSTART;VALUE=DATE:20141103\r\n" in text
    assert "DTEND;VALUE=DATE:20141106\r\n" in text


def test_fields_a_calendar_app_shows(event_site):
    events = icalendar_events((event_site / "events.ics").read_bytes())
    workshop = events["2014-08-14-summer-workshop@example.org"]
    assert str(workshop["SUMMARY"]) == "Summer workshop"
    assert str(workshop["LOCATION"]) == "Town Hall, 1 Market Street, Manchester, M1 1AA"
    assert str(workshop["URL"]) == "https://example.org/events/2014-08-14-summer-workshop/"
    assert str(workshop["STATUS"]) == "CONFIRMED"
    description = str(workshop["DESCRIPTION"])
    assert "A past workshop with bold words and a link." in description
    assert "A second paragraph." in description
    assert not any(mark in description for mark in ("**", "<", "](", "&amp;"))
    assert workshop.decoded("DTSTAMP") == datetime(2014, 8, 1, 9, 0, tzinfo=timezone.utc)
    assert workshop.decoded("LAST-MODIFIED") == datetime(2014, 8, 1, 9, 0, tzinfo=timezone.utc)
    assert str(events["2014-10-30-cancelled@example.org"]["STATUS"]) == "CANCELLED"
    assert str(events["2014-11-20-no-end@example.org"]["SUMMARY"]) == SCRIPT_TITLE
    assert "https://meet.example.com/room" in str(events["2014-11-20-no-end@example.org"]["LOCATION"])
    # without `updated`, the stamp is the build's day (midnight in London, 23:00 UTC in BST)
    cancelled = events["2014-10-30-cancelled@example.org"]
    assert cancelled.decoded("DTSTAMP") == datetime(2014, 10, 19, 23, 0, tzinfo=timezone.utc)


def test_lines_end_in_crlf_and_fold_at_75_octets(event_site):
    data = (event_site / "events" / "2014-10-25-clock-change" / "event.ics").read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    start = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    assert lines[start + 1].startswith(b" "), "the long title should be folded"
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    assert f"\r\nSUMMARY:{LONG_TITLE.replace(',', chr(92) + ',')}\r\n" in unfolded  # RFC 5545 escapes commas
    assert str(vobject_events(data)["2014-10-25-clock-change@example.org"].summary.value) == LONG_TITLE


def test_rebuilds_on_the_same_day_give_the_same_bytes(make_site, build_site_at, tmp_path):
    root = make_site(EVENT_FILES)
    outputs = {}
    for now in ("2014-10-20T00:30", "2014-10-20T23:30", "2014-10-21T09:00"):
        build_site_at(root, output=tmp_path / now, now=now)
        outputs[now] = (tmp_path / now / "events.ics").read_bytes()
    assert outputs["2014-10-20T00:30"] == outputs["2014-10-20T23:30"]
    assert outputs["2014-10-21T09:00"] != outputs["2014-10-20T00:30"]  # the day's stamp moves on
    stable = icalendar_events(outputs["2014-10-21T09:00"])["2014-08-14-summer-workshop@example.org"]
    assert stable.decoded("DTSTAMP") == datetime(2014, 8, 1, 9, 0, tzinfo=timezone.utc)


def test_events_page_offers_a_webcal_subscription(event_site):
    doc = html5lib.parse((event_site / "events" / "index.html").read_bytes(), namespaceHTMLElements=False)
    hrefs = {a.get("href") for a in doc.iter("a")}
    assert "webcal://example.org/events.ics" in hrefs
    assert "/events.ics" in hrefs


def test_real_site_calendars_agree_with_each_other(real_site):
    programme = (real_site / "events.ics").read_bytes()
    by_ical, by_vobject = icalendar_events(programme), vobject_events(programme)
    pages = sorted(p.parent.name for p in (real_site / "events").glob("*/event.ics"))
    assert pages and sorted(uid.split("@")[0] for uid in by_ical) == pages
    assert all(uid.endswith("@i-network.org.uk") for uid in by_ical)
    for slug in pages:
        single = (real_site / "events" / slug / "event.ics").read_bytes()
        one_ical, one_vobject = icalendar_events(single), vobject_events(single)
        uid = f"{slug}@i-network.org.uk"
        assert as_utc(one_ical[uid].decoded("DTSTART")) == as_utc(by_ical[uid].decoded("DTSTART"))
        assert as_utc(one_vobject[uid].dtstart.value) == as_utc(by_vobject[uid].dtstart.value)
        assert str(one_ical[uid]["URL"]) == f"https://i-network.org.uk/local-rethink/events/{slug}/"


def test_output_does_not_depend_on_the_hash_seed(make_site, tmp_path):
    """Separate processes with different PYTHONHASHSEEDs must write the same calendar bytes."""
    import os
    import subprocess
    import sys

    root = make_site(EVENT_FILES)
    results = []
    for seed in ("0", "1"):  # these two seeds order a two-zone set differently
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "reThink_site", "build", "--now", EVENT_SITE_NOW, "--output", str(out),
                        "--no-search"], cwd=root, env=env, check=True, capture_output=True)
        results.append((out / "events.ics").read_bytes())
    assert results[0] == results[1]
