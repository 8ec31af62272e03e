"""Cross-file rules: URL collisions, reserved slugs, references and links that must resolve."""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from datetime import datetime
from typing import Iterable, Mapping
from urllib.parse import unquote

from reThink_site.content import eventtime
from reThink_site.content.config import SiteConfig
from reThink_site.content.frontmatter import nearest_line
from reThink_site.content.index import Entry, source_key
from reThink_site.content.loader import Loaded
from reThink_site.content.models import KINDS
from reThink_site.core.errors import Problem
from reThink_site.core.outputs import OutputFile
from reThink_site.core.urls import RESERVED_PAGE_SLUGS, alias_url, base_path, content_url, output_path
from reThink_site.markdown.base import LinkContext, Rendered, has_script, line_of, script_line
from reThink_site.markdown.bodies import make_renderer


def url_collisions(entries: Iterable[Entry]) -> list[Problem]:
    """Two files at one URL, or a page taking a section's slug, are errors naming both."""
    problems, owners = [], {}
    for entry in entries:
        if entry.kind == "pages" and entry.slug in RESERVED_PAGE_SLUGS:
            problems.append(Problem(entry.item.source_path, 1, "slug", f"expected a page slug the site's sections "
                                    f"do not use, found {entry.slug!r} (used by /{entry.slug}/)",
                                    "rename the file or set another slug:"))
        for url in (entry.url, *entry.item.aliases):
            key = url if url.endswith("/") else url + "/"
            if key in owners and owners[key] != entry.item.source_path:
                problems.append(Problem(entry.item.source_path, 1, "slug", f"two files end at {key}: "
                                        f"{owners[key]} and {entry.item.source_path}",
                                        "give one of them another slug:"))
            owners.setdefault(key, entry.item.source_path)
    return problems


def reference_problems(entries: list[Entry], broken: Iterable[tuple[str, str]] = ()) -> list[Problem]:
    """A summary's `event` and a newsletter's `featured` must name existing content (drafts included).

    `broken` names (kind, slug) of files that failed to load: their own errors are reported, so
    references to them are not reported again.
    """
    by_kind_slug: dict = {key: None for key in broken}
    by_kind_slug.update({(e.kind, e.slug): e for e in entries})
    slugs: dict[str, list[str]] = {}
    for kind, slug in by_kind_slug:
        slugs.setdefault(slug, []).append(kind)
    problems = []
    for entry in entries:
        item = entry.item
        if entry.kind == "summaries" and item.event and ("events", item.event) not in by_kind_slug:
            problems.append(Problem(item.source_path, line_for(entry, "event"), "event",
                                    f"expected the slug of an event, found {item.event!r} (no such event)",
                                    "use the event's file name without .md"))
        if entry.kind == "newsletters":
            for index, ref in enumerate(item.featured):
                message = featured_problem(ref, by_kind_slug, slugs)
                if message:
                    problems.append(Problem(item.source_path, line_for(entry, "featured", index),
                                            f"featured[{index}]", message,
                                            "write kind/slug, e.g. insights/what-we-heard"))
    return problems


def featured_problem(ref: str, by_kind_slug: Mapping, slugs: Mapping[str, list[str]]) -> str:
    """Why a featured reference does not resolve ('' when it does)."""
    kind, _, slug = ref.rpartition("/")
    allowed = ("events", "summaries", "insights")
    if kind:
        if kind not in allowed or (kind, slug) not in by_kind_slug:
            return f"expected an existing event, summary or insight, found {ref!r}"
        return ""
    kinds = [k for k in slugs.get(slug, []) if k in allowed]
    if not kinds:
        return f"expected an existing event, summary or insight, found {ref!r}"
    if len(kinds) > 1:
        return f"expected one item, found {ref!r} naming {' and '.join(kinds)}"
    return ""


def line_for(entry: Entry, *path) -> int:
    """The line of a field in an entry's file (as recorded by the loader), else line 1."""
    return nearest_line(entry.field_lines, tuple(path))


def link_problems(entry: Entry, rendered: Rendered, produced: set[str], unpublished: set[str]) -> list[Problem]:
    """Links in a body: content files and site paths must exist; fragments should."""
    item, problems = entry.item, []
    for href in rendered.missing_files:
        problems.append(Problem(item.source_path, line_of(item.body, href, item.body_line), "body",
                                f"link to a content file that does not exist: {href}",
                                "check the file name and the ../ folder part"))
    for href in rendered.bad_schemes:
        problems.append(Problem(item.source_path, line_of(item.body, href, item.body_line), "body",
                                f"expected a link starting https://, http://, mailto: or tel:, found {href!r}"))
    for href in rendered.links:
        path, _, fragment = href.partition("#")
        where = line_of(item.body, href.split("#")[0] or href, item.body_line)
        if not path:
            if fragment and fragment not in rendered.ids:
                problems.append(Problem(item.source_path, where, "body", f"link to #{fragment}, "
                                        "which this page does not have", "", "warning"))
            continue
        if not produces(produced, path):
            if produces(unpublished, path):
                problems.append(Problem(item.source_path, where, "body", f"link to {path}, which is a draft or "
                                        "not published yet", "", "warning"))
            else:
                problems.append(Problem(item.source_path, where, "body", f"link to {path}, which the build does not "
                                        "produce", "check the path; files in content/assets/ are at /assets/…"))
    for src in rendered.images_without_alt:
        problems.append(Problem(item.source_path, line_of(item.body, "![", item.body_line), "body",
                                f"image without alt text: {src}", "describe the image: ![what it shows](…)",
                                "warning"))
    return problems


def produces(paths: set[str], link: str) -> bool:
    """A site path (without #fragment) names one of `paths`, as a browser reads it: `%20` is a space,
    and a folder may be named without its closing `/`."""
    return any(candidate in paths or candidate + "/" in paths for candidate in dict.fromkeys((link, unquote(link))))


def site_path_problems(entries: list[Entry], produced: set[str], unpublished: set[str] = frozenset(),
                       base: str = "/") -> list[Problem]:
    """Front-matter site paths (resources, image) must point at something the build produces.

    A path to a draft or to a post not due yet is a warning, as it is in a body: the site can be built
    before that post's date.
    """
    problems = []
    for entry in entries:
        item = entry.item
        targets = [(("resources", i, "url"), link.url) for i, link in enumerate(getattr(item, "resources", ()))]
        if item.image is not None:
            targets.append((("image", "src"), item.image.src))
        for path, target in targets:
            path_only = target.split("#")[0]
            if not target.startswith("/") or produces(produced, path_only):
                continue
            if produces(unpublished, path_only):
                problems.append(Problem(item.source_path, line_for(entry, *path), ".".join(map(str, path)),
                                        f"link to {path_only}, which is a draft or not published yet", "",
                                        "warning"))
            else:
                bare = path_only[len(base) - 1:] if base != "/" and path_only.startswith(base) else ""
                problems.append(Problem(item.source_path, line_for(entry, *path), ".".join(map(str, path)),
                                        f"expected a path the site produces, found {target!r} (no such file)",
                                        f"write it without the site's base path {base}: {bare}"
                                        if bare and produces(produced, bare) else
                                        "files in content/assets/ are published at /assets/…"))
    return problems


def fragment_problems(rendered: Iterable[tuple[Entry, Rendered]], files: Iterable) -> list[Problem]:
    """A link to another page's #section warns when that page has no element with that id."""

    import lxml.html

    pages = {f.site_path: f for f in files  # generated pages, whether rendered now or reused from the live site
             if (f.data is not None or f.digest is not None) and f.path.endswith(".html")}
    ids: dict[str, frozenset[str]] = {}
    problems = []
    for entry, body in rendered:
        item = entry.item
        for href in body.links:
            path, _, fragment = href.partition("#")
            key = path if path in pages else path + "/"
            if not path or not fragment or key not in pages:
                continue
            if key not in ids:
                page = pages[key]  # a page reused from the live site is read only when a link needs it
                data = page.data if page.data is not None else page.source.read_bytes()
                ids[key] = frozenset(lxml.html.document_fromstring(data).xpath("//@id"))
            if unquote(fragment) not in ids[key]:
                problems.append(Problem(item.source_path, line_of(item.body, "#" + fragment, item.body_line), "body",
                                        f"link to {path}#{fragment}, which that page does not have",
                                        "check the heading's anchor on the target page", "warning"))
    return problems


def alias_collisions(entries: list[Entry], files: list) -> list[Problem]:
    """An alias may not take the place of a page the build makes for something else."""
    counts = Counter(f.path for f in files)
    problems = []
    for entry in entries:
        for index, alias in enumerate(entry.item.aliases):
            url = alias_url(alias)
            if counts[output_path(url)] > 1:
                problems.append(Problem(entry.item.source_path, line_for(entry, "aliases", index),
                                        f"aliases[{index}]", f"expected an old URL that no other page uses, "
                                        f"found {alias!r}, which the site already has"))
    return problems


def unsafe_output_path(path: str) -> bool:
    """An output path that is not a plain relative path inside the output folder."""
    return (not path or path.startswith("/") or "\\" in path or posixpath.normpath(path) != path.rstrip("/")
            or any(ord(c) < 32 for c in path))


def output_collisions(entries: list[Entry], files: list[OutputFile]) -> list[Problem]:
    """Every output path is checked against every other: a content file may not take the place of a page
    the build makes for something else (an event with slug `calendar` is not the month grid).

    Two content files at one URL and aliases are reported by `url_collisions` and `alias_collisions`.
    """
    counts = Counter(f.path for f in files)
    owners: dict[str, list[Entry]] = {}
    for entry in entries:
        owners.setdefault(output_path(entry.url), []).append(entry)
    aliased = {output_path(alias_url(alias)) for entry in entries for alias in entry.item.aliases}
    shared = tuple(path.removesuffix("index.html") for path, found in owners.items() if len(found) > 1)
    problems = []
    for path, count in sorted(counts.items()):
        if unsafe_output_path(path):
            problems.append(Problem("output", 1, path, f"the build made an output path outside the output "
                                    f"folder: {path!r}", "report this: every path should come from a slug"))
        if count < 2 or path in aliased or path.startswith(shared):
            continue  # two files at one URL: url_collisions names them (and not each file beside their pages)
        url = OutputFile(path).site_path
        if path in owners:
            entry = owners[path][0]
            if entry.kind == "pages" and entry.slug in RESERVED_PAGE_SLUGS:
                continue  # reported by url_collisions, in the words of the section it would take
            problems.append(Problem(entry.item.source_path, line_for(entry, "slug"), "slug",
                                    f"expected a slug whose page the site does not already make, found "
                                    f"{entry.slug!r}: the build makes {url} itself", "set another slug:"))
        else:
            problems.append(Problem("output", 1, path, f"{count} outputs of the build are the same file {url}",
                                    "report this: each page should have a path of its own"))
    return problems


def body_warnings(entries: list[Entry]) -> list[Problem]:
    """Scripts and inline handlers in bodies are allowed but worth a second look."""
    return [Problem(e.item.source_path, script_line(e.item.body, e.item.body_line), "body",
                    "contains a <script> element, an on…= event handler or a javascript: link",
                    "remove it unless you really mean to run code on the page", "warning")
            for e in entries if has_script(e.item.body)]


RAW_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)


def editor_warnings(entries: list[Entry]) -> list[Problem]:
    """Slips that publish something odd: a page or post with no text, a raw <img> with no alt, end = start."""
    problems = []
    for entry in entries:
        item = entry.item
        if not item.body.strip() and entry.kind in ("pages", "insights", "summaries"):  # their body is the text
            problems.append(Problem(item.source_path, item.body_line - 1, "body", "the body is empty: the page "
                                    "will have a title and no text", "write the text below the second ---",
                                    "warning"))
        for tag in RAW_IMAGE.findall(item.body):
            if not HAS_ALT.search(tag):
                problems.append(Problem(item.source_path, line_of(item.body, tag, item.body_line), "body",
                                        f"image without alt text: {tag[:80]}", 'add alt="what it shows" to the '
                                        "<img> tag (alt=\"\" for a decorative one)", "warning"))
        end = getattr(item, "end", None)
        if isinstance(end, datetime) and end == item.start:
            problems.append(Problem(item.source_path, line_for(entry, "end"), "end", f"end is the same as start "
                                    f"({end:%Y-%m-%d %H:%M}): the page would say it ends as it begins",
                                    "give the time it ends, or delete end:", "warning"))
    return problems


def base_path_notes(entries: list[Entry], base: str) -> list[Problem]:
    """A link written with the site's base path (copied from the address bar) works; say how it is read."""
    if base == "/":
        return []
    written = re.compile(r"(?:\]\(\s*<?|href\s*=\s*[\"']?)(" + re.escape(base) + r"[^\s)\"'>]*)")
    return [Problem(e.item.source_path, line_of(e.item.body, link, e.item.body_line), "body",
                    f"the link {link} starts with the site's base path {base}: it is read as the site path "
                    f"{link[len(base) - 1:]}", f"you may write it as {link[len(base) - 1:]}", "note")
            for e in entries for link in dict.fromkeys(written.findall(e.item.body))]


def summary_date_warnings(entries: list[Entry]) -> list[Problem]:
    """A summary dated before the event it summarises is most likely a typo in one of the two dates."""
    events = {e.slug: e.item for e in entries if e.kind == "events"}
    problems = []
    for entry in entries:
        item = entry.item
        event = events.get(item.event) if entry.kind == "summaries" and item.event else None
        if event is None:
            continue
        starts = event.start.date() if isinstance(event.start, datetime) else event.start
        if item.date < starts:
            problems.append(Problem(item.source_path, line_for(entry, "date"), "date",
                                    f"the summary is dated {item.date.isoformat()}, before its event "
                                    f"({starts.isoformat()})", "check date: here and start: in the event",
                                    "warning"))
    return problems


def event_warnings(entries: list[Entry], site_tz) -> list[Problem]:
    """Events search engines will not show, online events nobody can join, booking closing after the start."""
    problems = []
    for entry in entries:
        if entry.kind != "events":
            continue
        event = entry.item
        where = event.location
        if where is None:
            problems.append(Problem(event.source_path, line_for(entry, "title"), "location",
                                    "no location: search engines will not show this event",
                                    "give the place (a venue id, a name and address) or `online` with a link",
                                    "warning"))
        elif (where.online or event.status == "moved online") and not (where.join_link or event.registration):
            problems.append(Problem(event.source_path, line_for(entry, "location"), "location",
                                    "an online event with no join link or registration link",
                                    "add location.url (or location.join) or registration:", "warning"))
        starts = eventtime.starts_at(event, site_tz)
        if event.booking_closes is not None and event.booking_closes > starts:
            problems.append(Problem(event.source_path, line_for(entry, "booking_closes"), "booking_closes",
                                    f"booking closes after the event starts ({event.booking_closes} is after "
                                    f"{starts})", "set booking_closes before start:", "warning"))
    return problems


def followup_notes(past: Iterable[Entry], summary_of_event: Mapping[str, Entry]) -> list[Problem]:
    """Past events nobody has followed up: no discussion summary and no resources (notes, never failing)."""
    problems, seen = [], set()
    for entry in past:
        event = entry.item
        if event.source_path in seen or event.status in ("cancelled", "postponed"):
            continue
        seen.add(event.source_path)
        if event.resources or event.slug in summary_of_event:
            continue
        problems.append(Problem(event.source_path, line_for(entry, "title"), "follow-up",
                                "a past event with neither a discussion summary nor resources",
                                f"start one with: rethink new summary --event {event.slug} (or add slides "
                                "under resources:)", "note"))
    return problems


def failed_bodies(loaded: Loaded, config: SiteConfig, file_urls: dict) -> list[tuple[Entry, Rendered]]:
    """Bodies of files that failed validation, rendered only so their own link problems show too."""
    renderer, out = make_renderer(config.markdown.engine, config.markdown.raw_html), []
    for failed in loaded.invalid:
        if not failed.body.strip():
            continue
        stand_in = KINDS[failed.kind].model_construct(source_path=failed.source_path, slug=failed.slug,
                                                      body=failed.body, body_line=failed.body_line, title="")
        context = LinkContext(os.path.dirname(source_key(failed.source_path, config.content_dir)), file_urls,
                              base_path(config.base_url))
        rendered = renderer.render(failed.body, context)
        out.append((Entry(failed.kind, stand_in, content_url(failed.kind, failed.slug), rendered.html, "",
                          rendered.ids), rendered))
    return out


def all_problems(config: SiteConfig, loaded: Loaded, rendered: list[tuple[Entry, Rendered]],
                 held_back: list[Entry], files: list[OutputFile], file_urls: dict) -> list[Problem]:
    """Every cross-file rule over what was loaded, rendered and planned (the build's checks step)."""
    entries = [entry for entry, _ in rendered]
    failed = failed_bodies(loaded, config, file_urls)
    problems = [*url_collisions(entries), *body_warnings(entries + [e for e, _ in failed]),
                *event_warnings(entries, config.tz), *editor_warnings(entries),
                *summary_date_warnings(entries + held_back), *base_path_notes(entries, base_path(config.base_url))]
    produced = {f.site_path for f in files} | {content_url(f.kind, f.slug) for f in loaded.invalid}
    problems += reference_problems(entries + held_back, [(f.kind, f.slug) for f in loaded.invalid])
    unpublished_urls = {e.url for e in held_back}
    for entry, body in rendered + failed:
        problems += link_problems(entry, body, produced, unpublished_urls)
    problems += site_path_problems(entries, produced, unpublished_urls, base_path(config.base_url))
    problems += alias_collisions(entries, files)
    problems += output_collisions(entries, files)
    problems += fragment_problems(rendered, files)
    return problems
