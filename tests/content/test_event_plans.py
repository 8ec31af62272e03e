"""The new event fields (venues, access, booking, changed plans) refuse bad input in the editor's words."""

from __future__ import annotations

import json

import pytest

from reThink_site.core.errors import ContentErrors
from tests.helpers import PINNED_NOW

VENUES = """\
eastmoor-centre:
  name: Eastmoor Community Centre
  postcode: EX4 1AB
"""


def event(extra: str) -> str:
    return f"---\ntitle: Forum\nstart: 2015-03-05 10:00\nend: 2015-03-05 12:00\n{extra}\n---\nBody.\n"


def build_problems(make_site, build_site_at, files) -> list:
    root = make_site(files)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root, now=PINNED_NOW)
    assert not (root / "output").exists()
    return [p for p in caught.value.problems if p.is_error]


def test_an_unknown_venue_id_names_the_known_ones(make_site, build_site_at):
    problems = build_problems(make_site, build_site_at, {
        "content/venues.yaml": VENUES,
        "content/events/2015-03-05-forum.md": event("location: {venue: eastmor-centre}")})
    assert [(p.path, p.line, p.field) for p in problems] == [("content/events/2015-03-05-forum.md", 5, "location")]
    assert "eastmoor-centre" in problems[0].message and "eastmor-centre" in problems[0].message


@pytest.mark.parametrize("extra, field, words", [
    ("status: rescheduled", "previous_start", "before it moved"),
    ("booking_closes: next week", "booking_closes", "expected"),
    ("booking_opens: 2015-03-01 09:00\nbooking_closes: 2015-02-01 09:00", "booking_closes", "after booking_opens"),
    ("booking: maybe", "booking", "waiting list"),
    ("access: {contact: ask at the door}", "access.contact", "e-mail address or a phone number"),
    ("access: {step_free: true, lift: true}", "access.lift", "unknown field"),
    ("location: {name: Hall, join: 'javascript:alert(1)'}", "location.join", "https://"),
])
def test_bad_event_fields_are_reported_with_their_field(make_site, build_site_at, extra, field, words):
    problems = build_problems(make_site, build_site_at, {"content/events/2015-03-05-forum.md": event(extra)})
    assert [p.field for p in problems] == [field], [p.format() for p in problems]
    assert words in problems[0].message


def test_bad_venues_yaml_entries_are_reported_with_their_lines(make_site, build_site_at):
    problems = build_problems(make_site, build_site_at, {
        "content/venues.yaml": VENUES + "town-hall:\n  name: Town Hall\n  latitude: 52.1\n"
                                        "Bad Id:\n  name: X\n",
        "content/events/2015-03-05-forum.md": event("location: eastmoor-centre")})
    assert sorted((p.path, p.line, p.field) for p in problems) == [
        ("content/venues.yaml", 6, "latitude"), ("content/venues.yaml", 7, "id")]


def test_a_venue_id_as_location_brings_the_venue_and_plain_places_keep_working(make_site, build_site_at):
    root = make_site({"content/venues.yaml": VENUES,
                      "content/events/2015-03-05-forum.md": event("location: eastmoor-centre"),
                      "content/events/2015-03-06-talk.md": event("location: Town Hall, High Street").replace(
                          "2015-03-05", "2015-03-06"),
                      "content/events/2015-03-07-call.md": event("location: online").replace(
                          "2015-03-05", "2015-03-07")})
    build_site_at(root, now=PINNED_NOW)
    forum = (root / "output/events/2015-03-05-forum/index.html").read_text(encoding="utf-8")
    assert "EX4 1AB" in forum and "/venues/eastmoor-centre/" in forum
    assert "Town Hall, High Street" in (root / "output/events/2015-03-06-talk/index.html").read_text(encoding="utf-8")
    assert (root / "output/venues/eastmoor-centre/index.html").exists()


def test_check_warns_about_events_search_engines_or_people_cannot_use(make_site, runner):
    from reThink_site.cli import main

    root = make_site({
        "content/events/2015-03-05-nowhere.md": event(""),
        "content/events/2015-03-06-call.md": event("location: online").replace("2015-03-05", "2015-03-06"),
        "content/events/2015-03-07-late.md": event("location: Hall\nbooking_closes: 2015-03-07 11:00").replace(
            "2015-03-05", "2015-03-07"),
        "content/events/2015-03-08-fine.md": event("location: {url: https://meet.example.com/x}").replace(
            "2015-03-05", "2015-03-08")})
    result = runner.invoke(main, ["check", "--site", str(root), "--now", PINNED_NOW, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    rows = {(row["path"].rsplit("/", 1)[-1], row["field"], row["line"]): row["message"]
            for row in found if row["severity"] != "note"}
    # all four are over by PINNED_NOW with no summary or slides: each also gets a follow-up note
    assert sorted(row["path"] for row in found if row["severity"] == "note") == sorted(
        str(root / "content/events" / name)[len(str(root)) + 1:] for name in (
            "2015-03-05-nowhere.md", "2015-03-06-call.md", "2015-03-07-late.md", "2015-03-08-fine.md"))
    assert set(rows) == {("2015-03-05-nowhere.md", "location", 2), ("2015-03-06-call.md", "location", 5),
                         ("2015-03-07-late.md", "booking_closes", 6)}
    assert "search engines will not show this event" in rows[("2015-03-05-nowhere.md", "location", 2)]
    assert "no join link" in rows[("2015-03-06-call.md", "location", 5)]
    assert "after the event starts" in rows[("2015-03-07-late.md", "booking_closes", 6)]
