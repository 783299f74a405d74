"""Checks on fundamentals: a fiscal year's (or quarter's) total of a metric, and its growth.

A fiscal year's total is the sum of its four quarters, found by their ``fiscal_period``
labels (``2024Q1``..``2024Q4``, or ``FY2025Q1``.. for companies whose year is not the
calendar year); a check with ``fiscal_quarter`` takes that quarter alone. Where a quarter has
several rows (a restated value), the latest known one counts. A period with a quarter missing
cannot be measured: the check is then 'not in data'. ``operating_margin`` is not a stored
metric: it is the period's operating income over its revenue (fraction).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from catalystlab.analysis.audit.outcome import Outcome, meets, wording
from catalystlab.analysis.audit.schema import MetricGrowth, MetricTotal


def fiscal_year_quarters(
    fundamentals: pd.DataFrame,
    *,
    ticker: str,
    metric: str,
    fiscal_year: int,
    fiscal_quarter: int | None = None,
) -> pd.Series:
    """The year's quarter values (USD millions) indexed by label, latest known row per label;
    with ``fiscal_quarter``, that quarter's alone."""
    quarter = f"{fiscal_quarter}" if fiscal_quarter else "[1-4]"
    pattern = re.compile(rf"^(FY)?{fiscal_year}Q{quarter}$")
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


MARGIN = "operating_margin"


def measure_metric_total(check: MetricTotal, fundamentals: pd.DataFrame) -> Outcome:
    """The period's total (USD millions; a margin as a fraction) vs the claimed one."""
    total, gap = _period_value(fundamentals, check, check.fiscal_year)
    unit = "fraction" if check.metric == MARGIN else "USD millions"
    if gap:
        return Outcome(measured=math.nan, claimed=check.claimed, unit=unit, met=None, detail=gap)
    claimed = wording(check.comparison, _amount(check, check.claimed))
    how = "operating income over revenue" if check.metric == MARGIN else _over(check)
    return Outcome(
        measured=total,
        claimed=check.claimed,
        unit=unit,
        met=(meets(total, check.claimed, check.comparison, check.tolerance),),
        detail=f"{_name(check)} {_label(check, check.fiscal_year)}: {_amount(check, total)} "
        f"{how}; claimed {claimed}.",
    )


def measure_metric_growth(check: MetricGrowth, fundamentals: pd.DataFrame) -> Outcome:
    """Growth of the period's total over the same period a year before (fraction) vs the
    claimed growth, and the period's total vs ``claimed_total`` when the claim states one."""
    total, gap = _period_value(fundamentals, check, check.fiscal_year)
    before, gap_before = _period_value(fundamentals, check, check.fiscal_year - 1)
    if gap or gap_before:
        return Outcome(
            measured=math.nan,
            claimed=check.claimed,
            unit="fraction",
            met=None,
            detail=gap or gap_before,
        )
    earlier = _label(check, check.fiscal_year - 1)
    if before <= 0:
        return Outcome(
            measured=math.nan,
            claimed=check.claimed,
            unit="fraction",
            met=None,
            detail=f"{_name(check)} {earlier} was {_amount(check, before)}: growth from "
            "a value that is not positive is not defined.",
        )
    growth = total / before - 1.0
    met = [meets(growth, check.claimed, check.comparison, check.tolerance)]
    claimed = wording(check.comparison, f"{check.claimed:+.1%}")
    if check.claimed_total is not None:
        met.append(meets(total, check.claimed_total, "about", check.total_tolerance))
        claimed += f" and {_amount(check, check.claimed_total)}"
    return Outcome(
        measured=growth,
        claimed=check.claimed,
        unit="fraction",
        met=tuple(met),
        detail=f"{_name(check)} {_label(check, check.fiscal_year)}: {_amount(check, total)} vs "
        f"{_amount(check, before)} in {earlier}, {growth:+.1%}; claimed {claimed}.",
    )


def _period_value(
    fundamentals: pd.DataFrame, check: MetricTotal | MetricGrowth, fiscal_year: int
) -> tuple[float, str]:
    """(the period's value, '') or (NaN, a sentence saying what is missing)."""
    if check.metric != MARGIN:
        return _period_total(fundamentals, check, check.metric, fiscal_year)
    income, gap = _period_total(fundamentals, check, "operating_income", fiscal_year)
    revenue, gap_revenue = _period_total(fundamentals, check, "revenue", fiscal_year)
    if gap or gap_revenue:
        return math.nan, gap or gap_revenue
    if revenue <= 0:
        return math.nan, (
            f"{check.ticker} revenue {_label(check, fiscal_year)} was {_usd_m(revenue)}: a "
            "margin of revenue that is not positive is not defined."
        )
    return income / revenue, ""


def _period_total(
    fundamentals: pd.DataFrame, check: MetricTotal | MetricGrowth, metric: str, fiscal_year: int
) -> tuple[float, str]:
    """(total of ``metric`` over the period, '') or (NaN, which quarters are missing)."""
    quarters = fiscal_year_quarters(
        fundamentals,
        ticker=check.ticker,
        metric=metric,
        fiscal_year=fiscal_year,
        fiscal_quarter=check.fiscal_quarter,
    )
    needed = 1 if check.fiscal_quarter else 4
    if len(quarters) == needed:
        return float(quarters.sum()), ""
    known = ", ".join(quarters.index) if len(quarters) else "none"
    name = f"{check.ticker} {metric.replace('_', ' ')}"
    what = "the quarter's value" if check.fiscal_quarter else "the year's total"
    return math.nan, (
        f"{name} {_label(check, fiscal_year)}: {len(quarters)} of {needed} "
        f"quarter{'s' if needed > 1 else ''} in the data (known: {known}), so {what} cannot "
        "be measured."
    )


def _label(check: MetricTotal | MetricGrowth, fiscal_year: int) -> str:
    """'2024', or '2024Q2' for a quarter's check."""
    return f"{fiscal_year}Q{check.fiscal_quarter}" if check.fiscal_quarter else f"{fiscal_year}"


def _over(check: MetricTotal) -> str:
    return "in the quarter" if check.fiscal_quarter else "over four quarters"


def _amount(check: MetricTotal | MetricGrowth, value: float) -> str:
    return f"{value:.1%}" if check.metric == MARGIN else _usd_m(value)


def _name(check: MetricTotal | MetricGrowth) -> str:
    return f"{check.ticker} {check.metric.replace('_', ' ')}"


def _usd_m(value: float) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}M"
