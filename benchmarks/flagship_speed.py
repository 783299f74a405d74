"""The flagship run against the same job wired by hand, side by side in one benchmark run.

The hand-wired baseline is what a user would write without catalystlab: stock backtrader
``PandasData`` buy-and-holds of AMZN, SPY, QQQ, MSFT, NVDA and META and a monthly rebalanced
equal-weight basket of the rivals (MSFT, NVDA, META), from 2015 on, then one quantstats
tearsheet each against SPY, one after the other. The flagship is
``runner.py run config/amazon_ai_call.yaml --data-dir ../shared/data --offline`` (12
strategies, the call test, bootstrap intervals, SPA, the event study, the claims audit,
report.html and 12 tearsheets). Each runs in its own Python process, imports included; the
script prints wall and CPU times, the ratio of wall times (the target: the flagship at
most half the baseline), of CPU times (at most 0.6), and the time to the flagship's headline
verdict (its first line on stdout) over the baseline's wall time, since the hand-wired script
answers only when it ends (at most 0.2). A first, untimed flagship run warms the caches; the
timed ones pass ``--force`` (an unchanged re-run would reuse that folder). Last, the same
command without ``--force``, an unchanged re-run, against the forced one (the target: 10x
faster).

Run from the repository's root: ``python benchmarks/flagship_speed.py [--repeats K]``.
The machine is shared: compare the ratio, not the seconds, and read the load average.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _targets import record

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
TICKERS = ("AMZN", "SPY", "QQQ", "MSFT", "NVDA", "META")
RIVALS = ("MSFT", "NVDA", "META")
START = "2015-01-01"


def baseline(out: Path) -> None:
    """The hand-wired job (imports inside: they are part of what a user waits for)."""
    import backtrader as bt
    import matplotlib

    matplotlib.use("Agg")  # backtrader forces TkAgg otherwise
    import pandas as pd
    import quantstats as qs

    def prices(ticker: str) -> pd.DataFrame:
        frame = pd.read_csv(DATA / "prices" / f"{ticker}.csv", index_col=0, parse_dates=True)
        return frame.loc[START:]

    class BuyAndHold(bt.Strategy):
        def next(self) -> None:
            if not self.position:
                self.order_target_percent(target=0.99)

    class MonthlyEqualWeight(bt.Strategy):
        def next(self) -> None:
            month = self.datetime.date(0).month
            if getattr(self, "_month", None) != month:
                self._month = month
                for data in self.datas:
                    self.order_target_percent(data, target=0.99 / len(self.datas))

    def returns(strategy: type, tickers: tuple[str, ...]) -> pd.Series:
        cerebro = bt.Cerebro()
        for ticker in tickers:
            cerebro.adddata(bt.feeds.PandasData(dataname=prices(ticker)), name=ticker)
        cerebro.addstrategy(strategy)
        cerebro.broker.setcash(100_000)
        cerebro.addanalyzer(bt.analyzers.TimeReturn, _name="daily")
        result = cerebro.run()[0]
        daily = pd.Series(result.analyzers.daily.get_analysis())
        daily.index = pd.to_datetime(daily.index)
        return daily

    runs = {ticker: returns(BuyAndHold, (ticker,)) for ticker in TICKERS}
    runs["rivals_equal_weight"] = returns(MonthlyEqualWeight, RIVALS)
    spy = runs["SPY"].rename("SPY")
    for name, daily in runs.items():
        qs.reports.html(daily, benchmark=spy, output=str(out / f"{name}.html"), title=name)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its children) of ``command``."""
    wall, cpu, _ = timed_answer(command)
    return wall, cpu


def timed_answer(command: list[str]) -> tuple[float, float, float]:
    """Wall and CPU seconds (the process and its children) of ``command``, and the seconds
    until its first line on stdout: the run's headline verdict (rich flushes each print, so
    the line arrives when it is printed; NaN when the command prints nothing)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    answer = float("nan")
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if answer != answer and line.strip():  # the first line that says something
                answer = time.perf_counter() - began
    wall = time.perf_counter() - began
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, answer


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, {model}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="alternating runs of each")
    parser.add_argument("--targets", type=Path, help="append the measured targets (JSON)")
    parser.add_argument("--baseline-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_into is not None:
        baseline(args.baseline_into)
        return
    python = sys.executable
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as scratch:
        flagship = [
            python,
            "runner.py",
            "run",
            "config/amazon_ai_call.yaml",
            "--data-dir",
            str(DATA),
            "--offline",
            "--out",
            str(Path(scratch) / "results"),
        ]
        timed(flagship)  # warm: caches, bytecode, page cache
        times: dict[str, list[tuple[float, float]]] = {"baseline": [], "flagship": []}
        answers: list[float] = []  # seconds to the flagship's headline
        for repeat in range(args.repeats):
            sheets = Path(scratch) / f"baseline-{repeat}"
            sheets.mkdir()
            times["baseline"].append(timed([python, __file__, "--baseline-into", str(sheets)]))
            wall, cpu, answer = timed_answer([*flagship, "--force"])
            times["flagship"].append((wall, cpu))
            answers.append(answer)
        results = Path(scratch) / "results"
        before = len(list(results.iterdir()))
        times["re-run"] = [timed(flagship)]
        reused = len(list(results.iterdir())) == before  # a reused run writes no folder
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name:9s} wall {wall:6.1f} s   CPU {cpu:6.1f} s   ({len(runs)} run(s))")
    ratio = statistics.median(w for w, _ in times["flagship"]) / statistics.median(
        w for w, _ in times["baseline"]
    )
    pairs = [f[0] / b[0] for b, f in zip(times["baseline"], times["flagship"], strict=True)]
    print(
        f"flagship / baseline wall time: {ratio:.2f} (target: at most 0.50); "
        f"each pair: {', '.join(f'{r:.2f}' for r in pairs)}"
    )
    baseline_wall = statistics.median(w for w, _ in times["baseline"])
    # The hand-wired script answers only when it ends: its wall time is its time to the answer.
    answer = statistics.median(answers) / baseline_wall
    print(
        f"flagship headline after {statistics.median(answers):.1f} s: "
        f"{answer:.2f} of the baseline's wall time (target: at most 0.20)"
    )
    cpu_ratio = statistics.median(c for _, c in times["flagship"]) / statistics.median(
        c for _, c in times["baseline"]
    )
    print(f"flagship / baseline CPU time: {cpu_ratio:.2f} (target: at most 0.60)")
    rerun = statistics.median(w for w, _ in times["flagship"]) / times["re-run"][0][0]
    print(f"flagship / unchanged re-run wall time: {rerun:.1f}x (target: at least 10x)")
    if not reused:
        print("the re-run recomputed: code or inputs changed while the benchmark ran")
    record(
        args.targets,
        "flagship run / hand-wired baseline, wall time (x)",
        ratio,
        goal=0.5,
        at_least=False,
        source="flagship_speed.py",
    )
    record(
        args.targets,
        "flagship headline verdict / hand-wired baseline's wall time (x)",
        answer,
        goal=0.2,
        at_least=False,
        source="flagship_speed.py",
    )
    record(
        args.targets,
        "flagship run / hand-wired baseline, CPU time (x)",
        cpu_ratio,
        goal=0.6,
        at_least=False,
        source="flagship_speed.py",
    )
    record(
        args.targets,
        "flagship run / unchanged re-run, wall time (x)",
        rerun if reused else 0.0,
        goal=10,
        at_least=True,
        source="flagship_speed.py",
    )
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
