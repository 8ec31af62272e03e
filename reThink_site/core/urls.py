"""Every URL and output-path rule of the contract, in one place."""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from urllib.parse import urlsplit

RESERVED_PAGE_SLUGS = frozenset({"events", "summaries", "insights", "newsletter", "people", "tags",
                                 "series", "search", "subscribe", "assets", "static", "venues"})
SECTION = MappingProxyType({"events": "events", "summaries": "summaries", "insights": "insights",
           "newsletters": "newsletter", "pages": ""})
# Files every language's pages share, kept once at the site's root (never under /cy/).
SHARED_PATHS = ("/static/", "/assets/", "/pagefind/", "/admin/")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens (accents folded, not dropped)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def slug_from_filename(kind: str, stem: str) -> str:
    """Events and newsletters keep their date prefix; other kinds drop it."""
    if kind not in ("events", "newsletters"):
        stem = _DATE_PREFIX.sub("", stem) or stem
    return slugify(stem)


def content_url(kind: str, slug: str) -> str:
    """The site path of a content item's page."""
    section = SECTION[kind]
    return f"/{section}/{slug}/" if section else f"/{slug}/"


def output_path(url: str) -> str:
    """The file (relative to the output folder) that serves a site path."""
    rel = url.lstrip("/")
    return rel + "index.html" if rel.endswith("/") or not rel else rel


def base_path(base_url: str) -> str:
    """The path part of base_url, always ending with `/` (`/` at a domain root)."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str, site_path: str) -> str:
    """Turn a site path (`/events/x/`) into an absolute URL under base_url."""
    return base_url.rstrip("/") + "/" + site_path.lstrip("/") if site_path.startswith("/") else site_path


def prefixed(base_url: str, site_path: str) -> str:
    """Turn a site path into the path a browser asks for, honouring base_url's folder."""
    if not site_path.startswith("/") or site_path.startswith("//"):
        return site_path
    return base_path(base_url).rstrip("/") + site_path


def alias_url(alias: str) -> str:
    """An alias as the URL its redirect page serves: `/old` becomes `/old/`, `/old.html` stays."""
    return alias if alias.endswith("/") or "." in alias.rsplit("/", 1)[-1] else alias + "/"



def language_prefix(language: str) -> str:
    """The folder of a language's pages other than the default's: `cy` for cy, `fr-ca` for fr-CA."""
    return language.lower()
