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
    "search": "/search/",
    "not-found": "/no-such-page/",
}
BLOCKING_IMPACTS = ("serious", "critical")


def settle(page, name: str) -> None:
    """Wait until scripts have done their work: the search page mounts Pagefind's box."""
    if name == "search":
        page.locator("#search input").wait_for()


def status_of(name: str) -> int:
    """The 404 page is served with its status; every other page with 200."""
    return 404 if name == "not-found" else 200


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_fits(open_page, name, width):
    page, problems = open_page(PAGES[name], width, expect_status=status_of(name))
    settle(page, name)
    assert problems.console_errors == [], f"{name}: console errors"
    assert problems.failed_requests == [], f"{name}: failed requests"
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{name} scrolls sideways at {inner_width}px: {scroll_width}px wide"
    heading = page.locator("h1")
    assert heading.count() == 1
    assert heading.is_visible()
    box = heading.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], (
        f"{name}: the h1 is not in the first screen at {width} width: {box}")


def serious_violations(page, axe_source) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violations(open_page, axe_source, name, width):
    page, _ = open_page(PAGES[name], width, expect_status=status_of(name))
    settle(page, name)
    assert serious_violations(page, axe_source) == []
