"""An external step that reports success with a broken result (Pagefind on a full disk) never reaches the site."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from reThink_site.publish import search
from reThink_site.publish.search import SearchIndexError
from tests.helpers import PINNED_NOW, tree

DAMAGE = {  # what happens to the index files Pagefind hands over, {path: bytes}
    "every file empty": "for name in files: files[name] = b''",
    "a fragment cut short": "frag = [n for n in files if n.endswith('.pf_fragment')][0]; "
                            "files[frag] = files[frag][:len(files[frag]) // 2]",
    "the entry file missing": "del files['pagefind-entry.json']",
    "the entry file not JSON": "files['pagefind-entry.json'] = b'{\"version\": '",
    "the meta file missing": "[files.pop(n) for n in list(files) if n.endswith('.pf_meta')]",
    "the UI script empty": "files['pagefind-ui.js'] = b''",
}


def broken_pagefind(folder: Path, damage: str) -> Path:
    """A stand-in for Pagefind's service: passes every message to the real one and back, but spoils the
    index files in the real one's answer to GetFiles, as a Pagefind writing on a full disk would."""
    real = search.pagefind_binary()
    assert real is not None, "the pagefind[bin] test dependency is missing"
    script = folder / "pagefind"
    script.write_text(f"""#!{sys.executable}
import base64, json, subprocess, sys, threading
real = subprocess.Popen([{str(real)!r}, *sys.argv[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def forward():
    while chunk := sys.stdin.buffer.read1(1 << 16):
        real.stdin.write(chunk)
        real.stdin.flush()
    real.stdin.close()
threading.Thread(target=forward, daemon=True).start()
pending = b""
while chunk := real.stdout.read1(1 << 20):
    *messages, pending = (pending + chunk).split(b",")
    for message in messages:
        reply = json.loads(base64.b64decode(message))
        if reply["payload"].get("type") == "GetFiles":
            files = {{f["path"]: base64.b64decode(f["content"]) for f in reply["payload"]["files"]}}
            {DAMAGE[damage]}
            reply["payload"]["files"] = [{{"path": k, "content": base64.b64encode(v).decode()}}
                                         for k, v in files.items()]
            message = base64.b64encode(json.dumps(reply).encode())
        sys.stdout.buffer.write(message + b",")
    sys.stdout.buffer.flush()
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
