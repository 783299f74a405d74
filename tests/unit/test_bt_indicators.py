"""The indicators: each line equals its signal module's exposure bar by bar, agrees with the
feed's catalyst lines where the rule is a threshold on them, takes the signal's parameters
with their checks, reaches plugin signals by name, and refuses feeds it cannot read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import backtrader as bt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import catalystlab.bt as cbt
from catalystlab.core.errors import BadInputError
from signals.base import compute_signal
from tests.conftest import synthetic_prices
from tests.unit.signal_inputs import random_inputs
from tests.unit.test_bt_feed import synthetic_feed


class Lines(bt.Strategy):
    """Builds ``make(strategy)`` (a dict name -> indicator) and records each line per bar."""

    params = (("make", None),)

    def __init__(self) -> None:
        self.made = self.p.make(self)
        self.rows: list[dict[str, float]] = []

    def next(self) -> None:
        row = {name: line[0] for name, line in self.made.items()}
        row.update(layoff_days=self.data.layoff_days[0], margin_change=self.data.margin_change[0])
        self.rows.append(row)


def lines_of(data, make, **options) -> pd.DataFrame:
    cerebro = bt.Cerebro(stdstats=False, **options)
    cerebro.adddata(data)
    cerebro.addstrategy(Lines, make=make)
    (strategy,) = cerebro.run()
    return pd.DataFrame(strategy.rows)


INPUTS = random_inputs(21, days=700, quarters=20, n_events=16)  # every case below trades
CASES = {
    "margin": (cbt.Margin, {"threshold": 0.01, "missing_exposure": 0.5}),
    "layoffs": (cbt.Layoffs, {"hold_days": 20, "min_headcount": 1000, "status": "official"}),
    "capex": (cbt.Capex, {"mode": "either", "threshold": 0.1, "guidance": "raise"}),
    "thesis": (cbt.Thesis, {"combine": "any", "layoffs": {"hold_days": 5}}),
}


@pytest.mark.parametrize("runonce", [True, False], ids=["once", "next"])
def test_each_indicator_equals_its_signal_modules_exposure_bar_by_bar(runonce):
    def make(strategy):
        made = {name: kind(**params) for name, (kind, params) in CASES.items()}
        made["generic margin"] = cbt.Signal("margin", **CASES["margin"][1])
        return made

    got = lines_of(synthetic_feed(INPUTS), make, runonce=runonce)
    for name, (_, params) in CASES.items():
        expected = compute_signal(name, INPUTS, ["AAA"], params)["AAA"].to_numpy()
        assert 0 < expected.mean() < 1, name  # the case is on some days and off on others
        np.testing.assert_array_equal(got[name].to_numpy(), expected, err_msg=name)
    np.testing.assert_array_equal(got["generic margin"], got["margin"])


def test_the_defaults_are_the_signals_defaults():
    def make(strategy):
        return {"bt": cbt.Layoffs(), "generic": cbt.Signal("layoffs")}

    got = lines_of(synthetic_feed(INPUTS), make)
    expected = compute_signal("layoffs", INPUTS, ["AAA"], {})["AAA"].to_numpy()
    np.testing.assert_array_equal(got["bt"], expected)
    np.testing.assert_array_equal(got["generic"], expected)
    assert cbt.Layoffs.params.hold_days == 60 and cbt.Margin.params.threshold == 0.0


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 5000), hold_days=st.integers(1, 80), threshold=st.floats(-0.05, 0.05))
def test_the_rules_are_thresholds_on_the_feeds_catalyst_lines(seed, hold_days, threshold):
    """Unfiltered layoffs hold exactly while ``layoff_days < hold_days``; margin is on exactly
    while ``margin_change > threshold`` (``missing_exposure`` while it is NaN)."""
    inputs = random_inputs(seed, days=400, quarters=16, n_events=10)

    def make(strategy):
        return {
            "layoffs": cbt.Layoffs(hold_days=hold_days, allow_missing_data=True),
            "margin": cbt.Margin(
                threshold=threshold, missing_exposure=0.25, allow_missing_data=True
            ),
        }

    got = lines_of(synthetic_feed(inputs), make)
    days = got["layoff_days"].to_numpy()
    np.testing.assert_array_equal(got["layoffs"], (days < hold_days).astype(float))
    change = got["margin_change"].to_numpy()
    expected = np.where(np.isnan(change), 0.25, (change > threshold).astype(float))
    np.testing.assert_array_equal(got["margin"], expected)


def test_an_indicator_on_another_data_of_the_strategy():
    def make(strategy):
        return {
            "second": cbt.Margin(strategy.datas[1]),
            "by name": cbt.Signal("margin", strategy.data1),
            "data first": cbt.Signal(strategy.data1, "margin"),
        }

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(synthetic_feed(INPUTS))
    cerebro.adddata(synthetic_feed(INPUTS, ticker="BBB"))
    cerebro.addstrategy(Lines, make=make)
    (strategy,) = cerebro.run()
    got = pd.DataFrame(strategy.rows)
    expected = compute_signal("margin", INPUTS, ["BBB"], {})["BBB"].to_numpy()
    other = compute_signal("margin", INPUTS, ["AAA"], {})["AAA"].to_numpy()
    assert not np.array_equal(expected, other)  # BBB's line is not AAA's
    np.testing.assert_array_equal(got["second"].to_numpy(), expected)
    np.testing.assert_array_equal(got["by name"], got["second"])
    np.testing.assert_array_equal(got["data first"], got["second"])


# ---- bad input: each is one BadInputError raised from cerebro.run ----


def run_with(make, data=None) -> None:
    lines_of(synthetic_feed(INPUTS) if data is None else data, make)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s: {"x": cbt.Layoffs(hold_days=0)}, "hold_days must be between 1 and 2520"),
        (lambda s: {"x": cbt.Margin(treshold=0.1)}, r"unknown parameter\(s\) treshold"),
        (lambda s: {"x": cbt.Margin(threshold="high")}, "threshold"),
        (lambda s: {"x": cbt.Thesis(weights={"hype": 1})}, "unknown component"),
        (lambda s: {"x": cbt.Signal("hype")}, "Unknown signal 'hype'; available: capex"),
        (lambda s: {"x": cbt.Signal(threshold=0.1)}, "give one signal name"),
        (lambda s: {"x": cbt.Signal("capex", "margin")}, "give one signal name"),
        (lambda s: {"x": cbt.Signal("capex", mode="never")}, "mode"),
    ],
    ids=[
        "value",
        "unknown name",
        "wrong type",
        "thesis part",
        "unknown signal",
        "no name",
        "two names",
        "enum",
    ],
)
def test_bad_parameters_are_bad_input_errors(make, message):
    with pytest.raises(BadInputError, match=message):
        run_with(make)


def test_a_plain_pandas_feed_is_refused_with_the_fix():
    frame = synthetic_prices(days=40)
    with pytest.raises(BadInputError, match=r"catalystlab\.bt\.feed.*'AAA'.*PandasData"):
        run_with(lambda s: {"x": cbt.Margin()}, bt.feeds.PandasData(dataname=frame, name="AAA"))


def test_a_ticker_without_the_data_its_signal_reads_is_refused_unless_allowed():
    """CCC has events but no fundamentals in the random inputs (like an ETF)."""
    data = synthetic_feed(INPUTS, ticker="CCC")
    with pytest.raises(BadInputError, match=r"no fundamentals metric 'revenue'.*for CCC"):
        run_with(lambda s: {"x": cbt.Margin()}, data)
    got = lines_of(
        synthetic_feed(INPUTS, ticker="CCC"),
        lambda s: {"x": cbt.Margin(allow_missing_data=True, missing_exposure=0.5)},
    )
    assert (got["x"] == 0.5).all()


def test_a_feed_made_without_catalysts_is_refused():
    from catalystlab.bt.feeds import Catalysts, build_feed

    frame = synthetic_prices(start=str(INPUTS.calendar[0].date()), days=len(INPUTS.calendar))
    frame.index = INPUTS.calendar
    data = build_feed(frame, Catalysts(ticker="AAA", inputs=INPUTS, notes=(), loaded=False))
    with pytest.raises(BadInputError, match="catalysts=False"):
        run_with(lambda s: {"x": cbt.Layoffs()}, data)


PLUGIN_SCRIPT = """
import os
import subprocess
import sys
from pathlib import Path

import backtrader as bt
import catalystlab.bt as cbt
from tests.unit.test_bt_feed import synthetic_feed
from tests.unit.test_bt_indicators import INPUTS

class Plugin(bt.Strategy):
    def __init__(self):
        self.half = cbt.Signal("half_in", exposure=0.25)
        self.seen = []

    def next(self):
        self.seen.append(self.half[0])

cerebro = bt.Cerebro()
cerebro.adddata(synthetic_feed(INPUTS))
cerebro.addstrategy(Plugin)
(strategy,) = cerebro.run()
print(len(strategy.seen), sorted(set(strategy.seen)))
"""


def test_a_plugin_signal_is_reached_by_name():
    """The demo plugin of tests/fixtures/plugin (entry point ``catalystlab.signals``),
    installed on the path of a fresh interpreter, holds its constant exposure."""
    repo = Path(__file__).resolve().parents[2]
    path = os.pathsep.join([str(repo / "tests" / "fixtures" / "plugin"), str(repo)])
    done = subprocess.run(
        [sys.executable, "-c", PLUGIN_SCRIPT],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(len(INPUTS.calendar)), "[0.25]"]


@pytest.mark.parametrize("runonce", [True, False], ids=["once", "next"])
def test_on_weekly_bars_resampled_from_the_feed_the_line_is_the_weeks_last_close(runonce):
    def make(strategy):
        return {"thesis": cbt.Thesis(**CASES["thesis"][1])}

    cerebro = bt.Cerebro(stdstats=False, runonce=runonce)
    cerebro.resampledata(synthetic_feed(INPUTS), timeframe=bt.TimeFrame.Weeks)
    cerebro.addstrategy(Lines, make=make)
    (strategy,) = cerebro.run()
    weekly = pd.DataFrame(strategy.rows)["thesis"].to_numpy()
    daily = compute_signal("thesis", INPUTS, ["AAA"], CASES["thesis"][1])["AAA"]
    week = daily.index.to_period("W")
    last_sessions = daily.groupby(week).tail(1)  # the close each weekly bar is known at
    assert len(weekly) == len(last_sessions) < len(daily) / 4
    np.testing.assert_array_equal(weekly, last_sessions.to_numpy())


def test_on_a_weekly_clone_of_a_feed_already_added_the_line_is_the_weeks_last_close():
    def make(strategy):
        return {"weekly": cbt.Layoffs(strategy.data1, **CASES["layoffs"][1])}

    data = synthetic_feed(INPUTS)
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(data)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks)  # a clone of the feed
    cerebro.addstrategy(Lines, make=make)
    (strategy,) = cerebro.run()
    assert isinstance(strategy.data1, bt.DataClone)
    weekly = np.asarray(strategy.made["weekly"].lines.exposure.array)
    daily = compute_signal("layoffs", INPUTS, ["AAA"], CASES["layoffs"][1])["AAA"]
    last_sessions = daily.groupby(daily.index.to_period("W")).tail(1).to_numpy()
    assert 0 < last_sessions.mean() < 1
    np.testing.assert_array_equal(weekly, last_sessions)


class HoldFor(bt.Strategy):
    """Records the exposure of ``Layoffs(hold_days=hold)`` (module level: optstrategy sends
    it to its worker processes)."""

    params = (("hold", 20),)

    def __init__(self) -> None:
        self.layoffs = cbt.Layoffs(hold_days=self.p.hold)
        self.seen: list[float] = []

    def next(self) -> None:
        self.seen.append(self.layoffs[0])


def test_each_variant_of_an_optstrategy_run_in_two_processes_gets_its_own_line():
    cerebro = bt.Cerebro(stdstats=False, maxcpus=2, optreturn=False)
    cerebro.adddata(synthetic_feed(INPUTS))
    cerebro.optstrategy(HoldFor, hold=[3, 40])
    results = cerebro.run()
    assert sorted(r[0].p.hold for r in results) == [3, 40]
    for (strategy,) in results:
        expected = compute_signal("layoffs", INPUTS, ["AAA"], {"hold_days": strategy.p.hold})
        np.testing.assert_array_equal(strategy.seen, expected["AAA"].to_numpy())
    assert results[0][0].seen != results[1][0].seen
