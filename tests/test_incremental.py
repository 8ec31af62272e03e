"""Cached, incremental and parallel builds must publish exactly what a clean build publishes."""

from __future__ import annotations

import marshal
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from reThink_site.incremental.bodycache import BODIES_FILE
from reThink_site.incremental.cachedir import CACHE_DIR
from reThink_site.render.templates import default_theme

REPO = Path(__file__).resolve().parent.parent
PINNED_NOW = "2015-03-10T12:00"  # as in conftest.py: after the last event and post
sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402

EXTRA = "content/insights/2015-01-05-extra-thoughts.md"
EXTRA_TEXT = """---
title: Extra thoughts
date: 2015-01-05
tags: [extra topic]
---
An extra insight that the tests edit, rename and delete.

## A heading

More text with a [link](https://example.com/).
"""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, output: Path, cache: bool = True, jobs: int = 1, now: str = PINNED_NOW):
    return build(BuildOptions(project=root, output=output, now=now, jobs=jobs, cache=cache, search=False))


@pytest.fixture
def site(copy_real_site: Path) -> Path:
    """The real site plus one extra insight, already built once with the cache on."""
    (copy_real_site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    run(copy_real_site, copy_real_site / "output")
    return copy_real_site


def assert_clean(site: Path, tmp_path: Path, label: str, now: str = PINNED_NOW) -> None:
    """The published site equals a from-scratch build of the same content."""
    clean = tmp_path / f"clean-{label}"
    shutil.rmtree(clean, ignore_errors=True)
    run(site, clean, cache=False, now=now)
    assert tree(site / "output") == tree(clean), f"after {label} the output differs from a clean build"


def edit_body(root: Path) -> None:
    path = root / EXTRA
    path.write_text(path.read_text(encoding="utf-8").replace("More text", "Changed text"), encoding="utf-8")


def edit_title(root: Path) -> None:
    path = root / EXTRA
    path.write_text(path.read_text(encoding="utf-8").replace("title: Extra thoughts", "title: Other thoughts"),
                    encoding="utf-8")


def edit_template(root: Path) -> None:
    own = root / "templates"
    own.mkdir(exist_ok=True)
    base = (default_theme() / "base.html").read_text(encoding="utf-8")
    (own / "base.html").write_text(base.replace("</body>", "<!-- site override --></body>"), encoding="utf-8")


def edit_site_yaml(root: Path) -> None:
    path = root / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Local reThink", "title: Local reThink 2"),
                    encoding="utf-8")


def edit_asset(root: Path) -> None:
    path = root / "content/assets/images/local-rethink-logo.svg"
    path.write_bytes(path.read_bytes().replace(b"</svg>", b"<!-- v2 --></svg>"))
    (root / "content/assets/notes.txt").write_text("new asset\n", encoding="utf-8")


def delete_file(root: Path) -> None:
    (root / EXTRA).unlink()


def rename_file(root: Path) -> None:
    (root / EXTRA).rename(root / "content/insights/2015-01-05-renamed-thoughts.md")


CHANGES = {"body": edit_body, "title": edit_title, "template": edit_template, "site.yaml": edit_site_yaml,
           "asset": edit_asset, "deleted file": delete_file, "renamed file": rename_file}


@pytest.mark.parametrize("kind", CHANGES)
def test_incremental_build_after_a_change_equals_a_clean_build(site: Path, tmp_path: Path, kind: str) -> None:
    before = tree(site / "output")
    CHANGES[kind](site)
    report = run(site, site / "output")
    assert not report.unchanged, f"the {kind} change was not noticed"
    incremental = tree(site / "output")
    assert incremental != before, f"the {kind} change did not reach the output"
    run(site, tmp_path / "clean", cache=False)
    assert incremental == tree(tmp_path / "clean")


def test_unchanged_rebuild_stops_early_and_keeps_the_output(site: Path) -> None:
    before = tree(site / "output")
    report = run(site, site / "output")
    assert report.unchanged
    assert tree(site / "output") == before


def test_a_different_now_or_a_missing_output_is_a_real_build(site: Path) -> None:
    assert not run(site, site / "output", now="2014-06-01T12:00").unchanged
    import shutil
    shutil.rmtree(site / "output")
    assert not run(site, site / "output", now="2014-06-01T12:00").unchanged
    assert (site / "output" / "index.html").is_file()


def damage_cache(database: Path, damage: str, table: str, rows: dict[str, tuple[str, tuple]]) -> None:
    """Spoil a cache database: garbage bytes, another tool's format marker, or every row set to `rows[damage]`."""
    if damage == "garbage":
        database.write_bytes(b"this is not a database" * 100)
        return
    with sqlite3.connect(database) as connection:
        if damage == "foreign format":
            connection.execute("UPDATE meta SET value = 'someone-else/9' WHERE name = 'format'")
        else:
            value, parameters = rows[damage]
            connection.execute(f"UPDATE {table} SET value = {value}", parameters)
    connection.close()


@pytest.mark.parametrize("damage", ["garbage", "foreign format", "bad row", "truncated row", "wrong shape"])
def test_a_corrupt_cache_is_discarded_with_a_warning(site: Path, tmp_path: Path, damage: str) -> None:
    edit_body(site)  # so the build cannot stop early and must read the cache
    damage_cache(site / CACHE_DIR / BODIES_FILE, damage, "bodies", {
        "bad row": ("'{\"html\": 1}'", ()),
        "truncated row": ("substr(value, 1, length(value) / 2)", ()),
        "wrong shape": ("?", (marshal.dumps(("<p>x</p>", (1,), (), (), (), (), "x")),)),  # right form, wrong kinds
    })
    report = run(site, site / "output")
    assert any(CACHE_DIR in w.path and "discarded" in w.message for w in report.warnings)
    run(site, tmp_path / "clean", cache=False)
    assert tree(site / "output") == tree(tmp_path / "clean")
    assert not any("discarded" in w.message for w in run(site, tmp_path / "again").warnings)


def test_parallel_build_equals_sequential_build(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 260, seed=7)
    run(root, tmp_path / "one", cache=False, jobs=1, now="2020-06-01T12:00")
    run(root, tmp_path / "two", cache=False, jobs=2, now="2020-06-01T12:00")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert len(tree(tmp_path / "one")) > 300
