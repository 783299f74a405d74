"""One meaning per number: what the run report says about how quantstats' tearsheets differ
from its own numbers is checked here against quantstats' functions themselves."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.stats.performance import cagr, total_return, years_spanned
from catalystlab.analysis.stats.sharpe_significance import psr
from catalystlab.report.formatting import PSR_VS_ZERO, psr_label
from catalystlab.report.html import TEARSHEET_DIFFERENCES


@pytest.fixture(scope="module")
def returns() -> pd.Series:
    """Two years of daily returns, out of the market (zero) on a tenth of the days."""
    rng = np.random.default_rng(7)
    days = pd.bdate_range("2020-01-02", periods=504)
    values = rng.normal(0.0006, 0.012, len(days))
    values[rng.random(len(days)) < 0.1] = 0.0
    return pd.Series(values, index=days)


def test_psr_labels_name_their_reference():
    assert psr_label("SPY") == "PSR vs SPY" and PSR_VS_ZERO == "PSR vs 0"
    assert PSR_VS_ZERO in TEARSHEET_DIFFERENCES


def test_the_tearsheets_cagr_counts_trading_days_and_ours_calendar_years(returns):
    qs = pytest.importorskip("quantstats")
    growth = 1 + total_return(returns)
    assert qs.stats.cagr(returns) == pytest.approx(growth ** (252 / len(returns)) - 1, rel=1e-12)
    assert cagr(returns) == pytest.approx(growth ** (1 / years_spanned(returns)) - 1, rel=1e-12)
    assert "trading days / 252" in TEARSHEET_DIFFERENCES
    assert "calendar years" in TEARSHEET_DIFFERENCES


def test_the_tearsheets_time_in_market_is_ours_rounded_up_to_a_percent(returns):
    qs = pytest.importorskip("quantstats")
    ours = float((returns != 0).mean())
    assert not (100 * ours).is_integer()
    assert qs.stats.exposure(returns) == pytest.approx(math.ceil(100 * ours) / 100)
    assert qs.stats.exposure(returns) > ours
    assert "rounded up to a whole percent" in TEARSHEET_DIFFERENCES


def test_the_tearsheets_psr_is_psr_against_zero(returns):
    qs = pytest.importorskip("quantstats")
    theirs = qs.stats.probabilistic_sharpe_ratio(returns, annualize=False)
    assert theirs == pytest.approx(psr(returns, benchmark_sharpe=0.0), abs=1e-3)
