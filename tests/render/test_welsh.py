"""Cymraeg: the theme's Welsh catalog is complete, dates come from CLDR, and no English is left on Welsh pages."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import html5lib
import pytest
from babel.dates import get_day_names, get_month_names
from babel.messages.pofile import read_po

from reThink_site.build import BuildOptions, build
from reThink_site.content import eventtime
from reThink_site.core import localdates
from reThink_site.render import catalogs
from tests.helpers import LONDON, REPO, write_site

WELSH_PO = REPO / "templates" / "locale" / "cy" / "LC_MESSAGES" / "messages.po"
WELSH_SITE_YAML = """\
title: Prawf reThink
base_url: https://example.org/cy-prawf/
description: Safle bach i brofi’r rhyngwyneb Cymraeg.
language: cy
timezone: Europe/London
newsletter:
  title: Cylchlythyr Prawf
  signup_url: https://example.org/cofrestru
  footer: "Dad-danysgrifio: *|UNSUB|*"
"""
WELSH_NOW = "2015-03-01T09:00"
# A small site written in Welsh only, so any English on its pages is interface text the theme let through.
WELSH_FILES = {
    "content/venues.yaml": """\
        canolfan-y-dref:
          name: Canolfan y Dref
          address: [1 Stryd Fawr]
          town: Trefynwy
          postcode: NP25 3AA
          latitude: 51.81
          longitude: -2.71
          website: https://canolfan.example.org/
          access:
            step_free: true
            accessible_toilet: true
            hearing_loop: false
            parking: dau le parcio i ddeiliaid Bathodyn Glas
            contact: mynediad@canolfan.example.org
        """,
    "content/events/2015-03-10-gweithdy.md": """\
        ---
        title: Gweithdy arloesi
        start: 2015-03-10 12:30
        end: 2015-03-10 16:00
        location: canolfan-y-dref
        access: {bsl: true, captions: false, quiet_room: true, dietary: true}
        series: Cyfres brawf
        host: Cyngor Prawf
        chair: {name: Elin Puw, role: Cyfarwyddwr, organisation: Cyngor Prawf}
        speakers:
          - {name: Gwyn Rees, role: Prif Weithredwr, organisation: Cyngor Prawf}
        registration: https://tocynnau.example.org/gweithdy
        booking_closes: 2015-03-06 17:00
        places: 40
        price: Am ddim
        chatham_house: true
        resources:
          - {title: Sleidiau, url: /assets/sleidiau.pdf}
        tags: [arloesi]
        ---
        Gweithdy ar gyfer uwch swyddogion.
        """,
    "content/assets/sleidiau.pdf": b"%PDF-1.4\n",
    "content/events/2015-03-12-wedi-canslo.md": """\
        ---
        title: Sesiwn friffio
        start: 2015-03-12 10:00
        end: 2015-03-12 12:00
        status: cancelled
        ---
        Ni fydd hyn yn digwydd.
        """,
    "content/events/2015-03-13-wedi-gohirio.md": """\
        ---
        title: Fforwm y gwanwyn
        start: 2015-03-13
        status: postponed
        ---
        Fe gyhoeddwn ddyddiad newydd.
        """,
    "content/events/2015-03-18-aildrefnu.md": """\
        ---
        title: Cyfarfod amser cinio
        start: 2015-03-18 12:00
        end: 2015-03-18 13:30
        status: rescheduled
        previous_start: 2015-03-16 12:00
        location: canolfan-y-dref
        registration: https://tocynnau.example.org/cinio
        booking: waiting list
        ---
        Mae’r cyfarfod wedi symud ddeuddydd.
        """,
    "content/events/2015-03-19-ar-lein.md": """\
        ---
        title: Sgwrs fyw
        start: 2015-03-19 14:00
        status: moved online
        location: {name: Canolfan y Dref, city: Trefynwy, join: "https://cyfarfod.example.org/sgwrs"}
        ---
        Mae’r sgwrs bellach ar-lein.
        """,
    "content/events/2015-03-24-deuddydd.md": """\
        ---
        title: Cynhadledd ddeuddydd
        start: 2015-03-24 09:00
        end: 2015-03-25 00:00
        location: {name: Neuadd y Sir, city: Caerdydd}
        registration: https://tocynnau.example.org/cynhadledd
        booking_opens: 2015-03-05 09:00
        ---
        Dau ddiwrnod o sgyrsiau.
        """,
    "content/events/2015-04-02-llawn.md": """\
        ---
        title: Noson lawn
        start: 2015-04-02 18:00
        location: canolfan-y-dref
        registration: https://tocynnau.example.org/llawn
        booking: fully booked
        ---
        Dim lle ar ôl.
        """,
    "content/events/2015-04-08-drwy-r-dydd.md": """\
        ---
        title: Diwrnod agored
        start: 2015-04-08
        end: 2015-04-09
        location: online
        ---
        Deuddydd ar-lein.
        """,
    "content/events/2015-01-20-a-fu.md": """\
        ---
        title: Sesiwn y gaeaf
        start: 2015-01-20 10:00
        end: 2015-01-20 12:00
        location: canolfan-y-dref
        ---
        Sesiwn a fu.
        """,
    "content/summaries/2015-01-27-crynodeb.md": """\
        ---
        title: Beth a glywsom yn sesiwn y gaeaf
        date: 2015-01-27
        event: 2015-01-20-a-fu
        author: {name: Elin Puw}
        tags: [arloesi]
        ---
        Crynodeb byr o’r drafodaeth.
        """,
    "content/insights/2015-02-10-yn-y-wasg.md": """\
        ---
        title: Erthygl mewn cylchgrawn
        date: 2015-02-10
        source: Y Cylchgrawn
        source_url: https://cylchgrawn.example.org/erthygl
        ---
        Erthygl am waith y rhaglen.
        """,
    "content/insights/2015-02-20-syniadau.md": """\
        ---
        title: Tri syniad newydd
        date: 2015-02-20
        author: {name: Gwyn Rees, role: Prif Weithredwr}
        ---
        Tri syniad ar gyfer y flwyddyn.
        """,
    "content/pages/amdanom.md": """\
        ---
        title: Amdanom ni
        menu: 1
        ---
        Tudalen amdanom ni.
        """,
    "content/newsletters/2015-02-25-chwefror.md": """\
        ---
        title: Rhifyn mis Chwefror
        date: 2015-02-25
        featured: [2015-03-10-gweithdy]
        ---
        Croeso i rifyn mis Chwefror.
        """,
}

CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b")
ENGLISH_WORDS = re.compile(r"\b(?:midday|midnight|all day)\b")
INLINE = {"a", "abbr", "b", "code", "em", "i", "span", "strong", "time", "small", "sup", "sub", "q", "cite",
          "label", "button", "img"}
SKIP = {"script", "style"}
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def welsh_catalog():
    with WELSH_PO.open("rb") as source:
        return read_po(source, locale="cy")


def extracted_ids(tmp_path: Path) -> set[str]:
    """The English msgids `pybabel extract` finds with the repository's babel.cfg (singular ones for plurals)."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
                    "-o", str(pot), "."], cwd=REPO, check=True, capture_output=True)
    with pot.open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def english_patterns(known: dict[str, str]) -> list[tuple[str, re.Pattern]]:
    """Each English msgid the Welsh catalog words differently, as a pattern of the text a page would show.

    Tags are dropped (the page shows their text); a placeholder the site fixes (its title) is that text, a
    time or a count is digits, any other is some text.
    """
    found = []
    for message in welsh_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if text in strings:
                continue  # written the same in Welsh, such as "Map (OpenStreetMap)"
            visible = _normal(html.unescape(re.sub(r"<[^>]+>", "", text)))
            regex = ""
            for part in re.split(r"(%\(\w+\)[sd])", visible):
                name = re.fullmatch(r"%\((\w+)\)[sd]", part)
                if name is None:
                    regex += re.escape(part)
                elif name.group(1) in known:
                    regex += re.escape(known[name.group(1)])
                else:
                    regex += {"time": r"\d{1,2}(?::\d\d)?", "num": r"\d+"}.get(name.group(1), ".+")
            found.append((text, re.compile(regex)))
    return found


def segments(element) -> list[str]:
    """The runs of text a reader sees as one piece: inline elements joined, block elements apart."""
    runs, current = [], [element.text or ""]

    def inline_text(node) -> str:
        if node.tag in SKIP:
            return node.tail or ""
        inner = (node.text or "") + "".join(inline_text(child) for child in node)
        return inner + (node.tail or "")

    for child in element:
        if not isinstance(child.tag, str):
            current.append(child.tail or "")
        elif child.tag in INLINE:
            current.append(inline_text(child))
        else:
            runs.append("".join(current))
            if child.tag not in SKIP:
                runs.extend(segments(child))
            current = [child.tail or ""]
    runs.append("".join(current))
    return [_normal(run) for run in runs if _normal(run)]


def interface_text(page: bytes) -> list[str]:
    """Everything a Welsh page shows or tells assistive technology: text runs, labels, the title, meta text."""
    root = html5lib.parse(page, namespaceHTMLElements=False)
    texts = segments(root.find("body"))
    texts.append(_normal(root.find("head/title").text or ""))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        texts += [_normal(element.get(name)) for name in ATTRIBUTES if element.get(name)]
        if element.tag == "meta" and element.get("name") == "description":
            texts.append(_normal(element.get("content", "")))
    return [text for text in texts if text]


def english_left(texts: list[str], patterns) -> list[str]:
    """The English a Welsh page still shows: whole catalog messages, English clock times and day words."""
    left = [f"{text!r} is the English of {msgid!r}" for text in texts for msgid, pattern in patterns
            if pattern.fullmatch(text)]
    english_names = set(get_month_names("wide", locale="en").values())
    english_names |= set(get_day_names("wide", locale="en").values())
    for text in texts:
        words = set(re.findall(r"[A-Z][a-z]+", text))
        left += [f"{text!r} names {word!r} in English" for word in sorted(words & english_names)]
        left += [f"{text!r} has the English clock {m!r}" for m in CLOCK.findall(text)]
        left += [f"{text!r} has the English words {m!r}" for m in ENGLISH_WORDS.findall(text)]
    return left


@pytest.fixture(scope="module")
def welsh_site(tmp_path_factory) -> Path:
    root = write_site(tmp_path_factory.mktemp("cymraeg") / "site", WELSH_FILES, WELSH_SITE_YAML)
    build(BuildOptions(project=root, output=root / "output", now=WELSH_NOW, jobs=1, search=False))
    return root / "output"


def test_the_welsh_catalog_translates_every_message_pybabel_finds(tmp_path):
    catalog = welsh_catalog()
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
    missing = sorted(msgid for msgid in extracted_ids(tmp_path)
                     if not translated.get(msgid) or not all(translated[msgid]))
    assert not missing, ("add these to templates/locale/cy/LC_MESSAGES/messages.po "
                         f"(pybabel update -l cy, then translate): {missing}")
    assert not [m.id for m in catalog if m.fuzzy and m.id]
    problems = [(m.id, errors) for m, errors in catalog.check()]  # placeholders the same as the English's
    assert not problems


def test_the_welsh_catalog_defines_each_message_once():
    """Two branches adding one message merge into two entries; gettext's msgfmt refuses such a file."""
    blocks = WELSH_PO.read_text(encoding="utf-8").split("\n\n")
    ids = [re.sub(r'"\n"', "", block.split("msgid ", 1)[1].split("\nmsgstr", 1)[0].split("\nmsgid_plural")[0])
           for block in blocks if "\nmsgid " in "\n" + block]
    assert len(ids) > 200
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    if shutil.which("msgfmt"):  # GNU gettext's own check, where it is installed (Debian package gettext)
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(WELSH_PO)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_welsh_plurals_follow_cldr_and_mutate_after_two():
    welsh = catalogs.translations([REPO / "templates"], "cy")
    assert [welsh.ngettext("%(num)d event", "%(num)d events", n) % {"num": n} for n in (1, 2, 3, 6, 11)] == \
        ["1 digwyddiad", "2 ddigwyddiad", "3 digwyddiad", "6 digwyddiad", "11 digwyddiad"]


def test_dates_and_names_come_from_cldr_in_welsh():
    assert localdates.long_day(date(2015, 2, 27), "cy") == "Dydd Gwener 27 Chwefror 2015"
    assert localdates.format_date(date(2014, 6, 20), "long", "cy") == "20 Mehefin 2014"
    assert localdates.format_date(date(2014, 7, 1), "month", "cy") == "Gorffennaf 2014"
    assert localdates.format_date(date(2015, 2, 27), "month_short", "cy") == "Chw"
    assert [short for _, short in localdates.weekday_names("cy")] == ["Llun", "Maw", "Mer", "Iau", "Gwe", "Sad", "Sul"]
    assert localdates.weekday_names("cy")[0][0] == "Dydd Llun"
    assert localdates.long_day(date(2015, 2, 27), "en-GB") == "Friday 27 February 2015"


def test_event_times_read_in_welsh_through_the_catalog():
    from reThink_site.content.models import Event

    def event(**fields) -> Event:
        data = {"source_path": "content/events/x.md", "slug": "x", "title": "x", **fields}
        return Event.model_validate(data, context={"tz": LONDON, "people": {}, "lines": {}})

    words = catalogs.translations([REPO / "templates"], "cy").gettext
    afternoon = event(start="2014-01-15 12:30", end="2014-01-15 16:00")
    assert eventtime.describe(afternoon, LONDON, "12-hour", "cy", words) == \
        "Dydd Mercher 15 Ionawr 2014, 12:30yp tan 4yp"
    assert eventtime.describe(afternoon, LONDON) == "Wednesday 15 January 2014, 12:30pm to 4pm"
    noon = event(start="2014-01-15 12:00", end="2014-01-16 00:00")
    assert eventtime.describe(noon, LONDON, "12-hour", "cy", words) == \
        "Dydd Mercher 15 Ionawr 2014, hanner dydd – Dydd Iau 16 Ionawr 2014, hanner nos"
    days = event(start="2014-03-27", end="2014-03-28")
    assert eventtime.describe(days, LONDON, "12-hour", "cy", words) == \
        "Dydd Iau 27 Mawrth 2014 – Dydd Gwener 28 Mawrth 2014 (drwy’r dydd)"
    deadline = datetime(2015, 3, 6, 17, 0, tzinfo=LONDON)
    assert eventtime.moment_text(deadline, afternoon, LONDON, "12-hour", "cy", words) == \
        "5yp, Dydd Gwener 6 Mawrth 2015"
    assert eventtime.moment_text(deadline, afternoon, LONDON) == "5pm on Friday 6 March 2015"


def test_no_english_interface_text_is_left_on_a_welsh_page(welsh_site):
    patterns = english_patterns({"site": "Prawf reThink", "newsletter": "Cylchlythyr Prawf", "zone": "Europe/London"})
    pages = [p for p in sorted(welsh_site.rglob("*.html")) if "admin" not in p.relative_to(welsh_site).parts]
    assert len(pages) > 30
    kinds = {p.relative_to(welsh_site).parts[0] for p in pages}
    assert {"events", "summaries", "insights", "newsletter", "search", "404.html", "subscribe", "tags", "people",
            "venues", "amdanom"} <= kinds
    left = {}
    for page in pages:
        root = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        assert root.get("lang") == "cy", page
        found = english_left(interface_text(page.read_bytes()), patterns)
        if found:
            left[page.relative_to(welsh_site).as_posix()] = found
    assert not left


def test_the_welsh_newsletter_email_and_text_are_welsh(welsh_site):
    issue = welsh_site / "newsletter" / "2015-02-25-chwefror"
    patterns = english_patterns({"site": "Prawf reThink", "newsletter": "Cylchlythyr Prawf"})
    assert not english_left(interface_text((issue / "email.html").read_bytes()), patterns)
    text = (issue / "email.txt").read_text(encoding="utf-8")
    lines = [_normal(line.rstrip(":")) for line in text.splitlines() if _normal(line)]
    assert "DAN SYLW" in lines and "I DDOD" in lines and "ERS Y RHIFYN DIWETHAF" in lines
    assert not english_left([line for line in lines if not line.isupper()], patterns)
    assert "Dydd Mawrth 10 Mawrth 2015, 12:30yp tan 4yp" in text


def test_the_welsh_event_page_shows_welsh_labels_and_dates(welsh_site):
    page = html5lib.parse((welsh_site / "events" / "2015-03-10-gweithdy" / "index.html").read_bytes(),
                          namespaceHTMLElements=False)
    labels = [_normal("".join(dt.itertext())) for dt in page.iter("dt")]
    assert labels[:2] == ["Pryd", "Ble"]
    when = _normal("".join(page.find(".//dl[@class='event__facts']/dd").itertext()))
    assert when == "Dydd Mawrth 10 Mawrth 2015, 12:30yp tan 4yp"
    assert page.find(".//h2[@id='event-speakers']").text == "Siaradwyr"
    assert page.find(".//h2[@id='event-chatham']").text == "Rheol Chatham House"
    assert page.find(".//h2[@id='event-add-to-calendar']").text == "Ychwanegu at y calendr"
    assert _normal("".join(page.find(".//a[@class='button button--register']").itertext())) == \
        "Cofrestru ar gyfer Gweithdy arloesi"
    badge = page.find(".//time[@class='date-badge']")
    assert [_normal(s.text) for s in badge.iter("span")] == ["10", "Maw", "2015"]
    closes = _normal("".join(page.find(".//p[@class='booking booking--closes']").itertext()))
    assert closes == "Bydd archebu lle yn cau am 5yp, Dydd Gwener 6 Mawrth 2015."


def test_the_welsh_calendar_grid_names_welsh_days_and_months(welsh_site):
    page = html5lib.parse((welsh_site / "events" / "calendar" / "2015" / "03" / "index.html").read_bytes(),
                          namespaceHTMLElements=False)
    heads = [(abbr.get("title"), abbr.text) for abbr in page.iterfind(".//thead//abbr")]
    assert heads[0] == ("Dydd Llun", "Llun") and heads[-1] == ("Dydd Sul", "Sul")
    assert _normal("".join(page.find(".//caption").itertext())).startswith("Mawrth 2015 (")
    cell = page.find(".//td[@class='has-events']//time[@datetime='2015-03-10']/../ul/li/span")
    assert cell.text == "12:30yp"
    title = page.find(".//title").text
    assert title.startswith("Calendr digwyddiadau: Mawrth 2015")


def test_the_welsh_search_page_gives_pagefind_its_welsh_strings(welsh_site):
    page = (welsh_site / "search" / "index.html").read_text(encoding="utf-8")
    options = re.search(r"translations: (\{.*?\})\n", page).group(1)
    assert '"Teipiwch enw, pwnc neu le"' in options
    assert 'zero_results: "Dim canlyniadau ar gyfer [SEARCH_TERM]"' in options
    assert 'many_results: "[COUNT] canlyniad ar gyfer [SEARCH_TERM]"' in options
    assert html5lib.parse(page, namespaceHTMLElements=False).get("lang") == "cy"


def test_a_sites_own_locale_folder_overrides_the_welsh_theme_message_by_message(tmp_path):
    po = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: cy\\n"

msgid "Speakers"
msgstr "Cyfranwyr"
'''
    files = dict(WELSH_FILES)
    files["locale/cy/LC_MESSAGES/messages.po"] = po
    root = write_site(tmp_path / "site", files, WELSH_SITE_YAML)
    build(BuildOptions(project=root, output=root / "output", now=WELSH_NOW, jobs=1, search=False))
    page = html5lib.parse((root / "output" / "events" / "2015-03-10-gweithdy" / "index.html").read_bytes(),
                          namespaceHTMLElements=False)
    assert page.find(".//h2[@id='event-speakers']").text == "Cyfranwyr"  # the site's word
    assert page.find(".//h2[@id='event-chatham']").text == "Rheol Chatham House"  # the theme's, not overridden
