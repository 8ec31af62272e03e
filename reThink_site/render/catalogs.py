"""Interface text per language: the theme's gettext catalog, overridden message by message by the site's.

Catalogs are the `.po` files `pybabel` writes (`<templates>/locale/<lang>/LC_MESSAGES/messages.po`),
compiled in memory with Babel at each build, so a fresh clone needs no compiled `.mo` file.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path
from typing import Iterable

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "messages"


def catalog_names(language: str) -> list[str]:
    """Folder names a language tag's catalog may have, most specific first (`en-GB` → en_GB, en)."""
    tag = language.replace("-", "_")
    base = tag.split("_")[0]
    return [tag] if tag == base else [tag, base]


def catalog_path(folder: Path, language: str) -> Path | None:
    """The `.po` file of a language in one template folder, if there is one."""
    for name in catalog_names(language):
        path = folder / "locale" / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def compiled(path: Path, language: str) -> Translations:
    """A `.po` file compiled in memory (fuzzy and empty messages left out, as `pybabel compile` does)."""
    with path.open("rb") as source:
        catalog = read_po(source, locale=language.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def catalog_folders(project: Path, template_dirs: Iterable[Path]) -> list[Path]:
    """Where catalogs are, most specific first: the site's own `locale/`, its templates', the default theme's."""
    folders = [project.resolve()]
    folders += [folder for folder in template_dirs if folder.resolve() not in folders]
    return folders


def translations(template_dirs: Iterable[Path], language: str) -> gettext.NullTranslations:
    """The language's messages: the default theme's, then each more specific folder's on top."""
    merged: Translations | None = None
    for folder in reversed(list(template_dirs)):  # lookup order is site first; the site must win
        path = catalog_path(folder, language)
        if path is None:
            continue
        found = compiled(path, language)
        if merged is None:
            merged = found
        else:
            merged.merge(found)
    return merged if merged is not None else gettext.NullTranslations()
