"""A small fixture site's output, compared byte for byte with tests/golden/basic/.

Refresh after an intended output change with: ./dev test tests/build/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

from reThink_site.build import BuildOptions, build
from tests.helpers import TESTS, tree

FIXTURE = TESTS / "sites" / "basic"
GOLDEN = TESTS / "golden" / "basic"
NOW = "2014-10-26T12:00"


def test_fixture_site_matches_golden_files(tmp_path, request):
    out = tmp_path / "out"
    build(BuildOptions(project=FIXTURE, output=out, now=NOW, jobs=1, search=False, cache=False))
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    built, golden = tree(out), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or missing; refresh with --update-golden if intended"
    changed = [name for name in built if built[name] != golden[name]]
    assert not changed, f"output differs from golden files: {changed[:10]}"
