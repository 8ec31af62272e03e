"""Each format gets text as it says it reads it: RSS descriptions are HTML, Atom says text, iCalendar escapes TEXT."""

from __future__ import annotations

import json
import re

import feedparser
import html5lib
import icalendar
import pytest
import vobject
from lxml import etree

from tests.helpers import tree

HOSTILE = "<script>alert(1)</script> R&D <img src=x onerror=alert(1)> &amp; \"q\" 'a'"
Q = json.dumps(HOSTILE)
SITE_YAML = f"title: {Q}\nbase_url: https://example.org/\ndescription: {Q}\nnewsletter:\n  title: {Q}\n"
FILES = {
    "content/insights/2014-06-01-a.md": f"---\ntitle: Post\ndate: 2014-06-01\nsummary: {Q}\ntags: [{Q}]\n---\nBody.\n",
    "content/events/2014-06-20-x.md": f"---\ntitle: Session\nstart: 2014-06-20 10:00\nsummary: {Q}\ntags: [{Q}]\n---\n",
    "content/newsletters/2014-06-02-n.md": f"---\ntitle: Issue\ndate: 2014-06-02\nsummary: {Q}\n---\nHello.\n",
}


def html_elements(fragment: str) -> list[str]:
    """The elements a reader gets when it renders a string as HTML."""
    body = html5lib.parse(f"<body>{fragment}</body>", treebuilder="etree", namespaceHTMLElements=False).find("body")
    return [e.tag for e in body.iter() if e is not body]


def html_text(fragment: str) -> str:
    body = html5lib.parse(f"<body>{fragment}</body>", treebuilder="etree", namespaceHTMLElements=False).find("body")
    return "".join(body.itertext())


@pytest.fixture
def feeds(make_site, build_site_at) -> dict[str, bytes]:
    root = make_site(FILES, SITE_YAML)
    build_site_at(root, now="2014-06-10T12:00", cache=False)
    return {path: data for path, data in tree(root / "output").items()
            if path.endswith(".xml") and "sitemap" not in path}


def test_every_rss_description_is_escaped_html_a_reader_shows_as_the_text(feeds):
    rss = {path: data for path, data in feeds.items() if path != "atom.xml"}
    assert len(rss) == 4  # posts, events, newsletter issues and the tag's feed
    descriptions = []
    for path, data in rss.items():
        root = etree.fromstring(data)
        for node in root.iter("description"):
            assert html_elements(node.text or "") == [], f"{path}: a reader would render markup from {node.text!r}"
            descriptions.append(html_text(node.text or ""))
        assert not feedparser.parse(data).bozo
    assert HOSTILE in descriptions, "an entry's description shows its summary exactly"
    assert any(HOSTILE in d and d != HOSTILE for d in descriptions), "feed descriptions carry the names exactly"


def test_atom_says_its_summary_and_subtitle_are_text(feeds):
    parsed = feedparser.parse(feeds["atom.xml"])
    assert not parsed.bozo
    assert parsed.feed.subtitle_detail.type == "text/plain" and parsed.feed.subtitle == HOSTILE
    entry, = parsed.entries
    assert entry.summary_detail.type == "text/plain" and entry.summary == HOSTILE
    root = etree.fromstring(feeds["atom.xml"])
    summary = root.find(".//{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "text" and summary.text == HOSTILE


CR_TITLE = "Real title\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected\rDTSTART:20140101T000000Z"


def test_line_breaks_in_a_title_never_reach_a_calendar_as_lines(make_site, build_site_at):
    files = {"content/events/2014-06-20-x.md": f"---\ntitle: {json.dumps(CR_TITLE)}\nstart: 2014-06-20 10:00\n---\n",
             "content/events/2014-06-21-y.md": "---\ntitle: |\n  A title\n  on two lines\nstart: 2014-06-21\n---\n"}
    site_yaml = f"title: {json.dumps('Site' + chr(13) + 'BEGIN:VEVENT')}\nbase_url: https://example.org/\n"
    root = make_site(files, site_yaml)
    build_site_at(root, cache=False)  # the two-line title used to fail an icalendar assertion
    calendars = {p: d for p, d in tree(root / "output").items() if p.endswith(".ics")}
    assert len(calendars) == 3
    for path, data in calendars.items():
        lines = re.split(rb"\r\n|\r|\n", data)
        assert lines.count(b"BEGIN:VEVENT") == (2 if path == "events.ics" else 1), path
        calendar = icalendar.Calendar.from_ical(data)
        assert not [line for line in lines if line.startswith((b"SUMMARY:Injected", b"BEGIN:VEVENT "))]
        list(vobject.readComponents(data.decode("utf-8")))
        summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
        assert set(summaries) <= {" ".join(CR_TITLE.split("\r")), "A title on two lines"}
    single = icalendar.Calendar.from_ical(calendars["events/2014-06-20-x/event.ics"])
    assert str(single["NAME"]) == str(single["X-WR-CALNAME"]) == " ".join(CR_TITLE.split("\r"))


def test_calendar_names_are_escaped_as_text_whatever_reaches_them(make_site):
    """NAME and X-WR-* are not TEXT to icalendar: a CR in them used to be written raw."""
    from reThink_site.build import BuildOptions, plan
    from reThink_site.render import ics

    root = make_site({"content/events/2014-06-21-y.md": "---\ntitle: Session\nstart: 2014-06-21\n---\n"})
    site = plan(BuildOptions(project=root, now="2014-06-01T12:00", cache=False, search=False)).site
    data = ics.calendar_bytes(site.events, site, CR_TITLE, "desc\rBEGIN:VEVENT")
    lines = re.split(rb"\r\n|\r|\n", data)
    assert lines.count(b"BEGIN:VEVENT") == 1
    calendar = icalendar.Calendar.from_ical(data)
    read = [str(calendar[name]) for name in ("NAME", "X-WR-CALNAME")]  # icalendar reads these without unescaping
    assert read == [CR_TITLE.replace("\r", "\\n")] * 2
    assert len(list(vobject.readComponents(data.decode("utf-8")))) == 1


@pytest.mark.parametrize("link", ["jav&#x09;ascript:alert(1)", "&#106;avascript:alert(1)", "JAVASCRIPT&colon;alert(1)",
                                  "java&#x0A;script:x", "&#x6A;&#x61;vascript:x", "vbscript&colon;x"])
def test_raw_html_script_urls_are_reported_however_they_are_spelt(link, make_site):
    from reThink_site.build import BuildOptions, plan

    body = f"First line.\n\nSecond line.\n\n<a href=\"{link}\">here</a>\n"
    site = make_site({"content/pages/p.md": f"---\ntitle: P\n---\n{body}"}, "title: T\nbase_url: https://e.org/\n")
    problems = plan(BuildOptions(project=site, now="2015-01-01T12:00", search=False, cache=False)).problems
    warning, = [p for p in problems if p.path == "content/pages/p.md"]
    assert warning.severity == "warning" and warning.line == 8 and "javascript:" in warning.message


def test_ordinary_entities_and_the_word_javascript_are_not_reported():
    from reThink_site.markdown.base import has_script

    assert not has_script("R&amp;D &colon; a list. &#106;ava is an island; script writers meet.")
