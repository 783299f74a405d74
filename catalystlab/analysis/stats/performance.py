"""Headline performance metrics of a daily return series.

Conventions used by every metric here: ``returns`` are simple daily returns as fractions
(0.01 = 1%), indexed by trading day; a year has ``PERIODS_PER_YEAR`` = 252 trading days for
annualising volatility and Sharpe; CAGR uses calendar time (365.25 days a year) between the
day before the first return (the entry) and the last day. The risk-free rate is zero unless
given (annual fraction, converted to a daily rate by compounding).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERIODS_PER_YEAR = 252


def total_return(returns: pd.Series) -> float:
    """Compounded return over the whole series, a fraction."""
    return float(np.prod(1.0 + returns.to_numpy()) - 1.0)


def years_spanned(returns: pd.Series) -> float:
    """Calendar years from the entry (one trading day before the first return) to the last day.

    The entry day is not in the series; it is taken as the first index date minus the median
    spacing of the index, which is one trading day for daily data.
    """
    if len(returns) == 0:
        return 0.0
    index = pd.DatetimeIndex(returns.index)
    step = pd.Series(index).diff().median() if len(index) > 1 else pd.Timedelta(days=1)
    days = (index[-1] - (index[0] - step)).days
    return days / 365.25


def cagr(returns: pd.Series) -> float:
    """Compound annual growth rate, a fraction; NaN for an empty series."""
    years = years_spanned(returns)
    if years <= 0:
        return float("nan")
    growth = 1.0 + total_return(returns)
    return float(growth ** (1.0 / years) - 1.0) if growth > 0 else -1.0


def volatility(returns: pd.Series) -> float:
    """Annualised standard deviation of daily returns (ddof=1), a fraction."""
    if len(returns) < 2:
        return float("nan")
    return float(returns.std(ddof=1) * np.sqrt(PERIODS_PER_YEAR))


def sharpe(returns: pd.Series, risk_free: float = 0.0) -> float:
    """Annualised Sharpe ratio: mean daily excess return / its std (ddof=1) * sqrt(252)."""
    excess = returns - daily_risk_free(risk_free)
    spread = excess.std(ddof=1) if len(excess) > 1 else float("nan")
    if not spread or np.isnan(spread):
        return float("nan")
    return float(excess.mean() / spread * np.sqrt(PERIODS_PER_YEAR))


def max_drawdown(returns: pd.Series) -> float:
    """Largest peak-to-trough fall of the compounded equity, a fraction <= 0.

    The peak includes the starting value 1.0 (before the first return).
    """
    if len(returns) == 0:
        return float("nan")
    equity = np.cumprod(1.0 + returns.to_numpy())
    peaks = np.maximum.accumulate(np.concatenate([[1.0], equity]))[1:]
    return float(np.min(equity / peaks - 1.0))


def headline_metrics(returns: pd.Series, risk_free: float = 0.0) -> dict[str, float]:
    """Total return, CAGR, volatility, Sharpe and max drawdown of one series."""
    return {
        "total_return": total_return(returns),
        "cagr": cagr(returns),
        "volatility": volatility(returns),
        "sharpe": sharpe(returns, risk_free),
        "max_drawdown": max_drawdown(returns),
    }


def daily_risk_free(risk_free: float) -> float:
    """The daily rate, a fraction, that compounds over 252 trading days to ``risk_free``.

    ``risk_free`` is an annual fraction (0.04 = 4% a year); the conversion is the one
    :func:`sharpe` applies.
    """
    return (1.0 + risk_free) ** (1.0 / PERIODS_PER_YEAR) - 1.0
