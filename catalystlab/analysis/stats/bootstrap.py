"""Stationary block bootstrap intervals for a strategy against its benchmark.

Politis and Romano's stationary bootstrap (``arch.bootstrap.StationaryBootstrap``) resamples
blocks of consecutive days with geometrically distributed lengths, which keeps the serial
dependence (volatility clustering, autocorrelated active returns) that an i.i.d. bootstrap
would destroy. The strategy and benchmark are resampled on the SAME days, so their
correlation is kept too.

- Mean block length: ``arch.bootstrap.optimal_block_length`` (Politis & White 2004, with
  Patton, Politis & White 2009's correction), stationary-bootstrap column, rounded up, at least
  1; for two series the larger of their two lengths. A series with no variation, or too short
  for the estimator, gets 1.
- Floor: an interval uses at least ``min_block`` days (default ``MIN_BLOCK_DAYS`` = 10, two
  trading weeks). On daily returns the estimator gives 1-3 days, because the returns
  themselves are nearly uncorrelated; but their volatility clusters over weeks, and the spread
  of a Sharpe ratio or of a mean over a volatile stretch depends on that. Blocks of one to
  three days cut every volatile stretch into pieces and shuffle them apart, which narrows the
  intervals; a two-week floor keeps the weekly cycle and most of a volatility burst together
  while leaving hundreds of blocks in a few years of data. ``min_block=1`` gives the
  estimator's own value; the length used is returned as ``block_size``.
- Interval: percentile, the (1 - size)/2 and (1 + size)/2 quantiles of the statistic over
  ``reps`` resamples.
- Seed: ``seed`` feeds ``numpy.random.default_rng``; the same seed and inputs give the same
  interval.

Statistics (returns are simple daily fractions, a year is 252 trading days):

- annualised mean excess return = 252 * mean(r_strategy - r_benchmark), an arithmetic annual
  fraction (not compounded);
- Sharpe difference = annualised Sharpe(strategy) - annualised Sharpe(benchmark), both from
  :func:`catalystlab.analysis.stats.performance.sharpe`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import PERIODS_PER_YEAR, daily_risk_free
from catalystlab.analysis.stats.relative import check_same_days
from catalystlab.core.errors import BadInputError

MIN_BLOCK_DAYS = 10  # the floor of the mean block length on daily returns (module docstring)


@dataclass(frozen=True)
class BootstrapInterval:
    """A point estimate with its bootstrap interval; ``block_size`` is the mean block length."""

    estimate: float
    lower: float
    upper: float
    block_size: int


def block_length(*series: np.ndarray | pd.Series) -> int:
    """Mean block length for the stationary bootstrap of these series (see module docstring)."""
    from arch.bootstrap import optimal_block_length  # here: loading results needs no arch

    lengths = [1]
    for values in (np.asarray(s, dtype=float) for s in series):
        if np.std(values) > 0:
            # Very short series give zero variances inside the estimator: no length, not noise.
            with np.errstate(divide="ignore", invalid="ignore"):
                length = float(optimal_block_length(values)["stationary"].iloc[0])
            if np.isfinite(length):
                lengths.append(math.ceil(length))
    return max(lengths)


def excess_return_interval(
    returns: pd.Series,
    benchmark: pd.Series,
    *,
    seed: int,
    reps: int = 1000,
    size: float = 0.95,
    block_size: int | None = None,
    min_block: int = MIN_BLOCK_DAYS,
) -> BootstrapInterval:
    """Interval for the annualised mean excess return of ``returns`` over ``benchmark``.

    ``block_size`` fixes the mean block length; otherwise it is the estimator's, at least
    ``min_block`` days."""
    from arch.bootstrap import StationaryBootstrap

    _check(returns, benchmark, reps=reps, size=size)
    active = (returns - benchmark).to_numpy(dtype=float)
    block = block_size or max(block_length(active), min_block)
    bootstrap = StationaryBootstrap(block, active, seed=seed)
    low, high = bootstrap.conf_int(_annual_mean, reps=reps, method="percentile", size=size)[:, 0]
    return BootstrapInterval(
        estimate=float(_annual_mean(active)[0]),
        lower=float(low),
        upper=float(high),
        block_size=block,
    )


def sharpe_difference_interval(
    returns: pd.Series,
    benchmark: pd.Series,
    *,
    seed: int,
    risk_free: float = 0.0,
    reps: int = 1000,
    size: float = 0.95,
    block_size: int | None = None,
    min_block: int = MIN_BLOCK_DAYS,
) -> BootstrapInterval:
    """Interval for annualised Sharpe(``returns``) - Sharpe(``benchmark``); block length as
    in :func:`excess_return_interval`."""
    from arch.bootstrap import StationaryBootstrap

    _check(returns, benchmark, reps=reps, size=size)
    arrays = returns.to_numpy(dtype=float), benchmark.to_numpy(dtype=float)
    block = block_size or max(block_length(*arrays), min_block)
    daily_rf = daily_risk_free(risk_free)

    def difference(strategy: np.ndarray, base: np.ndarray) -> np.ndarray:
        # Called once per resample on plain arrays: numpy only (a pandas Series per call
        # cost more than the resampling itself).
        return np.array([_sharpe(strategy, daily_rf) - _sharpe(base, daily_rf)])

    bootstrap = StationaryBootstrap(block, *arrays, seed=seed)
    low, high = bootstrap.conf_int(difference, reps=reps, method="percentile", size=size)[:, 0]
    return BootstrapInterval(
        estimate=float(difference(*arrays)[0]),
        lower=float(low),
        upper=float(high),
        block_size=block,
    )


def _sharpe(returns: np.ndarray, daily_rf: float) -> float:
    """:func:`catalystlab.analysis.stats.performance.sharpe` on an array: the same sums in
    the same order (mean, then the ddof=1 deviation around it), so the same number."""
    excess = returns - daily_rf
    if len(excess) < 2:
        return math.nan
    mean = excess.mean()
    spread = math.sqrt(float(np.square(excess - mean).sum()) / (len(excess) - 1))
    if not spread or math.isnan(spread):
        return math.nan
    return float(mean / spread * math.sqrt(PERIODS_PER_YEAR))


def _annual_mean(active: np.ndarray) -> np.ndarray:
    return np.array([float(np.mean(active)) * PERIODS_PER_YEAR])


def _check(returns: pd.Series, benchmark: pd.Series, *, reps: int, size: float) -> None:
    """Raise BadInputError unless the inputs can be bootstrapped."""
    check_same_days(returns, benchmark)
    if len(returns) < 10:
        raise BadInputError(f"A bootstrap interval needs at least 10 days, got {len(returns)}.")
    if returns.isna().any() or benchmark.isna().any():
        raise BadInputError("The returns have missing values; drop or align them first.")
    if reps < 100:
        raise BadInputError(f"Use at least 100 bootstrap resamples, got {reps}.")
    if not 0.0 < size < 1.0:
        raise BadInputError(f"The interval's coverage must lie in (0, 1), got {size}.")
