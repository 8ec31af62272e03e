"""The suite's own layout: tests mirror the package, every folder is collected, no test module imports another.

Shared fixtures belong in a conftest.py, shared constants and plain functions in tests/helpers.py: a test
module that imports another (or a conftest) turns it into a hidden second conftest.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

import pytest

from tests.helpers import REPO, TESTS

PACKAGE = REPO / "reThink_site"
NOT_A_PACKAGE = {TESTS / "browser"}  # kept as it was: its conftest and modules import as top-level names


def is_test_name(name: str) -> bool:
    """A module name pytest collects or loads as a conftest."""
    return name.startswith("test_") or name == "conftest"


def imported_test_modules(source: str) -> list[str]:
    """The test and conftest modules some source imports, as written (`test_x`, `tests.a.test_y`, `.test_z`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if any(map(is_test_name, alias.name.split(".")))]
        elif isinstance(node, ast.ImportFrom):
            written = "." * node.level + (node.module or "")
            if node.module and any(map(is_test_name, node.module.split("."))):
                found.append(written)
            elif node.level or (node.module or "").split(".")[0] == "tests":  # a package that holds test modules
                separator = "." if node.module else ""
                found += [written + separator + alias.name for alias in node.names if is_test_name(alias.name)]
    return found


def suite_sources() -> list[Path]:
    """Every Python file of the suite: test modules, conftest files and helpers."""
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


SPELLINGS = [
    ("import test_incremental", ["test_incremental"]),
    ("import tests.incremental.test_incremental as inc", ["tests.incremental.test_incremental"]),
    ("from test_incremental import run, tree", ["test_incremental"]),
    ("from tests.incremental.test_reused_tree import UNRELATED", ["tests.incremental.test_reused_tree"]),
    ("from tests.incremental import test_reused_tree", ["tests.incremental.test_reused_tree"]),
    ("from .test_reused_tree import UNRELATED", [".test_reused_tree"]),
    ("from . import test_reused_tree", [".test_reused_tree"]),
    ("from ..render import test_ics", ["..render.test_ics"]),
    ("from tests.conftest import PINNED_NOW", ["tests.conftest"]),
    ("def f():\n    from test_x import y\n", ["test_x"]),
    ("from tests.helpers import PINNED_NOW, run\nimport pytest\nfrom reThink_site import build", []),
]


@pytest.mark.parametrize("source, found", SPELLINGS, ids=[source.replace("\n", " / ") for source, _ in SPELLINGS])
def test_the_import_finder_sees_every_spelling(source, found):
    assert imported_test_modules(source) == found


def test_no_test_module_imports_another():
    offenders = {}
    for path in suite_sources():
        imported = imported_test_modules(path.read_text(encoding="utf-8"))
        if imported:
            offenders[path.relative_to(REPO).as_posix()] = imported
    assert not offenders, ("modules importing test modules or conftest files (shared fixtures go in a conftest.py, "
                           f"shared constants and functions in tests/helpers.py): {offenders}")


def test_every_subpackage_has_its_test_folder():
    subpackages = sorted(p.parent.relative_to(PACKAGE) for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE)
    assert subpackages, f"no subpackages found under {PACKAGE}"
    missing = [f"tests/{p.as_posix()}/" for p in subpackages if not (TESTS / p).is_dir()]
    assert not missing, f"subpackages of reThink_site without their test folder: {missing}"
    empty = [f"tests/{p.as_posix()}/" for p in subpackages if not list((TESTS / p).glob("test_*.py"))]
    assert not empty, f"test folders without a test module: {empty}"


def test_every_folder_of_test_modules_is_collected(pytestconfig):
    patterns = [p for p in pytestconfig.getini("norecursedirs") if "/" not in p]
    folders = sorted({p.parent for p in TESTS.rglob("test_*.py")})
    skipped = [folder.relative_to(REPO).as_posix() for folder in folders
               if any(fnmatch(part, pattern) for part in folder.relative_to(REPO).parts for pattern in patterns)]
    assert not skipped, f"pytest's norecursedirs ({patterns}) skips these test folders: {skipped}"


def test_every_folder_of_test_modules_is_a_package():
    # a package folder lets two folders hold a module of the same name (tests.render.test_x, tests.core.test_x)
    folders = sorted({p.parent for p in TESTS.rglob("test_*.py")} | {TESTS})
    missing = [folder.relative_to(REPO).as_posix() for folder in folders
               if folder not in NOT_A_PACKAGE and not (folder / "__init__.py").is_file()]
    assert not missing, f"test folders without __init__.py: {missing}"
