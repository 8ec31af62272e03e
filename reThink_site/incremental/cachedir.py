"""The cache folder .rethink-cache/: its one-table databases and its part files, never trusted blindly."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fast path reads CACHE_DIR from here and never opens a database
    import sqlite3

CACHE_DIR = ".rethink-cache"
PARTS_FORMAT = "rethink-parts/2"  # part files: marshalled (format, {key: (bytes, (zone ids))})
Part = tuple[bytes, tuple[str, ...]]


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
