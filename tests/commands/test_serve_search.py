"""`rethink serve --search`: /search/ and its index are served, and an edit is in the next index."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.commands.test_serve import ABOUT, PREFIX, SERVE_NOW, free_port, get, wait_until
from tests.helpers import REPO


def test_serve_with_search_serves_the_index_and_reindexes_an_edit(copy_real_site):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "reThink_site", "serve", "--site", str(copy_real_site),
                                "--port", str(port), "--now", SERVE_NOW, "--search"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: process.poll() is None and get(port, PREFIX + "/search/")[0] == 200, timeout=60)
        status, _, body = get(port, PREFIX + "/pagefind/pagefind-entry.json")
        assert status == 200
        entry = json.loads(body)
        for language in entry["languages"].values():
            assert language["page_count"] > 0
            assert get(port, f"{PREFIX}/pagefind/pagefind.{language['hash']}.pf_meta")[0] == 200
        assert get(port, PREFIX + "/pagefind/pagefind-ui.js")[0] == 200
        about = copy_real_site / ABOUT
        about.write_text(about.read_text(encoding="utf-8") + "\nZanzibarish is a word only this edit uses.\n",
                         encoding="utf-8")
        changed = wait_until(lambda: (lambda r: r[2] if r[0] == 200 and json.loads(r[2]) != entry else None)(
            get(port, PREFIX + "/pagefind/pagefind-entry.json")), timeout=60)
        for language in json.loads(changed)["languages"].values():
            assert get(port, f"{PREFIX}/pagefind/pagefind.{language['hash']}.pf_meta")[0] == 200
    finally:
        process.kill()
        process.wait(timeout=10)
