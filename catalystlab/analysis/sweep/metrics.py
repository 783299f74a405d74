"""Screening metrics of many equity curves at once (rows of a (trials, days) matrix).

The same conventions as :mod:`catalystlab.analysis.stats.performance`: simple daily returns,
Sharpe annualised with 252 periods (ddof=1, zero risk-free rate), CAGR over calendar years
(365.25 days) from the first to the last day of the window, drawdown a fraction <= 0. A curve
that never moves (a rule never invested) has a NaN Sharpe and Calmar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import PERIODS_PER_YEAR

METRICS = ("sharpe", "cagr", "total_return", "max_drawdown", "calmar", "volatility")


def window_sharpe(returns: np.ndarray, first: int, last: int) -> np.ndarray:
    """Annualised Sharpe ratio of each row of ``returns`` ((trials, days - 1) daily returns,
    column ``j`` = the return of day ``j + 1``) over days ``first + 1 .. last``; NaN when the
    returns never vary. Equal to :func:`window_metrics`' Sharpe, without the other metrics."""
    window = returns[:, first:last]
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = window.std(axis=1, ddof=1)
        return np.where(
            spread > 0, window.mean(axis=1) / spread * np.sqrt(PERIODS_PER_YEAR), np.nan
        )


def window_metrics(
    equity: np.ndarray, calendar: pd.DatetimeIndex, first: int, last: int
) -> dict[str, np.ndarray]:
    """Metrics of each row of ``equity`` (currency units at each close of ``calendar``) over
    the returns of days ``first + 1 .. last`` (entry at the close of day ``first``)."""
    window = equity[:, first : last + 1]
    returns = window[:, 1:] / window[:, :-1] - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = returns.mean(axis=1)
        spread = returns.std(axis=1, ddof=1)
        sharpe = np.where(spread > 0, mean / spread * np.sqrt(PERIODS_PER_YEAR), np.nan)
        total = window[:, -1] / window[:, 0] - 1.0
        years = (calendar[last] - calendar[first]).days / 365.25
        growth = 1.0 + total
        cagr = np.where(growth > 0, np.power(np.maximum(growth, 0), 1.0 / years) - 1.0, -1.0)
        peaks = np.maximum.accumulate(window, axis=1)
        drawdown = (window / peaks - 1.0).min(axis=1)
        calmar = np.where(drawdown < 0, cagr / -drawdown, np.nan)
    return {
        "sharpe": sharpe,
        "cagr": cagr,
        "total_return": total,
        "max_drawdown": drawdown,
        "calmar": calmar,
        "volatility": spread * np.sqrt(PERIODS_PER_YEAR),
    }


def rank_key(values: np.ndarray) -> np.ndarray:
    """The metric as a sort key, larger = better, NaN last (a rule without a Sharpe ratio
    is never chosen over one with)."""
    return np.where(np.isnan(values), -np.inf, values)
