"""``margin``: long while the trailing-four-quarter operating margin is expanding.

From the fundamentals metrics ``revenue`` and ``operating_income`` (quarter values, USD m):

- T4Q operating margin of quarter Q = sum of operating income of Q-3..Q / sum of revenue of
  Q-3..Q (fraction);
- ``margin_change`` = T4Q margin of Q minus T4Q margin of Q-4 (percentage points as a fraction:
  0.02 = 2pp);
- ``income_growth`` = T4Q operating income of Q / T4Q operating income of Q-4 - 1 (fraction;
  divided by the absolute value of the earlier sum, so that a loss turning into a smaller loss
  or a profit counts as growth).

Both need eight consecutive quarters; a missing quarter anywhere in them (a gap, or a quarter
published without these metrics) leaves the measure missing until eight consecutive quarters
are known again. The measure is re-read only on the day a new quarter becomes public (see
:func:`signals._pit.quarter_windows`), so the exposure changes only on those days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from catalystlab.core.pit import SignalInputs
from signals._pit import quarter_windows, step_on_calendar
from signals.base import DataNeed, register_signal

METRICS: tuple[str, ...] = ("revenue", "operating_income")
MEASURES: tuple[str, ...] = ("margin_change", "income_growth")


@dataclass(frozen=True)
class MarginParams:
    """Parameters of ``margin``.

    measure: ``"margin_change"`` (YoY change of the T4Q operating margin, fraction: 0.02 = 2pp)
        or ``"income_growth"`` (YoY growth of T4Q operating income, fraction: 0.25 = +25%).
    threshold: long when the measure is strictly above it; same unit as the measure. Range
        -1 < threshold < 1 for margin_change, -1 <= threshold <= 5 for income_growth.
    off_exposure: exposure (fraction of equity, 0..1) when the measure is at or below the
        threshold.
    missing_exposure: exposure (0..1) while there is no measure: fewer than eight consecutive
        quarters known, or a gap among the last eight.
    """

    measure: Literal["margin_change", "income_growth"] = "margin_change"
    threshold: float = 0.0
    off_exposure: float = 0.0
    missing_exposure: float = 0.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.threshold):
            raise ValueError(f"threshold must be a finite number, got {self.threshold}")
        if self.measure == "margin_change" and not -1 < self.threshold < 1:
            raise ValueError(
                f"threshold {self.threshold} is out of range for margin_change: it is a fraction "
                "of revenue (0.02 = 2 percentage points), so it must lie strictly between -1 and 1"
            )
        if self.measure == "income_growth" and not -1 <= self.threshold <= 5:
            raise ValueError(
                f"threshold {self.threshold} is out of range for income_growth: it is a fraction "
                "(0.25 = +25%) between -1 and 5"
            )
        for name in ("off_exposure", "missing_exposure"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must lie in [0, 1], got {value}")


def margin_measures(inputs: SignalInputs, tickers: Sequence[str]) -> pd.DataFrame:
    """The margin measures of each ticker on each date a new quarter became public.

    Columns: ``ticker``, ``as_of`` (the row holds from the close of the first trading day on or
    after it), ``period_end`` (newest quarter; NaT when the newest published quarter lacks
    revenue or operating income), ``t4q_revenue`` and ``t4q_operating_income`` (USD m),
    ``t4q_margin``, ``margin_change`` and ``income_growth`` (fractions; NaN when not computable).
    """
    windows = quarter_windows(inputs.fundamentals, tickers=tickers, metrics=METRICS, window=8)
    revenue = windows.values["revenue"]
    income = windows.values["operating_income"]
    revenue_now, revenue_before = revenue[:, 0:4].sum(axis=1), revenue[:, 4:8].sum(axis=1)
    income_now, income_before = income[:, 0:4].sum(axis=1), income[:, 4:8].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin_now = np.where(revenue_now > 0, income_now / revenue_now, np.nan)
        margin_before = np.where(revenue_before > 0, income_before / revenue_before, np.nan)
        growth = np.where(
            income_before != 0, (income_now - income_before) / np.abs(income_before), np.nan
        )
    measures = windows.keys.copy()
    measures["t4q_revenue"] = revenue_now
    measures["t4q_operating_income"] = income_now
    measures["t4q_margin"] = margin_now
    measures["margin_change"] = margin_now - margin_before
    measures["income_growth"] = growth
    return measures


def margin_needs(params: MarginParams) -> tuple[tuple[DataNeed, ...], ...]:
    """Operating income, and revenue for the margin change."""
    metrics = METRICS if params.measure == "margin_change" else ("operating_income",)
    return tuple((DataNeed("fundamentals", metric),) for metric in metrics)


@register_signal(
    "margin",
    params=MarginParams,
    summary="Long while the trailing-4-quarter operating margin (or income) grows year over year",
    needs=margin_needs,
)
def margin(inputs: SignalInputs, params: MarginParams, tickers: list[str]) -> pd.DataFrame:
    """Exposure 1 while the chosen measure exceeds ``threshold``, ``off_exposure`` when not,
    ``missing_exposure`` without a measure; decided on the close of each trading day from the
    quarters public by then."""
    measures = margin_measures(inputs, tickers)
    value = measures[params.measure].to_numpy(dtype="float64")
    exposure = np.where(
        np.isnan(value),
        params.missing_exposure,
        np.where(value > params.threshold, 1.0, params.off_exposure),
    )
    daily = step_on_calendar(measures, exposure, inputs.calendar, tickers)
    return daily.fillna(params.missing_exposure)
