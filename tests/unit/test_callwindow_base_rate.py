"""Base rates: a planted outcome on hand-built series, no post-call data, percentile laws."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import percentileofscore

from catalystlab.analysis.call import EntryConvention, base_rate, percentile_of
from catalystlab.analysis.call.base_rate import holding_stride, non_overlapping_count
from catalystlab.core.errors import BadInputError

# Daily close-to-close returns, all binary fractions so every ratio below is exact.
TICKER_STEPS = [0.25, -0.125, 0.0625, 0.0, 0.5, -0.25, 0.125, 0.75, 0.0625]
BENCH_STEPS = [0.0, 0.125, 0.0, -0.25, 0.0, 0.0, 0.0, 0.0, -0.0625]
DAYS = pd.bdate_range("2024-03-04", periods=len(TICKER_STEPS) + 1, name="Date")


def closes(steps: list[float]) -> np.ndarray:
    return 1024.0 * np.cumprod([1.0, *(1.0 + s for s in steps)])


def planted() -> dict[str, pd.DataFrame]:
    frames = {}
    for name, steps in (("TICK", TICKER_STEPS), ("BENCH", BENCH_STEPS)):
        close = closes(steps)
        frames[name] = pd.DataFrame({"Open": close, "Close": close}, index=DAYS)
    return frames


def planted_rate(**changes):
    """The planted call: bought at the close of session 8, sold at the close of session 9."""
    arguments = {
        "ticker": "TICK",
        "benchmark": "BENCH",
        "entry_day": DAYS[8],
        "end": DAYS[9],
        "convention": "close",
        "history_start": DAYS[0],
    } | changes
    return base_rate(planted(), **arguments)


def test_planted_outcome_percentile_on_a_hand_built_series():
    # One-day holdings bought at the close. Excess of each day (ticker - benchmark):
    #   0.25, -0.25, 0.0625, 0.25, 0.5, -0.25, 0.125 | 0.75 (ends at the call's entry close:
    #   excluded) | call: 0.0625 - (-0.0625) = 0.125.
    # At or below 0.125: -0.25, 0.0625, -0.25 and the tie 0.125 -> 4 of 7.
    result = planted_rate()
    assert result.holding_days == 1
    assert result.call_excess == 0.125
    assert list(result.history) == [0.25, -0.25, 0.0625, 0.25, 0.5, -0.25, 0.125]
    assert list(result.history.index) == list(DAYS[:7])
    assert result.percentile == 4 / 7
    assert result.n_windows == 7
    assert result.n_non_overlapping == 7
    assert "do not overlap" in result.caveat


def test_a_later_history_start_drops_the_earlier_windows():
    result = planted_rate(history_start=DAYS[2])
    assert list(result.history) == [0.0625, 0.25, 0.5, -0.25, 0.125]
    assert result.percentile == 3 / 5


def test_overlapping_windows_bought_at_the_open():
    # Twelve sessions; opens differ from the previous close. Entry on session 9 at its open,
    # exit at the close of 11: two trading days. A history window may end at the close of
    # session 8 at the latest, so starts run 0..6; start s pays Open[s], sells at Close[s+2].
    days = pd.bdate_range("2021-09-01", periods=12, name="Date")
    close = np.array([10, 11, 12, 11, 13, 14, 13, 15, 16, 15, 17, 18], dtype=float)
    opened = np.array([9, 10, 12, 12, 12, 13, 14, 13, 15, 16, 16, 17], dtype=float)
    ticker = pd.DataFrame({"Open": opened, "Close": close}, index=days)
    flat = pd.DataFrame({"Open": 1.0, "Close": 1.0}, index=days)
    result = base_rate(
        {"T": ticker, "B": flat},
        ticker="T",
        benchmark="B",
        entry_day=days[9],
        end=days[11],
        history_start=days[0],
    )
    expected = [12 / 9, 11 / 10, 13 / 12, 14 / 12, 13 / 12, 15 / 13, 16 / 14]
    np.testing.assert_allclose(result.history, np.array(expected) - 1, rtol=1e-15)
    assert result.history.index[-1] == days[6]
    assert result.call_excess == pytest.approx(18 / 16 - 1, rel=1e-15)
    # 18/16 = 1.125: at or below it are 11/10 and 13/12 (twice): 3 of 7.
    assert result.percentile == 3 / 7
    # A window spans three sessions (open of s to close of s+2): starts 0, 3, 6 are disjoint.
    assert result.n_non_overlapping == 3
    assert "Only 3 of them are non-overlapping" in result.caveat


def test_prev_close_history_ends_before_the_close_it_buys_at():
    days = pd.bdate_range("2021-09-01", periods=12, name="Date")
    close = pd.DataFrame({"Open": 1.0, "Close": np.arange(1.0, 13.0)}, index=days)
    flat = pd.DataFrame({"Open": 1.0, "Close": 1.0}, index=days)
    result = base_rate(
        {"T": close, "B": flat},
        ticker="T",
        benchmark="B",
        entry_day=days[9],
        end=days[11],
        convention="prev_close",
        history_start=days[0],
    )
    # The call pays the close of session 8; windows exit by the close of 7, so the last
    # start is 5 (pays close 4, sells close 7). Start 0 has no close before it.
    assert list(result.history.index) == list(days[1:6])
    np.testing.assert_allclose(
        result.history, [4 / 1 - 1, 5 / 2 - 1, 6 / 3 - 1, 7 / 4 - 1, 8 / 5 - 1]
    )
    assert result.notes[-1].startswith("1 start day(s) lack a price")


@pytest.mark.parametrize(
    ("holding", "convention", "stride"),
    [
        (2, EntryConvention.NEXT_OPEN, 3),
        (2, EntryConvention.PREV_CLOSE, 3),
        (2, EntryConvention.CLOSE, 2),
        (0, EntryConvention.CLOSE, 1),
    ],
)
def test_holding_stride(holding, convention, stride):
    assert holding_stride(holding, convention) == stride


@pytest.mark.parametrize(("n", "stride", "count"), [(7, 3, 3), (6, 3, 2), (1, 5, 1), (10, 1, 10)])
def test_non_overlapping_count(n, stride, count):
    assert non_overlapping_count(n, stride) == count


def test_a_non_trading_entry_day_is_noted_and_resolved():
    result = planted_rate(entry_day="2024-03-09")
    assert result.entry_day == pd.Timestamp("2024-03-11")
    assert "2024-03-09 is not a trading day" in result.notes[0]


def test_to_dict_is_json_ready():
    result = planted_rate(history_start="2000-01-01")
    summary = json.loads(json.dumps(result.to_dict()))
    assert summary["percentile"] == 4 / 7
    assert summary["n_windows"] == 7
    assert summary["distribution"]["max"] == 0.5
    assert summary["first_start"] == str(DAYS[0].date())
    assert any("prices begin" in note for note in summary["notes"])


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"history_start": DAYS[8]}, "is not before the entry day"),
        ({"history_start": DAYS[7]}, "No complete 1-trading-day window"),
        ({"end": DAYS[7]}, "comes before the entry day"),
        ({"benchmark": "QQQ"}, "No prices for QQQ"),
    ],
)
def test_bad_base_rate_inputs_are_bad_input(kwargs, words):
    with pytest.raises(BadInputError, match=words) as caught:
        planted_rate(**kwargs)
    assert caught.value.exit_code == 2


def test_percentile_ties_count_as_at_or_below():
    assert percentile_of(1.0, [0.0, 1.0, 1.0, 2.0]) == 0.75
    assert percentile_of(-1.0, [0.0, 1.0]) == 0.0
    assert percentile_of(5.0, [0.0, 1.0]) == 1.0
    with pytest.raises(ValueError):
        percentile_of(0.0, [])


finite = st.floats(min_value=-10.0, max_value=10.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(sample=st.lists(finite, min_size=1, max_size=50), a=finite, b=finite)
def test_percentile_is_in_unit_interval_monotone_and_the_weak_score(sample, a, b):
    low, high = sorted((a, b))
    p_low, p_high = percentile_of(low, sample), percentile_of(high, sample)
    assert 0.0 <= p_low <= p_high <= 1.0
    assert p_low == pytest.approx(percentileofscore(sample, low, kind="weak") / 100, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.floats(min_value=-0.1, max_value=0.1), min_size=40, max_size=40),
    noise=st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=40, max_size=40),
    convention=st.sampled_from(list(EntryConvention)),
    entry=st.integers(min_value=15, max_value=35),
    holding=st.integers(min_value=0, max_value=4),
)
def test_no_window_uses_a_price_from_the_call_entry_on(steps, noise, convention, entry, holding):
    days = pd.bdate_range("2020-01-01", periods=40, name="Date")
    close = 100.0 * np.cumprod(1.0 + np.asarray(steps))
    frame = pd.DataFrame({"Open": close * 0.99, "Close": close}, index=days)
    bench = pd.DataFrame({"Open": 50.0, "Close": np.linspace(50.0, 60.0, 40)}, index=days)
    end = min(entry + holding, 39)
    kwargs = {
        "ticker": "T",
        "benchmark": "B",
        "entry_day": days[entry],
        "end": days[end],
        "convention": convention,
        "history_start": days[0],
    }
    seen = base_rate({"T": frame, "B": bench}, **kwargs)
    # Change every price from the one the call pays on: the history must not move.
    first_used = entry + convention.session_offset
    factor = np.ones(40)
    factor[first_used:] = noise[first_used:]
    changed = {"T": frame.mul(factor, axis=0), "B": bench.div(factor, axis=0)}
    pd.testing.assert_series_equal(base_rate(changed, **kwargs).history, seen.history)
    assert 0.0 <= seen.percentile <= 1.0
