"""What the plugin's analyzers keep of a finished backtrader strategy: plain pandas, no
backtrader objects, so that it outlives the cerebro (and ``optstrategy``'s worker processes).

Timing: ``values`` is the broker's portfolio value at the close of each trading day (the
last bar of the day for intraday data); the value before the first bar is the starting cash,
so ``returns`` are the daily returns backtrader's ``TimeReturn`` analyzer reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from catalystlab.config import StrategyConfig
from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import SignalInputs
from catalystlab.core.tickers import ticker_slug
from catalystlab.engine.backtest import TRADE_COLUMNS, Costs
from catalystlab.inputs.prices.frame import validate_prices
from catalystlab.pipeline.plan import backtest_plan, plan_strategy
from strategies.base import ScheduleContext


@dataclass(frozen=True, kw_only=True)
class CerebroRecord:
    """One strategy's run in a user's cerebro.

    ``values``: portfolio value at each day's close (currency units, tz-naive dates);
    ``start_value``: the value before the first bar (the starting cash); ``prices``: the daily
    ``Open``/``High``/``Low``/``Close``/``Volume`` frame of every named data, by its name;
    ``costs``: the broker's commission and slippage (fractions); ``trades``: every fill
    (``TRADE_COLUMNS``); ``rejected_orders``: orders the broker refused (margin, rejected);
    ``label``: the strategy's class name and parameters.
    """

    label: str
    strategy: str
    params: dict[str, Any]
    values: pd.Series
    start_value: float
    prices: dict[str, pd.DataFrame]
    costs: Costs
    trades: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TRADE_COLUMNS))
    rejected_orders: int = 0

    @property
    def calendar(self) -> pd.DatetimeIndex:
        """The trading days of the strategy: every day on which one of its datas has a bar
        (backtrader's strategy clock), where a data without a bar keeps its last close."""
        return pd.DatetimeIndex(self.values.index, name="Date")

    @property
    def returns(self) -> pd.Series:
        """Daily returns, fractions: each close's value over the previous one (the starting
        cash before the first bar), as ``bt.analyzers.TimeReturn`` reports them."""
        previous = self.values.shift(1).fillna(self.start_value)
        return (self.values / previous - 1.0).rename(self.label)

    def price_frame(self, name: str, *, who: str) -> pd.DataFrame:
        """The daily prices of the data named ``name``, checked as ``run`` checks loaded prices
        (no missing, zero or negative prices, High not below Low, no unadjusted split);
        BadInputError naming ``who`` asked and the cerebro's datas when there is none."""
        if name in self.prices:
            return validate_prices(
                self.prices[name], ticker=name, origin=f"{who}: the cerebro's data {name}"
            )
        names = ", ".join(self.prices) or "none named"
        raise BadInputError(
            f"{who}: {name!r} is not a data of this cerebro (its datas: {names}); add it with "
            f"cerebro.adddata(feed, name={name!r}) or name one of those."
        )

    def equity_on(self, calendar: pd.DatetimeIndex) -> pd.Series:
        """The portfolio value at the closes of ``calendar`` (days of the strategy)."""
        return self.values.loc[calendar].rename(self.label)

    def hold_equity(self, name: str, *, who: str) -> pd.Series:
        """Value of buying ``name`` and holding it, as ``run`` holds its benchmark: decided at
        the first close, filled at the next open with the broker's costs, fractional shares,
        from the starting cash (currency units at each close, named ``name``). The days are
        the strategy's, from the later first bar to the earlier last bar of the two."""
        frame = self.price_frame(name, who=who)
        calendar = self.calendar
        calendar = calendar[(calendar >= frame.index[0]) & (calendar <= frame.index[-1])]
        if len(calendar) < 3:
            raise BadInputError(
                f"{who}: {name} and the strategy share fewer than three days; give {name} bars "
                "over the strategy's dates."
            )
        missing = calendar.difference(frame.index)
        if len(missing):
            raise BadInputError(
                f"{who}: {name} has no bar on {len(missing)} of the strategy's days (first "
                f"{missing[0].date()}); give it a bar on every day of the strategy's data."
            )
        plan = plan_strategy(StrategyConfig(id=ticker_slug(name), kind="buy_and_hold", ticker=name))
        close = pd.DataFrame({name: frame["Close"].loc[calendar]})
        context = ScheduleContext(inputs=SignalInputs(calendar=calendar, close=close))
        return backtest_plan(
            plan, context, {name: frame}, cash=self.start_value, costs=self.costs
        ).equity.rename(name)
