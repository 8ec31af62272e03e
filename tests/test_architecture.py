"""The package's shape: rooms by concern, one direction of imports, no circle, small modules."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGE = REPO / "reThink_site"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 400
MAX_TOP_MODULES = 8
sys.path.insert(0, str(REPO / "scripts"))
from import_graph import cycles, levels, module_name, package_imports  # noqa: E402


def test_the_import_graph_has_no_circle():
    graph = package_imports(REPO)
    assert len(graph) > 50 and sum(map(len, graph.values())) > 100  # the walk found the real imports
    assert cycles(graph) == []


def test_the_circle_finder_finds_a_circle_and_levels_follow_imports():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert levels(graph) == {"a": 1, "b": 1, "c": 1, "d": 2, "e": 1}
    assert levels({"top": {"mid"}, "mid": {"low"}, "low": set()}) == {"top": 3, "mid": 2, "low": 1}


def test_the_package_is_rooms_of_small_modules():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    rooms = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert rooms == ["cms", "commands", "content", "core", "importing", "incremental", "markdown", "publish",
                     "render"]
    for room in rooms:
        assert ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text(encoding="utf-8")))
    too_long = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py")
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}


def run_lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter's contracts from pyproject.toml, over the package found in root."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)


def test_the_import_contracts_hold():
    result = run_lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("room, line", [
    ("render/feeds.py", "from reThink_site.incremental import fingerprints"),  # a feature using the machinery
    ("core/urls.py", "from reThink_site.content import models"),  # an import running back up
])
def test_a_broken_import_rule_fails_the_check(tmp_path, room, line):
    shutil.copytree(PACKAGE, tmp_path / "reThink_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    module = tmp_path / "reThink_site" / room
    module.write_text(module.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = run_lint_imports(tmp_path)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout and module_name(module, tmp_path) in result.stdout
