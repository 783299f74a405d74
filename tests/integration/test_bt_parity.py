"""A backtrader strategy written by hand with the plugin's indicators gives the same equity,
to the bit, as the flagship config's built-in signal strategies (on the real snapshot).

The hand-written strategy decides at each close from the indicator's ``exposure`` line (a
trade only when the exposure changes, as the signal strategy does) and fills at the next open
(cheat-on-open), sized on the open like the engine: value at the open times the weight,
sells first, buys scaled to the cash left at the worst price; the project's costs (5 bp
commission on fractional shares, 5 bp slippage). The built-in side is the pipeline's own run
of the flagship's signal strategies; the indicators' lines are also checked against the
``signals.csv`` of a flagship run.
"""

from __future__ import annotations

import math
from pathlib import Path

import backtrader as bt
import numpy as np
import pandas as pd
import pytest

import catalystlab.bt as cbt
from catalystlab.config import load_config
from catalystlab.engine.commission import FractionalStockCommission
from catalystlab.inputs.options import DataOptions
from catalystlab.pipeline.execute import run
from catalystlab.pipeline.outcome import RunOutcome

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
MARGIN = {"measure": "margin_change", "threshold": 0.0}
LAYOFFS = {"hold_days": 60, "min_headcount": 1000}
CAPEX = {"mode": "either", "threshold": 0.2, "hold_days": 60}
THESIS = {"combine": "weighted", "margin": MARGIN, "layoffs": LAYOFFS, "capex": CAPEX}
# Strategy id of the flagship config -> the indicator that reads the same rule, whether SPY
# holds what the rule leaves out.
RULES = {
    "margin_amzn": (lambda data: cbt.Margin(data, **MARGIN), False),
    "layoffs_amzn": (lambda data: cbt.Layoffs(data, **LAYOFFS), False),
    "capex_amzn": (lambda data: cbt.Signal("capex", data, **CAPEX), False),
    "thesis_amzn": (lambda data: cbt.Thesis(data, **THESIS), False),
    "thesis_amzn_else_spy": (lambda data: cbt.Thesis(data, **THESIS), True),
}
SIZING_HEADROOM = 1e-12  # the engine's (catalystlab.engine.backtest), restated by hand
MIN_TRADE_FRACTION = 1e-9


class CatalystRule(bt.Strategy):
    """Hold AMZN (datas[0]) at the rule's exposure, the rest in cash or SPY (datas[1])."""

    params = (("rule", None), ("else_spy", False), ("commission", 0.0), ("slippage", 0.0))

    def __init__(self) -> None:
        self.exposure = self.p.rule(self.datas[0])
        self.equity: list[float] = []
        self.last = math.nan
        self.wanted: list[float] | None = None

    def next(self) -> None:  # at the close
        self.equity.append(self.broker.getvalue())
        exposure = self.exposure[0]
        if exposure != self.last:
            self.last = exposure
            self.wanted = [exposure, 1.0 - exposure] if self.p.else_spy else [exposure]

    def next_open(self) -> None:  # at the next open, before the bar trades
        if self.wanted is None:
            return
        weights, self.wanted = self.wanted, None
        datas = self.datas[: len(weights)]
        opens = [d.open[0] for d in datas]
        held = [self.getposition(d).size for d in datas]
        value = self.broker.getcash() + sum(s * p for s, p in zip(held, opens, strict=True))
        cash = self.broker.getcash()
        cost = (1 + self.p.slippage) * (1 + self.p.commission)  # per unit bought, worst case
        proceeds = (1 - self.p.slippage) * (1 - self.p.commission)  # per unit sold
        buys = []
        for data, weight, have, price in zip(datas, weights, held, opens, strict=True):
            want = weight * value / price
            if abs(want - have) * price <= MIN_TRADE_FRACTION * value:
                continue
            if want < have:
                self.sell(data=data, size=have - want)
                cash += (have - want) * price * proceeds
            else:
                buys.append((data, want - have, price))
        needed = sum(size * price * cost for _, size, price in buys)
        scale = min(1.0, cash / needed) if needed > 0 else 1.0
        for data, size, _ in buys:
            self.buy(data=data, size=size * scale * (1 - SIZING_HEADROOM))


@pytest.fixture(scope="module")
def pipeline_run(shared_data: Path) -> RunOutcome:
    """The flagship's signal strategies (and buy-and-hold AMZN, its SPA benchmark) run by the
    pipeline on AMZN and SPY, without the call, event study and claims."""
    flagship = load_config(REPO / "config" / "amazon_ai_call.yaml")
    keep = {"buy_hold_amzn", *RULES}
    config = flagship.model_copy(
        update={
            "call": None,
            "event_study": None,
            "claims": None,
            "strategies": tuple(s for s in flagship.strategies if s.id in keep),
            "statistics": flagship.statistics.model_copy(update={"bootstrap_reps": 100}),
        }
    )
    return run(config, data=DataOptions(data_dir=shared_data, offline=True))


def _by_hand(outcome: RunOutcome, data_dir: Path, strategy: str) -> pd.Series:
    config = outcome.config
    rule, else_spy = RULES[strategy]
    cerebro = bt.Cerebro(stdstats=False, cheat_on_open=True)
    cerebro.broker.setcash(config.cash)
    cerebro.broker.addcommissioninfo(FractionalStockCommission(commission=config.costs.commission))
    cerebro.broker.set_slippage_perc(
        config.costs.slippage, slip_open=True, slip_limit=True, slip_match=True, slip_out=False
    )
    dates = {"start": config.start, "end": outcome.calendar[-1].date()}
    cerebro.adddata(cbt.feed("AMZN", data_dir=data_dir, offline=True, **dates))
    if else_spy:
        cerebro.adddata(cbt.feed("SPY", data_dir=data_dir, offline=True, catalysts=False, **dates))
    cerebro.addstrategy(
        CatalystRule,
        rule=rule,
        else_spy=else_spy,
        commission=config.costs.commission,
        slippage=config.costs.slippage,
    )
    strategy = cerebro.run()[0]
    return pd.Series(strategy.equity, index=outcome.calendar[: len(strategy.equity)])


@pytest.fixture(scope="module")
def by_hand(pipeline_run: RunOutcome, shared_data: Path) -> dict[str, pd.Series]:
    """Each rule's equity from the hand-written strategy, USD at each close."""
    return {strategy: _by_hand(pipeline_run, shared_data, strategy) for strategy in RULES}


@pytest.mark.parametrize("strategy", list(RULES))
def test_a_hand_written_strategy_with_the_indicators_equals_the_built_in_one(
    pipeline_run, by_hand, strategy
):
    built_in = pipeline_run.strategies[strategy].result
    assert built_in.rejected_orders == 0
    assert len(built_in.trades) >= 2  # the rule trades: an equal equity is not two flat lines
    assert len(by_hand[strategy]) == len(pipeline_run.calendar) > 2900
    np.testing.assert_array_equal(by_hand[strategy].to_numpy(), built_in.equity.to_numpy())


def test_the_exposure_lines_equal_the_runs_signals(pipeline_run, shared_data):
    """Bar by bar, every indicator's line equals the pipeline's signal series, to the bit."""
    seen: dict[str, list[float]] = {}

    class Record(bt.Strategy):
        def __init__(self) -> None:
            self.lines_of = {
                "margin:AMZN": cbt.Margin(**MARGIN),
                "layoffs:AMZN": cbt.Layoffs(**LAYOFFS),
                "capex:AMZN": cbt.Capex(**CAPEX),
                "thesis:AMZN": cbt.Signal("thesis", **THESIS),
            }

        def next(self) -> None:
            for label, line in self.lines_of.items():
                seen.setdefault(label, []).append(line[0])

    calendar = pipeline_run.calendar
    cerebro = bt.Cerebro(stdstats=False, runonce=False)  # next(), not once(), fills the lines
    cerebro.adddata(
        cbt.feed("AMZN", data_dir=shared_data, offline=True, start=calendar[0], end=calendar[-1])
    )
    cerebro.addstrategy(Record)
    cerebro.run()
    for label, values in seen.items():
        expected = pipeline_run.signals[label].to_numpy()
        np.testing.assert_array_equal(np.array(values), expected, err_msg=label)
        assert 0 < expected.mean() < 1, label  # on some days and off on others


def test_the_exposure_lines_equal_signals_csv_of_the_flagship_run(flagship_run, shared_data):
    """The flagship run's calendar is that of all its tickers from 2015 on (AMZN, SPY, QQQ, the
    rivals); on those dates the lines equal ``signals.csv`` (written to 6 significant digits,
    so within half a unit of the sixth digit of an exposure <= 1)."""
    written = pd.read_csv(flagship_run / "signals.csv", index_col=0, parse_dates=True)
    seen: list[dict[str, object]] = []

    class Record(bt.Strategy):
        def __init__(self) -> None:
            self.lines_of = {
                "margin:AMZN": cbt.Margin(**MARGIN),
                "layoffs:AMZN": cbt.Layoffs(**LAYOFFS),
                "capex:AMZN": cbt.Capex(**CAPEX),
                "thesis:AMZN": cbt.Thesis(**THESIS),
            }

        def next(self) -> None:
            row = {label: line[0] for label, line in self.lines_of.items()}
            seen.append({"Date": pd.Timestamp(self.data.datetime.date(0)), **row})

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(
        cbt.feed(
            "AMZN", data_dir=shared_data, offline=True, start="2015-01-01", end=written.index[-1]
        )
    )
    cerebro.addstrategy(Record)
    cerebro.run()
    lines = pd.DataFrame(seen).set_index("Date")
    assert lines.index.equals(written.index)
    for label in ("margin:AMZN", "layoffs:AMZN", "capex:AMZN", "thesis:AMZN"):
        np.testing.assert_allclose(lines[label], written[label], rtol=0, atol=5e-7, err_msg=label)


def test_the_hand_written_equity_equals_equity_csv_of_the_flagship_run(
    flagship_run, pipeline_run, by_hand
):
    """The flagship's own results (``equity.csv``, USD to 6 decimals): the same equity."""
    written = pd.read_csv(flagship_run / "equity.csv", index_col=0, parse_dates=True)
    assert written.index.equals(pipeline_run.calendar)
    for strategy, equity in by_hand.items():
        np.testing.assert_allclose(equity, written[strategy], rtol=0, atol=5e-7, err_msg=strategy)
