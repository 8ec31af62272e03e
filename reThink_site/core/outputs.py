"""The unit the build produces: one file of the output folder, as bytes or a file to copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Protocol


@dataclass(frozen=True)
class OutputFile:
    """A file to publish at `path` (relative, POSIX), from bytes or copied from `source`."""

    path: str
    data: Optional[bytes] = None
    source: Optional[Path] = None
    digest: Optional[str] = None  # of the bytes, when the build already knows it (a page reused from the live site)

    @property
    def site_path(self) -> str:
        """The URL path that serves this file (`events/x/index.html` -> `/events/x/`)."""
        path = "/" + self.path
        return path[: -len("index.html")] if path.endswith("/index.html") or path == "/index.html" else path


Part = tuple[bytes, tuple[str, ...]]  # a piece of an output file, and the names (time zones) it needs


class Reuse(Protocol):
    """Lets a producer take one part of its output from an earlier build instead of making it again.

    `inputs` are all the values the part's bytes depend on; the build's caches key the part by them.
    """

    def part(self, name: str, inputs: tuple, make: Callable[[], Part]) -> Part: ...


class MakeEveryPart:
    """The Reuse of a build without a cache: every part is made afresh."""

    def part(self, name: str, inputs: tuple, make: Callable[[], Part]) -> Part:
        """Make the part."""
        return make()


MAKE_EVERY_PART = MakeEveryPart()
