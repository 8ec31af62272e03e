"""Problems found in a site, carried with their file, line and field so editors can fix them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one file, reported as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error", "warning", or "note" (for information: never fails a build)

    def format(self) -> str:
        """Render the problem the way compilers do, so editors and IDEs can jump to it."""
        where = f"{self.path}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        text = f"{where}:{field} {self.message}"
        if self.severity in ("warning", "note"):
            text = f"{where}: {self.severity}:{field} {self.message}"
        return text + (f" (hint: {self.hint})" if self.hint else "")

    @property
    def is_error(self) -> bool:
        """True when this problem must stop the build."""
        return self.severity == "error"


class SiteError(Exception):
    """A failure the user can fix; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(SiteError):
    """The command was called in a way that cannot work (bad folder, bad option value)."""

    exit_code = 2


class ContentErrors(SiteError):
    """Every error found in the content, raised once after all files were read."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        errors = sum(1 for p in self.problems if p.is_error)
        super().__init__(f"{errors} error(s) in the content")

    def __reduce__(self) -> tuple:
        """Pickled with its problems (a build worker sends it to the parent whole)."""
        return type(self), (self.problems,)


def relative_name(path: Path, root: Path) -> str:
    """Name a file relative to the site folder, as editors see it in their repository."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def shown(value: Any) -> str:
    """A value as the editor wrote it, for `found …`: text quoted, a list or fields named as such, never Python."""
    if isinstance(value, dict):
        return "fields (" + ", ".join(f"{key}: …" for key in list(value)[:4]) + ")" if value else "empty fields {}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}" if value else "an empty list []"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)[:160]
    return str(value)[:160]
