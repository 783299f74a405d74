"""The backtrader strategy that executes a target-weight schedule at the next open.

Decisions are read at the close of day t (``next``) from each feed's ``target`` line and
executed at the open of day t+1 (``next_open`` with cheat-on-open, so the open price is
known when orders are sized). Sells go first; buys are scaled so that their cost, with
slippage and commission at the worst case, fits the cash the sells leave: no order is ever
rejected for lack of cash. Rejections are still counted, as a bug detector.
"""

from __future__ import annotations

import math

import backtrader as bt

from catalystlab.engine.backtest import MIN_TRADE_FRACTION, SIZING_HEADROOM


class TargetWeightStrategy(bt.Strategy):
    """Holds each data at the weight its ``target`` line last asked for.

    Params: ``commission`` and ``slippage`` (fractions) for sizing buys at the worst price.
    After the run: ``equity`` (date, value at each close), ``fills`` (one dict per executed
    order) and ``rejected`` (count of orders the broker refused).
    """

    params = (("commission", 0.0), ("slippage", 0.0))

    def __init__(self) -> None:
        self.equity: list[tuple[object, float]] = []
        self.fills: list[dict[str, object]] = []
        self.rejected = 0
        self._pending: list[float] | None = None

    def next(self) -> None:
        self.equity.append((self.datas[0].datetime.date(0), self.broker.getvalue()))
        targets = [d.target[0] for d in self.datas]
        if all(math.isnan(t) for t in targets):
            return
        self._pending = [0.0 if math.isnan(t) else t for t in targets]

    def next_open(self) -> None:
        if self._pending is None:
            return
        targets, self._pending = self._pending, None
        opens = [d.open[0] for d in self.datas]
        held = [self.getposition(d).size for d in self.datas]
        value = self.broker.getcash() + sum(s * p for s, p in zip(held, opens, strict=True))
        wanted = [w * value / p for w, p in zip(targets, opens, strict=True)]
        cost_factor = (1 + self.p.slippage) * (1 + self.p.commission)
        proceeds_factor = (1 - self.p.slippage) * (1 - self.p.commission)
        cash = self.broker.getcash()
        buys: list[tuple[bt.feeds.DataBase, float, float]] = []
        for data, have, want, price in zip(self.datas, held, wanted, opens, strict=True):
            if abs(want - have) * price <= MIN_TRADE_FRACTION * value:
                continue
            if want < have:
                self.sell(data=data, size=have - want)
                cash += (have - want) * price * proceeds_factor
            elif want > have:
                buys.append((data, want - have, price))
        needed = sum(size * price * cost_factor for _, size, price in buys)
        scale = min(1.0, cash / needed) if needed > 0 else 1.0
        for data, size, _ in buys:
            self.buy(data=data, size=size * scale * (1 - SIZING_HEADROOM))

    def notify_order(self, order: bt.Order) -> None:
        if order.status == order.Completed:
            self.fills.append(
                {
                    "Date": order.data.datetime.date(0),
                    "ticker": order.data._name,
                    "side": "buy" if order.isbuy() else "sell",
                    "size": order.executed.size,
                    "price": order.executed.price,
                    "value": order.executed.size * order.executed.price,
                    "commission": order.executed.comm,
                }
            )
        elif order.status in (order.Margin, order.Rejected):
            self.rejected += 1
