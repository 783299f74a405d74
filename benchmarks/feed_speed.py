"""How much faster the bulk-loading ArrayFeed runs a backtest than stock PandasData.

Both feeds run the same schedule on the same synthetic prices, alternating, in one process;
the script prints the median time ratio (machines here are noisy: compare ratios, not
seconds). Run: ``python benchmarks/feed_speed.py [--bars N] [--repeats K]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import backtrader as bt
import numpy as np
import pandas as pd

from catalystlab.engine.backtest import Costs, run_backtest
from catalystlab.engine.feed import ArrayFeed


class _PandasWithTarget(bt.feeds.PandasData):
    lines = ("target",)
    params = (("target", -1),)


def _prices(bars: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0.0003, 0.015, bars)))
    index = pd.bdate_range("1990-01-02", periods=bars, name="Date")
    return pd.DataFrame(
        {
            "Open": close,
            "High": close * 1.01,
            "Low": close * 0.99,
            "Close": close,
            "Volume": np.full(bars, 1e6),
        },
        index=index,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=7500, help="trading days per ticker")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    prices = {"AAA": _prices(args.bars, 1), "BBB": _prices(args.bars, 2)}
    schedule = pd.DataFrame(np.nan, index=prices["AAA"].index, columns=["AAA", "BBB"])
    schedule.iloc[::21] = [0.5, 0.5]

    def pandas_feed(frame: pd.DataFrame, target: np.ndarray) -> bt.feeds.DataBase:
        return _PandasWithTarget(dataname=frame.assign(target=target), openinterest=None)

    def timed(**kwargs) -> float:
        began = time.perf_counter()
        run_backtest(schedule=schedule, prices=prices, cash=1e6, costs=Costs(), **kwargs)
        return time.perf_counter() - began

    def load_only(make) -> float:
        began = time.perf_counter()
        cerebro = bt.Cerebro(stdstats=False)
        for ticker, frame in prices.items():
            cerebro.adddata(make(frame, np.full(len(frame), np.nan)), name=ticker)
        cerebro.addstrategy(bt.Strategy)
        cerebro.run()
        return time.perf_counter() - began

    def array_feed(frame: pd.DataFrame, target: np.ndarray) -> bt.feeds.DataBase:
        return ArrayFeed(frame=frame, target=target)

    rows = {"whole backtest": ([], []), "loading only (empty strategy)": ([], [])}
    for _ in range(args.repeats):
        rows["whole backtest"][0].append(timed())
        rows["whole backtest"][1].append(timed(feed=pandas_feed))
        rows["loading only (empty strategy)"][0].append(load_only(array_feed))
        rows["loading only (empty strategy)"][1].append(load_only(pandas_feed))
    print(f"bars per run: {2 * args.bars} (2 tickers x {args.bars} days), repeats: {args.repeats}")
    for what, (fast, stock) in rows.items():
        ratio = statistics.median(stock) / statistics.median(fast)
        print(
            f"{what:32s} ArrayFeed {statistics.median(fast):.3f} s, PandasData "
            f"{statistics.median(stock):.3f} s: PandasData takes {ratio:.1f}x as long"
        )


if __name__ == "__main__":
    main()
