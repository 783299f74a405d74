"""The ``Significance`` analyzer's numbers: the run's statistics of one strategy's daily
returns against buying and holding a benchmark (:mod:`catalystlab.analysis.stats`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.bootstrap import MIN_BLOCK_DAYS
from catalystlab.analysis.stats.comparison import comparison_table
from catalystlab.analysis.stats.sharpe_significance import psr
from catalystlab.bt.record import CerebroRecord
from catalystlab.core.errors import BadInputError
from catalystlab.core.jsonable import number

_STRATEGY = "strategy"


def never_traded(returns: pd.Series) -> bool:
    """True when the strategy's value never moved: it never held a position."""
    return bool((returns.to_numpy() == 0).all())


def idle_message(record: CerebroRecord, *, who: str) -> str:
    """The message for a strategy that never held a position."""
    return (
        f"{who}: {record.label} never held a position (its value never changed), so it has "
        f"no Sharpe ratio ({record.rejected_orders} order(s) rejected); check that its orders "
        "are placed and filled."
    )


def daily_returns(equity: pd.Series) -> pd.Series:
    """Daily returns from the second close on (fractions): the statistics start at the
    first close, where ``run``'s strategies make their first decision."""
    return equity.pct_change().iloc[1:]


def significance(
    record: CerebroRecord,
    *,
    benchmark: str,
    trials: int = 1,
    trial_sharpes: Sequence[float] | None = None,
    seed: int = 20250801,
    reps: int = 1000,
    confidence: float = 0.95,
    min_block: int = MIN_BLOCK_DAYS,
) -> dict[str, Any]:
    """Sharpe (annualised), PSR against the benchmark's Sharpe and against 0, DSR counting
    ``trials`` variants (``trial_sharpes``: their annualised Sharpe ratios, needed when
    ``trials`` > 1), and stationary-bootstrap intervals (``confidence`` coverage, ``reps``
    resamples, ``seed``) of the annualised excess return and the Sharpe difference over
    holding ``benchmark``, on the days both have. Returns and intervals are fractions, not
    %; the statistics use the returns after the first close (:func:`daily_returns`)."""
    who = "Significance"
    if not isinstance(trials, int) or isinstance(trials, bool) or trials < 1:
        raise BadInputError(f"{who}: trials={trials!r}; count the variants tried, 1 or more.")
    if trials > 1 and (trial_sharpes is None or len(trial_sharpes) < 2):
        raise BadInputError(
            f"{who}: the DSR of {trials} trials needs the Sharpe ratios of at least two of them "
            "(trial_sharpes=[...]); or run the variants with cerebro.optstrategy and rank them "
            "with catalystlab.bt.report, which counts every variant."
        )
    if never_traded(record.returns):
        raise BadInputError(idle_message(record, who=who))
    held = record.hold_equity(benchmark, who=who)
    returns = daily_returns(record.equity_on(held.index))
    frame = pd.DataFrame({_STRATEGY: returns, benchmark: daily_returns(held)})
    table = comparison_table(
        frame,
        benchmark,
        n_trials=trials,
        seed=seed,
        trial_sharpes=list(trial_sharpes) if trials > 1 and trial_sharpes is not None else None,
        reps=reps,
        size=confidence,
        min_block=min_block,
    )
    row, base = table.loc[_STRATEGY], table.loc[benchmark]
    return {
        "days": len(returns),
        "sharpe": number(row["sharpe"]),
        "benchmark": benchmark,
        "benchmark_sharpe": number(base["sharpe"]),
        "psr_vs_benchmark": number(row["psr"]),
        "psr_vs_zero": number(psr(returns, benchmark_sharpe=0.0)),
        "dsr": number(row["dsr"]),
        "trials": trials,
        "total_return": number(row["total_return"]),
        "cagr": number(row["cagr"]),
        "volatility": number(row["volatility"]),
        "max_drawdown": number(row["max_drawdown"]),
        "excess_return": _interval(row, "excess_return"),
        "sharpe_diff": _interval(row, "sharpe_diff"),
        "confidence": confidence,
        "bootstrap_reps": reps,
        "seed": seed,
        "meaning": {
            "sharpe": "annualised Sharpe ratio of the daily returns (252 days, risk-free 0)",
            "psr_vs_benchmark": f"probability that the true Sharpe exceeds {benchmark}'s",
            "psr_vs_zero": "probability that the true Sharpe exceeds 0",
            "dsr": f"PSR against the best Sharpe of {trials} zero-skill trial(s)",
            "excess_return": f"annualised mean daily return over holding {benchmark}",
            "sharpe_diff": f"Sharpe minus holding {benchmark}'s",
        },
    }


def _interval(row: pd.Series, name: str) -> dict[str, float | None]:
    return {
        "estimate": number(row[name]),
        "low": number(row[f"{name}_lo"]),
        "high": number(row[f"{name}_hi"]),
        "block_days": None if np.isnan(row[f"{name}_block"]) else int(row[f"{name}_block"]),
    }
