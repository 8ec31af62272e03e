"""Full-text search for a static site with no server: runs Pagefind over a finished output tree."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import zlib
from pathlib import Path
from typing import Optional

from reThink_site.core.errors import SiteError

SEARCH_FOLDER = "pagefind"  # where Pagefind writes its index and UI, relative to the site root
REQUIRED_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css")  # the theme loads these
COMPRESSED_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
COMPRESSED_SIGNATURE = b"pagefind_dcd"  # what every compressed Pagefind file holds once unpacked


class SearchIndexError(SiteError):
    """Pagefind is missing or failed; the build stops and leaves the published site alone."""


def pagefind_binary() -> Optional[Path]:
    """The Pagefind executable shipped by the `pagefind[bin]` wheel (or PAGEFIND_BINARY_PATH), if any."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    return binary if binary is not None and binary.is_file() else None


def index_site(site_root: Path) -> None:
    """Write `pagefind/` into *site_root* so /search/ works; raise SearchIndexError with a fix."""
    binary = pagefind_binary()
    if binary is None:
        raise SearchIndexError("the search indexer is missing: install the Python package 'pagefind[bin]' "
                               "(pip install 'pagefind[bin]'), or build without search using --no-search")
    command = [str(binary), "--site", str(site_root), "--output-subdir", SEARCH_FOLDER, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as err:
        raise SearchIndexError(f"could not run the search indexer {binary}: {err}; "
                               "build without search using --no-search") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
        raise SearchIndexError(f"the search indexer (Pagefind) failed: {detail}; "
                               "build without search using --no-search")
    problem = broken_index(site_root / SEARCH_FOLDER)
    if problem:
        raise SearchIndexError(f"the search indexer (Pagefind) reported success but wrote a broken index: "
                               f"{problem} (is the disk full?); the previous site is left in place")


def broken_index(folder: Path) -> str:
    """What is wrong with the index Pagefind wrote ("" when it is whole): it may exit 0 on a full disk."""
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        return f"{SEARCH_FOLDER}/{missing[0]} is missing"
    for base, _, names in os.walk(folder):
        for name in sorted(names):
            path = Path(base, name)
            shown = path.relative_to(folder.parent).as_posix()
            data = path.read_bytes()
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
        languages = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        for language in languages.values():
            wasm = language["wasm"] or "unknown"  # a language Pagefind cannot stem (Welsh) uses its plain index
            for needed in (f"pagefind.{language['hash']}.pf_meta", f"wasm.{wasm}.pagefind"):
                if not (folder / needed).is_file():
                    return f"{SEARCH_FOLDER}/{needed} is missing"
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"{SEARCH_FOLDER}/pagefind-entry.json is not Pagefind's description of an index"
    return ""
