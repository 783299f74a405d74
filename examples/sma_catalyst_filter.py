"""backtrader's quickstart SMA crossover, entering only while a catalyst is on.

The stock rule buys when the close crosses above its 50-day average and sells when it
crosses back below; here it buys only while Amazon's trailing-four-quarter operating margin
is expanding (``catalystlab.bt.Margin``, on the point-in-time quarters known at that close).
Run from the repository root::

    python examples/sma_catalyst_filter.py --data-dir ../shared/data --out results/examples

It prints the portfolio value at the start and the end, and writes each bar's close, average,
catalyst line and position to ``OUT/sma_catalyst_filter.csv``.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import backtrader as bt

import catalystlab.bt as cbt
from catalystlab.core.errors import CatalystError


class SmaCrossWithCatalyst(bt.Strategy):
    """Long 95% of equity from a golden cross made while the catalyst is on, flat from the
    next cross down; orders fill at the next bar's open (backtrader's default)."""

    params = (("period", 50),)

    def __init__(self) -> None:
        self.sma = bt.indicators.SMA(self.data.close, period=self.p.period)
        self.crossover = bt.indicators.CrossOver(self.data.close, self.sma)
        self.catalyst = cbt.Margin(threshold=0.0)  # 1 while the T4Q operating margin expands
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def next(self) -> None:
        if not self.position:
            if self.crossover[0] > 0 and self.catalyst[0] > 0:
                self.order_target_percent(target=0.95)
        elif self.crossover[0] < 0:
            self.order_target_percent(target=0.0)
        self.rows.append(
            (
                self.data.datetime.date(0).isoformat(),
                _number(self.data.close[0], 4),
                _number(self.sma[0], 4),
                _number(self.data.margin_change[0], 6),  # blank before 8 quarters are known
                _number(self.catalyst[0], 2),
                _number(self.position.size, 4),
            )
        )


def _number(value: float, decimals: int) -> str:
    """``value`` rounded for the CSV; an empty cell when it is not known (NaN)."""
    return "" if math.isnan(value) else f"{value:.{decimals}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("results/examples"))
    parser.add_argument("--ticker", default="AMZN")
    args = parser.parse_args(argv)
    try:
        data = cbt.feed(args.ticker, data_dir=args.data_dir, offline=True, start="2015-01-01")
    except CatalystError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    cerebro = bt.Cerebro()
    cerebro.adddata(data)
    cerebro.addstrategy(SmaCrossWithCatalyst)
    cerebro.broker.setcash(100_000.0)
    cerebro.broker.setcommission(commission=0.0005)  # 5 bp of traded value
    print(f"Starting portfolio value: {cerebro.broker.getvalue():,.2f}")
    (strategy,) = cerebro.run()
    print(f"Final portfolio value: {cerebro.broker.getvalue():,.2f}")
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "sma_catalyst_filter.csv"
    with log.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "close", "sma", "margin_change", "catalyst", "position"])
        writer.writerows(strategy.rows)
    print(f"Bars, catalyst and position: {log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
