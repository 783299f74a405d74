"""The event day (day 0): the trading day whose return holds the market's reaction.

The event study measures how the market reacted, so day 0 is the session of the
announcement: the announcement date itself when the news came before the open, during the
session or at an unknown time of day, and the next session when it came after the close.
A date that is not a trading day (a Saturday report) moves to the next session.

Trading rules date the same event differently: they may act only once the news is surely
known, so a row of unknown time counts from the next day (``known_from``,
:mod:`catalystlab.core.pit`). The study keeps its windows' day 0 on the announcement and the
rules keep their known-at dating; an event of unknown time reacts on day 0 or day +1, which
the windows that start at day 0 (or -1) include.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def reaction_dates(events: pd.DataFrame) -> pd.Series:
    """The first calendar date whose session can hold each event's reaction: ``event_date``,
    or the day after it for an ``after_close`` announcement. Rows without ``event_date`` and
    ``timing`` columns fall back to ``known_from``."""
    if not {"event_date", "timing"} <= set(events.columns):
        return pd.to_datetime(events["known_from"])
    dates = pd.to_datetime(events["event_date"])
    after_close = (events["timing"] == "after_close").to_numpy()
    return dates.where(~after_close, dates + pd.Timedelta(days=1))


def event_positions(day_zero: pd.Series, calendar: pd.DatetimeIndex) -> np.ndarray:
    """Calendar position of each event's day 0, the first trading day on or after its
    ``day_zero`` date (:func:`reaction_dates`); -1 where it is missing or after the end.

    ``calendar`` holds the trading days, ascending.
    """
    dates = pd.to_datetime(day_zero).to_numpy(dtype="datetime64[ns]")
    positions = calendar.searchsorted(dates, side="left")
    unusable = np.isnat(dates) | (positions >= len(calendar))
    return np.where(unusable, -1, positions)
