"""Makes a finished tree the output folder in one atomic step, and clears away the tree it replaced."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import gc
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from reThink_site.core.errors import SiteError, UsageError
from reThink_site.core.outputs import OutputFile
from reThink_site.publish import writer
from reThink_site.publish.writer import RETIRED_PREFIX, STAGING_PREFIX

RENAME_EXCHANGE = 2
AT_FDCWD = -100
BACKGROUND_REMOVAL_FILES = 2000  # from this size an old tree is deleted after the build returns
IndexSearch = Callable[[Path], None]  # writes the search index into a finished tree


@contextmanager
def write_errors(output: Path) -> Iterator[None]:
    """A read-only folder or a file in the way: a message, never a traceback."""
    try:
        yield
    except OSError as err:
        raise SiteError(f"cannot write the site to {output}: {err.strerror or err}; "
                        "the previous site is left in place") from None


def publish_fresh(output: Path, files: Sequence[OutputFile], index_search: Optional[IndexSearch]) -> None:
    """Write a whole new tree beside the output folder and swap it in."""
    clean_leftovers(output)
    staging = None
    try:
        staging = writer.staging_dir(output)
        writer.write_tree(staging, files)
        if index_search is not None:
            index_search(staging)
        publish_tree(staging, output, background=len(files) >= BACKGROUND_REMOVAL_FILES)
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


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


def publish_tree(staging: Path, output: Path, background: bool = False) -> None:
    """Make the staged tree the output folder in one atomic step, then drop the old tree."""
    if swap_in(staging, output, background):
        remove_old_site(staging, output, background)  # staging now holds the old site


def swap_in(staging: Path, output: Path, background: bool = True) -> bool:
    """Make staging the output folder atomically; True when the old site now sits at staging's path."""
    if output.is_symlink():
        raise UsageError(f"{output} is a symbolic link; refusing to replace it")
    if output.exists() and _exchange(staging, output):
        return True
    if output.exists():
        retired = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}"
        os.rename(output, retired)
        os.rename(staging, output)
        remove_old_site(retired, output, background)
        return False
    os.rename(staging, output)
    return False


def remove_old_site(tree: Path, output: Path, background: bool, doomed: Optional[Path] = None) -> None:
    """Delete the retired site now, or (for big sites) after the build has returned."""
    if background:
        remove_in_background(tree, output, doomed)
    else:
        shutil.rmtree(tree, ignore_errors=True)


def remove_in_background(tree: Path, output: Path, doomed: Optional[Path] = None) -> None:
    """Delete a retired site after the build returns; thousands of rmdirs need not hold it up.

    The tree is first renamed to a unique retired name (so no later staging folder can collide with
    it, and clean_leftovers finishes the job if the deleter is killed), then a detached grandchild
    process removes it at low priority.
    """
    doomed = doomed or output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}{time.monotonic_ns()}"
    try:
        os.rename(tree, doomed)
    except OSError:
        doomed = tree
    run_detached(lambda: shutil.rmtree(doomed, ignore_errors=True))


def run_detached(work: Callable[[], object], keep: Optional[int] = None) -> None:
    """Run work in a detached, low-priority grandchild, so the build returns without waiting for it.

    The grandchild keeps only the descriptor `keep` (a lock it takes over) and has stdin, stdout and
    stderr on /dev/null: whoever reads the build's output or waits on a lock it held is not held up.
    Without fork the work is done before returning.
    """
    if not hasattr(os, "fork"):
        work()
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                gc.freeze()  # the inherited heap is never collected, so its pages are never copied
                os.setsid()
                os.nice(10)
                _only_keep(keep)
                work()
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _only_keep(keep: Optional[int]) -> None:
    """Close every inherited descriptor but `keep`, and point the standard streams at /dev/null."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    limit = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 4096
    if keep is None:
        os.closerange(3, limit)
    else:
        os.closerange(3, keep)
        os.closerange(keep + 1, limit)
