"""Is the caller better than chance? Two permutation nulls that keep what a caller could not
choose, and redraw what they could.

The statistic of a group of calls (a source, or all of them) is the mean stance-signed excess
over its scored (call, horizon) cells (fraction), and per horizon over that horizon's cells.

- **Random dates**: the same stocks, benchmarks and stances, each call entered on a day drawn
  uniformly from the sessions of its stock between the history start and the last day that
  lets each of its scored horizons end by the data end; each horizon is held for the same
  number of sessions as the call's own. It asks: did the caller pick good moments?
- **Random stances**: the same stocks and dates, each stance buy or sell with probability
  1/2 (the excess changes sign). It asks: did the caller pick the right direction?

One-sided p-value: (1 + draws with a statistic at or above the observed) / (1 + draws), which
is uniform or conservative when the calls carry no skill. Draws are (draws, calls, horizons)
numpy arrays, grouped by pair so that each pair's prices are indexed once.
"""

from __future__ import annotations

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
    with np.errstate(invalid="ignore"):
        above = (null >= observed[np.newaxis] - 1e-15).sum(axis=0)
    p = (1 + above) / (1 + null.shape[0])
    return np.where(np.isnan(observed), np.nan, p)


def random_date_excess(grid: CallGrid, *, draws: int, rng: np.random.Generator) -> np.ndarray:
    """(draws, calls, horizons) stance-signed excess of each call entered on random days
    (NaN where the call is not scored)."""
    scored = grid.scored
    out = np.full((draws, *scored.shape), np.nan)
    holding = grid.holding_days()
    for p, pair in enumerate(grid.pairs):
        rows = np.flatnonzero((grid.pair_of == p) & scored.any(axis=1))
        if not len(rows):
            continue
        lo = pair.first_entry(grid.convention, grid.history_start)
        hi = len(pair.calendar) - 1 - holding[rows].max(axis=1)
        hi = np.maximum(hi, lo)
        span = np.maximum(hi - lo + 1, 1)
        starts = lo + np.floor(rng.random((draws, len(rows))) * span).astype(np.int64)
        starts = np.minimum(starts, len(pair.calendar) - 1)
        for k in range(scored.shape[1]):
            live = scored[rows, k]
            if not live.any():
                continue
            exits = np.minimum(starts + np.where(live, holding[rows, k], 0), len(pair.calendar) - 1)
            stock, bench = pair.returns(starts, exits, grid.convention)
            values = signed_excess(stock, bench, grid.sign[rows])
            out[:, rows, k] = np.where(live, values, np.nan)
    return out


def permutation_nulls(grid: CallGrid, groups: np.ndarray, *, draws: int, seed: int) -> Nulls:
    """Both nulls for the (calls, groups) boolean membership matrix ``groups``."""
    rng = np.random.default_rng(seed)
    scored = grid.scored
    excess = np.where(scored, grid.excess, np.nan)
    observed_by_horizon = _group_means(excess[np.newaxis], groups)[0]
    observed = _pooled(excess[np.newaxis], groups)[0]
    dates = random_date_excess(grid, draws=draws, rng=rng)
    flips = np.where(rng.random((draws, len(grid.calls))) < 0.5, -1.0, 1.0)
    stances = np.where(scored[np.newaxis], excess[np.newaxis] * flips[:, :, np.newaxis], np.nan)
    return Nulls(
        observed=observed,
        observed_by_horizon=observed_by_horizon,
        dates=_pooled(dates, groups),
        stances=_pooled(stances, groups),
        dates_by_horizon=_group_means(dates, groups),
        stances_by_horizon=_group_means(stances, groups),
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
