"""The search record cache, .rethink-cache/search-records.bin: each page's search record by its bytes' digest.

A rebuild reuses most pages from the live site without reading them; their records come from here, so
only the pages the build made again are cut down to a record again. Pagefind still indexes every
record: its index cannot be patched, so that is the one whole-site step of a search rebuild.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Optional, Sequence

from reThink_site.core.outputs import OutputFile
from reThink_site.incremental.cachedir import CACHE_DIR
from reThink_site.incremental.fingerprints import Freshness, file_digest
from reThink_site.publish.search import SearchRecord, is_searchable, page_record

RECORDS_FILE = "search-records.bin"
FORMAT = "rethink-search-records/1"  # marshalled (format, {key: (url, html)}); ("", "") for a page not searched
Row = tuple[str, str]


def load(path: Path) -> dict[str, Row]:
    """The rows of the last build; empty when the file is missing, damaged or of another format."""
    try:
        data = marshal.loads(path.read_bytes())  # plain values only: nothing is run
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not (type(data) is tuple and len(data) == 2 and data[0] == FORMAT and type(data[1]) is dict):
        return {}
    return {key: row for key, row in data[1].items() if type(key) is str and type(row) is tuple
            and len(row) == 2 and type(row[0]) is str and type(row[1]) is str}


def save(path: Path, rows: dict[str, Row]) -> None:
    """Keep this build's rows for the next (atomically; failing only costs speed)."""
    if not path.parent.is_dir():
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(marshal.dumps((FORMAT, rows)))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def cached_records(project: Path, freshness: Freshness, files: Sequence[OutputFile]) -> list[SearchRecord]:
    """Every searchable page's record: from the cache when its bytes are unchanged, else made afresh."""
    path = project / CACHE_DIR / RECORDS_FILE
    old = load(path)
    rows: dict[str, Row] = {}
    records: list[SearchRecord] = []
    for file in files:
        if not is_searchable(file):
            continue
        key = freshness.key("search-record", file.path, file_digest(file))
        row: Optional[Row] = old.get(key)
        if row is None:
            record = page_record(file)
            row = (record.url, record.html) if record is not None else ("", "")
        rows[key] = row
        if row[0]:
            records.append(SearchRecord(*row))
    if rows.keys() != old.keys():
        save(path, rows)
    return records
