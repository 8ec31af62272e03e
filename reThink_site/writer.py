"""Writes a complete new site beside the old one and swaps it in atomically."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import time
from pathlib import Path
from typing import Iterable

from reThink_site.errors import SiteError, UsageError
from reThink_site.outputs import OutputFile

STAGING_PREFIX = ".rethink-staging-"
RETIRED_PREFIX = ".rethink-retired-"
MARKER = ".rethink-output"  # written into every site the build makes; a folder without it is not ours
RENAME_EXCHANGE = 2
AT_FDCWD = -100


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


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def clean_leftovers(output: Path) -> None:
    """Remove what a killed build left beside the output folder; put back an output killed mid-swap."""
    parent = output.parent
    if not parent.is_dir():
        return
    mine = re.compile(f"({re.escape(STAGING_PREFIX)}|{re.escape(RETIRED_PREFIX)}){re.escape(output.name)}-[0-9]+")
    ours = [child for child in sorted(parent.iterdir()) if mine.fullmatch(child.name)]
    retired = [child for child in ours if child.name.startswith(RETIRED_PREFIX) and child.is_dir()]
    if not output.exists() and retired:  # killed between the two renames of the fallback swap
        os.rename(retired[0], output)
        ours.remove(retired[0])
    for child in ours:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def staging_dir(output: Path) -> Path:
    """A fresh folder beside the output folder (same file system, so the swap is a rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    (path / MARKER).write_text("Built by rethink; the next build replaces this whole folder.\n", encoding="utf-8")
    return path


def write_tree(root: Path, files: Iterable[OutputFile]) -> int:
    """Write every output file under root; paths are checked to stay inside it."""
    count = 0
    resolved_root = root.resolve()
    for item in files:
        target = (root / item.path)
        if ".." in Path(item.path).parts or Path(item.path).is_absolute() or \
                resolved_root not in target.resolve().parents:
            raise UsageError(f"refusing to write outside the output folder: {item.path}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if item.source is not None:
                shutil.copyfile(item.source, target)
            else:
                target.write_bytes(item.data or b"")
        except OSError as err:
            raise SiteError(f"cannot write {item.path[:120]}: {err.strerror or err}; "
                            "the previous site is left in place") from None
        count += 1
    return count


def publish(staging: Path, output: Path, background: bool = False) -> None:
    """Make the staged tree the output folder in one atomic step, then drop the old tree."""
    if output.is_symlink():
        raise UsageError(f"{output} is a symbolic link; refusing to replace it")
    if output.exists() and _exchange(staging, output):
        remove_old_site(staging, output, background)  # staging now holds the old site
        return
    if output.exists():
        retired = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}"
        os.rename(output, retired)
        os.rename(staging, output)
        remove_old_site(retired, output, background)
        return
    os.rename(staging, output)


def remove_old_site(tree: Path, output: Path, background: bool) -> None:
    """Delete the retired site now, or (for big sites) after the build has returned."""
    if background:
        remove_in_background(tree, output)
    else:
        shutil.rmtree(tree, ignore_errors=True)


def remove_in_background(tree: Path, output: Path) -> None:
    """Delete a retired site after the build returns; thousands of rmdirs need not hold it up.

    The tree is first renamed to a unique retired name (so no later staging folder can collide with
    it, and clean_leftovers finishes the job if the deleter is killed), then a detached grandchild
    process removes it at low priority.
    """
    doomed = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}{time.monotonic_ns()}"
    try:
        os.rename(tree, doomed)
    except OSError:
        doomed = tree
    if not hasattr(os, "fork"):
        shutil.rmtree(doomed, ignore_errors=True)
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                os.nice(10)
                shutil.rmtree(doomed, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
