"""Reads content/ into validated models, collecting every problem instead of stopping at one."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Optional

from pydantic import ValidationError

from reThink_site import modelcache
from reThink_site.contentfiles import FoundFile, read_bytes, walk, walk_found
from reThink_site.config import SiteConfig, problems_from_validation
from reThink_site.errors import Problem, relative_name
from reThink_site.frontmatter import Document, FrontMatterError, decode, load_yaml, parse
from reThink_site.models import KINDS, SAFE_SLUG, Content, Person
from reThink_site.parallel import fork_map
from reThink_site.typos import likely_meant
from reThink_site.urls import slug_from_filename

INTERNAL_FIELDS = frozenset({"source_path", "body", "body_line"})
MIN_FILES_PER_WORKER = 250  # parsing a file takes ~0.2 ms: a worker needs this many to pay for its fork


@dataclass(frozen=True)
class Loaded:
    """Everything read from content/: models by kind, people, asset paths, and problems."""

    items: dict[str, tuple[Content, ...]]
    people: dict[str, Person]
    assets: tuple[str, ...]
    problems: tuple[Problem, ...] = field(default=())
    lines: dict[str, dict] = field(default_factory=dict)  # source -> field path -> line
    invalid: tuple["FailedFile", ...] = ()  # files that did not validate
    keys: dict[str, str] = field(default_factory=dict, compare=False)  # source -> content-cache key (cache on)
    front_keys: dict[str, str] = field(default_factory=dict, compare=False)  # the same, of the front matter only


@dataclass(frozen=True)
class FailedFile:
    """A file that did not validate: enough to check its body and not to blame files pointing at it."""

    kind: str
    source_path: str
    slug: str
    body: str = ""
    body_line: int = 1


def load_people(path: Path, project: Path, problems: list[Problem]) -> dict[str, Person]:
    """Read people.yaml: ids mapped to person details."""
    name = relative_name(path, project)
    if not path.exists():
        return {}
    try:
        raw, lines = load_yaml(decode(path.read_bytes()))
    except FrontMatterError as err:
        problems.append(Problem(name, err.line, err.field, err.message, err.hint))
        return {}
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(name, 1, "", "expected people as `id: {name: …}` entries"))
        return {}
    people: dict[str, Person] = {}
    for key, value in raw.items():
        data = {"name": value} if isinstance(value, str) else value
        try:
            if not isinstance(data, dict):
                raise TypeError
            people[str(key)] = Person.model_validate({**data, "id": str(key)})
        except TypeError:
            problems.append(Problem(name, lines.get((key,), 1), str(key),
                                    f"expected a person mapping with a name, found {value!r}"[:160]))
        except ValidationError as err:
            problems.extend(problems_from_validation(
                err, name, lambda loc, k=key: lines.get((k,) + loc, lines.get((k,), 1))))
    return people


def typo_warnings(doc: Document, model: type[Content], name: str) -> list[Problem]:
    """Warn about unknown fields that look like misspelt known ones."""
    known = set(model.model_fields) - INTERNAL_FIELDS
    warnings = []
    for key in doc.meta:
        if key in known:
            continue
        guess = likely_meant(key, known)
        if guess:
            warnings.append(Problem(name, doc.line_of((key,)), key, f"unknown field `{key}`",
                                    f"did you mean `{guess}`?", "warning"))
    return warnings


def validate(doc: Document, kind: str, default_slug: str, name: str,
             context: dict) -> tuple[Content | None, list[Problem]]:
    """Validate one document against its kind's model."""
    model = KINDS[kind]
    problems = typo_warnings(doc, model, name)
    data: dict[str, Any] = {k: v for k, v in doc.meta.items() if k not in INTERNAL_FIELDS}
    data.setdefault("slug", default_slug)
    data.update(source_path=name, body=doc.body, body_line=doc.body_line)
    try:
        return model.model_validate(data, context=context), problems
    except ValidationError as err:
        found = problems_from_validation(err, name, doc.line_of)
        for p in found:
            if p.message == "required field is missing":
                misspelt = next((t for t in problems if t.hint == f"did you mean `{p.field}`?"), None)
                if misspelt:
                    p = Problem(p.path, misspelt.line, p.field, p.message, misspelt.hint)
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


def parse_many(sources: list[SourceFile], raws: list[Optional[bytes]], context: dict,
               jobs: int) -> list[tuple[FileResult, Optional[bytes]]]:
    """Parse files on up to `jobs` cores: each result, and its pickle when it came from a worker."""
    parent = os.getpid()

    def parse_one(index: int) -> FileResult | bytes | None:
        result = parse_file(sources[index], raws[index], context)
        if os.getpid() == parent:
            return result
        try:
            return modelcache.dumps(result)  # workers send pickles
        except modelcache.NotExact:
            return None  # the parent parses this one itself

    found = fork_map(parse_one, range(len(sources)), jobs, MIN_FILES_PER_WORKER)
    loads = modelcache.decoder()
    return [(loads(out), out) if isinstance(out, bytes)
            else (out, None) if out is not None
            else (parse_file(sources[index], raws[index], context), None) for index, out in enumerate(found)]


def stored_form(result: FileResult) -> Optional[bytes]:
    """A result's pickle for the cache, or None when it would not come back exact."""
    try:
        return modelcache.dumps(result)
    except modelcache.NotExact:
        return None


def read_all(sources: list[SourceFile]) -> tuple[list[Optional[bytes]], dict[int, FileResult]]:
    """Every file's bytes (None where unreadable), and the results of the unreadable ones."""
    raws: list[Optional[bytes]] = []
    failed: dict[int, FileResult] = {}
    for index, source in enumerate(sources):
        try:
            raws.append(read_bytes(source.file.path))
        except OSError as err:
            raws.append(None)
            failed[index] = unreadable_file(source.kind, source.file.name, source.file.stem, err)
    return raws, failed


def cached_results(opened: modelcache.ModelCache, keys: dict[int, str]) -> tuple[dict[int, FileResult], set[str]]:
    """The results stored for these keys, and every stored key; a damaged entry raises CacheCorrupt."""
    stored = opened.get_all()
    found: dict[int, FileResult] = {}
    loads = modelcache.decoder()
    for index, key in keys.items():
        if key in stored:
            try:
                result = loads(stored[key])
            except Exception as err:  # noqa: BLE001 (a damaged pickle can fail in many ways)
                raise modelcache.CacheCorrupt(f"bad entry: {err}") from None
            if not isinstance(result, FileResult):
                raise modelcache.CacheCorrupt("bad entry")
            found[index] = result
    return found, set(stored)


def parse_all(sources: list[SourceFile], context: dict, timezone: str, project: Path, use_cache: bool,
              jobs: int, notes: list[Problem]) -> tuple[list[FileResult], dict[str, str], dict[str, str]]:
    """Every file's result in order (unchanged files from the content cache, the rest parsed afresh), and
    each read file's cache key and front-matter key by its name."""
    opened = modelcache.open_cache(project) if use_cache else None
    if opened is None:
        return [result for result, _ in parse_many(sources, [None] * len(sources), context, jobs)], {}, {}
    warning = opened.warning
    raws, results = read_all(sources)
    shared = modelcache.context_hash(timezone, context["people"])
    keys = {i: modelcache.entry_key(shared, s.kind, s.file.name, raws[i]) for i, s in enumerate(sources)
            if raws[i] is not None}
    try:
        found, stored = cached_results(opened, keys)
    except modelcache.CacheCorrupt as err:
        warning = modelcache.unreadable(err)
        opened.close()
        modelcache.discard(project)
        found, stored, opened = {}, set(), modelcache.open_cache(project)
    results.update(found)
    todo = [i for i in keys if i not in found]
    fresh: dict[str, bytes] = {}
    for index, (result, blob) in zip(todo, parse_many([sources[i] for i in todo], [raws[i] for i in todo],
                                                      context, jobs)):
        results[index] = result
        blob = blob if blob is not None else stored_form(result)
        if blob is not None:
            fresh[keys[index]] = blob
    stale = stored - set(keys.values())
    try:
        if opened is not None and (fresh or stale):
            opened.update(fresh, stale)
    except Exception as err:  # noqa: BLE001 (a cache that cannot be written only costs speed)
        warning = warning or f"{modelcache.CACHE_DIR}: could not update the content cache ({err})"
    if opened is not None:
        opened.close()
    if warning:
        notes.append(Problem(modelcache.CACHE_DIR, 1, "", warning, "", "warning"))
    fronts = {sources[i].file.name: modelcache.entry_key(shared, sources[i].kind, sources[i].file.name,
                                                         modelcache.front_matter_bytes(raws[i])) for i in keys}
    return [results[i] for i in range(len(sources))], {sources[i].file.name: key for i, key in keys.items()}, fronts


def load_content(project: Path, config: SiteConfig, use_cache: bool = False, jobs: int = 1,
                 notes: Optional[list[Problem]] = None) -> Loaded:
    """Read every content file, people and assets under the site's content folder."""
    # With use_cache, unchanged files come from .rethink-cache/ (modelcache.py); the rest are parsed on up to
    # `jobs` cores (0 = one per core). Warnings about the cache go to `notes`, never into the problems.
    content = project / config.content_dir
    problems: list[Problem] = []
    people = load_people(content / "people.yaml", project, problems)
    context = {"tz": config.tz, "people": {k: p.model_dump() for k, p in people.items()}}
    listed: list[tuple[str, list[Problem], list[FoundFile]]] = []
    for kind in KINDS:
        walk_problems: list[Problem] = []
        listed.append((kind, walk_problems, walk_found(content / kind, project, walk_problems)))
    sources = [SourceFile(kind, found) for kind, _, files in listed for found in files if found.is_markdown]
    lines: dict[str, dict] = {}
    items: dict[str, tuple[Content, ...]] = {}
    invalid: list[FailedFile] = []
    with modelcache.paused_gc():  # tens of thousands of long-lived objects: collecting finds nothing
        parsed, keys, front_keys = parse_all(sources, context, config.timezone, project, use_cache, jobs,
                                             notes if notes is not None else [])
        results = iter(zip(sources, parsed))
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
    return Loaded(items=items, people=people, assets=assets, problems=tuple(problems), lines=lines,
                  invalid=tuple(invalid), keys=keys, front_keys=front_keys)
