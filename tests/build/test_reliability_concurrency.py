"""Two builds of one site at once (`serve --drafts` beside `build`) serialise: never a mix of both on the site.

Each build holds an exclusive lock on the project folder from before it reads anything until it has
published; a second build says it is waiting and starts once the first is done. Real processes here.
CI runs 3 concurrent pairs; for a longer local run:
    RETHINK_PAIRS=30 pytest tests/build/test_reliability_concurrency.py -s
"""

from __future__ import annotations

import fcntl
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from reThink_site.build import BuildOptions, build
from tests.helpers import PINNED_NOW, REPO, tree

PAIRS = int(os.environ.get("RETHINK_PAIRS", "3"))
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
DRAFT = "content/insights/2015-02-01-not-yet-agreed.md"
DRAFT_TEXT = "---\ntitle: Not yet agreed\ndate: 2015-02-01\ntags: [drafting]\ndraft: true\n---\nA draft.\n"


def build_command(site: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "reThink_site", "build", "--site", str(site), "--output", str(output),
            "--now", PINNED_NOW, "--jobs", "1", "--no-search", "--quiet", *extra]


def read_line(stream, timeout: float) -> str:
    """One line of a child's output, or "" when none came in time."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def test_a_build_waits_while_another_build_of_the_site_runs(copy_real_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "public" / "output"
    holder = os.open(copy_real_site, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # what a running build holds
    process = subprocess.Popen(build_command(copy_real_site, output), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        said = read_line(process.stderr, 60)
        assert "Another build of this site is running" in said and "waiting" in said, said
        time.sleep(1.5)
        assert process.poll() is None, "the second build did not wait"
        assert not output.exists() and not (copy_real_site / ".rethink-cache" / "trees.json").exists()
    finally:
        os.close(holder)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    reference = tmp_path / "reference"
    build(BuildOptions(project=copy_real_site, output=reference, now=PINNED_NOW, jobs=1, search=False, cache=False))
    assert tree(output) == tree(reference)


def set_version(site: Path, version: int) -> None:
    """Two versions of the content (the About page's title), so both builds of every pair do real work."""
    about = site / "content" / "pages" / "about.md"
    lines = about.read_text(encoding="utf-8").split("\n")
    about.write_text("\n".join(f"title: About (version {version})" if line.startswith("title:") and index
                               else line for index, line in enumerate(lines)), encoding="utf-8")


def test_concurrent_builds_with_different_options_never_publish_a_mix(copy_real_site: Path,
                                                                        tmp_path: Path) -> None:
    site = copy_real_site
    (site / DRAFT).write_text(DRAFT_TEXT, encoding="utf-8")
    known = {}
    for version in (0, 1):
        set_version(site, version)
        for drafts in (False, True):
            reference = tmp_path / f"reference-{version}-{drafts}"
            build(BuildOptions(project=site, output=reference, now=PINNED_NOW, jobs=1, search=False, cache=False,
                               drafts=drafts))
            known[version, drafts] = tree(reference)
    assert len({str(sorted(files.items())) for files in known.values()}) == 4
    output = tmp_path / "public" / "output"
    subprocess.run(build_command(site, output), check=True, capture_output=True, timeout=120, env=ENV)
    waited = 0
    for attempt in range(PAIRS):
        version = (attempt + 1) % 2
        set_version(site, version)
        first, second = ((), ("--drafts",)) if attempt % 2 else (("--drafts",), ())
        processes = [subprocess.Popen(build_command(site, output, *extra), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True, env=ENV) for extra in (first, second)]
        errors = [process.communicate(timeout=240)[1] for process in processes]
        assert [process.returncode for process in processes] == [0, 0], errors
        assert "Traceback" not in "".join(errors)
        waited += sum("waiting for it to finish" in text for text in errors)
        published = tree(output)
        assert published in (known[version, False], known[version, True]), \
            f"pair {attempt}: the output mixes the two builds"
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]
    print(f"\nconcurrency test: {PAIRS} pairs of concurrent builds (--drafts and not), {waited} builds waited "
          "for the other; the output was always one whole site")
    assert waited >= 1  # the pairs really overlapped


def test_serve_drafts_waits_for_a_build_of_the_site_too(copy_real_site: Path, tmp_path: Path) -> None:
    """`serve --drafts` builds through the same lock: started beside a build, it waits, then serves its own site."""
    import http.client
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    holder = os.open(copy_real_site, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a build at work
    process = subprocess.Popen([sys.executable, "-m", "reThink_site", "serve", "--site", str(copy_real_site),
                                "--port", str(port), "--now", PINNED_NOW, "--drafts"], env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        said = read_line(process.stdout, 60)
        assert "Another build of this site is running" in said, said
        time.sleep(1.0)
        assert process.poll() is None and not (copy_real_site / "output").exists()
        os.close(holder)
        holder = -1
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/local-rethink/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("serve never came up after the lock was released")
    finally:
        if holder >= 0:
            os.close(holder)
        process.kill()
        process.wait(timeout=10)
        process.stdout.close()
