"""Headline metrics, the call's timing and horizons, and the alignment policy, by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.analysis.call.legs import horizon_table, leg_metrics
from catalystlab.analysis.call.timing import call_timing
from catalystlab.analysis.stats.performance import (
    cagr,
    max_drawdown,
    sharpe,
    total_return,
    volatility,
)
from catalystlab.core.errors import BadInputError
from catalystlab.inputs.prices.align import align_prices
from catalystlab.inputs.prices.frame import LoadedPrices

DAYS = pd.bdate_range("2024-01-01", periods=5)
RETURNS = pd.Series([0.10, -0.20, 0.05, 0.0, 0.10], index=DAYS)


def test_total_return_compounds():
    assert total_return(RETURNS) == pytest.approx(1.1 * 0.8 * 1.05 * 1.0 * 1.1 - 1)


def test_volatility_and_sharpe_by_hand():
    mean = sum(RETURNS) / 5
    sd = math.sqrt(sum((r - mean) ** 2 for r in RETURNS) / 4)
    assert volatility(RETURNS) == pytest.approx(sd * math.sqrt(252))
    assert sharpe(RETURNS) == pytest.approx(mean / sd * math.sqrt(252))


def test_max_drawdown_counts_the_start_as_a_peak():
    assert max_drawdown(RETURNS) == pytest.approx(0.88 / 1.1 - 1)
    assert max_drawdown(pd.Series([-0.5], index=DAYS[:1])) == pytest.approx(-0.5)


def test_cagr_over_exactly_one_calendar_year():
    index = pd.DatetimeIndex(["2023-01-03", "2024-01-03"])
    series = pd.Series([0.0, 0.21], index=index)
    years = (index[-1] - (index[0] - (index[1] - index[0]))).days / 365.25
    assert cagr(series) == pytest.approx(1.21 ** (1 / years) - 1)


@given(st.lists(st.floats(-0.5, 0.5), min_size=2, max_size=60))
def test_drawdown_is_between_minus_one_and_zero(values):
    series = pd.Series(values, index=pd.bdate_range("2024-01-01", periods=len(values)))
    assert -1.0 <= max_drawdown(series) <= 0.0


def test_call_timing_on_a_weekend_call():
    calendar = pd.bdate_range("2025-07-28", "2025-08-08")
    timing = call_timing(calendar, pd.Timestamp("2025-08-02"))
    assert timing.entry_day == pd.Timestamp("2025-08-04")
    assert timing.decision_day == pd.Timestamp("2025-08-01")
    assert timing.evaluable


def test_call_after_the_data_is_not_evaluable():
    calendar = pd.bdate_range("2025-01-01", "2025-06-30")
    timing = call_timing(calendar, pd.Timestamp("2025-08-01"))
    assert not timing.evaluable
    assert "before the call date" in timing.reason


def test_horizons_exit_on_the_last_session_and_stop_at_the_data():
    calendar = pd.bdate_range("2025-07-31", "2025-11-14")
    growth = pd.Series(np.linspace(1.0, 2.0, len(calendar)), index=calendar)
    flat = pd.Series(1.0, index=calendar)
    table = horizon_table(
        {"AAA": growth, "SPY": flat},
        call_id="AAA",
        entry_day=pd.Timestamp("2025-08-01"),
        months=(1, 3, 6),
    )
    assert table.loc["1m", "exit_day"] == pd.Timestamp("2025-09-01").date()
    assert table.loc["3m", "exit_day"] == pd.Timestamp("2025-10-31").date()
    assert not table.loc["6m", "available"]
    assert table.loc["1m", "excess:SPY"] == pytest.approx(growth["2025-09-01"] - 1)


def test_leg_metrics_excess_is_the_difference_of_total_returns():
    calendar = pd.bdate_range("2025-01-01", periods=4)
    legs = {
        "AAA": pd.Series([1.0, 1.1, 1.2, 1.3], index=calendar),
        "SPY": pd.Series([1.0, 1.0, 1.05, 1.1], index=calendar),
    }
    table = leg_metrics(legs, "AAA")
    assert table.loc["SPY", "excess_total_return"] == pytest.approx(0.3 - 0.1)
    assert table.loc["AAA", "excess_total_return"] == 0.0


def _loaded(ticker: str, dates: pd.DatetimeIndex) -> LoadedPrices:
    frame = pd.DataFrame(
        {"Open": 1.0, "High": 1.0, "Low": 1.0, "Close": 1.0, "Volume": 0.0}, index=dates
    )
    return LoadedPrices(ticker=ticker, frame=frame, source="test", sha256="")


def test_alignment_keeps_only_common_days_and_says_so():
    full = pd.bdate_range("2024-01-01", periods=30)
    gappy = full.delete([5, 6])
    aligned = align_prices(
        {"AAA": _loaded("AAA", full), "BBB": _loaded("BBB", gappy[3:])},
        start=pd.Timestamp("2024-01-01"),
        end=None,
    )
    assert aligned.calendar.equals(gappy[3:])
    assert any("Start moved" in note for note in aligned.notes)
    assert any("2 date(s) dropped" in note and "BBB lacks 2" in note for note in aligned.notes)


def test_alignment_without_shared_days_is_an_error():
    with pytest.raises(BadInputError, match="share no trading days"):
        align_prices(
            {
                "AAA": _loaded("AAA", pd.bdate_range("2024-01-01", periods=5)),
                "BBB": _loaded("BBB", pd.bdate_range("2025-01-01", periods=5)),
            },
            start=None,
            end=None,
        )
