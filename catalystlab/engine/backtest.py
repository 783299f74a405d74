"""Run one target-weight schedule through backtrader and return plain pandas results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

# backtrader is imported by run_backtest: the results (BacktestResult, Costs) load without it.
if TYPE_CHECKING:
    import backtrader as bt

FeedFactory = Callable[[pd.DataFrame, np.ndarray], "bt.feeds.DataBase"]

TRADE_COLUMNS = ("Date", "ticker", "side", "size", "price", "value", "commission")
# How both engines size orders (here, not beside the backtrader strategy, so that the
# vectorised engine loads without backtrader):
# headroom against float rounding when sizing a buy to the last cent of cash (fraction);
SIZING_HEADROOM = 1e-12
# trades smaller than this fraction of portfolio value are float noise, not decisions.
MIN_TRADE_FRACTION = 1e-9


@dataclass(frozen=True, kw_only=True)
class Costs:
    """Trading costs, fractions of traded value (0.0005 = 5 bp).

    ``commission`` is charged on every fill; ``slippage`` moves every fill price against the
    trade (buys pay more, sells get less), capped at the bar's high/low.
    """

    commission: float = 0.0
    slippage: float = 0.0


@dataclass(frozen=True, kw_only=True)
class BacktestResult:
    """Portfolio value at each close (``equity``), fills, and broker rejections (should be 0)."""

    equity: pd.Series
    trades: pd.DataFrame
    rejected_orders: int

    @property
    def returns(self) -> pd.Series:
        """Daily simple returns of the portfolio, fractions, from the second day on."""
        return self.equity.pct_change().iloc[1:]


def run_backtest(
    *,
    schedule: pd.DataFrame,
    prices: dict[str, pd.DataFrame],
    cash: float,
    costs: Costs,
    name: str = "strategy",
    feed: FeedFactory | None = None,
) -> BacktestResult:
    """Execute ``schedule`` (target weights decided at each close) on ``prices``.

    ``schedule`` is indexed by the trading days all ``prices`` frames share, one column per
    ticker traded; see :mod:`strategies` for its meaning. Orders fill at the next open with
    fractional shares. ``cash`` is the starting capital in currency units. ``feed`` builds
    the data feed of one ticker from its price frame and target-weight array (default: the
    bulk-loaded :class:`~catalystlab.engine.feed.ArrayFeed`).
    """
    import backtrader as bt

    from catalystlab.engine.commission import FractionalStockCommission
    from catalystlab.engine.feed import ArrayFeed
    from catalystlab.engine.target_weights import TargetWeightStrategy

    calendar = schedule.index
    cerebro = bt.Cerebro(stdstats=False, cheat_on_open=True, preload=True, runonce=True)
    cerebro.broker.setcash(cash)
    cerebro.broker.addcommissioninfo(FractionalStockCommission(commission=costs.commission))
    if costs.slippage:
        cerebro.broker.set_slippage_perc(
            costs.slippage, slip_open=True, slip_limit=True, slip_match=True, slip_out=False
        )
    for ticker in schedule.columns:
        frame = prices[ticker].loc[calendar]
        target = schedule[ticker].to_numpy(dtype="float64")
        data = ArrayFeed(frame=frame, target=target) if feed is None else feed(frame, target)
        cerebro.adddata(data, name=ticker)
    cerebro.addstrategy(TargetWeightStrategy, commission=costs.commission, slippage=costs.slippage)
    strategy = cerebro.run()[0]
    dates, values = zip(*strategy.equity, strict=True)
    equity = pd.Series(
        np.asarray(values, dtype="float64"),
        index=pd.DatetimeIndex(pd.to_datetime(list(dates)), name="Date"),
        name=name,
    )
    trades = pd.DataFrame(strategy.fills, columns=list(TRADE_COLUMNS))
    trades["Date"] = pd.to_datetime(trades["Date"])
    return BacktestResult(equity=equity, trades=trades, rejected_orders=strategy.rejected)
