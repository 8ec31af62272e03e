"""Fixtures for the WordPress import tests: the fixture export, its uploads folder, an empty site, the import run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reThink_site.cli import main
from tests.helpers import WORDPRESS_EXPORT as EXPORT
from tests.helpers import WORDPRESS_UPLOADS as UPLOADS
from tests.helpers import write_site

SITE_YAML = "title: Local reThink\nbase_url: https://localrethink.example.org/\n"


@pytest.fixture
def empty_site(tmp_path) -> Path:
    """A site folder with only site.yaml."""
    return write_site(tmp_path / "site", {}, SITE_YAML)


@pytest.fixture
def run_import():
    """Run `rethink import wordpress` in process; returns click's result (exit code, output)."""

    def _run(site: Path, export: Path = EXPORT, *extra: str, uploads: Path | None = UPLOADS, events=("Events",)):
        args = ["import", "wordpress", str(export), "--site", str(site), *extra]
        if uploads is not None:
            args += ["--uploads", str(uploads)]
        for name in events:
            args += ["--events-category", name]
        return CliRunner().invoke(main, args, catch_exceptions=False)

    return _run


@pytest.fixture
def imported_site(empty_site, run_import) -> tuple[Path, str]:
    """The fixture export imported into an empty site with its uploads: the site and the report."""
    result = run_import(empty_site)
    assert result.exit_code == 0, result.output
    return empty_site, result.output
