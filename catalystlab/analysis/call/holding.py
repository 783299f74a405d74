"""Entry prices and holding returns of one ticker or index under an entry convention.

Prices come in one of two shapes, both on the shared trading calendar:

- a price frame (columns ``Open`` and ``Close``, adjusted, total return), as
  ``AlignedPrices.frames`` holds for a ticker;
- a ``Series`` of a total-return index's value at each close, e.g. the engine's equity curve
  of an equal-weight basket. An index has no observable open: under ``next_open`` it is
  entered at its value at the close of the last session before D, i.e. as under
  ``prev_close``, so its return includes D's overnight gap. Results say so in their notes.
  Pass a frame with an ``Open`` column instead when the index's open is known.

A holding return is ``Close_exit / entry_price - 1``, a fraction (0.05 = 5%), not %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.call.conventions import (
    DEFAULT_CONVENTION,
    EntryConvention,
    parse_convention,
)
from catalystlab.analysis.call.sessions import DateLike, entry_session, exit_session
from catalystlab.core.errors import BadInputError

Priced = pd.DataFrame | pd.Series


@dataclass(frozen=True, kw_only=True)
class Quotes:
    """Closes and, where observable, opens of one ticker or index on a trading calendar.

    ``close`` and ``open`` are float arrays aligned with ``calendar``; NaN marks a day without
    a value (an index that starts later than the calendar). ``open`` is None for an index.
    """

    name: str
    calendar: pd.DatetimeIndex
    close: np.ndarray
    open: np.ndarray | None

    @classmethod
    def of(cls, name: str, prices: Priced, calendar: pd.DatetimeIndex | None = None) -> Quotes:
        """Quotes of ``prices`` (frame or index series) on ``calendar`` (default: its own dates).

        Every date of ``prices`` must be on ``calendar``; calendar days it lacks become NaN.
        """
        if isinstance(prices, pd.DataFrame):
            missing = [c for c in ("Open", "Close") if c not in prices.columns]
            if missing:
                raise ValueError(f"{name}: price frame lacks column(s) {', '.join(missing)}")
        elif not isinstance(prices, pd.Series):
            raise TypeError(f"{name}: expected a price frame or an index Series, not {prices!r}")
        if not isinstance(prices.index, pd.DatetimeIndex) or prices.index.tz is not None:
            raise ValueError(f"{name}: prices must be indexed by tz-naive trading dates")
        calendar = pd.DatetimeIndex(prices.index if calendar is None else calendar, name="Date")
        if not calendar.is_monotonic_increasing or calendar.has_duplicates:
            raise ValueError(f"{name}: the calendar must be ascending without duplicates")
        stray = prices.index.difference(calendar)
        if len(stray):
            raise ValueError(
                f"{name}: {len(stray)} date(s) off the shared calendar, first {stray[0].date()}; "
                "align the prices first"
            )
        on_calendar = prices.reindex(calendar)
        if isinstance(on_calendar, pd.DataFrame):
            close = _positive(on_calendar["Close"], name)
            opened = _positive(on_calendar["Open"], name)
        else:
            close, opened = _positive(on_calendar, name), None
        return cls(name=name, calendar=calendar, close=close, open=opened)

    @property
    def open_observed(self) -> bool:
        """False for an index series, whose ``next_open`` entry uses the previous close."""
        return self.open is not None

    def entry_prices(self, sessions: np.ndarray, convention: EntryConvention) -> np.ndarray:
        """Price paid for entry sessions ``sessions`` (positions); NaN where there is none."""
        sessions = np.asarray(sessions, dtype=np.int64)
        if convention.buys_at_open and self.open is not None:
            return self.open[sessions]
        source = sessions if convention is EntryConvention.CLOSE else sessions - 1
        prices = self.close[np.clip(source, 0, None)]
        return np.where(source >= 0, prices, np.nan)

    def holding_returns(
        self, entries: np.ndarray, exits: np.ndarray, convention: EntryConvention
    ) -> np.ndarray:
        """``Close_exit / entry_price - 1`` for paired entry and exit positions, fractions."""
        exits = np.asarray(exits, dtype=np.int64)
        return self.close[exits] / self.entry_prices(entries, convention) - 1.0

    def entry_note(self, convention: EntryConvention) -> str | None:
        """What a reader must know about this entry, or None when the price is as stated."""
        if convention.buys_at_open and not self.open_observed:
            return (
                f"{self.name} is an index without an observable open: under next_open it is "
                "entered at its close of the session before the entry day, so its return "
                "includes that day's overnight gap (the out-of-sample table, whose engine "
                "buys its stocks at that open, does not: its excess there differs)."
            )
        return None

    def require(self, values: np.ndarray, entries: np.ndarray, convention: EntryConvention) -> None:
        """BadInputError naming the entry days whose ``values`` are NaN (no price to use)."""
        bad = np.flatnonzero(np.isnan(values))
        if len(bad) == 0:
            return
        days = ", ".join(str(self.calendar[entries[i]].date()) for i in bad[:3])
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        raise BadInputError(
            f"{self.name} has no {convention.value} entry or exit price for entry day(s) "
            f"{days}{more}; load prices that start earlier or move the entry later."
        )


def entry_price(
    prices: Priced, day: DateLike, convention: str | EntryConvention = DEFAULT_CONVENTION
) -> float:
    """Price paid for entry day ``day`` (first trading day on or after it) under ``convention``."""
    convention = parse_convention(convention)
    quotes = Quotes.of(_name(prices), prices)
    sessions = np.array([entry_session(quotes.calendar, day)])
    values = quotes.entry_prices(sessions, convention)
    quotes.require(values, sessions, convention)
    return float(values[0])


def holding_return(
    prices: Priced,
    entry_day: DateLike,
    end: DateLike,
    convention: str | EntryConvention = DEFAULT_CONVENTION,
) -> float:
    """Return from entry on ``entry_day`` to the close of ``end`` (last trading day on or
    before it), a fraction; BadInputError when ``end`` comes before the entry session."""
    convention = parse_convention(convention)
    quotes = Quotes.of(_name(prices), prices)
    entry = entry_session(quotes.calendar, entry_day)
    exit_ = exit_session(quotes.calendar, end)
    check_order(quotes.calendar, entry, exit_, what="entry day")
    sessions = np.array([entry])
    values = quotes.holding_returns(sessions, np.array([exit_]), convention)
    quotes.require(values, sessions, convention)
    return float(values[0])


def check_order(calendar: pd.DatetimeIndex, last_entry: int, exit_: int, *, what: str) -> None:
    """BadInputError when the exit session comes before the (last) entry session ``what``."""
    if exit_ < last_entry:
        raise BadInputError(
            f"The evaluation end {calendar[exit_].date()} comes before the {what} "
            f"{calendar[last_entry].date()}; set the end on or after it."
        )


def quotes_on_calendar(
    prices: Mapping[str, Priced], ticker: str, benchmarks: Sequence[str]
) -> tuple[Quotes, list[Quotes]]:
    """Quotes of the call's ticker and of each benchmark, all on the ticker's calendar."""
    missing = [n for n in (ticker, *benchmarks) if n not in prices]
    if missing:
        raise BadInputError(
            f"No prices for {', '.join(missing)}; load them or drop them from the benchmarks."
        )
    if ticker in benchmarks or len(set(benchmarks)) < len(benchmarks):
        raise BadInputError(
            f"The benchmarks {', '.join(benchmarks)} repeat a name or the ticker {ticker}; "
            "list each benchmark once and not the call's own ticker."
        )
    main = Quotes.of(ticker, prices[ticker])
    return main, [Quotes.of(name, prices[name], main.calendar) for name in benchmarks]


def _name(prices: Priced) -> str:
    return str(prices.name) if isinstance(prices, pd.Series) and prices.name else "prices"


def _positive(values: pd.Series, name: str) -> np.ndarray:
    array = values.to_numpy(dtype="float64", na_value=np.nan)
    if (array <= 0).any() or np.isinf(array).any():
        raise BadInputError(
            f"{name} has a zero, negative or infinite price; returns need positive prices."
        )
    return array
