"""The run's numbers as tables, shared by summary.json, the HTML report and the terminal."""

from __future__ import annotations

import pandas as pd

from catalystlab.pipeline import RunOutcome
from catalystlab.stats.comparison import METRIC_COLUMNS

PERCENT_COLUMNS = frozenset(
    {
        "total_return",
        "cagr",
        "volatility",
        "max_drawdown",
        "excess_total_return",
        "excess_cagr",
        "annual_excess",
        "low",
        "high",
        "min",
        "median",
        "max",
        "call_excess",
        "alpha",
        "hit_rate",
        "car",
        "mean_car",
        "time_in_market",
    }
)


def strategy_table(outcome: RunOutcome) -> pd.DataFrame:
    """One row per strategy and one for the benchmark, ranked (see
    :mod:`catalystlab.stats.comparison` for the columns), plus the excess total return over
    buying and holding the benchmark (same entry, same costs), the share of days on which the
    strategy's value moved (time in market: a rule whose data are missing sits in cash), trades
    and rejected orders."""
    table = outcome.comparison.table.copy()
    bench_total = float((1 + outcome.benchmark_returns).prod() - 1)
    table["excess_total_return"] = table["total_return"] - bench_total
    table["trades"] = [
        len(outcome.strategies[i].result.trades) if i in outcome.strategies else None
        for i in table.index
    ]
    table["time_in_market"] = [
        float((outcome.strategies[i].result.returns != 0).mean())
        if i in outcome.strategies
        else 1.0
        for i in table.index
    ]
    table["rejected_orders"] = [
        outcome.strategies[i].result.rejected_orders if i in outcome.strategies else None
        for i in table.index
    ]
    return table.sort_values("rank")


INTERVALS = ("excess_return", "sharpe_diff")
# The statistics' columns, each interval shown in one cell (what compare ranks by) ...
STATISTIC_COLUMNS = tuple(c for c in METRIC_COLUMNS if not c.endswith(("_lo", "_hi")))
# ... and what a run adds, knowing its strategies' positions.
RANKED_COLUMNS = (*STATISTIC_COLUMNS, "time_in_market")


def ranked_display(table: pd.DataFrame, columns: tuple[str, ...] = RANKED_COLUMNS) -> pd.DataFrame:
    """``columns`` of :func:`strategy_table` for display, each interval column written as
    ``estimate [low, high]`` (percent for excess return, plain for the Sharpe difference)."""
    shown = table.loc[:, list(columns)].astype(object)
    for name in INTERVALS:
        if name not in columns:
            continue
        unit = "{:+.1%}" if name == "excess_return" else "{:+.2f}"
        shown[name] = [
            "–"
            if pd.isna(row[name])
            else f"{unit.format(row[name])} [{unit.format(row[name + '_lo'])}, "
            f"{unit.format(row[name + '_hi'])}]"
            for _, row in table.iterrows()
        ]
    return shown


def equity_frame(outcome: RunOutcome) -> pd.DataFrame:
    """Portfolio value of every strategy at each close, one column per strategy id."""
    frame = pd.DataFrame({sid: run.result.equity for sid, run in outcome.strategies.items()})
    frame.index.name = "Date"
    return frame


def trades_frame(outcome: RunOutcome) -> pd.DataFrame:
    """Every fill of every strategy, with a ``strategy`` column first."""
    frames = [run.result.trades.assign(strategy=sid) for sid, run in outcome.strategies.items()]
    trades = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return trades[["strategy", *[c for c in trades.columns if c != "strategy"]]]
