"""Full-text search for a static site with no server: runs Pagefind over a finished output tree."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Optional

from reThink_site.core.errors import SiteError

SEARCH_FOLDER = "pagefind"  # where Pagefind writes its index and UI, relative to the site root


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
