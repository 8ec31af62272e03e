"""Calendar parts kept from the last build are used only while the event, config and day are unchanged."""

from __future__ import annotations

import marshal
from pathlib import Path

import icalendar
import pytest

from reThink_site.incremental.cachedir import CACHE_DIR, PARTS_FORMAT
from reThink_site.incremental.partcache import CALENDAR_PARTS as PARTS_FILE
from tests.helpers import assert_clean, run

EVENT = "content/events/2014-06-20-using-public-assets.md"
EVENT_ICS = "events/2014-06-20-using-public-assets/event.ics"


@pytest.fixture
def site(copy_real_site: Path) -> Path:
    run(copy_real_site, copy_real_site / "output")
    assert (copy_real_site / CACHE_DIR / PARTS_FILE).is_file()
    return copy_real_site


def description(path: Path) -> str:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return str(next(iter(calendar.walk("VEVENT")))["DESCRIPTION"])


def test_an_edited_event_body_reaches_both_calendar_files(site: Path, tmp_path: Path) -> None:
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added for the calendar test.\n",
                    encoding="utf-8")
    run(site, site / "output")
    assert "added for the calendar test" in description(site / "output" / EVENT_ICS)
    programme = (site / "output/events.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"added for the calendar test" in programme
    assert_clean(site, tmp_path, "event body")


def test_a_new_day_restamps_events_without_updated(site: Path, tmp_path: Path) -> None:
    run(site, site / "output", now="2015-03-11T12:00")
    stamp = next(iter(icalendar.Calendar.from_ical((site / "output" / EVENT_ICS).read_bytes()).walk("VEVENT")))
    assert stamp.decoded("DTSTAMP").date().isoformat() == "2015-03-11"
    assert_clean(site, tmp_path, "next day", now="2015-03-11T12:00")


def test_a_changed_base_url_reaches_every_uid_and_url(site: Path, tmp_path: Path) -> None:
    config = site / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text("\n".join("base_url: https://example.net/lr/" if line.startswith("base_url:") else line
                                for line in text.split("\n")), encoding="utf-8")
    run(site, site / "output")
    assert b"example.net" in (site / "output" / EVENT_ICS).read_bytes()
    assert_clean(site, tmp_path, "base_url")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong shape", "wrong types", "wrong bytes"])
def test_damaged_parts_file_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    parts = site / CACHE_DIR / PARTS_FILE
    known = marshal.loads(parts.read_bytes())[1]
    if damage == "garbage":
        parts.write_bytes(b"{{{")
    elif damage == "truncated":
        parts.write_bytes(parts.read_bytes()[: parts.stat().st_size // 2])
    elif damage == "wrong shape":
        parts.write_bytes(marshal.dumps((PARTS_FORMAT, [1, 2])))
    elif damage == "wrong types":  # the right keys, holding text where bytes belong
        parts.write_bytes(marshal.dumps((PARTS_FORMAT, {key: ("BEGIN:VEVENT", ()) for key in known})))
    else:  # right shape, but a stranger's keys: never matched, so never used
        parts.write_bytes(marshal.dumps((PARTS_FORMAT, {"abc": (b"BEGIN:VEVENT", ())})))
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    run(site, site / "output")
    assert_clean(site, tmp_path, damage)
