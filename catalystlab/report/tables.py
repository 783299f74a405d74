"""The run's numbers as tables, shared by summary.json, the HTML report and the terminal."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.analysis.call.assess import CallUncertainty
from catalystlab.analysis.stats.comparison import METRIC_COLUMNS
from catalystlab.engine.backtest import TRADE_COLUMNS
from catalystlab.pipeline.outcome import RunOutcome

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
    :mod:`catalystlab.analysis.stats.comparison` for the columns), plus the excess total return over
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
STATISTIC_COLUMNS = tuple(c for c in METRIC_COLUMNS if not c.endswith(("_lo", "_hi", "_block")))
# ... and what a run adds, knowing its strategies' positions.
RANKED_COLUMNS = (*STATISTIC_COLUMNS, "time_in_market")


# Shown in place of an interval that has no bounds, and the footnote that says why.
NO_INTERVAL = "[–]"
NO_INTERVAL_NOTE = (
    f"{NO_INTERVAL}: no interval. The strategy holds a position on so few days that some "
    "bootstrap resamples hold none, and a resample without a position has no Sharpe ratio."
)
NO_VALUE_NOTE = (
    "–: no value. A strategy that never held a position has no Sharpe ratio (its returns "
    "never vary), hence no PSR or DSR; the benchmark has no excess over itself."
)


def ranked_display(table: pd.DataFrame, columns: tuple[str, ...] = RANKED_COLUMNS) -> pd.DataFrame:
    """``columns`` of :func:`strategy_table` for display, each interval column written as
    ``estimate [low, high]`` (percent for excess return, plain for the Sharpe difference);
    ``estimate [–]`` when a bound is missing (:data:`NO_INTERVAL_NOTE` says why)."""
    shown = table.loc[:, list(columns)].astype(object)
    for name in INTERVALS:
        if name not in columns:
            continue
        unit = "{:+.1%}" if name == "excess_return" else "{:+.2f}"
        shown[name] = [
            _interval(row[name], row[name + "_lo"], row[name + "_hi"], unit)
            for _, row in table.iterrows()
        ]
    return shown


def _interval(estimate: float, low: float, high: float, unit: str) -> str:
    if pd.isna(estimate):
        return "–"
    if pd.isna(low) or pd.isna(high):
        return f"{unit.format(estimate)} {NO_INTERVAL}"
    return f"{unit.format(estimate)} [{unit.format(low)}, {unit.format(high)}]"


def equity_frame(outcome: RunOutcome) -> pd.DataFrame:
    """Portfolio value of every strategy at each close, one column per strategy id."""
    frame = pd.DataFrame({sid: run.result.equity for sid, run in outcome.strategies.items()})
    frame.index.name = "Date"
    return frame


def trades_frame(outcome: RunOutcome) -> pd.DataFrame:
    """Every fill of every strategy, with a ``strategy`` column first."""
    frames = [run.result.trades.assign(strategy=sid) for sid, run in outcome.strategies.items()]
    if not frames:  # a config that tests only the call
        return pd.DataFrame(columns=["strategy", *TRADE_COLUMNS])
    trades = pd.concat(frames, ignore_index=True)
    return trades[["strategy", *[c for c in trades.columns if c != "strategy"]]]


def band_table(uncertainty: CallUncertainty) -> pd.DataFrame:
    """Min / median / max of the ticker's return and of its excess over each benchmark."""
    band = uncertainty.band
    rows = {f"return of {band.ticker}": band.ticker_stats}
    rows.update(
        {
            f"excess, {band.stance.difference(band.ticker, name)}": stats
            for name, stats in band.excess_stats.items()
        }
    )
    return pd.DataFrame(
        {
            label: {
                "min": stats.minimum,
                "median": stats.median,
                "max": stats.maximum,
                "min_day": stats.min_day.date(),
                "max_day": stats.max_day.date(),
            }
            for label, stats in rows.items()
        }
    ).T


def base_rate_table(uncertainty: CallUncertainty) -> pd.DataFrame:
    """Per benchmark: the call's excess, its percentile, and how many windows back it."""
    return pd.DataFrame(
        {
            name: {
                "call_excess": rate.call_excess,
                "percentile": rate.percentile,
                "windows": rate.n_windows,
                "non_overlapping": rate.n_non_overlapping,
                "first_start": rate.history.index[0].date(),
            }
            for name, rate in uncertainty.base_rates.items()
        }
    ).T


@dataclass(frozen=True, kw_only=True)
class RunTables:
    """The tables of a run's results folder as frames (what the Python API returns)."""

    ranked: pd.DataFrame  # every strategy and the benchmark, ranked, with display labels
    comparison: pd.DataFrame  # comparison.csv: ``ranked`` without the label column
    equity: pd.DataFrame  # equity.csv: value of every strategy at each close
    benchmark: pd.DataFrame  # benchmark.csv: the benchmark bought and held, same costs
    trades: pd.DataFrame  # trades.csv: every fill
    signals: pd.DataFrame  # signals.csv: exposure in [0, 1] per signal and ticker


def run_tables(outcome: RunOutcome) -> RunTables:
    """Every table of ``outcome``'s results folder."""
    ranked = strategy_table(outcome)
    cash = outcome.config.cash
    benchmark = pd.concat(
        [
            pd.Series([cash], index=outcome.calendar[:1]),
            cash * (1 + outcome.benchmark_returns).cumprod(),
        ]
    ).to_frame(outcome.config.benchmark)
    benchmark.index.name = "Date"
    signals = outcome.signals.copy()
    signals.index.name = "Date"
    return RunTables(
        ranked=ranked,
        comparison=ranked.drop(columns=["label"]),
        equity=equity_frame(outcome),
        benchmark=benchmark,
        trades=trades_frame(outcome),
        signals=signals,
    )
