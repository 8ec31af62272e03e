"""A cache that travelled (CI caches, restored backups) is never trusted blindly: links and wrong kinds are discarded.

Nothing the build deletes or writes may lie outside the project, whatever links it meets in .rethink-cache/;
an entry of the wrong kind is thrown away with a warning naming it, and the site still builds to the
--no-cache bytes. `--verify` catches a kept file changed in place with its size and mtime put back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reThink_site.incremental import (
    bodycache,
    cachedir,
    contentcache,
    fastpath,
    pagememo,
    partcache,
    searchcache,
    sparetree,
    treestate,
)
from reThink_site.incremental.cachedir import CACHE_DIR
from tests.helpers import PINNED_NOW, UNRELATED, assert_clean, edit_body, edit_title, run, tree


def elsewhere_with_files(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder outside the project holding someone's files, and what it holds."""
    folder = tmp_path / "elsewhere"
    (folder / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text("someone else's page", encoding="utf-8")
    (folder / "notes" / "keep.txt").parent.mkdir(parents=True, exist_ok=True)
    (folder / "notes" / "keep.txt").write_text("precious", encoding="utf-8")
    return folder, tree(folder)


def warnings_of(report) -> list[str]:
    return [p.format() for p in report.warnings]


def test_the_cache_names_are_the_ones_the_modules_use() -> None:
    assert {fastpath.MANIFEST, contentcache.MODELS_FILE, bodycache.BODIES_FILE, pagememo.MEMO_FILE,
            partcache.CALENDAR_PARTS, partcache.FEED_PARTS, treestate.STATE_FILE,
            sparetree.LOCK_FILE, searchcache.RECORDS_FILE} == cachedir.CACHE_FILES
    assert cachedir.CACHE_FOLDERS == {treestate.SPARE_DIR}
    assert set(cachedir.FOLDER_PREFIXES) == {sparetree.CLONE_PREFIX, treestate.DOOMED_PREFIX}


@pytest.mark.parametrize("link", ["spare-site", "the cache folder", "spare-site copy of output"])
def test_links_in_the_cache_never_lead_the_build_elsewhere(link: str, site: Path, tmp_path: Path) -> None:
    edit_body(site)
    run(site, site / "output")  # the second build leaves a spare tree
    cache = site / CACHE_DIR
    assert (cache / treestate.SPARE_DIR).is_dir()
    elsewhere, before = elsewhere_with_files(tmp_path)
    if link == "the cache folder":
        shutil.copytree(cache, elsewhere / "cache")
        before = tree(elsewhere)
        shutil.rmtree(cache)
        cache.symlink_to(elsewhere / "cache")
    else:
        if link == "spare-site copy of output":  # a link to a tree that looks exactly like the spare
            shutil.copytree(cache / treestate.SPARE_DIR, elsewhere / "copy")
            before = tree(elsewhere)
        shutil.rmtree(cache / treestate.SPARE_DIR)
        (cache / treestate.SPARE_DIR).symlink_to(elsewhere / ("copy" if "copy" in link else ""))
    edit_title(site)
    report = run(site, site / "output")
    assert tree(elsewhere) == before, "the build changed files outside the project"
    assert not (site / "output").is_symlink() and not cache.is_symlink()
    named = CACHE_DIR if link == "the cache folder" else f"{CACHE_DIR}/{treestate.SPARE_DIR}"
    assert any(w.startswith(f"{named}:1: warning:") and "symbolic link" in w for w in warnings_of(report)), \
        warnings_of(report)
    assert_clean(site, tmp_path, link)
    edit_body(site)  # and the builds after it patch a spare of their own
    run(site, site / "output")
    assert tree(elsewhere) == before
    assert_clean(site, tmp_path, link + " again")


@pytest.mark.parametrize("entry, kind", [("trees.json", "folder"), ("spare.lock", "folder"), ("spare-site", "file"),
                                         ("models.sqlite", "folder"), ("pages.json", "link"),
                                         ("bodies.sqlite", "link"), ("manifest.json", "folder"),
                                         ("spare-ahead-1-2", "file"), ("trees.json.99.tmp", "link")])
def test_a_cache_entry_of_the_wrong_kind_is_discarded_and_named(entry: str, kind: str, site: Path,
                                                                 tmp_path: Path) -> None:
    edit_body(site)
    run(site, site / "output")
    cache = site / CACHE_DIR
    target = cache / entry
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)
    elsewhere, before = elsewhere_with_files(tmp_path)
    if kind == "folder":
        (target / "inner").mkdir(parents=True)
    elif kind == "file":
        target.write_text("not a folder", encoding="utf-8")
    else:
        target.symlink_to(elsewhere / "index.html")
    edit_title(site)
    report = run(site, site / "output")
    assert any(w.startswith(f"{CACHE_DIR}/{entry}:1: warning: damaged build cache") for w in warnings_of(report)), \
        warnings_of(report)
    assert tree(elsewhere) == before
    assert_clean(site, tmp_path, entry)
    later = warnings_of(run(site, site / "output", now="2015-03-11T12:00"))
    assert not [w for w in later if "damaged build cache" in w], later  # rebuilt: quiet from now on


def test_a_damaged_cache_is_no_failure_under_strict(site: Path) -> None:
    shutil.rmtree(site / CACHE_DIR / treestate.STATE_FILE, ignore_errors=True)
    (site / CACHE_DIR / treestate.STATE_FILE).unlink(missing_ok=True)
    (site / CACHE_DIR / treestate.STATE_FILE).mkdir()
    edit_title(site)
    from reThink_site.build import BuildOptions, build
    from reThink_site.core.errors import ContentErrors

    try:  # the content's own warnings may fail --strict; the cache's never does
        report = build(BuildOptions(project=site, output=site / "output", now=PINNED_NOW, jobs=1, search=False,
                                    strict=True))
        assert any("damaged build cache" in w for w in warnings_of(report))
    except ContentErrors as err:
        assert not [p for p in err.problems if "damaged build cache" in p.message], err.problems


def spoil_in_place(path: Path) -> None:
    """Change a file's bytes in place (same inode) and put its size and mtime back."""
    st = os.stat(path)
    data = path.read_bytes()
    spoiled = data.replace(b"<h1", b"<h2", 1)
    assert spoiled != data and len(spoiled) == len(data)
    with open(path, "r+b") as handle:
        handle.write(spoiled)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)


def test_verify_rewrites_a_kept_file_changed_in_place_with_size_and_mtime_put_back(site: Path,
                                                                                   tmp_path: Path) -> None:
    from dataclasses import replace

    from reThink_site.build import BuildOptions, build

    edit_body(site)
    run(site, site / "output")  # a spare tree and records for both trees
    live, spare = site / "output" / UNRELATED, site / CACHE_DIR / treestate.SPARE_DIR / UNRELATED
    spoil_in_place(live)
    if not os.path.samefile(live, spare):
        spoil_in_place(spare)
    options = BuildOptions(project=site, output=site / "output", now=PINNED_NOW, jobs=1, search=False)
    edit_title(site)
    build(options)  # the cheap check trusts inode, size and mtime: the spoiled page survives (the trade-off)
    assert b"<h2" in live.read_bytes() and b"<h1" not in live.read_bytes()[:live.read_bytes().index(b"<h2")]
    edit_body(site)
    build(replace(options, verify=True))
    assert_clean(site, tmp_path, "verify")
    edit_title(site)
    build(replace(options, verify=True))  # the spare, spoiled too, is read and rewritten on the next build
    assert_clean(site, tmp_path, "verify again")


def test_verify_is_a_real_build_even_when_nothing_changed(site: Path, runner) -> None:
    from reThink_site.cli import main

    args = ["build", "--site", str(site), "--output", str(site / "output"), "--now", PINNED_NOW, "--jobs", "1",
            "--no-search"]
    assert "Nothing changed" in runner.invoke(main, args).output
    verified = runner.invoke(main, [*args, "--verify"])
    assert verified.exit_code == 0 and "Built" in verified.output, verified.output
