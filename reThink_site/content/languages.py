"""The rules of site.yaml's `languages:`, `translations:` and `require_translations:` settings."""

from __future__ import annotations

import re
from typing import Any

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
KIND_NAMES = ("events", "summaries", "insights", "newsletters", "pages")


def default_first(data: Any) -> Any:
    """With `languages:` given, `language` is its first; a different `language:` beside it is a mistake."""
    if not isinstance(data, dict) or not isinstance(data.get("languages"), list) or not data["languages"]:
        return data
    first = data["languages"][0]
    if "language" in data and data["language"] != first:
        raise ValueError(f"language: expected the first of languages ({first!r}) or no language: setting, "
                         f"found {data['language']!r}")
    return {**data, "language": first} if isinstance(first, str) else data


def check_language(tag: str) -> str:
    """A BCP 47 tag CLDR knows (`en-GB`, `cy`): pages, feeds and calendars carry it as it is written."""
    from babel import Locale, UnknownLocaleError

    try:
        if not LANGUAGE_TAG.match(tag):
            raise ValueError
        Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"expected a language tag such as en-GB or cy, found {tag!r}") from None
    return tag


def check_settings(config: Any) -> Any:
    """Each tag valid and listed once; translated titles and required languages only for listed languages."""
    tags = list(config.languages)
    for tag in tags:
        try:
            check_language(tag)
        except ValueError as err:
            raise ValueError(f"languages: {err}") from None
    lowered = [t.lower() for t in tags]
    twice = next((t for t in tags if lowered.count(t.lower()) > 1), None)
    if twice is not None:
        raise ValueError(f"languages: expected each language once, found {twice!r} twice")
    others = tags[1:]
    for tag in config.translations:
        if tag not in others:
            raise ValueError(f"translations: expected one of the other languages ({', '.join(others) or 'none'}: "
                             f"the default's title is `title:`), found {tag!r}")
    required = config.require_translations
    listed = [(None, required)] if isinstance(required, tuple) else list(required.items())
    for kind, langs in listed:
        if kind is not None and kind not in KIND_NAMES:
            raise ValueError(f"require_translations: expected a kind ({', '.join(KIND_NAMES)}), found {kind!r}")
        for tag in langs:
            if tag not in others:
                raise ValueError(f"require_translations: expected one of the languages after the first in "
                                 f"languages ({', '.join(others) or 'none'}), found {tag!r}")
    return config


def required_languages(config: Any, kind: str) -> tuple[str, ...]:
    """The languages every item of a kind must have a translation in (an error when one is missing)."""
    required = config.require_translations
    return required if isinstance(required, tuple) else tuple(required.get(kind, ()))


def language_name(tag: str) -> str:
    """A language's own name for itself, from CLDR: `English`, `Cymraeg`."""
    from babel import Locale

    base = tag.replace("-", "_").split("_")[0]
    name = Locale.parse(base).get_language_name(base) or tag
    return name[:1].upper() + name[1:]
