"""Reads content/ into validated models, collecting every problem instead of stopping at one."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reThink_site.config import SiteConfig, problems_from_validation
from reThink_site.errors import Problem, relative_name
from reThink_site.frontmatter import Document, FrontMatterError, decode, load_yaml, parse
from reThink_site.models import KINDS, SAFE_SLUG, Content, Person
from reThink_site.typos import likely_meant
from reThink_site.urls import slug_from_filename

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


@dataclass(frozen=True)
class FailedFile:
    """A file that did not validate: enough to check its body and not to blame files pointing at it."""

    kind: str
    source_path: str
    slug: str
    body: str = ""
    body_line: int = 1


def _inside(path: Path, root: Path) -> bool:
    """True when a path (after following links) stays inside root."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def walk(folder: Path, project: Path, problems: list[Problem]) -> list[Path]:
    """List files under folder in a stable order, refusing links that leave the project."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in list(dirnames):
            if (base / name).is_symlink() and not _inside(base / name, project):
                problems.append(Problem(relative_name(base / name, project), 1, "",
                                        "symbolic link points outside the project; refused"))
                dirnames.remove(name)
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith("~"):
                continue
            path = base / name
            if path.is_symlink() and not _inside(path, project):
                problems.append(Problem(relative_name(path, project), 1, "",
                                        "symbolic link points outside the project; refused"))
                continue
            found.append(path)
    return found


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


def validate(doc: Document, kind: str, path: Path, name: str,
             context: dict) -> tuple[Content | None, list[Problem]]:
    """Validate one document against its kind's model."""
    model = KINDS[kind]
    problems = typo_warnings(doc, model, name)
    data: dict[str, Any] = {k: v for k, v in doc.meta.items() if k not in INTERNAL_FIELDS}
    data.setdefault("slug", slug_from_filename(kind, path.stem))
    data.update(source_path=name, body=doc.body, body_line=doc.body_line)
    try:
        context["lines"][name] = dict(doc.lines)
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


def read_item(path: Path, kind: str, project: Path,
              context: dict) -> tuple[Content | None, list[Problem], FailedFile | None]:
    """Read one content file into its model, or say why not (and what is known of the file)."""
    name = relative_name(path, project)
    slug = slug_from_filename(kind, path.stem)
    try:
        doc = parse(path.read_bytes())
    except FrontMatterError as err:
        return None, [Problem(name, err.line, err.field, err.message, err.hint)], FailedFile(kind, name, slug)
    except OSError as err:
        return None, [Problem(name, 1, "", f"cannot read the file ({err.strerror})")], FailedFile(kind, name, slug)
    item, problems = validate(doc, kind, path, name, context)
    if item is not None:
        return item, problems, None
    claimed = doc.meta.get("slug")
    slug = claimed if isinstance(claimed, str) and SAFE_SLUG.match(claimed) else slug
    return None, problems, FailedFile(kind, name, slug, doc.body, doc.body_line)


def load_content(project: Path, config: SiteConfig) -> Loaded:
    """Read every content file, people and assets under the site's content folder."""
    content = project / config.content_dir
    problems: list[Problem] = []
    people = load_people(content / "people.yaml", project, problems)
    lines: dict[str, dict] = {}
    context = {"tz": config.tz, "people": {k: p.model_dump() for k, p in people.items()}, "lines": lines}
    items: dict[str, tuple[Content, ...]] = {}
    invalid: list[FailedFile] = []
    for kind in KINDS:
        found = []
        for path in walk(content / kind, project, problems):
            if path.suffix.lower() not in (".md", ".markdown"):
                problems.append(Problem(relative_name(path, project), 1, "",
                                        f"not a Markdown file; only .md files belong in {kind}/",
                                        "put downloads and images in content/assets/", "warning"))
                continue
            item, found_problems, failed = read_item(path, kind, project, context)
            problems.extend(found_problems)
            if item is not None:
                found.append(item)
            if failed is not None:
                invalid.append(failed)
        items[kind] = tuple(found)
    assets_dir = content / "assets"
    assets = tuple("/assets/" + p.relative_to(assets_dir).as_posix()
                   for p in walk(assets_dir, project, problems))
    return Loaded(items=items, people=people, assets=assets, problems=tuple(problems), lines=lines,
                  invalid=tuple(invalid))
