"""A multi-data rivals portfolio in plain backtrader, with catalystlab's plugin added.

AMZN and the rivals the article names (MSFT, NVDA, META) in one cerebro; on the first bar of
each month the strategy holds, at equal weight, the names whose operating margin is expanding
(the plugin's ``Margin`` indicator), in cash when none is. Beside it the plugin tests the
article's call (buy AMZN on 2025-08-01 against SPY, QQQ and the rivals), measures the
strategy's Sharpe ratio and how sure it is, and writes a results folder.

    python examples/rivals_portfolio.py --data-dir ../shared/data --out results
"""

from __future__ import annotations

import argparse
import sys

import backtrader as bt

import catalystlab.bt as cbt
from catalystlab.core.errors import CatalystError

RIVALS = ("AMZN", "MSFT", "NVDA", "META")
BENCHMARKS = ("SPY", "QQQ")


class RivalsOnMargin(bt.Strategy):
    """Monthly: equal weight across the rivals whose margin catalyst is on (95% invested)."""

    def __init__(self) -> None:
        self.margin = {data: cbt.Margin(data) for data in self.datas if data._name in RIVALS}

    def next(self) -> None:
        today, before = self.data0.datetime.date(0), self.data0.datetime.date(-1)
        if len(self) > 1 and today.month == before.month:
            return
        chosen = [data for data, margin in self.margin.items() if margin.exposure[0] > 0]
        for data in self.margin:  # sells first, so that the buys find the cash
            if data not in chosen:
                self.order_target_percent(data, target=0.0)
        for data in chosen:
            self.order_target_percent(data, target=0.95 / len(chosen))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--out", default="results")
    args = parser.parse_args(argv)
    try:
        cerebro = bt.Cerebro(stdstats=False)
        for ticker in (*RIVALS, *BENCHMARKS):
            cerebro.adddata(
                cbt.feed(
                    ticker,
                    data_dir=args.data_dir,
                    offline=True,
                    start="2015-01-01",
                    catalysts=ticker in RIVALS,
                )
            )
        cerebro.broker.setcash(100_000)
        cerebro.broker.setcommission(commission=0.0005)  # 5 bp, as the flagship config
        cerebro.broker.set_slippage_perc(0.0005)
        cerebro.addstrategy(RivalsOnMargin)
        cerebro.addanalyzer(
            cbt.CallTest,
            ticker="AMZN",
            date="2025-08-01",
            benchmarks=["SPY", "QQQ", "MSFT", "NVDA", "META"],
        )
        cerebro.addanalyzer(cbt.Significance, benchmark="SPY")
        (strategy,) = cerebro.run()
        call = strategy.analyzers.calltest.get_analysis()
        stats = strategy.analyzers.significance.get_analysis()
        print(f"The call: buy AMZN from {call['entry_day']} to {call['end_day']}")
        for leg, value in call["legs"].items():
            print(f"  {leg:<5} {_percent(value)}")
        mine = call["strategy"]
        print(
            f"Rivals on margin, same dates: {_percent(mine['total_return'])} "
            f"({_percent(mine['minus_call'])} against the call)"
        )
        print(
            f"Whole period: Sharpe {stats['sharpe']:.2f}, PSR against SPY "
            f"{stats['psr_vs_benchmark']:.2f}, against 0 {stats['psr_vs_zero']:.2f}"
        )
        folder = cbt.report([strategy], benchmark="SPY", out=args.out, name="rivals_portfolio")
    except CatalystError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    print(f"Results: {folder}")
    return 0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.1%}"


if __name__ == "__main__":
    sys.exit(main())
