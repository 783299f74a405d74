"""The call's legs after (and before) the call: metrics, horizons, the excess interval.

Timing: a call public on date D is entered at the open of the first session on or after D
(the engine decides at the close of the session before and fills at the next open). The
out-of-sample period runs from that decision close to the last date of the data; the
in-sample context is the same comparison from the run's start to the decision close.
Excess return is the simple difference of total returns (fractions), ticker minus benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from catalystlab.analysis.call.assess import CallUncertainty
from catalystlab.analysis.call.timing import CallTiming
from catalystlab.analysis.stats.bootstrap import excess_return_interval
from catalystlab.analysis.stats.performance import headline_metrics


@dataclass(frozen=True, kw_only=True)
class CallResult:
    """Everything the report says about the call. Returns and excess are fractions."""

    ticker: str
    timing: CallTiming
    equity: pd.DataFrame = field(default_factory=pd.DataFrame)
    out_of_sample: pd.DataFrame = field(default_factory=pd.DataFrame)
    in_sample: pd.DataFrame = field(default_factory=pd.DataFrame)
    horizons: pd.DataFrame = field(default_factory=pd.DataFrame)
    excess_interval: pd.DataFrame = field(default_factory=pd.DataFrame)
    labels: dict[str, str] = field(default_factory=dict)  # leg name -> display label
    uncertainty: CallUncertainty | None = None


def leg_metrics(equity: dict[str, pd.Series], call_id: str) -> pd.DataFrame:
    """Headline metrics of each leg, plus total and CAGR excess of the call leg over it."""
    rows = {}
    for leg, curve in equity.items():
        rows[leg] = headline_metrics(curve.pct_change().iloc[1:])
    table = pd.DataFrame(rows).T
    table["excess_total_return"] = table.loc[call_id, "total_return"] - table["total_return"]
    table["excess_cagr"] = table.loc[call_id, "cagr"] - table["cagr"]
    return table


def horizon_table(
    equity: dict[str, pd.Series], *, call_id: str, entry_day: pd.Timestamp, months: tuple[int, ...]
) -> pd.DataFrame:
    """Return of every leg from the entry to ``entry_day + N months`` (last session on or
    before), and the call's excess over each; horizons past the data are marked unavailable."""
    calendar = next(iter(equity.values())).index
    rows = []
    for n in months:
        target = entry_day + pd.DateOffset(months=n)
        row: dict[str, object] = {"horizon": f"{n}m", "months": n, "until": target.date()}
        if target > calendar[-1]:
            row["available"] = False
            rows.append(row)
            continue
        exit_day = calendar[calendar <= target][-1]
        row.update(available=True, exit_day=exit_day.date())
        returns = {leg: curve[exit_day] / curve.iloc[0] - 1 for leg, curve in equity.items()}
        for leg, value in returns.items():
            row[f"return:{leg}"] = value
            if leg != call_id:
                row[f"excess:{leg}"] = returns[call_id] - value
        rows.append(row)
    return pd.DataFrame(rows).set_index("horizon")


def excess_interval(
    equity: dict[str, pd.Series],
    *,
    call_id: str,
    seed: int,
    reps: int = 1000,
    level: float = 0.95,
) -> pd.DataFrame:
    """Annualised mean daily excess return of the call over each leg (252 x mean daily
    difference, fraction) with a stationary block bootstrap interval (``level`` coverage,
    ``reps`` resamples, seeded)."""
    call_returns = equity[call_id].pct_change().iloc[1:]
    rows = {}
    for leg, curve in equity.items():
        if leg == call_id:
            continue
        interval = excess_return_interval(
            call_returns, curve.pct_change().iloc[1:], seed=seed, reps=reps, size=level
        )
        rows[leg] = {
            "annual_excess": interval.estimate,
            "low": interval.lower,
            "high": interval.upper,
            "days": len(call_returns),
            "block": interval.block_size,
        }
    return pd.DataFrame(rows).T
