"""The event day: the first trading day on whose close an event could be traded.

An event row's ``known_from`` (see :mod:`catalystlab.core.pit`) is the first calendar date at
whose close it may be used; the event day is the first trading day on or after it. A report
published during Monday's session has event day Monday (day 0's return, Friday close to
Monday close, holds the reaction); one published after Friday's close has ``known_from``
Saturday and event day Monday.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def event_positions(known_from: pd.Series, calendar: pd.DatetimeIndex) -> np.ndarray:
    """Calendar position of each event day; -1 where ``known_from`` is missing or after the end.

    ``calendar`` holds the trading days, ascending.
    """
    dates = pd.to_datetime(known_from).to_numpy(dtype="datetime64[ns]")
    positions = calendar.searchsorted(dates, side="left")
    unusable = np.isnat(dates) | (positions >= len(calendar))
    return np.where(unusable, -1, positions)
