"""Which pages exist in which language: what every page's hreflang links and language switcher show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from reThink_site.content.languages import language_name
from reThink_site.core import urls


@dataclass(frozen=True)
class Version:
    """One language's version of a page, or that language's home page when the page is not in it."""

    language: str
    name: str  # the language's own name: English, Cymraeg
    href: str  # absolute, for hreflang links
    path: str  # as a browser asks for it, for the switcher
    exists: bool  # False: `path` is the language's home page


@dataclass(frozen=True)
class Versions:
    """The site's languages (default first) and, for each, the site paths of its pages (relative to its base)."""

    language: str  # the language of the pages being rendered
    languages: tuple[str, ...]
    root_url: str  # the default language's base_url
    pages: Mapping[str, frozenset[str]]

    def base(self, language: str) -> str:
        """The base_url of one language's pages: the root for the default, `<root>cy/` for Welsh."""
        if language == self.languages[0]:
            return self.root_url
        return self.root_url + urls.language_prefix(language) + "/"

    def version(self, language: str, page_url: str) -> Version:
        """The page in that language, or that language's home page when the page is not there."""
        exists = page_url in self.pages.get(language, frozenset())
        path = page_url if exists else "/"
        base = self.base(language)
        return Version(language, language_name(language), urls.absolute(base, path), urls.prefixed(base, path),
                       exists)

    def alternates(self, page_url: str) -> list[tuple[str, str]]:
        """(hreflang, absolute URL) for each language the page exists in, then x-default (the default's)."""
        found = [(lang, self.version(lang, page_url).href) for lang in self.languages
                 if page_url in self.pages.get(lang, frozenset())]
        default = self.languages[0]
        if page_url in self.pages.get(default, frozenset()):
            found.append(("x-default", self.version(default, page_url).href))
        return found

    def others(self, page_url: str) -> list[Version]:
        """The switcher's links: the page in each other language, or that language's home."""
        return [self.version(lang, page_url) for lang in self.languages if lang != self.language]

    @property
    def name(self) -> str:
        """The current language's own name, for "This page is in English only"."""
        return language_name(self.language)

    def for_language(self, language: str) -> "Versions":
        """The same table, seen from another language's pages."""
        return Versions(language, self.languages, self.root_url, self.pages)
