"""Calendar dates to positions on the shared trading calendar, with the user-facing checks.

A calendar is an ascending, tz-naive ``DatetimeIndex`` of trading days. Positions are integer
offsets into it. Every function here raises BadInputError (exit 2) with one sentence naming
the problem and its fix when a date falls outside the data.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from catalystlab.core.errors import BadInputError

DateLike = str | dt.date | pd.Timestamp


def as_day(value: DateLike, *, what: str) -> pd.Timestamp:
    """``value`` as a tz-naive midnight Timestamp; ``what`` names it in the error message."""
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise BadInputError(f"{what} {value!r} is not a date; write it as YYYY-MM-DD.")
    if day.tz is not None:
        day = day.tz_localize(None)
    return day.normalize()


def entry_session(calendar: pd.DatetimeIndex, day: DateLike, *, what: str = "entry day") -> int:
    """Position of the first trading day on or after ``day``."""
    day = as_day(day, what=what)
    _inside(calendar, day, what=what)
    return int(calendar.searchsorted(day, side="left"))


def exit_session(calendar: pd.DatetimeIndex, end: DateLike, *, what: str = "end") -> int:
    """Position of the last trading day on or before ``end`` (the exit is at its close)."""
    end = as_day(end, what=what)
    _inside(calendar, end, what=what)
    return int(calendar.searchsorted(end, side="right")) - 1


def window_sessions(calendar: pd.DatetimeIndex, first: DateLike, last: DateLike) -> tuple[int, int]:
    """Positions of the first and last trading day in ``[first, last]`` (both inclusive)."""
    first = as_day(first, what="window start")
    last = as_day(last, what="window end")
    if first > last:
        raise BadInputError(
            f"The window [{first.date()}, {last.date()}] is reversed; give its earlier date first."
        )
    if first < calendar[0] or last > calendar[-1]:
        raise BadInputError(
            f"The window [{first.date()}, {last.date()}] lies partly outside the prices "
            f"({calendar[0].date()} to {calendar[-1].date()}); narrow the window or load prices "
            "that cover it."
        )
    lo = int(calendar.searchsorted(first, side="left"))
    hi = int(calendar.searchsorted(last, side="right")) - 1
    if hi < lo:
        days = " to ".join(dict.fromkeys(f"{d:%A} {d.date()}" for d in (first, last)))
        raise BadInputError(
            f"The call's date or window ({days}) holds no trading day: the market was closed "
            f"(a weekend or holiday). Give the session it became public for, e.g. the next one, "
            f"{calendar[lo].date()}, as the call's date, or a window that includes a session."
        )
    return lo, hi


def _inside(calendar: pd.DatetimeIndex, day: pd.Timestamp, *, what: str) -> None:
    if len(calendar) == 0:
        raise BadInputError(f"There are no prices to evaluate the {what} {day.date()} on.")
    if day < calendar[0] or day > calendar[-1]:
        raise BadInputError(
            f"The {what} {day.date()} lies outside the prices ({calendar[0].date()} to "
            f"{calendar[-1].date()}); pick a date inside them or load prices that cover it."
        )
