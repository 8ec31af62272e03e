"""The one freshness rule: every cache keys its work by the code's fingerprint plus the values it used.

`code_fingerprint` hashes every module of every subpackage, the default theme and the versions of
the libraries that shape output (the files `core.install.code_files` lists, which the fast path
compares by size and mtime), so new code never reuses old work. `Freshness.key` is the only
way a cache makes a key, and `Prints` turns the values an output depends on (entries, lists, the
config) into stable digests. Digests must not depend on the process (string hashing randomises set
order), so models are unpacked field by field and sets sorted before anything is hashed.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, Callable

from reThink_site.core import install

RENDERING_LIBRARIES = ("markdown", "pyromark", "jinja2", "markupsafe", "icalendar", "feedgen", "lxml", "css-inline",
                       "pydantic", "pyyaml", "python-dateutil", "tzdata")
_SIMPLE = frozenset({str, int, float, bool, type(None), bytes})


def code_fingerprint() -> str:
    """A digest of the package's code, its default theme and the libraries that shape output."""
    from importlib import metadata  # 20 ms to import: only builds that do work pay for it

    from reThink_site import __version__

    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for name in RENDERING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    root = install.PACKAGE_DIR.parent
    for path in install.code_files():
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_digest(item: Any) -> str:
    """A digest of an output file's bytes, to tell whether an older tree already holds them (not for security)."""
    if item.digest is not None:
        return item.digest
    return bytes_digest(item.data or b"" if item.source is None else item.source.read_bytes())


def bytes_digest(data: bytes) -> str:
    """The digest file_digest gives these bytes (`--verify` compares a file on disk with its record by it)."""
    return hashlib.sha256(data).hexdigest()[:32]


class Freshness:
    """One build's key maker: every key holds the code's fingerprint, then what the cache names."""

    def __init__(self, code: str) -> None:
        self.code = code

    def key(self, *parts: str | bytes) -> str:
        """The digest of the code and the given parts, each kept apart from the next."""
        digest = hashlib.sha256(self.code.encode() + b"\0")
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode())
            digest.update(b"\0")
        return digest.hexdigest()


def _plain(value: Any, model_type: type) -> Any:
    """The value as nested tuples that pickle the same in every process (sets sorted, models unpacked)."""
    if isinstance(value, model_type):
        extra = value.__pydantic_extra__ or {}
        return (type(value).__qualname__, tuple((k, _plain(v, model_type)) for k, v in value.__dict__.items()),
                tuple((k, _plain(v, model_type)) for k, v in extra.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_plain(v, model_type)) for v in value)))
    if isinstance(value, Mapping):
        return ("map", tuple((_plain(k, model_type), _plain(v, model_type)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v, model_type) for v in value)
    return value


def stable_bytes(value: Any) -> bytes:
    """Pickled bytes that depend only on the value, not on this process's string hashing."""
    from pydantic import BaseModel

    return pickle.dumps(_plain(value, BaseModel), 4)


def item_bytes(item: Any) -> bytes:
    """A content model as bytes: pydantic's JSON (fast), plus the types of fields JSON would blur."""
    try:
        data = item.model_dump_json().encode()
    except ValueError:  # a value JSON cannot hold: the slower exact form
        return stable_bytes(item)
    kinds = [type(v).__name__ for v in (*item.__dict__.values(), *(item.__pydantic_extra__ or {}).values())]
    return data + b"\0" + " ".join(kinds).encode()


class Prints:
    """Digests of entries and values for one build, each entry printed once.

    `source_keys` maps a content file to the cache keys it was read and rendered under (its whole
    key, and the key of its front matter alone); with them an entry is printed from its keys, not
    its bytes. An entry's *front* print leaves its HTML, heading ids and Markdown body out: a page
    that reads those records it and adds the *whole* print.
    """

    def __init__(self, source_keys: Mapping[str, tuple[str, str]] | None = None) -> None:
        from reThink_site.content.index import Entry

        self.entry_type = Entry
        self.source_keys = source_keys or {}
        self.whole: dict[int, bytes] = {}
        self.front: dict[int, bytes] = {}

    def whole_print(self, entry: Any) -> bytes:
        """A digest of everything a template can read from an entry (its item, URL, HTML, summary)."""
        key = id(entry)
        if key not in self.whole:
            inputs, _ = self.source_keys.get(entry.item.source_path, ("", ""))
            if inputs:  # the cache keys it was made from fix all of those
                self.whole[key] = hashlib.sha256(f"inputs\0{entry.kind}\0{entry.url}\0{inputs}".encode()).digest()
            else:
                head = "\0".join((entry.kind, entry.url, entry.summary, *entry.ids))
                digest = hashlib.sha256(f"{len(entry.ids)}\0{head}\0".encode())
                digest.update(entry.html.encode())
                digest.update(item_bytes(entry.item))
                self.whole[key] = digest.digest()
        return self.whole[key]

    def front_print(self, entry: Any) -> bytes:
        """A digest of an entry without its body: its front matter, URL and summary (whole without keys)."""
        key = id(entry)
        if key not in self.front:
            _, front = self.source_keys.get(entry.item.source_path, ("", ""))
            if front:
                head = f"front\0{entry.kind}\0{entry.url}\0{front}\0{entry.summary}"
                self.front[key] = hashlib.sha256(head.encode()).digest()
            else:
                self.front[key] = self.whole_print(entry)
        return self.front[key]

    def feed(self, digest: Any, value: Any, front: bool = False) -> None:
        """Add a value to a digest: entries by their print, containers item by item, the rest pickled."""
        self._feed(digest, value, self.front_print if front else self.whole_print)

    def value(self, value: Any, front: bool = False) -> str:
        """A digest of any value an output can be given or read from the Site."""
        digest = hashlib.sha256()
        self.feed(digest, value, front)
        return digest.hexdigest()

    def _feed(self, digest: Any, value: Any, printer: Callable[[Any], bytes]) -> None:
        entry_type = self.entry_type
        if type(value) in _SIMPLE:
            digest.update(b"S" + pickle.dumps(value, 4))
        elif isinstance(value, entry_type):
            digest.update(b"E" + printer(value))
        elif isinstance(value, (tuple, list)):
            digest.update(b"(%d" % len(value))
            if value and set(map(type, value)) == {entry_type}:  # the common long list: fed at once
                digest.update(b"".join(b"E" + printer(item) for item in value))
                return
            for item in value:
                self._feed(digest, item, printer)
        elif isinstance(value, Mapping):
            digest.update(b"{%d" % len(value))
            for key, item in value.items():
                self._feed(digest, key, printer)
                self._feed(digest, item, printer)
        elif is_dataclass(value) and not isinstance(value, type):
            digest.update(b"D" + type(value).__qualname__.encode())
            for part in fields(value):
                self._feed(digest, getattr(value, part.name), printer)
        elif callable(value) and hasattr(value, "__self__"):  # a Site method: pure code, in the code digest
            digest.update(b"M" + value.__qualname__.encode())
        else:
            digest.update(b"P" + stable_bytes(value))
