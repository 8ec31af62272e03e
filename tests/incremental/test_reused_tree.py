"""Rebuilds patch the previous tree instead of writing a new one, and still publish exactly a clean build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reThink_site.incremental.cachedir import CACHE_DIR
from reThink_site.incremental.treestate import SPARE_DIR, STATE_FILE
from tests.helpers import (
    EXTRA,
    UNRELATED,
    assert_clean,
    delete_file,
    edit_asset,
    edit_body,
    edit_site_yaml,
    edit_template,
    edit_title,
    rename_file,
    run,
    tree,
)


def test_a_chain_of_edits_matches_a_clean_build_after_every_step(site: Path, tmp_path: Path) -> None:
    # the third build onwards patches the spare tree kept in .rethink-cache/ rather than a fresh copy
    for label, change in [("body", edit_body), ("title", edit_title), ("template", edit_template),
                          ("asset", edit_asset), ("site.yaml", edit_site_yaml), ("rename", rename_file),
                          ("body again", lambda root: None)]:
        change(site)
        if label == "body again":
            renamed = site / "content/insights/2015-01-05-renamed-thoughts.md"
            renamed.write_text(renamed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        assert not run(site, site / "output").unchanged
        assert_clean(site, tmp_path, label)
    assert (site / CACHE_DIR / SPARE_DIR).is_dir()
    assert not [p for p in site.iterdir() if p.name.startswith((".rethink-staging", ".rethink-retired"))]


def test_a_deleted_page_leaves_no_empty_folder(site: Path, tmp_path: Path) -> None:
    edit_body(site)
    run(site, site / "output")
    delete_file(site)
    run(site, site / "output")
    assert not (site / "output/insights/extra-thoughts").exists()
    assert_clean(site, tmp_path, "delete")


def test_unchanged_pages_are_not_rewritten(site: Path) -> None:
    before = os.stat(site / "output" / UNRELATED)
    edit_body(site)
    run(site, site / "output")
    edit_title(site)
    run(site, site / "output")
    after = os.stat(site / "output" / UNRELATED)
    # a deploy that syncs by size and mtime uploads only the pages that changed
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
    assert (site / "output" / "insights/extra-thoughts/index.html").read_text(
        encoding="utf-8").count("Other thoughts") >= 1


@pytest.mark.parametrize("tamper", ["edit in place", "replace", "stray file", "delete", "folder for file"])
def test_hand_edits_to_the_output_do_not_survive_later_builds(site: Path, tmp_path: Path, tamper: str) -> None:
    edit_body(site)
    run(site, site / "output")  # now the spare is the first build and output/ the second
    page = site / "output" / UNRELATED
    if tamper == "edit in place":
        with open(page, "r+b") as handle:  # same size, same inode: only the mtime tells
            handle.write(b"<!-- tampered -->")
    elif tamper == "replace":
        page.unlink()
        page.write_text("tampered", encoding="utf-8")
    elif tamper == "stray file":
        (site / "output" / "events" / "stray.html").write_text("stray", encoding="utf-8")
    elif tamper == "delete":
        page.unlink()
    else:
        page.unlink()
        page.mkdir()
        (page / "inside.txt").write_text("x", encoding="utf-8")
    for step in range(3):  # the tampered tree becomes the spare, then gets patched
        edit_title(site) if step == 0 else (site / EXTRA).write_text(
            (site / EXTRA).read_text(encoding="utf-8") + f"\nStep {step}.\n", encoding="utf-8")
        run(site, site / "output")
        assert_clean(site, tmp_path, f"{tamper} step {step}")


@pytest.mark.parametrize("damage", ["garbage", "wrong shape", "spare gone", "pending swap"])
def test_damaged_tree_records_fall_back_to_a_full_write(site: Path, tmp_path: Path, damage: str) -> None:
    edit_body(site)
    run(site, site / "output")
    state = site / CACHE_DIR / STATE_FILE
    if damage == "garbage":
        state.write_text("{not json", encoding="utf-8")
    elif damage == "wrong shape":
        state.write_text('{"format": "rethink-trees/1", "output": "%s", "live": {"index.html": [1]}, '
                         '"spare": [], "pending": false}' % (site / "output"), encoding="utf-8")
    elif damage == "spare gone":
        shutil.rmtree(site / CACHE_DIR / SPARE_DIR)
    else:
        state.write_text(state.read_text(encoding="utf-8").replace('"pending":false', '"pending":true'),
                         encoding="utf-8")
    edit_title(site)
    report = run(site, site / "output")
    assert not report.unchanged
    assert_clean(site, tmp_path, damage)


def test_a_no_cache_build_in_between_does_not_mislead_the_next_build(site: Path, tmp_path: Path) -> None:
    edit_body(site)
    run(site, site / "output")
    spare_state = (site / CACHE_DIR / STATE_FILE).read_bytes()
    edit_title(site)
    run(site, site / "output", cache=False)  # replaces output/ without reading or writing the cache
    assert (site / CACHE_DIR / STATE_FILE).read_bytes() == spare_state
    assert_clean(site, tmp_path, "no-cache")
    (site / EXTRA).write_text((site / EXTRA).read_text(encoding="utf-8") + "\nLater.\n", encoding="utf-8")
    run(site, site / "output")
    assert_clean(site, tmp_path, "cached after no-cache")


def test_output_elsewhere_rebuilds_from_scratch_and_stays_correct(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "public"
    edit_body(site)
    run(site, other)
    edit_title(site)
    run(site, site / "output")
    clean = assert_clean(site, tmp_path, "output elsewhere")
    assert tree(other) != clean  # the other folder still holds the site as it was when built
