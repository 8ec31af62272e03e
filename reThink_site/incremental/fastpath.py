"""Lets a rebuild that would change nothing stop early, before any heavy import or file read.

The last successful build leaves a manifest in .rethink-cache/: the size and mtime of every input
file, the options, the output folder's identity and the time window in which its output stays
valid. Only the standard library is imported here, so `rethink build` answers in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Optional

from reThink_site.core import install
from reThink_site.incremental.cachedir import CACHE_DIR

FORMAT = "rethink-manifest/1"
MANIFEST = "manifest.json"


def code_stamp() -> list:
    """The files of the code fingerprint (every module and the default theme) by path, size and mtime."""
    from reThink_site import __version__

    stamp = []
    for path in install.code_files():
        st = path.stat()
        stamp.append([str(path), st.st_size, st.st_mtime_ns])
    return [__version__, stamp]


def _stat_tree(root: Path, out: dict[str, list[int]], above: frozenset[tuple[int, int]] = frozenset()) -> None:
    """Record size and mtime of every file under root (or of root itself if it is a file).

    Links are followed, as the loader follows them; a link back to a folder on the way down (`..`, a
    loop) is noted, not walked, and a link that cannot be followed at all is noted as missing.
    """
    try:
        st = root.stat()
        if not os.path.isdir(root):
            out[str(root)] = [st.st_size, st.st_mtime_ns]
            return
        if (st.st_dev, st.st_ino) in above:
            out[str(root)] = [-3, st.st_mtime_ns]  # a loop: the loader refuses it, the walk stops here
            return
        entries = list(os.scandir(root))
    except OSError:
        out[str(root)] = [-1, -1]
        return
    out[str(root)] = [-2, st.st_mtime_ns]  # a folder: catches added and removed entries
    above = above | {(st.st_dev, st.st_ino)}
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:  # a link to itself (ELOOP)
            out[entry.path] = [-1, -1]
            continue
        if is_dir:
            _stat_tree(Path(entry.path), out, above)
        else:
            try:
                st = entry.stat(follow_symlinks=True)
                out[entry.path] = [st.st_size, st.st_mtime_ns]
            except OSError:
                out[entry.path] = [-1, -1]


def snapshot(roots: list[Path]) -> dict[str, list[int]]:
    """Sizes and mtimes of every file under the given input folders and files."""
    out: dict[str, list[int]] = {}
    for root in roots:
        _stat_tree(root, out)
    return out


def _output_identity(output: Path) -> Optional[list[int]]:
    """Which folder is at the output path now (device, inode, mtime); None when there is none."""
    try:
        st = os.stat(output, follow_symlinks=False)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_mtime_ns]


def options_key(project: Path, output: Optional[Path], now: Optional[str], drafts: bool, future: bool,
                strict: bool, search: bool, base_url: Optional[str] = None) -> str:
    """A hash of the options and environment that shape the output."""
    text = json.dumps([str(project.absolute()), str(output.absolute()) if output else None, now,
                       os.environ.get("SOURCE_DATE_EPOCH"), drafts, future, strict, search]
                      + ([base_url] if base_url else []))
    return hashlib.sha256(text.encode()).hexdigest()


def _clock_dependent(now: Optional[str]) -> bool:
    """True when the build's now comes from the wall clock, so the output can expire."""
    return now is None and not os.environ.get("SOURCE_DATE_EPOCH")


def up_to_date(project: Path, key: str, now: Optional[str],
               taken: Optional[tuple[list[Path], dict[str, list[int]]]] = None) -> Optional[dict[str, Any]]:
    """The recorded report of the last build if nothing it depends on has changed, else None.

    `taken` is a snapshot the caller has just made (its roots and files), used when the roots are the same.
    """
    try:
        if os.path.islink(project / CACHE_DIR) or os.path.islink(project / CACHE_DIR / MANIFEST):
            return None  # a cache from elsewhere: the build discards it
        manifest = json.loads((project / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest["key"] != key:
            return None
        if manifest["package"] != json.loads(json.dumps(code_stamp())):
            return None
        if _clock_dependent(now):
            start, end = manifest["window"]
            if not (start <= time.time() < (end if end is not None else float("inf"))):
                return None
        output = Path(manifest["output"])
        if _output_identity(output) != manifest["output_identity"]:
            return None
        if taken is not None and [str(r) for r in taken[0]] == manifest["roots"]:
            files = taken[1]
        else:
            files = snapshot([Path(r) for r in manifest["roots"]])
        if files != manifest["files"]:
            return None
        return manifest["report"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(project: Path, key: str, roots: list[Path], files: dict[str, list[int]], output: Path,
           window: tuple[float, Optional[float]], report: dict[str, Any]) -> None:
    """Write the manifest of a successful build (atomically, so a crash leaves no half manifest)."""
    folder = project / CACHE_DIR
    folder.mkdir(exist_ok=True)
    manifest = {"format": FORMAT, "key": key, "package": code_stamp(), "roots": [str(r) for r in roots],
                "files": files, "output": str(output), "output_identity": _output_identity(output),
                "window": list(window), "report": report}
    temporary = folder / f"{MANIFEST}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(manifest), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def forget(project: Path) -> None:
    """Remove the manifest, so the next build is a real one."""
    try:
        (project / CACHE_DIR / MANIFEST).unlink()
    except OSError:
        pass


def _instants(value: Any, tz) -> list[datetime]:
    """The moments at which a date or date-time field can flip what a build shows."""
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=tz)
        return [value, *_instants(value.astimezone(tz).date(), tz)]
    if isinstance(value, date):
        return [datetime.combine(value + timedelta(days=step), datetime.min.time(), tz) for step in (0, 1, 2)]
    return []


def valid_until(loaded: Any, now: datetime, config: Any) -> Optional[datetime]:
    """The first instant after now at which upcoming/past, published-future or today could change.

    Every date and date-time a content file holds counts, so a new date field needs no change here.
    """
    from reThink_site.content import eventtime

    tz = config.tz
    local = now.astimezone(tz)
    moments = [datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tz)]
    values = set()  # many items share a date: each distinct value's instants are made once
    for kind, items in loaded.items.items():
        for item in items:
            values.update(value for value in (*vars(item).values(), *(item.__pydantic_extra__ or {}).values())
                          if isinstance(value, date))  # every date field, whatever its name
            if kind == "events":
                moments += eventtime.moments(item, tz)  # each date of a repeating event
    for value in values:
        moments += _instants(value, tz)
    later = [m for m in moments if m > now]
    return min(later) if later else None


class Watch:
    """The fast path for one build: what its inputs were when it started, to record once it is published.

    Disabled (`--no-cache`) it takes no snapshot and only makes sure no old record lingers.
    """

    def __init__(self, project: Path, enabled: bool, roots: list[Path], key: str, now: Optional[str],
                 output: Path) -> None:
        self.project, self.enabled, self.roots, self.key = project, enabled, roots, key
        self.now, self.output = now, output
        self.inputs: dict[str, list[int]] = {}

    @classmethod
    def start(cls, project: Path, enabled: bool, roots: list[Path], key: str, now: Optional[str],
              output: Path) -> "Watch":
        """Snapshot the inputs before anything is read (they may change while the build runs)."""
        watch = cls(project, enabled, roots, key, now, output)
        if enabled:
            watch.inputs = snapshot(roots)
            try:
                (project / CACHE_DIR).mkdir(exist_ok=True)
            except OSError:
                pass  # a read-only site still builds, just without the cache
        else:
            forget(project)
        return watch

    def unchanged(self) -> Optional[dict[str, Any]]:
        """The recorded report when nothing the last build depended on has changed."""
        if not self.enabled:
            return None
        return up_to_date(self.project, self.key, self.now, (self.roots, self.inputs))

    def remember(self, start: datetime, until: Optional[datetime], report: dict[str, Any]) -> None:
        """Record what this build depended on, so an unchanged rebuild can stop early."""
        if not self.enabled:
            return
        window = (start.timestamp(), until.timestamp() if until else None)
        try:
            record(self.project, self.key, self.roots, self.inputs, self.output, window, report)
        except OSError:
            forget(self.project)

    def forget(self) -> None:
        """The build failed: the next one must be a real one."""
        forget(self.project)
