"""The real search index, queried with Pagefind's own JavaScript in Chromium: what readers can find.

Every content page is found by a word of its own body, and a month's name finds no calendar page.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import html5lib
import pytest

from reThink_site.build import BuildOptions, plan
from tests.helpers import BROWSER_NOW, REPO

pytestmark = pytest.mark.browser
WORD = re.compile(r"[A-Za-z]{6,}")
SEARCH = """async ([bundle, term]) => {
  const pagefind = await import(bundle + "pagefind.js");
  const found = await pagefind.search(term);
  const pages = await Promise.all(found.results.map((result) => result.data()));
  return pages.map((page) => page.url);
}"""


def content_urls() -> set[str]:
    """The pages readers search for, from the sources as the browser fixture builds them."""
    site = plan(BuildOptions(project=REPO, now=BROWSER_NOW, future=True, jobs=1, cache=False)).site
    entries = [*site.events, *site.summaries, *site.insights, *site.newsletters, *site.pages]
    return {entry.url for entry in entries} | {person.url for person in site.people}


def body_words(page_file) -> list[str]:
    """The words of a page's main article, as a reader sees them (lists of other pages left out)."""
    tree = html5lib.parse(page_file.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
    article = next(el for el in tree.iter("article") if "entry" in (el.get("class") or "").split())
    for parent in list(article.iter()):
        for child in list(parent):
            if child.get("data-pagefind-ignore") is not None:
                parent.remove(child)
    return WORD.findall(" ".join(article.itertext()))


def search(page, served_site, term: str) -> list[str]:
    """The site paths of every result Pagefind gives for the term (its URLs start with the base path)."""
    base = urlsplit(served_site.url("/")).path
    found = page.evaluate(SEARCH, [served_site.url("/pagefind/"), term])
    assert all(url.startswith(base) for url in found), found
    return ["/" + url[len(base):] for url in found]


def test_every_content_page_is_found_by_a_word_of_its_body(open_page, served_site):
    urls = sorted(content_urls())
    words = {url: {w.lower() for w in body_words(served_site.root / url.strip("/") / "index.html")} for url in urls}
    spread = Counter(word for found in words.values() for word in found)
    page, _ = open_page("/search/")
    for url in urls:
        rarest = min(words[url], key=lambda w: (spread[w], w))  # the word that names this page best
        assert url in search(page, served_site, rarest), (url, rarest)


def test_a_months_name_finds_no_calendar_page(open_page, served_site):
    month = served_site.root / "events" / "calendar" / "2014" / "01" / "index.html"
    assert "January" in month.read_text(encoding="utf-8")
    page, _ = open_page("/search/")
    found = search(page, served_site, "January")
    assert found, "some content mentions January"
    assert not [url for url in found if "/calendar/" in url]
    assert set(found) <= content_urls()
