"""A build killed at any moment leaves the previous output complete; the next build cleans up by itself.

CI kills 15 builds with SIGKILL and 3 with each other way (SIGTERM, SIGINT, SIGKILL to the process group).
For a longer local run:  RETHINK_KILLS=200 pytest tests/build/test_reliability_kill.py -s  (a fifth as many for
each other way)
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from tests.helpers import PINNED_NOW, REPO, tree

KILLS = int(os.environ.get("RETHINK_KILLS", "15"))
WAYS = {"SIGKILL": KILLS, "SIGTERM": max(3, KILLS // 5), "SIGINT": max(3, KILLS // 5),
        "process group SIGKILL": max(3, KILLS // 5)}  # how a build is stopped, and how many times
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def build_command(site: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "reThink_site", "build", "--site", str(site), "--output", str(output),
            "--now", PINNED_NOW, "--jobs", "1", "--no-search", "--quiet"]


def set_version(site: Path, version: int) -> None:
    """Two known-good versions of the site: a changed page title and one extra insight."""
    about = site / "content" / "pages" / "about.md"
    text = about.read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    lines = rest.split("\n")
    lines = [f"title: About (version {version})" if line.startswith("title:") else line for line in lines]
    about.write_text(head + "\n" + "\n".join(lines), encoding="utf-8")
    extra = site / "content" / "insights" / "2014-05-01-kill-test.md"
    if version == 2:
        extra.write_text("---\ntitle: Written during the kill test\ndate: 2014-05-01\n---\nHello.\n")
    else:
        extra.unlink(missing_ok=True)


def stop(process: subprocess.Popen, way: str) -> None:
    """Stop a build the way CI timeouts, the OOM killer, Ctrl-C or a killed job runner do."""
    if way == "process group SIGKILL":
        os.killpg(process.pid, signal.SIGKILL)
    else:
        process.send_signal(getattr(signal, way))


@pytest.mark.parametrize("way", sorted(WAYS))
def test_killed_builds_never_break_the_published_site(way, copy_real_site, tmp_path):
    site, kills = copy_real_site, WAYS[way]
    known = {}
    for version in (1, 2):
        set_version(site, version)
        reference = tmp_path / f"reference-{version}"
        build(BuildOptions(project=site, output=reference, now=PINNED_NOW, jobs=1, search=False))
        known[version] = tree(reference)
    assert known[1] != known[2]

    output = tmp_path / "public" / "output"
    set_version(site, 1)
    subprocess.run(build_command(site, output), check=True, capture_output=True, timeout=120, env=ENV)
    assert tree(output) == known[1]

    set_version(site, 2)  # a real rebuild (an unchanged one stops early), to time a typical build
    started = time.perf_counter()  # the typical length of a build, to spread the kills over it
    subprocess.run(build_command(site, output), check=True, capture_output=True, timeout=120, env=ENV)
    typical = time.perf_counter() - started

    rng = random.Random(20140108)
    killed_mid_build = 0
    for attempt in range(kills):
        set_version(site, 2 - attempt % 2)
        process = subprocess.Popen(build_command(site, output), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=ENV, start_new_session=True)
        time.sleep(rng.uniform(0, typical))
        if process.poll() is None:
            killed_mid_build += 1
            stop(process, way)
        process.wait(timeout=60)
        now_published = tree(output)
        assert now_published in (known[1], known[2]), f"kill {attempt}: output is neither the old nor the new site"

    set_version(site, 2)
    finished = subprocess.run(build_command(site, output), capture_output=True, text=True, timeout=120, env=ENV)
    assert finished.returncode == 0 and "Traceback" not in finished.stderr, finished.stderr
    assert tree(output) == known[2]
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"], "leftovers were not cleaned up"
    print(f"\nkill test ({way}): {kills} kills, {killed_mid_build} while the build was running, "
          f"typical build {typical:.2f} s; output always complete")
    assert killed_mid_build >= kills // 3  # the kills really landed inside builds
