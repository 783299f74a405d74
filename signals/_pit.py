"""Point-in-time helpers shared by the built-in signals (not a signal module).

Two building blocks, both vectorised (no loop over the calendar):

- :func:`quarter_windows` turns the long fundamentals table into one row per ticker and
  *evaluation date* (a calendar date on which a new fiscal quarter became public) holding the
  values of the last ``window`` quarters as they were known on that date.
- :func:`event_holds` turns dated events into 0/1 holding windows on the trading calendar.

Timing: a row or event with ``known_from`` = d first counts on the first trading day >= d
(``calendar.searchsorted(d, side="left")``), at that day's close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

REPORTING_METRICS: tuple[str, ...] = ("revenue", "operating_income", "capex")
"""Metrics whose rows mark that a ticker has published a fiscal quarter (its reporting clock)."""

_NEVER = np.iinfo("int64").max  # a date that never comes, as int64 nanoseconds
_NO_DATE = np.iinfo("int64").min  # NaT as int64 nanoseconds


def ns(values) -> np.ndarray:
    """Datetime-like values (Series, Index, array, Timestamp list) as int64 nanoseconds."""
    return np.asarray(pd.DatetimeIndex(values).as_unit("ns").asi8, dtype="int64")


def quarter_ordinal(period_end: pd.Series) -> np.ndarray:
    """Integer id of each fiscal quarter: consecutive quarters of one company differ by 1.

    A period end is moved to its nearest month (+15 days) so that 52/53-week fiscal calendars
    (NVIDIA's quarters end on the last Sunday of a month, Jan 28, Apr 28, ...) keep one id per
    quarter; the id is the month number (since 1970) divided by 3, rounded down.
    """
    days = pd.DatetimeIndex(period_end).as_unit("ns").to_numpy().astype("datetime64[D]")
    months = (days + np.timedelta64(15, "D")).astype("datetime64[M]").astype("int64")
    return np.floor_divide(months, 3)


@dataclass(frozen=True)
class QuarterWindows:
    """Quarterly values of some metrics, as known on each evaluation date.

    ``keys`` has one row per (ticker, evaluation date): columns ``ticker``, ``as_of`` (the
    calendar date from whose close the row holds) and ``period_end`` (the end of the newest
    quarter the row is about; NaT when no quarter qualifies, see :func:`quarter_windows`).
    ``values[metric]`` is a float array of shape (len(keys), window): column k holds the value
    of the quarter k quarters before the newest one as known on ``as_of`` (USD millions), NaN
    when that quarter is missing or was not yet public.
    """

    keys: pd.DataFrame
    values: dict[str, np.ndarray]


def quarter_windows(
    fundamentals: pd.DataFrame, *, tickers: Sequence[str], metrics: Sequence[str], window: int
) -> QuarterWindows:
    """The last ``window`` quarters of ``metrics`` per ticker, re-read when a quarter is new.

    Rules (they are what the quarterly signals promise):

    - A quarter is *reported* from the earliest ``known_from`` of any of its rows in
      :data:`REPORTING_METRICS` or ``metrics`` (a row with a NaN value counts: the company has
      published the quarter, the value is missing).
    - A quarter is *complete* from the date rows of every metric in ``metrics`` are known.
    - Evaluation dates are the dates on which the newest reported quarter or the newest complete
      quarter advances, and only those: values change only when a new quarter becomes public.
      A restated value (a later row for the same quarter) is used from the next evaluation on.
    - On an evaluation date the window ends at the newest complete quarter, but only if it is
      also the newest reported one; otherwise (the company published a newer quarter without
      these metrics: a gap) ``period_end`` is NaT and every value is NaN, so no signal rests on
      stale numbers.
    - Values are the latest row with ``known_from`` <= the evaluation date and a non-NaN value.
    """
    metrics = list(dict.fromkeys(metrics))
    clock = metrics + [m for m in REPORTING_METRICS if m not in metrics]
    names = list(dict.fromkeys(tickers))
    ticker = pd.Index(names).get_indexer(fundamentals["ticker"])
    metric = pd.Index(clock).get_indexer(fundamentals["metric"])
    use = (
        (ticker >= 0)
        & (metric >= 0)
        & fundamentals["period_end"].notna().to_numpy()
        & fundamentals["known_from"].notna().to_numpy()
    )
    rows = fundamentals[use]
    ticker, metric = ticker[use], metric[use]
    quarter = quarter_ordinal(rows["period_end"])
    known = ns(rows["known_from"])
    if len(rows) == 0:
        return _empty_windows(metrics, window)
    first_quarter = int(quarter.min())
    quarter = quarter - first_quarter  # 0 .. span-1
    span = int(quarter.max()) + 1

    # first_known[t, m, q]: when a row of metric m of quarter q of ticker t was first public.
    first_known = np.full((len(names), len(clock), span), _NEVER, dtype="int64")
    np.minimum.at(first_known, (ticker, metric, quarter), known)
    reported = first_known.min(axis=1)
    complete = first_known[:, : len(metrics), :].max(axis=1)
    period_end = np.full((len(names), span), _NO_DATE, dtype="int64")
    np.maximum.at(period_end, (ticker, quarter), ns(rows["period_end"]))

    key_ticker, key_date, key_anchor = [], [], []
    for t in range(len(names)):
        dates, anchor = _evaluations(reported[t], complete[t])
        key_ticker.append(np.full(len(dates), t))
        key_date.append(dates)
        key_anchor.append(anchor)
    key_ticker = np.concatenate(key_ticker)
    key_date = np.concatenate(key_date)
    key_anchor = np.concatenate(key_anchor)

    values = _window_values(
        ticker=ticker,
        metric=metric,
        quarter=quarter,
        known=known,
        value=rows["value"].to_numpy(dtype="float64"),
        keys=(key_ticker, key_date, key_anchor),
        shape=(len(metrics), span, window),
    )
    ends = np.where(key_anchor >= 0, period_end[key_ticker, np.maximum(key_anchor, 0)], _NO_DATE)
    keys = pd.DataFrame(
        {
            "ticker": np.array(names, dtype=object)[key_ticker],
            "as_of": pd.DatetimeIndex(key_date.astype("datetime64[ns]")),
            "period_end": pd.DatetimeIndex(ends.astype("datetime64[ns]")),
        }
    )
    return QuarterWindows(keys=keys, values=dict(zip(metrics, values, strict=True)))


def _empty_windows(metrics: list[str], window: int) -> QuarterWindows:
    keys = pd.DataFrame(
        {
            "ticker": pd.Series(dtype=object),
            "as_of": pd.Series(dtype="datetime64[ns]"),
            "period_end": pd.Series(dtype="datetime64[ns]"),
        }
    )
    return QuarterWindows(keys=keys, values={m: np.empty((0, window)) for m in metrics})


def _running_max_at(dates: np.ndarray, quarters: np.ndarray, at: np.ndarray) -> np.ndarray:
    """max(quarters[dates <= t]) for each t in ``at`` (-1 when none); ``quarters`` are >= 0."""
    if len(dates) == 0:
        return np.full(len(at), -1, dtype="int64")
    order = np.argsort(dates, kind="stable")
    running = np.maximum.accumulate(quarters[order])
    position = np.searchsorted(dates[order], at, side="right") - 1
    return np.where(position >= 0, running[np.maximum(position, 0)], -1)


def _evaluations(reported: np.ndarray, complete: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Evaluation dates of one ticker and the quarter each window ends at (-1: none).

    ``reported[q]`` / ``complete[q]`` are the dates quarter q became reported / complete
    (``_NEVER`` when it never did).
    """
    reported_q = np.flatnonzero(reported != _NEVER)
    complete_q = np.flatnonzero(complete != _NEVER)
    dates = np.unique(np.concatenate([reported[reported_q], complete[complete_q]]))
    newest_reported = _running_max_at(reported[reported_q], reported_q, dates)
    newest_complete = _running_max_at(complete[complete_q], complete_q, dates)
    changed = np.ones(len(dates), dtype=bool)
    changed[1:] = (np.diff(newest_reported) != 0) | (np.diff(newest_complete) != 0)
    fresh = (newest_complete == newest_reported) & (newest_complete >= 0)
    anchor = np.where(fresh, newest_complete, -1)
    return dates[changed], anchor[changed]


def _window_values(
    *,
    ticker: np.ndarray,
    metric: np.ndarray,
    quarter: np.ndarray,
    known: np.ndarray,
    value: np.ndarray,
    keys: tuple[np.ndarray, np.ndarray, np.ndarray],
    shape: tuple[int, int, int],
) -> np.ndarray:
    """values[m, i, k]: quarter anchor_i - k of metric m as known on date_i (NaN if none).

    The row used is the last one (in ``known`` order, then input order) with a non-NaN value
    and ``known`` <= date_i among the rows of that ticker, metric and quarter.
    """
    n_metrics, span, window = shape
    key_ticker, key_date, key_anchor = keys
    out = np.full((n_metrics, len(key_date), window), np.nan)
    usable = (metric < n_metrics) & ~np.isnan(value)
    if not usable.any() or not (key_anchor >= 0).any():
        return out
    group = (ticker[usable] * n_metrics + metric[usable]) * span + quarter[usable]
    when, value = known[usable], value[usable]
    order = np.lexsort((np.arange(len(group)), when, group))
    group, when, value = group[order], when[order], value[order]

    i, m, k = np.meshgrid(
        np.flatnonzero(key_anchor >= 0), np.arange(n_metrics), np.arange(window), indexing="ij"
    )
    i, m, k = i.ravel(), m.ravel(), k.ravel()
    q = key_anchor[i] - k
    wanted = q >= 0
    i, m, k, q = i[wanted], m[wanted], k[wanted], q[wanted]
    wanted_group = (key_ticker[i] * n_metrics + m) * span + q
    # One sortable number per (group, date): dates replaced by their rank among all dates.
    calendar = np.unique(np.concatenate([when, key_date]))
    rank_rows = np.searchsorted(calendar, when)
    rank_wanted = np.searchsorted(calendar, key_date[i])
    stride = len(calendar)
    position = (
        np.searchsorted(group * stride + rank_rows, wanted_group * stride + rank_wanted, "right")
        - 1
    )
    hit = (position >= 0) & (group[np.maximum(position, 0)] == wanted_group)
    out[m[hit], i[hit], k[hit]] = value[position[hit]]
    return out


def step_on_calendar(
    keys: pd.DataFrame, values: np.ndarray, calendar: pd.DatetimeIndex, tickers: Sequence[str]
) -> pd.DataFrame:
    """Hold each ticker's ``values[i]`` from the first trading day >= ``keys.as_of[i]`` on.

    ``keys`` has columns ``ticker`` and ``as_of`` sorted by ``as_of`` within each ticker.
    Days before a ticker's first row get NaN. Returns a frame on ``calendar``, one column per
    ticker.
    """
    days = ns(calendar)
    out = np.full((len(days), len(tickers)), np.nan)
    ticker_of = keys["ticker"].to_numpy(dtype=object)
    as_of = ns(keys["as_of"])
    for j, ticker in enumerate(tickers):
        mine = np.flatnonzero(ticker_of == ticker)
        if len(mine) == 0:
            continue
        position = np.searchsorted(as_of[mine], days, side="right") - 1
        picked = values[mine][np.maximum(position, 0)]
        out[:, j] = np.where(position >= 0, picked, np.nan)
    return pd.DataFrame(out, index=calendar, columns=list(tickers))


def entry_sessions(known_from: pd.Series, calendar: pd.DatetimeIndex) -> np.ndarray:
    """Position on ``calendar`` (non-empty) of each event's entry session: the first trading
    day >= its ``known_from``, at whose close it first counts. An event known before the
    calendar's first day gets a position <= 0 that counts the missing trading days as weekdays
    (holidays before the calendar are unknown)."""
    kf = pd.DatetimeIndex(known_from)
    start = np.searchsorted(ns(calendar), ns(kf), side="left").astype("int64")
    before = start == 0
    if before.any():
        first_day = calendar[0].to_datetime64().astype("datetime64[D]")
        earlier = kf[before].to_numpy().astype("datetime64[D]")
        start[before] = -np.busday_count(earlier, first_day)
    return start


def event_holds(
    events: pd.DataFrame, calendar: pd.DatetimeIndex, tickers: Sequence[str], hold_days: int
) -> pd.DataFrame:
    """1.0 while a ticker holds after one of ``events``, else 0.0, on ``calendar``.

    An event enters at the close of its first trading day d0 >= ``known_from`` and is held at
    the close of d0 and of the next ``hold_days - 1`` trading days (``hold_days`` sessions in
    all). Overlapping holds merge: a second event extends the hold, it never stacks above 1.
    An event known before the calendar's first day keeps the part of its hold that reaches into
    the calendar (see :func:`entry_sessions`).
    """
    days = ns(calendar)
    out = np.zeros((len(days), len(tickers)))
    if len(days) == 0 or events.empty:
        return pd.DataFrame(out, index=calendar, columns=list(tickers))
    start = entry_sessions(events["known_from"], calendar)
    stop = np.minimum(start + hold_days, len(days))
    keep = stop > np.maximum(start, 0)
    ticker_of = events["ticker"].to_numpy(dtype=object)
    for j, ticker in enumerate(tickers):
        mine = keep & (ticker_of == ticker)
        if not mine.any():
            continue
        edges = np.zeros(len(days) + 1, dtype="int64")
        np.add.at(edges, np.maximum(start[mine], 0), 1)
        np.add.at(edges, stop[mine], -1)
        out[:, j] = (np.cumsum(edges[:-1]) > 0).astype("float64")
    return pd.DataFrame(out, index=calendar, columns=list(tickers))
