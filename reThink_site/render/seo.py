"""Being found: sitemap.xml of every public page with content dates, and robots.txt pointing to it."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Iterable, Mapping, Optional
from xml.etree import ElementTree

from reThink_site.content.index import Entry, Site
from reThink_site.core import urls
from reThink_site.core.outputs import OutputFile
from reThink_site.render import calendar_grid

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # a bilingual sitemap's <xhtml:link rel="alternate" hreflang>
# HTML files that are not pages of their own: the error page and the newsletter's e-mail copies.
NOT_PAGES = ("404.html", "/email.html")


def alias_path(alias: str) -> str:
    """The output file of an alias page, by the same rule the redirect pages use."""
    return urls.output_path(urls.alias_url(alias))


def content_date(entry: Entry) -> Optional[date | datetime]:
    """`updated`, else the publication date; an event's start is no change date, so events need `updated`."""
    return entry.item.updated or getattr(entry.item, "date", None)


def as_instant(value: date | datetime, tz: tzinfo) -> datetime:
    """A date counts as the start of its day in the site's zone, so dates and times compare."""
    return value if isinstance(value, datetime) else datetime.combine(value, time.min, tzinfo=tz)


def lastmod_text(value: Optional[date | datetime]) -> Optional[str]:
    """W3C date or date-time, as the sitemap protocol wants."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if isinstance(value, date) else None


def content_dates(site: Site) -> dict[str, Optional[date | datetime]]:
    """Each page's last content change: its own entry's date, or the newest among the entries it lists."""
    tz = site.tz
    everything = site.events + site.posts + site.newsletters + site.pages
    dates: dict[str, Optional[date | datetime]] = {e.url: content_date(e) for e in everything}
    # the latest content date of a list (ties go to the later URL); each entry's sort key is made once,
    # not once per list, tag and person it appears in
    keyed: dict[int, Optional[tuple]] = {}

    def sort_key(entry: Entry) -> Optional[tuple]:
        if id(entry) not in keyed:
            day = content_date(entry)
            keyed[id(entry)] = None if day is None else (as_instant(day, tz), entry.url, day)
        return keyed[id(entry)]

    def latest(entries: tuple[Entry, ...]) -> Optional[date | datetime]:
        dated = [key for key in map(sort_key, entries) if key is not None]
        return max(dated)[2] if dated else None

    dates["/"] = latest(site.events + site.posts + site.newsletters)
    dates["/events/"] = latest(site.events)
    dates["/summaries/"] = latest(site.summaries)
    dates["/insights/"] = latest(site.insights)
    dates["/newsletter/"] = latest(site.newsletters)
    for group in site.tags + site.series:
        dates[group.url] = latest(group.events + group.posts)
    for person in site.people:
        dates[person.url] = latest(person.events + person.posts)
    return dates


def public_pages(site: Site, files: Iterable[OutputFile], folder: str = "") -> list[str]:
    """Site paths of the HTML pages a search engine should index: no drafts, redirects or 404.

    `folder` (`cy/`): those of one other language's site, whose files lie under it. Nor the current
    month's calendar page when it has no events: it says only that, and it is there only while the
    month lasts, so the sitemap does not change with the clock.
    """
    everything = site.events + site.posts + site.newsletters + site.pages
    hidden = {folder + alias_path(a) for e in everything for a in e.item.aliases}
    hidden |= {folder + urls.output_path(e.url) for e in everything if e.item.draft}
    hidden |= {folder + urls.output_path(g.month.url) for g in calendar_grid.all_months(site)
               if not g.days_with_events}
    return sorted(f.site_path for f in files
                  if f.path.endswith(".html") and f.path not in hidden and f.path.startswith(folder)
                  and not (f.path.removeprefix(folder) == NOT_PAGES[0] or f.path.endswith(NOT_PAGES[1])))


def sitemap_xml(site: Site, files: Iterable[OutputFile], others: Optional[Mapping[str, Site]] = None) -> bytes:
    """The sitemap protocol's XML, sorted by URL so every build writes the same bytes.

    With other languages, their pages are listed too, each entry with an `xhtml:link` per version.
    """
    files = list(files)
    sites = {"": site, **{urls.language_prefix(lang) + "/": other for lang, other in (others or {}).items()}}
    chosen: dict[str, tuple[Site, str, Optional[str]]] = {}  # path -> its site, its path there, its lastmod
    for folder, one in sites.items():
        dates = {url: lastmod_text(value) for url, value in content_dates(one).items()}
        pages = public_pages(one, files, folder) if folder else \
            [p for p in public_pages(one, files) if not any(p.startswith("/" + f) for f in sites if f)]
        for path in pages:
            own = path[len(folder):] if folder else path
            chosen[path] = (one, own, dates.get(own))
    ElementTree.register_namespace("", SITEMAP_NS)
    if others:
        ElementTree.register_namespace("xhtml", XHTML_NS)
    root = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    for path in sorted(chosen):
        one, own, lastmod = chosen[path]
        node = ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(site.config.base_url, path)
        if lastmod:
            ElementTree.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
        for hreflang, href in one.versions.alternates(own) if one.versions is not None else ():
            ElementTree.SubElement(node, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(site: Site) -> Optional[bytes]:
    """Only at a host's root is robots.txt read, so a site under a path gets none."""
    if urls.base_path(site.config.base_url) != "/":
        return None
    sitemap = urls.absolute(site.config.base_url, "/sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode("utf-8")


def outputs(site: Site, files: list[OutputFile], others: Optional[Mapping[str, Site]] = None) -> list[OutputFile]:
    """sitemap.xml (computed from the pages the build produces) and, at a host's root, robots.txt."""
    made = [OutputFile("sitemap.xml", sitemap_xml(site, files, others))]
    robots = robots_txt(site)
    if robots is not None:
        made.append(OutputFile("robots.txt", robots))
    return made
