"""Which events an event study counts: one per piece of news."""

from __future__ import annotations

import pandas as pd


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
