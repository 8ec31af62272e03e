"""Puts the planned files in place atomically, rewriting only what changed when an older tree can be reused.

With the cache on, the site a build replaces is kept as a spare tree in .rethink-cache/; the next
build patches that spare into the new site and swaps it in (treestate.py). Without a trusted spare,
unchanged files are hard-linked from the live site, and only new or changed files are written; for big
sites that clone is made ahead, in the background, after the build that left no spare (spareahead.py).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Optional, Sequence

from reThink_site import search, spareahead, treestate, writer
from reThink_site.errors import SiteError
from reThink_site.outputs import OutputFile
from reThink_site.treestate import TreeState

BACKGROUND_REMOVAL_FILES = 2000  # from this size an old tree is deleted after the build returns


def publish_site(project_cache: Path, output: Path, files: Sequence[OutputFile], use_cache: bool,
                 index_search: bool, state: Optional[TreeState] = None) -> None:
    """Write the planned files beside or over an older tree and swap them in; old site kept on failure.

    `state` is the tree record the build already read (treestate.load) for its page memo, if any; the
    spare lock is taken only here, so a cloner started by the last build overlaps this build's planning.
    """
    try:
        writer.clean_leftovers(output)
        treestate.clean_leftovers(project_cache)
        if use_cache and _reusable(project_cache, output):
            with spareahead.spare_lock(project_cache) as lock:  # waits for a cloner still at work
                spareahead.discard_unfinished(project_cache)
                published = _publish_reusing(project_cache, output, files, index_search,
                                             spareahead.latest(project_cache, output, state))
                if spareahead.needed(published, len(files)):
                    spareahead.start(project_cache, output, published, lock)
        else:  # a spare and its records stay as they are: the records only trust what they describe
            _publish_fresh(output, files, index_search)
    except OSError as err:  # a read-only folder, a file in the way: a message, never a traceback
        raise SiteError(f"cannot write the site to {output}: {err.strerror or err}; "
                        "the previous site is left in place") from None


def _reusable(cache_dir: Path, output: Path) -> bool:
    """A spare tree can be swapped with output/ only on the same file system."""
    try:
        cache_dir.mkdir(exist_ok=True)
        output.parent.mkdir(parents=True, exist_ok=True)
        return os.stat(cache_dir).st_dev == os.stat(output.parent).st_dev
    except OSError:
        return False


def _publish_fresh(output: Path, files: Sequence[OutputFile], index_search: bool) -> None:
    """Write a whole new tree beside the output folder and swap it in."""
    staging = None
    try:
        staging = writer.staging_dir(output)
        writer.write_tree(staging, files)
        if index_search:
            search.index_site(staging)
        writer.publish(staging, output, background=len(files) >= BACKGROUND_REMOVAL_FILES)
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _digests(files: Sequence[OutputFile]) -> dict[str, str]:
    """The digest of every planned file, to compare with what the reused tree holds."""
    return {f.path: f.content_digest() for f in files}


def _prepare_spare(cache_dir: Path, output: Path, state: TreeState,
                   digests: dict[str, str]) -> tuple[dict, dict]:
    """Make the spare tree ready to patch; return what is in it and which of its files can be kept."""
    spare = treestate.spare_path(cache_dir)
    if spare.is_dir() and state.spare:
        found = writer.walk_files(spare)
        found.pop(writer.MARKER, None)
        return found, treestate.trusted(found, state.spare)
    if spare.exists() or spare.is_symlink():  # a spare nobody can vouch for: delete it after the build
        doomed = cache_dir / f"{treestate.DOOMED_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
        writer.remove_old_site(spare, output, len(digests) >= BACKGROUND_REMOVAL_FILES, doomed)
    writer.make_site_dir(spare)
    if not (state.live and output.is_dir()):
        return {}, {}
    found = treestate.stat_recorded(output, state.live)
    live = treestate.trusted(found, state.live)
    same = [path for path, digest in live.items() if digests.get(path) == digest]
    writer.clone_tree(output, spare, same)  # unchanged files: hard links (same inode, size and mtime)
    return {path: found[path] for path in same}, {path: live[path] for path in same}


def _publish_reusing(cache_dir: Path, output: Path, files: Sequence[OutputFile], index_search: bool,
                     state: TreeState) -> TreeState:
    """Patch the spare into the new site, swap it with output/, keep the old site as the spare; the new state."""
    treestate.save(cache_dir, TreeState(state.output, state.live, None))  # the spare is about to change
    digests = _digests(files)
    found, reuse = _prepare_spare(cache_dir, output, state, digests)
    spare = treestate.spare_path(cache_dir)
    records = writer.write_tree(spare, files, digests, reuse, found)
    writer.ensure_marker(spare)
    if index_search:
        search.index_site(spare)
    treestate.save(cache_dir, TreeState(state.output, records, None), pending=True)
    old_kept = writer.swap_in(spare, output)
    return treestate.save(cache_dir, TreeState(state.output, records, state.live if old_kept else None))
