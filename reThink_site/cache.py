"""The build cache in .rethink-cache/: rendered Markdown, calendar parts and feeds, keyed by all they depend on."""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import sqlite3
import sys
from importlib import metadata
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Optional

from reThink_site.markup import Rendered, first_paragraph

CACHE_DIR = ".rethink-cache"
BODIES_FILE = "bodies.sqlite"
FORMAT = "rethink-body-cache/3"  # rows: marshalled tuples of strings
PACKAGE_DIR = Path(__file__).resolve().parent


RENDERING_LIBRARIES = ("markdown", "pyromark", "jinja2", "markupsafe", "icalendar", "feedgen", "lxml", "css-inline",
                       "pydantic", "pyyaml", "python-dateutil", "tzdata")


@functools.cache
def package_fingerprint() -> str:
    """A hash of the package's code and of the libraries that shape output: an upgrade never reuses old work."""
    from reThink_site import __version__

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for name in RENDERING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def body_key(context_hash: str, source_dir: str, body: str) -> str:
    """The cache key of one body: the shared context's hash, its folder and its text."""
    return hashlib.sha256(f"{context_hash}\0{source_dir}\0{body}".encode()).hexdigest()


def context_hash(package: str, markdown_settings: str, base: str, file_urls: dict[str, str]) -> str:
    """Everything besides the body that changes a rendering: code, Markdown settings, base path, link targets."""
    urls = json.dumps(sorted(file_urls.items()), ensure_ascii=False)
    return hashlib.sha256(f"{package}\0{markdown_settings}\0{base}\0{urls}".encode()).hexdigest()


@dataclass(frozen=True)
class CachedRender(Rendered):
    """A render as the body cache keeps it: with the text of its first paragraph, an entry's default summary."""

    first_paragraph_text: str = ""


def with_first_paragraph(rendered: Rendered) -> CachedRender:
    """The render plus its first paragraph's text, worked out once, in the process that rendered it."""
    parts = {part.name: getattr(rendered, part.name) for part in fields(Rendered)}
    return CachedRender(**parts, first_paragraph_text=first_paragraph(rendered.html))


def _encode(rendered: CachedRender) -> bytes:
    """A render and its first paragraph as a marshalled tuple of strings: read back far faster than JSON."""
    return marshal.dumps((rendered.html, tuple(rendered.ids), tuple(rendered.links), tuple(rendered.missing_files),
                          tuple(rendered.images_without_alt), tuple(rendered.bad_schemes),
                          rendered.first_paragraph_text))


def _decode(blob: bytes) -> CachedRender:
    """Rebuild a render from its row, checking the shape so a damaged row is noticed."""
    value = marshal.loads(blob)  # only plain values: nothing in a row is ever run
    if not (type(value) is tuple and len(value) == 7 and type(value[0]) is str and type(value[6]) is str
            and all(type(part) is tuple and all(type(s) is str for s in part) for part in value[1:6])):
        raise ValueError("unexpected cache row")
    return CachedRender(*value)


@dataclass(frozen=True)
class BodyCache:
    """An open cache database; `warning` says why an old cache was discarded, if it was."""

    connection: sqlite3.Connection
    warning: str = ""

    def get_many(self, keys: list[str]) -> dict[str, CachedRender]:
        """The cached renders among keys; a damaged row raises CacheCorrupt."""
        found: dict[str, CachedRender] = {}
        try:
            rows = self.connection.execute("SELECT key, value FROM bodies").fetchall()
            wanted = set(keys)
            for key, value in rows:
                if key in wanted:
                    found[key] = _decode(value)
        except (sqlite3.DatabaseError, ValueError, TypeError, EOFError) as err:
            raise CacheCorrupt(str(err)) from None
        return found

    def keep_only(self, fresh: dict[str, CachedRender], used: set[str]) -> None:
        """Store the new renders and drop entries this build did not use, in one transaction."""
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)",
                                        [(k, _encode(v)) for k, v in fresh.items()])
            self.connection.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
            self.connection.execute("DELETE FROM used")
            self.connection.executemany("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in used])
            self.connection.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM used)")

    def close(self) -> None:
        """Close the database."""
        self.connection.close()


class CacheCorrupt(Exception):
    """A cache (bodies or content models) cannot be trusted and must be thrown away."""


def connect_cache(path: Path, table: str, value_type: str, fmt: str) -> sqlite3.Connection:
    """Open (creating if need be) a one-table key/value cache database and check its format marker."""
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


def _connect(path: Path) -> sqlite3.Connection:
    """Open the body cache database."""
    return connect_cache(path, "bodies", "BLOB", FORMAT)


def open_cache(project: Path) -> Optional[BodyCache]:
    """Open the site's body cache if there is one; a corrupt or foreign one is started afresh, with a warning."""
    folder = project / CACHE_DIR
    warning = ""
    if not folder.is_dir():
        return None  # only `build` creates the cache folder; `check` and friends leave the site alone
    for attempt in (1, 2):
        try:
            folder.mkdir(exist_ok=True)
            return BodyCache(_connect(folder / BODIES_FILE), warning)
        except (sqlite3.DatabaseError, CacheCorrupt) as err:
            warning = f"{CACHE_DIR}/{BODIES_FILE}: the build cache was unreadable ({err}); discarded it"
            try:
                discard(project)
            except OSError:
                break
        except OSError:
            break
    return BodyCache(_connect(Path(":memory:")), warning) if warning else None


def discard(project: Path) -> None:
    """Delete every cache file (bodies and the fast-path manifest)."""
    folder = project / CACHE_DIR
    for child in folder.glob("*") if folder.is_dir() else ():
        if child.is_file():
            child.unlink()


PARTS_FILE = "calendar-parts.bin"  # VEVENTs and single-event calendars (ics.ComponentBytes)
FEED_PARTS_FILE = "feed-parts.bin"  # feed files (feeds.outputs)
PARTS_FORMAT = "rethink-parts/2"  # both files: marshalled (format, {key: (bytes, (zone ids))}); feeds have no zones
OLD_PARTS_FILES = ("calendar-parts.json", "feed-parts.json")  # format 1 (JSON), removed once replaced


def load_parts(project: Path, name: str = PARTS_FILE) -> dict[str, tuple[bytes, tuple[str, ...]]]:
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


def save_parts(project: Path, parts: dict[str, tuple[bytes, tuple[str, ...]]], name: str = PARTS_FILE) -> None:
    """Keep this build's parts for the next build (atomically; failing only costs speed)."""
    folder = project / CACHE_DIR
    if not folder.is_dir():
        return
    temporary = folder / f"{name}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(marshal.dumps((PARTS_FORMAT, {key: (bytes(data), tuple(zones))
                                                            for key, (data, zones) in parts.items()})))
        os.replace(temporary, folder / name)
        for old in OLD_PARTS_FILES:
            (folder / old).unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)
