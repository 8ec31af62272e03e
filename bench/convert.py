"""Converts a benchmark corpus in reThink_site's format to Pelican's and Hugo's, same text and metadata."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

PELICAN_CONF = """\
AUTHOR = "iNetwork"
SITENAME = "Benchmark reThink"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"),
                       (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
RELATIVE_URLS = True
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CONTENT_CACHING_LAYER = "reader"
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}},
            "output_format": "html5"}
"""

HUGO_CONFIG = """\
baseURL: "https://example.org/bench/"
title: Benchmark reThink
languageCode: en-gb
timeZone: Europe/London
taxonomies:
  tag: tags
disableKinds: [robotsTXT]
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title></head><body>
<nav><a href="/">Home</a> <a href="/insights/">Insights</a> <a href="/events/">Events</a> <a href="/tags/">Tags</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2 January 2006" }}{{ with .Params.author }} · {{ . }}{{ end }}</p>
{{ with .Params.tags }}<ul>{{ range . }}<li><a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ end }}
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2 Jan 2006" }} {{ .Summary }}</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>
{{ range first 20 .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
""",
}


def split(text: str) -> tuple[dict, str]:
    """Front matter and body of one of our content files."""
    _, block, body = text.split("---\n", 2)
    return yaml.load(block, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), body


def pelican_text(meta: dict, body: str, kind: str) -> str:
    """The same document in Pelican's Markdown metadata format."""
    date = meta.get("date") or meta.get("start")
    lines = [f"Title: {meta['title']}", f"Date: {date}", f"Category: {kind}",
             f"Tags: {', '.join(meta.get('tags', []))}"]
    if meta.get("author"):
        lines.append(f"Author: {meta['author']}")
    return "\n".join(lines) + "\n\n" + body


def hugo_text(meta: dict, body: str) -> str:
    """The same document with Hugo's YAML front matter."""
    when = str(meta.get("date") or meta.get("start"))
    when = when.replace(" ", "T") + ":00" if " " in when else when
    data = {"title": meta["title"], "date": when,
            "tags": meta.get("tags", [])}
    if meta.get("author"):
        data["author"] = meta["author"]
    return "---\n" + yaml.safe_dump(data, sort_keys=True, allow_unicode=True) + "---\n" + body


def convert_file(source: Path, pelican: Path, hugo: Path) -> None:
    """Write one of our files to its Pelican and Hugo counterparts."""
    kind = source.parent.name
    meta, body = split(source.read_text(encoding="utf-8"))
    (pelican / "content" / kind / source.name).write_text(pelican_text(meta, body, kind), encoding="utf-8")
    (hugo / "content" / kind / source.name).write_text(hugo_text(meta, body), encoding="utf-8")


def counterparts(source: Path, ours: Path, pelican: Path, hugo: Path) -> tuple[Path, Path]:
    """Where one of our content files lives in the Pelican and Hugo trees."""
    relative = source.relative_to(ours / "content")
    return pelican / "content" / relative, hugo / "content" / relative


def convert(ours: Path, pelican: Path, hugo: Path) -> None:
    """Write Pelican and Hugo sites holding the same documents as our corpus."""
    for target in (pelican, hugo):
        shutil.rmtree(target, ignore_errors=True)
        for kind in ("insights", "events"):
            (target / "content" / kind).mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    (hugo / "config.yaml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = hugo / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for kind in ("insights", "events"):
        for source in sorted((ours / "content" / kind).glob("*.md")):
            convert_file(source, pelican, hugo)
