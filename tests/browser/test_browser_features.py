"""What readers do on the site: move through the calendar, save an event, search, print."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

pytestmark = pytest.mark.browser

EVENT = "/events/2014-06-20-using-public-assets/"
EVENT_TITLE = "Using Public Assets"


def test_calendar_next_and_previous_month_links_move_one_month(open_page, served_site):
    page, problems = open_page("/events/calendar/")
    first_caption = page.locator("table.calendar caption").inner_text()
    next_link = page.locator('a[rel="next"]').first
    next_month = next_link.inner_text().strip(" ›")
    next_link.click()
    page.wait_for_load_state("load")
    assert re.search(r"/events/calendar/\d{4}/\d{2}/$", page.url), page.url
    next_caption = page.locator("table.calendar caption").inner_text()
    assert next_caption != first_caption and next_caption.startswith(next_month), (next_month, next_caption)
    page.locator('a[rel="prev"]').first.click()
    page.wait_for_load_state("load")
    assert page.locator("table.calendar caption").inner_text() == first_caption
    assert problems.console_errors == [] and problems.failed_requests == []


def test_event_calendar_link_downloads_a_calendar_file(open_page):
    page, problems = open_page(EVENT)
    link = page.locator('a[href$="event.ics"]').first
    with page.expect_download(timeout=10_000) as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    data = Path(download.path()).read_bytes()
    events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    assert len(events) == 1
    assert EVENT_TITLE in str(events[0]["SUMMARY"])
    start = events[0].decoded("DTSTART")
    assert (start.date() if isinstance(start, datetime) else start) == date(2014, 6, 20)
    parsed = vobject.readOne(data.decode("utf-8"))
    assert EVENT_TITLE in parsed.vevent.summary.value
    assert problems.failed_requests == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_search_box_in_the_header_finds_an_event_by_speaker(open_page, serious_violations, width):
    page, problems = open_page("/", width)
    page.get_by_label("Search this site").fill("Heather McManus")
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.get_by_label("Search events, summaries and insights").input_value() == "Heather McManus"
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for()
    titles = results.locator(".pagefind-ui__result-link").all_inner_texts()
    assert EVENT_TITLE in " ".join(titles), titles
    hit = results.filter(has=page.locator(".pagefind-ui__result-link", has_text=EVENT_TITLE)).first
    tags = hit.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert "Kind: Event" in tags and "Date: 20 June 2014" in tags, f"results show kind and date: {tags}"
    assert serious_violations(page) == [], "search results must pass axe too"
    hit.locator(".pagefind-ui__result-link").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(EVENT), page.url
    assert problems.console_errors == [] and problems.failed_requests == []


def test_typing_on_the_search_page_finds_summaries_and_insights(open_page):
    page, problems = open_page("/search/")
    box = page.get_by_label("Search events, summaries and insights")
    box.fill("Sefton")
    results = page.locator(".pagefind-ui__result")
    for kind in ("Kind: Summary", "Kind: Event"):  # results are drawn one by one: wait for each kind to appear
        results.locator(".pagefind-ui__result-tag", has_text=kind).first.wait_for(timeout=15_000)
    tags = results.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert "Kind: Summary" in tags and "Kind: Event" in tags, tags
    assert problems.console_errors == [] and problems.failed_requests == []


def test_event_page_prints_without_navigation_and_with_full_link_urls(open_page, served_site):
    page, _ = open_page(EVENT)
    page.emulate_media(media="print")
    for selector in (".site-nav", ".site-search", ".skip-link", ".site-footer"):
        assert not page.locator(selector).first.is_visible(), f"{selector} should not print"
    links = page.locator("main a[href]")
    assert links.count() > 3
    for index in range(links.count()):
        link = links.nth(index)
        if not link.is_visible():
            continue
        full_url = link.evaluate("el => el.href").replace(served_site.origin, "https://i-network.org.uk")
        after = link.evaluate("el => getComputedStyle(el, '::after').content")
        assert full_url in after, f"printed link should show its full URL {full_url}: {after!r}"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
