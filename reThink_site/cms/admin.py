"""/admin/ in the built site: the CMS page, its generated configuration, and the pinned program's files."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Mapping

from reThink_site.cms import bundle
from reThink_site.cms.config import cms_config, config_yaml, preview_style
from reThink_site.content.config import SiteConfig
from reThink_site.content.models import Content, Person
from reThink_site.core.errors import Problem
from reThink_site.core.outputs import OutputFile
from reThink_site.core.urls import base_path

FOLDER = "admin"
CONFIG_FILE = "config.yml"
SETUP_SCRIPT = "setup.js"


def admin_page(config: SiteConfig, installed: bool) -> bytes:
    """The page that loads the CMS; without the program it says how to install it instead."""
    title = html.escape(f"Edit {config.title}")
    if installed:
        body = (f'<script src="{bundle.MAIN}"></script>\n'
                f'<script src="{SETUP_SCRIPT}"></script>\n')
    else:
        body = (f"<main><h1>{title}</h1><p>The editor ({bundle.NAME} {bundle.VERSION}) was not installed when "
                "this site was built. Run <code>./dev site</code> with a connection to the npm registry, or "
                "<code>python -m reThink_site.cms.bundle</code>, then build again.</p></main>\n")
    return (f'<!doctype html>\n<html lang="{html.escape(config.language)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            f'<link rel="icon" href="{html.escape(icon_path(config))}" type="image/svg+xml">\n'
            f'<link rel="cms-config-url" type="text/yaml" href="{CONFIG_FILE}">\n'
            f"<title>{title}</title>\n</head>\n<body>\n{body}</body>\n</html>\n").encode("utf-8")


def icon_path(config: SiteConfig) -> str:
    """The site's own icon (else the browser asks for /favicon.ico, outside the site)."""
    return base_path(config.base_url).rstrip("/") + "/static/favicon.svg"


def setup_script(config: SiteConfig) -> bytes:
    """Preview entries with the site's own stylesheet."""
    return f"CMS.registerPreviewStyle({json.dumps(preview_style(config))});\n".encode("utf-8")


def admin_files(project: Path, config: SiteConfig, people: Mapping[str, Person],
                items: Mapping[str, tuple[Content, ...]], problems: list[Problem]) -> list[OutputFile]:
    """Every file of /admin/ when site.yaml has a `cms:` section; one warning when the program is missing."""
    if config.cms is None:
        return []
    folder = bundle.bundle_folder(project)
    files = [OutputFile(f"{FOLDER}/index.html", admin_page(config, folder is not None)),
             OutputFile(f"{FOLDER}/{CONFIG_FILE}", config_yaml(cms_config(config, people, items)))]
    if folder is None:
        problems.append(Problem("site.yaml", 1, "cms", f"/admin/ is built without the editor: {bundle.NAME} "
                                f"{bundle.VERSION} is not installed", "run ./dev site (it fetches the pinned "
                                "copy from the npm registry) or python -m reThink_site.cms.bundle", "warning"))
        return files
    files.append(OutputFile(f"{FOLDER}/{SETUP_SCRIPT}", setup_script(config)))
    files += [OutputFile(f"{FOLDER}/{path.name}", source=path) for path in bundle.bundle_files(folder)]
    return files
