"""What a sweep found, as numbers: the walk-forward against buying and holding the swept
tickers over the same days, and each signal's trials against holding their own ticker."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import sharpe


@dataclass(frozen=True, kw_only=True)
class WalkForwardFindings:
    """The stitched out-of-sample returns from ``first_day`` to ``last_day`` (closes) against
    an equal-weight buy-and-hold of the swept tickers (bought at the close before
    ``first_day``, never rebalanced, no costs) and the benchmark. Returns are fractions."""

    first_day: pd.Timestamp
    last_day: pd.Timestamp
    days: int
    total_return: float
    sharpe: float
    hold_total_return: float
    hold_sharpe: float
    benchmark_total_return: float


@dataclass(frozen=True, kw_only=True)
class SignalFindings:
    """One signal's trials over the whole sweep (the screen's numbers, with costs):
    ``invested`` trials ever held a position (the others have no Sharpe ratio);
    ``beat_hold`` of them had a higher Sharpe ratio than buying and holding their ticker
    (frictionless, same days); ``best_trial`` has the highest Sharpe ratio."""

    signal: str
    trials: int
    invested: int
    beat_hold: int
    median_sharpe: float
    median_hold_sharpe: float
    best_trial: int
    best_sharpe: float


def hold_curve(ticker_returns: pd.DataFrame, days: pd.DatetimeIndex) -> pd.Series:
    """Value of 1 split equally over the tickers at the close before ``days[0]`` and held,
    at each close of ``days`` (daily returns in, fractions)."""
    growth = (1.0 + ticker_returns.loc[days]).cumprod()
    return growth.mean(axis=1).rename("hold")


def walk_forward_findings(
    walk_forward: pd.Series, ticker_returns: pd.DataFrame, benchmark: pd.Series
) -> WalkForwardFindings:
    """The walk-forward's daily returns against the tickers' and the benchmark's on its days."""
    days = pd.DatetimeIndex(walk_forward.index)
    value = hold_curve(ticker_returns, days)
    hold_returns = value.pct_change().fillna(value.iloc[0] - 1.0)
    return WalkForwardFindings(
        first_day=days[0],
        last_day=days[-1],
        days=len(days),
        total_return=float((1.0 + walk_forward).prod() - 1.0),
        sharpe=sharpe(walk_forward),
        hold_total_return=float(value.iloc[-1] - 1.0),
        hold_sharpe=sharpe(hold_returns),
        benchmark_total_return=float((1.0 + benchmark.loc[days]).prod() - 1.0),
    )


def signal_findings(trials: pd.DataFrame, ticker_returns: pd.DataFrame) -> list[SignalFindings]:
    """Per signal of the trial table (columns ``signal``, ``ticker``, ``sharpe``; indexed by
    trial number), in the order the table first lists them."""
    hold = {ticker: sharpe(ticker_returns[ticker]) for ticker in ticker_returns.columns}
    found = []
    for signal, rows in trials.groupby("signal", sort=False):
        own = rows["ticker"].map(hold).to_numpy(dtype=float)
        values = rows["sharpe"].to_numpy(dtype=float)
        invested = np.isfinite(values)
        best = rows["sharpe"].idxmax() if invested.any() else rows.index[0]
        found.append(
            SignalFindings(
                signal=str(signal),
                trials=len(rows),
                invested=int(invested.sum()),
                beat_hold=int((values[invested] > own[invested]).sum()),
                median_sharpe=float(np.median(values[invested])) if invested.any() else np.nan,
                median_hold_sharpe=float(np.median(own)),
                best_trial=int(best),
                best_sharpe=float(rows.loc[best, "sharpe"]),
            )
        )
    return found
