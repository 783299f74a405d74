"""Stationary block bootstrap intervals: reproducible, right estimates, nominal coverage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from arch.bootstrap import StationaryBootstrap
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import lfilter

from catalystlab.analysis.stats.bootstrap import (
    MIN_BLOCK_DAYS,
    block_length,
    excess_return_interval,
    resampled_days,
    sharpe_difference_interval,
)
from catalystlab.analysis.stats.performance import sharpe
from catalystlab.core.errors import BadInputError

DAYS = pd.bdate_range("2020-01-01", periods=500, name="Date")


def pair(seed: int, *, mean_excess: float = 0.0004, phi: float = 0.0) -> tuple[pd.Series, ...]:
    """A benchmark and a strategy whose daily excess over it is mean_excess + AR(1) noise."""
    rng = np.random.default_rng(seed)
    noise = lfilter([1.0], [1.0, -phi], rng.normal(0.0, 0.005, len(DAYS)))
    benchmark = pd.Series(rng.normal(0.0003, 0.01, len(DAYS)), index=DAYS)
    return benchmark + mean_excess + noise, benchmark


def test_same_seed_same_interval_other_seed_other_interval() -> None:
    strategy, benchmark = pair(1)
    first = excess_return_interval(strategy, benchmark, seed=5, reps=300)
    assert excess_return_interval(strategy, benchmark, seed=5, reps=300) == first
    assert excess_return_interval(strategy, benchmark, seed=6, reps=300) != first
    diff = sharpe_difference_interval(strategy, benchmark, seed=5, reps=300)
    assert sharpe_difference_interval(strategy, benchmark, seed=5, reps=300) == diff
    assert sharpe_difference_interval(strategy, benchmark, seed=6, reps=300) != diff


def test_estimates_are_the_annualised_statistics() -> None:
    strategy, benchmark = pair(2)
    excess = excess_return_interval(strategy, benchmark, seed=0, reps=200)
    assert excess.estimate == pytest.approx(252 * float(np.mean(strategy - benchmark)))
    assert excess.lower < excess.estimate < excess.upper
    diff = sharpe_difference_interval(strategy, benchmark, seed=0, reps=200, risk_free=0.02)
    assert diff.estimate == pytest.approx(sharpe(strategy, 0.02) - sharpe(benchmark, 0.02))
    assert diff.lower < diff.estimate < diff.upper


def test_interval_covers_the_true_mean_at_about_the_nominal_rate() -> None:
    # 200 simulated strategies whose daily excess return is 0.0004 plus AR(1) noise (phi 0.3):
    # the 95% interval should contain the true 252 * 0.0004. With 200 trials the observed rate
    # has a binomial sd of 1.5 points; percentile intervals from 200 resamples undercover a
    # little at n = 500. Accept 0.90..0.99 (about 3 sd). An i.i.d. bootstrap (block length 1)
    # ignores the autocorrelation (variance of the mean x 1.86) and covers only about 85%,
    # below that band: the block structure is what gets the rate right.
    truth = 252 * 0.0004
    covered = {"stationary": 0, "iid": 0}
    for seed in range(200):
        strategy, benchmark = pair(1000 + seed, phi=0.3)
        auto = excess_return_interval(strategy, benchmark, seed=seed, reps=200)
        iid = excess_return_interval(strategy, benchmark, seed=seed, reps=200, block_size=1)
        covered["stationary"] += auto.lower <= truth <= auto.upper
        covered["iid"] += iid.lower <= truth <= iid.upper
    assert 0.90 <= covered["stationary"] / 200 <= 0.99
    assert covered["iid"] < covered["stationary"]
    assert covered["iid"] / 200 < 0.90


def test_block_length_follows_the_dependence() -> None:
    rng = np.random.default_rng(4)
    white = rng.normal(size=2000)
    persistent = lfilter([1.0], [1.0, -0.8], rng.normal(size=2000))
    assert block_length(white) <= 3
    assert block_length(persistent) > 10
    assert block_length(white, persistent) == block_length(persistent)
    assert block_length(np.zeros(100)) == 1


def test_explicit_block_size_is_used() -> None:
    strategy, benchmark = pair(3)
    assert (
        excess_return_interval(strategy, benchmark, seed=0, reps=100, block_size=7).block_size == 7
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s, b: (s.iloc[:-1], b), "same days"),
        (lambda s, b: (s.iloc[:5], b.iloc[:5]), "at least 10 days"),
        (lambda s, b: (s.where(s.index != s.index[3]), b), "missing values"),
    ],
)
def test_bad_inputs_are_refused(change, message: str) -> None:
    strategy, benchmark = change(*pair(0))
    with pytest.raises(BadInputError, match=message):
        excess_return_interval(strategy, benchmark, seed=0)
    with pytest.raises(BadInputError, match=message):
        sharpe_difference_interval(strategy, benchmark, seed=0)


def test_bad_settings_are_refused() -> None:
    strategy, benchmark = pair(0)
    with pytest.raises(BadInputError, match="100 bootstrap"):
        excess_return_interval(strategy, benchmark, seed=0, reps=10)
    with pytest.raises(BadInputError, match="coverage"):
        excess_return_interval(strategy, benchmark, seed=0, size=95)


def test_block_length_has_a_floor_and_the_automatic_value_stays_available() -> None:
    strategy, benchmark = pair(5)
    automatic = block_length((strategy - benchmark).to_numpy())
    assert automatic <= 3  # white-noise excess: the estimator's 1-3 days
    floored = excess_return_interval(strategy, benchmark, seed=0, reps=100)
    assert floored.block_size == MIN_BLOCK_DAYS == 10
    raw = excess_return_interval(strategy, benchmark, seed=0, reps=100, min_block=1)
    assert raw.block_size == automatic
    diff = sharpe_difference_interval(strategy, benchmark, seed=0, reps=100, min_block=25)
    assert diff.block_size == 25


def test_sharpe_difference_resamples_match_the_pandas_sharpe() -> None:
    # The closure computes Sharpe ratios on arrays; each resample must give what the
    # performance module's sharpe gives on the same days (here: the identity resample).
    strategy, benchmark = pair(6)
    for risk_free in (0.0, 0.03):
        interval = sharpe_difference_interval(
            strategy, benchmark, seed=1, reps=100, risk_free=risk_free
        )
        assert interval.estimate == sharpe(strategy, risk_free) - sharpe(benchmark, risk_free)


def _arch_interval(statistic, arrays, *, block, seed, reps, size) -> tuple[float, float]:
    """The interval from arch's own loop, one call of ``statistic`` per resample."""
    bootstrap = StationaryBootstrap(block, *arrays, seed=seed)
    low, high = bootstrap.conf_int(statistic, reps=reps, method="percentile", size=size)[:, 0]
    return float(low), float(high)


def _array_sharpe(values: np.ndarray, daily_rf: float) -> float:
    """performance.sharpe's arithmetic on one array, written out independently."""
    excess = values - daily_rf
    spread = math.sqrt(float(np.square(excess - excess.mean()).sum()) / (len(excess) - 1))
    return float(excess.mean() / spread * math.sqrt(252)) if spread else math.nan


@settings(max_examples=40, deadline=None)
@given(
    days=st.integers(10, 400),
    block=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
    size=st.sampled_from([0.9, 0.95, 0.99]),
    risk_free=st.sampled_from([0.0, 0.04]),
    cash_days=st.integers(0, 400),
)
def test_intervals_are_arch_s_percentile_intervals_to_the_bit(
    days, block, seed, size, risk_free, cash_days
) -> None:
    rng = np.random.default_rng(seed)
    strategy = rng.normal(0.0005, 0.02, days)
    strategy[: min(cash_days, days - 2)] = 0.0  # long flat stretches: zero-variance resamples
    benchmark = rng.normal(0.0003, 0.01, days)
    index = pd.bdate_range("2020-01-01", periods=days)
    returns, base = pd.Series(strategy, index=index), pd.Series(benchmark, index=index)
    daily_rf = (1.0 + risk_free) ** (1 / 252) - 1.0
    excess = excess_return_interval(returns, base, seed=seed, reps=100, size=size, block_size=block)
    assert (excess.lower, excess.upper) == _arch_interval(
        lambda a: np.array([float(np.mean(a)) * 252]),
        (strategy - benchmark,),
        block=block,
        seed=seed,
        reps=100,
        size=size,
    )
    diff = sharpe_difference_interval(
        returns, base, seed=seed, reps=100, size=size, block_size=block, risk_free=risk_free
    )
    expected = _arch_interval(
        lambda s, b: np.array([_array_sharpe(s, daily_rf) - _array_sharpe(b, daily_rf)]),
        (strategy, benchmark),
        block=block,
        seed=seed,
        reps=100,
        size=size,
    )
    assert (diff.lower, diff.upper) == pytest.approx(expected, rel=0, abs=0, nan_ok=True)


def test_resampled_days_are_shared_and_read_only() -> None:
    first = resampled_days(300, 10, 7, 100)
    assert resampled_days(300, 10, 7, 100) is first
    assert first.shape == (100, 300) and not first.flags.writeable
    assert first.min() >= 0 and first.max() < 300
    # Blocks: consecutive positions mostly follow on (mean block length 10 -> 90% of steps).
    follows = np.mean(np.diff(first, axis=1) == 1)
    assert 0.85 < follows < 0.95


def test_strategies_against_one_benchmark_share_its_side_and_stay_arch_s_intervals() -> None:
    # The benchmark's resampled Sharpe ratios and block length are computed once for all the
    # strategies measured against it; each interval is still arch's to the bit.
    from catalystlab.analysis.stats import bootstrap

    rng = np.random.default_rng(11)
    benchmark = rng.normal(0.0003, 0.01, 300)
    index = pd.bdate_range("2021-01-01", periods=300)
    before = bootstrap._resampled_sharpes.cache_info()
    for k in range(3):
        strategy = rng.normal(0.0005 * k, 0.02, 300)
        diff = sharpe_difference_interval(
            pd.Series(strategy, index=index), pd.Series(benchmark, index=index), seed=3, reps=100
        )
        assert (diff.lower, diff.upper) == _arch_interval(
            lambda s, b: np.array([_array_sharpe(s, 0.0) - _array_sharpe(b, 0.0)]),
            (strategy, benchmark),
            block=diff.block_size,
            seed=3,
            reps=100,
            size=0.95,
        )
    after = bootstrap._resampled_sharpes.cache_info()
    assert after.misses - before.misses == 1 and after.hits - before.hits == 2
    assert block_length(benchmark) == block_length(pd.Series(benchmark, index=index))
