"""A booking deadline passing changes the event page: the no-change fast path and the page memo both know it."""

from __future__ import annotations

from reThink_site.content.config import load_config
from reThink_site.content.loader import load_content
from reThink_site.core.timeparse import resolve_now
from reThink_site.incremental import fastpath
from tests.helpers import COUNCIL_FILES, COUNCIL_SITE_YAML, run

FORUM = "events/2015-03-05-hybrid-forum/index.html"


def test_the_output_stays_valid_only_until_booking_closes(make_site) -> None:
    root = make_site(COUNCIL_FILES, COUNCIL_SITE_YAML)
    config = load_config(root / "site.yaml")
    now = resolve_now("2015-03-02T16:00", {}, config.tz)  # an hour before booking closes, before any midnight
    assert fastpath.valid_until(load_content(root, config), now, config) == resolve_now("2015-03-02T17:00", {},
                                                                                         config.tz)


def test_a_cached_rebuild_after_the_deadline_says_booking_has_closed(make_site) -> None:
    root = make_site(COUNCIL_FILES, COUNCIL_SITE_YAML)
    out = root / "output"
    run(root, out, cache=True, now="2015-03-02T16:00")
    before = (out / FORUM).read_text(encoding="utf-8")
    assert "Booking closes at 5pm GMT on Monday 2 March 2015." in before and "button--register" in before
    run(root, out, cache=True, now="2015-03-02T17:30")  # same content, same day: only the clock moved
    after = (out / FORUM).read_text(encoding="utf-8")
    assert "Booking has closed." in after and "button--register" not in after
