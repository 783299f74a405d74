"""Entry conventions and holding returns: closed forms on hand-made prices."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalystlab.analysis.call import (
    DEFAULT_CONVENTION,
    EntryConvention,
    entry_price,
    holding_return,
    parse_convention,
)
from catalystlab.core.errors import BadInputError

# Thursday 2024-01-04 .. Wednesday 2024-01-10; 6 and 7 January are a weekend.
DAYS = pd.DatetimeIndex(
    ["2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"], name="Date"
)
OPEN = [10.0, 11.0, 12.5, 12.0, 14.0]
CLOSE = [10.5, 12.0, 13.0, 12.5, 15.0]


def prices() -> pd.DataFrame:
    return pd.DataFrame({"Open": OPEN, "High": CLOSE, "Low": OPEN, "Close": CLOSE}, index=DAYS)


def test_names_and_default():
    assert [c.value for c in EntryConvention] == ["prev_close", "next_open", "close"]
    assert DEFAULT_CONVENTION is EntryConvention.NEXT_OPEN
    assert parse_convention("close") is EntryConvention.CLOSE
    assert parse_convention(EntryConvention.PREV_CLOSE) is EntryConvention.PREV_CLOSE


def test_unknown_convention_is_bad_input():
    with pytest.raises(BadInputError, match="prev_close, next_open, close") as caught:
        parse_convention("open")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("convention", "expected"),
    [("prev_close", 12.0), ("next_open", 12.5), ("close", 13.0)],
)
def test_entry_price_of_a_trading_day(convention, expected):
    assert entry_price(prices(), "2024-01-08", convention) == expected


@pytest.mark.parametrize(
    ("convention", "expected"),
    [("prev_close", 12.0), ("next_open", 12.5), ("close", 13.0)],
)
def test_a_weekend_entry_day_uses_the_next_session(convention, expected):
    # Saturday: the first session on or after it is Monday 8 January; the last before is Friday.
    assert entry_price(prices(), "2024-01-06", convention) == expected


def test_holding_return_closed_forms():
    frame = prices()
    assert holding_return(frame, "2024-01-08", "2024-01-10", "prev_close") == 15.0 / 12.0 - 1
    assert holding_return(frame, "2024-01-08", "2024-01-10", "next_open") == 15.0 / 12.5 - 1
    assert holding_return(frame, "2024-01-08", "2024-01-10", "close") == 15.0 / 13.0 - 1
    assert holding_return(frame, "2024-01-08", "2024-01-10") == 15.0 / 12.5 - 1


def test_an_end_on_a_weekend_exits_at_the_last_close_before_it():
    assert holding_return(prices(), "2024-01-04", "2024-01-07", "close") == 12.0 / 10.5 - 1


def test_entry_and_exit_on_the_same_day():
    frame = prices()
    assert holding_return(frame, "2024-01-09", "2024-01-09", "close") == 0.0
    assert holding_return(frame, "2024-01-09", "2024-01-09", "next_open") == 12.5 / 12.0 - 1


def test_an_index_series_has_no_open_and_enters_next_open_at_the_previous_close():
    index = pd.Series(CLOSE, index=DAYS, name="basket")
    assert entry_price(index, "2024-01-08", "next_open") == 12.0
    assert entry_price(index, "2024-01-08", "prev_close") == 12.0
    assert entry_price(index, "2024-01-08", "close") == 13.0
    assert holding_return(index, "2024-01-08", "2024-01-10", "next_open") == 15.0 / 12.0 - 1


@pytest.mark.parametrize(
    ("entry", "end", "words"),
    [
        ("2024-01-03", "2024-01-10", "outside the prices"),
        ("2024-01-11", "2024-01-11", "outside the prices"),
        ("2024-01-08", "2024-01-12", "outside the prices"),
        ("2024-01-09", "2024-01-08", "comes before the entry day"),
        ("2024-01-06", "2024-01-07", "comes before the entry day"),
        ("last week", "2024-01-10", "not a date"),
    ],
)
def test_bad_dates_are_bad_input(entry, end, words):
    with pytest.raises(BadInputError, match=words) as caught:
        holding_return(prices(), entry, end)
    assert caught.value.exit_code == 2


def test_prev_close_on_the_first_day_has_no_price():
    with pytest.raises(BadInputError, match="no prev_close entry"):
        entry_price(prices(), "2024-01-04", "prev_close")


def test_non_positive_prices_are_bad_input():
    frame = prices()
    frame.loc[DAYS[2], "Open"] = 0.0
    with pytest.raises(BadInputError, match="zero, negative"):
        entry_price(frame, "2024-01-08")


price = st.floats(min_value=0.5, max_value=500.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    closes=st.lists(price, min_size=3, max_size=12),
    opens=st.lists(price, min_size=12, max_size=12),
    data=st.data(),
)
def test_conventions_differ_exactly_by_the_overnight_gap_and_the_session(closes, opens, data):
    n = len(closes)
    days = pd.bdate_range("2023-03-01", periods=n, name="Date")
    frame = pd.DataFrame({"Open": opens[:n], "Close": closes}, index=days)
    d = data.draw(st.integers(min_value=1, max_value=n - 1))
    e = data.draw(st.integers(min_value=d, max_value=n - 1))
    prev_close, next_open, close = (
        holding_return(frame, days[d], days[e], c) for c in EntryConvention
    )
    gap = frame["Open"].iloc[d] / frame["Close"].iloc[d - 1]
    session = frame["Close"].iloc[d] / frame["Open"].iloc[d]
    assert (1 + prev_close) == pytest.approx((1 + next_open) * gap, rel=1e-12)
    assert (1 + next_open) == pytest.approx((1 + close) * session, rel=1e-12)
