"""The shortcuts that keep an edit rebuild cheap still give exactly the answers of the long way round."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from reThink_site.content import eventtime
from reThink_site.content.config import load_config
from reThink_site.content.loader import load_content
from reThink_site.core.timeparse import resolve_now
from reThink_site.incremental import fastpath
from reThink_site.incremental.pagepool import page_workers
from reThink_site.render.templates import default_theme
from tests.helpers import REPO, assert_clean, edit_title, run


def first_change_the_long_way(loaded, now: datetime, tz) -> datetime:
    """Every item's own instants, one item at a time: the next midnight, each date's day starting (and the
    two after it, for zones and all-day ends), each date-time, and each event's start and end."""
    moments = [datetime.combine(now.astimezone(tz).date() + timedelta(days=1), datetime.min.time(), tz)]
    for kind, items in loaded.items.items():
        for item in items:
            for name in ("start", "end", "date", "updated"):
                value = getattr(item, name, None)
                if isinstance(value, datetime):
                    value = value if value.tzinfo else value.replace(tzinfo=tz)
                    moments.append(value)
                    value = value.astimezone(tz).date()
                if isinstance(value, date):
                    moments += [datetime.combine(value + timedelta(days=step), datetime.min.time(), tz)
                                for step in (0, 1, 2)]
            if kind == "events":
                moments += [eventtime.starts_at(item, tz), eventtime.ends_at(item, tz)]
    return min(m for m in moments if m > now)


@pytest.mark.parametrize("when", ["2013-06-01T09:00", "2014-02-26T18:30", "2014-11-20T07:00", "2015-03-10T12:00"])
def test_the_output_stays_valid_until_the_first_change_after_now(when: str) -> None:
    config = load_config(REPO / "site.yaml")
    loaded = load_content(REPO, config)
    now = resolve_now(when, {}, config.tz)
    found = fastpath.valid_until(loaded, now, config)
    assert found == first_change_the_long_way(loaded, now, config.tz)
    assert found > now


@pytest.mark.parametrize("now, expected", [("2015-03-10T20:00", "2015-03-10T21:30"),  # the insight's time
                                           ("2015-03-10T22:00", "2015-03-10T23:15"),  # the talk starts
                                           ("2015-03-10T23:20", "2015-03-10T23:50")])  # the talk ends
def test_a_timed_post_or_event_before_midnight_ends_the_window(make_site, now: str, expected: str) -> None:
    root = make_site({"content/events/2015-03-10-late-talk.md": """\
        ---
        title: Late talk
        start: 2015-03-10T23:15
        end: 2015-03-10T23:50
        location: Online
        ---
        A late talk.
        """, "content/insights/2015-03-10-evening-post.md": """\
        ---
        title: Evening post
        date: 2015-03-10T21:30
        ---
        Published in the evening.
        """})
    config = load_config(root / "site.yaml")
    found = fastpath.valid_until(load_content(root, config), resolve_now(now, {}, config.tz), config)
    assert found == resolve_now(expected, {}, config.tz)


def test_a_few_pages_left_render_in_this_process() -> None:
    # a fork costs more than rendering a handful of pages, however large the site
    assert page_workers(2, 5000, 9) == 1
    assert page_workers(2, 5000, 5238) == 2
    assert page_workers(2, 120, 5238) == 1  # a small site never forks for its pages


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch) -> Path:
    """The system temp directory, moved into this test's own folder (where Jinja keeps compiled templates)."""
    import tempfile

    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_compiled_templates_are_kept_outside_the_site(private_temp: Path, site: Path) -> None:
    kept = list(private_temp.rglob("__rethink_*.cache"))
    assert kept, "no compiled templates were kept"
    assert all(oct(p.parent.stat().st_mode)[-3:] == "700" for p in kept)  # Jinja's private folder
    assert not [p for p in (site / ".rethink-cache").rglob("*") if "jinja" in p.name or p.suffix == ".cache"]


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_damaged_compiled_templates_are_compiled_again(private_temp: Path, site: Path, tmp_path: Path,
                                                       damage: str) -> None:
    for path in private_temp.rglob("__rethink_*.cache"):
        path.write_bytes(b"\x00garbage" * 20 if damage == "garbage" else path.read_bytes()[:40])
    edit_title(site)
    run(site, site / "output")
    assert_clean(site, tmp_path, f"{damage} compiled templates")


def test_an_edited_template_is_compiled_again(private_temp: Path, site: Path, tmp_path: Path) -> None:
    own = site / "templates"
    own.mkdir()
    base = (default_theme() / "base.html").read_text(encoding="utf-8")
    (own / "base.html").write_text(base.replace("</body>", "<!-- first --></body>"), encoding="utf-8")
    run(site, site / "output")
    (own / "base.html").write_text(base.replace("</body>", "<!-- second --></body>"), encoding="utf-8")
    run(site, site / "output")
    assert "<!-- second -->" in (site / "output/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "template edited twice")


def test_compiled_templates_of_another_site_are_never_used(private_temp: Path, site: Path, tmp_path: Path) -> None:
    # Jinja runs filters on constants while compiling ({{ '/'|url }} becomes the base path): a site under
    # another base URL, built just before with the same templates, must not lend its compiled code
    other = tmp_path / "other"
    shutil.copytree(site, other, ignore=shutil.ignore_patterns("output", ".rethink-*"))
    config = other / "site.yaml"
    config.write_text("\n".join("base_url: https://example.net/elsewhere/" if line.startswith("base_url:")
                                else line for line in config.read_text(encoding="utf-8").split("\n")),
                      encoding="utf-8")
    run(other, other / "output")
    assert "/elsewhere/" in (other / "output/index.html").read_text(encoding="utf-8")
    assert_clean(other, tmp_path, "the other site")
    edit_title(site)
    run(site, site / "output")
    assert "/elsewhere/" not in (site / "output/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "after another site")
