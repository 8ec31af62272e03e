"""Where the installed package and its default theme are, so caches can fingerprint all the code."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # reThink_site/


def default_theme() -> Path | None:
    """The default templates: shipped inside the wheel, or the repo's templates/ when editable."""
    for candidate in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    return None


def code_files() -> list[Path]:
    """Every module of every subpackage and every file of the default theme, in a stable order."""
    found = []
    for folder, dirs, names in os.walk(PACKAGE_DIR):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "templates"))
        found += [Path(folder, name) for name in names if name.endswith(".py")]
    theme = default_theme()
    if theme is not None:
        for folder, dirs, names in os.walk(theme):
            dirs[:] = sorted(dirs)
            found += [Path(folder, name) for name in names]
    return sorted(found)
