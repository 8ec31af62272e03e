"""Spots field names one edit away from a known one (`titel`, `strat`)."""

from __future__ import annotations

from typing import Iterable, Optional


def one_edit_apart(a: str, b: str) -> bool:
    """True when one insert, delete, change or neighbour swap turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] \
            and a[diffs[1]] == b[diffs[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return True
    return False


def likely_meant(name: str, known: Iterable[str]) -> Optional[str]:
    """The known field this unknown name is probably a typo of, if any."""
    lowered = name.lower()
    for candidate in sorted(known):
        if lowered == candidate or one_edit_apart(lowered, candidate):
            return candidate
    return None
