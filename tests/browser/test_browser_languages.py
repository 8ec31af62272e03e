"""The bilingual fixture site in Chromium: the switcher goes to the Welsh page and back; axe finds no bad lang."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading

import pytest

from reThink_site.build import BuildOptions, build
from tests.helpers import TESTS

EVENT = "events/2014-11-05-council-session/"
LANG_RULES = ["html-lang-valid", "valid-lang", "html-has-lang", "html-xml-lang-mismatch"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder holding the site's /rethink/ folder, as the host would."""

    def log_message(self, format, *args):
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def served(browser_tools, tmp_path_factory):
    """The bilingual fixture built with search at /rethink/ and served on 127.0.0.1; its origin."""
    www = tmp_path_factory.mktemp("bilingual-www")
    build(BuildOptions(project=TESTS / "sites" / "bilingual", output=www / "rethink", now="2014-10-26T12:00",
                       jobs=1, search=True, cache=False))
    shutil.rmtree(www / "rethink" / ".rethink-output", ignore_errors=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rethink/", www / "rethink"
    server.shutdown()
    server.server_close()


def lang_violations(page, axe_source) -> list[str]:
    """axe-core's violations of the language rules on the open page."""
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(f"axe.run(document, {{runOnly: {json.dumps(LANG_RULES)}}})")
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


def test_the_switcher_goes_to_the_welsh_page_and_back(chromium, served, axe_source):
    origin, _ = served
    page = chromium.new_page()
    try:
        page.goto(origin + EVENT)
        assert page.get_attribute("html", "lang") == "en-GB"
        assert lang_violations(page, axe_source) == []
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg").click()
        page.wait_for_url(origin + "cy/" + EVENT)
        assert page.get_attribute("html", "lang") == "cy"
        assert page.locator("h1").first.inner_text() == "Sesiwn y cyngor"
        assert lang_violations(page, axe_source) == []
        page.get_by_role("navigation", name="Iaith").get_by_role("link", name="English").click()
        page.wait_for_url(origin + EVENT)
        assert page.locator("h1").first.inner_text() == "Council session"
    finally:
        page.close()


def test_an_english_only_page_leads_to_the_welsh_home_page(chromium, served, axe_source):
    origin, _ = served
    page = chromium.new_page()
    try:
        page.goto(origin + "insights/english-only/")
        switcher = page.get_by_role("navigation", name="Language")
        assert "This page is in English only." in switcher.inner_text()
        switcher.get_by_role("link", name="Cymraeg").click()
        page.wait_for_url(origin + "cy/")
        assert page.get_attribute("html", "lang") == "cy"
        assert lang_violations(page, axe_source) == []
    finally:
        page.close()


def test_the_search_index_holds_each_language_apart(served):
    _, root = served
    entry = json.loads((root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["cy", "en-gb"]
    assert not (root / "cy" / "pagefind").exists()
