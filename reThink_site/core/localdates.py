"""Dates, month and weekday names in each language from Babel's CLDR data (no hand-written tables)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date as cldr_date
from babel.dates import get_day_names


@lru_cache(maxsize=16)
def names_locale(language: str) -> Locale:
    """The CLDR locale whose names a language tag uses: its base language (`en-GB` → `en`).

    CLDR's en_GB abbreviates September as "Sept"; the base language keeps the site's "Sep".
    """
    return Locale.parse(language.replace("-", "_").split("_")[0])


# Patterns of the `date` filter's styles; the same in every language the default theme knows.
PATTERNS = {"long": "d MMMM y", "short": "d MMM y", "month": "LLLL y", "month_short": "LLL",
            "weekday": "EEEE", "weekday_short": "ccc", "day": "EEEE d MMMM y"}


def format_date(value: Any, style: str = "long", language: str = "en") -> str:
    """A date as its language writes it: `20 June 2014`, `20 Mehefin 2014`; `iso` for machines."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if style != "iso" else value
    if style == "iso":
        return value.isoformat()
    return cldr_date(value, PATTERNS[style], locale=names_locale(language))


@lru_cache(maxsize=4096)
def long_day(day: date, language: str = "en") -> str:
    """`Friday 27 February 2015`, `Dydd Gwener 27 Chwefror 2015` (remembered: every event line names its day)."""
    return format_date(day, "day", language)


def weekday_names(language: str = "en") -> list[tuple[str, str]]:
    """(full, abbreviated) weekday names from Monday, as column headings."""
    locale = names_locale(language)
    wide, short = get_day_names("wide", "stand-alone", locale), get_day_names("abbreviated", "stand-alone", locale)
    return [(wide[i], short[i]) for i in range(7)]


def N_(text: str) -> str:  # noqa: N802 (gettext's own name for it)
    """Mark interface text that Python hands to templates, for `pybabel extract -k N_`; templates translate it."""
    return text
