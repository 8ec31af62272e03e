"""The real sample site in Welsh, in Chromium: the switcher goes there and back; axe finds every lang valid."""

from __future__ import annotations

import pytest

MONMOUTHSHIRE = "/events/2014-03-27-innovation-at-monmouthshire/"
WELSH_PAGES = ("/cy/", "/cy/about/", "/cy/accessibility/", "/cy" + MONMOUTHSHIRE,
               "/cy/insights/what-is-local-rethink/", "/cy/events/", "/cy/events/calendar/2014/03/", "/cy/search/")
LANG_RULES = ["html-has-lang", "html-lang-valid", "valid-lang", "html-xml-lang-mismatch"]


def lang_violations(page, axe_source) -> list[str]:
    """Every violation of axe's language rules on the page, whatever its impact."""
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})", LANG_RULES)
    assert sorted(rule["id"] for rule in result["passes"]) == sorted(LANG_RULES[:3])  # the rules really ran
    return [f"axe {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_switcher_goes_to_the_welsh_page_and_back(open_page, served_site, width):
    page, problems = open_page(MONMOUTHSHIRE, width)
    assert page.locator("html").get_attribute("lang") == "en-GB"
    english_title = page.locator("h1").inner_text()
    to_welsh = page.locator(".language-switcher a[hreflang='cy']")
    assert to_welsh.inner_text() == "Cymraeg" and to_welsh.is_visible()
    to_welsh.click()
    page.wait_for_url(served_site.url("/cy" + MONMOUTHSHIRE))
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text() == "Local reThink: Arloesi, creadigrwydd a chynhyrchiant yn Sir Fynwy"
    assert page.get_by_role("term").first.inner_text() == "Pryd"
    assert "Dydd Iau 27 Mawrth 2014" in page.locator(".event__facts dd").first.inner_text()
    to_english = page.locator(".language-switcher a[hreflang='en-GB']")
    assert to_english.inner_text() == "English"
    to_english.click()
    page.wait_for_url(served_site.url(MONMOUTHSHIRE))
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.locator("h1").inner_text() == english_title
    assert problems.console_errors == [] and problems.failed_requests == []


def test_an_english_only_page_says_so_and_offers_the_welsh_home(open_page, served_site):
    page, _ = open_page("/events/2014-01-08-design-in-public-services-briefing/")
    switcher = page.locator(".language-switcher")
    assert "This page is in English only." in switcher.inner_text()
    switcher.locator("a[hreflang='cy']").click()
    page.wait_for_url(served_site.url("/cy/"))
    assert page.locator("html").get_attribute("lang") == "cy"


@pytest.mark.parametrize("path", WELSH_PAGES)
def test_axe_finds_no_invalid_language_on_welsh_pages(open_page, axe_source, serious_violations, path):
    page, problems = open_page(path)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert lang_violations(page, axe_source) == []
    assert serious_violations(page) == []
    assert problems.console_errors == [] and problems.failed_requests == []


def test_the_welsh_search_page_searches_in_welsh(open_page):
    page, problems = open_page("/cy/search/")
    box = page.get_by_label("Chwilio digwyddiadau, crynodebau a mewnwelediadau")
    assert box.get_attribute("placeholder") == "Teipiwch enw, pwnc neu le"
    box.fill("Sir Fynwy")
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(timeout=15_000)
    summary = page.locator(".pagefind-ui__message").inner_text()
    assert "canlyniad ar gyfer Sir Fynwy" in summary, summary
    titles = results.locator(".pagefind-ui__result-link").all_inner_texts()
    assert any("Sir Fynwy" in title for title in titles), titles
    tags = results.locator(".pagefind-ui__result-tag").all_inner_texts()
    assert "Math: Digwyddiad" in tags and "Dyddiad: 27 Mawrth 2014" in tags, tags
    assert problems.console_errors == [] and problems.failed_requests == []
