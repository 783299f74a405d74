"""How fast the vectorised engine runs target-weight schedules, next to backtrader.

Everything runs in one process, side by side, on the real snapshot read through the project's
loaders. Machines here are shared and noisy: compare ratios, not seconds; times are given as
wall time and as this process's CPU time (which other users' load disturbs less). Costs
throughout: 5 bp commission and 10 bp slippage. A bar-evaluation is one combination on one
ticker on one trading day. Prints:

1. the project's catalyst strategies (``margin`` and ``layoffs`` rules, three parameter sets
   each, on AMZN, MSFT, META and GOOGL over their common history): backtrader one strategy
   after the other, against the vectorised engine one by one and all in one batch (target:
   at least 500x); their equity must equal backtrader's bit for bit;
2. screening throughput on a grid of moving-average crossover rules (long while the fast
   average is above the slow one, else cash) over six tickers and 20 years, at three sizes
   to show that the cost is linear in combinations x bars;
3. the largest size, by default 10,000 combinations x 6 tickers x 20 years, screened to a
   Sharpe ratio per combination: wall time by stage and the process's peak memory (targets:
   under 60 s and 2 GB); sampled combinations are checked against backtrader.

Run: ``python benchmarks/engine_speed.py [--data-dir ../shared/data] [--combos 10000]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from _targets import record

from catalystlab.core.pit import SignalInputs
from catalystlab.engine.backtest import Costs, run_backtest
from catalystlab.engine.vectorised import Bars, run_vectorised, run_weights_batch
from catalystlab.inputs.events import load_snapshot_events
from catalystlab.inputs.fundamentals import load_snapshot_fundamentals
from catalystlab.inputs.prices.align import AlignedPrices, align_prices
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from strategies.base import ScheduleContext
from strategies.signal_strategy import SignalStrategyParams, signal_strategy

COSTS = Costs(commission=0.0005, slippage=0.001)
CASH = 1e6
CATALYST_TICKERS = ("AMZN", "MSFT", "META", "GOOGL")
CATALYST_RULES = (
    ("margin", {"threshold": -0.02}),
    ("margin", {"threshold": 0.0}),
    ("margin", {"measure": "income_growth", "threshold": 0.2}),
    ("layoffs", {"hold_days": 20}),
    ("layoffs", {"hold_days": 60}),
    ("layoffs", {"hold_days": 120}),
)
GRID_TICKERS = ("AMZN", "MSFT", "NVDA", "GOOGL", "SPY", "QQQ")
GRID_DAYS = 20 * 252
SLOW_WINDOWS = np.arange(20, 520, 5)  # 100 slow windows, trading days


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    usable = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"machine: {usable} usable cores of {os.cpu_count()} ({model}); one process; "
        f"load average {load}; numpy {np.__version__}, pandas {pd.__version__}"
    )


@dataclass(frozen=True)
class Timing:
    """Wall and CPU seconds of one action."""

    wall: float
    cpu: float

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)

    def __str__(self) -> str:
        return f"{self.wall:8.3f} s wall {self.cpu:8.3f} s CPU"

    def ratio(self, faster: Timing) -> str:
        return f"{self.wall / faster.wall:,.0f}x (wall), {self.cpu / faster.cpu:,.0f}x (CPU)"


def timed(action: Callable[[], object]) -> tuple[Timing, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


def median(timings: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings)
    )


def catalyst_strategies(data_dir: Path, repeats: int, targets: Path | None = None) -> None:
    source = CsvPriceSource(data_dir)
    aligned = align_prices({t: source.load(t) for t in CATALYST_TICKERS}, start=None, end=None)
    inputs = SignalInputs(
        calendar=aligned.calendar,
        close=aligned.close(),
        fundamentals=load_snapshot_fundamentals(data_dir),
        events=load_snapshot_events(data_dir),
    )
    context = ScheduleContext(inputs=inputs)
    every = [
        signal_strategy(
            context, SignalStrategyParams(signal=name, ticker=ticker, signal_params=params)
        )
        for ticker in CATALYST_TICKERS
        for name, params in CATALYST_RULES
    ]
    decisions = [int(s.notna().any(axis=1).sum()) for s in every]
    print(
        f"\n1. Catalyst strategies: {len(CATALYST_RULES)} rules x {len(CATALYST_TICKERS)} tickers"
        f" = {len(every)} strategies, {len(aligned.calendar)} days "
        f"({aligned.calendar[0].date()}..{aligned.calendar[-1].date()}), "
        f"{min(decisions)}-{max(decisions)} decisions each"
    )

    def engine_one_by_one() -> list[np.ndarray]:
        return [run_backtest(**_run(s, aligned)).equity.to_numpy() for s in every]

    def vectorised_one_by_one() -> list[np.ndarray]:
        return [run_vectorised(**_run(s, aligned)).equity.to_numpy() for s in every]

    # One batch for all: each strategy is a portfolio of the four tickers, holding none of
    # the three it does not trade (NaN = no instruction, 0 in a decided row).
    bars = Bars.from_frames(aligned.frames, tickers=CATALYST_TICKERS, calendar=aligned.calendar)
    weights = np.stack([s.reindex(columns=list(CATALYST_TICKERS)).to_numpy() for s in every])

    def vectorised_batch() -> np.ndarray:
        return run_weights_batch(weights=weights, bars=bars, cash=CASH, costs=COSTS)

    engine_time, engine_equity = timed(engine_one_by_one)
    single = [timed(vectorised_one_by_one) for _ in range(repeats)]
    batch = [timed(vectorised_batch) for _ in range(repeats)]
    single_time, batch_time = median([t for t, _ in single]), median([t for t, _ in batch])
    same = sum(
        np.array_equal(a, b) and np.array_equal(a, c)
        for a, b, c in zip(engine_equity, single[0][1], batch[0][1], strict=True)
    )
    print(f"   backtrader, one by one:           {engine_time}")
    print(
        f"   vectorised, one by one:           {single_time}: backtrader takes "
        f"{engine_time.ratio(single_time)} as long"
    )
    print(
        f"   vectorised, all in one batch:     {batch_time}: backtrader takes "
        f"{engine_time.ratio(batch_time)} as long (target >= 500x)"
    )
    print(f"   equity equal to backtrader's bit for bit: {same} of {len(every)} strategies")
    record(
        targets,
        "vectorised engine vs backtrader on the catalyst strategies, wall time (x)",
        engine_time.wall / batch_time.wall,
        goal=500,
        at_least=True,
        source="engine_speed.py",
    )


def _run(schedule: pd.DataFrame, aligned: AlignedPrices) -> dict[str, object]:
    return {"schedule": schedule, "prices": aligned.frames, "cash": CASH, "costs": COSTS}


def crossover_weights(close: np.ndarray, fast: np.ndarray, slow: np.ndarray) -> np.ndarray:
    """(len(fast) * len(slow), days) float32 schedules: weight 1 while the fast moving
    average of ``close`` is above the slow one at that close, 0 otherwise (no average yet:
    0); a decision only on the first day and when the state changes, NaN elsewhere."""
    total = np.concatenate([[0.0], np.cumsum(close)])

    def averages(windows: np.ndarray) -> np.ndarray:
        days = np.arange(len(close))
        start = np.maximum(days[None, :] + 1 - windows[:, None], 0)
        mean = (total[days + 1][None, :] - total[start]) / windows[:, None]
        return np.where(days[None, :] + 1 >= windows[:, None], mean, np.nan)

    long = (averages(fast)[:, None, :] > averages(slow)[None, :, :]).reshape(-1, len(close))
    weights = np.full(long.shape, np.nan, dtype="float32")
    weights[:, 0] = long[:, 0]
    changed = long[:, 1:] != long[:, :-1]
    weights[:, 1:][changed] = long[:, 1:][changed]
    return weights


def sharpe(equity: np.ndarray, block: int = 500) -> np.ndarray:
    """Annualised Sharpe ratio (252 days, no risk-free rate) of each row of ``equity``."""
    ratios = np.empty(len(equity))
    with np.errstate(invalid="ignore"):  # never invested: no volatility, no ratio (NaN)
        for low in range(0, len(equity), block):
            part = equity[low : low + block]
            growth = part[:, 1:] / part[:, :-1]  # 1 + daily return
            mean, deviation = growth.mean(axis=1) - 1, growth.std(axis=1)
            ratios[low : low + block] = mean / deviation * np.sqrt(252)
    return ratios


def screen(aligned: AlignedPrices, fast: np.ndarray, check: int) -> tuple[dict[str, Timing], int]:
    """Screen the crossover grid on every ticker: time by stage, and how many of ``check``
    sampled combinations per ticker equal backtrader's run bit for bit."""
    spent = dict.fromkeys(("signals", "engine", "statistics"), Timing(0.0, 0.0))
    equal = 0
    equity = np.empty((len(fast) * len(SLOW_WINDOWS), len(aligned.calendar)))  # for each ticker
    for ticker in aligned.frames:
        bars = Bars.from_frames(aligned.frames, tickers=[ticker], calendar=aligned.calendar)
        took, weights = timed(lambda b=bars: crossover_weights(b.close[:, 0], fast, SLOW_WINDOWS))
        spent["signals"] += took
        took, _ = timed(
            lambda w=weights, b=bars: run_weights_batch(
                weights=w, bars=b, cash=CASH, costs=COSTS, out=equity
            )
        )
        spent["engine"] += took
        took, _ = timed(lambda: sharpe(equity))
        spent["statistics"] += took
        rows = np.linspace(0, len(weights) - 1, check).astype(int)
        samples = [(weights[row].copy(), equity[row].copy()) for row in rows]
        # Before backtrader runs: it reads the f_locals of every caller's frame, which keeps
        # a snapshot of them (and would keep these weights) alive until its next look.
        del weights
        for schedule, expected in samples:
            frame = pd.DataFrame({ticker: schedule}, index=aligned.calendar)
            equal += np.array_equal(
                run_backtest(**_run(frame, aligned)).equity.to_numpy(), expected
            )
    return spent, equal


def grid(data_dir: Path, combos: int, check: int) -> None:
    source = CsvPriceSource(data_dir)
    loaded = {t: source.load(t) for t in GRID_TICKERS}
    full = align_prices(loaded, start=None, end=None)
    aligned = align_prices(loaded, start=full.calendar[-GRID_DAYS], end=None)
    days = len(aligned.calendar)
    print(
        f"\n2. Screening a grid of moving-average crossovers ({len(SLOW_WINDOWS)} slow windows "
        f"x fast windows 2..101) on {', '.join(GRID_TICKERS)}, {days} days "
        f"({aligned.calendar[0].date()}..{aligned.calendar[-1].date()}); one process; "
        "vectorbt 1.2 warm was measured at 2-6 M bar-evaluations/s on 2 cores"
    )
    print(
        "   combinations  bar-evaluations   engine wall s  engine CPU s  M bar-evaluations/s wall"
        "  ns CPU per bar-evaluation"
    )
    for size in (combos // 4, combos // 2, combos):
        fast = np.unique(np.linspace(2, 101, max(1, size // len(SLOW_WINDOWS))).round())
        spent, equal = screen(aligned, fast.astype(int), check if size == combos else 0)
        count = len(fast) * len(SLOW_WINDOWS)
        evaluations = count * len(GRID_TICKERS) * days
        engine = spent["engine"]
        print(
            f"   {count:12,d}  {evaluations:15,d}  {engine.wall:14.2f}  {engine.cpu:12.2f}  "
            f"{evaluations / engine.wall / 1e6:24.1f}  {engine.cpu / evaluations * 1e9:26.2f}"
        )
    total = spent["signals"] + spent["engine"] + spent["statistics"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"\n3. {count:,d} combinations x {len(GRID_TICKERS)} tickers x {days} days, screened "
        f"to a Sharpe ratio each: {total.wall:.1f} s wall, {total.cpu:.1f} s CPU (target < 60 s)"
    )
    for stage, took in spent.items():
        print(f"   {stage:10s} {took}")
    print(f"   peak resident memory of the process: {peak:.2f} GB (target < 2 GB)")
    print(
        f"   sampled combinations equal to backtrader's run bit for bit: {equal} of "
        f"{check * len(GRID_TICKERS)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).parents[2] / "shared/data")
    parser.add_argument("--combos", type=int, default=10_000, help="largest grid size")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each vectorised timing")
    parser.add_argument("--check", type=int, default=2, help="combinations per ticker checked")
    parser.add_argument("--targets", type=Path, help="append the measured targets (JSON)")
    parser.add_argument("--no-grid", action="store_true", help="only the catalyst strategies")
    args = parser.parse_args()
    print(machine())
    catalyst_strategies(args.data_dir, args.repeats, args.targets)
    if not args.no_grid:
        grid(args.data_dir, args.combos, args.check)


if __name__ == "__main__":
    main()
