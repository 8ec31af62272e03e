"""Events the way councils run them: venues, access, hybrid, changed plans and booking, read back by real parsers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import extruct
import html5lib
import icalendar
import ics
import pytest
import vobject

from tests.helpers import (
    COUNCIL_FILES,
    COUNCIL_SITE_YAML,
    google_event_errors,
    google_event_warnings,
    libical_itip_problems,
)

SCHEMA = "https://schema.org/"
HOST = "example.org"


def event_data(output: Path, slug: str) -> dict:
    page = output / "events" / slug / "index.html"
    found = extruct.extract(page.read_text(encoding="utf-8"), base_url="https://example.org/",
                            syntaxes=["json-ld"], uniform=False)["json-ld"]
    events = [item for item in found if item.get("@type") == "Event"]
    assert len(events) == 1, found
    return events[0]


def page(output: Path, path: str):
    return html5lib.parse((output / path / "index.html").read_bytes(), namespaceHTMLElements=False)


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def main_text(output: Path, path: str) -> str:
    return words(page(output, path).find(".//main"))


def ics_events(output: Path, slug: str):
    """The one VEVENT of an event's .ics as icalendar, vobject and ics.py read it."""
    data = (output / "events" / slug / "event.ics").read_bytes()
    by_icalendar = icalendar.Calendar.from_ical(data).walk("VEVENT")
    # vobject keeps the first VTIMEZONE it ever read for a TZID, process-wide: forget those other tests read
    # (each covers only its own events' years), so this file is read with its own
    zones = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [key for key in zones if key != "UTC"]:
        del zones[tzid]
    by_vobject = vobject.readOne(data.decode("utf-8")).vevent_list
    by_ics = list(ics.Calendar(data.decode("utf-8")).events)
    assert len(by_icalendar) == len(by_vobject) == len(by_ics) == 1
    return by_icalendar[0], by_vobject[0], by_ics[0]


def utc(value) -> datetime:
    value = getattr(value, "datetime", value)  # ics.py gives Arrow objects
    assert value.tzinfo is not None
    return value.astimezone(timezone.utc)


# JSON-LD --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", sorted(s.rsplit("/", 1)[-1][:-3] for s in COUNCIL_FILES if s.endswith(".md")))
def test_every_council_event_meets_googles_required_and_recommended_properties(council_sites, slug):
    data = event_data(council_sites["before"], slug)
    assert google_event_errors(data) == []
    recommended = google_event_warnings(data)
    if slug == "2015-03-05-hybrid-forum":
        assert recommended == []
    assert "missing organizer" not in recommended


def test_a_venue_by_id_gives_a_full_place_with_its_access(council_sites):
    data = event_data(council_sites["before"], "2015-04-02-full-house")
    place = data["location"]
    assert place["@type"] == "Place" and place["name"] == "Eastmoor Community Centre"
    assert place["address"] == {"@type": "PostalAddress", "streetAddress": "4 Mill Lane",
                                "addressLocality": "Eastmoor", "postalCode": "EX4 1AB"}
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 50.7236, "longitude": -3.5275}
    assert place["url"] == "https://eastmoor.example.org/"
    features = {f["name"]: f["value"] for f in place["amenityFeature"]}
    assert features["Step-free access"] is True and features["No hearing loop"] is False
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"


def test_a_place_written_as_one_line_keeps_its_address(council_sites):
    place = event_data(council_sites["before"], "2015-03-29-clock-change")["location"]
    assert place["name"] == "Eastmoor Community Centre"
    assert place["address"] == {"@type": "PostalAddress", "streetAddress": "4 Mill Lane, Eastmoor"}


def test_hybrid_event_is_mixed_with_a_place_and_a_virtual_location(council_sites):
    data = event_data(council_sites["before"], "2015-03-05-hybrid-forum")
    assert data["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["address"]["postalCode"] == "EX4 1AB"
    assert virtual == {"@type": "VirtualLocation", "url": "https://meet.example.com/forum"}
    features = {f["name"]: f["value"] for f in place["amenityFeature"]}
    assert features["Hearing loop"] is True  # the event's own access details win over the venue's "no"
    assert features["British Sign Language (BSL) interpretation"] is True
    assert data["maximumAttendeeCapacity"] == 40


def test_rescheduled_and_moved_online_states(council_sites):
    moved = event_data(council_sites["before"], "2015-03-12-moved-briefing")
    assert moved["eventStatus"] == SCHEMA + "EventRescheduled"
    assert moved["previousStartDate"] == "2015-03-10T12:00:00+00:00"
    assert moved["startDate"] == "2015-03-12T12:00:00+00:00"
    online = event_data(council_sites["before"], "2015-03-19-online-now")
    assert online["eventStatus"] == SCHEMA + "EventMovedOnline"
    assert online["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.com/now"}


def test_offers_say_availability_and_a_price_only_when_it_is_a_number(council_sites):
    forum = event_data(council_sites["before"], "2015-03-05-hybrid-forum")["offers"]
    assert forum["description"] == "Free to iNetwork members"
    assert "price" not in forum  # free to members only: never price 0, which means free for everyone
    assert forum["availability"] == SCHEMA + "InStock"
    assert forum["validFrom"] == "2015-02-01T09:00:00+00:00"
    assert forum["validThrough"] == "2015-03-02T17:00:00+00:00"
    briefing = event_data(council_sites["before"], "2015-03-12-moved-briefing")["offers"]
    assert (briefing["price"], briefing["priceCurrency"]) == ("10", "GBP")
    assert briefing["availability"] == SCHEMA + "SoldOut"  # a waiting list: no places left
    full = event_data(council_sites["before"], "2015-04-02-full-house")["offers"]
    assert full["availability"] == SCHEMA + "SoldOut"


def test_booking_state_before_and_after_booking_closes(council_sites):
    before = page(council_sites["before"], "events/2015-03-05-hybrid-forum")
    after = page(council_sites["after"], "events/2015-03-05-hybrid-forum")
    registers = lambda doc: [a for a in doc.iter("a") if "button--register" in (a.get("class") or "")]  # noqa: E731
    assert "Booking closes at 5pm GMT on Monday 2 March 2015." in words(before.find(".//main"))
    assert [a.get("href") for a in registers(before)] == ["https://tickets.example.com/forum"]
    assert "Booking has closed." in words(after.find(".//main"))
    assert registers(after) == []
    assert "Booking closes at" not in words(after.find(".//main"))
    closed = event_data(council_sites["after"], "2015-03-05-hybrid-forum")["offers"]
    assert closed["availability"] == SCHEMA + "SoldOut"
    waiting = page(council_sites["before"], "events/2015-03-12-moved-briefing")
    assert [words(a) for a in registers(waiting)] == ["Join the waiting list for Moved briefing"]
    full = page(council_sites["before"], "events/2015-04-02-full-house")
    assert registers(full) == [] and "fully booked" in words(full.find(".//main"))


SITES = {"real": None, "events": "EVENT_FILES", "golden fixture": "basic", "council": "COUNCIL_FILES"}


@pytest.mark.parametrize("name", sorted(SITES))
def test_every_event_with_a_place_or_link_passes_google_and_the_rest_are_warned_about(name, tmp_path):
    """The issue's "done when": no JSON-LD error where the content gives a place or link; `check` warns otherwise."""
    from reThink_site.build import BuildOptions, build
    from tests import helpers

    if name == "real":
        root = helpers.REPO
    elif name == "golden fixture":
        root = helpers.TESTS / "sites" / "basic"
    else:
        files = getattr(helpers, SITES[name])
        root = helpers.write_site(tmp_path / "site", files,
                                  COUNCIL_SITE_YAML if name == "council" else helpers.MINIMAL_SITE_YAML)
    out = tmp_path / "out"
    report = build(BuildOptions(project=root, output=out, now=helpers.PINNED_NOW, jobs=1, search=False, cache=False))
    warned = {p.path.rsplit("/", 1)[-1][:-3] for p in report.warnings if p.field == "location"}
    pages = sorted((out / "events").glob("*/index.html"))
    assert pages
    for index in pages:
        slug = index.parent.name
        if not slug[:4].isdigit():
            continue  # the calendar pages
        errors = google_event_errors(event_data(out, slug))
        if slug in warned:
            assert errors and all("location" in e or "VirtualLocation" in e for e in errors), (slug, errors)
        else:
            assert errors == [], slug


# Event pages ----------------------------------------------------------------------------------------------

def test_access_section_lists_the_venues_details_under_the_events_own(council_sites):
    doc = page(council_sites["before"], "events/2015-03-05-hybrid-forum")
    section = next(s for s in doc.iter("section") if s.get("aria-labelledby") == "event-access")
    assert words(section.find("h2")) == "Access"
    items = {li.get("data-feature"): words(li) for li in section.iter("li")}
    assert items == {"step_free": "Step-free access", "accessible_toilet": "Accessible toilet",
                     "hearing_loop": "Hearing loop", "bsl": "British Sign Language (BSL) interpretation",
                     "captions": "Live captions", "parking": "Parking: 2 Blue Badge spaces by the main door",
                     "dietary": "Dietary needs catered for on request"}
    contact = next(a for a in section.iter("a"))
    assert contact.get("href") == "mailto:access@eastmoor.example.org"


def test_hybrid_page_says_in_person_at_and_join_online(council_sites):
    doc = page(council_sites["before"], "events/2015-03-05-hybrid-forum")
    where = next(dd for dd in doc.iter("dd") if "event__where" in (dd.get("class") or ""))
    text = words(where)
    assert text.startswith("In person at Eastmoor Community Centre")
    assert "Join online" in text
    links = {words(a): a.get("href") for a in where.iter("a")}
    assert links["joining link"] == "https://meet.example.com/forum"
    assert links["About this venue"] == "/venues/eastmoor-centre/"
    assert links["Map (OpenStreetMap)"].startswith("https://www.openstreetmap.org/?mlat=50.72360&mlon=-3.52750")
    assert "About the venue" not in text  # a join link is never shown as the venue's page


def test_changed_plans_are_said_on_the_page(council_sites):
    moved = main_text(council_sites["before"], "events/2015-03-12-moved-briefing")
    assert "Rescheduled. This event has moved from Tuesday 10 March 2015, midday" in moved
    assert "Thursday 12 March 2015, midday to 1:30pm" in moved
    online = main_text(council_sites["before"], "events/2015-03-19-online-now")
    assert "Moved online." in online and "In person at" not in online


def test_times_are_in_uk_public_sector_style_and_24_hour_when_asked(council_sites, make_site, build_site_at):
    assert "Thursday 2 April 2015, 6pm" in main_text(council_sites["before"], "events/2015-04-02-full-house")
    assert "GMT" not in main_text(council_sites["before"], "events/2015-04-02-full-house")  # the site's own zone
    night = main_text(council_sites["before"], "events/2015-03-29-clock-change")
    assert "Sunday 29 March 2015, 12:30am to 3am" in night
    site = make_site(COUNCIL_FILES, COUNCIL_SITE_YAML.replace("events:\n", "events:\n  clock: 24-hour\n"))
    build_site_at(site, now="2015-02-20T09:00", cache=False)
    assert "Thursday 12 March 2015, 12:00 to 13:30" in main_text(site / "output", "events/2015-03-12-moved-briefing")


def test_add_to_calendar_offers_outlook_for_work_or_school_with_access_and_join_link(council_sites):
    doc = page(council_sites["before"], "events/2015-03-05-hybrid-forum")
    links = {words(a): a.get("href") for a in doc.iter("a") if (a.get("rel") or "") == "nofollow"}
    office = urlsplit(links["Add to Outlook (work or school account)"])
    assert office.netloc == "outlook.office.com"
    assert urlsplit(links["Add to Outlook.com"]).netloc == "outlook.live.com"
    body = parse_qs(office.query)["body"][0]
    assert "Join online: https://meet.example.com/forum" in body
    assert "- Step-free access" in body and "Access questions: access@eastmoor.example.org" in body
    google = parse_qs(urlsplit(links["Add to Google Calendar"]).query)
    assert "- Hearing loop" in google["details"][0]
    no_end = parse_qs(urlsplit(next(a.get("href") for a in page(council_sites["before"], "events/2015-04-02-full-house")
                                    .iter("a") if words(a) == "Add to Google Calendar")).query)
    assert no_end["dates"] == ["20150402T170000Z/20150402T183000Z"]  # 6pm BST, and default_duration: 90 minutes


def test_venue_page_has_address_map_access_and_its_events(council_sites):
    doc = page(council_sites["after"], "venues/eastmoor-centre")
    main = doc.find(".//main")
    assert words(main.find(".//h1")) == "Eastmoor Community Centre"
    lines = [line.strip() for line in main.find(".//address").itertext()]
    assert lines == ["Eastmoor Community Centre", "4 Mill Lane", "Eastmoor", "EX4 1AB"]
    hrefs = [a.get("href") for a in main.iter("a")]
    assert any(h.startswith("https://www.openstreetmap.org/?mlat=50.72360") for h in hrefs)
    assert not [s for s in doc.iter("script") if s.get("src") and "openstreetmap" in s.get("src")]
    assert "No hearing loop" in words(main)
    upcoming = next(s for s in main.iter("section") if s.get("aria-labelledby") == "venue-upcoming")
    titles = [words(h) for h in upcoming.iter("h3")]
    # the one-line place and the one given as a mapping name no venue, so they are not listed
    assert titles == ["Hybrid forum", "Moved briefing", "Full house"]


# Calendar files -------------------------------------------------------------------------------------------

def test_three_parsers_agree_on_times_organizer_and_end_across_the_clock_change(council_sites):
    night, night_v, night_ics = ics_events(council_sites["before"], "2015-03-29-clock-change")
    expected = (datetime(2015, 3, 29, 0, 30, tzinfo=timezone.utc), datetime(2015, 3, 29, 2, 0, tzinfo=timezone.utc))
    assert (utc(night.decoded("DTSTART")), utc(night.decoded("DTEND"))) == expected  # 00:30 GMT to 03:00 BST
    assert (utc(night_v.dtstart.value), utc(night_v.dtend.value)) == expected
    assert (utc(night_ics.begin), utc(night_ics.end)) == expected
    full, full_v, full_ics = ics_events(council_sites["before"], "2015-04-02-full-house")
    start = datetime(2015, 4, 2, 17, 0, tzinfo=timezone.utc)  # 6pm BST
    for begin, end in ((full.decoded("DTSTART"), full.decoded("DTEND")), (full_v.dtstart.value, full_v.dtend.value),
                       (full_ics.begin, full_ics.end)):
        assert (utc(begin), utc(end)) == (start, start + timedelta(minutes=90))  # no end: default_duration
    for component in (night, full):
        assert str(component["ORGANIZER"]) == "mailto:events@example.org"
        assert component["ORGANIZER"].params["CN"] == "Council reThink"
    assert full_v.organizer.value == "mailto:events@example.org"
    assert full_ics.organizer.email == "events@example.org"


def test_changed_plans_bump_sequence_and_set_status(council_sites):
    moved, moved_v, _ = ics_events(council_sites["before"], "2015-03-12-moved-briefing")
    online, _, online_ics = ics_events(council_sites["before"], "2015-03-19-online-now")
    forum, _, _ = ics_events(council_sites["before"], "2015-03-05-hybrid-forum")
    assert (int(moved["SEQUENCE"]), int(online["SEQUENCE"]), int(forum["SEQUENCE"])) == (2, 1, 0)
    assert moved_v.sequence.value == "2"
    assert str(moved["STATUS"]) == str(online["STATUS"]) == "CONFIRMED"
    assert online_ics.location == "Online: https://meet.example.com/now"
    assert str(forum["ORGANIZER"].params["CN"]) == "Eastmoor Council"


def test_ics_description_carries_join_link_booking_and_access(council_sites):
    forum, forum_v, forum_ics = ics_events(council_sites["before"], "2015-03-05-hybrid-forum")
    for text in (str(forum["DESCRIPTION"]), forum_v.description.value, forum_ics.description):
        assert "Join online: https://meet.example.com/forum" in text
        assert "Booking closes at 5pm GMT on Monday 2 March 2015" in text
        assert "- British Sign Language (BSL) interpretation" in text
        assert "Access questions: access@eastmoor.example.org" in text
    assert str(forum["LOCATION"]) == ("Eastmoor Community Centre, 4 Mill Lane, Eastmoor, EX4 1AB "
                                      "and online: https://meet.example.com/forum")
    assert forum.decoded("GEO") == (50.7236, -3.5275)


def test_every_calendar_file_passes_libicals_itip_checks_for_publish(council_sites, event_site, real_site):
    files = [path for output in (council_sites["before"], event_site, real_site) for path in output.rglob("*.ics")]
    assert len(files) > 10
    assert all(b"METHOD:PUBLISH" in path.read_bytes() for path in files)
    problems = libical_itip_problems(files)
    assert {path: found for path, found in problems.items() if found} == {}


def test_libical_check_rejects_a_vevent_without_organizer(tmp_path):
    planted = tmp_path / "no-organizer.ics"
    planted.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nMETHOD:PUBLISH\r\n"
                        b"BEGIN:VEVENT\r\nUID:a@example.org\r\nDTSTAMP:20150101T000000Z\r\n"
                        b"DTSTART:20150102T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    problems = libical_itip_problems([planted])[str(planted)]
    assert any("ORGANIZER" in problem for problem in problems), problems


def test_newsletter_email_and_text_carry_access_and_join_link(make_site, build_site_at):
    files = {**COUNCIL_FILES, "content/newsletters/2015-02-20-february.md": "---\ntitle: February\ndate: 2015-02-20\n"
             "featured: [events/2015-03-05-hybrid-forum]\n---\nHello.\n"}
    site = make_site(files, COUNCIL_SITE_YAML)
    build_site_at(site, now="2015-02-20T09:00", cache=False)
    issue = site / "output" / "newsletter" / "2015-02-20-february"
    text = " ".join((issue / "email.txt").read_text(encoding="utf-8").split())  # the text is wrapped at 72
    assert "Join online: https://meet.example.com/forum" in text
    assert "Access: Step-free access; Accessible toilet; Hearing loop; British Sign Language" in text
    assert "MOVED ONLINE: Thursday 19 March 2015, 2pm GMT Online This session" in text
    mail = words(html5lib.parse((issue / "email.html").read_bytes(), namespaceHTMLElements=False))
    assert "Access: Step-free access; Accessible toilet; Hearing loop" in mail
    assert "Join online: https://meet.example.com/forum" in mail
