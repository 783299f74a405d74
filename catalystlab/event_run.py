"""The run's event study: which events, which returns, and the market-model study itself."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.config import EventStudyConfig
from catalystlab.data.prices import LoadedPrices
from catalystlab.eventstudy import EventStudyParams, EventStudyResult, run_event_study


@dataclass(frozen=True, kw_only=True)
class EventStudyRun:
    """The study's result, the events it studied, and how many rows were merged away."""

    result: EventStudyResult
    events: pd.DataFrame
    merged: int
    settings: EventStudyConfig


def select_events(
    events: pd.DataFrame, *, tickers: tuple[str, ...], kinds: tuple[str, ...], merge_days: int
) -> tuple[pd.DataFrame, int]:
    """Events of ``tickers`` and ``kinds``, one per piece of news.

    An event of a company and kind less than ``merge_days`` calendar days after the last one
    counted (a press report, then the official statement) is the same news and is dropped;
    the first report stays, because that is when the market learned it. Returns the events
    kept (sorted by ``known_from``) and the number dropped.
    """
    chosen = events[events["ticker"].isin(tickers) & events["kind"].isin(kinds)]
    chosen = chosen.sort_values(["ticker", "kind", "event_date"])
    keep = []
    last: dict[tuple[str, str], pd.Timestamp] = {}
    for index, row in chosen.iterrows():
        key = (row["ticker"], row["kind"])
        previous = last.get(key)
        if previous is not None and (row["event_date"] - previous).days < merge_days:
            continue
        last[key] = row["event_date"]
        keep.append(index)
    kept = chosen.loc[keep].sort_values("known_from").reset_index(drop=True)
    return kept, len(chosen) - len(kept)


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
    return EventStudyRun(result=result, events=chosen, merged=merged, settings=settings)
