"""Files published as they are: the theme's static folder and content/assets."""

from __future__ import annotations

from pathlib import Path

from reThink_site.content.loader import walk
from reThink_site.core.errors import Problem
from reThink_site.core.outputs import OutputFile
from reThink_site.render.templates import theme_dirs


def static_files(project: Path, templates_dir: str, problems: list[Problem]) -> list[OutputFile]:
    """Theme static files; a site's own templates/static/ overrides the default file by file."""
    chosen: dict[str, Path] = {}
    for folder in reversed(theme_dirs(project, templates_dir)):
        static = folder / "static"
        for path in walk(static, folder, problems):
            chosen[path.relative_to(static).as_posix()] = path
    return [OutputFile("static/" + rel, source=chosen[rel]) for rel in sorted(chosen)]


def asset_files(project: Path, content_dir: str, assets: tuple[str, ...]) -> list[OutputFile]:
    """content/assets/ copied as is to /assets/."""
    base = project / content_dir
    return [OutputFile(path.lstrip("/"), source=base / path.lstrip("/")) for path in assets]
