"""The month-grid pages, read with html5lib: right month, every day of an event, full navigation."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def grid(doc):
    tables = [t for t in doc.iter("table") if "calendar" in (t.get("class") or "").split()]
    assert len(tables) == 1
    return tables[0]


def caption(doc) -> str:
    return text(grid(doc).find("caption"))


def cells(doc) -> dict[str, object]:
    """Day cells by ISO date."""
    found = {}
    for td in grid(doc).iter("td"):
        stamp = td.find("time")
        if stamp is not None:
            found[stamp.get("datetime")] = td
    return found


def titles_on(doc, day: str) -> list[str]:
    return [text(a) for a in cells(doc)[day].iter("a")]


def test_calendar_opens_at_the_next_upcoming_event_with_today_marked(event_site):
    out = event_site
    doc = parse(out / "events" / "calendar" / "index.html")
    assert caption(doc).startswith("October 2014")
    today = [td for td in grid(doc).iter("td") if "today" in (td.get("class") or "").split()]
    assert [td.find("time").get("datetime") for td in today] == ["2014-10-20"]
    assert today[0].get("aria-current") == "date"


@pytest.mark.parametrize("now, month", [("2015-06-01T12:00", "January 2015"),   # nothing upcoming: latest
                                        ("2014-11-04T12:00", "November 2014"),  # during the conference
                                        ("2014-07-01T12:00", "August 2014")])
def test_calendar_opening_month_follows_now(build_event_site, now, month):
    doc = parse(build_event_site(now) / "events" / "calendar" / "index.html")
    assert caption(doc).startswith(month)


def test_grid_is_a_real_table_with_headers(event_site):
    doc = parse(event_site / "events" / "calendar" / "2014" / "11" / "index.html")
    table = grid(doc)
    headers = [th for th in table.iter("th")]
    assert [th.get("scope") for th in headers] == ["col"] * 7
    assert text(headers[0]) == "Mon" and text(headers[6]) == "Sun"
    assert all(len(row.findall("td")) == 7 for row in table.find("tbody").findall("tr"))
    # November 2014 starts on a Saturday: five empty cells before it
    first_row = table.find("tbody").find("tr").findall("td")
    assert [td.get("class") for td in first_row[:5]] == ["empty"] * 5


def test_multi_day_events_appear_on_each_of_their_days(event_site):
    out = event_site
    november = parse(out / "events" / "calendar" / "2014" / "11" / "index.html")
    for day in ("2014-11-03", "2014-11-04", "2014-11-05"):
        assert titles_on(november, day) == ["Three-day conference"], day
        assert "has-events" in cells(november)[day].get("class")
    for day in ("2014-11-02", "2014-11-06"):
        assert titles_on(november, day) == []
    october = parse(out / "events" / "calendar" / "2014" / "10" / "index.html")
    change = "Réunion über die Zukunft"
    assert [t[:len(change)] for t in titles_on(october, "2014-10-25")] == [change]
    assert [t[:len(change)] for t in titles_on(october, "2014-10-26")] == [change]
    assert "10pm" in text(cells(october)["2014-10-25"])  # the site's own zone goes unnamed
    assert titles_on(october, "2014-10-27") == []


def test_days_are_in_the_site_zone(event_site):
    december = parse(event_site / "events" / "calendar" / "2014" / "12" / "index.html")
    # 18:00–20:00 in New York is 23:00–01:00 in London: two London days
    assert titles_on(december, "2014-12-01") == ["Evening in New York"]
    assert titles_on(december, "2014-12-02") == ["Evening in New York"]
    assert "11pm" in text(cells(december)["2014-12-01"])


def test_cancelled_event_is_struck_through_and_says_so(event_site):
    october = parse(event_site / "events" / "calendar" / "2014" / "10" / "index.html")
    item = next(li for li in cells(october)["2014-10-30"].iter("li"))
    assert "cancelled" in item.get("class").split()
    assert "Cancelled" in text(item).replace("Cancelled briefing", "")


def test_navigation_reaches_every_month_and_both_ends(event_site):
    out = event_site
    root = out / "events" / "calendar"
    pages = sorted(str(p.parent.relative_to(root)) for p in root.glob("*/*/index.html"))
    expected = ["2014/08", "2014/10", "2014/11", "2014/12", "2015/01"]
    assert pages == expected  # September has no events, so no page: August's "next" is October

    def rel_link(month: str, rel: str):
        doc = parse(root / month / "index.html")
        links = [a.get("href") for a in doc.iter("a") if a.get("rel") == rel]
        assert len(links) <= 1
        return links[0].removeprefix("/events/calendar/").rstrip("/") if links else None

    forward, month = [], "2014/08"
    while month is not None:
        forward.append(month)
        month = rel_link(month, "next")
    assert forward == expected
    backward, month = [], "2015/01"
    while month is not None:
        backward.append(month)
        month = rel_link(month, "prev")
    assert backward == expected[::-1]
    december = parse(root / "2014" / "12" / "index.html")
    hrefs = {a.get("href") for a in december.iter("a")}
    assert {"/events/calendar/2014/08/", "/events/calendar/2015/01/"} <= hrefs  # first and last months


def test_real_site_calendar_links_every_event(real_site):
    root = real_site / "events" / "calendar"
    doc = parse(root / "index.html")
    assert caption(doc).startswith("February 2015")  # now (10 March 2015) is after every event: the latest month
    linked = set()
    for page in root.glob("*/*/index.html"):
        for a in grid(parse(page)).iter("a"):
            linked.add(a.get("href"))
    events = {f"/local-rethink/events/{p.parent.name}/" for p in (real_site / "events").glob("*/event.ics")}
    assert events and events <= linked
