"""`rethink serve --cms`: the local backend on 127.0.0.1 saves into content/, and the preview rebuilds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml

from reThink_site.build import BuildOptions
from reThink_site.cms import localbackend
from reThink_site.commands import serve
from reThink_site.core.errors import UsageError
from tests.helpers import REPO

NEW_EVENT = "---\ntitle: Saved through the local backend\nstart: 2026-05-14 10:00\n---\nText.\n"


def read_until(process: subprocess.Popen, pattern: str, seconds: float = 120) -> re.Match:
    deadline, seen = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError("serve stopped:\n" + "".join(seen))
        seen.append(line)
        if found := re.search(pattern, line):
            return found
    raise AssertionError("".join(seen))


def fetch(url: str, data: bytes | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


@pytest.fixture
def cms_served(copy_real_site):
    if shutil.which("node") is None or localbackend.server_script(REPO) is None:
        if os.environ.get("CI"):
            pytest.fail("serve --cms needs Node.js and decap-server (npm ci); CI is set, so it must run")
        pytest.skip("serve --cms needs Node.js and decap-server (npm ci)")
    process = subprocess.Popen([sys.executable, "-m", "reThink_site", "serve", "--cms", "--port", "0",
                                "--site", str(copy_real_site)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        admin = read_until(process, r"Edit in the browser: (\S+) .*local backend (\S+)\)")
        yield copy_real_site, admin.group(1), admin.group(2), process
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()


def test_the_local_backend_saves_into_content_and_the_preview_rebuilds(cms_served):
    project, admin, api, process = cms_served
    assert api.startswith("http://127.0.0.1:")
    config = yaml.safe_load(fetch(admin + "config.yml"))
    assert config["local_backend"]["url"] == api and "publish_mode" not in config
    assert b"EventSource" not in fetch(admin)  # no live reload in the editor: a rebuild must not reload a form
    assert json.loads(fetch(api, b'{"action":"info"}'))["type"] == "local_fs"
    path = "content/events/2026-05-14-saved-through-the-local-backend.md"
    fetch(api, json.dumps({"action": "persistEntry", "params": {
        "branch": "main", "entry": {"slug": "2026-05-14-saved-through-the-local-backend", "path": path,
                                    "raw": NEW_EVENT},
        "assets": [], "options": {"collectionName": "events", "commitMessage": "Add", "useWorkflow": False,
                                "status": "draft"}}}).encode())
    assert (project / path).read_text(encoding="utf-8") == NEW_EVENT
    page = admin.replace("admin/", "events/2026-05-14-saved-through-the-local-backend/")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if b"Saved through the local backend" in fetch(page):
                break
        except OSError:
            time.sleep(0.3)
    else:
        raise AssertionError("the preview did not rebuild with the saved event")
    process.terminate()
    assert process.wait(timeout=20) == 0
    with pytest.raises(OSError):
        fetch(api, b'{"action":"info"}')  # the backend stops with serve


def test_cms_serves_only_this_computer(copy_real_site):
    with pytest.raises(UsageError, match="only this computer"):
        serve.serve(BuildOptions(project=copy_real_site, search=False), "0.0.0.0", 0, print, cms=True)


def test_cms_needs_a_cms_section(copy_real_site):
    site_yaml = copy_real_site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").split("\ncms:")[0] + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no cms: section"):
        serve.serve(BuildOptions(project=copy_real_site, search=False), "127.0.0.1", 0, print, cms=True)
