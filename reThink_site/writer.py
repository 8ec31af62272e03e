"""Writes a complete new site beside the old one and swaps it in atomically."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import time
from pathlib import Path
from typing import Iterable

from reThink_site.errors import UsageError
from reThink_site.outputs import OutputFile

STAGING_PREFIX = ".rethink-staging-"
RETIRED_PREFIX = ".rethink-retired-"
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
    """Remove staging or retired trees that a killed build left beside the output folder."""
    parent = output.parent
    if not parent.is_dir():
        return
    for child in parent.iterdir():
        if child.name.startswith((STAGING_PREFIX + output.name, RETIRED_PREFIX + output.name)):
            shutil.rmtree(child, ignore_errors=True)


def staging_dir(output: Path) -> Path:
    """A fresh folder beside the output folder (same file system, so the swap is a rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    path = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
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
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.source is not None:
            shutil.copyfile(item.source, target)
        else:
            target.write_bytes(item.data or b"")
        count += 1
    return count


def publish(staging: Path, output: Path) -> None:
    """Make the staged tree the output folder in one atomic step, then drop the old tree."""
    if output.is_symlink():
        raise UsageError(f"{output} is a symbolic link; refusing to replace it")
    if output.exists() and _exchange(staging, output):
        remove_in_background(staging, output)  # perf: staging now holds the old site
        return
    if output.exists():
        retired = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}"
        os.rename(output, retired)
        os.rename(staging, output)
        remove_in_background(retired, output)  # perf
        return
    os.rename(staging, output)


def remove_in_background(tree: Path, output: Path) -> None:
    """perf: delete a retired site after the build returns; thousands of rmdirs need not hold it up.

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
