"""Writes a complete new site tree: checked paths, never through a link, marked as the build's own."""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
from pathlib import Path
from typing import Iterable

from reThink_site.core.errors import SiteError, UsageError
from reThink_site.core.outputs import OutputFile

STAGING_PREFIX = ".rethink-staging-"
RETIRED_PREFIX = ".rethink-retired-"
MARKER = ".rethink-output"  # written into every site the build makes; a folder without it is not ours


def check_output_dir(output: Path, project: Path) -> None:
    """Refuse output folders whose replacement would destroy the project or a home."""
    out, root = output.resolve(), project.resolve()
    home = Path.home().resolve()
    reasons = []
    if out == Path(out.anchor):
        reasons.append("it is the file-system root")
    if out == home:
        reasons.append("it is your home folder")
    if out == root or out in root.parents:
        reasons.append("it is the project folder or one of its parents")
    if out.is_dir() and any((out / name).exists() for name in ("content", "templates", "site.yaml")):
        reasons.append("it holds content/, templates/ or site.yaml")
    for source in ("content", "templates", ".git"):
        folder = (root / source).resolve()
        if out == folder or folder in out.parents:
            reasons.append(f"it is inside the project's {source}/ folder")
    if out.exists() and not out.is_dir():
        reasons.append("it is a file, not a folder")
    elif out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        reasons.append(f"it holds files that rethink did not build (no {MARKER} marker); replacing it would "
                       "delete them")
    if reasons:
        raise UsageError(f"refusing to build into {output}: {'; '.join(reasons)}. "
                         "Choose an empty folder or one the build made, such as output/.")


def staging_dir(output: Path) -> Path:
    """A fresh folder beside the output folder (same file system, so the swap is a rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    make_site_dir(path)
    return path


def make_site_dir(path: Path) -> None:
    """Create an empty site folder holding only the marker that says the build made it."""
    path.mkdir()
    ensure_marker(path)


def ensure_marker(path: Path) -> None:
    """Write the marker that lets a later build replace this folder."""
    marker = path / MARKER
    if not marker.is_file():
        marker.write_text("Built by rethink; the next build replaces this whole folder.\n", encoding="utf-8")


def checked_path(path: str) -> str:
    """The path, if it stays inside the output folder whatever folders it names."""
    clean = posixpath.normpath(path)
    if not path or clean.startswith("/") or clean == ".." or clean.startswith("../") or "\0" in path:
        raise UsageError(f"refusing to write outside the output folder: {path}")
    return clean


def ensure_dir(root: str, folder: str, made: set[str], replace: bool) -> None:
    """Create folder (relative to root) and its parents once each, never through a symbolic link."""
    if not folder or folder in made:
        return
    ensure_dir(root, posixpath.dirname(folder), made, replace)
    full = os.path.join(root, folder)
    try:
        os.mkdir(full)
    except FileExistsError:
        mode = os.lstat(full).st_mode
        if stat.S_ISLNK(mode) and not replace:
            raise UsageError(f"refusing to write outside the output folder: {folder} is a symbolic link") from None
        if not stat.S_ISDIR(mode):  # a file or link of an older tree stands where a folder goes now
            os.unlink(full)
            os.mkdir(full)
    made.add(folder)


def write_file(root: str, item: OutputFile, path: str, replace: bool) -> os.stat_result:
    """Write one file (replacing what a reused tree holds there) and return its status."""
    target = os.path.join(root, path)
    if replace and os.path.lexists(target):
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        else:
            os.unlink(target)  # never rewrite in place: the inode may be shared with the live site
    if item.source is not None:
        shutil.copyfile(item.source, target)
        return os.stat(target)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(item.data or b"")
        handle.flush()
        return os.fstat(handle.fileno())


def write_tree(root: Path, files: Iterable[OutputFile]) -> None:
    """Write every output file into a new, empty tree; paths must stay inside it."""
    base, made = str(root), set()
    try:
        for item in files:
            path = checked_path(item.path)
            ensure_dir(base, posixpath.dirname(path), made, replace=False)
            write_file(base, item, path, replace=False)
    except OSError as err:
        raise_write_error(err, base)


def raise_write_error(err: OSError, base: str) -> None:
    """A failed write as a message naming the file, never a traceback."""
    name = getattr(err, "filename", None) or ""
    raise SiteError(f"cannot write {os.path.relpath(name, base)[:120] if name else 'the site'}: "
                    f"{err.strerror or err}; the previous site is left in place") from None
