"""The theme's settings in site.yaml (`theme:`): logo, menu and footer links, contact and privacy page."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reThink_site.content.fieldrules import check_url
from reThink_site.content.frontmatter import FrontMatterError, decode, load_yaml, nearest_line
from reThink_site.content.models import check_site_path_or_url, single_line
from reThink_site.core.errors import Problem


class _Theme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ThemeLink(_Theme):
    """One link the theme shows: its words, and a site path such as /subscribe/ or a full address."""

    title: str = Field(min_length=1)
    url: str = Field(min_length=1)

    _one_line = field_validator("title")(lambda cls, v: single_line(v))
    _url = field_validator("url")(lambda cls, v: check_site_path_or_url(v))


class ThemeSettings(_Theme):
    """What the default theme shows around every page; each part is left out when it is not set."""

    logo: Optional[str] = None  # a site path under /assets/ (content/assets/) or /static/ (templates/static/)
    organisation: Optional[str] = None  # who runs the site, named in the footer
    footer_text: str = ""  # a sentence about the site for the footer (else the site's description)
    footer_links: tuple[ThemeLink, ...] = ()
    contact_email: Optional[str] = None  # the footer's contact address (else site.yaml's contact_email)
    privacy_page: Optional[str] = None  # the privacy notice, linked from every page's footer
    privacy_text: str = ""  # a sentence of it for the footer, e.g. that the site sets no cookies
    accessibility_page: Optional[str] = "/accessibility/"  # the accessibility statement, linked from the footer
    menu: tuple[ThemeLink, ...] = ()  # main-menu links after the sections and the pages with `menu:`

    _one_line = field_validator("organisation")(lambda cls, v: v if v is None else single_line(v))
    _pages = field_validator("privacy_page", "accessibility_page")(
        lambda cls, v: v if v is None else check_site_path_or_url(v))

    @field_validator("logo")
    @classmethod
    def _logo_path(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not (value.startswith(("/assets/", "/static/")) and check_site_path_or_url(value)):
            raise ValueError(f"expected the logo's site path under /assets/ (a file in content/assets/) or "
                             f"/static/ (a file in templates/static/), found {value!r}")
        return value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and (check_url("mailto:" + value) and ("@" not in value or " " in value)):
            raise ValueError(f"expected an e-mail address such as team@example.org, found {value!r}")
        return value

    def site_paths(self) -> Iterable[tuple[tuple, str]]:
        """Each setting that names a page or file of this site, by key path, with its path."""
        singles = (("logo", self.logo), ("privacy_page", self.privacy_page),
                   ("accessibility_page", self.accessibility_page))
        for key, value in singles:  # the default accessibility_page is linked only where the page exists
            if value is not None and value.startswith("/") and key in self.model_fields_set:
                yield ("theme", key), value
        for key in ("menu", "footer_links"):
            for index, link in enumerate(getattr(self, key)):
                if link.url.startswith("/"):
                    yield ("theme", key, index, "url"), link.url


def link_problems(theme: ThemeSettings, produced: set[str], site_yaml: Path) -> list[Problem]:
    """A theme setting naming a page or file the build does not make: every page would carry a broken link."""
    missing = [(key, path) for key, path in theme.site_paths()
               if not any(candidate in produced for candidate in (path.split("#")[0], path.split("#")[0] + "/"))]
    if not missing:
        return []
    try:
        _, lines = load_yaml(decode(site_yaml.read_bytes()))
    except (OSError, FrontMatterError):
        lines = {}
    hint = "files in content/assets/ are at /assets/…, pages at /<slug>/"
    return [Problem(site_yaml.name, nearest_line(lines, key), ".".join(map(str, key)),
                    f"expected a path the site produces, found {path!r} (no such page or file)", hint)
            for key, path in missing]
