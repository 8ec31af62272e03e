"""schema.org Event JSON-LD (read with extruct) and the add-to-calendar links on event pages."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import extruct
import html5lib
import pytest

from tests.helpers import EXPECTED_UTC, SCRIPT_TITLE

SCHEMA = "https://schema.org/"


def event_data(page: Path) -> dict:
    found = extruct.extract(page.read_text(encoding="utf-8"), base_url="https://example.org/",
                            syntaxes=["json-ld"], uniform=False)["json-ld"]
    events = [item for item in found if item.get("@type") == "Event"]
    assert len(events) == 1, found
    return events[0]


def page_of(output: Path, slug: str) -> Path:
    return output / "events" / slug / "index.html"


def utc(text: str) -> str:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{text} has no offset"
    return value.astimezone(timezone.utc).isoformat()


@pytest.mark.parametrize("slug", sorted(EXPECTED_UTC))
def test_every_event_page_has_event_data_with_the_right_times(event_site, slug):
    data = event_data(page_of(event_site, slug))
    start, end = EXPECTED_UTC[slug]
    assert data["@context"].rstrip("/") in ("https://schema.org", "http://schema.org")
    assert data["url"] == f"https://example.org/events/{slug}/"
    if "T" in start:
        assert utc(data["startDate"]) == start
        assert utc(data["endDate"]) == end if end else "endDate" not in data
    else:  # all-day: dates, the end inclusive
        assert (data["startDate"], data["endDate"]) == ("2014-11-03", "2014-11-05")
    assert data["eventStatus"].startswith(SCHEMA)
    assert data["eventAttendanceMode"].startswith(SCHEMA)
    assert data["description"]


def test_times_carry_the_offset_of_the_events_own_zone(event_site):
    change = event_data(page_of(event_site, "2014-10-25-clock-change"))
    assert change["startDate"] == "2014-10-25T22:00:00+01:00"
    assert change["endDate"] == "2014-10-26T03:00:00+00:00"
    assert event_data(page_of(event_site, "2014-12-01-new-york"))["startDate"] == "2014-12-01T18:00:00-05:00"


def test_place_people_and_offers(event_site):
    data = event_data(page_of(event_site, "2014-11-03-conference"))
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Conference Centre"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["location"]["address"]["addressLocality"] == "Liverpool"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert data["image"] == ["https://example.org/assets/hall.png"]
    assert data["organizer"] == {"@type": "Organization", "name": "iNetwork"}
    assert [p["name"] for p in data["performer"]] == ["Asha Patel", "Ben Jones"]
    assert data["performer"][0]["jobTitle"] == "Director"
    assert data["offers"]["url"] == "https://tickets.example.com/conference"
    assert (data["offers"]["price"], data["offers"]["priceCurrency"]) == ("25", "GBP")
    workshop = event_data(page_of(event_site, "2014-08-14-summer-workshop"))
    assert workshop["location"]["address"] == {"@type": "PostalAddress", "streetAddress": "1 Market Street",
                                               "addressLocality": "Manchester", "postalCode": "M1 1AA"}


def test_online_and_cancelled_events(event_site):
    online = event_data(page_of(event_site, "2014-11-20-no-end"))
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.com/room"}
    assert online["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert online["offers"]["price"] == "0"
    assert event_data(page_of(event_site, "2014-10-30-cancelled"))["eventStatus"] == SCHEMA + "EventCancelled"
    assert event_data(page_of(event_site, "2014-08-14-summer-workshop"))["eventStatus"] == SCHEMA + "EventScheduled"


def test_content_cannot_break_out_of_the_script(event_site):
    page = page_of(event_site, "2014-11-20-no-end")
    assert event_data(page)["name"] == SCRIPT_TITLE
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    scripts = [s for s in doc.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    assert "</script>" not in scripts[0].text and "<b>" not in scripts[0].text


def add_links(page: Path) -> dict[str, dict]:
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    found = {}
    for a in doc.iter("a"):
        href = a.get("href") or ""
        if href.startswith("https://calendar.google.com/"):
            found["google"] = parse_qs(urlsplit(href).query)
        elif href.startswith("https://outlook.live.com/"):
            found["outlook"] = parse_qs(urlsplit(href).query)
        elif href.endswith("event.ics"):
            found["ics"] = href
    return found


def test_add_to_calendar_links_for_timed_events(event_site):
    links = add_links(page_of(event_site, "2014-10-25-clock-change"))
    assert links["ics"] == "/events/2014-10-25-clock-change/event.ics"
    assert links["google"]["dates"] == ["20141025T210000Z/20141026T030000Z"]
    assert links["google"]["text"][0].startswith("Réunion über")
    assert links["google"]["location"] == ["Night Café, Leeds"]
    assert (links["outlook"]["startdt"], links["outlook"]["enddt"]) == (["2014-10-25T21:00:00Z"],
                                                                          ["2014-10-26T03:00:00Z"])
    no_end = add_links(page_of(event_site, "2014-11-20-no-end"))  # one hour when there is no end
    assert no_end["google"]["dates"] == ["20141120T183000Z/20141120T193000Z"]
    assert no_end["google"]["text"] == [SCRIPT_TITLE]
    assert (no_end["outlook"]["startdt"], no_end["outlook"]["enddt"]) == (["2014-11-20T18:30:00Z"],
                                                                          ["2014-11-20T19:30:00Z"])
    new_york = add_links(page_of(event_site, "2014-12-01-new-york"))
    assert new_york["google"]["dates"] == ["20141201T230000Z/20141202T010000Z"]


def test_add_to_calendar_links_for_all_day_events(event_site):
    links = add_links(page_of(event_site, "2014-11-03-conference"))
    assert links["google"]["dates"] == ["20141103/20141106"]
    assert links["outlook"]["allday"] == ["true"]
    assert (links["outlook"]["startdt"], links["outlook"]["enddt"]) == (["2014-11-03"], ["2014-11-06"])


def test_event_pages_show_zone_abbreviations(event_site):
    def words(slug):
        doc = html5lib.parse(page_of(event_site, slug).read_bytes(), namespaceHTMLElements=False)
        return " ".join("".join(doc.find(".//main").itertext()).split())
    # the site's own zone goes unnamed, even across the clock change; another zone is named, with UK time beside
    assert "Saturday 25 October 2014, 10pm to Sunday 26 October 2014, 3am" in words("2014-10-25-clock-change")
    assert "BST" not in words("2014-10-25-clock-change")
    new_york = words("2014-12-01-new-york")
    assert "6pm to 8pm EST" in new_york and "11pm GMT" in new_york


def test_real_site_event_pages_have_event_data(real_site):
    pages = sorted((real_site / "events").glob("*/event.ics"))
    assert pages
    for ics in pages:
        data = event_data(ics.parent / "index.html")
        assert data["name"] and data["startDate"] and data["eventStatus"].startswith(SCHEMA)
        assert data["url"] == f"https://i-network.org.uk/local-rethink/events/{ics.parent.name}/"
