"""Metrics of a daily return series against a benchmark series on the same days.

Both series are simple daily returns as fractions on the same trading days (they are aligned
on their index; a day missing from either is an error, not dropped). A year has 252 trading
days. Beta and alpha come from an ordinary least squares fit of the strategy's daily excess
return on the benchmark's (Jensen's alpha; the risk-free rate is an annual fraction, zero
unless given):

    r_s - rf = a + beta * (r_b - rf) + e,     alpha = 252 * a (annualised arithmetically).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import PERIODS_PER_YEAR, daily_risk_free
from catalystlab.core.errors import BadInputError


@dataclass(frozen=True)
class BetaAlpha:
    """OLS market-model fit: ``beta`` (unitless) and ``alpha`` (annual fraction, 252 * daily)."""

    beta: float
    alpha: float


def beta_alpha(returns: pd.Series, benchmark: pd.Series, risk_free: float = 0.0) -> BetaAlpha:
    """Beta and annualised Jensen alpha of ``returns`` against ``benchmark`` (OLS, daily).

    NaN for both when there are fewer than two days or the benchmark does not vary.
    """
    y, x = _paired(returns, benchmark)
    if len(x) < 2:
        return BetaAlpha(float("nan"), float("nan"))
    rf = daily_risk_free(risk_free)
    y, x = y - rf, x - rf
    x_dev = x - x.mean()
    sxx = float(np.sum(x_dev**2))
    if sxx == 0.0:
        return BetaAlpha(float("nan"), float("nan"))
    beta = float(np.sum(x_dev * (y - y.mean())) / sxx)
    intercept = float(y.mean() - beta * x.mean())
    return BetaAlpha(beta=beta, alpha=intercept * PERIODS_PER_YEAR)


def tracking_error(returns: pd.Series, benchmark: pd.Series) -> float:
    """Annualised standard deviation (ddof=1) of the daily active return, a fraction."""
    y, x = _paired(returns, benchmark)
    if len(x) < 2:
        return float("nan")
    return float(np.std(y - x, ddof=1) * np.sqrt(PERIODS_PER_YEAR))


def information_ratio(returns: pd.Series, benchmark: pd.Series) -> float:
    """Annualised mean active return (252 * mean daily difference) / tracking error.

    NaN when the tracking error is zero (the series is the benchmark) or undefined.
    """
    error = tracking_error(returns, benchmark)
    if not error or np.isnan(error):
        return float("nan")
    y, x = _paired(returns, benchmark)
    return float(np.mean(y - x)) * PERIODS_PER_YEAR / error


def check_same_days(returns: pd.Series, benchmark: pd.Series) -> None:
    """Raise BadInputError unless both series have the same index (the same days, in order)."""
    if not returns.index.equals(benchmark.index):
        raise BadInputError(
            f"The return series {returns.name!r} and the benchmark {benchmark.name!r} are not on "
            "the same days; align them on one trading calendar first."
        )


def check_returns_frame(returns: pd.DataFrame, benchmark: str) -> None:
    """Raise BadInputError unless ``returns`` has a ``benchmark`` column, unique column names
    and no missing value (every strategy on the run's one trading calendar)."""
    if benchmark not in returns.columns:
        raise BadInputError(
            f"The benchmark {benchmark!r} is not among the return columns {list(returns.columns)}."
        )
    if not returns.columns.is_unique:
        raise BadInputError("Two return columns share a name; give every strategy its own name.")
    missing = [str(c) for c in returns.columns if returns[c].isna().any()]
    if missing:
        raise BadInputError(
            f"The returns of {', '.join(missing)} have missing values; align every strategy on "
            "the run's trading calendar first."
        )


def _paired(returns: pd.Series, benchmark: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The two series as arrays, once they are known to be on the same days."""
    check_same_days(returns, benchmark)
    return returns.to_numpy(dtype=float), benchmark.to_numpy(dtype=float)
