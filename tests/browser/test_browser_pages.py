"""Every kind of page, as readers see it on a phone and a desktop: clean load, no sideways scroll, axe."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "events": "/events/",
    "calendar": "/events/calendar/",
    "event": "/events/2014-06-20-using-public-assets/",
    "summary": "/summaries/delivering-with-communities-sefton/",
    "insight": "/insights/what-is-local-rethink/",
    "newsletter": "/newsletter/",
    "newsletter-issue": "/newsletter/2015-02-02-february-2015/",
    "accessibility": "/accessibility/",
    "privacy": "/privacy/",
    "search": "/search/",
    "not-found": "/no-such-page/",
}


def settle(page, name: str) -> None:
    """Wait until scripts have done their work: the search page mounts Pagefind's box."""
    if name == "search":
        page.locator("#search input").wait_for()


def status_of(name: str) -> int:
    """The 404 page is served with its status; every other page with 200."""
    return 404 if name == "not-found" else 200


def layout_problems(page, name: str, width: str) -> list[str]:
    """Sideways scrolling and a main heading outside the first screen."""
    found = []
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        found.append(f"scrolls sideways at {inner_width}px: the page is {scroll_width}px wide")
    heading = page.locator("h1")
    if heading.count() != 1 or not heading.is_visible():
        return found + [f"{heading.count()} h1 elements, or the h1 is hidden"]
    box = heading.bounding_box()
    if box is None or box["y"] < 0 or box["y"] + box["height"] > page.viewport_size["height"]:
        found.append(f"the h1 is not in the first screen at {width} width: {box}")
    return found


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_is_clean_fits_the_screen_and_passes_axe(open_page, serious_violations, name, width):
    page, problems = open_page(PAGES[name], width, expect_status=status_of(name))
    settle(page, name)
    found = layout_problems(page, name, width) + serious_violations(page)
    found += [f"console error: {e}" for e in problems.console_errors]
    found += [f"failed request: {r}" for r in problems.failed_requests]
    assert found == [], f"{name} at {width} width"
