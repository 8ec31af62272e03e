"""A site in English and Welsh (tests/sites/bilingual/): URLs, lang, hreflang, switcher, feeds, calendars, sitemap.

Its output is also compared byte for byte with tests/golden/bilingual/. Refresh after an intended change with
./dev test tests/build/test_bilingual.py --update-golden (that rewrites the files and fails; review, rerun).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import html5lib
import icalendar
import pytest
from lxml import etree

from reThink_site.build import BuildOptions, build
from tests.helpers import TESTS, tree

FIXTURE = TESTS / "sites" / "bilingual"
GOLDEN = TESTS / "golden" / "bilingual"
BASIC = TESTS / "sites" / "basic"
NOW = "2014-10-26T12:00"
BASE = "https://example.org/rethink/"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The bilingual fixture built once, without a cache."""
    folder = tmp_path_factory.mktemp("bilingual") / "out"
    build(BuildOptions(project=FIXTURE, output=folder, now=NOW, jobs=1, search=False, cache=False))
    return folder


def html_of(path: Path):
    """The page parsed by html5lib, as an lxml tree."""
    return html5lib.parse(path.read_bytes(), treebuilder="lxml", namespaceHTMLElements=False)


def page_file(out: Path, url: str) -> Path:
    """The file serving an absolute URL of the site."""
    rel = url.removeprefix(BASE)
    return out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def pages(out: Path) -> list[Path]:
    """Every HTML page but the e-mail copies and the error pages."""
    return [p for p in sorted(out.rglob("*.html")) if p.name not in ("email.html", "404.html")]


def test_fixture_site_matches_golden_files(out, request):
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=shutil.ignore_patterns(".rethink-output"))
        pytest.fail(f"--update-golden rewrote {len(tree(GOLDEN))} golden files in {GOLDEN}", pytrace=False)
    built = {k: v for k, v in tree(out).items() if not k.startswith(".rethink")}
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or missing; refresh with --update-golden if intended"
    assert [name for name in built if built[name] != golden[name]] == []


@pytest.mark.parametrize("setting", ["language: en-GB\n", "languages: [en-GB]\n"])
def test_a_site_with_one_language_is_byte_identical_to_before(tmp_path, setting):
    site = tmp_path / "site"
    shutil.copytree(BASIC, site)
    (site / "site.yaml").write_text((BASIC / "site.yaml").read_text(encoding="utf-8") + setting, encoding="utf-8")
    build(BuildOptions(project=site, output=tmp_path / "out", now=NOW, jobs=1, search=False, cache=False))
    assert tree(tmp_path / "out") == tree(TESTS / "golden" / "basic")


def test_with_one_language_a_file_named_like_a_translation_stays_an_item_of_its_own(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(BASIC, site)
    (site / "content" / "pages" / "about.cy.md").write_text("---\ntitle: Amdanom ni\n---\nYn Gymraeg.\n")
    build(BuildOptions(project=site, output=tmp_path / "out", now=NOW, jobs=1, search=False, cache=False))
    assert html_of(tmp_path / "out" / "about-cy" / "index.html").getroot().get("lang") == "en-GB"


def test_the_default_language_keeps_its_urls_and_the_other_lives_under_its_prefix_with_the_same_slugs(out):
    assert (out / "events/2014-11-05-council-session/index.html").is_file()
    assert (out / "cy/events/2014-11-05-council-session/index.html").is_file()
    assert (out / "cy/about/index.html").is_file() and (out / "cy/insights/what-we-learnt/index.html").is_file()
    assert not (out / "cy/events/2014-11-20-online-call").exists()  # not translated: no Welsh page
    assert not (out / "cy/static").exists() and not (out / "cy/assets").exists()  # shared, kept once


def test_every_page_has_the_right_lang_and_alternates_that_point_back(out):
    for path in pages(out):
        doc = html_of(path)
        lang = doc.getroot().get("lang")
        rel = path.relative_to(out).as_posix()
        assert lang == ("cy" if rel.startswith("cy/") else "en-GB"), rel
        links = {a.get("hreflang"): a.get("href") for a in doc.iter("link")
                 if a.get("rel") == "alternate" and a.get("hreflang")}
        own = BASE + rel.removesuffix("index.html")
        assert links[lang] == own, rel
        assert "x-default" in links and links["x-default"] == links["en-GB"], rel
        for other, href in links.items():
            target = html_of(page_file(out, href))
            back = {a.get("hreflang"): a.get("href") for a in target.iter("link") if a.get("hreflang")}
            assert back.get(lang) == own, (rel, other)
            assert target.getroot().get("lang") == (other if other != "x-default" else "en-GB")


def switcher(path: Path):
    """The language switcher's links and its text."""
    nav = next(n for n in html_of(path).iter("nav") if "language-switcher" in (n.get("class") or ""))
    return [(a.get("href"), a.get("lang"), a.text) for a in nav.iter("a")], " ".join(nav.itertext()).split()


def test_the_switcher_links_to_the_same_page_in_the_other_language(out):
    links, words = switcher(out / "events/2014-11-05-council-session/index.html")
    assert links == [("/rethink/cy/events/2014-11-05-council-session/", "cy", "Cymraeg")]
    assert "only." not in words
    links, _ = switcher(out / "cy/events/2014-11-05-council-session/index.html")
    assert links == [("/rethink/events/2014-11-05-council-session/", "en-GB", "English")]


def test_an_untranslated_page_says_so_and_links_to_the_other_languages_home(out):
    links, words = switcher(out / "insights/english-only/index.html")
    assert links == [("/rethink/cy/", "cy", "Cymraeg")]
    assert " ".join(words).startswith("This page is in English only.")
    hreflangs = [a.get("hreflang") for a in html_of(out / "insights/english-only/index.html").iter("link")
                 if a.get("hreflang")]
    assert hreflangs == ["en-GB", "x-default"]


def test_welsh_pages_list_the_welsh_items_and_inherit_the_events_facts(out):
    doc = html_of(out / "cy/events/2014-11-05-council-session/index.html")
    text = " ".join(doc.getroot().itertext())
    assert "Sesiwn y cyngor" in text and "Ada Example" in text and "Example Hall" in text
    assert "Sleidiau (PDF)" in text and "Slides (PDF)" not in text
    assert any(a.get("href") == "https://example.org/book" for a in doc.iter("a"))
    listed = " ".join(html_of(out / "cy/events/index.html").getroot().itertext())
    assert "Sesiwn y cyngor" in listed and "Online call" not in listed
    assert html_of(out / "cy/index.html").find(".//title").text.endswith("reThink Dwyieithog")


def test_the_welsh_feeds_say_cy_and_hold_the_welsh_items(out):
    feed = feedparser.parse((out / "cy/feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.feed.language == "cy"
    assert feed.feed.title == "reThink Dwyieithog: crynodebau a mewnwelediadau"  # the feed's name in Welsh
    assert [e.title for e in feed.entries] == ["Beth a ddysgon ni"]
    assert feed.entries[0].link == BASE + "cy/insights/what-we-learnt/"
    atom = feedparser.parse((out / "cy/atom.xml").read_bytes())
    assert [e.title for e in atom.entries] == ["Beth a ddysgon ni"]
    english = feedparser.parse((out / "feed.xml").read_bytes())
    assert english.feed.language == "en-GB" and len(english.entries) == 2
    issues = feedparser.parse((out / "cy/newsletter/feed.xml").read_bytes())
    assert [e.title for e in issues.entries] == ["Cylchlythyr mis Hydref"]
    assert issues.feed.title == "reThink Dwyieithog: Cylchlythyr dwyieithog"
    events = feedparser.parse((out / "cy/events/feed.xml").read_bytes())
    assert events.feed.title == "reThink Dwyieithog: digwyddiadau"
    assert events.feed.subtitle == "Cyhoeddiadau am ddigwyddiadau gan reThink Dwyieithog."


def test_the_welsh_calendar_is_named_in_welsh_and_holds_the_welsh_events(out):
    calendar = icalendar.Calendar.from_ical((out / "cy/events.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "reThink Dwyieithog"
    assert str(calendar["X-WR-CALDESC"]) == "Digwyddiadau gan reThink Dwyieithog"
    series = icalendar.Calendar.from_ical((out / "cy/series/local-rethink/events.ics").read_bytes())
    assert str(series["X-WR-CALDESC"]) == "Digwyddiadau’r gyfres Local reThink gan reThink Dwyieithog"
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Sesiwn y cyngor"]
    assert str(events[0]["URL"]) == BASE + "cy/events/2014-11-05-council-session/"
    english = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
    assert sorted(str(e["SUMMARY"]) for e in english.walk("VEVENT")) == ["Council session", "Online call"]
    assert events[0]["UID"] == next(e for e in english.walk("VEVENT") if e["SUMMARY"] == "Council session")["UID"]


def test_the_newsletter_issue_is_in_welsh_on_the_web_and_in_both_emails(out):
    folder = out / "cy/newsletter/2014-10-20-october"
    assert "Croeso i rifyn mis Hydref." in (folder / "email.txt").read_text(encoding="utf-8")
    assert html_of(folder / "email.html").getroot().get("lang") == "cy"
    assert "Croeso i rifyn mis Hydref." in " ".join(html_of(folder / "index.html").getroot().itertext())


def test_one_sitemap_lists_both_languages_with_alternates_that_agree(out):
    root = etree.fromstring((out / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {u.findtext("s:loc", namespaces=ns): {x.get("hreflang"): x.get("href")
                                                    for x in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    assert not (out / "cy/sitemap.xml").exists()
    assert BASE + "cy/events/2014-11-05-council-session/" in entries
    about = {"en-GB": BASE + "about/", "cy": BASE + "cy/about/", "x-default": BASE + "about/"}
    assert entries[BASE + "about/"] == about
    for loc, alternates in entries.items():
        assert loc in alternates.values()
        for href in alternates.values():
            assert entries[href] == alternates, loc  # every version lists the same set
    assert entries[BASE + "insights/english-only/"] == {"en-GB": BASE + "insights/english-only/",
                                                        "x-default": BASE + "insights/english-only/"}
