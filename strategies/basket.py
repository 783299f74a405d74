"""A fixed-weight basket, rebalanced back to its weights on a calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from catalystlab.core.tickers import parse_ticker
from strategies.base import ScheduleContext, empty_schedule, register_strategy

_PERIOD = {"monthly": "M", "quarterly": "Q"}


@dataclass(frozen=True, kw_only=True)
class BasketParams:
    """``weights``: ticker -> fraction of portfolio value (positive, summing to at most 1;
    the rest stays in cash). ``rebalance``: back to the weights at the close of the last
    trading day of each month or quarter (filled at the next open), or never."""

    weights: dict[str, float]
    rebalance: Literal["monthly", "quarterly", "never"] = "monthly"

    def __post_init__(self) -> None:
        weights = {parse_ticker(t): float(w) for t, w in self.weights.items()}
        if not weights:
            raise ValueError("weights: name at least one ticker")
        if any(w <= 0 for w in weights.values()):
            raise ValueError("weights must be positive fractions")
        if sum(weights.values()) > 1 + 1e-9:
            raise ValueError(f"weights sum to {sum(weights.values()):.4f}; at most 1 allowed")
        object.__setattr__(self, "weights", weights)


def period_ends(calendar: pd.DatetimeIndex, period: str) -> pd.DatetimeIndex:
    """The last trading day of each month ("M") or quarter ("Q") in ``calendar``."""
    labels = calendar.to_period(period)
    last = pd.Series(calendar, index=calendar).groupby(labels).max()
    return pd.DatetimeIndex(last.to_numpy())


@register_strategy(
    "rebalanced_basket",
    params=BasketParams,
    tickers=lambda p: tuple(p.weights),
    summary="Hold fixed weights of several tickers, rebalanced monthly or quarterly.",
)
def rebalanced_basket(context: ScheduleContext, params: BasketParams) -> pd.DataFrame:
    schedule = empty_schedule(context.calendar, list(params.weights))
    row = pd.Series(params.weights)
    schedule.iloc[0] = row
    if params.rebalance != "never":
        schedule.loc[period_ends(context.calendar, _PERIOD[params.rebalance])] = row.to_numpy()
    return schedule
