"""Forked workers share the work out as they go, and their results come back in order."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reThink_site.incremental.parallel import fork_map


def test_results_keep_the_items_order_across_processes():
    results = fork_map(lambda item: (item * 3, os.getpid()), list(range(500)), jobs=2, min_per_worker=1)
    assert [value for value, _ in results] == [item * 3 for item in range(500)]


def test_a_slow_item_does_not_hold_up_the_items_dealt_after_it(tmp_path: Path):
    """Item 0 waits until every other item is done: only possible when a free process takes them all."""
    count = 11

    def work(item: int) -> str:
        if item:
            (tmp_path / f"done-{item}").touch()
            return "done"
        deadline = time.monotonic() + 20
        while len(list(tmp_path.glob("done-*"))) < count - 1:
            if time.monotonic() > deadline:
                return "stuck: the other items waited behind this one"
            time.sleep(0.01)
        return "done"

    assert fork_map(work, list(range(count)), jobs=2, min_per_worker=1) == ["done"] * count


def test_a_failing_worker_is_reported_with_its_error():
    with pytest.raises((RuntimeError, ZeroDivisionError), match="division|ZeroDivision"):
        fork_map(lambda item: 1 // (item - 150), list(range(300)), jobs=2)
