"""Parts of outputs kept between builds (VEVENTs, event files, feeds), keyed by the inputs their producer names."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from reThink_site.core.outputs import OutputFile, Part, Reuse
from reThink_site.incremental.cachedir import load_parts, save_parts
from reThink_site.incremental.fingerprints import Freshness, Prints, stable_bytes

CALENDAR_PARTS = "calendar-parts.bin"  # VEVENTs and single-event calendars
FEED_PARTS = "feed-parts.bin"  # feed files


class PartStore(Reuse):
    """One part file of .rethink-cache/: last build's parts by key, and this build's, saved for the next."""

    def __init__(self, project: Path, file_name: str, freshness: Freshness, prints: Prints, config: object) -> None:
        self.project, self.file_name, self.freshness, self.prints = project, file_name, freshness, prints
        self.setting = stable_bytes(config)  # every part depends on the site's settings
        self.known = load_parts(project, file_name)
        self.made: dict[str, Part] = {}

    def part(self, name: str, inputs: tuple, make: Callable[[], Part]) -> Part:
        """The stored part for these inputs, else a freshly made one; kept for the next build either way."""
        key = self.freshness.key(self.setting, name, self.prints.value(inputs))
        found = self.known.get(key)
        if found is None:
            found = make()
        self.made[key] = found
        return found

    def save(self) -> None:
        """Write this build's parts when they differ from the last build's."""
        if self.made != self.known:
            save_parts(self.project, self.made, self.file_name)


def producing(store: PartStore, produce: Callable[[Reuse], list[OutputFile]]) -> Callable[[], list[OutputFile]]:
    """A producer for the page pool that uses the store and saves it in the process that filled it."""
    def run() -> list[OutputFile]:
        files = produce(store)
        store.save()
        return files
    return run
