"""Analyzers for a user's own cerebro: the call test, the statistics and the tearsheet.

Add them with ``cerebro.addanalyzer(CallTest, ...)``; after ``cerebro.run()`` each one's
``get_analysis()`` is a plain dict of numbers (fractions, not %; ISO dates), as backtrader's
own analyzers return. Datas are matched to tickers by their name (``adddata(feed,
name="SPY")``). Costs are the cerebro broker's: a percentage commission and ``slip_perc``.
Every analyzer also keeps ``record`` (:class:`~catalystlab.bt.record.CerebroRecord`), which
:func:`catalystlab.bt.report` ranks.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import backtrader as bt
import pandas as pd

from catalystlab.analysis.stats.bootstrap import MIN_BLOCK_DAYS
from catalystlab.bt.calltest import call_analysis, call_config, evaluate
from catalystlab.bt.record import CerebroRecord
from catalystlab.bt.significance import (
    daily_returns,
    idle_message,
    never_traded,
    significance,
)
from catalystlab.core.errors import BadInputError
from catalystlab.core.tickers import parse_ticker
from catalystlab.engine.backtest import TRADE_COLUMNS, Costs

_INTRADAY = (
    bt.TimeFrame.Ticks,
    bt.TimeFrame.MicroSeconds,
    bt.TimeFrame.Seconds,
    bt.TimeFrame.Minutes,
)
_PRICE_LINES = ("open", "high", "low", "close", "volume")


class Recorder(bt.Analyzer):
    """Records the portfolio value at each day's close, the fills and the rejected orders,
    and at the end the datas' daily prices and the broker's costs (``self.record``)."""

    who = "catalystlab analyzer"

    def start(self) -> None:
        strategy = self.strategy
        self._fund = bool(strategy.broker.fundmode)
        self._value = strategy.broker.fundvalue if self._fund else strategy.broker.getvalue()
        self._start_value = float(self._value)
        self._shares = strategy.broker.fundshares  # changes only when cash is added or taken
        self._days: dict[pd.Timestamp, float] = {}
        self._fills: list[tuple[Any, ...]] = []
        self._rejected = 0
        self.record: CerebroRecord | None = None
        timeframe = strategy.datas[0]._timeframe
        if timeframe not in (*_INTRADAY, bt.TimeFrame.Days):
            raise BadInputError(
                f"{self.who}: the statistics are annualised from daily returns and the first "
                f"data has {bt.TimeFrame.Names[timeframe]} bars; add daily (or intraday) "
                "data first, e.g. cerebro.adddata(feed) before any resampledata."
            )
        self.check(_named(strategy.datas))

    def check(self, names: list[str]) -> None:
        """Raise BadInputError before the run when a parameter names no data of ``names``."""

    def notify_fund(self, cash: float, value: float, fundvalue: float, shares: float) -> None:
        self._value = fundvalue if self._fund else value

    def next(self) -> None:
        self._days[pd.Timestamp(self.strategy.datetime.date(0))] = float(self._value)

    def notify_order(self, order: bt.Order) -> None:
        if order.status == order.Completed:
            executed = order.executed
            self._fills.append(
                (
                    pd.Timestamp(bt.num2date(executed.dt).date()),
                    data_key(order.data._name),
                    "buy" if order.isbuy() else "sell",
                    executed.size,  # signed as the engine's trades: sells negative
                    executed.price,
                    executed.size * executed.price,
                    executed.comm,
                )
            )
        elif order.status in (order.Margin, order.Rejected):
            self._rejected += 1

    def stop(self) -> None:
        strategy = self.strategy
        if not self._fund and strategy.broker.fundshares != self._shares:
            raise BadInputError(
                f"{self.who}: the strategy added or took cash (broker.add_cash) during the run, "
                "which the portfolio value would count as a gain or a loss; call "
                "cerebro.broker.set_fundmode(True) so that the returns are the fund value's."
            )
        params = dict(strategy.params._getkwargs())
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        name = type(strategy).__name__
        self.record = CerebroRecord(
            label=f"{name}({shown})" if shown else name,
            strategy=name,
            params=params,
            values=pd.Series(self._days, dtype="float64").rename_axis("Date"),
            start_value=self._start_value,
            prices={
                data_key(data._name): _daily_prices(data) for data in strategy.datas if data._name
            },
            costs=_costs(strategy.broker, strategy.datas, who=self.who),
            trades=pd.DataFrame(self._fills, columns=list(TRADE_COLUMNS)),
            rejected_orders=self._rejected,
        )
        self.finish(self.record)

    def finish(self, record: CerebroRecord) -> None:
        """Compute the analysis of ``record`` into ``self.rets``."""


class CallTest(Recorder):
    """The call tested on the cerebro's own datas, as ``runner.py run`` tests it.

    ``ticker`` (default: the first data's name) bought (``stance="buy"``) or shorted
    (``"sell"``) on ``date`` (or on any day of ``window=(first, last)``), entered under
    ``entry`` (``next_open``, ``prev_close`` or ``close``) with the broker's costs and held
    to the last bar; against each of ``benchmarks`` (data names); at ``horizons_months``;
    ``borrow_fee``: a short's annual fee, fraction. ``get_analysis()``: ``entry_day``,
    ``end_day``, ``legs`` ({ticker: total return}), ``excess`` ({benchmark: excess total
    return}), ``horizons``, ``excess_interval``, ``band``, ``base_rates`` and ``strategy``
    (the user's strategy from the same decision close, and its return minus each leg's).
    ``result`` keeps the full :class:`~catalystlab.analysis.call.legs.CallResult`.
    """

    who = "CallTest"
    params = (
        ("ticker", None),
        ("date", None),
        ("window", None),
        ("stance", "buy"),
        ("benchmarks", ()),
        ("horizons_months", (1, 3, 6, 12)),
        ("entry", "next_open"),
        ("borrow_fee", 0.003),
        ("base_rate_start", dt.date(2010, 1, 1)),
        ("seed", 20250801),
        ("bootstrap_reps", 1000),
        ("confidence", 0.95),
    )

    def check(self, names: list[str]) -> None:
        if self.p.date is None and self.p.window is None:
            raise BadInputError("CallTest: give date=YYYY-MM-DD (or window=(first, last)).")
        _require(self.who, [self._ticker(names), *map(data_key, self.p.benchmarks)], names)

    def _ticker(self, names: list[str]) -> str:
        return data_key(self.p.ticker) if self.p.ticker else names[0]

    def finish(self, record: CerebroRecord) -> None:
        config = call_config(
            record,
            ticker=self._ticker(list(record.prices)),
            benchmarks=[data_key(name) for name in self.p.benchmarks],
            date=self.p.date,
            window=self.p.window,
            stance=self.p.stance,
            entry=self.p.entry,
            horizons_months=self.p.horizons_months,
            borrow_fee=self.p.borrow_fee,
            base_rate_start=self.p.base_rate_start,
            seed=self.p.seed,
            reps=self.p.bootstrap_reps,
            confidence=self.p.confidence,
        )
        self.result = evaluate(record, config)
        self.config = config
        self.rets.update(call_analysis(self.result, record))


class Significance(Recorder):
    """The strategy's Sharpe ratio and how sure it is: ``sharpe`` (annualised, daily
    returns), ``psr_vs_benchmark`` and ``psr_vs_zero`` (probability that the true Sharpe
    exceeds ``benchmark``'s held, and 0), ``dsr`` counting ``trials`` variants (with
    ``trial_sharpes``, their annualised Sharpe ratios, when more than 1), and bootstrap
    intervals of the excess return and the Sharpe difference over holding ``benchmark``.
    ``returns`` keeps the daily returns (equal to ``bt.analyzers.TimeReturn``'s). A strategy
    that never held a position is a BadInputError, except as a variant of ``optstrategy``:
    its analysis is then ``{"never_traded": True, "note": ...}`` and ``report`` ranks it."""

    who = "Significance"
    params = (
        ("benchmark", "SPY"),
        ("trials", 1),
        ("trial_sharpes", None),
        ("seed", 20250801),
        ("bootstrap_reps", 1000),
        ("confidence", 0.95),
        ("min_block_days", MIN_BLOCK_DAYS),
    )

    def check(self, names: list[str]) -> None:
        _require(self.who, [data_key(self.p.benchmark)], names)

    def finish(self, record: CerebroRecord) -> None:
        self.returns = record.returns
        if never_traded(record.returns) and self.strategy.env._dooptimize:
            # one variant of a sweep: a trial like the others, ranked by report()
            self.rets.update(never_traded=True, note=idle_message(record, who=self.who))
            return
        self.rets.update(
            significance(
                record,
                benchmark=data_key(self.p.benchmark),
                trials=self.p.trials,
                trial_sharpes=self.p.trial_sharpes,
                seed=self.p.seed,
                reps=self.p.bootstrap_reps,
                confidence=self.p.confidence,
                min_block=self.p.min_block_days,
            )
        )


class Tearsheet(Recorder):
    """Writes the project's repaired quantstats tearsheet of the strategy against holding
    ``benchmark`` to ``output`` (an HTML file that must not exist yet) when the run stops;
    ``get_analysis()``: ``{"path": ...}``."""

    who = "Tearsheet"
    params = (("benchmark", "SPY"), ("output", None), ("title", None))

    def check(self, names: list[str]) -> None:
        _require(self.who, [data_key(self.p.benchmark)], names)
        if self.p.output is None:
            raise BadInputError("Tearsheet: give output='tearsheet.html', the page to write.")
        path = Path(self.p.output)
        if path.exists():
            raise BadInputError(
                f"Tearsheet: {path} exists and is never overwritten; give a new output path."
            )
        if not path.parent.is_dir():
            raise BadInputError(
                f"Tearsheet: the folder {path.parent} does not exist; create it or give "
                "another output path."
            )

    def finish(self, record: CerebroRecord) -> None:
        from catalystlab.report.tearsheets import write_tearsheet

        if never_traded(record.returns):
            raise BadInputError(
                f"Tearsheet: {record.label} never held a position (its value never changed), "
                "which a tearsheet cannot describe; check that its orders are placed and filled."
            )
        held = record.hold_equity(data_key(self.p.benchmark), who=self.who)
        strategy, benchmark = daily_returns(record.equity_on(held.index)), daily_returns(held)
        path = Path(self.p.output)
        handle, scratch = tempfile.mkstemp(suffix=".html", dir=path.parent, prefix=".tearsheet-")
        os.close(handle)
        try:
            write_tearsheet(strategy, benchmark, Path(scratch), title=self.p.title or record.label)
            os.link(scratch, path)  # fails rather than overwrite a file made meanwhile
        except FileExistsError:
            raise BadInputError(
                f"Tearsheet: {path} appeared during the run and is never overwritten; give a "
                "new output path."
            ) from None
        finally:
            os.unlink(scratch)
        self.rets["path"] = str(path)


def data_key(name: str) -> str:
    """A data's name as a ticker (``spy`` -> ``SPY``), or as given when it is not one."""
    try:
        return parse_ticker(name)
    except ValueError:
        return str(name)


def _named(datas: list[bt.DataBase]) -> list[str]:
    return [data_key(data._name) for data in datas if data._name]


def _require(who: str, wanted: list[str], names: list[str]) -> None:
    for name in wanted:
        if name not in names:
            shown = ", ".join(names) or "none named"
            raise BadInputError(
                f"{who}: {name!r} is not a data of this cerebro (its datas: {shown}); add it "
                f"with cerebro.adddata(feed, name={name!r}) or name one of those."
            )


def _daily_prices(data: bt.DataBase) -> pd.DataFrame:
    """The bars ``data`` delivered as a daily price frame (intraday bars aggregated: first
    open, highest high, lowest low, last close, summed volume)."""
    size = len(data)
    dates = [bt.num2date(x) for x in data.datetime.get(size=size)]
    frame = pd.DataFrame(
        {line.capitalize(): list(getattr(data, line).get(size=size)) for line in _PRICE_LINES},
        index=pd.DatetimeIndex(dates).normalize().rename("Date"),
    )
    if frame.index.has_duplicates:
        frame = frame.groupby(level=0).agg(
            {"Open": "first", "High": "max", "Low": "min", "Close": "last", "Volume": "sum"}
        )
    return frame


def _costs(broker: bt.BrokerBase, datas: list[bt.DataBase], *, who: str) -> Costs:
    """The broker's costs as the project's: commission a fraction of traded value,
    slippage a fraction of price; one commission for every data, as the project charges."""
    infos = [broker.getcommissioninfo(data) for data in datas]
    charged = {(info._commtype, float(info.p.commission)) for info in infos}
    if len(charged) > 1:
        raise BadInputError(
            f"{who}: the broker charges the datas different commissions (setcommission(name=...))"
            ", and the call test and the statistics charge every ticker one; set one commission "
            "for all: cerebro.broker.setcommission(commission=0.0005) for 5 bp."
        )
    info = infos[0]
    commission = float(info.p.commission)
    if commission and info._commtype != info.COMM_PERC:
        raise BadInputError(
            f"{who}: the broker charges a fixed commission per share or contract; the call test "
            "and the statistics need a percentage one: cerebro.broker.setcommission("
            "commission=0.0005) for 5 bp."
        )
    if broker.p.slip_fixed:
        raise BadInputError(
            f"{who}: the broker's slippage is a fixed amount (slip_fixed); use a percentage: "
            "cerebro.broker.set_slippage_perc(0.0005) for 5 bp."
        )
    # The project slips every fill, capped at the bar's high or low: backtrader does so only
    # with slip_open (fills at the open), slip_match and not slip_out.
    if broker.p.slip_perc and not (
        broker.p.slip_open and broker.p.slip_match and not broker.p.slip_out
    ):
        raise BadInputError(
            f"{who}: the broker's slippage skips fills at the open (slip_open=False) or is not "
            "capped at the bar's high and low (slip_match=False or slip_out=True), so the "
            "benchmark would pay costs the strategy does not; use "
            "cerebro.broker.set_slippage_perc(0.0005) with its defaults."
        )
    return Costs(commission=commission, slippage=float(broker.p.slip_perc))
