"""The call test: how the called ticker did after the call, against each benchmark.

Timing: a call public on date D is entered at the open of the first session on or after D
(the engine decides at the close of the session before and fills at the next open). The
out-of-sample period runs from that decision close to the last date of the data; the
in-sample context is the same comparison from the run's start to the decision close.
Excess return is the simple difference of total returns (fractions), ticker minus benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from catalystlab.stats.bootstrap import excess_return_interval
from catalystlab.stats.performance import headline_metrics

if TYPE_CHECKING:
    from catalystlab.call_uncertainty import CallUncertainty


@dataclass(frozen=True, kw_only=True)
class CallTiming:
    """The call's dates on the run's calendar (all exchange dates)."""

    call_date: pd.Timestamp
    decision_day: pd.Timestamp | None
    entry_day: pd.Timestamp | None
    end_day: pd.Timestamp
    reason: str = ""

    @property
    def evaluable(self) -> bool:
        return self.entry_day is not None


def call_timing(calendar: pd.DatetimeIndex, call_date: pd.Timestamp) -> CallTiming:
    """Entry = first session on or after ``call_date``; decision = the session before it."""
    end_day = calendar[-1]
    position = int(calendar.searchsorted(call_date))
    reason = ""
    if position == len(calendar):
        reason = (
            f"the data end on {end_day.date()}, before the call date {call_date.date()}: "
            "there is no out-of-sample period to evaluate"
        )
    elif position == 0:
        reason = (
            f"the data start on {calendar[0].date()}, too late to enter on "
            f"{calendar[0].date()} (a close before the entry is needed)"
        )
    if reason:
        return CallTiming(
            call_date=call_date, decision_day=None, entry_day=None, end_day=end_day, reason=reason
        )
    return CallTiming(
        call_date=call_date,
        decision_day=calendar[position - 1],
        entry_day=calendar[position],
        end_day=end_day,
    )


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
    uncertainty: CallUncertainty | None = None
    verdict: str = ""


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


def verdict_text(result: CallResult, labels: dict[str, str]) -> str:
    """One plain paragraph: what the call returned, against whom it won or lost, how sure."""
    timing = result.timing
    if not timing.evaluable:
        return f"The call cannot be evaluated: {timing.reason}."
    oos = result.out_of_sample
    call_id = oos.index[0]
    days = (timing.end_day - timing.entry_day).days
    own = oos.loc[call_id, "total_return"]
    parts = [
        f"Buying {result.ticker} at the open of {timing.entry_day.date()} (call dated "
        f"{timing.call_date.date()}) and holding to {timing.end_day.date()} ({days} days) "
        f"returned {own:+.1%}."
    ]
    beaten = [leg for leg in oos.index[1:] if oos.loc[leg, "excess_total_return"] > 0]
    lost = [leg for leg in oos.index[1:] if leg not in beaten]
    if beaten:
        parts.append(
            "It beat "
            + ", ".join(f"{labels[b]} by {oos.loc[b, 'excess_total_return']:.1%}" for b in beaten)
            + "."
        )
    if lost:
        parts.append(
            "It trailed "
            + ", ".join(f"{labels[b]} by {-oos.loc[b, 'excess_total_return']:.1%}" for b in lost)
            + "."
        )
    if result.uncertainty is not None:
        parts.extend(_uncertainty_sentences(result.uncertainty, labels))
    interval = result.excess_interval
    if not interval.empty:
        unclear = [
            leg
            for leg in interval.index
            if interval.loc[leg, "low"] < 0 < interval.loc[leg, "high"]
        ]
        first = interval.index[0]
        parts.append(
            f"Uncertainty: the mean daily excess return over {labels[first]}, times 252, is "
            f"{interval.loc[first, 'annual_excess']:+.1%} with a block-bootstrap interval of "
            f"{interval.loc[first, 'low']:+.1%} to {interval.loc[first, 'high']:+.1%}; "
            + (
                f"against {len(unclear)} of {len(interval)} benchmarks the interval includes "
                "zero, so over this short period the call's edge (or shortfall) is not "
                "distinguishable from luck."
                if unclear
                else "every interval excludes zero."
            )
        )
    return " ".join(parts)


def _uncertainty_sentences(uncertainty: CallUncertainty, labels: dict[str, str]) -> list[str]:
    """The band over the publication window and the base rate, against the first benchmark."""
    band = uncertainty.band
    if not band.benchmarks:
        return []
    first = band.benchmarks[0]
    ticker = band.ticker
    sentences = []
    stats = band.excess_stats[first]
    days = len(band.excess)
    if days > 1:
        sentences.append(
            f"Depending on the day a reader acted between {band.window[0].date()} and "
            f"{band.window[1].date()} ({days} entry days, {uncertainty.convention.description}), "
            f"{ticker}'s excess over {labels[first]} to {band.end.date()} ranged from "
            f"{stats.minimum:+.1%} to {stats.maximum:+.1%} (median {stats.median:+.1%})."
        )
    rate = uncertainty.base_rates.get(first)
    if rate is not None:
        sentences.append(
            f"Base rate ({uncertainty.convention.value} entries): of the {rate.n_windows} "
            "entry days since "
            f"{rate.history.index[0].date()} held for the same {rate.holding_days} trading days "
            f"(only {rate.n_non_overlapping} non-overlapping), {1 - rate.percentile:.0%} beat "
            f"{labels[first]} by more than the call's {rate.call_excess:+.1%}: the call sits at "
            f"the {rate.percentile:.0%} percentile of what buying {ticker} instead of "
            f"{labels[first]} on an arbitrary day delivered."
        )
    return sentences
