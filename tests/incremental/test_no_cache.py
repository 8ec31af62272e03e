"""`--no-cache` switches off all of the speed machinery: no recorder, memo, keys or kept parts, same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from reThink_site.incremental import fastpath, fingerprints, pagememo, partcache, sparetree, templatecache, treestate
from tests.helpers import PINNED_NOW as NOW


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


MACHINERY = [
    (fingerprints.Freshness, "key"), (fingerprints.Prints, "__init__"), (fingerprints, "code_fingerprint"),
    (pagememo.Recorder, "__init__"), (pagememo.TrackedSite, "__init__"), (pagememo, "remembering"),
    (pagememo, "open_memo"), (templatecache, "open_bytecode_cache"), (partcache.PartStore, "__init__"),
    (fastpath, "snapshot"), (fastpath, "record"), (treestate, "load"), (sparetree, "publish_reusing"),
]


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_cache_builds_the_same_bytes_without_touching_the_machinery(copy_real_site, tmp_path, monkeypatch, jobs):
    build(BuildOptions(project=copy_real_site, output=tmp_path / "cached", now=NOW, jobs=jobs, search=False))

    def refuse(*args, **kwargs):
        raise AssertionError("--no-cache used the speed machinery")

    with monkeypatch.context() as patch:
        for owner, name in MACHINERY:
            patch.setattr(owner, name, refuse)
        build(BuildOptions(project=copy_real_site, output=tmp_path / "plain", now=NOW, jobs=jobs, search=False,
                           cache=False))
    assert files_of(tmp_path / "plain") == files_of(tmp_path / "cached")


def test_the_refusals_bite_when_the_cache_is_on(copy_real_site, tmp_path, monkeypatch):
    monkeypatch.setattr(fingerprints.Freshness, "key", lambda *a, **k: (_ for _ in ()).throw(AssertionError("used")))
    with pytest.raises(AssertionError, match="used"):
        build(BuildOptions(project=copy_real_site, output=tmp_path / "cached", now=NOW, jobs=1, search=False))
