"""A bilingual site: each other language's pages, feeds and calendars, rendered under its own folder."""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path

from reThink_site.content.index import Site
from reThink_site.content.versions import Versions
from reThink_site.core import urls
from reThink_site.core.outputs import OutputFile
from reThink_site.render import calendars, feeds, mailing, pages
from reThink_site.render.templates import make_env, plain_words


def with_versions(site: Site, others: dict[str, Site]) -> tuple[Site, dict[str, Site]]:
    """Each language's Site told which pages exist in every language (unchanged with one language)."""
    if not others:
        return site, others
    config = site.config
    every = {config.language: site, **others}
    table = Versions(config.language, config.languages, config.base_url,
                     {lang: pages.page_urls(one) for lang, one in every.items()})
    return (dataclasses.replace(site, versions=table),
            {lang: dataclasses.replace(one, versions=table.for_language(lang)) for lang, one in others.items()})


def language_files(project: Path, site: Site) -> list[OutputFile]:
    """Every page, calendar, feed and newsletter e-mail of one other language, under `<prefix>/`.

    Rendered afresh each build: the build's caches hold the default language's outputs only.
    """
    env = make_env(project, site)
    words = plain_words(env)
    made = [*pages.all_pages(env, site), *calendars.calendar_files(site, gettext=words),
            *feeds.outputs(site, partial(mailing.issue_html, env, site), gettext=words), *mailing.outputs(env, site)]
    folder = urls.language_prefix(site.config.language) + "/"
    return [dataclasses.replace(f, path=folder + f.path) for f in made]
