"""The ranked comparison table of strategies and benchmarks (``comparison.csv``).

One row per column of a daily-returns frame (simple returns as fractions, one shared trading
calendar, no missing values), indexed by the column name (index name ``strategy``), with
lower-case metric columns:

=========================  ====================================================================
column                     meaning (units)
=========================  ====================================================================
rank                       1 = best; by ``dsr`` descending, ties (and saturated DSRs near 0 or
                           1) broken by ``sharpe`` descending; NaN sorts last
total_return               compounded return over the period, fraction
cagr                       compound annual growth rate on calendar time, fraction
volatility                 annualised standard deviation of daily returns, fraction
sharpe                     annualised Sharpe ratio (risk-free rate ``risk_free``)
sortino                    annualised Sortino ratio (target = risk-free rate)
max_drawdown               largest peak-to-trough fall, fraction <= 0
calmar                     cagr / abs(max_drawdown)
beta, alpha                OLS beta on the benchmark's daily returns; Jensen alpha, annual
                           fraction (252 x daily intercept)
information_ratio          annualised mean active return / tracking error (NaN for the
                           benchmark's own row)
hit_rate                   fraction of days with a return > 0 (flat days count as misses)
psr                        probability that the true Sharpe exceeds ``psr_benchmark_sharpe``
                           (annualised; default: the benchmark column's Sharpe, so the
                           benchmark's own row reads 0.5)
dsr                        Deflated Sharpe Ratio counting ``n_trials`` trials
excess_return[_lo,_hi]     annualised mean excess return over the benchmark (252 x mean daily
                           difference) with its stationary-bootstrap interval
sharpe_diff[_lo,_hi]       sharpe minus the benchmark's sharpe, with its interval
*_block                    the mean block length (trading days) each interval resampled with
=========================  ====================================================================

The benchmark's own row has NaN in the columns that compare it with itself (information
ratio, excess return, Sharpe difference). See :mod:`.sharpe_significance`
for PSR/DSR units and the kurtosis convention and :mod:`.bootstrap` for the
intervals. Every bootstrap uses the same ``seed``, so a row does not depend on the other
columns of the frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.bootstrap import (
    MIN_BLOCK_DAYS,
    excess_return_interval,
    sharpe_difference_interval,
)
from catalystlab.analysis.stats.performance import headline_metrics, sharpe
from catalystlab.analysis.stats.ratios import calmar, hit_rate, sortino
from catalystlab.analysis.stats.relative import beta_alpha, check_returns_frame, information_ratio
from catalystlab.analysis.stats.sharpe_significance import dsr, psr

METRIC_COLUMNS: tuple[str, ...] = (
    "rank",
    "total_return",
    "cagr",
    "volatility",
    "sharpe",
    "sortino",
    "max_drawdown",
    "calmar",
    "beta",
    "alpha",
    "information_ratio",
    "hit_rate",
    "psr",
    "dsr",
    "excess_return",
    "excess_return_lo",
    "excess_return_hi",
    "sharpe_diff",
    "sharpe_diff_lo",
    "sharpe_diff_hi",
    "excess_return_block",
    "sharpe_diff_block",
)


def comparison_table(
    returns: pd.DataFrame,
    benchmark: str,
    *,
    n_trials: int,
    seed: int,
    trial_sharpes: Sequence[float] | None = None,
    psr_benchmark_sharpe: float | None = None,
    risk_free: float = 0.0,
    reps: int = 1000,
    size: float = 0.95,
    min_block: int = MIN_BLOCK_DAYS,
) -> pd.DataFrame:
    """Every metric for every column of ``returns`` against column ``benchmark``, ranked.

    ``n_trials`` counts every variant tried in the run (strategies plus sweep combinations).
    ``trial_sharpes`` are the trials' annualised Sharpe ratios for the DSR; by default the
    Sharpe ratios of every column except the benchmark. ``seed`` seeds every bootstrap;
    ``reps`` and ``size`` are the bootstrap's resamples and coverage, ``min_block`` the floor
    of its mean block length in days (the lengths used are the ``_block`` columns).
    """
    check_returns_frame(returns, benchmark)
    base = returns[benchmark]
    if trial_sharpes is None:
        trial_sharpes = [sharpe(returns[c], risk_free) for c in returns.columns if c != benchmark]
    if psr_benchmark_sharpe is None:
        psr_benchmark_sharpe = sharpe(base, risk_free)
    rows = {}
    for name in returns.columns:
        series = returns[name]
        fit = beta_alpha(series, base, risk_free)
        row = {
            **headline_metrics(series, risk_free),
            "sortino": sortino(series, risk_free),
            "calmar": calmar(series),
            "beta": fit.beta,
            "alpha": fit.alpha,
            "information_ratio": information_ratio(series, base),
            "hit_rate": hit_rate(series),
            "psr": psr(series, benchmark_sharpe=psr_benchmark_sharpe, risk_free=risk_free),
            "dsr": dsr(series, n_trials=n_trials, trial_sharpes=trial_sharpes, risk_free=risk_free),
        }
        if name != benchmark:
            excess = excess_return_interval(
                series, base, seed=seed, reps=reps, size=size, min_block=min_block
            )
            diff = sharpe_difference_interval(
                series,
                base,
                seed=seed,
                risk_free=risk_free,
                reps=reps,
                size=size,
                min_block=min_block,
            )
            row |= {
                "excess_return": excess.estimate,
                "excess_return_lo": excess.lower,
                "excess_return_hi": excess.upper,
                "sharpe_diff": diff.estimate,
                "sharpe_diff_lo": diff.lower,
                "sharpe_diff_hi": diff.upper,
                "excess_return_block": excess.block_size,
                "sharpe_diff_block": diff.block_size,
            }
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    # DSRs that differ only past two decimals (saturated near 0 or 1) tie: Sharpe decides.
    order = table.assign(dsr_rounded=table["dsr"].round(2)).sort_values(
        ["dsr_rounded", "sharpe"], ascending=False, na_position="last"
    )
    table = table.loc[order.index]
    table["rank"] = np.arange(1, len(table) + 1)
    table.index.name = "strategy"
    return table.reindex(columns=list(METRIC_COLUMNS))
