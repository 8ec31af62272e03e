"""Prepares the next build's spare tree in the background, so the first rebuild patches instead of cloning.

After a publish that left no spare (a cold build, the fallback swap), a detached low-priority process
hard-links the live site into a fresh folder in .rethink-cache/, moves it to the spare's place and records
it in trees.json as the spare (a hard link has the live file's inode, size and mtime, so the live
records vouch for it). It holds the spare lock from the moment the build starts it until it is done;
a build takes the same lock before it touches the spare, so it never patches a clone in the making. A
clone left half-made by a killed cloner is discarded, and a cloner whose state was since replaced by a
newer build (another generation in trees.json) throws its clone away instead of installing it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from reThink_site import treestate, writer
from reThink_site.treestate import TreeState

LOCK_FILE = "spare.lock"
CLONE_PREFIX = "spare-ahead-"  # a clone in the making; a build holding the lock finds only dead ones
CLONE_AHEAD_FILES = 2000  # from this size the next spare is cloned after the build returns


@contextmanager
def spare_lock(cache_dir: Path) -> Iterator[int]:
    """Hold the spare lock (blocking until a cloner is done), so nobody else works on the spare meanwhile."""
    fd = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # a cloner started meanwhile shares the lock and keeps it until it is done


def wait(cache_dir: Path) -> None:
    """Return once no cloner is at work (a cloner is started holding the lock, so this cannot miss one)."""
    with spare_lock(cache_dir):
        pass


def discard_unfinished(cache_dir: Path) -> None:
    """Delete clones whose cloner was killed; only call while holding the lock, when no cloner is alive."""
    treestate.remove_named(cache_dir, CLONE_PREFIX)


def latest(cache_dir: Path, output: Path, state: Optional[TreeState]) -> TreeState:
    """The tree state to publish with: the one the build read, plus a spare a cloner recorded since."""
    if state is None:
        return treestate.load(cache_dir, output)
    if state.spare is not None:
        return state
    fresh = treestate.load(cache_dir, output)
    return fresh if fresh.spare is not None and fresh.live == state.live else state


def needed(state: TreeState, files: int) -> bool:
    """A clone ahead pays off only for big sites without a spare; small ones clone quickly when rebuilding."""
    return state.spare is None and bool(state.live) and files >= CLONE_AHEAD_FILES


def start(cache_dir: Path, output: Path, state: TreeState, lock: int) -> None:
    """Clone the live site into the spare in a detached process that takes over the held lock."""
    writer.run_detached(lambda: clone(cache_dir, output, state), keep=lock)


def clone(cache_dir: Path, output: Path, state: TreeState) -> None:
    """Hard-link the live files that match their records into a new spare and record it (lock held)."""
    work = cache_dir / f"{CLONE_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    doomed = cache_dir / f"{treestate.DOOMED_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    try:
        live = treestate.trusted_in(output, state.live)
        writer.make_site_dir(work)
        writer.clone_tree(output, work, sorted(live))
        if treestate.load(cache_dir, output).generation != state.generation:
            return  # a newer build took over: its state, not this clone, is the truth
        spare = treestate.spare_path(cache_dir)
        if spare.exists() or spare.is_symlink():  # an old spare nobody recorded
            os.rename(spare, doomed)
        os.rename(work, spare)
        treestate.save(cache_dir, TreeState(state.output, state.live,
                                            {path: (state.live or {})[path] for path in live}))
    except OSError:
        pass  # the live site changed or the cache went away: the next build clones for itself
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(doomed, ignore_errors=True)
