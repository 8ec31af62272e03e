"""Reads the contract's date and date-time values into timezone-aware values, refusing DST guesses."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reThink_site.core.errors import shown

_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
# (fractions of a second, as a CMS writes them in 2015-02-27T10:00:00.000Z, are read and dropped)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # a date outside is a typo (3026) and would overflow or flood the calendar
WINDOW = f"between {EARLIEST_YEAR} and {LATEST_YEAR}"
EPOCH_WINDOW = (int(datetime(EARLIEST_YEAR, 1, 1, tzinfo=timezone.utc).timestamp()),
                int(datetime(LATEST_YEAR, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()))


class OutsideWindow(ValueError):
    """A date outside EARLIEST_YEAR..LATEST_YEAR."""


def in_window(value: date) -> date:
    """Refuse a date or date-time whose year is outside the window, before any arithmetic can overflow."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise OutsideWindow(f"expected a date {WINDOW}, found {value.isoformat()}")
    return value


def zone(name: str) -> ZoneInfo:
    """Look up an IANA zone by name, with a message an editor can act on."""
    try:
        if not isinstance(name, str) or not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"expected an IANA time zone name such as Europe/London, found {name!r}") from None


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach a zone to wall-clock time, refusing times that do not exist or happen twice."""
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    round_trip = early.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in {tz} (the clocks go forward then)")
    raise ValueError(f"{naive:%Y-%m-%d %H:%M} happens twice in {tz} (the clocks go back then); "
                     "give an offset such as +01:00 to say which")


def _offset(text: str) -> tzinfo:
    """Turn `Z`, `+01:00` or `+0100` into a fixed-offset zone."""
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_ONLY = re.compile(r"^\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm)?$", re.IGNORECASE)


def impossible_date(text: str) -> str | None:
    """Why a date written as YYYY-MM-DD does not exist, in words (`30 February 2015 does not exist`), else None."""
    match = _YMD.match(text.strip())
    if not match:
        return None
    year, month, day = map(int, match.groups())
    if not 1 <= month <= 12:
        return f"{text.strip()} is not a date: there is no month {month} (write the year, then the month, then the day)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{day} {MONTHS[month - 1]} {year} does not exist: {MONTHS[month - 1]} {year} has {days} days"
    return None


def not_a_date(value: object, expected: str) -> str:
    """The message for a value that is no date: names a time without its day, or the impossible day."""
    text = str(value).strip()
    if isinstance(value, str) and _TIME_ONLY.match(text):
        return f"{expected}, found the time {text} without a date: write the day too, such as 2015-02-27 {text}"
    why = impossible_date(text) if isinstance(value, str) else None
    return why or f"{expected}, found {shown(value)}"


def parse_date(value: object) -> date:
    """Accept a YAML date or a `YYYY-MM-DD` string."""
    if isinstance(value, datetime):
        raise ValueError(f"expected a date such as 2015-02-27, found a date-time {value}")
    if isinstance(value, date):
        return in_window(value)
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return in_window(parsed)
    raise ValueError(not_a_date(value, "expected a date such as 2015-02-27"))


def parse_date_or_datetime(value: object, tz: tzinfo) -> date | datetime:
    """Accept a date (all-day) or a date-time, wall-clock times read in `tz`."""
    if isinstance(value, datetime):
        in_window(value)
        if value.tzinfo is None:
            return localize(value, tz)
        return value
    if isinstance(value, date):
        return in_window(value)
    if isinstance(value, str):
        text = value.strip()
        if _DATE.match(text):
            return parse_date(text)
        match = _DATETIME.match(text)
        if match:
            y, mo, d, h, mi, s, off = match.groups()
            try:
                naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
            except ValueError:
                raise ValueError(not_a_date(text, "expected a real date and time")) from None
            in_window(naive)
            return naive.replace(tzinfo=_offset(off)) if off else localize(naive, tz)
    raise ValueError(not_a_date(value, "expected a date (2015-02-27) or date-time (2015-02-27 10:00)"))


def parse_datetime(value: object, tz: tzinfo) -> datetime:
    """Accept a date-time (a bare date means its midnight in `tz`)."""
    parsed = parse_date_or_datetime(value, tz)
    if isinstance(parsed, datetime):
        return parsed
    return localize(datetime(parsed.year, parsed.month, parsed.day), tz)


def resolve_now(option: str | None, environ: dict, tz: tzinfo) -> datetime:
    """The build's *now*: --now, else SOURCE_DATE_EPOCH, else the clock (contract: Time)."""
    if option:
        try:
            return parse_datetime(option, tz)
        except OutsideWindow:
            raise ValueError(f"--now: expected a date {WINDOW}, found {option!r}") from None
        except ValueError as err:
            raise ValueError(f"--now: {err}") from None
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, found {epoch!r}")
        if not EPOCH_WINDOW[0] <= int(epoch) <= EPOCH_WINDOW[1]:
            raise ValueError(f"SOURCE_DATE_EPOCH: expected seconds for a date {WINDOW} (at most "
                             f"{EPOCH_WINDOW[1]}), found {epoch[:40]!r}")
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(tz)
    return datetime.now(tz=tz).replace(microsecond=0)
