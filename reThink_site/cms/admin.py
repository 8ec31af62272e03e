"""/admin/ in the built site: the CMS page, its generated configuration, and the pinned program's files."""

from __future__ import annotations

import html
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from reThink_site.cms import bundle
from reThink_site.cms.config import cms_config, config_yaml, preview_style
from reThink_site.content.config import SiteConfig
from reThink_site.content.models import KINDS, Content, Person
from reThink_site.core.errors import Problem
from reThink_site.core.outputs import OutputFile
from reThink_site.core.urls import base_path

FOLDER = "admin"
CONFIG_FILE = "config.yml"
SETUP_SCRIPT = "setup.js"


def admin_page(config: SiteConfig, installed: bool) -> bytes:
    """The page that loads the CMS; without the program it says how to install it instead."""
    title = html.escape(f"Edit {config.title}")
    here = base_path(config.base_url).rstrip("/") + f"/{FOLDER}/"  # site paths, as every page of the site links
    if installed:
        body = (f'<script src="{here}{bundle.MAIN}"></script>\n'
                f'<script src="{here}{SETUP_SCRIPT}"></script>\n')
    else:
        body = (f"<main><h1>{title}</h1><p>The editor ({bundle.NAME} {bundle.VERSION}) was not installed when "
                "this site was built. Run <code>./dev site</code> with a connection to the npm registry, or "
                "<code>python -m reThink_site.cms.bundle</code>, then build again.</p></main>\n")
    return (f'<!doctype html>\n<html lang="{html.escape(config.language)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            f'<link rel="icon" href="{html.escape(icon_path(config))}" type="image/svg+xml">\n'
            f'<link rel="cms-config-url" type="text/yaml" href="{here}{CONFIG_FILE}">\n'
            f"<title>{title}</title>\n</head>\n<body>\n{body}</body>\n</html>\n").encode("utf-8")


def icon_path(config: SiteConfig) -> str:
    """The site's own icon (else the browser asks for /favicon.ico, outside the site)."""
    return base_path(config.base_url).rstrip("/") + "/static/favicon.svg"


PREVIEW = """\
(function () {
  // Each entry previewed as the site shows it: its page's main parts, in the site's own stylesheet.
  var h = window.h, people = %(people)s, kinds = %(kinds)s;
  function named(person) {
    if (!person) { return ""; }
    var id = person.get ? person.get("id") : person;
    return (person.get && person.get("name")) || people[id] || id || "";
  }
  var Preview = window.createClass({
    render: function () {
      var data = this.props.entry.get("data"), when = data.get("start") || data.get("date");
      var place = data.getIn(["location", "name"]), speakers = data.get("speakers");
      var who = speakers && speakers.map ? speakers.map(named).filter(Boolean).join(", ") : "";
      return h("main", {id: "main"}, h("article", {className: "entry"},
        h("h1", {}, data.get("title")),
        when ? h("p", {className: "muted"}, String(when) + (place ? " \u00b7 " + place : "")) : null,
        who ? h("p", {}, "Speakers: " + who) : null,
        data.get("summary") ? h("p", {className: "entry__summary"}, data.get("summary")) : null,
        h("div", {className: "entry__body"}, this.props.widgetFor("body"))));
    }
  });
  kinds.forEach(function (kind) { CMS.registerPreviewTemplate(kind, Preview); });
  CMS.registerPreviewStyle(%(style)s);
})();
"""


def setup_script(config: SiteConfig, people: Mapping[str, Person]) -> bytes:
    """Preview entries as the site shows them, with the site's own stylesheet."""
    names = {key: person.name for key, person in sorted(people.items())}
    return (PREVIEW % {"people": json.dumps(names, ensure_ascii=False), "kinds": json.dumps(list(KINDS)),
                       "style": json.dumps(preview_style(config))}).encode("utf-8")


def admin_files(project: Path, config: SiteConfig, people: Mapping[str, Person],
                items: Mapping[str, tuple[Content, ...]], problems: list[Problem],
                venues: Mapping[str, Any] = MappingProxyType({})) -> list[OutputFile]:
    """Every file of /admin/ when site.yaml has a `cms:` section; one warning when the program is missing."""
    if config.cms is None:
        return []
    folder = bundle.bundle_folder(project)
    files = [OutputFile(f"{FOLDER}/index.html", admin_page(config, folder is not None)),
             OutputFile(f"{FOLDER}/{CONFIG_FILE}", config_yaml(cms_config(config, people, items, venues)))]
    if folder is None:
        problems.append(Problem("site.yaml", 1, "cms", f"/admin/ is built without the editor: {bundle.NAME} "
                                f"{bundle.VERSION} is not installed", "run ./dev site (it fetches the pinned "
                                "copy from the npm registry) or python -m reThink_site.cms.bundle", "warning"))
        return files
    files.append(OutputFile(f"{FOLDER}/{SETUP_SCRIPT}", setup_script(config, people)))
    files += [OutputFile(f"{FOLDER}/{path.name}", source=path) for path in bundle.bundle_files(folder)]
    return files
