"""Finds and reads content files quickly: a walk without a Path per file, and a lean read."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import NamedTuple

from reThink_site.core.errors import Problem, relative_name


def link_problem(path: str, project: Path, above: frozenset[str]) -> str:
    """Why a symbolic link cannot be followed ("" when it can): outside the project, a loop, or dangling.

    `above` holds the real paths of the folders the walk went through to reach it: a link back to one
    of them, or to any folder holding the link (`..`), would be walked for ever (ELOOP), so it is refused.
    """
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loops back on itself; refused"
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"symbolic link points to {target}, which does not exist; refused"
    root = os.path.realpath(project)
    if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
        return "symbolic link points outside the project; refused"
    here = os.path.realpath(os.path.dirname(path))
    if real in above or real == here or here.startswith(real.rstrip(os.sep) + os.sep):
        return "symbolic link points to a folder it is inside (a loop); refused"
    return ""


class FoundFile(NamedTuple):
    """A file walk found: its path, its name relative to the project (as relative_name gives it), its own name."""

    path: str
    name: str
    filename: str

    @property
    def suffix(self) -> str:
        """As Path.suffix."""
        dot = self.filename.rfind(".")
        return self.filename[dot:] if 0 < dot < len(self.filename) - 1 else ""

    @property
    def stem(self) -> str:
        """As Path.stem."""
        dot = self.filename.rfind(".")
        return self.filename[:dot] if 0 < dot < len(self.filename) - 1 else self.filename

    @property
    def is_markdown(self) -> bool:
        """Only Markdown files are content; anything else in a kind's folder is a warning."""
        return self.suffix.lower() in (".md", ".markdown")


def walk(folder: Path, project: Path, problems: list[Problem]) -> list[Path]:
    """List files under folder in a stable order, refusing links that leave the project."""
    return [Path(found.path) for found in walk_found(folder, project, problems)]


def walk_found(folder: Path, project: Path, problems: list[Problem]) -> list[FoundFile]:
    """walk, without making Path objects, and with each file's name relative to the project."""
    found: list[FoundFile] = []
    if folder.is_dir():
        above = frozenset({os.path.realpath(project), os.path.realpath(folder)})
        _scan(str(folder), relative_name(folder, project), project, problems, found, above)
    return found


def _scan(folder: str, name: str, project: Path, problems: list[Problem], found: list[FoundFile],
          above: frozenset[str]) -> None:
    """One folder of walk_found, in os.walk's top-down order: its files sorted, then its sub-folders.

    Links inside the project are followed, to files and to folders alike; links out of it, links to a
    folder on the way down (a loop) and links to nothing are reported and skipped.
    """
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError:
        return  # as os.walk: an unreadable folder is skipped
    folders, files = [], []
    for entry in listed:
        try:
            is_dir = entry.is_dir()
        except OSError:  # a link loop: reported with the files below
            is_dir = False
        (folders if is_dir else files).append(entry)
    descend = []
    for entry in sorted((e for e in folders if not e.name.startswith(".")), key=lambda e: e.name):
        problem = link_problem(entry.path, project, above) if entry.is_symlink() else ""
        if problem:
            problems.append(Problem(f"{name}/{entry.name}", 1, "", problem))
        else:
            descend.append(entry)
    for entry in sorted(files, key=lambda e: e.name):
        if entry.name.startswith(".") or entry.name.endswith("~"):
            continue
        problem = link_problem(entry.path, project, above) if entry.is_symlink() else ""
        if problem:
            problems.append(Problem(f"{name}/{entry.name}", 1, "", problem))
            continue
        found.append(FoundFile(entry.path, f"{name}/{entry.name}", entry.name))
    for entry in descend:
        _scan(entry.path, f"{name}/{entry.name}", project, problems, found,
              above | {os.path.realpath(entry.path)})


def read_bytes(path: str) -> bytes:
    """A file's bytes, with fewer system calls and objects than Path.read_bytes."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(descriptor).st_size + 1
        chunks = []
        while chunk := os.read(descriptor, size):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
