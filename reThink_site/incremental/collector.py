"""When Python's cycle collector runs during a build: less often, and never over freshly loaded content."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

GC_THRESHOLD = 50_000  # allocations between young-generation collections (Python's default: 700)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often: a build allocates much and keeps most of it."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while thousands of long-lived objects are made, then file them as old."""
    # Young objects are scanned by every young-generation collection; moving the loaded content straight to
    # the oldest generation (freeze then unfreeze: two list splices) skips those scans. Nothing is kept from
    # being collected: this changes only when, never whether.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # someone else's frozen objects stay frozen
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
