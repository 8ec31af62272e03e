"""The Jinja environment: site templates override the default theme file by file."""

from __future__ import annotations

import json
import traceback
from datetime import date, datetime
from json.encoder import encode_basestring as _encode_string
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from reThink_site.content import eventtime
from reThink_site.content.index import Site, find_person
from reThink_site.content.venues import map_url
from reThink_site.core import install, localdates, urls
from reThink_site.core.errors import SiteError
from reThink_site.core.localdates import N_
from reThink_site.render import calendar_links, catalogs, eventpage, jsonld


def default_theme() -> Path:
    """The default templates, or a clear error when the installation lost them."""
    theme = install.default_theme()
    if theme is None:
        raise SiteError("the default theme is missing from the installation (templates/base.html)")
    return theme


def theme_dirs(project: Path, templates_dir: str) -> list[Path]:
    """Template folders in lookup order: the site's own first, then the default theme."""
    own = (project / templates_dir).resolve()
    default = default_theme().resolve()
    return [own, default] if own.is_dir() and own != default else [default]


# Pagefind UI's messages (https://pagefind.app/docs/ui/), in its order; each through the catalog.
# Pagefind picks its own strings by the page's <html lang> but ships none for Welsh: the catalog gives them.
# [SEARCH_TERM], [COUNT] and [DIFFERENT_TERM] are Pagefind's own placeholders, kept as they are.
PAGEFIND_MESSAGES = (
    ("placeholder", N_("Type a name, topic or place")),
    ("clear_search", N_("Clear")),
    ("load_more", N_("Load more results")),
    ("search_label", N_("Search this site")),
    ("filters_label", N_("Filters")),
    ("zero_results", N_("No results for [SEARCH_TERM]")),
    ("many_results", N_("[COUNT] results for [SEARCH_TERM]")),
    ("one_result", N_("[COUNT] result for [SEARCH_TERM]")),
    ("alt_search", N_("No results for [SEARCH_TERM]. Showing results for [DIFFERENT_TERM] instead")),
    ("search_suggestion", N_("No results for [SEARCH_TERM]. Try one of the following searches:")),
    ("searching", N_("Searching for [SEARCH_TERM]...")),
)


def pagefind_translations(gettext: Callable[[str], str]) -> Markup:
    """Pagefind UI's `translations` option: the placeholder, and every message the catalog translates."""
    pairs = [(key, gettext(text)) for key, text in PAGEFIND_MESSAGES]
    shown = [(key, text) for key, text in pairs if key == "placeholder" or text != dict(PAGEFIND_MESSAGES)[key]]
    return Markup("{ " + ", ".join(f"{key}: {json.dumps(text, ensure_ascii=False)}" for key, text in shown) + " }")


class _NotPlainJson(Exception):
    """A value the fast encoder leaves to the json module (non-string keys, other types)."""


def _indented_json(value: Any, depth: int = 0) -> str:
    """`json.dumps(indent=1, sort_keys=True, ensure_ascii=False)` for plain data, without its slow generators."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None or value is True or value is False:
        return "null" if value is None else ("true" if value else "false")
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        if not all(type(key) is str for key in value):
            raise _NotPlainJson
        inner = "\n" + " " * (depth + 1)
        items = [_encode_string(key) + ": " + _indented_json(value[key], depth + 1) for key in sorted(value)]
        return "{" + inner + ("," + inner).join(items) + "\n" + " " * depth + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = "\n" + " " * (depth + 1)
        return "[" + inner + ("," + inner).join(_indented_json(v, depth + 1) for v in value) + "\n" + " " * depth + "]"
    raise _NotPlainJson


def json_script(value: Any) -> Markup:
    """JSON safe inside a <script> element: no `</script>` or `<!--` can break out."""
    try:
        text = _indented_json(value)
    except _NotPlainJson:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def call_macro(macro: Callable[..., Markup], *args: Any) -> Markup:
    """`remembered(card, entry)` in a template: here simply the macro's output (the build may memoise it)."""
    return macro(*args)


def plain_words(env: jinja2.Environment) -> Callable[[str], str]:
    """The environment's catalog as a plain gettext, so feeds and calendars need not compile it again."""
    return env.globals["plain_gettext"]


def make_env(project: Path, site: Site, environment: type[jinja2.Environment] = jinja2.Environment,
             remembered: Callable[..., Markup] = call_macro) -> jinja2.Environment:
    """A strict, autoescaping environment with the site's filters, globals and the language's catalog.

    The build may hand in a Site that notes what templates read, an Environment class that notes
    body reads, and a memo for `remembered` cards; templates cannot tell the difference.
    """
    config = site.config
    language = config.language
    folders = theme_dirs(project, config.templates_dir)
    base, shared = config.base_url, urls.SHARED_PATHS
    root = None if config.root_url == base else config.root_url  # another language's pages share /static/
    env = environment(
        loader=jinja2.FileSystemLoader([str(p) for p in folders]),
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(["html", "xml", "htm"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # one build never sees a template change; skips a stat() per template lookup
    )
    translated = catalogs.translations(catalogs.catalog_folders(project, folders), language)
    words, clock = translated.gettext, config.events.clock
    env.filters.update(
        url=lambda path: urls.prefixed(base if root is None or not path.startswith(shared) else root, path),
        abs_url=lambda path: urls.absolute(base if root is None or not path.startswith(shared) else root, path),
        date=lambda value, style="long": localdates.format_date(value, style, language),
        clock=lambda moment: eventtime.clock_text(moment, clock, words),
        when=lambda event: eventtime.describe(event, config.tz, clock, language, words),
        when_site=lambda event: eventtime.describe_in_site_zone(event, config.tz, clock, language, words),
        when_before=lambda event: eventtime.describe_previous(event, config.tz, clock, language, words),
        repeat_rule=lambda event: eventtime.describe_repeat(event, config.tz, language, words),
        when_moment=lambda event, name: eventtime.moment_text(getattr(event, name), event, config.tz, clock,
                                                              language, words),
        booking_state=lambda entry: eventpage.booking_now(entry.item, site),
        map_url=lambda place: map_url(place.latitude, place.longitude, place.postcode),
        json_script=json_script,
        person_url=lambda person: find_person(site, person),
        slugify=urls.slugify,
        event_jsonld=lambda entry: jsonld.event_data(entry, site),
        calendar_links=lambda entry: calendar_links.links(entry, site),
    )
    env.filters["page_link"] = env.filters["url"] if site.versions is None else site.versions.nearest
    env.globals["plain_gettext"] = words  # the same catalog for text made outside templates (feeds, calendars)
    env.install_gettext_translations(translated, newstyle=True)  # type: ignore[attr-defined]
    env.filters["access_lines"] = lambda access: access.lines(translated.gettext)
    env.filters["where"] = lambda event: translated.gettext("Online") if event.status == "moved online" \
        else event.location.line(translated.gettext)
    env.globals.update(site=site, config=config, page_lang=language, now=site.now,
                       today=site.now.astimezone(config.tz).date(),
                       remembered=remembered, weekday_names=lambda: localdates.weekday_names(language),
                       pagefind_translations=lambda: pagefind_translations(translated.gettext))
    env.tests["within"] = lambda url, prefix: url.startswith(prefix)  # a plain call, cheaper than a method call
    env.tests["datetime"] = lambda v: isinstance(v, datetime)
    env.tests["date"] = lambda v: isinstance(v, date) and not isinstance(v, datetime)
    return env


def render(env: jinja2.Environment, template: str, **context: Any) -> bytes:
    """Render one template to UTF-8 bytes, turning template mistakes into clear errors."""
    try:
        return env.get_template(template).render(**context).encode("utf-8")
    except jinja2.TemplateNotFound as err:
        raise SiteError(f"template not found: {err.name}") from None
    except jinja2.TemplateSyntaxError as err:
        raise SiteError(f"{err.filename or err.name}:{err.lineno}: template syntax error: {err.message}") from None
    except jinja2.UndefinedError as err:
        raise SiteError(f"{template_location(err, template)}: {err.message}") from None
    except Exception as err:  # a theme's runtime mistake ({{ 1/0 }}) must not reach users as a traceback
        raise SiteError(f"{template_location(err, template)}: template failed: {type(err).__name__}: {err}") from None


def template_location(err: BaseException, template: str) -> str:
    """`file.html:line` of the innermost template frame of an error, for theme authors."""
    where = f"template {template}"
    for frame, line in traceback.walk_tb(err.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".txt", ".xml")):
            where = f"{name}:{line}"
    return where
