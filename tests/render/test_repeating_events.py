"""Repeating events (tests/sites/repeating/): the dates our pages list are the ones independent parsers of
our .ics expand (icalendar with recurring-ical-events, and vobject's rruleset), in UTC, across the spring and
autumn clock changes in Europe/London, with an excepted date and a moved one."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import html5lib
import icalendar
import pytest
import recurring_ical_events
import vobject

from reThink_site.build import BuildOptions, build
from tests.helpers import TESTS

FIXTURE = TESTS / "sites" / "repeating"
NOW = "2027-06-01T12:00"  # some dates of each repeating event are past, the forum's later ones to come
FORUM = "2027-01-12-monthly-forum"
CALL = "2027-03-18-fortnightly-call"
DROP_IN = "2027-02-01-drop-in-day"
REPEATING = (FORUM, CALL, DROP_IN)

# Worked out by hand from the fixture: 10am on the second Tuesday is 10:00 UTC in winter (GMT) and 09:00 UTC
# in summer (BST, 28 March to 31 October 2027); 10 August is excepted; 13 April moved to 14 April at 2pm BST.
FORUM_UTC = ["2027-01-12T10:00:00+00:00", "2027-02-09T10:00:00+00:00", "2027-03-09T10:00:00+00:00",
             "2027-04-14T13:00:00+00:00", "2027-05-11T09:00:00+00:00", "2027-06-08T09:00:00+00:00",
             "2027-07-13T09:00:00+00:00", "2027-09-14T09:00:00+00:00", "2027-10-12T09:00:00+00:00",
             "2027-11-09T10:00:00+00:00", "2027-12-14T10:00:00+00:00"]
CALL_UTC = ["2027-03-18T16:00:00+00:00", "2027-04-01T15:00:00+00:00", "2027-04-15T15:00:00+00:00",
            "2027-04-29T15:00:00+00:00", "2027-05-13T15:00:00+00:00", "2027-05-27T15:00:00+00:00"]
DROP_IN_DAYS = ["2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture site built once at NOW: its output folder."""
    out = tmp_path_factory.mktemp("repeating") / "out"
    build(BuildOptions(project=FIXTURE, output=out, now=NOW, jobs=1, search=False, cache=False))
    return out


def page(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def utc(value) -> str:
    """A start as comparable text: a date stays a date, a date-time becomes UTC (never floating)."""
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "floating time"
        return value.astimezone(timezone.utc).isoformat()
    return value.isoformat()


def listed_on_page(site: Path, slug: str) -> list[str]:
    """The dates the event's own page lists (next and past), from their <time datetime>, in UTC, in order."""
    doc = page(site / "events" / slug / "index.html")
    found = []
    for item in doc.iterfind(".//section[@class='event__dates']//li/time"):
        value = item.get("datetime")
        found.append(utc(datetime.fromisoformat(value)) if "T" in value else value)
    return sorted(found)


def by_recurring_ical_events(site: Path, slug: str) -> list[str]:
    cal = icalendar.Calendar.from_ical((site / "events" / slug / "event.ics").read_bytes())
    return sorted(utc(ev.decoded("DTSTART")) for ev in recurring_ical_events.of(cal).between((2026, 1, 1),
                                                                                             (2029, 1, 1)))


def by_vobject(site: Path, slug: str) -> list[str]:
    """vobject's rruleset of the master less its EXDATEs, each RECURRENCE-ID replaced by its override.

    vobject gives each date the DTSTART's pytz zone without normalising it (so all carry GMT's offset);
    its wall-clock times, which RFC 5545 defines, are read here in the TZID's zone.
    """
    cal = vobject.readOne((site / "events" / slug / "event.ics").read_text(encoding="utf-8"))
    masters = [ev for ev in cal.vevent_list if not hasattr(ev, "recurrence_id")]
    assert len(masters) == 1
    master = masters[0]
    first = master.dtstart.value
    if not isinstance(first, datetime):  # all-day: the rule makes midnights; the dates are what count
        skipped = {d for line in master.contents.get("exdate", []) for d in line.value}
        return sorted(s.date().isoformat() for s in master.getrruleset() if s.date() not in skipped)
    zone = ZoneInfo(master.dtstart.params["X-VOBJ-ORIGINAL-TZID"][0])  # vobject moves TZID there

    def instant(value: datetime) -> str:
        return utc(value.replace(tzinfo=None).replace(tzinfo=zone))

    skipped = {instant(d) for line in master.contents.get("exdate", []) for d in line.value}
    overrides = {instant(ev.recurrence_id.value): instant(ev.dtstart.value) for ev in cal.vevent_list
                 if hasattr(ev, "recurrence_id")}
    starts = [instant(s) for s in master.getrruleset()]
    return sorted(overrides.get(s, s) for s in starts if s not in skipped)


@pytest.mark.parametrize("slug, expected", [(FORUM, FORUM_UTC), (CALL, CALL_UTC), (DROP_IN, DROP_IN_DAYS)])
def test_page_dates_are_the_instants_both_parsers_expand(site, slug, expected):
    assert listed_on_page(site, slug) == expected
    assert by_recurring_ical_events(site, slug) == expected
    assert by_vobject(site, slug) == expected


def test_one_vevent_with_rrule_exdate_and_a_recurrence_id_override(site):
    cal = icalendar.Calendar.from_ical((site / "events" / FORUM / "event.ics").read_bytes())
    events = cal.walk("VEVENT")
    master = [ev for ev in events if "RECURRENCE-ID" not in ev]
    moved = [ev for ev in events if "RECURRENCE-ID" in ev]
    assert len(master) == 1 and len(moved) == 1
    assert {str(ev["UID"]) for ev in events} == {f"{FORUM}@example.org"}
    rule = master[0]["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["2TU"]
    assert master[0]["DTSTART"].params["TZID"] == "Europe/London"  # wall-clock time in the zone, not UTC
    assert master[0]["EXDATE"].params["TZID"] == "Europe/London"
    assert [utc(d.dt) for d in master[0]["EXDATE"].dts] == ["2027-08-10T09:00:00+00:00"]
    assert utc(moved[0].decoded("RECURRENCE-ID")) == "2027-04-13T09:00:00+00:00"
    assert utc(moved[0].decoded("DTSTART")) == "2027-04-14T13:00:00+00:00"
    assert utc(moved[0].decoded("DTEND")) == "2027-04-14T15:00:00+00:00"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_the_programme_holds_the_rule_not_one_vevent_per_date(site):
    cal = icalendar.Calendar.from_ical((site / "events.ics").read_bytes())
    forum = [ev for ev in cal.walk("VEVENT") if str(ev["UID"]) == f"{FORUM}@example.org"]
    assert len(forum) == 2 and sum("RRULE" in ev for ev in forum) == 1
    everything = sorted(utc(ev.decoded("DTSTART")) for ev in recurring_ical_events.of(cal).between(
        (2026, 1, 1), (2029, 1, 1)) if str(ev["UID"]) == f"{FORUM}@example.org")
    assert everything == FORUM_UTC


def card_titles_and_times(doc, under: str) -> list[str]:
    section = doc.find(f".//section[@aria-labelledby='{under}']")
    return [time.get("datetime") for time in section.iterfind(".//time")]


def test_every_date_is_in_the_upcoming_and_past_lists(site):
    doc = page(site / "events" / "index.html")
    texts = ["".join(li.itertext()) for li in doc.iterfind(".//section[@aria-labelledby='upcoming-events']//li")]
    forum_upcoming = [t for t in texts if "Monthly practitioners" in t]
    assert len(forum_upcoming) == 6  # 8 June, 13 July, 14 September, 12 October, 9 November, 14 December
    past = ["".join(li.itertext()) for li in doc.iterfind(".//section[@id='past-events']//li")]
    assert sum("Fortnightly digital call" in t for t in past) == 6
    assert sum("Drop-in day" in t for t in past) == 4
    assert any("Wednesday 14 April 2027" in t and "Monthly practitioners" in t for t in past)
    assert not any("Tuesday 13 April 2027" in t for t in texts + past)  # moved away
    assert not any("10 August 2027" in t for t in texts + past)  # excepted


def test_home_page_shows_the_next_dates(site):
    doc = page(site / "index.html")
    text = " ".join("".join(a.itertext()) for a in doc.iterfind(".//article"))
    assert "Tuesday 8 June 2027" in text and "Tuesday 13 July 2027" in text


def month_days(site: Path, year: int, month: int) -> dict[int, list[str]]:
    doc = page(site / "events" / "calendar" / f"{year}" / f"{month:02d}" / "index.html")
    found: dict[int, list[str]] = {}
    for cell in doc.iterfind(".//td"):
        links = ["".join(a.itertext()).strip() for a in cell.iterfind(".//a")]
        number = cell.find(".//time")
        if links and number is not None:
            found[int(number.get("datetime")[-2:])] = links
    return found


def test_month_grid_places_each_date_moved_and_excepted_ones_too(site):
    april = month_days(site, 2027, 4)
    assert any("Monthly practitioners" in t for t in april[14]) and not any(
        "Monthly practitioners" in t for t in april.get(13, []))
    assert {d for d, links in april.items() if any("Fortnightly" in t for t in links)} == {1, 15, 29}
    # August's only date is excepted, and a month with no events has no page: July's "next" skips to September
    assert not (site / "events" / "calendar" / "2027" / "08" / "index.html").exists()
    july = page(site / "events" / "calendar" / "2027" / "07" / "index.html")
    assert [a.get("href") for a in july.iterfind(".//a[@rel='next']")] == ["/events/calendar/2027/09/"]
    october = month_days(site, 2027, 10)
    assert any("Monthly practitioners" in t for t in october[12])


def test_newsletter_coming_up_lists_each_date_in_its_window(site):
    doc = page(site / "newsletter" / "2027-06-01-june" / "index.html")
    text = " ".join("".join(doc.itertext()).split())
    assert "Tuesday 8 June 2027" in text and "Tuesday 13 July 2027" in text
    assert "14 September 2027" not in text  # after the 60 days of Coming up


def test_event_page_says_the_rule_and_shows_the_next_date(site):
    doc = page(site / "events" / FORUM / "index.html")
    repeats = "".join(doc.find(".//dd[@class='event__repeats']").itertext())
    assert "Every month on the second Tuesday, until Friday 31 December 2027" in repeats
    facts = " ".join("".join(doc.find(".//dl[@class='event__facts']").itertext()).split())
    assert "Tuesday 8 June 2027, 10am to midday" in facts
    past = doc.iterfind(".//ul[@class='date-list date-list--past']/li")
    moved = [" ".join("".join(li.itertext()).split()) for li in past]
    assert "Wednesday 14 April 2027, 2pm to 4pm (moved from Tuesday 13 April 2027)" in moved
    assert moved[0].startswith("Tuesday 11 May 2027")  # latest past date first


def test_the_rule_is_written_in_the_pages_language(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    yaml = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(yaml + "language: cy\n", encoding="utf-8")
    build(BuildOptions(project=root, output=root / "out", now=NOW, jobs=1, search=False, cache=False))
    rules = {}
    for slug in REPEATING:
        doc = page(root / "out" / "events" / slug / "index.html")
        rules[slug] = " ".join("".join(doc.find(".//dd[@class='event__repeats']").itertext()).split())
    assert rules[FORUM].startswith("Bob mis, ar yr ail Dydd Mawrth, tan Dydd Gwener 31 Rhagfyr 2027")
    assert rules[CALL].startswith("Bob pythefnos: Dydd Iau, tan Dydd Iau 27 Mai 2027")  # count: names its last date
    assert rules[DROP_IN].startswith("Bob mis, ar ddiwrnod 1 o’r mis, tan Dydd Sadwrn 1 Mai 2027")
