"""The unit the build produces: one file of the output folder, as bytes or a file to copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class OutputFile:
    """A file to publish at `path` (relative, POSIX), from bytes or copied from `source`."""

    path: str
    data: Optional[bytes] = None
    source: Optional[Path] = None

    @property
    def site_path(self) -> str:
        """The URL path that serves this file (`events/x/index.html` -> `/events/x/`)."""
        path = "/" + self.path
        return path[: -len("index.html")] if path.endswith("/index.html") or path == "/index.html" else path
