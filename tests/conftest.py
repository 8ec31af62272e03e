"""Fixtures for the whole suite: a tiny-site factory, the real site built once, its editable copy, a CLI runner.

Constants and plain functions shared between test modules are in tests/helpers.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reThink_site.build import BuildOptions, build
from tests.helpers import EXTRA, EXTRA_TEXT, MINIMAL_SITE_YAML, PINNED_NOW, REPO, run, write_site


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files from the fixture site (and fail: nothing is compared).")
    parser.addoption("--golden-dir", default=None,
                     help="Golden folder to compare with or rewrite instead of tests/golden/basic/.")


@pytest.fixture
def make_site(tmp_path):
    """Write a small site from {relative path: text} and return its folder."""

    def _make(files: dict[str, str], site_yaml: str = MINIMAL_SITE_YAML) -> Path:
        return write_site(tmp_path / "site", files, site_yaml)

    return _make


@pytest.fixture
def build_site_at():
    """Build a site folder into a given output with a pinned now."""

    def _build(root: Path, output: Path | None = None, now: str = PINNED_NOW, **kwargs):
        options = BuildOptions(project=root, output=output or root / "output", now=now, jobs=1,
                               search=False, **kwargs)
        return build(options)

    return _build


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The repository's real content built once, with a pinned now."""
    out = tmp_path_factory.mktemp("real") / "output"
    build(BuildOptions(project=REPO, output=out, now=PINNED_NOW, jobs=1, search=True))
    return out


@pytest.fixture
def copy_real_site(tmp_path) -> Path:
    """A private copy of the real site's sources, for tests that edit content."""
    dest = tmp_path / "site"
    dest.mkdir()
    for name in ("site.yaml", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    return dest


@pytest.fixture
def site(copy_real_site: Path) -> Path:
    """The real site plus one extra insight (helpers.EXTRA), already built once with the cache on."""
    (copy_real_site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    run(copy_real_site, copy_real_site / "output")
    return copy_real_site


@pytest.fixture
def runner() -> CliRunner:
    """click's runner for in-process command tests."""
    return CliRunner()
