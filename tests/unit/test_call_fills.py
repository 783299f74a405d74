"""The call's legs are sold at the end: the value at a close is what selling there brings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import catalystlab as cl
from catalystlab.analysis.call.fills import purchase_price, sale_price, sold_value
from catalystlab.engine.backtest import BacktestResult, Costs


def test_fill_prices_move_against_the_trade_and_stop_at_the_day_range():
    assert sale_price(100.0, 99.0, 0.002) == pytest.approx(99.8)
    assert sale_price(100.0, 99.9, 0.002) == pytest.approx(99.9)  # capped at the low
    assert purchase_price(100.0, 101.0, 0.002) == pytest.approx(100.2)
    assert purchase_price(100.0, 100.1, 0.002) == pytest.approx(100.1)  # capped at the high
    assert sale_price(100.0, 90.0, 0.0) == 100.0 and purchase_price(100.0, 110.0, 0.0) == 100.0


def test_sold_value_by_hand():
    days = pd.bdate_range("2024-01-01", periods=3)
    frames = {
        "A": pd.DataFrame(
            {
                "Open": [10.0] * 3,
                "High": [11.0] * 3,
                "Low": [9.0, 9.0, 19.99],
                "Close": [10.0, 12.0, 20.0],
            },
            index=days,
        ),
        "B": pd.DataFrame(
            {"Open": [5.0] * 3, "High": [6.0] * 3, "Low": [3.0] * 3, "Close": [5.0, 5.0, 4.0]},
            index=days,
        ),
    }
    # 10 shares of A and 20 of B bought on day 1; 5 of B sold on day 2.
    trades = pd.DataFrame(
        {
            "Date": [days[1], days[1], days[2]],
            "ticker": ["A", "B", "B"],
            "side": ["buy", "buy", "sell"],
            "size": [10.0, 20.0, -5.0],
            "price": [10.0, 5.0, 4.0],
            "value": [100.0, 100.0, -20.0],
            "commission": [0.0] * 3,
        }
    )
    equity = pd.Series([1000.0, 1020.0, 1100.0], index=days)
    result = BacktestResult(equity=equity, trades=trades, rejected_orders=0)
    costs = Costs(commission=0.001, slippage=0.002)
    value = sold_value(result, frames, costs)
    # Day 0: nothing held. Day 1: A at 12 * 0.998 = 11.976, B at 5 * 0.998 = 4.99, each less
    # 0.1% commission: cost 10 * (12 - 11.976 * 0.999) + 20 * (5 - 4.99 * 0.999).
    day1 = 10 * (12 - 11.976 * 0.999) + 20 * (5 - 4.99 * 0.999)
    # Day 2: A's sale 20 * 0.998 = 19.96 is below the low 19.99: it fills at 19.99; B holds 15.
    day2 = 10 * (20 - 19.99 * 0.999) + 15 * (4 - 3.992 * 0.999)
    expected = [1000.0, 1020.0 - day1, 1100.0 - day2]
    np.testing.assert_allclose(value.to_numpy(), expected, rtol=1e-13)
    pd.testing.assert_series_equal(sold_value(result, frames, Costs()), equity)


def test_out_of_sample_returns_are_round_trips(price_folder):
    """The call's total return is the round trip: bought at the entry open, sold at the last
    close, both fills paying commission and slippage."""
    data = price_folder(("AAA", "SPY"), days=300)
    costs = {"commission": 0.001, "slippage": 0.001}
    config = {
        "name": "buy_aaa",
        "start": "2019-01-02",
        "costs": costs,
        "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY"]},
    }
    result = cl.run(config, data_dir=data, write=False)
    frame = pd.read_csv(data / "prices" / "AAA.csv", index_col="Date", parse_dates=True)
    entry, end = result.call.timing.entry_day, result.call.timing.end_day
    bought = float(purchase_price(frame["Open"][entry], frame["High"][entry], 0.001))
    sold = float(sale_price(frame["Close"][end], frame["Low"][end], 0.001))
    round_trip = sold * 0.999 / (bought * 1.001) - 1
    total = result.call.out_of_sample.loc["AAA", "total_return"]
    assert total == pytest.approx(round_trip, rel=1e-9)
    marked = frame["Close"][end] / (bought * 1.001) - 1
    assert total < marked  # the exit costs are charged
