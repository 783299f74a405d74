"""The call's legs after (and before) the call: metrics, horizons, the excess interval.

Timing: a call public on date D is entered at the open of the first session on or after D
(the engine decides at the close of the session before and fills at the next open). The
out-of-sample period runs from that decision close to the last date of the data; the
in-sample context is the same comparison from the run's start to the decision close.
Excess return is the simple difference of total returns (fractions) under the call's stance
(:mod:`.stance`): ticker minus benchmark for a buy call, benchmark minus ticker for a sell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from catalystlab.analysis.call.assess import CallUncertainty
from catalystlab.analysis.call.short import ShortPosition
from catalystlab.analysis.call.stance import Stance, call_excess
from catalystlab.analysis.call.timing import CallTiming
from catalystlab.analysis.stats.bootstrap import MIN_BLOCK_DAYS, excess_return_interval
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
    stance: Stance = Stance.BUY
    short: ShortPosition | None = None  # a sell call's short position, after its own costs


def leg_metrics(
    equity: dict[str, pd.Series], call_id: str, stance: Stance = Stance.BUY
) -> pd.DataFrame:
    """Headline metrics of each leg (each bought and held), plus the call's total and CAGR
    excess over it under ``stance`` (fractions; 0 on the call's own row)."""
    rows = {}
    for leg, curve in equity.items():
        rows[leg] = headline_metrics(curve.pct_change().iloc[1:])
    table = pd.DataFrame(rows).T
    table["excess_total_return"] = call_excess(
        stance, table.loc[call_id, "total_return"], table["total_return"]
    )
    table["excess_cagr"] = call_excess(stance, table.loc[call_id, "cagr"], table["cagr"])
    return table


def horizon_table(
    equity: dict[str, pd.Series],
    *,
    call_id: str,
    entry_day: pd.Timestamp,
    months: tuple[int, ...],
    stance: Stance = Stance.BUY,
) -> pd.DataFrame:
    """Return of every leg from the entry to ``entry_day + N months`` (last session on or
    before), and the call's excess over each under ``stance``; horizons past the data are
    marked unavailable."""
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
                row[f"excess:{leg}"] = call_excess(stance, returns[call_id], value)
        rows.append(row)
    return pd.DataFrame(rows).set_index("horizon")


def excess_interval(
    equity: dict[str, pd.Series],
    *,
    call_id: str,
    seed: int,
    reps: int = 1000,
    level: float = 0.95,
    stance: Stance = Stance.BUY,
    min_block: int = MIN_BLOCK_DAYS,
) -> pd.DataFrame:
    """Annualised mean daily excess return of the call over each leg under ``stance`` (252 x
    mean daily difference, fraction; a sell call's is the leg's minus the stock's) with a
    stationary block bootstrap interval (``level`` coverage, ``reps`` resamples, seeded; mean
    block length at least ``min_block`` days, the length used in column ``block``)."""
    call_returns = equity[call_id].pct_change().iloc[1:]
    rows = {}
    for leg, curve in equity.items():
        if leg == call_id:
            continue
        leg_returns = curve.pct_change().iloc[1:]
        first, second = (
            (call_returns, leg_returns) if stance is Stance.BUY else (leg_returns, call_returns)
        )
        interval = excess_return_interval(
            first, second, seed=seed, reps=reps, size=level, min_block=min_block
        )
        rows[leg] = {
            "annual_excess": interval.estimate,
            "low": interval.lower,
            "high": interval.upper,
            "days": len(call_returns),
            "block": interval.block_size,
        }
    return pd.DataFrame(rows).T
