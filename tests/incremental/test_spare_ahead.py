"""The spare tree cloned ahead in the background: the first rebuild patches it, whatever state the clone is in."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from reThink_site.incremental import sparetree, treestate
from reThink_site.incremental.cachedir import CACHE_DIR
from reThink_site.incremental.treestate import SPARE_DIR
from reThink_site.publish import writer
from tests.helpers import EXTRA, EXTRA_TEXT, UNRELATED, assert_clean, edit_body, edit_title, run


@pytest.fixture
def cold(copy_real_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real site plus one insight, cold-built with the clone-ahead size lowered so that it applies."""
    monkeypatch.setattr(sparetree, "CLONE_AHEAD_FILES", 1)
    (copy_real_site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    run(copy_real_site, copy_real_site / "output")
    yield copy_real_site
    sparetree.wait(copy_real_site / CACHE_DIR)  # no cloner outlives its test


def clone_calls(monkeypatch: pytest.MonkeyPatch) -> list:
    """Record every clone a build makes for itself (sparetree.clone_tree in this process)."""
    calls: list = []
    real = sparetree.clone_tree

    def spy(*args):
        calls.append(args)
        return real(*args)
    monkeypatch.setattr(sparetree, "clone_tree", spy)
    return calls


def lock_is_held(cache: Path) -> bool:
    """Whether someone (a cloner) holds the spare lock right now."""
    fd = os.open(cache / sparetree.LOCK_FILE, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def release_if_waiting(fifo: Path) -> None:
    """Let a cloner still waiting on the FIFO go on (opening it fails when nobody reads it)."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    try:
        os.write(fd, b"x")
    finally:
        os.close(fd)


def test_the_first_rebuild_patches_the_clone_made_ahead(cold: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cache, output = cold / CACHE_DIR, cold / "output"
    sparetree.wait(cache)
    state = treestate.load(cache, output)
    assert state.spare and set(state.spare) == set(state.live)  # the whole live site is the recorded spare
    # hard links: the live records vouch for the spare's files (same inode, size and mtime)
    assert os.stat(cache / SPARE_DIR / UNRELATED).st_ino == os.stat(output / UNRELATED).st_ino
    calls = clone_calls(monkeypatch)
    edit_body(cold)
    run(cold, output)
    assert calls == []
    assert_clean(cold, tmp_path, "body edit on the clone made ahead")
    assert not [p for p in cache.iterdir() if p.name.startswith(sparetree.CLONE_PREFIX)]
    edit_title(cold)  # the steady state after it: the old site is the spare, no clone needed
    run(cold, output)
    assert calls == []
    assert_clean(cold, tmp_path, "title edit after it")


def test_a_rebuild_waits_for_a_cloner_at_work(copy_real_site: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site, cache, output = copy_real_site, copy_real_site / CACHE_DIR, copy_real_site / "output"
    go = tmp_path / "go"
    os.mkfifo(go)
    real_clone, real_lock = sparetree.clone, sparetree.spare_lock

    def held_clone(*args) -> None:  # runs in the detached cloner: starts only once the rebuild publishes
        with open(go, "rb") as signal:
            signal.read(1)
        real_clone(*args)

    @contextmanager
    def announced_lock(cache_dir: Path):
        if lock_is_held(cache_dir):  # the cold build's cloner, still waiting: let it work now
            with open(go, "wb") as signal:
                signal.write(b"x")
        with real_lock(cache_dir) as fd:
            yield fd

    monkeypatch.setattr(sparetree, "CLONE_AHEAD_FILES", 1)
    monkeypatch.setattr(sparetree, "clone", held_clone)
    monkeypatch.setattr(sparetree, "spare_lock", announced_lock)
    (site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    run(site, output)
    try:
        assert lock_is_held(cache)  # the cloner took over the build's lock and has not cloned yet
        assert treestate.load(cache, output).spare is None
        calls = clone_calls(monkeypatch)
        edit_body(site)
        run(site, output)  # publishing waits until the cloner has finished, then patches its clone
        assert calls == []
        assert_clean(site, tmp_path, "rebuild while cloning")
    finally:
        release_if_waiting(go)  # a failed assertion above must not leave the cloner waiting for ever
        sparetree.wait(cache)


@pytest.mark.parametrize("left", ["unfinished clone", "clone moved in, not recorded", "stale generation"])
def test_a_killed_or_outdated_cloner_is_never_trusted(copy_real_site: Path, tmp_path: Path, left: str) -> None:
    site, cache, output = copy_real_site, copy_real_site / CACHE_DIR, copy_real_site / "output"
    (site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    run(site, output)  # a small site: no cloner of its own
    state = treestate.load(cache, output)
    assert state.spare is None and not (cache / SPARE_DIR).exists()
    (cache / sparetree.LOCK_FILE).write_bytes(b"")  # a lock file nobody holds any more
    if left == "stale generation":  # a cloner started by an older build finishes after a newer one saved
        sparetree.clone(cache, output, treestate.TreeState(state.output, state.live, None, "older"))
        assert not (cache / SPARE_DIR).exists() and treestate.load(cache, output) == state
    else:
        half = cache / (SPARE_DIR if left.startswith("clone moved") else f"{sparetree.CLONE_PREFIX}4242-1")
        writer.make_site_dir(half)
        paths = sorted(state.live)
        sparetree.clone_tree(output, half, paths[: len(paths) // 2])  # killed halfway through
        (half / paths[0]).unlink()
        (half / paths[0]).write_text("half-written", encoding="utf-8")
        (half / "insights" / "lonely").mkdir(parents=True, exist_ok=True)  # a folder made, its file not yet
    edit_body(site)
    run(site, output)
    assert_clean(site, tmp_path, left)
    assert not [p for p in cache.iterdir() if p.name.startswith((sparetree.CLONE_PREFIX, treestate.DOOMED_PREFIX))]
    assert not (output / "insights" / "lonely").exists()
    edit_title(site)  # and the build after it patches the recovered spare as usual
    run(site, output)
    assert_clean(site, tmp_path, f"{left}, next build")


def test_no_cache_builds_and_small_sites_start_no_cloner(copy_real_site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    started: list = []
    monkeypatch.setattr(sparetree, "start", lambda *args: started.append(args))
    run(copy_real_site, copy_real_site / "output")  # the real site is below the default size
    assert started == []
    monkeypatch.setattr(sparetree, "CLONE_AHEAD_FILES", 1)
    run(copy_real_site, tmp_path / "no-cache", cache=False)
    assert started == []
    run(copy_real_site, tmp_path / "cached")  # the spy does see a cloner where one belongs
    assert len(started) == 1
