"""Spreads pure per-item work over forked worker processes, so the build uses every core."""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 64  # below this a fork costs more than it saves


def worker_count(jobs: int, items: int, min_per_worker: int = MIN_ITEMS_PER_WORKER) -> int:
    """How many processes to use: at most `jobs` (0 = one per core), and only when there is enough work."""
    wanted = jobs or os.cpu_count() or 1
    if not hasattr(os, "fork") or sys.platform == "win32":
        return 1
    return max(1, min(wanted, items // min_per_worker))


def _chunks(items: Sequence[Item], count: int) -> list[Sequence[Item]]:
    """Deal items round-robin into `count` hands, so heavy items at the front are spread out."""
    return [items[index::count] for index in range(count)]


def _read_all(fd: int) -> bytes:
    """Read a pipe to its end."""
    parts = []
    while True:
        block = os.read(fd, 1 << 20)
        if not block:
            return b"".join(parts)
        parts.append(block)


def _child(function: Callable, chunk: Sequence, write_fd: int) -> None:
    """Run in a forked child: compute the chunk, send the pickled results, and exit without cleanup."""
    code = 0
    try:
        try:
            payload = pickle.dumps(("ok", [function(item) for item in chunk]), pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 (the parent re-raises it with the child's traceback)
            payload = pickle.dumps(("error", traceback.format_exc()))
            code = 1
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int,
             min_per_worker: int = MIN_ITEMS_PER_WORKER) -> list[Result]:
    """`[function(x) for x in items]`, computed by forked children that inherit the caller's state.

    Fork (not spawn) means nothing but the results is pickled; the parent does one share itself.
    """
    count = worker_count(jobs, len(items), min_per_worker)
    if count == 1:
        return [function(item) for item in items]
    chunks = _chunks(items, count)
    children: list[tuple[int, int]] = []
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        for chunk in chunks[1:]:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _child(function, chunk, write_fd)
            os.close(write_fd)
            children.append((pid, read_fd))
        results: list = [None] * len(items)
        results[0::count] = [function(item) for item in chunks[0]]
        for index, (pid, read_fd) in enumerate(children, start=1):
            data = _read_all(read_fd)
            status, value = pickle.loads(data) if data else ("error", "worker died without a result")
            if status != "ok":
                raise RuntimeError(f"a build worker failed:\n{value}")
            results[index::count] = value
    finally:
        for pid, read_fd in children:
            try:
                os.close(read_fd)
            except OSError:
                pass
            os.waitpid(pid, 0)
    return results
