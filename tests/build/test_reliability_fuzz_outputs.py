"""Random people keys, ids, slugs, site.yaml settings and hostile text: a whole build succeeds or reports, and
every output, parsed by its own format's parser, holds no live script, no injected component, no broken structure
and no page taken over.

CI runs a fixed-seed handful (a quarter of RETHINK_FUZZ_EXAMPLES, at least 10); for a measured run:
    RETHINK_FUZZ_EXAMPLES=4000 pytest tests/build/test_reliability_fuzz_outputs.py --hypothesis-show-statistics
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

import feedparser
import html5lib
import icalendar
import vobject
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from lxml import etree

from reThink_site.build import BuildOptions, build
from reThink_site.core.errors import ContentErrors, SiteError
from tests.helpers import FUZZ

MARK = "alert(1)"  # every payload calls it; the theme's own scripts never do
HOSTILE = [f"<script>{MARK}</script>", f"<img src=x onerror={MARK}>", f"javascript:{MARK}", f"jav&#x09;ascript:{MARK}",
           "</script><!--", "]]>", "&amp;&lt;&#0;", "\"'`", "a\rBEGIN:VEVENT\rSUMMARY:injected\r", "a\nEND:VCALENDAR",
           "a\r\nBEGIN:VEVENT", ", ; \\ :", "\u2028\u2029", "\u202e", "%20%2e%2e", "../../x", "\t",
           "line\n\nbreak", "  spaced  ", "\U0001f600", "Ω≈ç√", "{{ 7*7 }}", "{% raw %}", "*|UNSUB|*"]
PEOPLE_KEYS = ["../about", "../index.html", "../events", "Tom Okafor", "tom-okafor", "TOM OKAFOR", "a/b", "a\\b",
               "C:\\x", "/etc", "index", "people", "ada", "a--b", "Zoë Ünal", "x" * 100]
NO_SLUG_KEYS = ["..", "???", "", "-", "日本", "x" * 150]  # must be refused, naming people.yaml and the key
SLUGS = ["calendar", "feed", "events", "index", "about", "a", "2014-01-01-x", "email", "feed-xml", "pagefind",
         "static", "assets", "404", "tags", "people", "search", "subscribe", "newsletter", "sitemap", "robots"]
BAD_SLUGS = ["a--b", "-a", "A", "../x", "x" * 201, "A B", ""]
FAULTS = ["\x0b", "\x1b[31m", "\x00", "\ufffe", ""]  # refused wherever they appear: rare, so most sites build
printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
text = st.one_of(printable, st.sampled_from(HOSTILE), st.sampled_from(HOSTILE))
@st.composite
def rarely(draw, usual, unusual):
    """`usual`, and now and then `unusual`: a site has some 25 such values, and most sites should build."""
    return draw(unusual if draw(st.integers(0, 59)) == 59 else usual)  # about one site in four has one


hostile_text = rarely(st.lists(text, min_size=1, max_size=3).map("".join).filter(str.strip), st.sampled_from(FAULTS))


named = hostile_text.map(lambda t: t + " topic")  # a tag or series needs a letter or digit for its URL


def mostly(good, *bad):
    """Usually one of `good`, now and then one of the values the build must refuse."""
    return rarely(st.sampled_from(good), st.sampled_from(bad))


people_keys = rarely(st.sampled_from(PEOPLE_KEYS), st.sampled_from(NO_SLUG_KEYS) | printable)
person = st.one_of(st.sampled_from(PEOPLE_KEYS), st.fixed_dictionaries(
    {"name": hostile_text}, optional={"id": people_keys, "role": hostile_text,
                                      "url": mostly(["https://example.org/?a=1&b=2"], "javascript:x")}))
# dates inside the window stay near each other: a site spanning 1900 to 2200 is valid but has 3,612 month pages
days = mostly(["2014-06-01", "2014-12-31", "2015-01-01"], "9999-12-31", "0001-01-01", "1899-12-31", "2014-02-30")
dates = mostly(["2014-06-20", "2014-06-20 10:00", "'2014-06-01T23:30-01:00'", "2014-10-26 01:30+00:00"],
               "9999-12-31 23:00", "0001-01-01", "'0001-01-01T00:30+01:00'", "3026-02-01", "2201-01-01 00:00")
setting_values = {
    "description": hostile_text, "language": mostly(["en-GB", "cy"], "<x>", ""),
    "timezone": mostly(["Europe/London", "America/New_York", "UTC"], "Mars/Base", "../etc"),
    "author": person, "feed": st.fixed_dictionaries({}, optional={"items": st.integers(-1, 30),
                                                                  "content": mostly(["full", "summary"], 3)}),
    "newsletter": st.fixed_dictionaries({}, optional={"title": hostile_text, "footer": hostile_text,
                                                      "upcoming_days": st.integers(-1, 90),
                                                      "signup_url": mostly(["mailto:a@b.org"], "x")}),
    "markdown": st.fixed_dictionaries({}, optional={"raw_html": st.sampled_from(["allow", "escape"]),
                                                    "engine": st.sampled_from(["commonmark", "python-markdown"])}),
    "output_dir": mostly(["output", "../out", "out/put"], "/", ".", "content"),
}
site_settings = st.fixed_dictionaries({"title": hostile_text, "base_url": mostly(
    ["https://example.org/", "https://example.org/sub", "http://e.org/a%20b/"],
    "https://e.org/#top", "https://e.org/?q=1", "http://e.org/a b/", "javascript:x", "https://")},
    optional=setting_values)


@st.composite
def sites(draw) -> dict[str, str]:
    """site.yaml, people.yaml, an About page and a few events and posts, every text field hostile."""
    settings = {**draw(site_settings), "content_dir": "content", "templates_dir": "templates"}
    people = {key: {"name": draw(hostile_text), "bio": draw(hostile_text)}
              for key in draw(st.lists(people_keys, max_size=3, unique=True))}
    files = {"site.yaml": yaml.safe_dump(settings, allow_unicode=True),
             "content/people.yaml": yaml.safe_dump(people, allow_unicode=True),
             "content/pages/about.md": "---\ntitle: About\n---\nABOUT-MARKER\n"}
    for index in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["events", "insights", "summaries", "newsletters"]))
        fields = {"title": draw(hostile_text), "summary": draw(hostile_text), "tags": draw(st.lists(named, max_size=2))}
        when = draw(dates if kind in ("events", "insights") else days)
        if kind == "events":
            fields.update(chair=draw(person), speakers=draw(st.lists(person, max_size=2)),
                          series=draw(st.none() | named),
                          location={"name": draw(hostile_text), "address": draw(hostile_text)})
        else:
            fields["author"] = draw(person)
        if draw(st.booleans()):
            fields["slug"] = draw(mostly(SLUGS, *BAD_SLUGS))
        matter = yaml.safe_dump(fields, allow_unicode=True)
        key = "start" if kind == "events" else "date"
        files[f"content/{kind}/2014-06-{10 + index}-item-{index}.md"] = f"---\n{matter}{key}: {when}\n---\nBody.\n"
    return files


def dangerous_url(value: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value)).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:"))


def html_problems(data: bytes) -> list[str]:
    """Live script in a page as html5lib (a browser's parser) builds it; JSON-LD must be JSON."""
    found = []
    for element in html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False).iter():
        if not isinstance(element.tag, str):
            continue
        found += [f"handler {name}" for name in element.attrib if name.lower().startswith("on")]
        found += [f"{name}={value!r}" for name, value in element.attrib.items()
                  if name.lower() in ("href", "src", "action", "formaction") and dangerous_url(value)]
        if element.tag == "script":
            if element.get("type") == "application/ld+json":
                json.loads(element.text or "")
            elif MARK in (element.text or ""):
                found.append("script element with a payload")
    return found


def markup_in(fragment: str) -> list[str]:
    """Elements a feed reader rendering the text as HTML would make."""
    body = html5lib.parse(f"<body>{fragment}</body>", treebuilder="etree", namespaceHTMLElements=False).find("body")
    return [e.tag for e in body.iter() if e is not body and isinstance(e.tag, str)]


def feed_problems(data: bytes) -> list[str]:
    """lxml and feedparser must both read the feed; RSS descriptions and Atom text constructs make no markup."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    found = ["script element" for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "script"]
    parsed = feedparser.parse(data)
    if parsed.bozo:
        found.append(f"feedparser: {parsed.bozo_exception}")
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        as_html = name == "description" or (name in ("summary", "subtitle") and node.get("type") == "html")
        if as_html and markup_in(node.text or ""):
            found.append(f"<{name}> renders markup: {(node.text or '')[:60]!r}")
        if name in ("summary", "subtitle", "title") and node.get("type") not in (None, "text", "html"):
            found.append(f"<{name}> of type {node.get('type')}")
    return found


def calendar_problems(data: bytes) -> list[str]:
    """icalendar and vobject both read it, and a reader splitting lines on CR or LF sees no extra component."""
    calendar = icalendar.Calendar.from_ical(data)
    components = list(vobject.readComponents(data.decode("utf-8")))
    lines = re.split(rb"\r\n|\r|\n", data)
    found = [] if len(components) == 1 else [f"{len(components)} calendars"]
    for kind in (b"VEVENT", b"VCALENDAR", b"VTIMEZONE"):
        begins = sum(line == b"BEGIN:" + kind for line in lines)
        if begins != len(calendar.walk(kind.decode())) or begins != sum(line == b"END:" + kind for line in lines):
            found.append(f"{begins} BEGIN:{kind.decode()} lines for {len(calendar.walk(kind.decode()))} components")
    return found


def check_site(output: Path) -> list[str]:
    """Every output file parsed by its format, and no page taken over."""
    problems = []
    paths = {p.relative_to(output).as_posix(): p for p in output.rglob("*") if p.is_file()}
    about = paths.get("about/index.html")
    if about is None or b"ABOUT-MARKER" not in about.read_bytes():
        problems.append("the About page was replaced")
    if "index.html" not in paths:
        problems.append("no home page")
    for rel, path in sorted(paths.items()):
        parts = rel.split("/")
        if rel.startswith("people/") and len(parts) > 2 and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", parts[1]):
            problems.append(f"a person page at {rel}")
        data = path.read_bytes()
        if rel.endswith(".html"):
            problems += [f"{rel}: {p}" for p in html_problems(data)]
        elif rel.endswith(".xml") and rel != "sitemap.xml":
            problems += [f"{rel}: {p}" for p in feed_problems(data)]
        elif rel.endswith(".ics"):
            problems += [f"{rel}: {p}" for p in calendar_problems(data)]
    return problems


@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 4))  # a whole build and every file parsed, per example
@given(files=sites())
def test_hostile_people_slugs_settings_and_text_build_clean_outputs_or_report(files):
    with tempfile.TemporaryDirectory(prefix="rethink-fuzz-") as tmp:
        root = Path(tmp) / "site"
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(data, encoding="utf-8")
        before = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*"))
        try:
            report = build(BuildOptions(project=root, now="2014-06-15T12:00", jobs=1, search=False, cache=False))
        except ContentErrors as err:
            assert err.problems and all(p.path and p.line >= 1 and p.message for p in err.problems)
            assert all(p.path == "site.yaml" or p.path.startswith("content/") for p in err.problems if p.is_error), \
                [p.format() for p in err.problems]
            after = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*"))
            assert after == before, "a refused build wrote something"
            event("reported")
            return
        except SiteError as err:
            assert str(err) and "Traceback" not in str(err)
            event("refused (usage)")
            return
        problems = check_site(report.output)
        assert not problems, "\n".join(problems)
        event("built and checked")
