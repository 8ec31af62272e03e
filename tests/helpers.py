"""What more than one test module needs that cannot be a fixture: constants, data and plain functions.

Fixtures live in the conftest.py files (tests/conftest.py for the whole suite, tests/<folder>/conftest.py
for one folder). This module is not a test module and imports none: test modules import from here, never
from each other (tests/test_suite_layout.py checks that).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import sys
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from reThink_site.build import BuildOptions, build
from reThink_site.incremental import sparetree
from reThink_site.render.templates import default_theme

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
PINNED_NOW = "2015-03-10T12:00"  # after the last event and post of the real site: everything published
LONDON = ZoneInfo("Europe/London")  # the default site zone

WORDPRESS_FIXTURES = TESTS / "importing" / "fixtures"
WORDPRESS_EXPORT = WORDPRESS_FIXTURES / "inetwork-events.xml"  # the fixture WXR export the import tests read
WORDPRESS_UPLOADS = WORDPRESS_FIXTURES / "uploads"  # its wp-content/uploads folder

MINIMAL_SITE_YAML = """\
title: Test reThink
base_url: https://example.org/
description: A test site.
"""


def write_site(root: Path, files: dict[str, str | bytes], site_yaml: str = MINIMAL_SITE_YAML) -> Path:
    """Write a small site into root from {relative path: text or bytes} (text is dedented) and return root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(textwrap.dedent(site_yaml), encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _load_corpus():
    """bench/corpus.py, the generator of big deterministic sites, without putting bench/ on sys.path."""
    spec = importlib.util.spec_from_file_location("rethink_bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_corpus().generate  # generate(folder, number of files, seed) -> the site's folder


# --- Cached, incremental and parallel builds (tests/incremental/, and the engine switch in tests/markdown/) ---

BROWSER_NOW = "2014-03-01T12:00"  # the browser tests' now: some events upcoming, some past
EXTRA = "content/insights/2015-01-05-extra-thoughts.md"
EXTRA_TEXT = """---
title: Extra thoughts
date: 2015-01-05
tags: [extra topic]
---
An extra insight that the tests edit, rename and delete.

## A heading

More text with a [link](https://example.com/).
"""
UNRELATED = "events/2014-01-08-design-in-public-services-briefing/index.html"  # a page no edit of EXTRA touches


def run(root: Path, output: Path, cache: bool = True, jobs: int = 1, now: str = PINNED_NOW):
    """Build root into output with the pinned now and no search index; the build's report."""
    return build(BuildOptions(project=root, output=output, now=now, jobs=jobs, cache=cache, search=False))


def copy_sources(site: Path, dest: Path) -> Path:
    """Copy a site's sources to dest: everything but its output/, its .rethink-cache/ and build leftovers."""
    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != site:
            return []
        return [name for name in names if name == "output" or name.startswith(".rethink-")]

    shutil.copytree(site, dest, ignore=ignore)
    return dest


def assert_clean(site: Path, tmp_path: Path, label: str, now: str = PINNED_NOW) -> dict[str, bytes]:
    """The published site equals, byte for byte, both a fresh cached build and a --no-cache build of its content.

    The fresh cached build copies the sources (no output/, no .rethink-cache/) to a new folder and builds them
    there with the cache on, so it starts from an empty cache; the --no-cache build (BuildOptions(cache=False))
    reads and writes no cache at all. Returns the --no-cache build's files.
    """
    published = tree(site / "output")
    fresh = tmp_path / f"fresh-{label}"
    shutil.rmtree(fresh, ignore_errors=True)
    copy_sources(site, fresh)
    with pytest.MonkeyPatch.context() as patch:
        # the fresh folder is thrown away: no spare tree is cloned ahead for it (a test may have lowered
        # sparetree.CLONE_AHEAD_FILES or replaced sparetree.clone for its own builds)
        patch.setattr(sparetree, "start", lambda *args: None)
        run(fresh, fresh / "output", now=now)
    clean = tmp_path / f"clean-{label}"
    shutil.rmtree(clean, ignore_errors=True)
    run(site, clean, cache=False, now=now)
    cold, no_cache = tree(fresh / "output"), tree(clean)
    assert published == cold, f"after {label} the output differs from a fresh cached build"
    assert published == no_cache, f"after {label} the output differs from a clean --no-cache build"
    return no_cache


def edit_body(root: Path) -> None:
    path = root / EXTRA
    path.write_text(path.read_text(encoding="utf-8").replace("More text", "Changed text"), encoding="utf-8")


def edit_title(root: Path) -> None:
    path = root / EXTRA
    path.write_text(path.read_text(encoding="utf-8").replace("title: Extra thoughts", "title: Other thoughts"),
                    encoding="utf-8")


def edit_template(root: Path) -> None:
    own = root / "templates"
    own.mkdir(exist_ok=True)
    base = (default_theme() / "base.html").read_text(encoding="utf-8")
    (own / "base.html").write_text(base.replace("</body>", "<!-- site override --></body>"), encoding="utf-8")


def edit_site_yaml(root: Path) -> None:
    path = root / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Local reThink", "title: Local reThink 2"),
                    encoding="utf-8")


def edit_asset(root: Path) -> None:
    path = root / "content/assets/images/local-rethink-logo.svg"
    path.write_bytes(path.read_bytes().replace(b"</svg>", b"<!-- v2 --></svg>"))
    (root / "content/assets/notes.txt").write_text("new asset\n", encoding="utf-8")


def delete_file(root: Path) -> None:
    (root / EXTRA).unlink()


def rename_file(root: Path) -> None:
    (root / EXTRA).rename(root / "content/insights/2015-01-05-renamed-thoughts.md")


def damage_cache(database: Path, damage: str, table: str, rows: dict[str, tuple[str, tuple]]) -> None:
    """Spoil a cache database: garbage bytes, another tool's format marker, or every row set to `rows[damage]`."""
    if damage == "garbage":
        database.write_bytes(b"this is not a database" * 100)
        return
    with sqlite3.connect(database) as connection:
        if damage == "foreign format":
            connection.execute("UPDATE meta SET value = 'someone-else/9' WHERE name = 'format'")
        else:
            value, parameters = rows[damage]
            connection.execute(f"UPDATE {table} SET value = {value}", parameters)
    connection.close()


# --- Fuzzing (tests/content/test_reliability_fuzz.py, tests/markdown/test_commonmark.py) ---

FUZZ_EXAMPLES = int(os.environ.get("RETHINK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
MARKDOWN_PIECES = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "![](../../../etc/passwd)",
                   "[a](../pages/nothing.md)", "<img src=x onerror=alert(1)>", "{: onclick=\"alert(1)\" }",
                   "```\n", "[^1]", "\n[^1]: note\n", "| a | b |\n|---|---|\n", "<div>\n", "&#x6a;"]
markdown_bodies = st.lists(st.text(alphabet="#*_[]()!<>`~|-:=\"'&/\\\n \tabcxyz1\u00e9\u202e\U0001f600", max_size=20)
                           | st.sampled_from(MARKDOWN_PIECES), max_size=15).map("".join)


# --- The event site (tests/render/: calendars, month grids, JSON-LD) ---
# A small site whose events exercise every time rule: DST change, all-day spans, other zones.

LONG_TITLE = ("Réunion über die Zukunft der öffentlichen Dienste – Ærøskøbing, Kraków, Zürich "
              "and Łódź compare notes on neighbourhood services")
SCRIPT_TITLE = 'Close </script> tags & "quotes" <b>here</b>'

EVENT_FILES = {
    "content/events/2014-08-14-summer-workshop.md": """\
        ---
        title: Summer workshop
        start: 2014-08-14 09:00
        end: 2014-08-14 17:00
        updated: 2014-08-01 10:00
        location: {name: Town Hall, address: 1 Market Street, city: Manchester, postcode: M1 1AA}
        host: iNetwork
        ---
        A past workshop with **bold** words and [a link](https://example.com/more).

        A second paragraph.
        """,
    "content/events/2014-10-25-clock-change.md": f"""\
        ---
        title: "{LONG_TITLE}"
        start: 2014-10-25 22:00
        end: 2014-10-26 03:00
        location: {{name: Night Café, city: Leeds}}
        ---
        Through the night the clocks go back.
        """,
    "content/events/2014-10-30-cancelled.md": """\
        ---
        title: Cancelled briefing
        start: 2014-10-30 10:00
        end: 2014-10-30 12:00
        status: cancelled
        ---
        This will not happen.
        """,
    "content/events/2014-11-03-conference.md": """\
        ---
        title: Three-day conference
        start: 2014-11-03
        end: 2014-11-05
        location: {name: Conference Centre, city: Liverpool}
        image: {src: /assets/hall.png, alt: The hall}
        speakers:
          - {name: Asha Patel, role: Director, organisation: Example Council}
          - Ben Jones
        host: iNetwork
        registration: https://tickets.example.com/conference
        price: "£25 per person"
        ---
        Three days of talks.
        """,
    "content/events/2014-11-20-no-end.md": f"""\
        ---
        title: '{SCRIPT_TITLE}'
        start: 2014-11-20 18:30
        location: {{url: https://meet.example.com/room}}
        registration: https://tickets.example.com/online
        price: Free
        ---
        An online talk with no end time.
        """,
    "content/events/2014-12-01-new-york.md": """\
        ---
        title: Evening in New York
        start: 2014-12-01 18:00
        end: 2014-12-01 20:00
        timezone: America/New_York
        location: {name: Civic Hall, address: 156 Fifth Avenue, city: New York, postcode: NY 10010}
        ---
        Across the Atlantic.
        """,
    "content/events/2015-01-15-offset.md": """\
        ---
        title: New year round-up
        start: 2015-01-15T10:00+00:00
        end: 2015-01-15T12:00+00:00
        ---
        Given with an explicit offset.
        """,
    "content/assets/hall.png": b"\x89PNG\r\n\x1a\n",
}

# What the content files say, as UTC instants (all-day events: first day and exclusive end day).
EXPECTED_UTC = {
    "2014-08-14-summer-workshop": ("2014-08-14T08:00:00+00:00", "2014-08-14T16:00:00+00:00"),
    "2014-10-25-clock-change": ("2014-10-25T21:00:00+00:00", "2014-10-26T03:00:00+00:00"),
    "2014-10-30-cancelled": ("2014-10-30T10:00:00+00:00", "2014-10-30T12:00:00+00:00"),
    "2014-11-03-conference": ("2014-11-03", "2014-11-06"),
    "2014-11-20-no-end": ("2014-11-20T18:30:00+00:00", None),
    "2014-12-01-new-york": ("2014-12-01T23:00:00+00:00", "2014-12-02T01:00:00+00:00"),
    "2015-01-15-offset": ("2015-01-15T10:00:00+00:00", "2015-01-15T12:00:00+00:00"),
}

EVENT_SITE_NOW = "2014-10-20T09:00"  # the summer workshop is past, the clock-change night and the rest to come

# Events the way councils run them: a venue from venues.yaml, hybrid, rescheduled, moved online, booking.
COUNCIL_SITE_YAML = """\
title: Council reThink
base_url: https://example.org/
description: A test site of council events.
contact_email: events@example.org
events:
  default_duration: 90 minutes
"""
COUNCIL_FILES = {
    "content/venues.yaml": """\
        eastmoor-centre:
          name: Eastmoor Community Centre
          address: [4 Mill Lane]
          town: Eastmoor
          postcode: EX4 1AB
          latitude: 50.7236
          longitude: -3.5275
          website: https://eastmoor.example.org/
          access:
            step_free: true
            accessible_toilet: true
            hearing_loop: false
            parking: 2 Blue Badge spaces by the main door
            contact: access@eastmoor.example.org
        """,
    "content/events/2015-03-05-hybrid-forum.md": """\
        ---
        title: Hybrid forum
        start: 2015-03-05 10:00
        end: 2015-03-05 16:00
        location: {venue: eastmoor-centre, join: "https://meet.example.com/forum"}
        access: {bsl: true, captions: true, hearing_loop: true, dietary: true}
        host: Eastmoor Council
        registration: https://tickets.example.com/forum
        booking_opens: 2015-02-01 09:00
        booking_closes: 2015-03-02 17:00
        places: 40
        price: Free to iNetwork members
        ---
        A forum in the hall and online.
        """,
    "content/events/2015-03-12-moved-briefing.md": """\
        ---
        title: Moved briefing
        start: 2015-03-12 12:00
        end: 2015-03-12 13:30
        status: rescheduled
        previous_start: 2015-03-10 12:00
        location: eastmoor-centre
        registration: https://tickets.example.com/briefing
        booking: waiting list
        price: "£10"
        ---
        The briefing moved by two days.
        """,
    "content/events/2015-03-19-online-now.md": """\
        ---
        title: Now online
        start: 2015-03-19 14:00
        status: moved online
        location: {name: Eastmoor Community Centre, city: Eastmoor, join: "https://meet.example.com/now"}
        ---
        This session moved online.
        """,
    "content/events/2015-03-29-clock-change.md": """\
        ---
        title: Night of the clock change
        start: 2015-03-29 00:30
        end: 2015-03-29 03:00
        location: Eastmoor Community Centre, 4 Mill Lane, Eastmoor
        ---
        The clocks go forward at 1am.
        """,
    "content/events/2015-04-02-full-house.md": """\
        ---
        title: Full house
        start: 2015-04-02 18:00
        location: eastmoor-centre
        registration: https://tickets.example.com/full
        booking: fully booked
        ---
        No places left.
        """,
}
COUNCIL_NOW_BEFORE = "2015-02-20T09:00"  # booking for the hybrid forum is open
COUNCIL_NOW_AFTER = "2015-03-03T09:00"  # booking closed on 2 March at 5pm; the forum itself is still to come

# libical's own RFC 5546 (iTIP) restriction check, run by Debian's Python, which has the GObject bindings.
ITIP_CHECK = r"""
import json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib

def errors(component, found):
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(prop.get_xlicerror())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        errors(child, found)
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return found

report = {}
for path in sys.argv[1:]:
    component = ICalGLib.Component.new_from_string(open(path, encoding="utf-8").read())
    if component is None:
        report[path] = ["libical could not parse the file"]
        continue
    passed = bool(ICalGLib.restriction_check(component))
    report[path] = errors(component, []) + ([] if passed else ["restriction_check failed"])
print(json.dumps(report))
"""
SYSTEM_PYTHON = Path("/usr/bin/python3")


def libical_itip_problems(paths: list[Path]) -> dict[str, list[str]]:
    """libical's METHOD-restriction errors for each .ics file (skipped, or failed under CI, without libical)."""
    import json
    import subprocess

    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
                           capture_output=True) if SYSTEM_PYTHON.exists() else None
    if probe is None or probe.returncode != 0:
        message = "libical's Python bindings are missing (Debian packages gir1.2-ical-3.0 and python3-gi)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([str(SYSTEM_PYTHON), "-c", ITIP_CHECK, *map(str, paths)], capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


GOOGLE_STATUSES = {f"https://schema.org/{s}" for s in ("EventScheduled", "EventCancelled", "EventPostponed",
                                                       "EventRescheduled", "EventMovedOnline")}
GOOGLE_MODES = {f"https://schema.org/{m}EventAttendanceMode" for m in ("Offline", "Online", "Mixed")}


def google_event_errors(data: dict) -> list[str]:
    """What Google's Event rules call errors: name, startDate, and a location with an address or a URL."""
    errors = [f"missing {name}" for name in ("name", "startDate", "location") if not data.get(name)]
    places = data.get("location") or []
    for place in places if isinstance(places, list) else [places]:
        if place.get("@type") == "Place":
            address = place.get("address")
            if not address or (isinstance(address, dict) and not set(address) - {"@type"}):
                errors.append("a Place without an address")
        elif place.get("@type") == "VirtualLocation":
            if not place.get("url"):
                errors.append("a VirtualLocation without a url")
        else:
            errors.append(f"a location of type {place.get('@type')!r}")
    if data.get("eventStatus") not in GOOGLE_STATUSES:
        errors.append(f"eventStatus {data.get('eventStatus')!r}")
    if data.get("eventAttendanceMode") not in GOOGLE_MODES:
        errors.append(f"eventAttendanceMode {data.get('eventAttendanceMode')!r}")
    offer = data.get("offers")
    if offer is not None and "price" in offer and "priceCurrency" not in offer:
        errors.append("a price without a currency")
    return errors


def google_event_warnings(data: dict) -> list[str]:
    """Google's recommended Event properties that are missing."""
    wanted = ("description", "endDate", "eventStatus", "eventAttendanceMode", "organizer", "offers")
    found = [f"missing {name}" for name in wanted if not data.get(name)]
    offer = data.get("offers") or {}
    found += [f"offers without {name}" for name in ("availability", "url", "validFrom")
              if offer and not offer.get(name)]
    return found
