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
from catalystlab.analysis.call.stance import Stance, call_excess, parse_stance, short_position
from catalystlab.core.errors import BadInputError

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
    value = pd.Series([100.0, 110.0, 90.0, 80.0])
    short = short_position(value, borrow_fee=0.0252)
    assert short.price_return == pytest.approx(0.2)  # the stock fell 20%
    # 0.0252 / 252 = 0.0001 a day on 1.0, 1.1 and 0.9 of the value shorted
    assert short.borrow_cost == pytest.approx(0.0001 * 3.0)
    assert short.total_return == pytest.approx(0.2 - 0.0003)
    assert short.to_dict()["days"] == 3
    with pytest.raises(BadInputError, match="annual fraction"):
        short_position(value, borrow_fee=-0.1)


def test_a_sell_call_run_end_to_end(price_folder):
    data = price_folder(("AAA", "SPY"), days=300)
    config = {
        "name": "sell_aaa",
        "start": "2019-01-02",
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
    assert short["price_return"] == pytest.approx(-oos.loc["AAA", "total_return"])
    assert short["borrow_fee"] == 0.01 and short["borrow_cost"] > 0
    verdict = result.summary["call"]["verdict"]
    assert "sell call" in verdict and "nan" not in verdict.lower()
    assert result.summary["strategies"] == {}
