"""Sortino, Calmar and hit rate against hand computations on a five-day series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.analysis.stats.ratios import calmar, downside_deviation, hit_rate, sortino

# Monday 2024-01-01 .. Friday 2024-01-05.
DAYS = pd.bdate_range("2024-01-01", periods=5, name="Date")
R = pd.Series([0.01, -0.02, 0.03, -0.01, 0.0], index=DAYS)


def test_downside_deviation_by_hand() -> None:
    # Shortfalls below 0: -0.02 and -0.01; mean square over all 5 days = 0.0005 / 5 = 0.0001.
    assert downside_deviation(R) == pytest.approx(0.01 * math.sqrt(252))


def test_sortino_by_hand() -> None:
    # Mean daily return 0.01 / 5 = 0.002; annualised 0.504; downside deviation 0.01 * sqrt(252).
    assert sortino(R) == pytest.approx(0.002 * 252 / (0.01 * math.sqrt(252)))
    assert sortino(R) == pytest.approx(0.2 * math.sqrt(252))


def test_sortino_with_risk_free_uses_it_as_the_target() -> None:
    rf = 1.05 ** (1 / 252) - 1
    excess = [r - rf for r in R]
    downside = math.sqrt(sum(min(e, 0.0) ** 2 for e in excess) / 5) * math.sqrt(252)
    assert sortino(R, risk_free=0.05) == pytest.approx(sum(excess) / 5 * 252 / downside)


def test_sortino_is_nan_without_a_losing_day() -> None:
    assert math.isnan(sortino(pd.Series([0.01, 0.02, 0.0], index=DAYS[:3])))
    assert math.isnan(sortino(pd.Series([], dtype=float)))


def test_calmar_by_hand() -> None:
    # Equity 1.01, 0.9898, 1.019494, 1.00929906, 1.00929906: worst fall 1.01 -> 0.9898 = -2%.
    total = 1.01 * 0.98 * 1.03 * 0.99 - 1
    # Calendar time: from the entry day (Sunday 2023-12-31, one step before) to Friday = 5 days.
    cagr = (1 + total) ** (365.25 / 5) - 1
    assert calmar(R) == pytest.approx(cagr / 0.02)


def test_calmar_is_nan_without_a_drawdown() -> None:
    assert math.isnan(calmar(pd.Series([0.01, 0.0, 0.02], index=DAYS[:3])))


def test_hit_rate_counts_flat_days_as_misses() -> None:
    assert hit_rate(R) == pytest.approx(2 / 5)
    assert hit_rate(pd.Series([0.0, 0.0], index=DAYS[:2])) == 0.0
    assert math.isnan(hit_rate(pd.Series([], dtype=float)))


returns_lists = st.lists(
    st.floats(min_value=-0.2, max_value=0.2, allow_nan=False, allow_subnormal=False),
    min_size=2,
    max_size=60,
)


@given(returns_lists)
def test_hit_rate_is_a_fraction_of_days(values: list[float]) -> None:
    rate = hit_rate(pd.Series(values))
    assert 0.0 <= rate <= 1.0
    assert rate * len(values) == pytest.approx(sum(v > 0 for v in values))


@given(returns_lists, st.floats(min_value=0.1, max_value=10.0))
def test_sortino_does_not_depend_on_the_scale_of_returns(values: list[float], scale: float) -> None:
    series = pd.Series(values)
    base, scaled = sortino(series), sortino(series * scale)
    if np.isnan(base):
        assert np.isnan(scaled)
    else:
        assert scaled == pytest.approx(base, rel=1e-9, abs=1e-9)
