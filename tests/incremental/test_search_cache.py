"""The search record cache: a one-file rebuild cuts only the changed page down again, and indexes the same."""

from __future__ import annotations

from pathlib import Path

from reThink_site.build import BuildOptions, build
from reThink_site.incremental import searchcache
from reThink_site.incremental.cachedir import CACHE_DIR
from tests.helpers import EXTRA, EXTRA_TEXT, PINNED_NOW, edit_body, tree


def with_search(root: Path, output: Path, cache: bool = True):
    return build(BuildOptions(project=root, output=output, now=PINNED_NOW, jobs=1, cache=cache, search=True))


def test_a_body_edit_makes_only_that_pages_record_again_and_the_index_matches_a_fresh_one(copy_real_site,
                                                                                          tmp_path, monkeypatch):
    (copy_real_site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    output = copy_real_site / "output"
    with_search(copy_real_site, output)
    assert (copy_real_site / CACHE_DIR / searchcache.RECORDS_FILE).is_file()
    made: list[str] = []
    real = searchcache.page_record

    def counting(file):
        record = real(file)
        if record is not None:
            made.append(record.url)
        return record

    monkeypatch.setattr(searchcache, "page_record", counting)
    edit_body(copy_real_site)
    report = with_search(copy_real_site, output)
    assert made == ["/insights/extra-thoughts/"]
    assert "records" in dict(report.steps)
    fresh = tmp_path / "fresh"
    with_search(copy_real_site, fresh, cache=False)
    assert tree(output / "pagefind") == tree(fresh / "pagefind")


def test_a_damaged_record_file_is_made_again(copy_real_site, tmp_path):
    output = copy_real_site / "output"
    with_search(copy_real_site, output)
    (copy_real_site / CACHE_DIR / searchcache.RECORDS_FILE).write_bytes(b"\x00 not marshal")
    (copy_real_site / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")  # a change, so the build does run
    with_search(copy_real_site, output)
    fresh = tmp_path / "fresh"
    with_search(copy_real_site, fresh, cache=False)
    assert tree(output / "pagefind") == tree(fresh / "pagefind")
    assert searchcache.load(copy_real_site / CACHE_DIR / searchcache.RECORDS_FILE)
