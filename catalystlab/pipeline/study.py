"""The run's event study: the configured events, the returns of their companies and market,
and the market-model study itself."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.analysis.eventstudy import EventStudyParams, EventStudyResult, run_event_study
from catalystlab.analysis.eventstudy.selection import select_events
from catalystlab.config import EventStudyConfig
from catalystlab.inputs.prices.frame import LoadedPrices


@dataclass(frozen=True, kw_only=True)
class EventStudyRun:
    """The study's result, the events it studied, and how many rows were merged away."""

    result: EventStudyResult
    events: pd.DataFrame
    merged: int
    settings: EventStudyConfig
    # Tickers of the study for which the events file holds no event of the studied kinds.
    without_events: tuple[str, ...] = ()


def study_events(
    settings: EventStudyConfig,
    *,
    events: pd.DataFrame,
    loaded: dict[str, LoadedPrices],
    seed: int,
) -> EventStudyRun:
    """Market-model event study of the configured events on close-to-close returns.

    The calendar is the market's trading days; a stock's return is NaN where it has no price.
    """
    chosen, merged = select_events(
        events, tickers=settings.tickers, kinds=settings.kinds, merge_days=settings.merge_days
    )
    market = loaded[settings.market].frame["Close"]
    calendar = market.index
    chosen = chosen[chosen["known_from"] <= calendar[-1]].reset_index(drop=True)
    stocks = pd.DataFrame(
        {
            t: loaded[t].frame["Close"].reindex(calendar).pct_change(fill_method=None)
            for t in settings.tickers
        }
    ).iloc[1:]
    params = EventStudyParams(
        estimation=settings.estimation,
        windows=settings.windows,
        placebo_draws=settings.placebo_draws,
    )
    result = run_event_study(stocks, market.pct_change().iloc[1:], chosen, seed=seed, params=params)
    listed = set(events.loc[events["kind"].isin(settings.kinds), "ticker"])
    return EventStudyRun(
        result=result,
        events=chosen,
        merged=merged,
        settings=settings,
        without_events=tuple(t for t in settings.tickers if t not in listed),
    )
