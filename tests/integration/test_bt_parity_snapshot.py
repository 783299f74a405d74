"""Parity on the snapshot: ``CallTest`` in a user's cerebro (a buy-and-hold of AMZN, stock
``bt.Cerebro``, the flagship's costs) gives the flagship run's call numbers, and the analyzers'
daily returns equal backtrader's ``TimeReturn``."""

from __future__ import annotations

import json
from pathlib import Path

import backtrader as bt
import numpy as np
import pandas as pd
import pytest

from catalystlab.bt import CallTest, Significance
from catalystlab.core.progress import SilentProgress
from catalystlab.inputs.options import DataOptions, load_prices

pytestmark = pytest.mark.integration

LEGS = ("AMZN", "SPY", "QQQ", "MSFT", "NVDA", "META")


class HoldAmzn(bt.Strategy):
    def next(self):
        if not self.position:
            self.order_target_percent(self.data0, target=0.99)


@pytest.fixture(scope="module")
def cerebro_run(shared_data: Path) -> bt.Strategy:
    """The flagship's call in a stock cerebro: its prices as the run loads them (from the
    base-rate start), 5 bp commission and slippage, the config's call settings."""
    loaded = load_prices(
        LEGS,
        source=DataOptions(data_dir=shared_data).price_source(lambda _: None),
        start=pd.Timestamp("2010-01-01"),
        end=None,
        progress=SilentProgress(),
    )
    cerebro = bt.Cerebro(stdstats=False)
    for ticker in LEGS:
        cerebro.adddata(bt.feeds.PandasData(dataname=loaded[ticker].frame), name=ticker)
    cerebro.broker.setcash(100_000)
    cerebro.broker.setcommission(commission=0.0005)
    cerebro.broker.set_slippage_perc(0.0005)
    cerebro.addstrategy(HoldAmzn)
    cerebro.addanalyzer(
        CallTest,
        _name="call",
        ticker="AMZN",
        date="2025-08-01",
        window=("2025-07-01", "2025-08-01"),
        benchmarks=list(LEGS[1:]),
        horizons_months=(1, 3, 6, 12),
        entry="next_open",
        base_rate_start="2010-01-01",
        seed=20250801,
        bootstrap_reps=1000,
    )
    cerebro.addanalyzer(Significance, _name="significance", benchmark="SPY")
    cerebro.addanalyzer(bt.analyzers.TimeReturn, _name="time_return", timeframe=bt.TimeFrame.Days)
    return cerebro.run()[0]


def test_call_test_equals_the_flagship_call(cerebro_run, flagship_run):
    flagship = json.loads((flagship_run / "summary.json").read_text())["call"]
    got = cerebro_run.analyzers.call.get_analysis()
    for key in ("decision_day", "entry_day", "end_day"):
        assert got[key] == flagship[key]
    oos = flagship["out_of_sample"]
    for leg in LEGS:
        assert got["legs"][leg] == pytest.approx(oos[leg]["total_return"], rel=1e-12), leg
        if leg != "AMZN":
            assert got["excess"][leg] == pytest.approx(oos[leg]["excess_total_return"], rel=1e-12)
            interval = got["excess_interval"][leg]
            for column in ("annual_excess", "low", "high"):
                expected = flagship["excess_interval"][leg][column]
                assert interval[column] == pytest.approx(expected, rel=1e-12)
            rate = got["base_rates"][leg]
            assert rate["percentile"] == pytest.approx(
                flagship["base_rates"][leg]["percentile"], rel=1e-12
            )
            assert rate["n_windows"] == flagship["base_rates"][leg]["n_windows"]
    for horizon, row in got["horizons"].items():
        expected = flagship["horizons"][horizon]
        for column, value in row.items():
            if column.startswith(("return:", "excess:", "percentile:")):
                assert value == pytest.approx(expected[column], rel=1e-12), (horizon, column)
    assert got["band"]["entry_days"] == flagship["window"]["entry_days"]


def test_returns_equal_time_return_on_the_snapshot(cerebro_run):
    theirs = pd.Series(cerebro_run.analyzers.time_return.get_analysis())
    ours = cerebro_run.analyzers.significance.returns
    assert list(pd.DatetimeIndex(theirs.index).normalize()) == list(ours.index)
    np.testing.assert_array_equal(ours.to_numpy(), theirs.to_numpy())


def test_the_strategy_sits_beside_the_call(cerebro_run):
    got = cerebro_run.analyzers.call.get_analysis()
    values = cerebro_run.analyzers.call.record.values
    mine = values.loc[pd.Timestamp(got["end_day"])] / values.loc[pd.Timestamp(got["decision_day"])]
    assert got["strategy"]["total_return"] == pytest.approx(mine - 1, rel=1e-12)
    # held at 99% since the data's first years, the strategy is AMZN with a sliver of cash:
    # from the decision close it also carries the entry day's overnight gap, which the call,
    # bought at that open, does not
    close = cerebro_run.analyzers.call.record.prices["AMZN"]["Close"]
    held = close[got["end_day"]] / close[got["decision_day"]] - 1
    assert got["strategy"]["total_return"] == pytest.approx(held, rel=1e-3)
    assert got["strategy"]["minus_call"] == pytest.approx(held - got["legs"]["AMZN"], abs=1e-3)
