"""The daily excess of the portfolio of open calls: what following the caller earned each day.

For one horizon, every scored call is held from its entry to its exit: on the first day of
the holding its excess is the entry-to-close return of the stock minus the benchmark's
(stance-signed), on each later day the close-to-close one. Each day the portfolio holds the
calls open that day in equal weights (rebalanced daily), so its excess is the mean of their
daily excesses. Days with no open call are not part of the series. Dates are the union of the
pairs' calendars; each call's days are its own stock's sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.call.conventions import EntryConvention
from catalystlab.analysis.ledger.calls import CallGrid, Pair


@dataclass(frozen=True, kw_only=True)
class OpenCalls:
    """``excess``: the portfolio's daily excess (fraction) on each day with an open call;
    ``open_calls``: how many were open; ``first_day[i]``: the position in ``excess`` of the
    first holding day of the i-th selected call (``rows``)."""

    excess: pd.Series
    open_calls: pd.Series
    rows: np.ndarray
    first_day: np.ndarray


def open_call_portfolio(grid: CallGrid, column: int, rows: np.ndarray) -> OpenCalls:
    """The portfolio of the calls ``rows`` (scored at horizon ``column``)."""
    rows = rows[grid.scored[rows, column]]
    convention = grid.convention
    calendars = [grid.pairs[p].calendar.to_numpy() for p in set(grid.pair_of[rows])]
    days = pd.DatetimeIndex(np.unique(np.concatenate(calendars)) if calendars else [])
    total = np.zeros(len(days))
    count = np.zeros(len(days))
    first_date = np.empty(len(rows), dtype="datetime64[ns]")
    shift = 1 if convention is EntryConvention.CLOSE else 0
    for p in sorted(set(grid.pair_of[rows])):
        pair = grid.pairs[p]
        mine = np.flatnonzero(grid.pair_of[rows] == p)
        selected = rows[mine]
        start = grid.entry[selected] + shift
        stop = grid.exit[selected, column]
        live = stop >= start
        n = len(pair.calendar)
        close_t, close_b = pair.main.close, pair.bench.close
        daily = np.zeros(n)
        daily[1:] = (close_t[1:] / close_t[:-1]) - (close_b[1:] / close_b[:-1])
        signed = np.zeros(n + 1)
        held = np.zeros(n + 1)
        np.add.at(signed, start[live] + 1, grid.sign[selected][live])
        np.add.at(signed, stop[live] + 1, -grid.sign[selected][live])
        np.add.at(held, start[live], 1.0)
        np.add.at(held, stop[live] + 1, -1.0)
        contribution = np.cumsum(signed)[:n] * np.nan_to_num(daily)
        entry = grid.entry[selected]
        first = convention_first_day(pair, entry, np.minimum(start, n - 1), convention)
        np.add.at(contribution, start[live], grid.sign[selected][live] * first[live])
        where = days.get_indexer(pair.calendar)
        total[where] += contribution
        count[where] += np.cumsum(held)[:n]
        first_date[mine] = pair.calendar[np.minimum(start, n - 1)].to_numpy()
    kept = count > 0
    index = days[kept]
    return OpenCalls(
        excess=pd.Series(total[kept] / count[kept], index=index, name="excess"),
        open_calls=pd.Series(count[kept].astype(int), index=index, name="open_calls"),
        rows=rows,
        first_day=index.get_indexer(pd.DatetimeIndex(first_date)),
    )


def convention_first_day(
    pair: Pair, entry: np.ndarray, start: np.ndarray, convention: EntryConvention
) -> np.ndarray:
    """Excess (unsigned, stock minus benchmark) on each holding's first day ``start``: from
    the entry price to that day's close, for the stock and the benchmark."""
    stock = pair.main.close[start] / pair.main.entry_prices(entry, convention)
    if convention is EntryConvention.CLOSE:
        stock = pair.main.close[start] / pair.main.close[entry]
        bench = pair.bench.close[start] / pair.bench.close[entry]
    else:
        bench = pair.bench.close[start] / pair.bench.entry_prices(entry, convention)
    return stock - bench
