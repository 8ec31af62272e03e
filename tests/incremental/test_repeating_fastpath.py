"""The no-change fast path and the page memo know each date of a repeating event, not only its first."""

from __future__ import annotations

import shutil

import html5lib

from reThink_site.content.config import load_config
from reThink_site.content.loader import load_content
from reThink_site.core.timeparse import resolve_now
from reThink_site.incremental import fastpath
from tests.helpers import TESTS, run

FIXTURE = TESTS / "sites" / "repeating"
FORUM = "events/2027-01-12-monthly-forum/index.html"


def past_forum_dates(output) -> list[str]:
    doc = html5lib.parse((output / FORUM).read_bytes(), namespaceHTMLElements=False)
    return [t.get("datetime") for t in doc.iterfind(".//ul[@class='date-list date-list--past']/li/time")]


def test_the_output_stays_valid_only_until_the_current_date_ends():
    config = load_config(FIXTURE / "site.yaml")
    now = resolve_now("2027-06-08T11:00", {}, config.tz)  # during the forum's 8 June date, 10am to midday BST
    assert fastpath.valid_until(load_content(FIXTURE, config), now, config) == resolve_now("2027-06-08T12:00", {},
                                                                                            config.tz)


def test_a_cached_rebuild_after_one_date_ends_moves_it_to_the_past(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    out = root / "output"
    run(root, out, cache=True, now="2027-06-08T11:00")
    assert "2027-06-08T10:00:00+01:00" not in past_forum_dates(out)
    run(root, out, cache=True, now="2027-06-08T12:30")
    assert past_forum_dates(out)[0] == "2027-06-08T10:00:00+01:00"
