"""The cache folder .rethink-cache/: its one-table databases and its part files, never trusted blindly."""

from __future__ import annotations

import marshal
import os
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from reThink_site.core.errors import SiteError

if TYPE_CHECKING:  # the fast path reads CACHE_DIR from here and never opens a database
    import sqlite3

CACHE_DIR = ".rethink-cache"
PARTS_FORMAT = "rethink-parts/2"  # part files: marshalled (format, {key: (bytes, (zone ids))})
Part = tuple[bytes, tuple[str, ...]]
# what the cache folder holds, by kind (tests/incremental/test_cache_entries.py checks each module's names)
CACHE_FILES = frozenset({"manifest.json", "models.sqlite", "bodies.sqlite", "pages.json", "calendar-parts.bin",
                         "feed-parts.bin", "trees.json", "spare.lock",
                         "search-records.bin"})
CACHE_FOLDERS = frozenset({"spare-site"})
FOLDER_PREFIXES = ("spare-ahead-", "spare-site-doomed-")  # clones in the making, spares being deleted


class CacheUnusable(SiteError):
    """The cache folder holds something the build can neither use nor remove."""


class CacheCorrupt(Exception):
    """A cache (bodies or content models) cannot be trusted and must be thrown away."""


def connect_cache(path: Path, table: str, value_type: str, fmt: str) -> sqlite3.Connection:
    """Open (creating if need be) a one-table key/value cache database and check its format marker."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA synchronous = OFF")  # a cache: a torn write is caught on reading, not fsynced
        connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        connection.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value {value_type})")
        row = connection.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        if row is None:
            if connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]:
                raise CacheCorrupt("no format marker")
            with connection:
                connection.execute("INSERT INTO meta VALUES ('format', ?)", (fmt,))
        elif row[0] != fmt:
            raise CacheCorrupt(f"format {row[0]!r}, expected {fmt!r}")
        connection.commit()
    except BaseException:
        connection.close()
        raise
    return connection


def discard_all(project: Path) -> None:
    """Delete every cache file (databases, part files and the fast-path manifest)."""
    folder = project / CACHE_DIR
    for child in folder.glob("*") if folder.is_dir() else ():
        if child.is_file():
            child.unlink()


def load_parts(project: Path, name: str) -> dict[str, Part]:
    """Output parts of the last build by key, with their zone ids; empty when missing or damaged."""
    try:
        data = marshal.loads((project / CACHE_DIR / name).read_bytes())  # plain values only: nothing is run
        if not (type(data) is tuple and len(data) == 2 and data[0] == PARTS_FORMAT and type(data[1]) is dict):
            return {}
        return {key: (blob, zones) for key, (blob, zones) in data[1].items()
                if type(key) is str and type(blob) is bytes and type(zones) is tuple
                and all(type(z) is str for z in zones)}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


def save_parts(project: Path, parts: dict[str, Part], name: str) -> None:
    """Keep this build's parts for the next build (atomically; failing only costs speed)."""
    folder = project / CACHE_DIR
    if not folder.is_dir():
        return
    temporary = folder / f"{name}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(marshal.dumps((PARTS_FORMAT, {key: (bytes(data), tuple(zones))
                                                            for key, (data, zones) in parts.items()})))
        os.replace(temporary, folder / name)
    except OSError:
        temporary.unlink(missing_ok=True)


def _kind(mode: int) -> str:
    """A file-system entry's kind in words, for the message about a damaged cache."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a folder" if stat.S_ISDIR(mode) else "a file" if stat.S_ISREG(mode) else "a special file"


def _expected(name: str) -> str:
    """What the build keeps under this name in the cache folder: "file", "folder" or "" (not the build's)."""
    if name in CACHE_FOLDERS or name.startswith(FOLDER_PREFIXES):
        return "folder"
    if name in CACHE_FILES or name.endswith(".tmp") or name.split("-")[0] in CACHE_FILES:  # sqlite's -journal
        return "file"
    return ""


def _discard(path: Path, mode: int) -> None:
    """Remove one damaged entry: a link itself (never what it points to), a real folder with its contents."""
    if stat.S_ISDIR(mode) and not stat.S_ISLNK(mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def repair(project: Path) -> list[tuple[str, str]]:
    """Discard every cache entry of the wrong kind, so nothing the build writes or deletes lies elsewhere.

    Caches travel (CI caches, restored backups): a link in .rethink-cache/ (or the folder itself being a
    link) would lead the build's writes and deletions out of the project, and a folder where a file
    belongs (or the reverse) would stop every build. The build never makes a link there, so every link
    is removed (the link alone), as is every entry named like a cache file or folder but of another
    kind; the caches are then rebuilt. Returns (entry, what it was) for each, for a warning.
    """
    folder = project / CACHE_DIR
    discarded: list[tuple[str, str]] = []
    try:
        mode = os.lstat(folder).st_mode
        if not stat.S_ISDIR(mode):
            _discard(folder, mode)
            return [(CACHE_DIR, f"{_kind(mode)}, not a folder")]
        with os.scandir(folder) as entries:
            listed = [(entry.name, entry.stat(follow_symlinks=False).st_mode) for entry in entries]
        for name, mode in sorted(listed):
            wanted = _expected(name)
            is_folder = stat.S_ISDIR(mode) and not stat.S_ISLNK(mode)
            if stat.S_ISLNK(mode) or (wanted == "file" and not stat.S_ISREG(mode)) or \
                    (wanted == "folder" and not is_folder):
                _discard(folder / name, mode)
                discarded.append((f"{CACHE_DIR}/{name}", f"{_kind(mode)}, not a {wanted or 'file or folder'}"))
    except FileNotFoundError:
        pass
    except OSError as err:
        where = relative(err.filename, project)
        raise CacheUnusable(f"{where}: the build cache is damaged and cannot be discarded ({err.strerror}); "
                            f"delete {CACHE_DIR}/ by hand or build with --no-cache") from None
    return discarded


def relative(name: object, project: Path) -> str:
    """A path in an error, relative to the project when it is inside."""
    try:
        return Path(str(name)).relative_to(project).as_posix()
    except ValueError:
        return str(name)
