"""Cached, incremental and parallel builds must publish exactly what a clean build publishes."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

from reThink_site.incremental.bodycache import BODIES_FILE
from reThink_site.incremental.cachedir import CACHE_DIR
from tests.helpers import (
    assert_clean,
    damage_cache,
    delete_file,
    edit_asset,
    edit_body,
    edit_site_yaml,
    edit_template,
    edit_title,
    generate,
    rename_file,
    run,
    tree,
)

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
    assert assert_clean(site, tmp_path, kind) == incremental


def test_unchanged_rebuild_stops_early_and_keeps_the_output(site: Path) -> None:
    before = tree(site / "output")
    report = run(site, site / "output")
    assert report.unchanged
    assert tree(site / "output") == before


def test_a_different_now_or_a_missing_output_is_a_real_build(site: Path) -> None:
    assert not run(site, site / "output", now="2014-06-01T12:00").unchanged
    shutil.rmtree(site / "output")
    assert not run(site, site / "output", now="2014-06-01T12:00").unchanged
    assert (site / "output" / "index.html").is_file()


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
    assert_clean(site, tmp_path, damage)
    assert not any("discarded" in w.message for w in run(site, tmp_path / "again").warnings)


def test_parallel_build_equals_sequential_build(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 260, seed=7)
    run(root, tmp_path / "one", cache=False, jobs=1, now="2020-06-01T12:00")
    run(root, tmp_path / "two", cache=False, jobs=2, now="2020-06-01T12:00")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert len(tree(tmp_path / "one")) > 300
