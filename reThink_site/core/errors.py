"""Problems found in a site, carried with their file, line and field so editors can fix them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one file, reported as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error", "warning", or "note" (a reminder that never fails the build)

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
