"""Is the caller better than chance? Two permutation nulls that keep what a caller could not
choose, redraw what they could, and keep clustered calls together.

The statistic of a group of calls (a source, or all of them) is the mean stance-signed excess
over its scored (call, horizon) cells (fraction), and per horizon over that horizon's cells.

Calls cluster (a caller buys a dozen stocks in one rally) and their holdings overlap, so they
are not independent draws: flipping or moving each call on its own gives a null far narrower
than the caller's real luck, and p-values several times too small. Both nulls therefore move
calls in **calendar blocks**: blocks as long as the horizon tested (a horizon's own
p-value), or as the longest scored horizon (the pooled p-value over every horizon), so at
least as long as every holding, whose boundaries shift by a random phase in each draw so that
no pair of calls is always split. All calls entered in one block of one draw share that
draw's random choice:

- **Random dates**: the same stocks, benchmarks and stances; each block's calls move by one
  shared random fraction of their range of possible entries (the sessions of the stock from
  the history start to the last day that lets each of the call's scored horizons end by the
  data end), wrapping around at its end, so that calls keep their calendar spacing and each
  call's entry is uniform over its range; each horizon is held for the same number of
  sessions as the call's own. It asks: did the caller pick good moments?
- **Random stances**: the same stocks and dates; each block's stances all keep or all flip
  their sign with probability 1/2 (the excess changes sign). It asks: did the caller pick the
  right direction?

One-sided p-value: (1 + draws with a statistic at or above the observed) / (1 + draws), which
is uniform or conservative when the calls carry no skill (``tests/unit/test_ledger_stats.py``
checks it on simulated callers without skill, clustered and not). Draws are (draws, calls,
horizons) numpy arrays, grouped by pair so that each pair's prices are indexed once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from catalystlab.analysis.ledger.calls import CallGrid
from catalystlab.analysis.ledger.stance import signed_excess


@dataclass(frozen=True, kw_only=True)
class Nulls:
    """Null statistics for ``groups`` (columns): ``dates`` and ``stances`` are (draws, groups)
    for the pooled statistic and (draws, horizons, groups) ``*_by_horizon``; ``observed`` and
    ``observed_by_horizon`` the caller's own; p-values one-sided (see the module docstring)."""

    observed: np.ndarray
    observed_by_horizon: np.ndarray
    dates: np.ndarray
    stances: np.ndarray
    dates_by_horizon: np.ndarray
    stances_by_horizon: np.ndarray

    @property
    def p_dates(self) -> np.ndarray:
        return _p_value(self.dates, self.observed)

    @property
    def p_stances(self) -> np.ndarray:
        return _p_value(self.stances, self.observed)

    @property
    def p_dates_by_horizon(self) -> np.ndarray:
        return _p_value(self.dates_by_horizon, self.observed_by_horizon)

    @property
    def p_stances_by_horizon(self) -> np.ndarray:
        return _p_value(self.stances_by_horizon, self.observed_by_horizon)


def _p_value(null: np.ndarray, observed: np.ndarray) -> np.ndarray:
    # A draw without a statistic (NaN: none of its cells could be priced) counts as at or
    # above the observed one: dropping it from the count alone would shrink the p-value.
    with np.errstate(invalid="ignore"):
        above = ((null >= observed[np.newaxis] - 1e-15) | np.isnan(null)).sum(axis=0)
    p = (1 + above) / (1 + null.shape[0])
    return np.where(np.isnan(observed), np.nan, p)


def block_days(grid: CallGrid, columns: np.ndarray) -> int:
    """Calendar days of one block: the longest of the horizons ``columns`` (a boolean mask
    over ``grid.horizons``) with a scored cell, N months as ceil(N * 365.25 / 12) days; at
    least 1."""
    live = [m for k, m in enumerate(grid.horizons) if columns[k] and grid.scored[:, k].any()]
    return max(1, math.ceil(max(live, default=0) * 365.25 / 12))


def call_blocks(grid: CallGrid, *, length: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """(draws, calls) the calendar block of each call's entry in each draw: 0, 1, ... from
    the earliest entry, blocks of ``length`` days with a random phase per draw. Calls without
    an entry get block 0 (they are never scored)."""
    days = np.zeros(len(grid.calls), dtype=np.int64)
    for p, pair in enumerate(grid.pairs):
        rows = np.flatnonzero((grid.pair_of == p) & (grid.entry >= 0))
        dates = pair.calendar[grid.entry[rows]].to_numpy().astype("datetime64[D]")
        days[rows] = dates.astype(np.int64)
    entered = grid.entry >= 0
    days = np.where(entered, days - (days[entered].min() if entered.any() else 0), 0)
    phase = rng.integers(0, length, size=(draws, 1))
    return (days[np.newaxis] + phase) // length


def _per_block(values: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """(draws, calls): ``values`` (draws, blocks) read at each call's block."""
    return np.take_along_axis(values, blocks, axis=1)


def random_date_excess(
    grid: CallGrid, *, blocks: np.ndarray, columns: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """(draws, calls, horizons) stance-signed excess of each call entered on random days,
    the calls of a block moved together (``blocks`` from :func:`call_blocks`); only the
    horizons ``columns`` are drawn, NaN elsewhere and where the call is not scored."""
    scored = grid.scored & columns[np.newaxis]
    draws = blocks.shape[0]
    out = np.full((draws, *scored.shape), np.nan)
    shift = _per_block(rng.random((draws, int(blocks.max(initial=0)) + 1)), blocks)
    holding = np.where(scored, grid.holding_days(), -1)
    for p, pair in enumerate(grid.pairs):
        rows = np.flatnonzero((grid.pair_of == p) & scored.any(axis=1))
        if not len(rows):
            continue
        lo = pair.first_entry(grid.convention, grid.history_start)
        hi = len(pair.calendar) - 1 - holding[rows].max(axis=1)
        span = np.maximum(hi - lo + 1, 1)
        moved = grid.entry[rows] - lo + np.floor(shift[:, rows] * span).astype(np.int64)
        starts = np.minimum(lo + moved % span, len(pair.calendar) - 1)
        for k in np.flatnonzero(columns):
            live = scored[rows, k]
            if not live.any():
                continue
            exits = np.minimum(starts + np.where(live, holding[rows, k], 0), len(pair.calendar) - 1)
            stock, bench = pair.returns(starts, exits, grid.convention)
            values = signed_excess(stock, bench, grid.sign[rows])
            out[:, rows, k] = np.where(live, values, np.nan)
    return out


def _draw(
    grid: CallGrid, columns: np.ndarray, *, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Both nulls' (draws, calls, horizons) excesses over the horizons ``columns``, in blocks
    of the longest of them (NaN outside them and where not scored)."""
    live = grid.scored & columns[np.newaxis]
    length = block_days(grid, columns)
    blocks = call_blocks(grid, length=length, draws=draws, rng=rng)
    dates = random_date_excess(grid, blocks=blocks, columns=columns, rng=rng)
    signs = np.where(rng.random((draws, int(blocks.max(initial=0)) + 1)) < 0.5, -1.0, 1.0)
    flips = _per_block(signs, blocks)[:, :, np.newaxis]
    stances = np.where(live[np.newaxis], grid.excess[np.newaxis] * flips, np.nan)
    return dates, stances


def permutation_nulls(grid: CallGrid, groups: np.ndarray, *, draws: int, seed: int) -> Nulls:
    """Both nulls for the (calls, groups) boolean membership matrix ``groups``: the pooled
    statistic's in blocks of the longest horizon, each horizon's in blocks of its own length
    (the pooled draws again when that horizon holds every scored cell)."""
    rng = np.random.default_rng(seed)
    horizons = len(grid.horizons)
    excess = np.where(grid.scored, grid.excess, np.nan)
    dates, stances = _draw(grid, np.ones(horizons, dtype=bool), draws=draws, rng=rng)
    by_dates, by_stances = np.full_like(dates, np.nan), np.full_like(stances, np.nan)
    for k in range(horizons):
        only = np.arange(horizons) == k
        if grid.scored[:, ~only].any():
            own_dates, own_stances = _draw(grid, only, draws=draws, rng=rng)
        else:
            own_dates, own_stances = dates, stances
        by_dates[:, :, k], by_stances[:, :, k] = own_dates[:, :, k], own_stances[:, :, k]
    return Nulls(
        observed=_pooled(excess[np.newaxis], groups)[0],
        observed_by_horizon=_group_means(excess[np.newaxis], groups)[0],
        dates=_pooled(dates, groups),
        stances=_pooled(stances, groups),
        dates_by_horizon=_group_means(by_dates, groups),
        stances_by_horizon=_group_means(by_stances, groups),
    )


def _group_means(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(draws, horizons, groups) mean of the non-NaN cells of each group."""
    present = ~np.isnan(values)
    sums = np.einsum("dch,cg->dhg", np.where(present, values, 0.0), groups.astype(float))
    counts = np.einsum("dch,cg->dhg", present.astype(float), groups.astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / np.where(counts > 0, counts, np.nan)


def _pooled(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """(draws, groups) mean over every non-NaN (call, horizon) cell of each group."""
    present = ~np.isnan(values)
    sums = np.einsum("dc,cg->dg", np.where(present, values, 0.0).sum(axis=2), groups.astype(float))
    counts = present.sum(axis=2).astype(float) @ groups.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / np.where(counts > 0, counts, np.nan)
