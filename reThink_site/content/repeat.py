"""Repeating events: the `repeat:` field, read into a python-dateutil rrule, and the dates it makes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import Any, Callable, Literal, Optional, Union

from dateutil import rrule
from pydantic import ConfigDict, Field, field_validator, model_validator

from reThink_site.content.fieldrules import Frozen
from reThink_site.core import timeparse
from reThink_site.core.localdates import N_, long_day, weekday_names

MAX_DATES = 500  # a weekly event for ten years: more is a typo in `until` that would flood the lists
WEEKDAYS = MappingProxyType({name: day for name, day in zip(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU))})
ORDINALS = MappingProxyType({"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1})
ICAL_FREQ = MappingProxyType({"week": "WEEKLY", "fortnight": "WEEKLY", "month": "MONTHLY"})
_ON = re.compile(r"^(?:the\s+)?(?:(first|second|third|fourth|last)\s+)?([a-z]+)$")
_ON_DAY = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?$")
Day = date  # the annotation of a field named like the type


def _day_text(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


class Move(Frozen):
    """One date of the rule held on another day or at another time."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_: Day = Field(alias="from", title="From", description="The date the rule makes, such as 2027-04-13")
    to: Union[datetime, Day] = Field(title="To", description="When it happens instead: a date-time, or a date "
                                     "(same time of day)")

    _from = field_validator("from_", mode="before")(lambda cls, v: timeparse.parse_date(v))


class Repeat(Frozen):
    """How an event repeats: every week, fortnight or month, until a date or for a number of dates."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    every: Literal["week", "fortnight", "month"] = Field(description="How often it happens")
    on: Optional[str] = Field(None, description="For a monthly event: a weekday such as second Tuesday or last "
                              "Friday, or a day of the month such as 15 (default: the start's day of the month)")
    until: Optional[Day] = Field(None, description="The last day it may happen on")
    count: Optional[int] = Field(None, ge=1, le=MAX_DATES, description="How many dates (instead of until)")
    except_: tuple[Day, ...] = Field((), alias="except", title="Except",
                                     description="Dates the rule makes on which it does not happen")
    moved: tuple[Move, ...] = Field((), description="Dates held on another day or at another time")

    @field_validator("on", mode="before")
    @classmethod
    def _on_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("on")
    @classmethod
    def _check_on(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            weekday_rule(value)
        return value

    _until = field_validator("until", mode="before")(lambda cls, v: v if v is None else timeparse.parse_date(v))

    @field_validator("except_", mode="before")
    @classmethod
    def _except_dates(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [timeparse.parse_date(v) for v in value]
        return [timeparse.parse_date(value)]

    @model_validator(mode="after")
    def _until_or_count(self) -> "Repeat":
        if self.until is not None and self.count is not None:
            raise ValueError("expected until: (the last day) or count: (how many dates), not both")
        if self.until is None and self.count is None:
            raise ValueError("expected until: (the last day) or count: (how many dates), found neither")
        return self


def weekday_rule(text: str) -> tuple[str, Any]:
    """`second Tuesday` → ("weekday", TU(+2)); `Tuesday` → ("weekday", TU); `15` → ("day", 15)."""
    words = " ".join(text.lower().split())
    day = _ON_DAY.match(words)
    if day and 1 <= int(day.group(1)) <= 31:
        return "day", int(day.group(1))
    found = _ON.match(words)
    if found and found.group(2) in WEEKDAYS:
        weekday = WEEKDAYS[found.group(2)]
        return "weekday", weekday(ORDINALS[found.group(1)]) if found.group(1) else weekday
    raise ValueError(f"expected a day such as second Tuesday, last Friday or 15, found {text!r}")


@dataclass(frozen=True)
class Occurrence:
    """One date of a repeating event: its start and end, and the rule's start it replaces when moved."""

    start: Union[datetime, date]
    end: Optional[Union[datetime, date]]
    moved_from: Optional[Union[datetime, date]] = None


def _wall(value: Union[datetime, date], zone: tzinfo) -> datetime:
    """A start as naive wall-clock time in the event's zone (midnight for a date): what the rule repeats."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    return datetime.combine(value, time(0))


def _freq(repeat: Repeat, start: datetime) -> dict:
    """The rule's parts as keyword arguments of dateutil's `rrule` (and so of RRULE)."""
    parts: dict = {"freq": rrule.MONTHLY if repeat.every == "month" else rrule.WEEKLY,
                   "interval": 2 if repeat.every == "fortnight" else 1}
    if repeat.every == "month":
        kind, value = weekday_rule(repeat.on) if repeat.on else ("day", start.day)
        parts["bymonthday" if kind == "day" else "byweekday"] = value
    elif repeat.on is not None:
        parts["byweekday"] = weekday_rule(repeat.on)[1]
    return parts


def _until_wall(repeat: Repeat, timed: bool) -> Optional[datetime]:
    if repeat.until is None:
        return None
    return datetime.combine(repeat.until, time(23, 59, 59) if timed else time(0))


def make_rule(repeat: Repeat, start: Union[datetime, date], zone: tzinfo) -> rrule.rrule:
    """The dateutil rule, in naive wall-clock time of the event's zone (so 10am stays 10am across a clock change)."""
    first = _wall(start, zone)
    return rrule.rrule(dtstart=first, count=repeat.count, until=_until_wall(repeat, isinstance(start, datetime)),
                       cache=False, **_freq(repeat, first))


def ical_rule(repeat: Repeat, start: Union[datetime, date], zone: tzinfo) -> dict:
    """The same rule as an iCalendar RRULE (UNTIL in UTC for a timed event, as RFC 5545 asks)."""
    first = _wall(start, zone)
    parts = _freq(repeat, first)
    value: dict = {"FREQ": ICAL_FREQ[repeat.every]}
    if parts["interval"] != 1:
        value["INTERVAL"] = parts["interval"]
    if repeat.count is not None:
        value["COUNT"] = repeat.count
    if repeat.until is not None:
        if isinstance(start, datetime):
            value["UNTIL"] = timeparse.localize(_until_wall(repeat, True), zone).astimezone(timezone.utc)
        else:
            value["UNTIL"] = repeat.until
    if "byweekday" in parts:
        day = parts["byweekday"]
        value["BYDAY"] = f"{day.n or ''}{str(day)[:2]}"
    if "bymonthday" in parts:
        value["BYMONTHDAY"] = parts["bymonthday"]
    return value


def _placed(wall: datetime, timed: bool, zone: tzinfo) -> Union[datetime, date]:
    return timeparse.localize(wall, zone) if timed else wall.date()


def rule_starts(repeat: Repeat, start: Union[datetime, date], zone: tzinfo) -> list[Union[datetime, date]]:
    """Every start the rule makes (before except: and moved:), in the event's zone; refuses a DST gap."""
    timed = isinstance(start, datetime)
    rule = make_rule(repeat, start, zone)
    found = []
    for index, wall in enumerate(rule):
        if index >= MAX_DATES:
            raise ValueError(f"repeat: expected at most {MAX_DATES} dates, found more before "
                             f"{repeat.until}: set an earlier until: or a count:")
        try:
            found.append(_placed(wall, timed, zone))
        except ValueError as err:
            raise ValueError(f"repeat: one of its dates, {err}: set another time or add the date to except:") \
                from None
    return found


def _length(start: Union[datetime, date], end: Optional[Union[datetime, date]]) -> Optional[timedelta]:
    if end is None:
        return None
    if isinstance(start, datetime):
        return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)
    return end - start


def _ends(start: Union[datetime, date], length: Optional[timedelta], zone: tzinfo):
    if length is None:
        return None
    if isinstance(start, datetime):
        return (start.astimezone(timezone.utc) + length).astimezone(zone)
    return start + length


def occurrences(repeat: Repeat, start: Union[datetime, date], end: Optional[Union[datetime, date]],
                zone: tzinfo) -> tuple[Occurrence, ...]:
    """Every date the event happens on, in order: the rule's, less except:, with moved: ones in their new place.

    Each lasts as long as the event's own start to end (exactly, as RFC 5545 has it).
    """
    timed, length = isinstance(start, datetime), _length(start, end)
    skipped = set(repeat.except_)
    moves = {m.from_: m.to for m in repeat.moved}
    found = []
    for first in rule_starts(repeat, start, zone):
        day = first.date() if timed else first
        if day in skipped:
            continue
        if day in moves:
            target = moves[day]
            if timed and not isinstance(target, datetime):
                target = timeparse.localize(datetime.combine(target, first.replace(tzinfo=None).time()), zone)
            found.append(Occurrence(target, _ends(target, length, zone), first))
        else:
            found.append(Occurrence(first, _ends(first, length, zone)))
    return tuple(sorted(found, key=lambda o: _wall(o.start, timezone.utc) if timed else o.start))


def check_repeat(repeat: Repeat, start: Union[datetime, date], zone: tzinfo) -> None:
    """The rule against the event's start: a clear `repeat.<field>: …` error for each way they disagree."""
    timed = isinstance(start, datetime)
    first_day = start.astimezone(zone).date() if timed else start
    if repeat.every != "month" and repeat.on is not None:
        kind, day = weekday_rule(repeat.on)
        if kind != "weekday" or day.n:
            raise ValueError(f"repeat.on: expected a weekday such as Tuesday for an event every {repeat.every}, "
                             f"found {repeat.on!r}")
    if repeat.every == "month" and repeat.on is not None:
        kind, day = weekday_rule(repeat.on)
        if kind == "weekday" and not day.n:
            raise ValueError(f"repeat.on: expected which {repeat.on.strip()} of the month (first, second, third, "
                             f"fourth or last, such as second {repeat.on.strip()}), found {repeat.on!r}")
    if repeat.until is not None and repeat.until < first_day:
        raise ValueError(f"repeat.until: expected a day on or after the start ({first_day}), found {repeat.until}")
    starts = rule_starts(repeat, start, zone)
    days = [s.date() if timed else s for s in starts]
    if not days or days[0] != first_day:
        rule = f"{repeat.on} of the month" if repeat.every == "month" else f"{repeat.on}"
        if repeat.on is None:
            rule = "the same day of the week"
        raise ValueError(f"repeat.on: expected the start to be one of the dates the rule makes, found "
                         f"{_day_text(first_day)}, which is not a {rule}: change start: or on:")
    made = set(days)
    for index, day in enumerate(repeat.except_):
        if day not in made:
            raise ValueError(f"repeat.except.{index}: expected one of the dates the rule makes, found "
                             f"{_day_text(day)}")
    seen: set[date] = set()
    for index, move in enumerate(repeat.moved):
        if move.from_ not in made or move.from_ in repeat.except_ or move.from_ in seen:
            what = ("also in except:" if move.from_ in repeat.except_ else "moved twice" if move.from_ in seen
                    else "not one of the dates the rule makes")
            raise ValueError(f"repeat.moved.{index}.from: expected a date the rule makes, once, found "
                             f"{_day_text(move.from_)} ({what})")
        seen.add(move.from_)
        if not timed and isinstance(move.to, datetime):
            raise ValueError(f"repeat.moved.{index}.to: expected a date for an all-day event, found {move.to}")
    if len(days) == len(repeat.except_):
        raise ValueError("repeat.except: expected at least one date to be left, found every date excepted")


def parse_moves(value: Any, zone: tzinfo) -> Any:
    """Read each moved date's `to` in the event's zone, before the nested model sees it.

    YAML 1.1 reads the key `on:` as the boolean true; here it is the field `on`.
    """
    if isinstance(value, dict) and True in value and "on" not in value:
        value = {("on" if key is True else key): item for key, item in value.items()}
    if not isinstance(value, dict) or not isinstance(value.get("moved"), list):
        return value
    moves = []
    for index, move in enumerate(value["moved"]):
        if isinstance(move, dict) and "to" in move:
            try:
                move = {**move, "to": timeparse.parse_date_or_datetime(move["to"], zone)}
            except ValueError as err:
                raise ValueError(f"repeat.moved.{index}.to: {err}") from None
        moves.append(move)
    return {**value, "moved": moves}


RULE_WORDS = MappingProxyType({
    ("week", 0): N_("Every week on %(weekday)s"), ("fortnight", 0): N_("Every two weeks on %(weekday)s"),
    ("month", 1): N_("Every month on the first %(weekday)s"), ("month", 2): N_("Every month on the second %(weekday)s"),
    ("month", 3): N_("Every month on the third %(weekday)s"), ("month", 4): N_("Every month on the fourth %(weekday)s"),
    ("month", -1): N_("Every month on the last %(weekday)s"), ("month", "day"): N_("Every month on day %(day)s"),
})


def describe_rule(repeat: Repeat, start: Union[datetime, date], zone: tzinfo, language: str = "en",
                  words: Callable[[str], str] = str) -> str:
    """The rule in words, in the page's language: `Every month on the second Tuesday, until Friday 31 December 2027`.

    A `count:` rule names its last date, so both kinds of rule read alike.
    """
    first = _wall(start, zone)
    parts = _freq(repeat, first)
    if "bymonthday" in parts:
        rule = words(RULE_WORDS["month", "day"]) % {"day": parts["bymonthday"]}
    else:
        weekday = parts.get("byweekday")
        number = first.weekday() if weekday is None else weekday.weekday
        nth = (weekday.n or 0) if weekday is not None else 0
        rule = words(RULE_WORDS[repeat.every, nth]) % {"weekday": weekday_names(language)[number][0]}
    last = repeat.until if repeat.until is not None else rule_starts(repeat, start, zone)[-1]
    day = last.date() if isinstance(last, datetime) else last
    return words(N_("%(rule)s, until %(day)s")) % {"rule": rule, "day": long_day(day, language)}
