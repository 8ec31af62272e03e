"""Unit rules of the contract for events: upcoming/past, their own zone, the days they cover."""

from __future__ import annotations

from datetime import date

import pytest

from reThink_site.content import eventtime
from reThink_site.content.models import Event
from reThink_site.core import timeparse
from tests.helpers import LONDON


def event(**fields) -> Event:
    data = {"source_path": "content/events/x.md", "slug": "x", "title": "x", **fields}
    return Event.model_validate(data, context={"tz": LONDON, "people": {}, "lines": {}})


@pytest.mark.parametrize("fields, now, upcoming", [
    ({"start": "2014-06-20"}, "2014-06-20 23:59", True),              # all day: until the end of the day
    ({"start": "2014-06-20"}, "2014-06-21 00:00", False),
    ({"start": "2014-06-20", "end": "2014-06-22"}, "2014-06-22 12:00", True),  # end is inclusive
    ({"start": "2014-06-20 10:00"}, "2014-06-20 10:00", False),       # no end: until its start
    ({"start": "2014-06-20 10:00", "end": "2014-06-20 12:00"}, "2014-06-20 11:59", True),
])
def test_upcoming_until_the_contracts_end(fields, now, upcoming):
    assert eventtime.is_upcoming(event(**fields), timeparse.parse_datetime(now, LONDON), LONDON) is upcoming


def test_event_in_its_own_zone_is_described_with_its_abbreviation():
    call = event(start="2014-11-10 09:00", timezone="America/New_York")
    assert eventtime.describe(call, LONDON) == "Monday 10 November 2014, 9am EST"
    assert eventtime.describe_in_site_zone(call, LONDON) == "Monday 10 November 2014, 2pm GMT"
    assert eventtime.describe(call, LONDON, "24-hour") == "Monday 10 November 2014, 09:00 EST"


def test_multi_day_timed_event_covers_each_day_in_site_zone():
    late = event(start="2014-10-25 22:00", end="2014-10-26 03:00")
    assert eventtime.days_covered(late, LONDON) == [date(2014, 10, 25), date(2014, 10, 26)]
