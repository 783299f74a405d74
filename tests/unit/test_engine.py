"""The engine against closed forms, stock PandasData, and the no-rejection guarantee."""

from __future__ import annotations

import backtrader as bt
import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_prices
from hypothesis import given, settings
from hypothesis import strategies as st

from catalystlab.engine.backtest import Costs, run_backtest


def _hold_schedule(prices: pd.DataFrame, ticker: str = "AAA") -> pd.DataFrame:
    schedule = pd.DataFrame({ticker: np.nan}, index=prices.index)
    schedule.iloc[0] = 1.0
    return schedule


def test_buy_and_hold_equity_is_the_closed_form_without_costs():
    prices = synthetic_prices(days=260, seed=3)
    result = run_backtest(
        schedule=_hold_schedule(prices), prices={"AAA": prices}, cash=10_000.0, costs=Costs()
    )
    expected = 10_000.0 * prices["Close"] / prices["Open"].iloc[1]
    expected.iloc[0] = 10_000.0
    np.testing.assert_allclose(result.equity.to_numpy(), expected.to_numpy(), rtol=1e-9)
    assert result.rejected_orders == 0
    assert len(result.trades) == 1
    assert result.trades["Date"].iloc[0] == prices.index[1]


def test_buy_and_hold_with_costs_pays_slippage_and_commission_once():
    prices = synthetic_prices(days=120, seed=4)
    commission, slippage = 0.001, 0.002
    result = run_backtest(
        schedule=_hold_schedule(prices),
        prices={"AAA": prices},
        cash=50_000.0,
        costs=Costs(commission=commission, slippage=slippage),
    )
    fill = min(prices["Open"].iloc[1] * (1 + slippage), prices["High"].iloc[1])
    shares = 50_000.0 / (fill * (1 + commission))
    expected_end = shares * prices["Close"].iloc[-1]
    assert result.equity.iloc[-1] == pytest.approx(expected_end, rel=1e-9)
    assert result.trades["price"].iloc[0] == pytest.approx(fill, rel=1e-12)
    assert result.trades["commission"].iloc[0] == pytest.approx(shares * fill * commission)


def test_daily_returns_after_entry_are_close_to_close():
    prices = synthetic_prices(days=200, seed=5)
    result = run_backtest(
        schedule=_hold_schedule(prices), prices={"AAA": prices}, cash=1.0, costs=Costs()
    )
    close_to_close = prices["Close"].pct_change().iloc[2:]
    np.testing.assert_allclose(result.returns.iloc[1:], close_to_close, rtol=1e-9, atol=1e-13)


class _PandasWithTarget(bt.feeds.PandasData):
    lines = ("target",)
    params = (("target", -1),)


def _basket_schedule(index: pd.DatetimeIndex) -> pd.DataFrame:
    schedule = pd.DataFrame(np.nan, index=index, columns=["AAA", "BBB"])
    schedule.iloc[::21] = [0.6, 0.4]
    schedule.iloc[10::63] = [0.2, 0.7]
    return schedule


def test_array_feed_gives_the_same_results_as_stock_pandas_data():
    prices = {"AAA": synthetic_prices(days=400, seed=6), "BBB": synthetic_prices(days=400, seed=7)}
    schedule = _basket_schedule(prices["AAA"].index)
    costs = Costs(commission=0.0005, slippage=0.001)

    def pandas_feed(frame: pd.DataFrame, target: np.ndarray) -> bt.feeds.DataBase:
        return _PandasWithTarget(dataname=frame.assign(target=target), openinterest=None)

    fast = run_backtest(schedule=schedule, prices=prices, cash=1e6, costs=costs)
    stock = run_backtest(schedule=schedule, prices=prices, cash=1e6, costs=costs, feed=pandas_feed)
    pd.testing.assert_series_equal(fast.equity, stock.equity)
    pd.testing.assert_frame_equal(fast.trades, stock.trades)
    assert len(fast.trades) > 20


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    commission=st.floats(0, 0.01),
    slippage=st.floats(0, 0.01),
    weights=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=12),
)
def test_no_order_is_ever_rejected(seed, commission, slippage, weights):
    prices = {
        "AAA": synthetic_prices(days=80, seed=seed),
        "BBB": synthetic_prices(days=80, seed=seed + 1),
    }
    schedule = pd.DataFrame(np.nan, index=prices["AAA"].index, columns=["AAA", "BBB"])
    rows = np.linspace(0, 78, len(weights)).astype(int)
    for row, (a, b) in zip(rows, weights, strict=True):
        total = max(a + b, 1.0)
        schedule.iloc[row] = [a / total, b / total]
    result = run_backtest(
        schedule=schedule,
        prices=prices,
        cash=100_000.0,
        costs=Costs(commission=commission, slippage=slippage),
    )
    assert result.rejected_orders == 0
    assert (result.equity > 0).all()
