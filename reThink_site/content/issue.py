"""The newsletter issue model: the editor's introduction plus the sections the build fills in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from reThink_site.content.index import Entry, Site, resolve_featured


@dataclass(frozen=True)
class Issue:
    """One issue with its sections computed, shared by the web page, the e-mails and the feed."""

    entry: Entry
    featured: tuple[Entry, ...]
    coming_up: tuple[Entry, ...]
    since_last: tuple[Entry, ...]
    previous: Optional[Entry]
    coming_up_until: date      # last day the Coming up window covers
    since_after: date          # Since the last issue holds posts dated after this day…
    # …and on or before the issue's own date.
    featured_coming_up: bool = False   # a featured item is an event the Coming up window holds
    featured_since_last: bool = False  # a featured item is a post the Since the last issue window holds

    @property
    def date(self) -> date:
        """The issue's date."""
        return self.entry.item.date

    @property
    def slug(self) -> str:
        """The issue's slug (its URL part)."""
        return self.entry.slug


def local_day(value: date | datetime, tz: ZoneInfo) -> date:
    """The calendar day a date or date-time falls on in the site's zone."""
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def event_day(event: Entry, tz: ZoneInfo) -> date:
    """The day an event starts, in the site's zone."""
    return local_day(event.item.start, tz)


def previous_issue(site: Site, entry: Entry) -> Optional[Entry]:
    """The latest published issue dated before this one (None for the first issue)."""
    earlier = [e for e in site.newsletters if e.item.date < entry.item.date]
    return max(earlier, key=lambda e: (e.item.date, e.url)) if earlier else None


def build_issue(site: Site, entry: Entry) -> Issue:
    """Fill an issue's sections with the contract's windows; a featured item is not repeated below."""
    tz, settings, day = site.tz, site.config.newsletter, entry.item.date
    candidates = site.events + site.posts
    featured = tuple(found for ref in entry.item.featured
                     if (found := resolve_featured(ref, candidates)) is not None)
    shown = {e.url for e in featured}  # featured items are shown once, under Featured
    ends = day + timedelta(days=settings.upcoming_days)
    coming_up = [e for e in site.occurrences if day <= event_day(e, tz) < ends]  # each date of a repeating one
    previous = previous_issue(site, entry)
    after = previous.item.date if previous else day - timedelta(days=settings.lookback_days)
    since_last = [p for p in site.posts if after < local_day(p.item.date, tz) <= day]
    return Issue(entry, featured,
                 coming_up=tuple(e for e in coming_up if e.url not in shown),
                 since_last=tuple(p for p in since_last if p.url not in shown),
                 previous=previous, coming_up_until=ends - timedelta(days=1), since_after=after,
                 featured_coming_up=any(e.url in shown for e in coming_up),
                 featured_since_last=any(p.url in shown for p in since_last))


def all_issues(site: Site) -> tuple[Issue, ...]:
    """Every published issue, newest first (the order of /newsletter/)."""
    return tuple(build_issue(site, entry) for entry in site.newsletters)
