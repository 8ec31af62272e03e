"""Reads content/ into validated models, collecting every problem instead of stopping at one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple, Optional, Sequence

from pydantic import ValidationError

from reThink_site.content import translations
from reThink_site.content.config import SiteConfig, problems_from_validation
from reThink_site.content.examples import leftover_examples
from reThink_site.content.fieldnames import read_name
from reThink_site.content.files import FoundFile, read_bytes, walk, walk_found
from reThink_site.content.frontmatter import Document, FrontMatterError, decode, load_yaml, parse
from reThink_site.content.models import KINDS, MAX_NAME_SLUG, SAFE_SLUG, Content, Person, Venue
from reThink_site.content.people import unknown_ids
from reThink_site.core.errors import Problem, relative_name, shown
from reThink_site.core.urls import slug_from_filename, slugify

INTERNAL_FIELDS = frozenset({"source_path", "body", "body_line"})


@dataclass(frozen=True)
class Loaded:
    """Everything read from content/: models by kind, people, asset paths, and problems."""

    items: dict[str, tuple[Content, ...]]
    people: dict[str, Person]
    assets: tuple[str, ...]
    problems: tuple[Problem, ...] = field(default=())
    lines: dict[str, dict] = field(default_factory=dict)  # source -> field path -> line
    invalid: tuple["FailedFile", ...] = ()  # files that did not validate
    venues: dict[str, Venue] = field(default_factory=dict)
    translations: Mapping[str, Mapping[str, tuple[Content, ...]]] = field(default_factory=dict)  # lang -> kind


@dataclass(frozen=True)
class FailedFile:
    """A file that did not validate: enough to check its body and not to blame files pointing at it."""

    kind: str
    source_path: str
    slug: str
    body: str = ""
    body_line: int = 1


def _read_mapping(path: Path, project: Path, problems: list[Problem], what: str) -> tuple[dict, dict, str]:
    """A YAML file of `id: {…}` entries with its field lines; empty (and a problem) when it is not one."""
    name = relative_name(path, project)
    if not path.exists():
        return {}, {}, name
    try:
        raw, lines = load_yaml(decode(path.read_bytes()))
    except FrontMatterError as err:
        problems.append(Problem(name, err.line, err.field, err.message, err.hint))
        return {}, {}, name
    if raw is None:
        return {}, {}, name
    if not isinstance(raw, dict):
        problems.append(Problem(name, 1, "", f"expected {what} as `id: {{name: …}}` entries"))
        return {}, {}, name
    return raw, lines, name


def _load_entries(path: Path, project: Path, problems: list[Problem], model: type, what: str) -> dict:
    """Validate each `id: {…}` entry of people.yaml or venues.yaml, reporting each bad one with its line.

    A person's id gives their page, /people/<slug>/: an id that gives no slug, or the slug of another, is refused.
    """
    raw, lines, name = _read_mapping(path, project, problems, what)
    found: dict = {}
    slugs: dict[str, Any] = {}  # page slug -> the key that gave it
    for key, value in raw.items():
        data = {"name": value} if isinstance(value, str) else value
        refused = person_key_problem(key, slugs, lines, name) if what == "people" else None
        if refused is not None:
            problems.append(refused)
            continue
        try:
            if not isinstance(data, dict):
                raise TypeError
            found[str(key)] = model.model_validate({**data, "id": str(key)})
        except TypeError:
            problems.append(Problem(name, lines.get((key,), 1), str(key),
                                    f"expected the {what[:-1] if what.endswith('s') else what} as fields on "
                                    f"indented lines below the id (name: …), found {shown(value)}"))
        except ValidationError as err:
            problems.extend(problems_from_validation(
                err, name, lambda loc, k=key: lines.get((k,) + loc, lines.get((k,), 1)), model))
    return found


def person_key_problem(key: Any, slugs: dict[str, Any], lines: dict, name: str) -> Optional[Problem]:
    """Why a people.yaml key cannot give a page of its own (None when it can; its slug is then noted in `slugs`)."""
    line, slug = lines.get((key,), 1), slugify(str(key))
    if not slug or len(slug) > MAX_NAME_SLUG:
        return Problem(name, line, str(key), "expected a person id that gives the address of their page, "
                       f"/people/<id>/ (letters, digits and hyphens, at most {MAX_NAME_SLUG}), "
                       f"found {str(key)[:60]!r}", "use an id such as tom-okafor")
    if slug in slugs:
        return Problem(name, line, str(key), f"expected ids that give different pages, found {str(key)!r} and "
                       f"{str(slugs[slug])!r} (line {lines.get((slugs[slug],), 1)}), both /people/{slug}/",
                       "merge the two people or rename one")
    slugs[slug] = key
    return None


def load_people(path: Path, project: Path, problems: list[Problem]) -> dict[str, Person]:
    """Read people.yaml: ids mapped to person details."""
    return _load_entries(path, project, problems, Person, "people")


def load_venues(path: Path, project: Path, problems: list[Problem]) -> dict[str, Venue]:
    """Read venues.yaml: ids mapped to venues, which events name as their `location`."""
    return _load_entries(path, project, problems, Venue, "venues")


def is_empty(value: Any) -> bool:
    """An empty text, or fields holding only empty texts: what a form writes for a field left blank."""
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, dict) and bool(value) and all(is_empty(v) for v in value.values())


def without_empty(value: Any) -> Any:
    """The value with blank fields and blank list items left out, so a blank means "not given"."""
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if not is_empty(v)}
    if isinstance(value, list):
        return [without_empty(v) for v in value if not is_empty(v)]
    return value


def kind_of(model: type[Content]) -> str:
    """The folder name of a model's kind (`insights`)."""
    return next(kind for kind, found in KINDS.items() if found is model)


def field_name_problems(doc: Document, model: type[Content], name: str,
                        extra: frozenset = frozenset()) -> list[Problem]:
    """Every field the build would ignore: another word for a known field or a near-miss of one is an error
    (a warning when the file gives that field too); any other unknown field is a warning, unless site.yaml
    declares it under `extra_fields` for the templates."""
    known = set(model.model_fields) - INTERNAL_FIELDS
    problems = []
    for key in doc.meta:
        if key in known or key in extra:
            continue
        found = read_name(key, known)
        line = doc.line_of((key,))
        elsewhere = [other for other, kind_model in KINDS.items() if key in kind_model.model_fields]
        if found.meant is None and elsewhere:
            problems.append(Problem(name, line, key, f"`{key}` is a field of {' and '.join(elsewhere)}, not of "
                                    f"{kind_of(model)}", f"is the file in the right folder? {elsewhere[0]} go in "
                                    f"content/{elsewhere[0]}/", "warning"))
        elif found.meant is None:
            problems.append(Problem(name, line, key, f"unknown field `{key}`"  # (tests/incremental edit this very text)
                                    ": the build does not use it",
                                    f"the closest known field is `{found.closest}`; a field of the site's own "
                                    "templates is listed under extra_fields: in site.yaml", "warning"))
        elif found.meant in doc.meta:
            problems.append(Problem(name, line, key, f"unknown field `{key}`: the build reads only "
                                    f"`{found.meant}` (line {doc.line_of((found.meant,))})",
                                    f"did you mean `{found.meant}`?", "warning"))
        else:
            lost = (f"the required field `{found.meant}` is missing" if model.model_fields[found.meant].is_required()
                    else f"its value would be lost (the build reads `{found.meant}`)")
            problems.append(Problem(name, line, key, f"unknown field `{key}`: {lost}",
                                    f"did you mean `{found.meant}`?"))
    return problems


def validate(doc: Document, kind: str, default_slug: str, name: str,
             context: dict) -> tuple[Content | None, list[Problem]]:
    """Validate one document against its kind's model."""
    model = KINDS[kind]
    problems = field_name_problems(doc, model, name, frozenset(context.get("extra_fields", ())))
    people = context.get("people", {})
    examples = leftover_examples(doc.meta, doc.body, people) if doc.meta.get("draft") is not True else []
    first_text = doc.body_line + len(doc.body) - len(doc.body.lstrip("\n"))
    problems += [Problem(name, first_text if path == ("body",) else doc.line_of(path), ".".join(map(str, path)),
                         f"still the example from `rethink new`: {text!r}", "write your own, or delete the line")
                 for path, text in examples]  # a draft is still being written: its examples are not published
    problems += [Problem(name, doc.line_of((key,)), key, f"the value is wrapped in curly quotes ({value[0]}…"
                         f"{value[-1]}), which YAML keeps: they would be published", "delete them, or type straight "
                         "quotes \"…\" if the value holds a `: `", "warning")
                 for key, value in doc.meta.items() if isinstance(value, str) and len(value) > 1
                 and value[0] in "\u201c\u2018\u201e" and value[-1] in "\u201d\u2019\u201c"]
    problems += [Problem(name, doc.line_of(path), ".".join(map(str, path)), message, hint, severity)
                 for path, message, hint, severity in unknown_ids(doc.meta, people)
                 if path not in {found for found, _ in examples}]
    data: dict[str, Any] = {k: without_empty(v) for k, v in doc.meta.items()
                            if k not in INTERNAL_FIELDS and not (k in model.model_fields and is_empty(v))}
    data.setdefault("slug", default_slug)
    data.update(source_path=name, body=doc.body, body_line=doc.body_line)
    try:
        return model.model_validate(data, context=context), problems
    except ValidationError as err:
        found = problems_from_validation(err, name, doc.line_of, model)
        for p in found:
            if p.message == "required field is missing":
                if any(t.hint == f"did you mean `{p.field}`?" for t in problems):
                    continue  # the misspelt field's own error says where the value went
                if p.field == "date" and "start" in doc.meta:  # an event saved in the wrong folder
                    p = Problem(p.path, doc.line_of(("start",)), p.field, "required field is missing: this file "
                                f"has `start:` as events do, but it is in content/{kind}/",
                                "if it is an event, move it to content/events/")
                elif p.field in doc.meta:  # written but blank, as a form writes a field left empty
                    p = Problem(p.path, doc.line_of((p.field,)), p.field, "required field is empty")
            problems.append(p)
        return None, problems


@dataclass(frozen=True)
class FileResult:
    """What one content file gave: its model or why not, and its field lines when the front matter parsed."""

    item: Content | None
    problems: tuple[Problem, ...]
    failed: FailedFile | None
    lines: dict | None = None


def read_source(raw: bytes, kind: str, name: str, stem: str, context: dict) -> FileResult:
    """Parse and validate one file's bytes; depends only on them, the name, the kind and the context."""
    slug = slug_from_filename(kind, stem)
    try:
        doc = parse(raw)
    except FrontMatterError as err:
        return FileResult(None, (Problem(name, err.line, err.field, err.message, err.hint),),
                          FailedFile(kind, name, slug))
    item, problems = validate(doc, kind, slug, name, context)
    if item is not None:
        return FileResult(item, tuple(problems), None, dict(doc.lines))
    claimed = doc.meta.get("slug")
    slug = claimed if isinstance(claimed, str) and SAFE_SLUG.match(claimed) else slug
    return FileResult(None, tuple(problems), FailedFile(kind, name, slug, doc.body, doc.body_line), dict(doc.lines))


def unreadable_file(kind: str, name: str, stem: str, err: OSError) -> FileResult:
    """The result for a file that cannot be read at all."""
    return FileResult(None, (Problem(name, 1, "", f"cannot read the file ({err.strerror})"),),
                      FailedFile(kind, name, slug_from_filename(kind, stem)))


class SourceFile(NamedTuple):
    """A Markdown file to load and its kind."""

    kind: str
    file: FoundFile


def parse_file(source: SourceFile, raw: Optional[bytes], context: dict) -> FileResult:
    """Read (unless already read) and parse one file."""
    if raw is None:
        try:
            raw = read_bytes(source.file.path)
        except OSError as err:
            return unreadable_file(source.kind, source.file.name, source.file.stem, err)
    return read_source(raw, source.kind, source.file.name, source.file.stem, context)


def read_item(path: Path, kind: str, project: Path,
              context: dict) -> tuple[Content | None, list[Problem], FailedFile | None]:
    """Read one content file into its model, or say why not (and what is known of the file)."""
    name = relative_name(path, project)
    result = parse_file(SourceFile(kind, FoundFile(str(path), name, path.name)), None, context)
    if result.lines is not None:
        context["lines"][name] = result.lines
    return result.item, list(result.problems), result.failed


ParseFiles = Callable[[Sequence[SourceFile], dict], list[FileResult]]  # every file's result, in order


def parse_in_order(sources: Sequence[SourceFile], context: dict) -> list[FileResult]:
    """Read and parse each file in turn: the plain way to load content."""
    return [parse_file(source, None, context) for source in sources]


def load_content(project: Path, config: SiteConfig, parse_files: ParseFiles = parse_in_order) -> Loaded:
    """Read every content file, people and assets under the site's content folder.

    `parse_files` turns the Markdown files into results, in order: one by one here, or by the build's
    workers and caches, which hand it in.
    """
    content = project / config.content_dir
    problems: list[Problem] = []
    people = load_people(content / "people.yaml", project, problems)
    venues = load_venues(content / "venues.yaml", project, problems)
    context = {"tz": config.tz, "people": {k: p.model_dump() for k, p in people.items()},
               "venues": {k: v.as_location() for k, v in venues.items()},
               "extra_fields": sorted(config.extra_fields)}
    listed: list[tuple[str, list[Problem], list[FoundFile]]] = []
    translation_files: list[translations.TranslationFile] = []
    for kind in KINDS:
        walk_problems: list[Problem] = []
        files = walk_found(content / kind, project, walk_problems)
        if len(config.languages) > 1:  # `name.cy.md` is name.md in Welsh, not an item of its own
            files, translated = translations.split(kind, files, config.languages)
            translation_files += translated
        listed.append((kind, walk_problems, files))
    sources = [SourceFile(kind, found) for kind, _, files in listed for found in files if found.is_markdown]
    lines: dict[str, dict] = {}
    items: dict[str, tuple[Content, ...]] = {}
    invalid: list[FailedFile] = []
    results = iter(zip(sources, parse_files(sources, context)))
    for kind, walk_problems, files in listed:
        problems.extend(walk_problems)
        found = []
        for found_file in files:
            if not found_file.is_markdown:
                problems.append(Problem(found_file.name, 1, "",
                                        f"not a Markdown file; only .md files belong in {kind}/",
                                        "put downloads and images in content/assets/", "warning"))
                continue
            source, result = next(results)
            if result.lines is not None:
                lines[source.file.name] = result.lines
            problems.extend(result.problems)
            if result.item is not None:
                found.append(result.item)
            if result.failed is not None:
                invalid.append(result.failed)
        items[kind] = tuple(found)
    assets_dir = content / "assets"
    assets = tuple("/assets/" + p.relative_to(assets_dir).as_posix()
                   for p in walk(assets_dir, project, problems))
    found_translations: Mapping[str, Mapping[str, tuple[Content, ...]]] = {}
    if len(config.languages) > 1:
        originals = {item.source_path: item for kind_items in items.values() for item in kind_items}
        paired = translations.read_translations(translation_files, originals, {f.source_path for f in invalid}, config)
        problems += [*translations.default_lang_problems(originals.values(), lines, config), *paired.problems]
        lines.update(paired.lines)
        found_translations = paired.items
    return Loaded(items=items, people=people, assets=assets, problems=tuple(problems), lines=lines,
                  invalid=tuple(invalid), venues=venues, translations=found_translations)
