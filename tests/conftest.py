"""Shared fixtures: a tiny-site factory, the real site built once, and a CLI runner."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from reThink_site.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
PINNED_NOW = "2015-03-10T12:00"  # after the last event and post: everything published

MINIMAL_SITE_YAML = """\
title: Test reThink
base_url: https://example.org/
description: A test site.
"""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the fixture site.")


@pytest.fixture
def make_site(tmp_path):
    """Write a small site from {relative path: text} and return its folder."""

    def _make(files: dict[str, str], site_yaml: str = MINIMAL_SITE_YAML) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        (root / "site.yaml").write_text(textwrap.dedent(site_yaml), encoding="utf-8")
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

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
def runner() -> CliRunner:
    """click's runner for in-process command tests."""
    return CliRunner()
