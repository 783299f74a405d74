"""Run by benchmarks/sweep_speed.py in a Python that has vectorbt (not a project dependency):
the same crossover grid on the same closes, warm, with the same costs; prints one JSON line
with the bar-evaluations per second and vectorbt's version."""

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import vectorbt as vbt

close = pd.read_csv(sys.argv[1], index_col=0)
pairs = json.loads(Path(sys.argv[2]).read_text())
fast = [f for f, _ in pairs]
slow = [s for _, s in pairs]


def screen(frame: pd.DataFrame) -> None:
    for ticker in frame:
        series = frame[ticker]
        fast_ma = vbt.MA.run(series, fast, short_name="fast", per_column=False)
        slow_ma = vbt.MA.run(series, slow, short_name="slow", per_column=False)
        entries = fast_ma.ma_crossed_above(slow_ma.ma.values)
        exits = fast_ma.ma_crossed_below(slow_ma.ma.values)
        portfolio = vbt.Portfolio.from_signals(
            series, entries, exits, fees=0.0005, slippage=0.001, init_cash=1e6, freq="1D"
        )
        np.asarray(portfolio.sharpe_ratio())


screen(close.iloc[:300])  # warm: numba compiles
started, cpu = time.perf_counter(), time.process_time()
screen(close)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
evaluations = len(pairs) * close.shape[0] * close.shape[1]
print(
    json.dumps(
        {"rate": evaluations / wall, "cpu_rate": evaluations / cpu, "version": vbt.__version__}
    )
)
