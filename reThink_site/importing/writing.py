"""Putting imported files in place: all or nothing per file, never over a different file without --force."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

WRITTEN, UNCHANGED, KEPT, REPLACED, EXTENDED = "written", "unchanged", "kept", "replaced", "extended"


@dataclass
class Outcomes:
    """What happened to each file the import meant to write, by relative name."""

    dry_run: bool = False
    force: bool = False
    by_state: dict[str, list[str]] = field(default_factory=lambda: {WRITTEN: [], UNCHANGED: [], KEPT: [], REPLACED: [],
                                                                             EXTENDED: []})

    def count(self, state: str) -> int:
        """How many files ended in one state."""
        return len(self.by_state[state])


def _same(path: Path, data: Optional[bytes], source: Optional[Path]) -> bool:
    """True when the file there already holds exactly these bytes."""
    if data is not None:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    assert source is not None
    if path.stat().st_size != source.stat().st_size:
        return False
    with path.open("rb") as mine, source.open("rb") as theirs:
        while True:
            a, b = mine.read(1 << 20), theirs.read(1 << 20)
            if a != b:
                return False
            if not a:
                return True


def write_atomically(path: Path, data: Optional[bytes] = None, source: Optional[Path] = None) -> None:
    """Write bytes (or a copy of a file) beside the target and rename it into place, so no reader sees half.

    No fsync per file (17 ms each here, minutes for a big export): the import syncs once at its end.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".importing", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            if data is not None:
                out.write(data)
            else:
                assert source is not None
                with source.open("rb") as given:
                    shutil.copyfileobj(given, out, 1 << 20)
        os.replace(temp, path)
    except BaseException:  # an interrupt too: never leave the temporary file behind
        temp.unlink(missing_ok=True)
        raise


def put(outcomes: Outcomes, root: Path, rel: str, data: Optional[bytes] = None,
        source: Optional[Path] = None, may_extend: bool = False) -> str:
    """Write one file unless it is already there as is; a different file stays unless --force.

    With may_extend (people.yaml), new bytes that only add to the end of the file there are written.
    """
    path = root / rel
    if path.exists():
        if path.is_file() and _same(path, data, source):
            state = UNCHANGED
        elif may_extend and data is not None and path.is_file() and data.startswith(path.read_bytes()):
            state = EXTENDED  # only added to (people.yaml's new authors): nothing there is lost
        elif not outcomes.force or not path.is_file():
            state = KEPT
        else:
            state = REPLACED
    else:
        state = WRITTEN
    if state in (WRITTEN, REPLACED, EXTENDED) and not outcomes.dry_run:
        write_atomically(path, data, source)
    outcomes.by_state[state].append(rel)
    return state
