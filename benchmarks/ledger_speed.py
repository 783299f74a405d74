"""How fast the ledger tests many calls, against running each call as its own config.

One run, side by side on the same synthetic data folder (20 stocks and SPY, 20 years of
business days, CSV files read through the project's loader):

- the ledger: ``cl.ledger`` on 1,000 calls (random stocks, days and stances) x 4 horizons
  with 1,000 draws per permutation null and 1,000 bootstrap resamples, results folder written;
- one call per config: ``cl.run`` of a one-call config (the call, its benchmark, one
  buy-and-hold strategy; nothing written, so no tearsheets) for ``--sample`` calls, the mean
  time multiplied by the number of calls.

Prints both times, the ratio, and the targets (ledger under 30 s, at least 100x faster).
Machines here are shared and noisy: compare ratios. Run:
``python benchmarks/ledger_speed.py [--calls 1000] [--draws 1000] [--sample 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.api import ledger, run

TICKERS = [f"S{i:02d}" for i in range(20)]


def _write_prices(folder: Path, *, days: int) -> pd.DatetimeIndex:
    dates = pd.bdate_range("2005-01-03", periods=days, name="Date")
    (folder / "prices").mkdir(parents=True)
    for seed, ticker in enumerate([*TICKERS, "SPY"]):
        rng = np.random.default_rng(seed)
        close = 50 * np.exp(np.cumsum(rng.normal(0.0003, 0.018, days)))
        open_ = np.concatenate([[50.0], close[:-1]]) * np.exp(rng.normal(0, 0.004, days))
        frame = pd.DataFrame(
            {
                "Open": open_,
                "High": np.maximum(open_, close) * 1.005,
                "Low": np.minimum(open_, close) * 0.995,
                "Close": close,
                "Adj Close": close,
                "Volume": 1e6,
            },
            index=dates,
        )
        frame.to_csv(folder / "prices" / f"{ticker}.csv", float_format="%.6f")
    return dates


def _write_ledger(path: Path, dates: pd.DatetimeIndex, calls: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    ledger = pd.DataFrame(
        {
            "id": [f"call-{i}" for i in range(calls)],
            "ticker": rng.choice(TICKERS, calls),
            "date": dates[rng.integers(300, len(dates) - 300, calls)].strftime("%Y-%m-%d"),
            "stance": rng.choice(["buy", "sell"], calls),
            "source": rng.choice(["site A", "site B", "analyst C"], calls),
        }
    )
    ledger.to_csv(path, index=False)
    return ledger


def _one_config(row: pd.Series, start: str) -> dict:
    return {
        "name": f"one_{row['id']}",
        "start": start,
        "cash": 100000,
        "costs": {"commission": 0.0005, "slippage": 0.0005},
        "benchmark": "SPY",
        "call": {"ticker": row["ticker"], "date": row["date"], "benchmarks": ["SPY"]},
        "strategies": [{"id": "hold", "kind": "buy_and_hold", "ticker": row["ticker"]}],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--days", type=int, default=5000, help="business days of prices")
    parser.add_argument("--sample", type=int, default=3, help="calls run as their own config")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dates = _write_prices(folder / "data", days=args.days)
        calls = _write_ledger(folder / "ledger.csv", dates, args.calls)
        began, cpu = time.perf_counter(), time.process_time()
        result = ledger(
            folder / "ledger.csv",
            data_dir=folder / "data",
            offline=True,
            draws=args.draws,
            reps=1000,
            out=folder / "results",
        )
        ledger_seconds = time.perf_counter() - began
        ledger_cpu = time.process_time() - cpu
        scored = int(result.summary["counts"]["scored_cells"])
        singles = []
        for _, row in calls.head(args.sample).iterrows():
            began = time.perf_counter()
            run(_one_config(row, str(dates[0].date())), data_dir=folder / "data", write=False)
            singles.append(time.perf_counter() - began)
    per_call = statistics.mean(singles)
    configs_seconds = per_call * args.calls
    ratio = configs_seconds / ledger_seconds
    load = os.getloadavg()[0]
    print(
        f"machine: {os.cpu_count()} cores, load {load:.1f}; prices: 21 tickers x {args.days} days"
    )
    print(
        f"ledger:        {args.calls} calls x 4 horizons ({scored} scored), {args.draws} draws "
        f"per null, 1000 resamples: {ledger_seconds:6.1f} s wall, {ledger_cpu:.1f} s CPU "
        "(target < 30 s)"
    )
    print(
        f"one config each: {per_call:5.2f} s a call (mean of {len(singles)}) x {args.calls} = "
        f"{configs_seconds:8.0f} s"
    )
    print(f"ratio:         {ratio:6.0f}x faster   (target >= 100x)")


if __name__ == "__main__":
    main()
