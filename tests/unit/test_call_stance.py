"""A sell call: one definition of its excess (benchmark minus stock) everywhere, and the short
position's return with its borrow fee, against hand computations on synthetic prices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_prices

import catalystlab as cl
from catalystlab.analysis.call import base_rate, horizon_base_rates, window_band
from catalystlab.analysis.call.legs import excess_interval, horizon_table, leg_metrics
from catalystlab.analysis.call.short import short_position
from catalystlab.analysis.call.stance import Stance, call_excess, parse_stance
from catalystlab.core.errors import BadInputError
from catalystlab.engine.backtest import Costs

PRICES = {"T": synthetic_prices(seed=1, days=400), "B": synthetic_prices(seed=2, days=400)}


def test_the_excess_of_a_sell_call_is_the_benchmark_minus_the_stock():
    assert call_excess(Stance.BUY, 0.10, 0.04) == pytest.approx(0.06)
    assert call_excess(Stance.SELL, 0.10, 0.04) == pytest.approx(-0.06)
    assert (
        call_excess(Stance.SELL, 0.02, 0.02) == 0.0
        and str(call_excess(Stance.SELL, 0.0, 0.0)) == "0.0"
    )
    assert parse_stance("SELL") is Stance.SELL
    with pytest.raises(BadInputError, match="buy or sell"):
        parse_stance("short")


def test_band_base_rate_and_horizons_flip_sign_for_a_sell_call():
    kwargs = {"ticker": "T", "benchmarks": ["B"], "first": "2019-06-03", "last": "2019-06-14"}
    buy = window_band(PRICES, **kwargs, end="2020-03-02")
    sell = window_band(PRICES, **kwargs, end="2020-03-02", stance="sell")
    pd.testing.assert_frame_equal(sell.excess, -buy.excess)
    pd.testing.assert_frame_equal(sell.returns, buy.returns)
    assert "benchmark's holding return minus the stock's" in sell.to_dict()["excess_definition"]
    rate_kwargs = {"ticker": "T", "benchmark": "B", "entry_day": "2020-01-02", "end": "2020-04-01"}
    rate_buy = base_rate(PRICES, **rate_kwargs, history_start="2019-01-02")
    rate_sell = base_rate(PRICES, **rate_kwargs, history_start="2019-01-02", stance="sell")
    assert rate_sell.call_excess == pytest.approx(-rate_buy.call_excess, abs=1e-15)
    pd.testing.assert_series_equal(rate_sell.history, -rate_buy.history)
    # independently: the share of historical sell excesses at or below the call's
    assert rate_sell.percentile == pytest.approx(
        np.mean(rate_sell.history.to_numpy() <= rate_sell.call_excess)
    )
    rows = horizon_base_rates(
        PRICES,
        ticker="T",
        benchmarks=["B"],
        entry_day="2020-01-02",
        months=[1],
        history_start="2019-01-02",
        stance="sell",
    )
    close, open_ = PRICES["T"]["Close"], PRICES["T"]["Open"]
    bclose, bopen = PRICES["B"]["Close"], PRICES["B"]["Open"]
    exit_day = close.index[close.index <= pd.Timestamp("2020-02-02")][-1]
    expected = (bclose[exit_day] / bopen["2020-01-02"] - 1) - (
        close[exit_day] / open_["2020-01-02"] - 1
    )
    assert rows[0].base.call_excess == pytest.approx(expected, rel=1e-12)


def _curves() -> dict[str, pd.Series]:
    days = pd.bdate_range("2021-01-04", periods=260)
    rng = np.random.default_rng(3)
    return {
        name: pd.Series(100 * np.cumprod(1 + rng.normal(0.0005, 0.01, len(days))), index=days)
        for name in ("T", "B")
    }


def test_leg_tables_use_the_sell_definition():
    curves = _curves()
    buy, sell = leg_metrics(curves, "T"), leg_metrics(curves, "T", Stance.SELL)
    assert sell.loc["B", "excess_total_return"] == pytest.approx(
        sell.loc["B", "total_return"] - sell.loc["T", "total_return"]
    )
    assert sell.loc["B", "excess_total_return"] == pytest.approx(
        -buy.loc["B", "excess_total_return"]
    )
    assert sell.loc["T", "excess_total_return"] == 0.0
    table = horizon_table(
        curves, call_id="T", entry_day=curves["T"].index[0], months=(3,), stance=Stance.SELL
    )
    assert table.loc["3m", "excess:B"] == pytest.approx(
        table.loc["3m", "return:B"] - table.loc["3m", "return:T"]
    )
    up = excess_interval(curves, call_id="T", seed=1, reps=200)
    down = excess_interval(curves, call_id="T", seed=1, reps=200, stance=Stance.SELL)
    assert down.loc["B", "annual_excess"] == pytest.approx(-up.loc["B", "annual_excess"])
    assert down.loc["B", "low"] == pytest.approx(-up.loc["B", "high"], rel=1e-9)


def test_short_position_by_hand():
    """The short pays its own fills: sold at the entry open, bought back at the last close."""
    days = pd.bdate_range("2024-03-04", periods=4)
    frame = pd.DataFrame(
        {
            "Open": [100.0, 101.0, 95.0, 90.0],
            "High": [102.0, 103.0, 96.0, 91.0],
            "Low": [99.9, 100.0, 93.0, 88.0],
            "Close": [101.0, 96.0, 94.0, 90.0],
        },
        index=days,
    )
    costs = Costs(commission=0.001, slippage=0.002)
    short = short_position(
        frame, entry_day=days[0], exit_day=days[3], costs=costs, borrow_fee=0.0252
    )
    # Entry: a sale at the open, 100 * (1 - 0.002) = 99.8, is below the day's low 99.9, so it
    # fills at the low, 99.9. Exit: a purchase at the close, 90 * 1.002 = 90.18 (below the
    # day's high 91). Fractions of the value shorted at the open's price, 100:
    # proceeds 99.9 less 0.1% commission, buy-back 90.18 plus 0.1% commission.
    net = (99.9 * 0.999 - 90.18 * 1.001) / 100  # = 0.095300...: a 10% fall less the fills
    # The fills took 0.1 (entry slippage) + 0.0999 (entry commission) + 0.18 (exit slippage)
    # + 0.09018 (exit commission) = 0.47008 per share, 0.47% of 100.
    assert short.trading_cost == pytest.approx(0.0047008, rel=1e-12)
    # Borrow: 0.0252 / 252 = 0.0001 a day on the previous close's value: 100 (the entry open,
    # on the first day), 101, 96, 94, over the value shorted 100.
    borrow = 0.0001 * (100 + 101 + 96 + 94) / 100
    assert short.price_return == pytest.approx(1 - 90 / 100)  # the frictionless move
    assert short.total_return == pytest.approx(net - borrow, rel=1e-12)
    assert short.borrow_cost == pytest.approx(borrow, rel=1e-12)
    assert short.trading_cost == pytest.approx(0.1 - net, rel=1e-12)
    assert short.days == 4 and short.to_dict()["trading_cost"] == pytest.approx(0.0047008)
    free = short_position(frame, entry_day=days[0], exit_day=days[3], costs=Costs(), borrow_fee=0.0)
    assert free.total_return == pytest.approx(0.1) and free.trading_cost == pytest.approx(0.0)
    with pytest.raises(BadInputError, match="annual fraction"):
        short_position(frame, entry_day=days[0], exit_day=days[3], costs=costs, borrow_fee=-0.1)


def test_costs_never_turn_into_a_gain_of_the_short():
    """The finding of issue 17: the short used to be minus the long's cost-laden return, so
    the long's costs became the short's gain and it beat the frictionless short. Now every
    cost lowers it: with costs it is below the frictionless short, and below minus the long."""
    frame = PRICES["T"]
    entry, exit_ = frame.index[100], frame.index[160]
    costs = Costs(commission=0.0005, slippage=0.0005)
    paid = short_position(frame, entry_day=entry, exit_day=exit_, costs=costs, borrow_fee=0.0)
    free = short_position(frame, entry_day=entry, exit_day=exit_, costs=Costs(), borrow_fee=0.0)
    assert paid.total_return < free.total_return
    assert free.total_return == pytest.approx(1 - frame["Close"][exit_] / frame["Open"][entry])


def test_a_sell_call_run_end_to_end(price_folder):
    data = price_folder(("AAA", "SPY"), days=300)
    config = {
        "name": "sell_aaa",
        "start": "2019-01-02",
        "costs": {"commission": 0.0005, "slippage": 0.0005},
        "call": {
            "ticker": "AAA",
            "date": "2019-09-02",
            "stance": "sell",
            "borrow_fee": 0.01,
            "benchmarks": ["SPY"],
        },
    }
    result = cl.run(config, data_dir=data, write=False)
    oos = result.call.out_of_sample
    assert oos.loc["SPY", "excess_total_return"] == pytest.approx(
        oos.loc["SPY", "total_return"] - oos.loc["AAA", "total_return"]
    )
    short = result.summary["call"]["short_position"]
    prices = result.call.equity.index  # the out-of-sample closes, from the decision day
    assert short["days"] == len(prices) - 1
    assert short["borrow_fee"] == 0.01 and short["borrow_cost"] > 0
    assert 0.001 < short["trading_cost"] < 0.003  # 2 fills x (5 bp + up to 5 bp), about
    assert short["total_return"] == pytest.approx(
        short["price_return"] - short["trading_cost"] - short["borrow_cost"]
    )
    verdict = result.summary["call"]["verdict"]
    assert "sell call" in verdict and "nan" not in verdict.lower()
    assert result.summary["strategies"] == {}
