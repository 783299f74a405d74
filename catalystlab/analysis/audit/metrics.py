"""Checks on fundamentals: a fiscal year's total of a metric, and its growth.

A fiscal year's total is the sum of its four quarters, found by their ``fiscal_period``
labels (``2024Q1``..``2024Q4``, or ``FY2025Q1``.. for companies whose year is not the
calendar year). Where a quarter has several rows (a restated value), the latest known one
counts. A year with a quarter missing cannot be measured: the check is then 'not in data'.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from catalystlab.analysis.audit.outcome import Outcome, meets, wording
from catalystlab.analysis.audit.schema import MetricGrowth, MetricTotal


def fiscal_year_quarters(
    fundamentals: pd.DataFrame, *, ticker: str, metric: str, fiscal_year: int
) -> pd.Series:
    """The year's quarter values (USD millions) indexed by label, latest known row per label."""
    pattern = re.compile(rf"^(FY)?{fiscal_year}Q[1-4]$")
    rows = fundamentals[
        (fundamentals["ticker"] == ticker)
        & (fundamentals["metric"] == metric)
        & fundamentals["fiscal_period"].astype(str).str.match(pattern)
        & fundamentals["value"].notna()
    ]
    rows = rows.sort_values("known_from", kind="stable").drop_duplicates(
        "fiscal_period", keep="last"
    )
    return rows.set_index("fiscal_period")["value"].sort_index().astype(float)


def measure_metric_total(check: MetricTotal, fundamentals: pd.DataFrame) -> Outcome:
    """Sum of the fiscal year's quarters vs the claimed total (USD millions)."""
    total, gap = _year_total(fundamentals, check, check.fiscal_year)
    name = _name(check)
    claimed = wording(check.comparison, _usd_m(check.claimed))
    if gap:
        return Outcome(
            measured=math.nan, claimed=check.claimed, unit="USD millions", met=None, detail=gap
        )
    return Outcome(
        measured=total,
        claimed=check.claimed,
        unit="USD millions",
        met=(meets(total, check.claimed, check.comparison, check.tolerance),),
        detail=f"{name} {check.fiscal_year}: {_usd_m(total)} over four quarters; "
        f"claimed {claimed}.",
    )


def measure_metric_growth(check: MetricGrowth, fundamentals: pd.DataFrame) -> Outcome:
    """Growth of the fiscal-year total over the previous year (fraction) vs the claimed
    growth, and the year's total vs ``claimed_total`` when the claim states one."""
    total, gap = _year_total(fundamentals, check, check.fiscal_year)
    before, gap_before = _year_total(fundamentals, check, check.fiscal_year - 1)
    if gap or gap_before:
        return Outcome(
            measured=math.nan,
            claimed=check.claimed,
            unit="fraction",
            met=None,
            detail=gap or gap_before,
        )
    if before <= 0:
        return Outcome(
            measured=math.nan,
            claimed=check.claimed,
            unit="fraction",
            met=None,
            detail=f"{_name(check)} {check.fiscal_year - 1} was {_usd_m(before)}: growth from "
            "a value that is not positive is not defined.",
        )
    growth = total / before - 1.0
    met = [meets(growth, check.claimed, check.comparison, check.tolerance)]
    claimed = wording(check.comparison, f"{check.claimed:+.1%}")
    if check.claimed_total is not None:
        met.append(meets(total, check.claimed_total, "about", check.total_tolerance))
        claimed += f" and {_usd_m(check.claimed_total)}"
    return Outcome(
        measured=growth,
        claimed=check.claimed,
        unit="fraction",
        met=tuple(met),
        detail=f"{_name(check)} {check.fiscal_year}: {_usd_m(total)} vs {_usd_m(before)} in "
        f"{check.fiscal_year - 1}, {growth:+.1%}; claimed {claimed}.",
    )


def _year_total(
    fundamentals: pd.DataFrame, check: MetricTotal | MetricGrowth, fiscal_year: int
) -> tuple[float, str]:
    """(total, '') or (NaN, a sentence saying which quarters are missing)."""
    quarters = fiscal_year_quarters(
        fundamentals, ticker=check.ticker, metric=check.metric, fiscal_year=fiscal_year
    )
    if len(quarters) == 4:
        return float(quarters.sum()), ""
    known = ", ".join(quarters.index) if len(quarters) else "none"
    return math.nan, (
        f"{_name(check)} {fiscal_year}: {len(quarters)} of 4 quarters in the data "
        f"(known: {known}), so the year's total cannot be measured."
    )


def _name(check: MetricTotal | MetricGrowth) -> str:
    return f"{check.ticker} {check.metric.replace('_', ' ')}"


def _usd_m(value: float) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}M"
