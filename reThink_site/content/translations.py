"""Translations of content: `name.cy.md` beside `name.md` is the same item in Welsh, sharing its facts.

A translation gives only what is written in words (title, summary, body, resource titles); every
other field comes from the default-language file, so dates, places and speakers are written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from reThink_site.content.files import FoundFile, read_bytes
from reThink_site.content.frontmatter import Document, FrontMatterError, parse
from reThink_site.content.languages import language_name, required_languages
from reThink_site.content.models import LINE_BREAKS, Content, Link, Page
from reThink_site.core import urls
from reThink_site.core.errors import Problem

WORD_FIELDS = ("title", "summary", "resources", "draft", "lang")  # all a translation may say
TAG_LIKE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class TranslationFile:
    """A file named as a translation: its kind, the file, its language and the default file's name."""

    kind: str
    file: FoundFile
    language: str  # as site.yaml spells it, or as the file name does when site.yaml does not list it
    original: str  # the default-language file's name (relative to the project)


def split(kind: str, files: Iterable[FoundFile], languages: tuple[str, ...]) -> tuple[list[FoundFile],
                                                                                   list[TranslationFile]]:
    """The kind's files in the default language, and those named `<name>.<language>.md` beside a `<name>.md`.

    A file whose name ends in a listed language is a translation; one ending in an unlisted tag is one
    only when the default file is beside it (so `report.v2.md` or `notes.md` stay items of their own).
    """
    files = list(files)
    names = {f.name for f in files}
    by_lower = {tag.lower(): tag for tag in languages}
    defaults, translated = [], []
    for found in files:
        base, dot, tag = found.stem.rpartition(".")
        original = found.name[: len(found.name) - len(found.filename)] + base + found.suffix
        if found.is_markdown and dot and base and TAG_LIKE.match(tag) \
                and (tag.lower() in by_lower or original in names):
            translated.append(TranslationFile(kind, found, by_lower.get(tag.lower(), tag), original))
        else:
            defaults.append(found)
    return defaults, translated


@dataclass(frozen=True)
class Translated:
    """What the translation files gave: items by language and kind, their field lines, and problems."""

    items: Mapping[str, Mapping[str, tuple[Content, ...]]]
    lines: Mapping[str, Mapping[tuple, int]]
    problems: tuple[Problem, ...]


def _text(doc: Document, name: str, field: str, required: bool, problems: list[Problem]) -> Optional[str]:
    """A one-line text field of a translation, or None (with a problem when it is required or not text)."""
    value = doc.meta.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(Problem(name, doc.line_of((field,)), field, "required field is missing"
                                    if value is None else "required field is empty",
                                    "a translation gives the title in its own language"))
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(Problem(name, doc.line_of((field,)), field, f"expected text, found {value!r}"[:160]))
        return None
    text = str(value).strip()
    return LINE_BREAKS.sub(" ", text) if field == "title" else text


def _resources(doc: Document, name: str, original: Content, problems: list[Problem]) -> tuple[Link, ...]:
    """The original's links with the translation's titles, matched in order (a URL, if given, must agree)."""
    links = tuple(getattr(original, "resources", ()))
    given = doc.meta.get("resources")
    if given is None:
        return links
    line = doc.line_of(("resources",))
    if not isinstance(given, list) or len(given) != len(links):
        problems.append(Problem(name, line, "resources", f"expected the titles of the {len(links)} resources of "
                                f"{original.source_path}, in the same order, found {given!r}"[:200],
                                "write `- title: …` for each, or leave resources out to keep the original's"))
        return links
    found = []
    for index, (value, link) in enumerate(zip(given, links)):
        title = value.get("title") if isinstance(value, dict) else value
        url = value.get("url", link.url) if isinstance(value, dict) else link.url
        where = doc.line_of(("resources", index))
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(name, where, f"resources.{index}.title", f"expected a title, found {title!r}"))
            title = link.title
        if url != link.url or (isinstance(value, dict) and set(value) - {"title", "url"}):
            problems.append(Problem(name, where, f"resources.{index}", "a translation gives only the title of a "
                                    f"resource; its address and the rest come from {original.source_path}"))
        found.append(Link(title=title.strip(), url=link.url))
    return tuple(found)


def translate(doc: Document, source: TranslationFile, original: Content) -> tuple[Optional[Content], list[Problem]]:
    """The original item in the translation's words, or the problems that stop it."""
    name, problems = source.file.name, []
    for key in doc.meta:
        if key not in WORD_FIELDS:
            problems.append(Problem(name, doc.line_of((key,)), str(key), f"a translation gives only what is in "
                                    f"words (title, summary, body, resource titles); {key} comes from "
                                    f"{source.original}", f"remove it here, or change it in {source.original}"))
    lang = doc.meta.get("lang")
    if lang is not None and str(lang).lower() != source.language.lower():
        problems.append(Problem(name, doc.line_of(("lang",)), "lang", f"the file name says {source.language}, "
                                f"found {lang!r}", "make lang: agree with the file name, or rename the file"))
    title = _text(doc, name, "title", True, problems)
    summary = _text(doc, name, "summary", False, problems)
    draft = doc.meta.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(Problem(name, doc.line_of(("draft",)), "draft", f"expected true or false, found {draft!r}"))
        draft = True
    resources = _resources(doc, name, original, problems)
    if problems or title is None:
        return None, problems
    if len(title) > 500:
        return None, [Problem(name, doc.line_of(("title",)), "title", "expected a title of at most 500 characters")]
    update: dict[str, Any] = {"title": title, "summary": summary, "body": doc.body, "body_line": doc.body_line,
                              "source_path": name, "aliases": (), "draft": draft or original.draft}
    if "resources" in type(original).model_fields:
        update["resources"] = resources
    return original.model_copy(update=update), []


def read_translations(sources: list[TranslationFile], originals: Mapping[str, Content], failed: set[str],
                      config: Any) -> Translated:
    """Pair each translation with its original and check the pairs: missing originals, languages, doubles.

    `originals` holds the valid default-language items by file name; `failed` the files that did not
    validate (their own errors are reported, so their translations are not checked again).
    """
    others = config.languages[1:]
    problems: list[Problem] = []
    items: dict[str, dict[str, list[Content]]] = {lang: {} for lang in others}
    lines: dict[str, Mapping[tuple, int]] = {}
    claimed: dict[tuple[str, str], str] = {}  # (original, language) -> the file that gave it
    for source in sorted(sources, key=lambda s: s.file.name):
        name = source.file.name
        if source.language not in others:
            listed = ", ".join(config.languages)
            problems.append(Problem(name, 1, "lang", f"the file name says language {source.language}, which is not "
                                    f"among the other languages in site.yaml ({listed})" if source.language !=
                                    config.languages[0] else f"{source.original} is already the {source.language} "
                                    "version; two files claim that language for one item",
                                    "add the language to languages: in site.yaml, or rename the file"))
            continue
        key = (source.original, source.language)
        if key in claimed:
            problems.append(Problem(name, 1, "lang", f"two files claim {source.language} for {source.original}: "
                                    f"{claimed[key]} and {name}", "keep one of them"))
            continue
        claimed[key] = name
        if source.original in failed:
            continue
        original = originals.get(source.original)
        if original is None:
            problems.append(Problem(name, 1, "lang", f"a translation of {source.original}, which does not exist",
                                    f"write {source.original} in {config.languages[0]} first, or rename this file"))
            continue
        try:
            doc = parse(read_bytes(source.file.path))
        except OSError as err:
            problems.append(Problem(name, 1, "", f"cannot read the file ({err.strerror})"))
            continue
        except FrontMatterError as err:
            problems.append(Problem(name, err.line, err.field, err.message, err.hint))
            continue
        lines[name] = dict(doc.lines)
        item, found = translate(doc, source, original)
        problems += found
        if item is not None:
            items[source.language].setdefault(source.kind, []).append(item)
    problems += missing(originals, claimed, config)
    return Translated({lang: {k: tuple(v) for k, v in kinds.items()} for lang, kinds in items.items()},
                      lines, tuple(problems))


def missing(originals: Mapping[str, Content], claimed: Mapping[tuple[str, str], str], config: Any) -> list[Problem]:
    """Items with no translation: an error in a required language, else one warning per item."""
    problems = []
    for name, item in sorted(originals.items()):
        kind = name_kind(name, config.content_dir)
        absent = [lang for lang in config.languages[1:] if (name, lang) not in claimed]
        required = [lang for lang in absent if lang in required_languages(config, kind)]
        stem = name.rsplit(".", 1)[0]
        for lang in required:
            problems.append(Problem(name, 1, "lang", f"no {language_name(lang)} ({lang}) translation, which "
                                    "site.yaml's require_translations asks for", f"write {stem}.{lang}.md"))
        rest = [lang for lang in absent if lang not in required]
        if rest and not item.draft:
            problems.append(Problem(name, 1, "lang", "not translated into " + ", ".join(
                f"{language_name(lang)} ({lang})" for lang in rest) + "; its page is in one language only",
                f"write {stem}.{rest[0]}.md beside it", "warning"))
    return problems


def name_kind(name: str, content_dir: str) -> str:
    """The kind of a content file by its folder (`content/events/x.md` → events)."""
    rest = name[len(content_dir.strip("/")) + 1:] if name.startswith(content_dir.strip("/") + "/") else name
    return rest.split("/", 1)[0]


def default_lang_problems(items: Iterable[Content], lines: Mapping[str, Mapping[tuple, int]],
                          config: Any) -> list[Problem]:
    """A default-language file's `lang:` must be the default language (its name carries no other)."""
    problems, default = [], config.languages[0]
    folders = {urls.language_prefix(lang) for lang in config.languages[1:]}
    for item in items:
        if isinstance(item, Page) and item.slug in folders:
            problems.append(Problem(item.source_path, lines.get(item.source_path, {}).get(("slug",), 1), "slug",
                                    f"expected a page slug other than a language's folder, found {item.slug!r} "
                                    f"(/{item.slug}/ holds the {item.slug} pages)", "rename the file or set slug:"))
        lang = item.extra.get("lang")
        if lang is not None and str(lang).lower() != default.lower():
            stem = item.source_path.rsplit(".", 1)[0]
            problems.append(Problem(item.source_path, lines.get(item.source_path, {}).get(("lang",), 1), "lang",
                                    f"a file without a language in its name is in {default}, found {lang!r}",
                                    f"for a translation, name the file {stem}.{lang}.md and keep "
                                    f"{item.source_path} in {default}"))
    return problems
