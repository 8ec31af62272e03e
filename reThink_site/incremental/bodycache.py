"""The body cache, .rethink-cache/bodies.sqlite: rendered Markdown keyed by its text and all else it used."""

from __future__ import annotations

import json
import marshal
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from reThink_site.incremental.cachedir import CACHE_DIR, CacheCorrupt, connect_cache, discard_all
from reThink_site.incremental.fingerprints import Freshness, stable_bytes
from reThink_site.markdown.base import RenderedBody
from reThink_site.markdown.bodies import BodyJob, EngineSettings, MapItems, render_bodies

BODIES_FILE = "bodies.sqlite"
FORMAT = "rethink-body-cache/3"  # rows: marshalled tuples of strings


def _encode(rendered: RenderedBody) -> bytes:
    """A render and its first paragraph as a marshalled tuple of strings: read back far faster than JSON."""
    return marshal.dumps((rendered.html, tuple(rendered.ids), tuple(rendered.links), tuple(rendered.missing_files),
                          tuple(rendered.images_without_alt), tuple(rendered.bad_schemes),
                          rendered.first_paragraph_text))


def _decode(blob: bytes) -> RenderedBody:
    """Rebuild a render from its row, checking the shape so a damaged row is noticed."""
    value = marshal.loads(blob)  # only plain values: nothing in a row is ever run
    if not (type(value) is tuple and len(value) == 7 and type(value[0]) is str and type(value[6]) is str
            and all(type(part) is tuple and all(type(s) is str for s in part) for part in value[1:6])):
        raise ValueError("unexpected cache row")
    return RenderedBody(*value)


@dataclass(frozen=True)
class BodyCache:
    """An open cache database; `warning` says why an old cache was discarded, if it was."""

    connection: sqlite3.Connection
    warning: str = ""

    def get_many(self, keys: list[str]) -> dict[str, RenderedBody]:
        """The cached renders among keys; a damaged row raises CacheCorrupt."""
        found: dict[str, RenderedBody] = {}
        try:
            rows = self.connection.execute("SELECT key, value FROM bodies").fetchall()
            wanted = set(keys)
            for key, value in rows:
                if key in wanted:
                    found[key] = _decode(value)
        except (sqlite3.DatabaseError, ValueError, TypeError, EOFError) as err:
            raise CacheCorrupt(str(err)) from None
        return found

    def keep_only(self, fresh: dict[str, RenderedBody], used: set[str]) -> None:
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


def _connect(path: Path) -> sqlite3.Connection:
    """Open the body cache database."""
    return connect_cache(path, "bodies", "BLOB", FORMAT)


def open_cache(project: Path) -> Optional[BodyCache]:
    """Open the site's body cache if there is one; a corrupt or foreign one is started afresh, with a warning."""
    folder = project / CACHE_DIR
    warning = ""
    if not folder.is_dir():
        return None  # only `build` creates the cache folder; `check` and friends leave the site alone
    for _attempt in (1, 2):
        try:
            return BodyCache(_connect(folder / BODIES_FILE), warning)
        except (sqlite3.DatabaseError, CacheCorrupt) as err:
            warning = f"{CACHE_DIR}/{BODIES_FILE}: the build cache was unreadable ({err}); discarded it"
            try:
                discard_all(project)
            except OSError:
                break
        except OSError:
            break
    return BodyCache(_connect(Path(":memory:")), warning) if warning else None


@dataclass(frozen=True)
class CachedBodies:
    """The renders in job order, each job's cache key, and a note when the cache had to be thrown away."""

    rendered: tuple[RenderedBody, ...]
    keys: tuple[str, ...]
    warning: str = ""


def render_cached(jobs: Sequence[BodyJob], file_urls: dict[str, str], base: str, settings: EngineSettings,
                  project: Path, freshness: Freshness, map_items: MapItems) -> CachedBodies:
    """Every body: unchanged ones from the cache, the rest rendered by the Markdown stage."""
    opened = open_cache(project)
    if opened is None:
        return CachedBodies(tuple(render_bodies(jobs, file_urls, base, settings, map_items)), ())
    warning = opened.warning
    links = json.dumps(sorted(file_urls.items()), ensure_ascii=False)
    context = freshness.key("bodies", stable_bytes(settings), base, links)
    keys = [freshness.key(context, job.source_dir, job.body) for job in jobs]
    try:
        found = opened.get_many(keys)
    except CacheCorrupt as err:
        warning = f"{CACHE_DIR}: the build cache was unreadable ({err}); discarded it"
        opened.close()
        discard_all(project)
        opened, found = open_cache(project) or BodyCache(_connect(Path(":memory:"))), {}
    todo = [index for index, key in enumerate(keys) if key not in found]
    fresh = dict(zip(todo, render_bodies([jobs[i] for i in todo], file_urls, base, settings, map_items)))
    try:
        opened.keep_only({keys[i]: r for i, r in fresh.items()}, set(keys))
    except Exception as err:  # noqa: BLE001 (a cache that cannot be written only costs speed)
        warning = warning or f"{CACHE_DIR}: could not update the build cache ({err})"
    opened.close()
    rendered = tuple(fresh[i] if i in fresh else found[keys[i]] for i in range(len(jobs)))
    return CachedBodies(rendered, tuple(keys), warning)
