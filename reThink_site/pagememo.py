"""Skips re-rendering content pages whose inputs are unchanged, by recording what each page read.

Templates see the Site through `TrackedSite`, which notes every attribute a page reads
(`site.upcoming`, `site.person_url`, ...). A page's key is a digest of the code, the theme, the
config, its own entries and the current value of every Site attribute it read last time. When the
key is the same and the live output still holds exactly the bytes that page got last time
(treestate.py checks inode, size and mtime), the page is taken from the live site instead of being
rendered again. Anything else — a new template, another package version, a changed list the page
showed — renders it afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import jinja2
import jinja2.meta
from pydantic import BaseModel

from reThink_site import cache, treestate, writer
from reThink_site.index import Entry, Site
from reThink_site.outputs import OutputFile

FORMAT = "rethink-pages/2"
MEMO_FILE = "pages.json"
CLOCK_GLOBALS = ("now", "today")


class Recorder:
    """The Site attributes read while one page renders (one per build and worker, never global)."""

    def __init__(self) -> None:
        self.reads: Optional[set[str]] = None

    def start(self) -> None:
        """Begin recording for a page."""
        self.reads = set()

    def stop(self) -> tuple[str, ...]:
        """End recording; the attribute names read, sorted."""
        reads, self.reads = self.reads or set(), None
        return tuple(sorted(reads))


class TrackedSite:
    """The Site as templates and filters see it: every attribute read is noted by the recorder."""

    def __init__(self, site: Site, recorder: Recorder) -> None:
        object.__setattr__(self, "_site", site)
        object.__setattr__(self, "_recorder", recorder)

    def __getattr__(self, name: str) -> Any:
        reads = self._recorder.reads
        if reads is not None:
            reads.add(name)
        return getattr(self._site, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the site is read-only")


def _feed(digest: Any, value: Any, entry_prints: dict[int, bytes]) -> None:
    """Add a value to a digest: entries by their print, containers item by item, the rest pickled."""
    if isinstance(value, Entry):
        digest.update(b"E" + entry_print(value, entry_prints))
    elif isinstance(value, (tuple, list)):
        digest.update(b"(%d" % len(value))
        for item in value:
            _feed(digest, item, entry_prints)
    elif isinstance(value, Mapping):
        digest.update(b"{%d" % len(value))
        for key, item in value.items():
            _feed(digest, key, entry_prints)
            _feed(digest, item, entry_prints)
    elif is_dataclass(value) and not isinstance(value, type):
        digest.update(b"D" + type(value).__qualname__.encode())
        for part in fields(value):
            _feed(digest, getattr(value, part.name), entry_prints)
    elif callable(value) and hasattr(value, "__self__"):  # a Site method: pure code, in the package digest
        digest.update(b"M" + value.__qualname__.encode())
    else:
        digest.update(b"P" + stable_bytes(value))


def _plain(value: Any) -> Any:
    """The value as nested tuples that pickle the same in every process (sets sorted, models unpacked)."""
    if isinstance(value, BaseModel):
        extra = value.__pydantic_extra__ or {}
        return (type(value).__qualname__, tuple((k, _plain(v)) for k, v in value.__dict__.items()),
                tuple((k, _plain(v)) for k, v in extra.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_plain(v)) for v in value)))
    if isinstance(value, Mapping):
        return ("map", tuple((_plain(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


def stable_bytes(value: Any) -> bytes:
    """Pickled bytes that depend only on the value, not on this process's string hashing."""
    return pickle.dumps(_plain(value), 4)


def item_bytes(item: BaseModel) -> bytes:
    """A content model as bytes: pydantic's JSON (fast), plus the types of fields JSON would blur."""
    try:
        data = item.model_dump_json().encode()
    except ValueError:  # a value JSON cannot hold: the slower exact form
        return stable_bytes(item)
    kinds = [type(v).__name__ for v in (*item.__dict__.values(), *(item.__pydantic_extra__ or {}).values())]
    return data + b"\0" + " ".join(kinds).encode()


def entry_print(entry: Entry, entry_prints: dict[int, bytes]) -> bytes:
    """A digest of everything a template can read from an entry (its item, URL, HTML, summary)."""
    key = id(entry)
    if key not in entry_prints:
        head = stable_bytes((entry.kind, entry.url, entry.summary, entry.ids))
        digest = hashlib.sha256(head)
        digest.update(entry.html.encode())
        digest.update(item_bytes(entry.item))
        entry_prints[key] = digest.digest()
    return entry_prints[key]


def value_print(value: Any, entry_prints: dict[int, bytes]) -> str:
    """A digest of any value a page can be given or read from the Site."""
    digest = hashlib.sha256()
    _feed(digest, value, entry_prints)
    return digest.hexdigest()


def theme_print(env: jinja2.Environment, site: Site, package: str) -> str:
    """A digest of the code, every template and the config; plus the clock if any template reads it."""
    digest = hashlib.sha256(f"{FORMAT}\0{package}\0".encode())
    loader = env.loader
    clock = False
    for name in sorted(env.list_templates()):
        source, _, _ = loader.get_source(env, name) if loader else ("", None, None)
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
        if name.endswith((".html", ".txt", ".xml")):
            try:
                used = jinja2.meta.find_undeclared_variables(env.parse(source))
            except jinja2.TemplateSyntaxError:
                used = set(CLOCK_GLOBALS)  # it fails when rendered anyway; never reuse around it
            clock = clock or bool(used & set(CLOCK_GLOBALS))
    digest.update(stable_bytes(site.config))
    if clock:
        digest.update(stable_bytes(site.now))
    return digest.hexdigest()


class PageMemo:
    """Last build's page keys, and which of those pages the live output still holds unchanged."""

    def __init__(self, cache_dir: Path, site: Site, theme: str, live: Mapping[str, str], output: Path) -> None:
        self.cache_dir, self.site, self.theme, self.live, self.output = cache_dir, site, theme, live, output
        self.entry_prints: dict[int, bytes] = {}
        self.site_prints: dict[str, str] = {}
        self.recorded: dict[str, list] = {}
        self.fresh: dict[str, list] = {}
        try:
            data = json.loads((cache_dir / MEMO_FILE).read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("pages"), dict):
                self.recorded = data["pages"]
        except (OSError, ValueError):
            pass

    def _site_print(self, name: str) -> str:
        if name not in self.site_prints:
            self.site_prints[name] = value_print(getattr(self.site, name, None), self.entry_prints)
        return self.site_prints[name]

    def key(self, job: tuple, reads: Iterable[str]) -> str:
        """The digest of everything this page's bytes depend on."""
        path, url, template, context = job
        digest = hashlib.sha256(f"{self.theme}\0{path}\0{url}\0{template}\0".encode())
        for name in sorted(context):
            digest.update(name.encode() + b"=" + value_print(context[name], self.entry_prints).encode())
        for name in reads:
            digest.update(b"site." + name.encode() + b"=" + self._site_print(name).encode())
        return digest.hexdigest()

    def reuse(self, job: tuple) -> Optional[OutputFile]:
        """The live output's copy of this page when nothing it depends on changed, else None."""
        path = job[0]
        record = self.recorded.get(path)
        if not (isinstance(record, list) and len(record) == 3 and isinstance(record[0], list)
                and all(isinstance(n, str) for n in record[0])):
            return None
        reads, key, digest = record
        if self.live.get(path) != digest or self.key(job, reads) != key:
            return None
        self.fresh[path] = record
        return OutputFile(path, source=self.output / path, digest=digest)

    def remember(self, page: OutputFile, job: tuple, reads: tuple[str, ...]) -> None:
        """Note what a freshly rendered page read, for the next build."""
        self.fresh[page.path] = [list(reads), self.key(job, reads), page.content_digest()]

    def save(self) -> None:
        """Write this build's page records (atomically; a failure only costs speed next time)."""
        temporary = self.cache_dir / f"{MEMO_FILE}.{os.getpid()}.tmp"
        try:
            temporary.write_text(json.dumps({"format": FORMAT, "pages": self.fresh}, separators=(",", ":")),
                                 encoding="utf-8")
            os.replace(temporary, self.cache_dir / MEMO_FILE)
        except OSError:
            temporary.unlink(missing_ok=True)


def open_memo(cache_dir: Path, output: Path, env: jinja2.Environment, site: Site) -> PageMemo:
    """The memo of the last build, trusting only the live pages that are exactly as it left them."""
    state = treestate.load(cache_dir, output)
    live: dict[str, str] = {}
    if state.live and output.is_dir():
        try:
            live = treestate.trusted(writer.walk_files(output), state.live)
        except OSError:
            live = {}
    return PageMemo(cache_dir, site, theme_print(env, site, cache.package_fingerprint()), live, output)
