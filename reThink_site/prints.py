"""Stable digests of content values, so caches can tell exactly what changed between builds.

Digests must not depend on the process (string hashing randomises set order), so models are
unpacked field by field and sets sorted before anything is hashed.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import fields, is_dataclass
from collections.abc import Mapping
from typing import Any, Callable

from pydantic import BaseModel

from reThink_site.index import Entry


_SIMPLE = frozenset({str, int, float, bool, type(None), bytes})


Printer = Callable[[Entry, dict], bytes]


def _feed(digest: Any, value: Any, entry_prints: dict[int, bytes], printer: Printer) -> None:
    """Add a value to a digest: entries by their print, containers item by item, the rest pickled."""
    if type(value) in _SIMPLE:
        digest.update(b"S" + pickle.dumps(value, 4))
    elif isinstance(value, Entry):
        digest.update(b"E" + printer(value, entry_prints))
    elif isinstance(value, (tuple, list)):
        digest.update(b"(%d" % len(value))
        if value and set(map(type, value)) == {Entry}:  # the common long list: the same bytes, fed at once
            known = entry_prints.get
            digest.update(b"".join(b"E" + (known(id(item)) or printer(item, entry_prints)) for item in value))
            return
        for item in value:
            _feed(digest, item, entry_prints, printer)
    elif isinstance(value, Mapping):
        digest.update(b"{%d" % len(value))
        for key, item in value.items():
            _feed(digest, key, entry_prints, printer)
            _feed(digest, item, entry_prints, printer)
    elif is_dataclass(value) and not isinstance(value, type):
        digest.update(b"D" + type(value).__qualname__.encode())
        for part in fields(value):
            _feed(digest, getattr(value, part.name), entry_prints, printer)
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
    if key not in entry_prints and entry.inputs_key:  # the cache keys it was made from fix all of those
        head = f"inputs\0{entry.kind}\0{entry.url}\0{entry.inputs_key}"
        entry_prints[key] = hashlib.sha256(head.encode()).digest()
    if key not in entry_prints:
        head = "\0".join((entry.kind, entry.url, entry.summary, *entry.ids))
        digest = hashlib.sha256(f"{len(entry.ids)}\0{head}\0".encode())
        digest.update(entry.html.encode())
        digest.update(item_bytes(entry.item))
        entry_prints[key] = digest.digest()
    return entry_prints[key]


def front_print(entry: Entry, entry_prints: dict[int, bytes]) -> bytes:
    """A digest of what a template can read from an entry without its body: its front matter, URL, summary.

    The HTML, heading ids and Markdown body are left out; a page that reads them records that
    (pagememo.BODY_READ) and adds the entry's whole print. Without the front matter's key (no cache),
    this is the whole print.
    """
    key = id(entry)
    if key not in entry_prints:
        if entry.front_key:
            head = f"front\0{entry.kind}\0{entry.url}\0{entry.front_key}\0{entry.summary}"
            entry_prints[key] = hashlib.sha256(head.encode()).digest()
        else:
            entry_prints[key] = entry_print(entry, {})
    return entry_prints[key]


def feed_value(digest: Any, value: Any, entry_prints: dict[int, bytes], printer: Printer = entry_print) -> None:
    """Add a value to a digest the way value_print hashes it (for a key with several values)."""
    _feed(digest, value, entry_prints, printer)


def value_print(value: Any, entry_prints: dict[int, bytes], printer: Printer = entry_print) -> str:
    """A digest of any value a page can be given or read from the Site."""
    digest = hashlib.sha256()
    _feed(digest, value, entry_prints, printer)
    return digest.hexdigest()
