"""`rethink list` and repeating events (tests/sites/repeating/): one line per date, and `all` says upcoming."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reThink_site.cli import main
from tests.helpers import TESTS

FIXTURE = TESTS / "sites" / "repeating"
NOW = "2027-06-01T12:00"


def listed(*args) -> list[dict]:
    result = CliRunner().invoke(main, ["list", *args, "--site", str(FIXTURE), "--now", NOW, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_upcoming_lists_each_date_of_a_repeating_event():
    forum = [row["date"] for row in listed("upcoming") if row["title"] == "Monthly practitioners' forum"]
    assert forum == ["2027-06-08 10:00", "2027-07-13 10:00", "2027-09-14 10:00", "2027-10-12 10:00",
                     "2027-11-09 10:00", "2027-12-14 10:00"]


def test_all_says_a_repeating_event_with_dates_to_come_is_upcoming():
    states = {row["title"]: row["state"] for row in listed("all") if row["kind"] == "event"}
    assert states == {"Monthly practitioners' forum": "upcoming", "Drop-in day": "past",
                      "Fortnightly digital call": "past", "One-off workshop": "past"}
