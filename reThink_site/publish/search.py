"""Full-text search for a static site with no server: Pagefind indexes the pages held in memory."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from reThink_site.core.errors import SiteError
from reThink_site.core.outputs import OutputFile

SEARCH_FOLDER = "pagefind"  # where Pagefind writes its index and UI, relative to the site root
REQUIRED_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css")  # the theme loads these
COMPRESSED_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
COMPRESSED_SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file holds once unpacked
PAGE_MARK = b"data-pagefind-body"  # the theme marks the part of a content page readers search
_ARTICLE_TAG = re.compile(rb"<(/?)article\b[^>]*>", re.IGNORECASE)
_HTML_LANG = re.compile(rb"<html\b[^>]*?\slang=\"([^\"]*)\"", re.IGNORECASE)
_HINT = "build without search using --no-search"


class SearchIndexError(SiteError):
    """Pagefind is missing or failed; the build stops and leaves the published site alone."""


@dataclass(frozen=True)
class SearchRecord:
    """What Pagefind reads of one content page: its URL and the page cut down to its marked article."""

    url: str
    html: str


def pagefind_binary() -> Optional[Path]:
    """The Pagefind executable shipped by the `pagefind[bin]` wheel (or PAGEFIND_BINARY_PATH), if any."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    return binary if binary is not None and binary.is_file() else None


def is_searchable(file: OutputFile) -> bool:
    """Only HTML pages can hold a marked article (calendars, feeds and assets never do)."""
    return file.path.endswith(".html") and not file.path.startswith(f"{SEARCH_FOLDER}/")


def page_record(file: OutputFile) -> Optional[SearchRecord]:
    """The record of a page whose theme marks an article for search; None for every other page."""
    data = file.data if file.data is not None else file.source.read_bytes() if file.source is not None else b""
    return record_of(file.site_path, data)


def record_of(url: str, data: bytes) -> Optional[SearchRecord]:
    """The marked `<article>` (nested ones included) and the page's language, as a small HTML page."""
    mark = data.find(PAGE_MARK)
    if mark < 0:
        return None
    start = data.rfind(b"<article", 0, mark)
    if start < 0:
        return None
    depth, end = 0, len(data)
    for tag in _ARTICLE_TAG.finditer(data, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = tag.end()
            break
    lang = _HTML_LANG.search(data, 0, start)
    opening = b'<html lang="%s">' % lang.group(1) if lang else b"<html>"
    page = b"<!DOCTYPE html>" + opening + b"<body>" + data[start:end] + b"</body></html>"
    return SearchRecord(url, page.decode("utf-8", "replace"))


def page_records(files: Iterable[OutputFile]) -> list[SearchRecord]:
    """The records of every searchable page, each made afresh."""
    return [record for file in files if is_searchable(file) and (record := page_record(file)) is not None]


class Indexer:
    """One Pagefind `--service` run, spoken to in its own protocol (base64 JSON, each message ended by a comma).

    The records are streamed in on a thread while the build writes the site, so Pagefind indexes while
    the disk is busy; `finish` then has it write the index into the finished tree. (The `pagefind`
    package's asyncio client reads one reply per 0.1 s, far too slow for thousands of pages.)
    """

    def __init__(self, binary: Path, records: Sequence[SearchRecord]) -> None:
        try:
            self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as err:
            raise SearchIndexError(f"could not run the search indexer {binary}: {err}; {_HINT}") from None
        self.replies: dict[int, dict] = {}
        self.ended = False
        self.arrived = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.sent = 0
        self._send([{"type": "NewIndex", "config": None}])
        try:
            self.index_id = self._reply(1).get("index_id")
        except SearchIndexError:
            self.close()
            raise
        pages = [{"type": "AddFile", "index_id": self.index_id, "file_path": None, "url": record.url,
                  "file_contents": record.html} for record in sorted(records, key=lambda r: r.url)]
        self.writer = threading.Thread(target=self._send, args=(pages,), daemon=True)
        self.writer.start()

    def _send(self, payloads: list[dict]) -> None:
        """Write the requests, numbered from 1; a dead indexer shows up as missing replies."""
        try:
            assert self.process.stdin is not None
            for payload in payloads:
                self.sent += 1
                message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
                self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except (OSError, ValueError):
            pass

    def _read(self) -> None:
        """Collect every reply by its message id until the indexer closes its output."""
        assert self.process.stdout is not None
        pending = b""
        while chunk := self.process.stdout.read1(1 << 20):
            *messages, pending = (pending + chunk).split(b",")
            with self.arrived:
                for message in messages:
                    reply = json.loads(base64.b64decode(message))
                    number = reply.get("message_id")
                    if number is None:  # a message Pagefind could not read names itself in the error
                        original = reply.get("payload", {}).get("original_message") or "{}"
                        number = json.loads(original).get("message_id")
                    self.replies[number] = reply.get("payload", {})
                self.arrived.notify_all()
        with self.arrived:
            self.ended = True
            self.arrived.notify_all()

    def _reply(self, number: int) -> dict:
        """The reply to one message, once it has come; raise SearchIndexError for an error or a dead indexer."""
        with self.arrived:
            self.arrived.wait_for(lambda: number in self.replies or self.ended)
            answer = self.replies.get(number)
        if answer is None:
            raise SearchIndexError(f"the search indexer (Pagefind) stopped before it was done; {_HINT}")
        if answer.get("type") == "Error":
            raise SearchIndexError(f"the search indexer (Pagefind) failed: {answer.get('message')}; {_HINT}")
        return answer

    def finish(self, site_root: Path) -> None:
        """Check the index of every record, then write it into *site_root*.

        Pagefind hands the files over (GetFiles) and this process writes them: a service whose input
        closes exits at once, and files it was still writing itself would be left cut short.
        """
        self.writer.join()
        for number in range(2, self.sent + 1):
            self._reply(number)
        self._send([{"type": "GetFiles", "index_id": self.index_id}])
        files = self._reply(self.sent).get("files") or []
        self.close()
        folder = site_root / SEARCH_FOLDER
        index: dict[str, bytes] = {}
        for file in files:
            parts = Path(str(file.get("path", ""))).parts
            if not parts or any(part in ("", ".", "..") for part in parts) or Path(*parts).is_absolute():
                raise SearchIndexError(f"the search indexer (Pagefind) named a file outside its folder: "
                                       f"{file.get('path')!r}; {_HINT}")
            index["/".join(parts)] = base64.b64decode(file.get("content", ""))
        problem = broken_files(index)  # checked as handed over, before anything is written
        if problem:
            raise SearchIndexError(f"the search indexer (Pagefind) reported success but wrote a broken index: "
                                   f"{problem} (is the disk full?); the previous site is left in place")
        for name in sorted(index):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(index[name])

    def close(self) -> None:
        """End the indexer (it stops when its input closes); safe to call twice."""
        try:
            if self.process.stdin is not None and not self.process.stdin.closed:
                self.process.stdin.close()
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=30)


def start_index(records: Sequence[SearchRecord]) -> Indexer:
    """Start Pagefind on the records; raise SearchIndexError with a fix when it is missing."""
    binary = pagefind_binary()
    if binary is None:
        raise SearchIndexError("the search indexer is missing: install the Python package 'pagefind[bin]' "
                               f"(pip install 'pagefind[bin]'), or {_HINT}")
    return Indexer(binary, records)


def index_site(site_root: Path, files: Optional[Sequence[OutputFile]] = None) -> None:
    """Index the searchable pages among *files* (else the tree's own pages) into *site_root*, made afresh."""
    if files is None:
        files = [OutputFile(path.relative_to(site_root).as_posix(), source=path)
                 for path in sorted(site_root.rglob("*.html"))]
    indexer = start_index(page_records(files))
    try:
        indexer.finish(site_root)
    finally:
        indexer.close()


def broken_index(folder: Path) -> str:
    """What is wrong with the index in *folder* ("" when it is whole)."""
    files = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = Path(base, name)
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return broken_files(files)


def broken_files(files: dict[str, bytes]) -> str:
    """What is wrong with an index's files by their paths in it ("" when it is whole): Pagefind may report
    success on a full disk."""
    missing = [name for name in REQUIRED_FILES if name not in files]
    if missing:
        return f"{SEARCH_FOLDER}/{missing[0]} is missing"
    for name in sorted(files):
        data, shown = files[name], f"{SEARCH_FOLDER}/{name}"
        if not data:
            return f"{shown} is empty"
        if name.endswith(COMPRESSED_SUFFIXES):
            try:
                whole = gzip.decompress(data).startswith(COMPRESSED_SIGNATURE)
            except (OSError, EOFError, zlib.error):
                whole = False
            if not whole:
                return f"{shown} is cut short or damaged"
    try:
        languages = json.loads(files["pagefind-entry.json"].decode("utf-8"))["languages"]
        for language in languages.values():
            wasm = language["wasm"] or "unknown"  # a language Pagefind cannot stem (Welsh) uses its plain index
            for needed in (f"pagefind.{language['hash']}.pf_meta", f"wasm.{wasm}.pagefind"):
                if needed not in files:
                    return f"{SEARCH_FOLDER}/{needed} is missing"
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"{SEARCH_FOLDER}/pagefind-entry.json is not Pagefind's description of an index"
    return ""
