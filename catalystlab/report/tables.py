"""The run's numbers as tables, shared by summary.json, the HTML report and the terminal."""

from __future__ import annotations

import pandas as pd

from catalystlab.pipeline import RunOutcome

STRATEGY_COLUMNS = ("total_return", "cagr", "volatility", "sharpe", "max_drawdown")
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
    }
)


def strategy_table(outcome: RunOutcome) -> pd.DataFrame:
    """One row per strategy: label, headline metrics, excess total return over buying and
    holding the benchmark (same entry, same costs), trades and rejected orders."""
    benchmark = outcome.config.benchmark
    bench_total = float((1 + outcome.benchmark_returns).prod() - 1)
    rows = {}
    for strategy_id, run in outcome.strategies.items():
        rows[strategy_id] = {
            "label": run.plan.label,
            **{k: run.metrics[k] for k in STRATEGY_COLUMNS},
            f"excess_total_return_vs_{benchmark.lower()}": run.metrics["total_return"]
            - bench_total,
            "trades": len(run.result.trades),
            "rejected_orders": run.result.rejected_orders,
        }
    return pd.DataFrame(rows).T


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
