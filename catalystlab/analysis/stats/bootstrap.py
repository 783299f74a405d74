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
- Computation: the resampled days are arch's (``StationaryBootstrap.update_indices``, drawn
  in the order ``conf_int`` draws them), and a statistic is computed on many resamples at
  once (about 1 MB of days per array, so they stay in a core's cache); the interval is the
  number ``StationaryBootstrap(...).conf_int(..., method="percentile")`` gives (a test checks
  this), without a Python call per resample. The days of a (length, block, seed, resamples)
  are drawn once and reused: a run's intervals share one calendar and one seed, so their
  resamples are the same days. So are a series' block length and, for the Sharpe difference,
  the benchmark's resampled Sharpe ratios: measured once for all the strategies against it.

Statistics (returns are simple daily fractions, a year is 252 trading days):

- annualised mean excess return = 252 * mean(r_strategy - r_benchmark), an arithmetic annual
  fraction (not compounded);
- Sharpe difference = annualised Sharpe(strategy) - annualised Sharpe(benchmark), both from
  :func:`catalystlab.analysis.stats.performance.sharpe`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import PERIODS_PER_YEAR, daily_risk_free
from catalystlab.analysis.stats.relative import check_same_days
from catalystlab.core.errors import BadInputError

MIN_BLOCK_DAYS = 10  # the floor of the mean block length on daily returns (module docstring)
_CHUNK_CELLS = 2**17  # resampled days at once: 1 MB of float64 per array, a core's L2 cache


@dataclass(frozen=True)
class BootstrapInterval:
    """A point estimate with its bootstrap interval; ``block_size`` is the mean block length."""

    estimate: float
    lower: float
    upper: float
    block_size: int


def block_length(*series: np.ndarray | pd.Series) -> int:
    """Mean block length for the stationary bootstrap of these series (see module docstring)."""
    return max([1, *(_own_block_length(np.asarray(s, dtype=float).tobytes()) for s in series)])


@lru_cache(maxsize=16)  # a run's benchmark meets every strategy: measured once
def _own_block_length(values: bytes) -> int:
    """The estimator's stationary block length of one series (its float64 bytes), rounded
    up; 1 for a series that does not vary or is too short for the estimator."""
    from arch.bootstrap import optimal_block_length  # here: loading results needs no arch

    array = np.frombuffer(values, dtype=float).copy()
    if np.std(array) > 0:
        # Very short series give zero variances inside the estimator: no length, not noise.
        with np.errstate(divide="ignore", invalid="ignore"):
            length = float(optimal_block_length(array)["stationary"].iloc[0])
        if np.isfinite(length):
            return math.ceil(length)
    return 1


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
    _check(returns, benchmark, reps=reps, size=size)
    active = (returns - benchmark).to_numpy(dtype=float)
    block = block_size or max(block_length(active), min_block)
    low, high = _percentile(
        _resampled(_annual_means, active, block=block, seed=seed, reps=reps), size
    )
    return BootstrapInterval(
        estimate=float(_annual_means(active[np.newaxis])[0]),
        lower=low,
        upper=high,
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
    _check(returns, benchmark, reps=reps, size=size)
    arrays = returns.to_numpy(dtype=float), benchmark.to_numpy(dtype=float)
    block = block_size or max(block_length(*arrays), min_block)
    daily_rf = daily_risk_free(risk_free)

    def difference(strategy: np.ndarray, base: np.ndarray) -> np.ndarray:
        return _sharpes(strategy, daily_rf) - _sharpes(base, daily_rf)

    # Row by row the same subtraction as ``difference``; the benchmark's side is shared by
    # every strategy measured against it on the same days.
    resampled = _resampled(
        lambda rows: _sharpes(rows, daily_rf), arrays[0], block=block, seed=seed, reps=reps
    ) - _resampled_sharpes(arrays[1].tobytes(), block, seed, reps, daily_rf)
    low, high = _percentile(resampled, size)
    return BootstrapInterval(
        estimate=float(difference(*(a[np.newaxis] for a in arrays))[0]),
        lower=low,
        upper=high,
        block_size=block,
    )


def _resampled(
    statistic: Callable[[np.ndarray], np.ndarray],
    array: np.ndarray,
    *,
    block: int,
    seed: int,
    reps: int,
) -> np.ndarray:
    """``statistic`` (rows of resampled days in, one value per row out) over each of ``reps``
    stationary-bootstrap resamples of ``array``, computed on many resamples at a time."""
    days = resampled_days(len(array), block, seed, reps)
    chunk = max(1, _CHUNK_CELLS // len(array))
    return np.concatenate([statistic(array[days[i : i + chunk]]) for i in range(0, reps, chunk)])


@lru_cache(maxsize=4)
def _resampled_sharpes(
    values: bytes, block: int, seed: int, reps: int, daily_rf: float
) -> np.ndarray:
    """:func:`_sharpes` over each resample of one series (its float64 bytes); read-only."""
    sharpes = _resampled(
        lambda rows: _sharpes(rows, daily_rf),
        np.frombuffer(values, dtype=float),
        block=block,
        seed=seed,
        reps=reps,
    )
    sharpes.flags.writeable = False
    return sharpes


def _percentile(values: np.ndarray, size: float) -> tuple[float, float]:
    """arch's percentile interval: the (1 - size)/2 and (1 + size)/2 percentiles of the
    resampled ``values``."""
    alpha = (1.0 - size) / 2
    low, high = np.percentile(values, list(100 * np.array([alpha, 1.0 - alpha])))
    return float(low), float(high)


@lru_cache(maxsize=2)  # 8 bytes x length x resamples each: 24 MB for 12 years and 1,000
def resampled_days(length: int, block: int, seed: int, reps: int) -> np.ndarray:
    """(reps, length) positions of the days in each stationary-bootstrap resample with mean
    block length ``block``: arch's draws from ``seed``, in the order its ``conf_int`` makes
    them. Read-only (shared between calls)."""
    from arch.bootstrap import StationaryBootstrap  # here: loading results needs no arch

    bootstrap = StationaryBootstrap(block, np.empty(length), seed=seed)
    days = np.stack([bootstrap.update_indices() for _ in range(reps)])
    days.flags.writeable = False
    return days


def _sharpes(returns: np.ndarray, daily_rf: float) -> np.ndarray:
    """:func:`catalystlab.analysis.stats.performance.sharpe` of each row (at least 2 days):
    the same sums in the same order (mean, then the ddof=1 deviation around it), so the same
    numbers; NaN where a row does not vary."""
    excess = returns - daily_rf
    mean = excess.mean(axis=1)
    spread = np.sqrt(np.square(excess - mean[:, np.newaxis]).sum(axis=1) / (excess.shape[1] - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread > 0, mean / spread * math.sqrt(PERIODS_PER_YEAR), math.nan)


def _annual_means(active: np.ndarray) -> np.ndarray:
    """252 times the mean of each row (daily fractions in, annual fractions out)."""
    return active.mean(axis=1) * PERIODS_PER_YEAR


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
