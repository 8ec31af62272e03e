"""Our fast serialisation of calendars gives exactly icalendar's own `to_ical()` bytes, and stays readable."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from reThink_site.build import BuildOptions, plan
from reThink_site.render import calendars, ics
from tests.helpers import PINNED_NOW, REPO, generate

EXAMPLES = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
# Characters that matter to escaping and folding, mixed with any printable text (1- to 4-octet UTF-8).
TRICKY = st.sampled_from(["\\", "^", ",", ";", ":", '"', "é", "€", "ß", "中", "😀", "\u200d", "💻", " ", "a", "n", "N"])
ANY_CHAR = st.characters(blacklist_categories=("Cs", "Cc"))
TEXT = st.text(st.one_of(TRICKY, ANY_CHAR), max_size=400)
LONG_RUN = st.builds(lambda piece, times: piece * times, st.text(TRICKY, min_size=1, max_size=3),
                     st.integers(0, 200))
LINE_TEXT = st.one_of(TEXT, LONG_RUN, st.builds(str.__add__, TEXT, LONG_RUN))


def icalendar_serialised(component: icalendar.Component) -> bytes:
    """What icalendar itself writes, the reference our serialiser must equal."""
    return component.to_ical()


def site_of(project: Path, now: str):
    """The indexed Site of a project, as a build makes it."""
    return plan(BuildOptions(project=project, now=now, jobs=1, cache=False, search=False)).site


def calendars_both_ways(site, monkeypatch) -> tuple[list, list]:
    """Every calendar file of a site, with our serialiser and with icalendar's `to_ical()`."""
    ours = calendars.calendar_files(site)
    with monkeypatch.context() as patch:
        patch.setattr(ics, "to_ical", icalendar_serialised)
        theirs = calendars.calendar_files(site)
    return ours, theirs


def group_calendars(site) -> int:
    """How many series and topics have events, and so a calendar of their own."""
    return sum(1 for group in site.series + site.tags if group.events)


def assert_readable(data: bytes) -> None:
    """CRLF lines of at most 75 octets that both icalendar and vobject parse."""
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    icalendar.Calendar.from_ical(data)
    vobject.readOne(data.decode("utf-8"))


@pytest.fixture(scope="module")
def real_site_model():
    return site_of(REPO, PINNED_NOW)


@pytest.fixture(scope="module")
def corpus_site_model(tmp_path_factory):
    root = generate(tmp_path_factory.mktemp("corpus") / "site", 150, seed=7)
    return site_of(root, "2020-06-01T12:00")


@given(LINE_TEXT)
@EXAMPLES
def test_fold_matches_icalendar_on_any_line(text):
    line = "DESCRIPTION:" + text.replace("\n", "\\n")
    assert ics.fold(line) == Contentline(line).to_ical()
    pieces = ics.fold(line).split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    assert b"".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line.encode("utf-8")


@pytest.mark.parametrize("size", [0, 1, 73, 74, 75, 76, 147, 148, 149, 1000])
@pytest.mark.parametrize("filler", ["a", "é", "€", "😀", "\\", "^", "a\\", "ab^", "\\,", "x😀é"])
def test_fold_matches_icalendar_at_every_boundary(size, filler):
    for prefix in ("", "X:", "SUMMARY;LANGUAGE=en:"):
        line = prefix + (filler * size)[:size]
        assert ics.fold(line) == Contentline(line).to_ical()


def test_real_site_calendars_equal_icalendar_output(real_site_model, monkeypatch):
    ours, theirs = calendars_both_ways(real_site_model, monkeypatch)
    assert len(ours) == len(real_site_model.events) + 1 + group_calendars(real_site_model) > 2
    assert [(f.path, f.data) for f in ours] == [(f.path, f.data) for f in theirs]
    for calendar in ours:
        assert_readable(calendar.data)


def test_corpus_calendars_equal_icalendar_output(corpus_site_model, monkeypatch):
    ours, theirs = calendars_both_ways(corpus_site_model, monkeypatch)
    assert len(ours) == len(corpus_site_model.events) + 1 + group_calendars(corpus_site_model) > 20
    assert [(f.path, f.data) for f in ours] == [(f.path, f.data) for f in theirs]
    programme = next(f.data for f in ours if f.path == "events.ics")
    assert max(len(line) for line in programme.split(b"\r\n")) >= 74  # long bodies were folded
    assert_readable(programme)


@given(title=LINE_TEXT.filter(lambda t: t.strip() and "\r" not in t), body=TEXT,
       place=TEXT, tags=st.lists(TEXT.filter(str.strip), max_size=4, unique=True))
@EXAMPLES
def test_any_event_text_serialises_as_icalendar_does(real_site_model, title, body, place, tags):
    site = real_site_model
    entry = site.events[0]
    location = entry.item.location.model_copy(update={"name": place or None}) if entry.item.location else None
    item = entry.item.model_copy(update={"title": title, "tags": tuple(tags), "location": location})
    changed = dataclasses.replace(entry, item=item, html=f"<p>{body}</p>")
    ours = ics.calendar_bytes([changed], site, title, description=body)
    component = ics.vevent(changed, site)
    assert ics.to_ical(component) == component.to_ical()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ics, "to_ical", icalendar_serialised)
        assert ours == ics.calendar_bytes([changed], site, title, description=body)
    assert_readable(ours)
    (parsed,) = icalendar.Calendar.from_ical(ours).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == title
    assert vobject.readOne(ours.decode("utf-8")).vevent.summary.value == title
