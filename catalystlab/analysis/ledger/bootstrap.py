"""Intervals for a caller's mean and median excess that respect overlapping holding periods.

Calls held at the same time share the market's moves, so they are not independent draws: a
bootstrap that resamples calls treats twenty calls of one week as twenty pieces of evidence.
Here calendar days are resampled instead, in blocks (Politis & Romano's stationary bootstrap,
``arch.bootstrap.StationaryBootstrap``, mean block length = the median holding period in
trading days, so that a block spans the overlap), over the days on which the portfolio of
open calls holds a position. Each resample gives:

- the portfolio's mean daily excess, annualised (x 252);
- the mean and median excess per call, each call counted as often as its first holding day
  was drawn (calls entered in the same block come and go together).

``naive_call_interval`` resamples calls independently, the way that ignores the overlap; it is
reported beside the block interval so that a reader sees what the overlap costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from arch.bootstrap import StationaryBootstrap

from catalystlab.analysis.ledger.portfolio import OpenCalls

TRADING_DAYS = 252


@dataclass(frozen=True, kw_only=True)
class LedgerInterval:
    """Estimates and two-sided ``level`` percentile intervals (fractions); ``block`` is the
    mean block length in trading days, ``days`` the portfolio's days with an open call."""

    mean: float
    mean_low: float
    mean_high: float
    median: float
    median_low: float
    median_high: float
    annual: float
    annual_low: float
    annual_high: float
    naive_mean_low: float
    naive_mean_high: float
    block: float
    days: int


def calendar_block_interval(
    portfolio: OpenCalls,
    excess: np.ndarray,
    *,
    holding_days: np.ndarray,
    seed: int,
    reps: int = 1000,
    level: float = 0.95,
) -> LedgerInterval:
    """Block-bootstrap intervals for the calls ``portfolio.rows`` whose excesses are
    ``excess`` (same order) and holding periods ``holding_days`` (see the module docstring)."""
    series = portfolio.excess.to_numpy()
    nan = float("nan")
    if len(excess) == 0 or len(series) == 0:
        return LedgerInterval(**dict.fromkeys(_FIELDS, nan), block=nan, days=0)
    block = float(max(1.0, np.median(holding_days)))
    rng = np.random.default_rng(seed)
    bootstrap = StationaryBootstrap(block, series, seed=rng)
    draws = np.stack([bootstrap.update_indices() for _ in range(reps)])
    annual = series[draws].mean(axis=1) * TRADING_DAYS
    offsets = (np.arange(reps)[:, None] * len(series) + draws).ravel()
    counts = np.bincount(offsets, minlength=reps * len(series)).reshape(reps, len(series))
    first = portfolio.first_day
    weights = np.where(first >= 0, counts[:, np.clip(first, 0, None)], 1.0)
    totals = weights.sum(axis=1)
    usable = totals > 0
    means = (weights @ excess)[usable] / totals[usable]
    order = np.argsort(excess)
    cumulative = np.cumsum(weights[:, order], axis=1)
    medians = excess[order][np.argmax(cumulative >= totals[:, None] / 2, axis=1)][usable]
    naive = excess[rng.integers(0, len(excess), size=(reps, len(excess)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    bounds = [tail, 100 - tail]
    if len(excess) < 2:  # one call has no spread to resample: no interval for it
        means = medians = naive = np.full(1, np.nan)
    return LedgerInterval(
        mean=float(excess.mean()),
        mean_low=float(np.percentile(means, bounds[0])),
        mean_high=float(np.percentile(means, bounds[1])),
        median=float(np.median(excess)),
        median_low=float(np.percentile(medians, bounds[0])),
        median_high=float(np.percentile(medians, bounds[1])),
        annual=float(series.mean() * TRADING_DAYS),
        annual_low=float(np.percentile(annual, bounds[0])),
        annual_high=float(np.percentile(annual, bounds[1])),
        naive_mean_low=float(np.percentile(naive, bounds[0])),
        naive_mean_high=float(np.percentile(naive, bounds[1])),
        block=block,
        days=len(series),
    )


_FIELDS = (
    "mean",
    "mean_low",
    "mean_high",
    "median",
    "median_low",
    "median_high",
    "annual",
    "annual_low",
    "annual_high",
    "naive_mean_low",
    "naive_mean_high",
)
