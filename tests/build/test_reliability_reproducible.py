"""Same content, templates and SOURCE_DATE_EPOCH: byte-identical output, whatever order files were created in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from tests.helpers import REPO, tree

EPOCH = str(int(datetime(2015, 3, 10, 12, 0, tzinfo=timezone.utc).timestamp()))


def copy_in_order(source: Path, dest: Path, reverse: bool) -> None:
    """Copy a folder creating files (and folders) in sorted or reversed order, with scrambled mtimes."""
    files = sorted(p for p in source.rglob("*") if p.is_file())
    for index, path in enumerate(reversed(files) if reverse else files):
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        stamp = 1_000_000_000 + (index * 7919 if reverse else index)
        os.utime(target, (stamp, stamp))


def build_with_epoch(site: Path, output: Path, tz: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TZ": tz, "LC_ALL": "C",
           "PYTHONHASHSEED": "random", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "reThink_site", "build", "--site", str(site), "--output",
                           str(output), "--no-search", "--quiet"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_two_copies_in_different_orders_build_byte_identical(copy_real_site, tmp_path):
    for name, reverse in (("forward", False), ("reverse", True)):
        site = tmp_path / name
        site.mkdir()
        shutil.copyfile(copy_real_site / "site.yaml", site / "site.yaml")
        copy_in_order(copy_real_site / "content", site / "content", reverse)
        copy_in_order(REPO / "templates", site / "templates", reverse)  # the site's own copy of the theme
    build_with_epoch(tmp_path / "forward", tmp_path / "out-a", tz="UTC")
    build_with_epoch(tmp_path / "reverse", tmp_path / "out-b", tz="Pacific/Kiritimati")
    first, second = tree(tmp_path / "out-a"), tree(tmp_path / "out-b")
    assert len(first) > 40
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert not different, f"files differ between the two builds: {different[:10]}"


def test_source_date_epoch_is_the_same_as_now(copy_real_site, tmp_path, build_site_at):
    build_with_epoch(copy_real_site, tmp_path / "epoch", tz="UTC")
    build_site_at(copy_real_site, tmp_path / "now", now="2015-03-10T12:00Z")
    assert tree(tmp_path / "epoch") == tree(tmp_path / "now")
