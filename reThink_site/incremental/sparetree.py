"""Rebuilds patch the last site instead of writing a new one: the spare tree in .rethink-cache/.

The build keeps the site it replaced as a *spare* tree. The next build patches the spare (writes the
files whose bytes differ, deletes the ones no longer made) and swaps it in, so an edit costs a handful
of writes instead of a whole new tree. Without a trusted spare, unchanged files are hard-linked from
the live site. After a publish that left no spare (a cold build, the fallback swap), a detached
low-priority process hard-links the live site into a fresh folder, moves it to the spare's place and
records it in trees.json (a hard link has the live file's inode, size and mtime, so the live records
vouch for it). It holds the spare lock from the moment the build starts it until it is done; a build
takes the same lock before it touches the spare, so it never patches a clone in the making. A clone
left half-made by a killed cloner is discarded, and a cloner whose state was since replaced by a newer
build (another generation in trees.json) throws its clone away instead of installing it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Sequence

from reThink_site.core.outputs import OutputFile
from reThink_site.incremental import treestate
from reThink_site.incremental.fingerprints import file_digest
from reThink_site.incremental.patching import clone_tree, patch_tree, walk_files
from reThink_site.incremental.treestate import TreeState
from reThink_site.publish import swap, writer
from reThink_site.publish.swap import BACKGROUND_REMOVAL_FILES, IndexSearch

LOCK_FILE = "spare.lock"
CLONE_PREFIX = "spare-ahead-"  # a clone in the making; a build holding the lock finds only dead ones
CLONE_AHEAD_FILES = 2000  # from this size the next spare is cloned after the build returns


def publish_reusing(cache_dir: Path, output: Path, files: Sequence[OutputFile], index_search: Optional[IndexSearch],
                    state: Optional[TreeState] = None, verify: bool = False) -> None:
    """Patch the spare tree into the new site and swap it in (a fresh tree where no spare can serve).

    `state` is the tree record the build already read (treestate.load) for its page memo, if any; the
    spare lock is taken only here, so a cloner started by the last build overlaps this build's planning.
    `verify`: read every file the build would keep and compare it with its record (`--verify`).
    """
    treestate.clean_leftovers(cache_dir)
    if not _reusable(cache_dir, output):  # a spare and its records stay as they are
        swap.publish_fresh(output, files, index_search)  # it clears what a killed build left beside output/
        return
    swap.clean_leftovers(output)
    with spare_lock(cache_dir) as lock:  # waits for a cloner still at work
        discard_unfinished(cache_dir)
        published = _publish_patched(cache_dir, output, files, index_search, latest(cache_dir, output, state),
                                     verify)
        if needed(published, len(files)):
            start(cache_dir, output, published, lock)


def _reusable(cache_dir: Path, output: Path) -> bool:
    """A spare tree can be swapped with output/ only on the same file system."""
    try:
        cache_dir.mkdir(exist_ok=True)
        output.parent.mkdir(parents=True, exist_ok=True)
        return os.stat(cache_dir).st_dev == os.stat(output.parent).st_dev
    except OSError:
        return False


def _digests(files: Sequence[OutputFile]) -> dict[str, str]:
    """The digest of every planned file, to compare with what the reused tree holds."""
    return {f.path: file_digest(f) for f in files}


def _prepare_spare(cache_dir: Path, output: Path, state: TreeState, digests: dict[str, str],
                   verify: bool = False) -> tuple[dict, dict]:
    """Make the spare tree ready to patch; return what is in it and which of its files can be kept."""
    spare = treestate.spare_path(cache_dir)
    if spare.is_dir() and state.spare:
        found = walk_files(spare)
        found.pop(writer.MARKER, None)
        return found, treestate.trusted(found, state.spare, spare if verify else None)
    if spare.exists() or spare.is_symlink():  # a spare nobody can vouch for: delete it after the build
        doomed = cache_dir / f"{treestate.DOOMED_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
        swap.remove_old_site(spare, output, len(digests) >= BACKGROUND_REMOVAL_FILES, doomed)
    writer.make_site_dir(spare)
    if not (state.live and output.is_dir()):
        return {}, {}
    found = treestate.stat_recorded(output, state.live)
    live = treestate.trusted(found, state.live, output if verify else None)
    same = [path for path, digest in live.items() if digests.get(path) == digest]
    clone_tree(output, spare, same)  # unchanged files: hard links (same inode, size and mtime)
    return {path: found[path] for path in same}, {path: live[path] for path in same}


def _publish_patched(cache_dir: Path, output: Path, files: Sequence[OutputFile], index_search: Optional[IndexSearch],
                     state: TreeState, verify: bool = False) -> TreeState:
    """Patch the spare into the new site, swap it with output/, keep the old site as the spare; the new state."""
    treestate.save(cache_dir, TreeState(state.output, state.live, None))  # the spare is about to change
    digests = _digests(files)
    found, reuse = _prepare_spare(cache_dir, output, state, digests, verify)
    spare = treestate.spare_path(cache_dir)
    records = patch_tree(spare, files, digests, reuse, found)
    writer.ensure_marker(spare)
    if index_search is not None:
        index_search(spare)
    treestate.save(cache_dir, TreeState(state.output, records, None), pending=True)
    old_kept = swap.swap_in(spare, output)
    return treestate.save(cache_dir, TreeState(state.output, records, state.live if old_kept else None))


@contextmanager
def spare_lock(cache_dir: Path) -> Iterator[int]:
    """Hold the spare lock (blocking until a cloner is done), so nobody else works on the spare meanwhile."""
    fd = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
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
    swap.run_detached(lambda: clone(cache_dir, output, state), keep=lock)


def clone(cache_dir: Path, output: Path, state: TreeState) -> None:
    """Hard-link the live files that match their records into a new spare and record it (lock held)."""
    work = cache_dir / f"{CLONE_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    doomed = cache_dir / f"{treestate.DOOMED_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    try:
        live = treestate.trusted_in(output, state.live)
        writer.make_site_dir(work)
        clone_tree(output, work, sorted(live))
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
