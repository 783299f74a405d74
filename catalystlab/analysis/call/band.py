"""The call's outcome for every entry day of a publication window, against each benchmark.

For every trading day D in ``[first, last]`` (inclusive) the ticker and each benchmark are
bought on D under one entry convention and sold at the close of one common evaluation end.
Excess return is the call's (:func:`catalystlab.analysis.call.stance.call_excess`): the
ticker's minus the benchmark's for a buy call, the benchmark's minus the ticker's for a sell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from catalystlab.analysis.call.conventions import (
    DEFAULT_CONVENTION,
    EntryConvention,
    parse_convention,
)
from catalystlab.analysis.call.holding import Priced, check_order, quotes_on_calendar
from catalystlab.analysis.call.sessions import DateLike, as_day, exit_session, window_sessions
from catalystlab.analysis.call.stance import Stance, call_excess, parse_stance
from catalystlab.core.jsonable import day, number

EXCESS_DEFINITION = Stance.BUY.excess_definition


@dataclass(frozen=True, kw_only=True)
class BandStats:
    """Min, median and max of one series over the window's entry days, fractions.

    The median of an even number of days is the mean of the two middle values; ``min_day``
    and ``max_day`` are the earliest entry days at which the extremes occur.
    """

    minimum: float
    median: float
    maximum: float
    min_day: pd.Timestamp
    max_day: pd.Timestamp

    @classmethod
    def of(cls, values: pd.Series) -> BandStats:
        """Statistics of ``values`` (indexed by entry day, no NaN)."""
        return cls(
            minimum=float(values.min()),
            median=float(values.median()),
            maximum=float(values.max()),
            min_day=pd.Timestamp(values.idxmin()),
            max_day=pd.Timestamp(values.idxmax()),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (fractions; ISO dates)."""
        return {
            "min": number(self.minimum),
            "median": number(self.median),
            "max": number(self.maximum),
            "min_day": day(self.min_day),
            "max_day": day(self.max_day),
        }


@dataclass(frozen=True, kw_only=True)
class WindowBand:
    """Holding returns by entry day (``returns``: the ticker's column, then each benchmark's)
    and the ticker's excess over each benchmark (``excess``), fractions, indexed by entry day.

    ``window`` is the window as requested, ``end`` the exit session (its close is the exit),
    ``notes`` what a reader must know about the entries (e.g. an index without an open).
    """

    ticker: str
    convention: EntryConvention
    window: tuple[pd.Timestamp, pd.Timestamp]
    end: pd.Timestamp
    returns: pd.DataFrame
    excess: pd.DataFrame
    notes: tuple[str, ...]
    stance: Stance = Stance.BUY

    @property
    def benchmarks(self) -> tuple[str, ...]:
        return tuple(self.excess.columns)

    @property
    def ticker_stats(self) -> BandStats:
        """Min / median / max of the ticker's own holding return over the entry days."""
        return BandStats.of(self.returns[self.ticker])

    @property
    def excess_stats(self) -> dict[str, BandStats]:
        """Min / median / max of the ticker's excess over each benchmark."""
        return {name: BandStats.of(self.excess[name]) for name in self.benchmarks}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary and the value of every entry day (fractions; ISO dates)."""
        days = self.returns.index
        return {
            "ticker": self.ticker,
            "benchmarks": list(self.benchmarks),
            "convention": self.convention.value,
            "convention_description": self.convention.description,
            "window": [day(self.window[0]), day(self.window[1])],
            "entry_days": {"first": day(days[0]), "last": day(days[-1]), "count": len(days)},
            "end": day(self.end),
            "stance": self.stance.value,
            "excess_definition": self.stance.excess_definition,
            "ticker_return": self.ticker_stats.to_dict(),
            "excess": {name: s.to_dict() for name, s in self.excess_stats.items()},
            "by_entry_day": [
                {
                    "entry_day": day(d),
                    "returns": {c: number(v) for c, v in self.returns.loc[d].items()},
                    "excess": {c: number(v) for c, v in self.excess.loc[d].items()},
                }
                for d in days
            ],
            "notes": list(self.notes),
        }


def window_band(
    prices: Mapping[str, Priced],
    *,
    ticker: str,
    benchmarks: Sequence[str],
    first: DateLike,
    last: DateLike,
    end: DateLike,
    convention: str | EntryConvention = DEFAULT_CONVENTION,
    stance: str | Stance = Stance.BUY,
) -> WindowBand:
    """The call's outcome for every trading day in ``[first, last]``, exit at ``end``'s close.

    ``prices`` maps names to price frames or index series (see :mod:`.holding`) on the
    ticker's calendar; ``end`` resolves to the last trading day on or before it. Raises
    BadInputError when the window is reversed, partly outside the prices, holds no trading
    day, or ends after ``end``.
    """
    convention = parse_convention(convention)
    stance = parse_stance(stance)
    main, others = quotes_on_calendar(prices, ticker, benchmarks)
    calendar = main.calendar
    lo, hi = window_sessions(calendar, first, last)
    exit_ = exit_session(calendar, end)
    check_order(calendar, hi, exit_, what="window's last trading day")
    entries = np.arange(lo, hi + 1)
    exits = np.full(len(entries), exit_)
    columns = {}
    for quotes in (main, *others):
        values = quotes.holding_returns(entries, exits, convention)
        quotes.require(values, entries, convention)
        columns[quotes.name] = values
    index = pd.DatetimeIndex(calendar[entries], name="entry_day")
    returns = pd.DataFrame(columns, index=index)
    excess = pd.DataFrame(
        {name: call_excess(stance, returns[ticker], returns[name]) for name in benchmarks},
        index=index,
    )
    notes = tuple(n for q in (main, *others) if (n := q.entry_note(convention)))
    return WindowBand(
        ticker=ticker,
        convention=convention,
        window=(as_day(first, what="window start"), as_day(last, what="window end")),
        end=calendar[exit_],
        returns=returns,
        excess=excess,
        notes=notes,
        stance=stance,
    )
