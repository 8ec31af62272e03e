"""The theme measured in Chromium: the phone menu's height, the search page's layout shift, the e-mail's width."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

EMAIL = "/newsletter/2015-02-02-february-2015/email.html"


@pytest.fixture
def open_at(chromium, served_site):
    """Open a site path in a fresh context of the given viewport (and JavaScript on or off)."""
    contexts = []

    def _open(path: str, width: int, height: int = 800, javascript: bool = True):
        context = chromium.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(served_site.url(path), wait_until="load")
        assert response is not None and response.status == 200, path
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [320, 375, 414, 600])
def test_the_email_fits_phones_without_sideways_scrolling(open_at, width):
    page = open_at(EMAIL, width)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the e-mail is {scroll_width}px wide in a {width}px window"
    sheet = page.locator("table.sheet").bounding_box()
    assert sheet["width"] == pytest.approx(width, abs=1), "the column fills a phone's width, not shrunk"


def test_the_email_column_stops_at_600px_on_a_desktop(open_at):
    page = open_at(EMAIL, 1280)
    assert page.locator("table.sheet").bounding_box()["width"] == pytest.approx(600, abs=1)
    assert not page.locator(".preheader").is_visible()  # the preview text is for the inbox list only
