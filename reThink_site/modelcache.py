"""The persistent content cache in .rethink-cache/: each file's parse and validation result, keyed by its bytes."""

from __future__ import annotations

import gc
import hashlib
import re
import importlib
import io
import json
import pickle
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pydantic
import yaml

from reThink_site.cache import CACHE_DIR, CacheCorrupt, connect_cache, package_fingerprint

MODELS_FILE = "models.sqlite"
FORMAT = "rethink-model-cache/2"

# Everything a cached result may name: the models, problems, dates and zones. Anything else is refused,
# so a planted cache file cannot run code.
ALLOWED_GLOBALS = frozenset({
    *(("reThink_site.models", name) for name in
      ("Event", "Summary", "Insight", "Newsletter", "Page", "Person", "Location", "Link", "Image")),
    ("reThink_site.errors", "Problem"),
    ("reThink_site.loader", "FailedFile"),
    ("reThink_site.loader", "FileResult"),
    ("reThink_site.modelcache", "zone_by_key"), ("reThink_site.modelcache", "rebuild_model"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "timedelta"), ("datetime", "timezone"),
})


def zone_by_key(key: str) -> Any:
    """Rebuild a cached zone as the shared ZoneInfo instance a fresh parse would use."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(key)


def _reduce_zone(zone: Any) -> tuple:
    """Pickle a ZoneInfo by its key through zone_by_key, not through builtins.getattr."""
    return zone_by_key, (zone.key,)


class NotExact(Exception):
    """A value whose pickle would not unpickle into an exact copy (its field set would iterate differently)."""


def _ordered(items: tuple) -> set:
    """A set filled in the given order, as pydantic fills a model's field set (set() adds one by one)."""
    return set(items)


def _reduce_model(model: Any) -> tuple:
    """Pickle a model with its field set as the insertion order that recreates its iteration order."""
    # A plain pickle refills the set in iteration order, which can then iterate differently: a cached model
    # must equal a fresh one down to that order, so that it also pickles to the same bytes.
    fields_set = model.__pydantic_fields_set__
    extra = model.__pydantic_extra__
    own = {name: name for name in fields_set}  # the set's own string objects, keeping pickle's sharing
    order = tuple(own[name] for name in (*type(model).model_fields, *(extra or ())) if name in own)
    if len(order) != len(fields_set) or list(_ordered(order)) != list(fields_set):
        raise NotExact(type(model).__name__)
    return rebuild_model, (type(model), model.__dict__, extra, order, model.__pydantic_private__)


def rebuild_model(cls: type, values: dict, extra: Optional[dict], order: tuple, private: Any) -> Any:
    """Unpickle a model exactly: its values, extra fields, and field set refilled in pydantic's order."""
    if not (isinstance(cls, type) and issubclass(cls, pydantic.BaseModel) and isinstance(values, dict)):
        raise pickle.UnpicklingError("not a model")
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_extra__", extra)
    object.__setattr__(model, "__pydantic_fields_set__", _ordered(order))
    object.__setattr__(model, "__pydantic_private__", private)
    return model


def dumps(value: Any) -> bytes:
    """Pickle a parse result in the cache's format (zones by key, models exactly); NotExact if it cannot be."""
    from zoneinfo import ZoneInfo

    from reThink_site.models import KINDS, Image, Link, Location, Person

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {ZoneInfo: _reduce_zone, **{cls: _reduce_model for cls in (
        *KINDS.values(), Person, Location, Link, Image)}}
    pickler.dump(value)
    return buffer.getvalue()


def decoder() -> Callable[[bytes], Any]:
    """A loads() for cached results: resolves only ALLOWED_GLOBALS (looked up once), refusing any other name."""
    resolved = {(module, name): getattr(importlib.import_module(module), name) for module, name in ALLOWED_GLOBALS}

    class SafeUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            try:
                return resolved[(module, name)]
            except KeyError:
                raise pickle.UnpicklingError(f"unexpected name {module}.{name}") from None

    return lambda blob: SafeUnpickler(io.BytesIO(blob)).load()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while thousands of long-lived objects are made, then file them as old."""
    # Young objects are scanned by every young-generation collection; moving the loaded content straight to
    # the oldest generation (freeze then unfreeze: two list splices) skips those scans. Nothing is kept from
    # being collected: this changes only when, never whether.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # someone else's frozen objects stay frozen
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def context_hash(timezone: str, people: dict[str, dict]) -> str:
    """Everything besides a file's bytes, kind and name that its validation depends on."""
    from reThink_site.frontmatter import BaseLoader  # the C or the Python YAML loader: their messages differ

    versions = [package_fingerprint(), pydantic.VERSION, yaml.__version__, BaseLoader.__name__, sys.version]
    registry = json.dumps(list(people.items()), ensure_ascii=False, default=str)
    return hashlib.sha256("\0".join([*versions, timezone, registry]).encode()).hexdigest()


_CLOSING_LINE = re.compile(rb"\n(?:---|\.\.\.)[ \t\r\x0b\x0c]*(?=\n|\Z)")


def front_matter_bytes(raw: bytes) -> bytes:
    """The file up to the line that closes its front matter (all of it when none does).

    Everything a model holds but its body comes from these bytes (with the file's name and kind). The
    cut is never early: the first `---` line found here is a line frontmatter.split also sees, and it
    may find an earlier one (at a lone carriage return), which only makes this prefix longer.
    """
    closing = _CLOSING_LINE.search(raw)
    return raw[:closing.end()] if closing else raw


def entry_key(context: str, kind: str, name: str, raw: bytes) -> str:
    """The cache key of one content file."""
    digest = hashlib.sha256(f"{context}\0{kind}\0{name}\0".encode())
    digest.update(raw)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelCache:
    """An open content cache database; `warning` says why an old one was discarded, if it was."""

    connection: sqlite3.Connection
    warning: str = ""

    def get_all(self) -> dict[str, bytes]:
        """Every stored entry by key; an unreadable database raises CacheCorrupt."""
        try:
            rows = self.connection.execute("SELECT key, value FROM entries").fetchall()
        except sqlite3.DatabaseError as err:
            raise CacheCorrupt(str(err)) from None
        if not all(isinstance(k, str) and isinstance(v, bytes) for k, v in rows):
            raise CacheCorrupt("unexpected cache row")
        return dict(rows)

    def update(self, fresh: dict[str, bytes], stale: set[str]) -> None:
        """Store the new entries and drop the ones this build no longer uses, in one transaction."""
        with self.connection:
            self.connection.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in sorted(stale)])
            self.connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", sorted(fresh.items()))

    def close(self) -> None:
        """Close the database."""
        self.connection.close()


def _connect(path: Path) -> sqlite3.Connection:
    """Open the content cache database."""
    return connect_cache(path, "entries", "BLOB", FORMAT)


def unreadable(err: Exception) -> str:
    """The warning for a content cache that had to be thrown away."""
    return f"{CACHE_DIR}/{MODELS_FILE}: the content cache was unreadable ({err}); discarded it"


def open_cache(project: Path) -> Optional[ModelCache]:
    """Open the content cache if the cache folder exists; a corrupt one is started afresh, with a warning."""
    folder = project / CACHE_DIR
    if not folder.is_dir():
        return None  # only `build` creates the cache folder; `check` and friends leave the site alone
    try:
        return ModelCache(_connect(folder / MODELS_FILE))
    except (sqlite3.DatabaseError, CacheCorrupt) as err:
        warning = unreadable(err)
    except OSError:
        return None
    try:
        discard(project)
        return ModelCache(_connect(folder / MODELS_FILE), warning)
    except (sqlite3.DatabaseError, CacheCorrupt, OSError):
        return ModelCache(_connect(Path(":memory:")), warning)


def discard(project: Path) -> None:
    """Delete the content cache's files (and only those: the body cache stays)."""
    folder = project / CACHE_DIR
    for name in (MODELS_FILE, MODELS_FILE + "-journal", MODELS_FILE + "-wal", MODELS_FILE + "-shm"):
        (folder / name).unlink(missing_ok=True)
