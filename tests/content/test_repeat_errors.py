"""A `repeat:` rule that cannot be right is an error naming the file, the line and the field, in an editor's words."""

from __future__ import annotations

import pytest

from reThink_site.core.errors import ContentErrors

PATH = "content/events/2027-01-12-forum.md"
EVENT = """\
---
title: Forum
start: 2027-01-12 10:00
end: 2027-01-12 12:00
repeat:
{rule}
---
Body.
"""
FIRST_RULE_LINE = 6  # the line of the first key under repeat:


def problems_for(make_site, build_site_at, rule: str):
    root = make_site({PATH: EVENT.format(rule=rule)})
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root, now="2027-01-01T12:00")
    assert not (root / "output").exists(), "a failed build must not write output/"
    return [p for p in caught.value.problems if p.is_error]


CASES = [
    ("unknown weekday", "  every: month\n  on: second Tuesdy\n  count: 3", "repeat.on", 7,
     "expected a day such as second Tuesday, last Friday or 15, found 'second Tuesdy'"),
    ("until before start", "  every: week\n  until: 2026-12-01", "repeat.until", 7,
     "expected a day on or after the start (2027-01-12), found 2026-12-01"),
    ("both until and count", "  every: week\n  until: 2027-03-01\n  count: 3", "repeat", 5,
     "expected until: (the last day) or count: (how many dates), not both"),
    ("neither until nor count", "  every: week", "repeat", 5,
     "expected until: (the last day) or count: (how many dates), found neither"),
    ("unknown frequency", "  every: year\n  count: 3", "repeat.every", 6, "expected 'week', 'fortnight' or 'month'"),
    ("start not on the rule", "  every: month\n  on: first Monday\n  count: 3", "repeat.on", 7,
     "expected the start to be one of the dates the rule makes, found Tuesday 12 January 2027"),
    ("monthly on a weekday with no ordinal", "  every: month\n  on: Tuesday\n  count: 3", "repeat.on", 7,
     "expected which Tuesday of the month (first, second, third, fourth or last, such as second Tuesday)"),
    ("weekly on a month day", "  every: week\n  on: 15\n  count: 3", "repeat.on", 7,
     "expected a weekday such as Tuesday for an event every week, found '15'"),
    ("except a date the rule does not make", "  every: week\n  count: 3\n  except: [2027-01-13]",
     "repeat.except.0", 8, "expected one of the dates the rule makes, found Wednesday 13 January 2027"),
    ("move a date the rule does not make", "  every: week\n  count: 3\n  moved:\n    - from: 2027-01-13\n"
     "      to: 2027-01-14 10:00", "repeat.moved.0.from", 9, "expected a date the rule makes, once, found "
     "Wednesday 13 January 2027 (not one of the dates the rule makes)"),
    ("move to a time that is no time", "  every: week\n  count: 3\n  moved:\n    - from: 2027-01-19\n"
     "      to: next week", "repeat.moved.0.to", 10, "expected a date (2015-02-27) or date-time"),
    ("too many dates", "  every: week\n  until: 2199-01-01", "repeat", 5, "expected at most 500 dates"),
    ("count over the limit", "  every: week\n  count: 5000", "repeat.count", 7, "less than or equal to 500"),
]


@pytest.mark.parametrize("rule, field, line, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_rule_names_file_line_and_field(make_site, build_site_at, rule, field, line, words):
    problems = problems_for(make_site, build_site_at, rule)
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.field, problem.line) == (PATH, field, line), problem.format()
    assert words in problem.message, problem.format()
    assert "Traceback" not in problem.format()


def test_a_date_the_clocks_skip_is_an_error(make_site, build_site_at):
    root = make_site({PATH: """\
        ---
        title: Night shift
        start: 2027-03-07 01:30
        repeat:
          every: week
          count: 4
        ---
        Body.
        """})
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root, now="2027-01-01T12:00")
    problem, = [p for p in caught.value.problems if p.is_error]
    assert problem.field == "repeat" and problem.line == 4
    assert "2027-03-28 01:30 does not exist in Europe/London" in problem.message


def test_the_yaml_key_on_is_the_field_on(make_site, build_site_at):
    # YAML 1.1 reads a bare `on:` key as true; the rule still reads it as the day it names
    root = make_site({PATH: EVENT.format(rule="  every: month\n  on: second Tuesday\n  count: 2")})
    build_site_at(root, now="2027-01-01T12:00")
    assert (root / "output" / "events" / "2027-01-12-forum" / "event.ics").read_bytes().count(b"BYDAY=2TU") == 1
