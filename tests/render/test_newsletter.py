"""Newsletter issues: the contract's windows, and e-mail renderings that mail clients can take as is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import html5lib
import lxml.html
import pytest

from reThink_site.cli import main
from tests.helpers import PINNED_NOW, REPO

SITE_YAML = """\
title: Test reThink
base_url: https://example.org/sub/
newsletter:
  title: ESR2 newsletter
  upcoming_days: 10
  lookback_days: 7
  signup_url: https://example.org/signup
  footer: "Unsubscribe: *|UNSUB|*"
"""
ABSOLUTE = re.compile(r"^(https?://|mailto:|tel:)")


def event(title, start, extra=""):
    return f"---\ntitle: {title}\nstart: {start}\n{extra}---\nAbout {title}.\n"


def post(title, day):
    return f"---\ntitle: {title}\ndate: {day}\n---\nText of {title}.\n"


INTRO = """\
Welcome to the issue. Here is a sentence long enough that the plain-text version has to wrap it somewhere sensible.

See [our events](/events/) and [a file](notes.pdf).
<script>alert('x')</script>
<p onclick="steal()" style="color:red">Handlers go.</p>
<a href="javascript:alert(1)">bad link</a>
<iframe src="https://evil.example/"></iframe>
<style>p { display: none }</style>
<form action="/x"><input name="q"></form>
<img src="/assets/pic.png">
"""

FILES = {
    "content/newsletters/2015-01-05-january.md":
        "---\ntitle: January issue\ndate: 2015-01-05\n---\nFirst issue.\n",
    "content/newsletters/2015-02-02-february.md":
        "---\ntitle: February issue\ndate: 2015-02-02\nfeatured:\n  - insights/featured-piece\n"
        "  - 2015-02-11-last-day\n---\n" + INTRO,
    # Coming up for February: [2015-02-02, 2015-02-12)
    "content/events/2015-02-01-day-before.md": event("Day before", "2015-02-01"),
    "content/events/2015-02-02-issue-day.md": event("Issue day", "2015-02-02 09:00",
                                                    "registration: https://tickets.example/issue-day\n"
                                                    "location: {name: Town Hall, city: Bootle}\n"),
    "content/events/2015-02-11-last-day.md": event("Last day", "2015-02-11 23:30"),
    "content/events/2015-02-12-too-late.md": event("Too late", "2015-02-12"),
    # Since the last issue for February: (2015-01-05, 2015-02-02]; for January: (2014-12-29, 2015-01-05]
    "content/insights/2014-12-29-too-old.md": post("Too old", "2014-12-29"),
    "content/insights/2014-12-30-first-window.md": post("First window", "2014-12-30"),
    "content/insights/2015-01-05-on-january-issue.md": post("On January issue", "2015-01-05"),
    "content/summaries/2015-01-06-day-after.md": post("Day after", "2015-01-06"),
    "content/insights/2015-02-02-on-february-issue.md": post("On February issue", "2015-02-02"),
    "content/insights/2015-02-03-after-issue.md": post("After issue", "2015-02-03"),
    "content/insights/2014-06-01-featured-piece.md": post("Featured piece", "2014-06-01"),
    "content/insights/notes.pdf": b"%PDF",
    "content/assets/pic.png": b"\x89PNG",
}


@pytest.fixture
def newsletter_site(make_site, build_site_at, tmp_path) -> tuple[Path, Path]:
    """FILES built at the pinned now: the site's folder and its output folder."""
    root = make_site(FILES, SITE_YAML)
    out = tmp_path / "out"
    build_site_at(root, out, now=PINNED_NOW)
    return root, out


def section_titles(html_bytes, heading_id):
    doc = lxml.html.fromstring(html_bytes)
    section = doc.xpath(f"//section[@aria-labelledby='{heading_id}']")
    assert section, heading_id
    return [a.text_content().strip() for a in section[0].xpath(".//h3//a")]


def test_sections_hold_the_contract_windows_with_boundary_days(newsletter_site):
    _, out = newsletter_site
    feb = (out / "newsletter/2015-02-02-february/index.html").read_bytes()
    assert section_titles(feb, "issue-featured") == ["Featured piece", "Last day"]
    assert section_titles(feb, "issue-coming-up") == ["Issue day"]  # Last day is featured: shown once
    assert section_titles(feb, "issue-since-last") == ["On February issue", "Day after"]
    jan = (out / "newsletter/2015-01-05-january/index.html").read_bytes()
    assert section_titles(jan, "issue-since-last") == ["On January issue", "First window"]
    assert section_titles(jan, "issue-coming-up") == []


def test_issue_list_is_newest_first(newsletter_site):
    _, out = newsletter_site
    doc = lxml.html.fromstring((out / "newsletter/index.html").read_bytes())
    links = [a.get("href") for a in doc.xpath("//main//a") if "/newsletter/2015" in (a.get("href") or "")]
    assert links == ["/sub/newsletter/2015-02-02-february/", "/sub/newsletter/2015-01-05-january/"]


def test_email_html_is_inert_inlined_and_absolute(newsletter_site):
    _, out = newsletter_site
    raw = (out / "newsletter/2015-02-02-february/email.html").read_bytes()
    doc = lxml.html.fromstring(raw)
    assert not doc.xpath("//style | //link | //script | //iframe | //form | //object | //embed")
    assert b"alert" not in raw and b"javascript:" not in raw.lower()
    for element in doc.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
    for _element, _attribute, link, _position in doc.iterlinks():
        assert ABSOLUTE.match(link) or link == "*|UNSUB|*", link  # the merge tag: the mailing tool's own link
    for element in doc.xpath("//body//*[self::p or self::a or self::h1 or self::h2 or self::h3 "
                             "or self::td or self::table or self::li or self::ul or self::img]"):
        assert element.get("style"), lxml.html.tostring(element)[:80]
    assert all(img.get("alt") is not None for img in doc.iter("img"))
    assert doc.xpath("//table[@width='100%'][contains(@style, 'max-width: 600px')]")  # 600 px, narrower on phones
    text = doc.text_content()
    assert "Handlers go." in text
    assert "Register" in [a.text_content() for a in doc.iter("a")]
    assert "https://tickets.example/issue-day" in [a.get("href") for a in doc.iter("a")]
    assert "https://example.org/sub/notes.pdf" not in raw.decode()
    assert "https://example.org/sub/newsletter/2015-02-02-february/notes.pdf" in [a.get("href") for a in doc.iter("a")]
    tail = text[text.index("Since the last issue"):]
    assert "https://example.org/sub/" in tail and "Unsubscribe: *|UNSUB|*" in tail
    assert "https://example.org/signup" in [a.get("href") for a in doc.iter("a")]


def test_email_text_wraps_at_72_and_lists_full_urls(newsletter_site):
    _, out = newsletter_site
    text = (out / "newsletter/2015-02-02-february/email.txt").read_text("utf-8")
    for line in text.splitlines():
        assert len(line) <= 72 or re.fullmatch(r"\s*(https?://|mailto:)\S+", line), line
    assert "<script" not in text and "onclick" not in text and "<p" not in text
    assert "alert" not in text
    assert "https://example.org/sub/events/2015-02-02-issue-day/" in text
    assert "https://tickets.example/issue-day" in text
    assert "https://example.org/sub/events/" in text  # the intro's link, listed in full
    assert text.index("FEATURED") < text.index("COMING UP") < text.index("SINCE THE LAST ISSUE")
    coming = text[text.index("COMING UP"):text.index("SINCE THE LAST ISSUE")]
    assert "Issue day" in coming and "Too late" not in coming
    assert "Last day" not in coming and "Last day" in text[text.index("FEATURED"):text.index("COMING UP")]
    assert "Day before" not in coming
    assert text.rstrip().endswith("Unsubscribe: *|UNSUB|*")
    assert "https://example.org/signup" in text


def test_cli_prints_the_email_renderings(newsletter_site, runner):
    root, out = newsletter_site
    for fmt, name in (("html", "email.html"), ("text", "email.txt")):
        result = runner.invoke(main, ["newsletter", "2015-02-02-february", "--format", fmt, "--site", str(root),
                                      "--now", PINNED_NOW])
        assert result.exit_code == 0, result.output
        assert result.output == (out / "newsletter/2015-02-02-february" / name).read_text("utf-8")
    missing = runner.invoke(main, ["newsletter", "no-such-issue", "--site", str(root)])
    assert missing.exit_code == 2
    assert "no-such-issue" in missing.output


def test_newsletter_feed_has_one_entry_per_issue(newsletter_site):
    import feedparser

    _, out = newsletter_site
    parsed = feedparser.parse((out / "newsletter/feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.title for e in parsed.entries] == ["February issue", "January issue"]
    assert "Coming up" in parsed.entries[0].content[0].value


def test_real_issue_features_the_sefton_event(real_site):
    page = (real_site / "newsletter/2015-02-02-february-2015/index.html").read_bytes()
    assert section_titles(page, "issue-featured") == ["Local reThink: Delivering with communities"]
    text = (real_site / "newsletter/2015-02-02-february-2015/email.txt").read_text("utf-8")
    assert all(len(line) <= 72 or re.fullmatch(r"\s*(https?://|mailto:)\S+", line) for line in text.splitlines())


def test_email_html_declares_its_charset_and_viewport(newsletter_site):
    _, out = newsletter_site
    raw = (out / "newsletter/2015-02-02-february/email.html").read_bytes()
    doc = html5lib.parse(raw, treebuilder="etree", namespaceHTMLElements=False)
    head = doc.find("head")
    assert [m.get("charset").lower() for m in head.iterfind("meta") if m.get("charset")] == ["utf-8"]
    assert [m.get("content") for m in head.iterfind("meta") if m.get("name") == "viewport"]
    assert doc.find("body").find(".//meta") is None
    assert lxml.html.fromstring(raw).xpath("/html/head/meta[@charset='utf-8']")


def email_html_sections(raw):
    """{h2 text: [h3 link texts]} of an e-mail's table cells."""
    doc = html5lib.parse(raw, treebuilder="etree", namespaceHTMLElements=False)
    found = {}
    for cell in doc.iter("td"):
        heading = cell.find("h2")
        if heading is not None:
            found["".join(heading.itertext()).strip()] = ["".join(h.itertext()).strip() for h in cell.iter("h3")]
    return found


def test_featured_items_are_not_repeated_in_the_email_html(newsletter_site):
    _, out = newsletter_site
    sections = email_html_sections((out / "newsletter/2015-02-02-february/email.html").read_bytes())
    assert sections["Featured"] == ["Featured piece", "Last day"]
    assert sections["Coming up"] == ["Issue day"]
    assert sections["Since the last issue"] == ["On February issue", "Day after"]


def test_real_issue_shows_the_featured_sefton_event_once_everywhere(real_site):
    title = "Local reThink: Delivering with communities"
    folder = real_site / "newsletter/2015-02-02-february-2015"
    page = (folder / "index.html").read_bytes()
    assert section_titles(page, "issue-featured") == [title]
    assert section_titles(page, "issue-coming-up") == []
    coming = lxml.html.fromstring(page).xpath("//section[@aria-labelledby='issue-coming-up']")[0]
    assert "No other events are planned" in coming.text_content()
    sections = email_html_sections((folder / "email.html").read_bytes())
    assert sections["Featured"] == [title] and sections["Coming up"] == []
    text = (folder / "email.txt").read_text("utf-8")
    assert text.count(f"* {title}") == 1
    assert text.index("FEATURED") < text.index(f"* {title}") < text.index("COMING UP")
    assert "No other events are planned" in text


def test_email_text_ends_in_exactly_one_newline(make_site, build_site_at, tmp_path):
    # A footer whose last line is only spaces once left a blank line at the end.
    site_yaml = SITE_YAML.replace('footer: "Unsubscribe: *|UNSUB|*"', 'footer: "Unsubscribe: *|UNSUB|*\\n   "')
    assert site_yaml != SITE_YAML
    root = make_site(FILES, site_yaml)
    build_site_at(root, tmp_path / "out", now=PINNED_NOW)
    for issue in ("2015-02-02-february", "2015-01-05-january"):
        data = (tmp_path / "out/newsletter" / issue / "email.txt").read_bytes()
        assert data.endswith(b"*|UNSUB|*\n"), data[-40:]


def test_newsletter_command_as_a_real_process(newsletter_site):
    root, out = newsletter_site
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "reThink_site", "newsletter", "--site", str(root), "--now", PINNED_NOW]
    done = subprocess.run([*command, "2015-02-02-february", "--format", "text"], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (out / "newsletter/2015-02-02-february/email.txt").read_bytes()
    missing = subprocess.run([*command, "no-such-issue"], env=env, capture_output=True, timeout=120)
    assert missing.returncode == 2
    assert b"no-such-issue" in missing.stderr + missing.stdout
    assert b"Traceback" not in missing.stderr + missing.stdout
