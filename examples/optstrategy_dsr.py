"""An ``optstrategy`` sweep of an SMA crossover on AMZN, ranked with the Deflated Sharpe Ratio.

Every variant backtrader runs is a trial: the best Sharpe ratio of many variants is high by
luck alone, and the DSR in the results folder says how likely the winner's Sharpe ratio beats
the best of that many zero-skill variants. Each variant's own ``Significance`` analysis
counts one trial; ``catalystlab.bt.report`` counts them all.

    python examples/optstrategy_dsr.py --data-dir ../shared/data --out results
"""

from __future__ import annotations

import argparse
import json
import sys

import backtrader as bt

import catalystlab.bt as cbt
from catalystlab.core.errors import CatalystError

FAST = (10, 20, 50)
SLOW = (100, 200)


class SmaCross(bt.Strategy):
    """Long AMZN (95% of the portfolio) while its fast SMA is above its slow one."""

    params = (("fast", 20), ("slow", 100))

    def __init__(self) -> None:
        fast = bt.ind.SMA(self.data0, period=self.p.fast)
        slow = bt.ind.SMA(self.data0, period=self.p.slow)
        self.cross = bt.ind.CrossOver(fast, slow)

    def next(self) -> None:
        if self.cross[0] > 0:
            self.order_target_percent(self.data0, target=0.95)
        elif self.cross[0] < 0:
            self.order_target_percent(self.data0, target=0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--out", default="results")
    args = parser.parse_args(argv)
    try:
        cerebro = bt.Cerebro(stdstats=False, maxcpus=1)
        for ticker in ("AMZN", "SPY"):
            cerebro.adddata(
                cbt.feed(
                    ticker,
                    data_dir=args.data_dir,
                    offline=True,
                    start="2015-01-01",
                    catalysts=False,
                )
            )
        cerebro.broker.setcash(100_000)
        cerebro.broker.setcommission(commission=0.0005)
        cerebro.optstrategy(SmaCross, fast=FAST, slow=SLOW)
        cerebro.addanalyzer(cbt.Significance, benchmark="SPY")
        variants = cerebro.run()
        folder = cbt.report(variants, benchmark="SPY", out=args.out, name="sma_sweep")
    except CatalystError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    trials = summary["comparison"]["n_trials"]
    print(f"{trials} variants, each counted as a trial of the DSR; ranked:")
    ranked = sorted(summary["strategies"].items(), key=lambda item: item[1]["rank"])
    for _, row in ranked:
        print(
            f"  {row['label']:<28} Sharpe {_number(row['sharpe'])}  "
            f"PSR vs SPY {_number(row['psr'])}  DSR {_number(row['dsr'])}"
        )
    held = summary["benchmark_metrics"]
    print(f"  {'SPY held (the benchmark)':<28} Sharpe {_number(held['sharpe'])}")
    print(f"Results: {folder}")
    return 0


def _number(value: float | None) -> str:
    return " n/a" if value is None else f"{value:5.2f}"


if __name__ == "__main__":
    sys.exit(main())
