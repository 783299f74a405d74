"""Buy one ticker with all the capital at the first open and hold it to the end."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.core.tickers import parse_ticker
from strategies.base import ScheduleContext, empty_schedule, register_strategy


@dataclass(frozen=True, kw_only=True)
class BuyAndHoldParams:
    """``ticker``: the symbol to hold (decided at the first close, filled at the next open)."""

    ticker: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticker", parse_ticker(self.ticker))


@register_strategy(
    "buy_and_hold",
    params=BuyAndHoldParams,
    tickers=lambda p: (p.ticker,),
    summary="Invest everything in one ticker at the first open and hold.",
)
def buy_and_hold(context: ScheduleContext, params: BuyAndHoldParams) -> pd.DataFrame:
    schedule = empty_schedule(context.calendar, [params.ticker])
    schedule.iloc[0] = 1.0
    return schedule
