"""Putting several tickers on one trading calendar.

Policy: the run's calendar is the set of dates on which EVERY ticker of the run has a price,
between the requested start and end. The start therefore moves forward to the latest first
date among the tickers, and the end back to the earliest last date. A date that one ticker
lacks in the middle of the range (a halt, a gap in a file) is dropped for all tickers and
reported, never filled: a fill would invent a zero return.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.inputs.prices.frame import LoadedPrices


@dataclass(frozen=True, kw_only=True)
class AlignedPrices:
    """Price frames of several tickers on one shared calendar."""

    frames: dict[str, pd.DataFrame]
    calendar: pd.DatetimeIndex
    notes: tuple[str, ...]

    def close(self) -> pd.DataFrame:
        """Adjusted closes, one column per ticker."""
        return pd.DataFrame({t: f["Close"] for t, f in self.frames.items()})

    def open(self) -> pd.DataFrame:
        """Adjusted opens, one column per ticker."""
        return pd.DataFrame({t: f["Open"] for t, f in self.frames.items()})


def align_prices(
    loaded: dict[str, LoadedPrices], *, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> AlignedPrices:
    """Restrict every ticker to the common trading days within ``start``..``end`` (inclusive)."""
    if not loaded:
        raise BadInputError("The config names no ticker to load.")
    first = max(p.first_date for p in loaded.values())
    last = min(p.last_date for p in loaded.values())
    lo = max(first, start) if start is not None else first
    hi = min(last, end) if end is not None else last
    notes: list[str] = []
    if start is not None and lo > start:
        latest = max(loaded.values(), key=lambda p: p.first_date)
        notes.append(
            f"Start moved from {start.date()} to {lo.date()}: {latest.ticker}'s first price."
        )
    if (end is not None and hi < end) or (
        end is None and any(p.last_date > hi for p in loaded.values())
    ):
        earliest = min(loaded.values(), key=lambda p: p.last_date)
        notes.append(f"End is {hi.date()}: {earliest.ticker}'s last price; later rows are ignored.")
    if hi <= lo:
        raise BadInputError(
            f"The tickers share no trading days between {lo.date()} and {hi.date()}; "
            "check --start/--end and the tickers' price histories."
        )
    union = pd.DatetimeIndex([])
    calendar = None
    for prices in loaded.values():
        dates = prices.frame.loc[lo:hi].index
        union = union.union(dates)
        calendar = dates if calendar is None else calendar.intersection(dates)
    assert calendar is not None
    dropped = union.difference(calendar)
    if len(dropped):
        lacking = {t: len(union.difference(p.frame.loc[lo:hi].index)) for t, p in loaded.items()}
        who = ", ".join(f"{t} lacks {n}" for t, n in lacking.items() if n)
        notes.append(
            f"{len(dropped)} date(s) dropped because not every ticker has a price on them ({who})."
        )
    frames = {t: p.frame.loc[calendar] for t, p in loaded.items()}
    return AlignedPrices(
        frames=frames, calendar=pd.DatetimeIndex(calendar, name="Date"), notes=tuple(notes)
    )
