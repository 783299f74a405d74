"""Fiscal-quarter labels from period-end dates, for companies with any fiscal-year end.

A period end is first moved to the nearest month end, so that 52/53-week calendars (NVIDIA's
quarters end on the last Sunday of a month, sometimes a few days into the next one) map to the
month they stand for. Labels follow the snapshot's convention: ``2024Q4`` for a company whose
fiscal year is the calendar year, ``FY2025Q1`` otherwise (the fiscal year is named after the
calendar year in which it ends: Microsoft's FY2025 ends in June 2025).
"""

from __future__ import annotations

import pandas as pd


def nearest_month_end(day: pd.Timestamp) -> pd.Timestamp:
    """The month end closest to ``day`` (2021-05-02 -> 2021-04-30; 2024-06-28 -> 2024-06-30)."""
    day = pd.Timestamp(day).normalize()
    previous = day - pd.offsets.MonthEnd(1) if not day.is_month_end else day
    following = day + pd.offsets.MonthEnd(0)
    return previous if day - previous <= following - day else following


def fiscal_quarter_label(period_end: pd.Timestamp, fiscal_year_end_month: int) -> str:
    """Label of the fiscal quarter ending ``period_end`` for a fiscal year ending in that month.

    ``fiscal_year_end_month`` is 1..12 (12: calendar year). Examples: (2024-12-31, 12) ->
    ``2024Q4``; (2024-09-30, 6) -> ``FY2025Q1``; (2025-01-26, 1) -> ``FY2025Q4``.
    """
    if not 1 <= fiscal_year_end_month <= 12:
        raise ValueError(f"fiscal_year_end_month must be 1..12, not {fiscal_year_end_month}")
    month_end = nearest_month_end(period_end)
    months_after_year_end = (month_end.month - fiscal_year_end_month) % 12
    quarter = months_after_year_end // 3 or 4
    year = month_end.year + (1 if month_end.month > fiscal_year_end_month else 0)
    prefix = "" if fiscal_year_end_month == 12 else "FY"
    return f"{prefix}{year}Q{quarter}"


def fiscal_year_end_month(quarter_ends: pd.Series, labels: pd.Series) -> int | None:
    """The fiscal-year end month implied by labelled quarters (``...Q1`` .. ``...Q4``).

    A quarter ``Qn`` ending in month m implies a year ending 3*(4-n) months later; the most
    common answer wins. None when no label ends in a quarter number.
    """
    quarter = pd.to_numeric(labels.astype(str).str.extract(r"Q([1-4])$")[0], errors="coerce")
    known = quarter.notna().to_numpy()
    if not known.any():
        return None
    months = [
        (nearest_month_end(day).month + 3 * (4 - int(q)) - 1) % 12 + 1
        for day, q in zip(pd.Series(quarter_ends)[known], quarter[known], strict=True)
    ]
    return int(pd.Series(months).value_counts().idxmax())
