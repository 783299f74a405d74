"""backtrader's quickstart SMA crossover, entering only while a catalyst is on.

The stock rule buys when the close crosses above its 50-day average and sells when it
crosses back below; here it buys only while Amazon's trailing-four-quarter operating margin
is expanding (``catalystlab.bt.Margin``, on the point-in-time quarters known at that close).
Three analyzers are added to the stock ``bt.Cerebro``: the article's call tested beside the
rule (``CallTest``: buy AMZN on 2025-08-01 against SPY), how sure its Sharpe ratio is
(``Significance``) and a quantstats tearsheet (``Tearsheet``). Run from the repository root::

    python examples/sma_catalyst_filter.py --data-dir ../shared/data --out results/examples

It prints the portfolio value at the start and the end, the call against the rule and the
rule's statistics; it writes each bar's close, average, catalyst line and position to
``OUT/sma_catalyst_filter.csv`` and the tearsheet to ``OUT/sma_catalyst_filter_tearsheet.html``
(never over an existing one: give another ``--out`` to run it again).
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


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1%}"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("results/examples"))
    parser.add_argument("--ticker", default="AMZN")
    args = parser.parse_args(argv)
    options = {"data_dir": args.data_dir, "offline": True, "start": "2015-01-01"}
    tearsheet = args.out / "sma_catalyst_filter_tearsheet.html"
    try:
        stock = cbt.feed(args.ticker, **options)  # prices with the catalyst lines
        spy = cbt.feed("SPY", catalysts=False, **options)  # the benchmark, named SPY
        cerebro = bt.Cerebro()
        cerebro.adddata(stock)
        cerebro.adddata(spy)
        cerebro.addstrategy(SmaCrossWithCatalyst)
        cerebro.broker.setcash(100_000.0)
        cerebro.broker.setcommission(commission=0.0005)  # 5 bp of traded value, and 5 bp
        cerebro.broker.set_slippage_perc(0.0005)  # slippage: the flagship config's costs
        cerebro.addanalyzer(cbt.CallTest, ticker=args.ticker, date="2025-08-01", benchmarks=["SPY"])
        cerebro.addanalyzer(cbt.Significance, benchmark="SPY")
        args.out.mkdir(parents=True, exist_ok=True)
        cerebro.addanalyzer(cbt.Tearsheet, benchmark="SPY", output=tearsheet)
        print(f"Starting portfolio value: {cerebro.broker.getvalue():,.2f}")
        (strategy,) = cerebro.run()
    except CatalystError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"Final portfolio value: {cerebro.broker.getvalue():,.2f}")
    call = strategy.analyzers.calltest.get_analysis()
    stats = strategy.analyzers.significance.get_analysis()
    print(
        f"The call: buy {args.ticker} from the open of {call['entry_day']} to "
        f"{call['end_day']}: {args.ticker} {_percent(call['legs'][args.ticker])}, SPY "
        f"{_percent(call['legs']['SPY'])}, excess {_percent(call['excess']['SPY'])}"
    )
    mine = call["strategy"]
    print(
        f"The SMA crossover, same dates: {_percent(mine['total_return'])} "
        f"({_percent(mine['minus_call'])} against the call)"
    )
    print(
        f"Whole period: Sharpe {_ratio(stats['sharpe'])}, PSR against SPY "
        f"{_ratio(stats['psr_vs_benchmark'])}, against 0 {_ratio(stats['psr_vs_zero'])}, "
        f"DSR {_ratio(stats['dsr'])} ({stats['trials']} trial)"
    )
    print(f"Tearsheet: {tearsheet}")
    log = args.out / "sma_catalyst_filter.csv"
    with log.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "close", "sma", "margin_change", "catalyst", "position"])
        writer.writerows(strategy.rows)
    print(f"Bars, catalyst and position: {log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
