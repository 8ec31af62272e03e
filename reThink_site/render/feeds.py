"""RSS 2.0 and Atom feeds with feedgen: stable ids, dated entries, absolute HTML, no date after the build's now."""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from types import MappingProxyType
from typing import Callable, Iterable, Optional
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from reThink_site.content import eventtime
from reThink_site.content.config import SiteConfig
from reThink_site.content.index import Entry, Site
from reThink_site.core import urls
from reThink_site.core.outputs import MAKE_EVERY_PART, OutputFile, Reuse
from reThink_site.render.htmltools import absolutize

# The media types of pictures, fixed here rather than read from the system's table, which varies.
IMAGE_TYPES = MappingProxyType({".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                                ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
                                ".svg": "image/svg+xml"})
# An empty feed has no newest entry; this fixed date keeps its bytes stable between builds.
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class FeedSpec:
    """One feed: where it lives, what it is called and which entries it holds (newest first)."""

    path: str            # site path of the feed file, e.g. /tags/assets/feed.xml
    title: str
    description: str
    page: str            # site path of the HTML page the feed mirrors
    entries: tuple[Entry, ...]
    dates: tuple[Optional[datetime], ...] = ()  # each entry's pubDate (None: none yet), made at the build's now


def published_at(entry: Entry, tz: ZoneInfo) -> datetime:
    """When an entry appeared: its date (midnight in the site's zone), or an event's start."""
    if entry.kind == "events":
        return eventtime.starts_at(entry.item, tz)
    value = entry.item.date
    return value if isinstance(value, datetime) else datetime.combine(value, time(0), tzinfo=tz)


def updated_at(entry: Entry, tz: ZoneInfo) -> datetime:
    """The `updated` field when set, else the publication date."""
    return entry.item.updated or published_at(entry, tz)


def as_moment(value: date | datetime, tz: ZoneInfo) -> datetime:
    """A date as midnight in the site's zone, so dates and date-times compare."""
    return value if isinstance(value, datetime) else datetime.combine(value, time(0), tzinfo=tz)


def feed_date(entry: Entry, tz: ZoneInfo, now: datetime) -> Optional[datetime]:
    """An item's pubDate: never in the future, so RSS-to-email tools do not send it again and again.

    A post's is its publication date (or `updated`); an event's is when it was updated or announced
    (`updated`, `published`), else its start once that has passed; an upcoming event with neither
    has no date yet (`rethink new event` writes `published:` for that reason).
    """
    if entry.kind != "events":
        return updated_at(entry, tz)
    event = entry.item
    found = (as_moment(value, tz) for value in (event.updated, event.published) if value is not None)
    return next((moment for moment in (*found, published_at(entry, tz)) if moment <= now), None)


def event_text(entry: Entry, site: Site) -> str:
    """When and where, in words, for the top of an events-feed item: mail tools show only the text."""
    event, config = entry.item, site.config
    parts = [f"When: {eventtime.describe(event, site.tz, config.events.clock)}."]
    if event.location is not None:
        parts.append(f"Where: {event.location.one_line}.")
    if event.status != "scheduled":
        parts.append(f"Status: {event.status}.")
    return " ".join(parts)


def add_image(item, entry: Entry, config: SiteConfig, rss: bool) -> None:
    """An item's `image` as media:content and, in RSS, as an enclosure: the two ways mail tools find a picture.

    Atom gets media:content only: feedgen writes an Atom link without its rel, so an enclosure there
    would read as a second alternate link.
    """
    image = entry.item.image
    if image is None:
        return
    url = urls.absolute(config.base_url, image.src)
    extension = posixpath.splitext(image.src.split("?")[0].lower())[1]
    kind = IMAGE_TYPES.get(extension, "image/jpeg")
    item.media.content(url=url, type=kind, medium="image", group=None)
    if rss:
        item.enclosure(url, 0, kind)  # 0: the size is not known (as the RSS Best Practices Profile advises)


def entry_id(entry: Entry, config: SiteConfig) -> str:
    """The permalink: built from kind and slug only, so editing a title never changes it."""
    return urls.absolute(config.base_url, entry.url)


def newest_first(entries: Iterable[Entry], tz: ZoneInfo, limit: int) -> tuple[Entry, ...]:
    """The latest `limit` entries, newest first, ties broken by URL so order never wobbles."""
    ordered = sorted(entries, key=lambda e: (published_at(e, tz), e.url), reverse=True)
    return tuple(ordered[:limit])


def as_html(text: str) -> str:
    """Plain text for an RSS `<description>`, which readers render as HTML: `<`, `&` and quotes escaped."""
    return html.escape(text, quote=True)


def _add_entry(feed: FeedGenerator, entry: Entry, site: Site, content_html: str, full: bool, rss: bool,
               stamp: Optional[datetime]) -> None:
    config = site.config
    permalink = urls.absolute(config.base_url, entry.url)
    item = feed.add_entry(order="append")
    item.id(entry_id(entry, config))
    item.guid(entry_id(entry, config), permalink=True)
    item.title(entry.title)
    item.link(href=permalink, rel="alternate")
    if stamp is not None:
        item.published(stamp if entry.kind == "events" else published_at(entry, site.tz))
        item.updated(stamp)
    author = getattr(entry.item, "author", None) or config.author
    if author is not None:
        item.author({"name": author.name, **({"uri": author.url} if author.url else {})})
        item.dc.dc_creator(author.name)
    for tag in entry.item.tags:
        item.category(term=tag, label=tag,
                      scheme=urls.absolute(config.base_url, "/tags/"))
    summary = entry.summary
    if entry.kind == "events":  # date, time and place first: mail tools show an item's text and nothing else
        when_where = event_text(entry, site)
        summary = f"{when_where} {summary}" if summary else when_where
        content_html = f"<p>{as_html(when_where)}</p>\n{content_html}" if content_html.strip() else content_html
    if summary:  # RSS: HTML, so escaped into it; Atom: a text construct, so as it is
        item.summary(as_html(summary) if rss else summary, type=None if rss else "text")
    if full and content_html.strip():
        item.content(absolutize(content_html, permalink), type="html")
    add_image(item, entry, config, rss)


def make_feed(spec: FeedSpec, site: Site, content_of: Callable[[Entry], str], rss: bool = True) -> FeedGenerator:
    """A feedgen feed for one spec (RSS or Atom); its `updated` is the newest entry's, never the build time.

    Each text goes in as its format says it is read: RSS descriptions are HTML, Atom's subtitle and
    summary are `type="text"`, titles are plain text in both.
    """
    config, tz = site.config, site.tz
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.load_extension("media", atom=True, rss=True)
    feed.id(urls.absolute(config.base_url, spec.path))
    feed.title(spec.title)
    description = spec.description or spec.title
    feed.description(as_html(description) if rss else description)
    feed.link(href=urls.absolute(config.base_url, spec.path), rel="self")
    feed.link(href=urls.absolute(config.base_url, spec.page), rel="alternate")
    feed.language(config.language)
    if config.author is not None:
        feed.author({"name": config.author.name})
    feed.generator("reThink_site")
    full = config.feed.content == "full"
    dates = spec.dates or tuple(feed_date(e, tz, site.now) for e in spec.entries)
    for entry, stamp in zip(spec.entries, dates):
        _add_entry(feed, entry, site, content_of(entry), full, rss, stamp)
    stamps = [stamp for stamp in dates if stamp is not None]
    feed.updated(max(stamps) if stamps else EMPTY_FEED_DATE)
    return feed


def rss_file(spec: FeedSpec, site: Site, content_of: Callable[[Entry], str]) -> OutputFile:
    """The spec as RSS 2.0 bytes at its path."""
    data = make_feed(spec, site, content_of).rss_str(pretty=True)
    return OutputFile(urls.output_path(spec.path), data)


def atom_file(spec: FeedSpec, site: Site, content_of: Callable[[Entry], str]) -> OutputFile:
    """The spec as Atom bytes at its path."""
    data = make_feed(spec, site, content_of, rss=False).atom_str(pretty=True)
    return OutputFile(urls.output_path(spec.path), data)


def body_html(entry: Entry) -> str:
    """An entry's own rendered body: the content of most feed entries."""
    return entry.html


def feed_specs(site: Site, gettext: Callable[[str], str] = str) -> dict[str, FeedSpec]:
    """Every feed of the site by its site path (the newsletter feed is added by its caller).

    `gettext`: the page language's catalog, for the feeds' own titles and descriptions. Each spec
    holds its items' dates, the one thing in a feed the build's now decides, so a feed kept from an
    earlier build is reused only when its dates are the same too.
    """
    config, tz, limit = site.config, site.tz, site.config.feed.items
    title = config.title

    def spec(path: str, name: str, description: str, page: str, entries: tuple[Entry, ...]) -> FeedSpec:
        return FeedSpec(path, name, description, page, entries,
                        tuple(feed_date(e, tz, site.now) for e in entries))

    posts_title = gettext("%(site)s: summaries and insights") % {"site": title}
    specs = {
        "/feed.xml": spec("/feed.xml", posts_title, config.description, "/", newest_first(site.posts, tz, limit)),
        "/events/feed.xml": spec("/events/feed.xml", gettext("%(site)s: events") % {"site": title},
                                 gettext("Event announcements from %(site)s.") % {"site": title}, "/events/",
                                 newest_first(site.events, tz, limit)),
    }
    specs["/atom.xml"] = spec("/atom.xml", specs["/feed.xml"].title, config.description, "/",
                              specs["/feed.xml"].entries)
    for tag in site.tags:
        path = f"{tag.url}feed.xml"
        specs[path] = spec(path, f"{title}: {tag.name}",
                           gettext("Events and posts about %(topic)s.") % {"topic": tag.name}, tag.url,
                           newest_first(tag.events + tag.posts, tz, limit))
    for series in site.series:
        path = f"{series.url}feed.xml"
        specs[path] = spec(path, f"{title}: {series.name}",
                           gettext("Events of the %(series)s series.") % {"series": series.name}, series.url,
                           newest_first(series.events, tz, limit))
    return specs


def outputs(site: Site, newsletter_html: Optional[Callable[[Entry], str]] = None,
            reuse: Reuse = MAKE_EVERY_PART, gettext: Callable[[str], str] = str) -> list[OutputFile]:
    """All feed files; `newsletter_html` gives an issue's full HTML (intro plus sections).

    A feed whose spec is unchanged may come whole from `reuse` (the build's cache) instead.
    """
    files = []
    for path, spec in feed_specs(site, gettext).items():
        maker = atom_file if path == "/atom.xml" else rss_file
        data, _ = reuse.part("feed", (maker.__name__, spec),
                             lambda maker=maker, spec=spec: (maker(spec, site, body_html).data or b"", ()))
        files.append(OutputFile(urls.output_path(spec.path), data))
    config = site.config
    issues = FeedSpec("/newsletter/feed.xml", f"{config.title}: {config.newsletter.title}",
                      gettext("Every issue of the %(newsletter)s.") % {"newsletter": config.newsletter.title},
                      "/newsletter/",
                      newest_first(site.newsletters, site.tz, config.feed.items))
    files.append(rss_file(issues, site, newsletter_html or body_html))  # its sections come from templates
    return files
