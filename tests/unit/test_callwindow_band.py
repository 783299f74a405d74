"""The publication-window band: closed forms around a known jump, errors, invariants."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalystlab.analysis.call import EXCESS_DEFINITION, EntryConvention, window_band
from catalystlab.core.errors import BadInputError

OVERNIGHT, INTRADAY, GAP, BENCH = 1.002, 1.003, 0.80, 1.001
N, JUMP, FIRST, LAST, END = 40, 20, 10, 30, 39
DAYS = pd.bdate_range("2024-01-01", periods=N, name="Date")


def jump_prices() -> dict[str, pd.DataFrame]:
    """Ticker: every night x OVERNIGHT, every session x INTRADAY, and the open of day JUMP
    x GAP (a 20% fall overnight). Benchmark: closes x BENCH a day, opens at the last close."""
    t = np.arange(N)
    growth = (OVERNIGHT * INTRADAY) ** (t + 1)
    close = 100.0 * growth * np.where(t >= JUMP, GAP, 1.0)
    prev_close = np.concatenate([[100.0], close[:-1]])
    opened = prev_close * OVERNIGHT * np.where(t == JUMP, GAP, 1.0)
    bench_close = 50.0 * BENCH ** (t + 1)
    bench_open = np.concatenate([[50.0], bench_close[:-1]])
    frame = pd.DataFrame({"Open": opened, "Close": close}, index=DAYS)
    bench = pd.DataFrame({"Open": bench_open, "Close": bench_close}, index=DAYS)
    return {"TICK": frame, "BENCH": bench}


def band(convention, prices=None, benchmarks=("BENCH",), **dates):
    dates = {"first": DAYS[FIRST], "last": DAYS[LAST], "end": DAYS[END]} | dates
    return window_band(
        prices or jump_prices(),
        ticker="TICK",
        benchmarks=list(benchmarks),
        convention=convention,
        **dates,
    )


def grow(days: int) -> float:
    return (OVERNIGHT * INTRADAY) ** days


def bench_return(entry: int, convention: str) -> float:
    """Benchmark closes grow by BENCH a day; its open on D is the close of D-1."""
    paid = entry if convention == "close" else entry - 1
    return BENCH ** (END - paid) - 1


# The closed forms: (entry day of the minimum, minimum, entry day of the maximum, maximum).
CLOSED_FORMS = {
    # Bought at D's open: the last day to suffer the gap is the session before the jump.
    "next_open": (
        JUMP - 1,
        grow(END - JUMP + 1) * INTRADAY * GAP - 1,
        JUMP,
        grow(END - JUMP) * INTRADAY - 1,
    ),
    # Bought at the close before D: entering on the jump day still pays the pre-gap close.
    "prev_close": (JUMP, grow(END - JUMP + 1) * GAP - 1, JUMP + 1, grow(END - JUMP) - 1),
    # Bought at D's close: the jump day's close is already after the gap.
    "close": (JUMP - 1, grow(END - JUMP + 1) * GAP - 1, JUMP, grow(END - JUMP) - 1),
}


@pytest.mark.parametrize("convention", list(CLOSED_FORMS))
def test_band_extremes_are_the_closed_forms_either_side_of_the_jump(convention):
    low_day, low, high_day, high = CLOSED_FORMS[convention]
    result = band(convention)
    stats = result.ticker_stats
    assert stats.minimum == pytest.approx(low, rel=1e-12)
    assert stats.maximum == pytest.approx(high, rel=1e-12)
    assert stats.min_day == DAYS[low_day]
    assert stats.max_day == DAYS[high_day]
    excess = result.excess_stats["BENCH"]
    assert excess.minimum == pytest.approx(low - bench_return(low_day, convention), rel=1e-12)
    assert excess.maximum == pytest.approx(high - bench_return(high_day, convention), rel=1e-12)
    assert excess.min_day == DAYS[low_day]
    assert excess.max_day == DAYS[high_day]


def test_every_entry_day_is_a_trading_day_of_the_window_with_a_common_exit():
    result = band("next_open")
    assert list(result.returns.index) == list(DAYS[FIRST : LAST + 1])
    assert result.end == DAYS[END]
    assert list(result.returns.columns) == ["TICK", "BENCH"]
    frames = jump_prices()
    expected = frames["TICK"]["Close"].iloc[END] / frames["TICK"]["Open"].iloc[FIRST : LAST + 1]
    np.testing.assert_allclose(result.returns["TICK"], expected.to_numpy() - 1, rtol=1e-12)


def test_excess_is_the_simple_difference_of_holding_returns():
    result = band("close")
    np.testing.assert_array_equal(
        result.excess["BENCH"], result.returns["TICK"] - result.returns["BENCH"]
    )
    assert "simple difference" in EXCESS_DEFINITION


def test_the_band_differs_between_conventions_exactly_by_the_jump_day_gap():
    prev_close, next_open = band("prev_close"), band("next_open")
    frame = jump_prices()["TICK"]
    gap = frame["Open"].iloc[JUMP] / frame["Close"].iloc[JUMP - 1]
    assert gap == pytest.approx(OVERNIGHT * GAP, rel=1e-12)
    ratio = (1 + prev_close.returns["TICK"]) / (1 + next_open.returns["TICK"])
    assert ratio[DAYS[JUMP]] == pytest.approx(gap, rel=1e-12)


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    result = band("close", first=DAYS[FIRST], last=DAYS[FIRST + 3])
    values = sorted(result.returns["TICK"])
    assert result.ticker_stats.median == pytest.approx((values[1] + values[2]) / 2, rel=1e-12)


def test_an_index_benchmark_is_entered_at_the_previous_close_under_next_open():
    prices = jump_prices()
    prices["BASKET"] = prices["BENCH"]["Close"] * 3.0
    result = band("next_open", prices, benchmarks=("BENCH", "BASKET"))
    # The benchmark frame opens at the last close, so the basket's proxy entry is exact here.
    np.testing.assert_allclose(result.returns["BASKET"], result.returns["BENCH"], rtol=1e-12)
    assert len(result.notes) == 1 and "BASKET" in result.notes[0]
    # says why the out-of-sample table (the engine, at the open) shows another excess
    assert (
        "the out-of-sample table" in result.notes[0] and "excess there differs" in result.notes[0]
    )
    assert band("close", prices, benchmarks=("BASKET",)).notes == ()


def test_an_index_that_starts_inside_the_window_is_bad_input():
    prices = jump_prices()
    prices["BASKET"] = prices["BENCH"]["Close"].iloc[FIRST + 2 :]
    with pytest.raises(BadInputError, match="BASKET has no next_open entry"):
        band("next_open", prices, benchmarks=("BASKET",))


def test_to_dict_is_json_ready_and_names_the_convention():
    result = band("prev_close")
    summary = json.loads(json.dumps(result.to_dict()))
    assert summary["convention"] == "prev_close"
    assert summary["entry_days"] == {
        "first": str(DAYS[FIRST].date()),
        "last": str(DAYS[LAST].date()),
        "count": LAST - FIRST + 1,
    }
    assert summary["ticker_return"]["min_day"] == str(DAYS[JUMP].date())
    assert summary["excess"]["BENCH"]["max"] == result.excess_stats["BENCH"].maximum
    assert len(summary["by_entry_day"]) == LAST - FIRST + 1


@pytest.mark.parametrize(
    ("dates", "words"),
    [
        ({"first": DAYS[30], "last": DAYS[10]}, "reversed"),
        ({"first": DAYS[0] - pd.Timedelta(days=3), "last": DAYS[5]}, "partly outside"),
        ({"first": DAYS[30], "last": DAYS[-1] + pd.Timedelta(days=1)}, "partly outside"),
        ({"first": "2024-01-06", "last": "2024-01-07"}, "no trading day"),
        ({"end": DAYS[LAST - 1]}, "comes before the window's last trading day"),
        ({"end": DAYS[-1] + pd.Timedelta(days=1)}, "outside the prices"),
        ({"first": "2024-13-01"}, "not a date"),
    ],
)
def test_bad_windows_are_bad_input(dates, words):
    with pytest.raises(BadInputError, match=words) as caught:
        band("next_open", **dates)
    assert caught.value.exit_code == 2


def test_prev_close_needs_a_session_before_the_window():
    with pytest.raises(BadInputError, match="no prev_close entry"):
        band("prev_close", first=DAYS[0])


@pytest.mark.parametrize(
    ("benchmarks", "words"),
    [
        (("SPY",), "No prices for SPY"),
        (("TICK",), "list each benchmark once"),
        (("BENCH", "BENCH"), "list each benchmark once"),
    ],
)
def test_bad_benchmarks_are_bad_input(benchmarks, words):
    with pytest.raises(BadInputError, match=words):
        band("next_open", benchmarks=benchmarks)


def test_a_benchmark_off_the_calendar_is_a_bug_not_bad_input():
    prices = jump_prices()
    prices["BENCH"] = prices["BENCH"].set_axis(DAYS + pd.Timedelta(days=1))
    with pytest.raises(ValueError, match="off the shared calendar"):
        band("next_open", prices)


@settings(max_examples=100, deadline=None)
@given(
    steps=st.lists(st.floats(min_value=-0.2, max_value=0.2), min_size=6, max_size=30),
    gaps=st.lists(st.floats(min_value=-0.1, max_value=0.1), min_size=30, max_size=30),
    convention=st.sampled_from(list(EntryConvention)),
    data=st.data(),
)
def test_band_min_median_max_are_ordered_and_attained(steps, gaps, convention, data):
    n = len(steps)
    days = pd.bdate_range("2022-06-01", periods=n, name="Date")
    close = 100.0 * np.cumprod(1.0 + np.asarray(steps))
    opened = close * (1.0 + np.asarray(gaps[:n]))
    frame = pd.DataFrame({"Open": opened, "Close": close}, index=days)
    bench = pd.Series(np.linspace(10.0, 12.0, n), index=days)
    first = data.draw(st.integers(min_value=1, max_value=n - 1))
    last = data.draw(st.integers(min_value=first, max_value=n - 1))
    end = data.draw(st.integers(min_value=last, max_value=n - 1))
    result = window_band(
        {"T": frame, "B": bench},
        ticker="T",
        benchmarks=["B"],
        first=days[first],
        last=days[last],
        end=days[end],
        convention=convention,
    )
    for stats, values in (
        (result.ticker_stats, result.returns["T"]),
        (result.excess_stats["B"], result.excess["B"]),
    ):
        assert stats.minimum <= stats.median <= stats.maximum
        assert values[stats.min_day] == stats.minimum
        assert values[stats.max_day] == stats.maximum
