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


def _child(function: Callable, chunk: Sequence, write_fd: int) -> None:
    """Run in a forked child: compute the chunk, stream the pickled results, and exit without cleanup.

    Results are pickled straight into the pipe, never into one big bytes object first: a share of a
    large site's pages is a hundred megabytes, and a second copy of it would double the peak memory.
    """
    code = 0
    try:
        try:
            outcome: tuple = ("ok", [function(item) for item in chunk])
        except BaseException:  # noqa: BLE001 (the parent re-raises it with the child's traceback)
            outcome = ("error", traceback.format_exc())
            code = 1
        with os.fdopen(write_fd, "wb") as pipe:
            pickle.dump(outcome, pipe, pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 (unpicklable results: the parent reports the broken stream)
        code = 1
    finally:
        os._exit(code)


def _receive(read_fd: int) -> tuple[str, object]:
    """Unpickle a child's outcome straight from its pipe (no intermediate copy of the bytes)."""
    with os.fdopen(read_fd, "rb", closefd=False) as pipe:
        try:
            return pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return "error", "a worker died or sent results that could not be read"


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
            status, value = _receive(read_fd)
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
