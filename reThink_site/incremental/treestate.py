"""Remembers what the live output tree and the spare tree hold, so a rebuild rewrites only changed files.

The build keeps the site it replaced as a *spare* tree in .rethink-cache/. The next build patches the
spare (writes the files whose bytes differ, deletes the ones no longer made) and swaps it in, so an
edit costs a handful of writes instead of a whole new tree. Each tree is described file by file as
(inode, size, mtime, digest); a file whose inode, size or mtime no longer match was touched by
someone else and is not trusted. The state is written with a pending swap first, so a build killed
between the swap and the bookkeeping leaves a state that is thrown away, never one that lies.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Optional

from reThink_site.incremental.fingerprints import bytes_digest

FORMAT = "rethink-trees/1"
STATE_FILE = "trees.json"
SPARE_DIR = "spare-site"
DOOMED_PREFIX = "spare-site-doomed-"  # a spare being deleted in the background

FileRecord = tuple[int, int, int, str]  # inode, size, mtime_ns, digest


@dataclass(frozen=True)
class TreeState:
    """Which output folder is live, and what the live and spare trees hold."""

    output: str
    live: Optional[Mapping[str, FileRecord]] = None
    spare: Optional[Mapping[str, FileRecord]] = None
    generation: str = ""  # new at every save: lets a background cloner see that a build came after it


def spare_path(cache_dir: Path) -> Path:
    """Where the spare tree lives: inside the cache folder, so nothing lies beside output/."""
    return cache_dir / SPARE_DIR


def _records(value: object) -> Optional[dict[str, FileRecord]]:
    """Check and convert one tree description read from JSON; None when absent or malformed."""
    if not isinstance(value, dict):
        return None
    out: dict[str, FileRecord] = {}
    for path, record in value.items():
        if not (isinstance(record, list) and len(record) == 4 and all(isinstance(n, int) for n in record[:3])
                and isinstance(record[3], str)):
            return None
        out[path] = (record[0], record[1], record[2], record[3])
    return out


def load(cache_dir: Path, output: Path) -> TreeState:
    """The recorded state for this output folder; an empty state when missing, stale or unreadable."""
    empty = TreeState(str(output))
    try:
        data = json.loads((cache_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("output") != str(output) \
            or data.get("pending"):
        return empty  # another output folder, or killed mid-swap: nothing is known for sure
    generation = data.get("generation")
    return TreeState(str(output), _records(data.get("live")), _records(data.get("spare")),
                     generation if isinstance(generation, str) else "")


def save(cache_dir: Path, state: TreeState, pending: bool = False) -> TreeState:
    """Write the state atomically under a new generation, and return it; `pending` marks a swap about to happen."""
    saved = replace(state, generation=secrets.token_hex(8))
    data = {"format": FORMAT, "output": saved.output, "pending": pending, "generation": saved.generation,
            "live": saved.live, "spare": saved.spare}
    temporary = cache_dir / f"{STATE_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, cache_dir / STATE_FILE)
    return saved


def clean_leftovers(cache_dir: Path) -> None:
    """Finish deleting old spares whose background deleter was killed."""
    remove_named(cache_dir, DOOMED_PREFIX)


def remove_named(cache_dir: Path, prefix: str) -> None:
    """Delete every folder in the cache whose name starts with prefix (work a killed process left)."""
    try:
        found = [entry.path for entry in os.scandir(cache_dir) if entry.name.startswith(prefix)]
    except OSError:
        return
    for path in found:
        shutil.rmtree(path, ignore_errors=True)


def forget(cache_dir: Path) -> None:
    """Drop the state (the trees on disk are then never trusted)."""
    try:
        (cache_dir / STATE_FILE).unlink()
    except OSError:
        pass


def trusted(found: Mapping[str, os.stat_result], recorded: Optional[Mapping[str, FileRecord]],
            verify_in: Optional[Path] = None) -> dict[str, str]:
    """Digests of the files on disk that are exactly as recorded (same inode, size and mtime).

    With `verify_in` (the tree's folder, `rethink build --verify`) each such file is also read and its
    bytes must give the recorded digest: that catches a file changed in place with its size and mtime
    put back, which the cheap check cannot see, at the cost of reading the whole tree.
    """
    if not recorded:
        return {}
    out = {}
    for path, st in found.items():
        record = recorded.get(path)
        if record is not None and stat.S_ISREG(st.st_mode) and record[:3] == (st.st_ino, st.st_size, st.st_mtime_ns):
            if verify_in is None or _holds(verify_in / path, record[3]):
                out[path] = record[3]
    return out


def _holds(path: Path, digest: str) -> bool:
    """True when the file's bytes give the digest (read without following a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        return bytes_digest(handle.read()) == digest


def stat_recorded(root: Path, recorded: Optional[Mapping[str, FileRecord]]) -> dict[str, os.stat_result]:
    """lstat of each recorded file that still exists under root."""
    found = {}
    for path in recorded or {}:
        try:
            found[path] = os.lstat(os.path.join(root, path))
        except OSError:
            continue
    return found


def trusted_in(root: Path, recorded: Optional[Mapping[str, FileRecord]], verify: bool = False) -> dict[str, str]:
    """Like `trusted`, looking up only the recorded files (files nobody recorded are of no use here)."""
    return trusted(stat_recorded(root, recorded), recorded, root if verify else None)
