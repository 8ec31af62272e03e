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


LAYOUT_SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => { for (const entry of list.getEntries()) {
  if (!entry.hadRecentInput) window.__shifts.push(entry.value); } }).observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("javascript", [True, False])
def test_the_phone_menu_takes_one_line_and_opens_without_javascript(open_at, serious_violations, javascript):
    page = open_at("/", 390, 844, javascript)
    assert not page.locator(".site-nav").is_visible()  # the desktop menu gives way to the button
    menu = page.locator(".site-menu")
    box = menu.bounding_box()
    title = page.locator(".site-title").bounding_box()
    assert box["height"] <= 48, f"the closed menu is {box['height']}px tall"
    assert abs((box["y"] + box["height"] / 2) - (title["y"] + title["height"] / 2)) < 8, "beside the logo"
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    assert not links.first.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert links.first.is_visible() and "Events" in links.all_inner_texts()
    assert len(links.all_inner_texts()) >= 6
    if javascript:
        assert serious_violations(page) == [], "the open menu passes axe too"


def test_the_desktop_menu_is_one_row_and_the_button_is_hidden(open_at):
    page = open_at("/", 1280, 900)
    assert not page.locator(".site-menu").is_visible()
    nav = page.locator(".site-nav")
    link_height = page.locator(".site-nav a").first.bounding_box()["height"]
    assert nav.bounding_box()["height"] < link_height * 1.5, "all the menu links fit one row"


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)])
@pytest.mark.parametrize("query", ["?q=Heather+McManus", "?q=council", ""])
def test_the_search_page_does_not_shift_as_results_load(chromium, served_site, size, query):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        context.add_init_script(LAYOUT_SHIFTS)
        page = context.new_page()
        page.goto(served_site.url("/search/" + query), wait_until="load")
        page.locator("#search input").wait_for()
        if query:
            page.locator(".pagefind-ui__result-link").first.wait_for()
            page.wait_for_function("document.querySelectorAll('.pagefind-ui__loading').length === 0")
        page.wait_for_timeout(500)
        shift = sum(page.evaluate("window.__shifts"))
        assert shift < 0.1, f"cumulative layout shift {shift:.3f} at {size[0]}px for {query or 'no query'}"
        script = page.locator('script[src$="pagefind-ui.js"]')
        assert script.evaluate("el => el.defer || el.async"), "Pagefind's script must not block the first paint"
    finally:
        context.close()


def test_the_header_search_has_a_visible_label_and_the_footer_names_who_runs_the_site(open_at):
    for width in (390, 1280):
        page = open_at("/", width)
        label = page.locator("label[for='site-search-q']")
        assert label.is_visible() and label.inner_text() == "Search this site"
        logo = page.locator(".site-title img")
        assert logo.get_attribute("alt") == "Local reThink" and logo.evaluate("img => img.naturalWidth > 0")
        footer = page.locator(".site-footer")
        assert "Local reThink is run by iNetwork." in footer.inner_text()
        for name, href in (("iNetwork@Tameside.gov.uk", "mailto:iNetwork@Tameside.gov.uk"),
                           ("Accessibility statement", "/local-rethink/accessibility/"),
                           ("Privacy notice", "/local-rethink/privacy/")):
            link = footer.get_by_role("link", name=name, exact=True)
            assert link.is_visible() and link.get_attribute("href") == href, name


def test_calendar_weekday_names_are_not_underlined_like_links(open_at):
    page = open_at("/events/calendar/", 1280)
    names = page.locator("table.calendar thead abbr")
    assert names.count() == 7
    for index in range(7):
        style = names.nth(index).evaluate("el => getComputedStyle(el).textDecorationLine")
        assert style == "none", style
