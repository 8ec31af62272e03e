"""An external step that exits 0 after writing a broken result (Pagefind on a full disk) never reaches the site."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from reThink_site.publish import search
from reThink_site.publish.search import SearchIndexError
from tests.helpers import PINNED_NOW, tree

DAMAGE = {
    "every file empty": "for path in files: path.write_bytes(b'')",
    "a fragment cut short": "frag = [p for p in files if p.suffix == '.pf_fragment'][0]; "
                            "frag.write_bytes(frag.read_bytes()[:len(frag.read_bytes()) // 2])",
    "the entry file missing": "(index / 'pagefind-entry.json').unlink()",
    "the entry file not JSON": "(index / 'pagefind-entry.json').write_text('{\"version\": ')",
    "the meta file missing": "[p.unlink() for p in files if p.suffix == '.pf_meta']",
    "the UI script empty": "(index / 'pagefind-ui.js').write_bytes(b'')",
}


def broken_pagefind(folder: Path, damage: str) -> Path:
    """A stand-in for Pagefind that runs the real one, then spoils what it wrote and exits 0."""
    real = search.pagefind_binary()
    assert real is not None, "the pagefind[bin] test dependency is missing"
    script = folder / "pagefind"
    script.write_text(f"""#!{sys.executable}
import subprocess, sys
from pathlib import Path
code = subprocess.run([{str(real)!r}, *sys.argv[1:]]).returncode
site = Path(sys.argv[sys.argv.index('--site') + 1])
index = site / 'pagefind'
files = sorted(p for p in index.rglob('*') if p.is_file())
{DAMAGE[damage]}
sys.exit(0)
""", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("cache", [True, False])
def test_a_broken_search_index_is_an_error_and_the_old_site_stays(damage, cache, copy_real_site, tmp_path,
                                                                 monkeypatch):
    output = tmp_path / "output"
    options = BuildOptions(project=copy_real_site, output=output, now=PINNED_NOW, jobs=1, search=True, cache=cache)
    build(options)
    before = tree(output)
    about = copy_real_site / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("title:", "title: Changed", 1), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken_pagefind(tmp_path, damage)))
    with pytest.raises(SearchIndexError, match="wrote a broken index") as caught:
        build(options)
    assert "pagefind/" in str(caught.value) and "previous site is left in place" in str(caught.value)
    assert tree(output) == before
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    build(options)  # with a working indexer the next build publishes
    assert search.broken_index(output / "pagefind") == ""


def test_the_real_index_passes_the_check(real_site):
    assert search.broken_index(real_site / "pagefind") == ""
