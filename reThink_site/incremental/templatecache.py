"""Keeps Jinja's compiled templates between builds: compiling the theme took ~0.1 s of every edit rebuild.

The compiled code is kept in Jinja's own per-user private folder in the system's temp directory (mode 0700,
owner checked), never in the site's .rethink-cache/: that folder can travel (CI caches, copies), and a file
planted there must never run as code. Jinja itself checks each template's source checksum; the files are
named by everything else compiled code depends on: the package fingerprint (the code that sets up the
environment, and the Jinja version) and the site's config, since Jinja calls filters on constants while
compiling (`{{ '/'|url }}` becomes the site's base path). The other filters read entries or the Site, which
no template constant can be, so they fail on constants and are left to run when the page renders.
"""

from __future__ import annotations

from typing import Any, Optional

import jinja2

from reThink_site.incremental.fingerprints import Freshness, stable_bytes


class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache whose failures (a full disk, a damaged file) only cost a compile, never the build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Load a template's compiled code if a sound copy is stored; otherwise leave it to be compiled."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 (a damaged file can fail in many ways; compiling again is always right)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Store a template's compiled code (atomically, as Jinja does); a failure is ignored."""
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def open_bytecode_cache(config: Any, freshness: Freshness) -> Optional[jinja2.BytecodeCache]:
    """The compiled-template cache of this code version and config, or None where no private folder can be had."""
    setting = freshness.key("templates", stable_bytes(config))
    try:
        return QuietBytecodeCache(pattern=f"__rethink_{setting[:32]}_%s.cache")
    except (RuntimeError, OSError):
        return None
