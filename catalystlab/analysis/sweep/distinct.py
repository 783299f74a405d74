"""Trials that are one strategy: the same exposure on the same ticker trade identically, so
confirming two of them confirms one strategy twice."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

# Trials looked at, at most, to find the distinct leaders (each costs one signal computation).
MAX_SCANNED = 2000


def distinct_leaders(
    ranked: Iterable[int],
    key: Callable[[int], Hashable],
    count: int,
    *,
    limit: int = MAX_SCANNED,
) -> dict[int, tuple[int, ...]]:
    """The first ``count`` trials of ``ranked`` (trial numbers, best first) whose ``key``
    (e.g. ticker and exposure digest) differs from every earlier one, each with the later
    trials of the same key merged into it, in rank order.

    Trials of one key have the same metrics, hence adjacent ranks: the scan stops at the
    first trial of a new key once ``count`` leaders are found (or after ``limit`` trials).
    """
    leaders: dict[Hashable, int] = {}
    merged: dict[int, list[int]] = {}
    for scanned, trial in enumerate(ranked):
        if scanned >= limit:
            break
        found = key(trial)
        if found in leaders:
            merged[leaders[found]].append(trial)
        elif len(leaders) < count:
            leaders[found] = trial
            merged[trial] = []
        else:
            break
    return {leader: tuple(rest) for leader, rest in merged.items()}
