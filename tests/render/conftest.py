"""Fixtures of the rendering tests: the event site (helpers.EVENT_FILES), built once, or at another now."""

from __future__ import annotations

from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from tests.helpers import EVENT_FILES, EVENT_SITE_NOW, write_site


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
