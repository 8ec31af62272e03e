"""Spreads pure per-item work over forked worker processes, so the build uses every core."""

from __future__ import annotations

import os
import pickle
import struct
import sys
import traceback
from typing import Callable, Sequence, TypeVar

from reThink_site.core.errors import SiteError

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 64  # below this a fork costs more than it saves
BATCHES_PER_WORKER = 8  # items are handed out in this many batches per process, whoever is free first
_INDEX = struct.Struct("<I")


def worker_count(jobs: int, items: int, min_per_worker: int = MIN_ITEMS_PER_WORKER) -> int:
    """How many processes to use: at most `jobs` (0 = one per core), and only when there is enough work."""
    wanted = jobs or os.cpu_count() or 1
    if not hasattr(os, "fork") or sys.platform == "win32":
        return 1
    return max(1, min(wanted, items // min_per_worker))


def _chunks(items: Sequence[Item], count: int) -> list[Sequence[Item]]:
    """Deal items round-robin into `count` hands, so heavy items at the front are spread out."""
    return [items[index::count] for index in range(count)]


def _next_batch(queue_fd: int) -> int:
    """The index of the next batch nobody has taken yet, or -1 when all are taken.

    The parent wrote every index into one pipe before forking; a read of one index is atomic, so each
    batch goes to exactly one process, and a process that finishes early simply takes another.
    """
    data = os.read(queue_fd, _INDEX.size)
    return _INDEX.unpack(data)[0] if len(data) == _INDEX.size else -1


def _work_through(function: Callable, batches: Sequence[Sequence], queue_fd: int) -> list[tuple[int, list]]:
    """Take batches from the queue until it is empty; each result list is tagged with its batch."""
    done = []
    while (index := _next_batch(queue_fd)) >= 0:
        done.append((index, [function(item) for item in batches[index]]))
    return done


def _child(function: Callable, batches: Sequence[Sequence], queue_fd: int, write_fd: int) -> None:
    """Run in a forked child: work through the queue, stream the pickled results, exit without cleanup.

    Results are pickled straight into the pipe, never into one big bytes object first: a share of a
    large site's pages is a hundred megabytes, and a second copy of it would double the peak memory.
    """
    code = 0
    try:
        try:
            outcome: tuple = ("ok", _work_through(function, batches, queue_fd))
        except BaseException as err:  # noqa: BLE001 (the parent raises it again)
            outcome = _failure(err)
            code = 1
        with os.fdopen(write_fd, "wb") as pipe:
            pickle.dump(outcome, pipe, pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 (unpicklable results: the parent reports the broken stream)
        code = 1
    finally:
        os._exit(code)


def _failure(err: BaseException) -> tuple[str, object]:
    """What a worker sends when its work raised: the exception itself, so the parent raises the same one.

    A SiteError (a theme mistake, a bad file) then reaches the user as cleanly as with `--jobs 1`;
    anything else carries the worker's traceback as a note. Exceptions that do not survive pickling
    are sent as their traceback text.
    """
    detail = traceback.format_exc()
    if not isinstance(err, SiteError):
        err.add_note(f"raised in a build worker:\n{detail}")
    try:
        copy = pickle.loads(pickle.dumps(err, pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 (any exception may refuse to pickle)
        return "error", detail
    if type(copy) is not type(err) or str(copy) != str(err):
        return "error", detail
    return "raise", err


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

    Fork (not spawn) means nothing but the results is pickled; the parent works through the batches
    too. Batches are taken from a shared queue, so one slow item (the calendars) does not leave the
    other cores idle while its process catches up.
    """
    count = worker_count(jobs, len(items), min_per_worker)
    if count == 1:
        return [function(item) for item in items]
    batches = _chunks(items, min(len(items), count * BATCHES_PER_WORKER))
    children: list[tuple[int, int]] = []
    queue_read, queue_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.write(queue_write, b"".join(_INDEX.pack(index) for index in range(len(batches))))
        os.close(queue_write)
        for _ in range(count - 1):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                _child(function, batches, queue_read, write_fd)
            os.close(write_fd)
            children.append((pid, read_fd))
        results: list = [None] * len(items)
        done = _work_through(function, batches, queue_read)
        for _pid, read_fd in children:
            status, value = _receive(read_fd)
            if status == "raise" and isinstance(value, BaseException):
                raise value
            if status != "ok":
                raise RuntimeError(f"a build worker failed:\n{value}")
            done += value
        for index, part in done:
            results[index::len(batches)] = part
    finally:
        os.close(queue_read)
        for pid, read_fd in children:
            try:
                os.close(read_fd)
            except OSError:
                pass
            os.waitpid(pid, 0)
    return results
