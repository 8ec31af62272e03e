"""Every field an editor writes is escaped for where it lands; every output file is parsed by its type."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import feedparser
import html5lib
import icalendar
import pytest
import vobject
from lxml import etree

NASTY = "<script>alert(1)</script> \" ' & </script><!-- javascript:alert(1) <img src=x onerror=alert(1)> , ; \\"
TITLE = "Event " + NASTY
URL = "https://example.org/?a=1&b=2"
SITE_YAML = f"""\
title: {json.dumps("Site " + NASTY)}
base_url: https://example.org/sub/
description: {json.dumps(NASTY)}
newsletter:
  footer: {json.dumps(NASTY)}
markdown:
  raw_html: {{mode}}
"""
N = json.dumps(NASTY)
LOCATION = (f"{{name: {N}, address: {json.dumps(NASTY + chr(10) + 'Street')}, city: {N}, postcode: {N}, "
            f"url: {json.dumps(URL)}}}")
BODY_SAFE = f"""Body with & and "quotes" and {NASTY.replace('<', '&lt;')}

[a link](java&#115;cript:alert(1)) is refused, so it is not here.
""".replace("[a link](java&#115;cript:alert(1)) is refused, so it is not here.\n", "")
BODY_RAW = """Raw: <script>alert(1)</script> <img src=x onerror=alert(1)> <svg/onload=alert(1)>

<div onclick="alert(1)">block</div>

[styled](https://example.org/){: onclick="alert(1)" }
"""

FILES = {
    "content/people.yaml": f"villain: {{name: {json.dumps('Person ' + NASTY)}, role: {N}, organisation: {N}, "
                           f"bio: {N}, url: {json.dumps(URL)}}}\n",
    "content/events/2014-06-20-nasty.md": f"""---
title: {json.dumps(TITLE)}
summary: {json.dumps(NASTY + chr(10) + "second line")}
start: 2014-06-20 10:00
end: 2014-06-20 12:00
location: {LOCATION}
series: {json.dumps("Series " + NASTY)}
host: {N}
chair: villain
speakers: [villain, {{name: {json.dumps('Speaker ' + NASTY)}, role: {N}, organisation: {N}, url: {json.dumps(URL)}}}]
registration: {json.dumps(URL)}
price: {N}
tags: [{json.dumps('Tag ' + NASTY)}]
image: {{src: {json.dumps(URL)}, alt: {N}}}
resources: [{{title: {N}, url: {json.dumps(URL)}}}]
custom_field: {N}
---
{{body}}""",
    "content/summaries/2014-06-21-nasty.md": f"""---
title: {json.dumps("Summary " + NASTY)}
date: 2014-06-01
event: 2014-06-20-nasty
author: villain
tags: [{json.dumps('Tag ' + NASTY)}]
---
{{body}}""",
    "content/insights/2014-06-22-nasty.md": f"""---
title: {json.dumps("Insight " + NASTY)}
date: 2014-06-02
author: {{name: {N}}}
source: {N}
source_url: {json.dumps(URL)}
---
{{body}}""",
    "content/newsletters/2014-06-01-nasty.md": f"""---
title: {json.dumps("Issue " + NASTY)}
date: 2014-06-01
featured: [2014-06-20-nasty]
---
{{body}}""",
    "content/pages/nasty.md": f"""---
title: {json.dumps("Page " + NASTY)}
menu: 3
---
{{body}}""",
}
NOW = "2014-06-05T12:00"  # the event is upcoming, so it is in the newsletter, feeds and calendars


def make(make_site, mode: str, body: str) -> Path:
    return make_site({path: text.replace("{body}", body) for path, text in FILES.items()},
                     site_yaml=SITE_YAML.replace("{mode}", mode))


def parse_html(path: Path):
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def dangerous_url(value: str) -> bool:
    """What a browser would run: scheme after entity decoding and dropping control characters."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value)).lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:"))


def check_html(path: Path, root: Path) -> list[str]:
    """Problems in one HTML file: script elements, handlers, script URLs; JSON-LD must parse."""
    found, ld_strings = [], []
    for element in parse_html(path).iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"handler {name}={value!r}")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href") and dangerous_url(value):
                found.append(f"{name}={value!r}")
        if element.tag == "script":
            if element.get("type") == "application/ld+json":
                data = json.loads(element.text or "")
                ld_strings.extend(strings_in(data))
            elif "alert" not in (element.text or "") + (element.get("src") or ""):
                pass  # the theme's own script (search box): every payload in the content calls alert()
            else:
                found.append(f"script element {(element.text or '')[:40]!r}")
    rel = path.relative_to(root).as_posix()
    if rel == "events/2014-06-20-nasty/index.html" and ld_strings:
        assert TITLE in ld_strings, "the JSON-LD does not carry the event title exactly"
    return [f"{rel}: {p}" for p in found]


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def check_outputs(out: Path) -> dict[str, int]:
    """Parse every output file by type; return how many of each were checked."""
    counts = {"html": 0, "xml": 0, "ics": 0, "email": 0}
    problems: list[str] = []
    xml_texts: set[str] = set()
    summaries: list[str] = []
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".htm"):
            counts["html"] += 1
            problems += check_html(path, out)
            if path.name == "email.html":
                counts["email"] += 1
        elif path.suffix == ".xml":
            counts["xml"] += 1
            tree = etree.fromstring(path.read_bytes(), parser=etree.XMLParser(resolve_entities=False))
            assert not [e for e in tree.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "script"]
            xml_texts.update(e.text for e in tree.iter() if isinstance(e.tag, str) and e.text)
            if "sitemap" not in path.name:
                feed = feedparser.parse(path.read_bytes())
                assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
        elif path.suffix == ".ics":
            counts["ics"] += 1
            calendar = icalendar.Calendar.from_ical(path.read_bytes())
            for event in calendar.walk("VEVENT"):
                summaries.append(str(event.get("SUMMARY")))
                for field in ("DESCRIPTION", "LOCATION"):
                    if event.get(field) is not None:
                        assert "\r" not in str(event.get(field)).replace("\r\n", "")
            parsed = list(vobject.readComponents(path.read_text(encoding="utf-8")))
            assert parsed
    assert not problems, "\n".join(problems)
    if counts["xml"] > 1:  # feeds exist: some feed element carries the title exactly
        assert TITLE in xml_texts, "no feed element holds the event title exactly"
    if counts["ics"]:
        assert TITLE in summaries, "no calendar SUMMARY round-trips the event title exactly"
    return counts


@pytest.mark.parametrize("mode", ["allow", "escape"])
def test_every_field_is_escaped_wherever_it_lands(mode, make_site, build_site_at, tmp_path):
    site = make(make_site, mode, BODY_SAFE if mode == "allow" else BODY_SAFE + "\n" + BODY_RAW)
    build_site_at(site, tmp_path / "out", now=NOW)
    counts = check_outputs(tmp_path / "out")
    assert counts["html"] > 15
    title = parse_html(tmp_path / "out" / "events" / "2014-06-20-nasty" / "index.html").find(".//h1")
    assert "".join(title.itertext()).strip() == TITLE.strip()


def test_email_never_carries_scripts_even_when_raw_html_is_allowed(make_site, build_site_at, tmp_path):
    site = make(make_site, "allow", BODY_RAW)
    build_site_at(site, tmp_path / "out", now=NOW)
    emails = sorted((tmp_path / "out").rglob("email.html"))
    assert emails, "every newsletter issue has an e-mail rendering"
    problems = [p for path in emails for p in check_html(path, tmp_path / "out")]
    assert not problems, "\n".join(problems)


def test_raw_html_escape_mode_keeps_the_text_visible(make_site, build_site_at, tmp_path):
    site = make(make_site, "escape", BODY_RAW)
    build_site_at(site, tmp_path / "out", now=NOW)
    page = parse_html(tmp_path / "out" / "nasty" / "index.html")
    text = "".join(page.find(".//main").itertext()) if page.find(".//main") is not None else ""
    assert "<script>alert(1)</script>" in text


def test_raw_html_allow_mode_reports_scripts_and_handlers(make_site):
    from reThink_site.build import BuildOptions, plan

    site = make(make_site, "allow", BODY_RAW)
    problems = plan(BuildOptions(project=site, now=NOW, search=False)).problems
    flagged = {p.path for p in problems if "<script>" in p.message and p.severity == "warning"}
    assert flagged == {rel for rel in FILES if rel.endswith(".md")}


@pytest.mark.parametrize("body", ["<svg/onload=alert(1)>", "[x](https://a.org/){: onclick=\"alert(1)\" }",
                                  "<a href=\"javascript:alert(1)\">x</a>", "<SCRIPT>x</SCRIPT>"])
def test_check_reports_each_way_of_running_code(body):
    from reThink_site.markdown.base import has_script

    assert has_script(body)
    assert not has_script("An onion = a vegetable; scripts are written by authors.")


@pytest.mark.parametrize("href", ["javascript:alert(1)", "java&#115;cript:alert(1)", "JAVASCRIPT:x",
                                  "java&#x09;script:x", "data:text/html,x", "vbscript:x", "&#106;avascript:x"])
def test_markdown_links_with_script_urls_are_errors(href, make_site, build_site_at, tmp_path):
    from reThink_site.core.errors import ContentErrors

    site = make_site({"content/pages/p.md": f"---\ntitle: P\n---\nSee [this]({href}).\n"})
    with pytest.raises(ContentErrors) as caught:
        build_site_at(site, tmp_path / "out")
    assert any(p.path == "content/pages/p.md" and p.is_error for p in caught.value.problems)
