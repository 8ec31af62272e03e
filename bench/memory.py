"""Peak memory of one cold build per tool, as summed RSS and as summed PSS over the process tree.

Summed RSS counts a page shared by forked workers once per process; PSS (proportional set size,
from /proc/<pid>/smaps_rollup) splits each shared page between its sharers, so the PSS sum is the
physical memory the tree really uses (what a cgroup's memory.peak would report, minus page cache).
Run after `python bench/run.py` has made the corpora:  python bench/memory.py --size 5000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

from run import TRASH, WORK, tools_for


def tree(root: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def rollup(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


def peak_memory(command: list[str], cwd: Path, env: dict | None) -> tuple[float, int, int]:
    """Wall seconds, peak summed RSS and peak summed PSS of a command's process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            sums = [sum(values) for values in zip(*(rollup(pid) for pid in tree(process.pid)))] or [0, 0]
            peaks[0], peaks[1] = max(peaks[0], sums[0]), max(peaks[1], sums[1])
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    return time.perf_counter() - started, peaks[0], peaks[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5000)
    args = parser.parse_args()
    print("| N | tool | cold build | peak RSS (tree) | peak PSS (tree) |\n|---|---|---|---|---|")
    for tool in tools_for(WORK / f"n{args.size}"):
        tool.cold()
        seconds, rss, pss = peak_memory(tool.command, tool.folder, tool.env)
        print(f"| {args.size} | {tool.name} | {seconds:.2f} s | {rss / 2**20:.0f} MB | {pss / 2**20:.0f} MB |",
              flush=True)
    shutil.rmtree(TRASH, ignore_errors=True)


if __name__ == "__main__":
    main()
