"""Fixtures of the rendering tests: the event and council sites (tests/helpers.py), built once, or at another now."""

from __future__ import annotations

from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from tests.helpers import (
    COUNCIL_FILES,
    COUNCIL_NOW_AFTER,
    COUNCIL_NOW_BEFORE,
    COUNCIL_SITE_YAML,
    EVENT_FILES,
    EVENT_SITE_NOW,
    write_site,
)


@pytest.fixture(scope="session")
def event_site(tmp_path_factory) -> Path:
    """The event site (helpers.EVENT_FILES) built once at EVENT_SITE_NOW: its output folder, for reading only."""
    root = write_site(tmp_path_factory.mktemp("events") / "site", EVENT_FILES)
    build(BuildOptions(project=root, output=root / "output", now=EVENT_SITE_NOW, jobs=1, search=False))
    return root / "output"


@pytest.fixture
def build_event_site(make_site, build_site_at):
    """Build the event site at another now; its output folder."""

    def _build(now: str = EVENT_SITE_NOW) -> Path:
        root = make_site(EVENT_FILES)
        build_site_at(root, now=now)
        return root / "output"

    return _build


@pytest.fixture(scope="session")
def council_sites(tmp_path_factory) -> dict[str, Path]:
    """The council site (helpers.COUNCIL_FILES) built before and after its forum's booking closes: outputs by name."""
    root = write_site(tmp_path_factory.mktemp("council") / "site", COUNCIL_FILES, COUNCIL_SITE_YAML)
    outputs = {}
    for name, now in (("before", COUNCIL_NOW_BEFORE), ("after", COUNCIL_NOW_AFTER)):
        outputs[name] = root / f"output-{name}"
        build(BuildOptions(project=root, output=outputs[name], now=now, jobs=1, search=False, cache=False))
    return outputs
