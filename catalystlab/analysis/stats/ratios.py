"""Return-per-risk ratios and the hit rate of one daily return series.

Conventions are those of :mod:`catalystlab.analysis.stats.performance`: simple daily returns as
fractions, 252 trading days a year, CAGR on calendar time, risk-free rate an annual fraction
(zero unless given).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import (
    PERIODS_PER_YEAR,
    cagr,
    daily_risk_free,
    max_drawdown,
)


def downside_deviation(returns: pd.Series, risk_free: float = 0.0) -> float:
    """Annualised downside deviation below the daily risk-free rate, a fraction.

    ``sqrt(mean(min(r - rf, 0)^2)) * sqrt(252)`` where the mean runs over ALL days (days
    above the target count as zero shortfall), as in Sortino and Price (1994).
    """
    if len(returns) == 0:
        return float("nan")
    shortfall = np.minimum(returns.to_numpy() - daily_risk_free(risk_free), 0.0)
    return float(np.sqrt(np.mean(shortfall**2)) * np.sqrt(PERIODS_PER_YEAR))


def sortino(returns: pd.Series, risk_free: float = 0.0) -> float:
    """Annualised Sortino ratio: mean daily excess return * 252 / annualised downside deviation.

    The target (minimum acceptable return) is the risk-free rate. NaN when no day falls below
    the target (the downside deviation is zero) or the series is empty.
    """
    downside = downside_deviation(returns, risk_free)
    if not downside or np.isnan(downside):
        return float("nan")
    mean_excess = float(np.mean(returns.to_numpy() - daily_risk_free(risk_free)))
    return mean_excess * PERIODS_PER_YEAR / downside


def calmar(returns: pd.Series) -> float:
    """Calmar ratio: CAGR / |max drawdown| over the whole series (not a trailing 36 months).

    NaN when the series never draws down (max drawdown 0) or is empty.
    """
    drawdown = max_drawdown(returns)
    if not drawdown or np.isnan(drawdown):
        return float("nan")
    return cagr(returns) / abs(drawdown)


def hit_rate(returns: pd.Series) -> float:
    """Fraction of days whose return is strictly above zero, in [0, 1].

    Days with a return of exactly zero (for example days out of the market, in cash) count as
    misses, so a strategy that is often flat has a low hit rate by construction. NaN for an
    empty series.
    """
    if len(returns) == 0:
        return float("nan")
    return float(np.mean(returns.to_numpy() > 0.0))
