"""Keyboard users: the skip link comes first and works, and Tab reaches every control with a visible ring."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

KEYBOARD_PAGES = ["/", "/events/2014-06-20-using-public-assets/", "/events/calendar/", "/newsletter/",
                  "/search/?q=Heather+McManus"]

MARK_FOCUSABLES = """() => {
  const all = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')];
  const reachable = all.filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
                                     && getComputedStyle(el).visibility !== 'hidden');
  reachable.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  return reachable.length;
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
               || (style.boxShadow && style.boxShadow !== 'none');
  return {kb: el.getAttribute('data-kb'), ring: ring, text: (el.textContent || el.name || el.id).trim().slice(0, 40),
          tag: el.tagName};
}"""


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(open_page):
    page, _ = open_page("/events/2014-06-20-using-public-assets/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    assert skip.inner_text().strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside_main, "after the skip link, Tab should continue inside the main content"


@pytest.mark.parametrize("path", KEYBOARD_PAGES)
def test_tab_reaches_every_link_and_button_with_a_visible_ring(open_page, path):
    page, _ = open_page(path)
    if path.startswith("/search/"):
        page.locator(".pagefind-ui__result").first.wait_for()
    count = page.evaluate(MARK_FOCUSABLES)
    assert count > 5
    reached, without_ring = set(), []
    for _ in range(count + 10):  # bounded: every control once, plus slack for the browser's own stops
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["kb"] is None:
            continue
        if focused["kb"] in reached:
            break
        reached.add(focused["kb"])
        if not focused["ring"]:
            without_ring.append(f"{focused['tag']} {focused['text']!r}")
    assert without_ring == [], f"{path}: focused without a visible focus ring"
    assert len(reached) == count, f"{path}: Tab reached {len(reached)} of {count} links and buttons"
