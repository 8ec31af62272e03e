"""Loading many content files fast: parsed in workers, and kept in .rethink-cache/models.sqlite by their bytes."""

from __future__ import annotations

import importlib
import io
import os
import pickle
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import pydantic
import yaml

from reThink_site.content.files import read_bytes
from reThink_site.content.frontmatter import BaseLoader  # the C or the Python YAML loader: their messages differ
from reThink_site.content.loader import FileResult, SourceFile, parse_file, unreadable_file
from reThink_site.core.errors import Problem
from reThink_site.incremental.cachedir import CACHE_DIR, CacheCorrupt, connect_cache
from reThink_site.incremental.fingerprints import Freshness, stable_bytes
from reThink_site.incremental.parallel import fork_map

MODELS_FILE = "models.sqlite"
FORMAT = "rethink-model-cache/3"  # 3: models live in reThink_site.content

# Everything a cached result may name besides the content models: problems, dates and zones. Anything else
# is refused, so a planted cache file cannot run code.
ALLOWED_GLOBALS = frozenset({
    ("reThink_site.core.errors", "Problem"),
    ("reThink_site.content.loader", "FailedFile"),
    ("reThink_site.content.loader", "FileResult"),
    ("reThink_site.incremental.contentcache", "zone_by_key"),
    ("reThink_site.incremental.contentcache", "rebuild_model"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "timedelta"), ("datetime", "timezone"),
})


def content_models() -> tuple[type, ...]:
    """Every model class content/models.py defines or re-exports: a new one is cached exactly with no change here."""
    from reThink_site.content import models

    return tuple(value for value in vars(models).values() if isinstance(value, type)
                 and issubclass(value, pydantic.BaseModel) and value.__module__.startswith("reThink_site.content."))


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


def encoder() -> Callable[[Any], bytes]:
    """A dumps() for parse results in the cache's format (zones by key, models exactly; NotExact if it cannot be).

    The table of how each model class pickles is made once here, not once per file.
    """
    from zoneinfo import ZoneInfo

    dispatch = {ZoneInfo: _reduce_zone, **{cls: _reduce_model for cls in content_models()}}

    def dumps(value: Any) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = dispatch
        pickler.dump(value)
        return buffer.getvalue()

    return dumps


def decoder() -> Callable[[bytes], Any]:
    """A loads() for cached results: resolves only the content models and ALLOWED_GLOBALS, refusing any other name."""
    resolved = {(module, name): getattr(importlib.import_module(module), name) for module, name in ALLOWED_GLOBALS}
    resolved.update({(cls.__module__, cls.__name__): cls for cls in content_models()})

    class SafeUnpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            try:
                return resolved[(module, name)]
            except KeyError:
                raise pickle.UnpicklingError(f"unexpected name {module}.{name}") from None

    return lambda blob: SafeUnpickler(io.BytesIO(blob)).load()


_CLOSING_LINE = re.compile(rb"\n(?:---|\.\.\.)[ \t\r\x0b\x0c]*(?=\n|\Z)")


def front_matter_bytes(raw: bytes) -> bytes:
    """The file up to the line that closes its front matter (all of it when none does).

    Everything a model holds but its body comes from these bytes (with the file's name and kind). The
    cut is never early: the first `---` line found here is a line frontmatter.split also sees, and it
    may find an earlier one (at a lone carriage return), which only makes this prefix longer.
    """
    closing = _CLOSING_LINE.search(raw)
    return raw[:closing.end()] if closing else raw


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


MIN_FILES_PER_WORKER = 250  # parsing a file takes ~0.2 ms: a worker needs this many to pay for its fork


def parse_many(sources: list[SourceFile], raws: list[Optional[bytes]], context: dict,
               jobs: int) -> list[tuple[FileResult, Optional[bytes]]]:
    """Parse files on up to `jobs` cores: each result, and its pickle when it came from a worker."""
    parent, dumps = os.getpid(), encoder()

    def parse_one(index: int) -> FileResult | bytes | None:
        result = parse_file(sources[index], raws[index], context)
        if os.getpid() == parent:
            return result
        try:
            return dumps(result)  # workers send pickles
        except NotExact:
            return None  # the parent parses this one itself

    found = fork_map(parse_one, range(len(sources)), jobs, MIN_FILES_PER_WORKER)
    loads = decoder()
    return [(loads(out), out) if isinstance(out, bytes)
            else (out, None) if out is not None
            else (parse_file(sources[index], raws[index], context), None) for index, out in enumerate(found)]


def stored_form(result: FileResult, dumps: Callable[[Any], bytes]) -> Optional[bytes]:
    """A result's pickle for the cache, or None when it would not come back exact."""
    try:
        return dumps(result)
    except NotExact:
        return None


def read_all(sources: list[SourceFile]) -> tuple[list[Optional[bytes]], dict[int, FileResult]]:
    """Every file's bytes (None where unreadable), and the results of the unreadable ones."""
    raws: list[Optional[bytes]] = []
    failed: dict[int, FileResult] = {}
    for index, source in enumerate(sources):
        try:
            raws.append(read_bytes(source.file.path))
        except OSError as err:
            raws.append(None)
            failed[index] = unreadable_file(source.kind, source.file.name, source.file.stem, err)
    return raws, failed


def cached_results(opened: ModelCache, keys: dict[int, str]) -> tuple[dict[int, FileResult], set[str]]:
    """The results stored for these keys, and every stored key; a damaged entry raises CacheCorrupt."""
    stored = opened.get_all()
    found: dict[int, FileResult] = {}
    loads = decoder()
    for index, key in keys.items():
        if key in stored:
            try:
                result = loads(stored[key])
            except Exception as err:  # noqa: BLE001 (a damaged pickle can fail in many ways)
                raise CacheCorrupt(f"bad entry: {err}") from None
            if not isinstance(result, FileResult):
                raise CacheCorrupt("bad entry")
            found[index] = result
    return found, set(stored)


def parse_in_workers(jobs: int) -> Callable[[Sequence[SourceFile], dict], list[FileResult]]:
    """The load stage's parse on up to `jobs` cores, with no cache (--no-cache)."""
    def parse(sources: Sequence[SourceFile], context: dict) -> list[FileResult]:
        return [result for result, _ in parse_many(list(sources), [None] * len(sources), context, jobs)]
    return parse


class CachedParse:
    """The load stage's parse with the content cache: unchanged files from the cache, the rest in workers.

    After a parse, `keys` and `front_keys` give each read file's cache key and the key of its front
    matter alone, by file name: the page memo prints entries by them.
    """

    def __init__(self, project: Path, freshness: Freshness, jobs: int, notes: list[Problem]) -> None:
        self.project, self.freshness, self.jobs, self.notes = project, freshness, jobs, notes
        self.keys: dict[str, str] = {}
        self.front_keys: dict[str, str] = {}

    def __call__(self, sources: Sequence[SourceFile], context: dict) -> list[FileResult]:
        """Every file's result in order."""
        sources, project = list(sources), self.project
        opened = open_cache(project)
        if opened is None:
            return [result for result, _ in parse_many(sources, [None] * len(sources), context, self.jobs)]
        warning = opened.warning
        raws, results = read_all(sources)
        shared = self.freshness.key("content", pydantic.VERSION, yaml.__version__, BaseLoader.__name__,
                                    stable_bytes(context))
        keys = {i: self.freshness.key(shared, s.kind, s.file.name, raws[i]) for i, s in enumerate(sources)
                if raws[i] is not None}
        try:
            found, stored = cached_results(opened, keys)
        except CacheCorrupt as err:
            warning = unreadable(err)
            opened.close()
            discard(project)
            found, stored, opened = {}, set(), open_cache(project)
        results.update(found)
        todo = [i for i in keys if i not in found]
        fresh: dict[str, bytes] = {}
        dumps = encoder()
        for index, (result, blob) in zip(todo, parse_many([sources[i] for i in todo], [raws[i] for i in todo],
                                                          context, self.jobs)):
            results[index] = result
            blob = blob if blob is not None else stored_form(result, dumps)
            if blob is not None:
                fresh[keys[index]] = blob
        stale = stored - set(keys.values())
        try:
            if opened is not None and (fresh or stale):
                opened.update(fresh, stale)
        except Exception as err:  # noqa: BLE001 (a cache that cannot be written only costs speed)
            warning = warning or f"{CACHE_DIR}: could not update the content cache ({err})"
        if opened is not None:
            opened.close()
        if warning:
            self.notes.append(Problem(CACHE_DIR, 1, "", warning, "", "warning"))
        self.keys = {sources[i].file.name: key for i, key in keys.items()}
        self.front_keys = {sources[i].file.name: self.freshness.key(shared, sources[i].kind, sources[i].file.name,
                                                                     front_matter_bytes(raws[i])) for i in keys}
        return [results[i] for i in range(len(sources))]
