"""Base rate: how unusual is the call's excess return among every same-length holding before it?

For a call entered on day D (session position ``e``) and exited at the close of session
``x``, the holding length is ``x - e`` trading days. Every trading day ``s`` on or after the
history start is a possible start day: the ticker and the benchmark are entered on ``s``
under the call's own convention and sold at the close of ``s + (x - e)``. Only windows whose
exit close comes strictly before the call's entry price are used (the last session before D
for ``next_open`` and ``close``; the one before that for ``prev_close``, whose entry is D-1's
close), so no window sees a price from the call's own holding period.

Consecutive windows overlap heavily; ``BaseRate.caveat`` says how much.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from catalystlab.analysis.call.conventions import (
    DEFAULT_CONVENTION,
    EntryConvention,
    parse_convention,
)
from catalystlab.analysis.call.holding import Priced, Quotes, check_order, quotes_on_calendar
from catalystlab.analysis.call.sessions import DateLike, as_day, entry_session, exit_session
from catalystlab.analysis.call.stance import Stance, call_excess, parse_stance
from catalystlab.core.errors import BadInputError
from catalystlab.core.jsonable import day, number

DEFAULT_HISTORY_START = pd.Timestamp("2010-01-01")
PERCENTILE_DEFINITION = (
    "Percentile = fraction of historical windows whose excess is at or below the call's "
    "(ties count as at or below); 1 - percentile is the fraction that did strictly better."
)


def percentile_of(value: float, sample: np.ndarray | pd.Series) -> float:
    """Fraction of ``sample`` at or below ``value`` (ties count), in [0, 1]."""
    sample = np.asarray(sample, dtype="float64")
    if sample.size == 0 or np.isnan(sample).any() or np.isnan(value):
        raise ValueError("percentile_of needs a non-empty sample and values without NaN")
    return float(np.count_nonzero(sample <= value) / sample.size)


def holding_stride(holding_days: int, convention: EntryConvention) -> int:
    """Start days from one window to the next whose holding period does not overlap it.

    A window entered at a close (``close``) and one entered at that same close later do not
    overlap; an entry at an open or at the previous close needs one session more.
    """
    extra = 0 if convention is EntryConvention.CLOSE else 1
    return max(holding_days + extra, 1)


def non_overlapping_count(n_windows: int, stride: int) -> int:
    """Most windows with pairwise disjoint holding periods among ``n_windows`` consecutive
    start days, ``stride`` start days apart: ceil(n_windows / stride)."""
    return -(-n_windows // stride)


@dataclass(frozen=True, kw_only=True)
class BaseRate:
    """The call's excess return and the distribution of historical same-length excesses.

    ``entry_day`` and ``end`` are the call's entry and exit sessions; ``holding_days`` the
    trading days between them; returns and excesses are fractions. ``history`` is the excess
    of every historical window, indexed by its start (entry) day.
    """

    ticker: str
    benchmark: str
    convention: EntryConvention
    entry_day: pd.Timestamp
    end: pd.Timestamp
    holding_days: int
    ticker_return: float
    benchmark_return: float
    history: pd.Series
    history_start: pd.Timestamp
    notes: tuple[str, ...]
    stance: Stance = Stance.BUY

    @property
    def call_excess(self) -> float:
        """The call's excess under its stance (see :mod:`.stance`), fraction."""
        return call_excess(self.stance, self.ticker_return, self.benchmark_return)

    @property
    def percentile(self) -> float:
        """See ``PERCENTILE_DEFINITION``."""
        return percentile_of(self.call_excess, self.history.to_numpy())

    @property
    def n_windows(self) -> int:
        return len(self.history)

    @property
    def n_non_overlapping(self) -> int:
        """Windows with disjoint holding periods: the honest order of the sample size."""
        stride = holding_stride(self.holding_days, self.convention)
        return non_overlapping_count(self.n_windows, stride)

    @property
    def caveat(self) -> str:
        """The overlapping-window caveat, one paragraph for reports."""
        n, m = self.n_windows, self.n_non_overlapping
        span = f"{self.history.index[0].date()} to {self.history.index[-1].date()}"
        if m == n:
            return f"The {n} historical windows (start days {span}) do not overlap."
        return (
            f"The {n} historical windows (start days {span}) overlap: windows starting a "
            f"session apart share all but one day of their {self.holding_days}-trading-day "
            f"holding period, so neighbours are nearly the same outcome. Only {m} of them are "
            "non-overlapping, which is closer to the effective sample size: read the "
            f"percentile as a description of history, not as a test on {n} independent draws."
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (fractions; ISO dates); the full history stays in ``history``."""
        quantiles = self.history.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
        return {
            "ticker": self.ticker,
            "benchmark": self.benchmark,
            "convention": self.convention.value,
            "entry_day": day(self.entry_day),
            "end": day(self.end),
            "holding_days": self.holding_days,
            "ticker_return": number(self.ticker_return),
            "benchmark_return": number(self.benchmark_return),
            "call_excess": number(self.call_excess),
            "stance": self.stance.value,
            "excess_definition": self.stance.excess_definition,
            "percentile": number(self.percentile),
            "percentile_definition": PERCENTILE_DEFINITION,
            "n_windows": self.n_windows,
            "n_non_overlapping": self.n_non_overlapping,
            "history_start": day(self.history_start),
            "first_start": day(self.history.index[0]),
            "last_start": day(self.history.index[-1]),
            "distribution": dict(
                zip(("min", "p25", "median", "p75", "max"), map(number, quantiles), strict=True)
            )
            | {"mean": number(self.history.mean())},
            "caveat": self.caveat,
            "notes": list(self.notes),
        }


def base_rate(
    prices: Mapping[str, Priced],
    *,
    ticker: str,
    benchmark: str,
    entry_day: DateLike,
    end: DateLike,
    convention: str | EntryConvention = DEFAULT_CONVENTION,
    history_start: DateLike = DEFAULT_HISTORY_START,
    stance: str | Stance = Stance.BUY,
) -> BaseRate:
    """Base rate of the call entered on ``entry_day`` (first trading day on or after it) and
    sold at the close of ``end`` (last trading day on or before it); see the module docstring.

    ``prices`` maps names to price frames or index series on the ticker's calendar.
    """
    convention = parse_convention(convention)
    main, (bench,) = quotes_on_calendar(prices, ticker, [benchmark])
    calendar = main.calendar
    entry = entry_session(calendar, entry_day)
    exit_ = exit_session(calendar, end)
    check_order(calendar, entry, exit_, what="entry day")
    notes = []
    requested = as_day(entry_day, what="entry day")
    if calendar[entry] != requested:
        notes.append(
            f"{requested.date()} is not a trading day; the entry day is the next session, "
            f"{calendar[entry].date()}."
        )
    return session_base_rate(
        main,
        bench,
        entry=entry,
        exit_=exit_,
        convention=convention,
        history_start=as_day(history_start, what="history start"),
        notes=tuple(notes),
        stance=parse_stance(stance),
    )


def session_base_rate(
    main: Quotes,
    bench: Quotes,
    *,
    entry: int,
    exit_: int,
    convention: EntryConvention,
    history_start: pd.Timestamp,
    notes: tuple[str, ...] = (),
    stance: Stance = Stance.BUY,
) -> BaseRate:
    """``base_rate`` on quotes and calendar positions already resolved (``entry <= exit_``)."""
    calendar = main.calendar
    call = np.array([entry])
    ticker_return = main.holding_returns(call, np.array([exit_]), convention)
    benchmark_return = bench.holding_returns(call, np.array([exit_]), convention)
    main.require(ticker_return, call, convention)
    bench.require(benchmark_return, call, convention)
    if history_start >= calendar[entry]:
        raise BadInputError(
            f"The base-rate history start {history_start.date()} is not before the entry day "
            f"{calendar[entry].date()}; start it earlier (default "
            f"{DEFAULT_HISTORY_START.date()})."
        )
    holding = exit_ - entry
    last_exit = entry + convention.session_offset - 1
    starts = np.arange(int(calendar.searchsorted(history_start)), last_exit - holding + 1)
    excess = call_excess(
        stance,
        main.holding_returns(starts, starts + holding, convention),
        bench.holding_returns(starts, starts + holding, convention),
    )
    kept = ~np.isnan(excess)
    if not kept.any():
        raise BadInputError(
            f"No complete {holding}-trading-day window of {main.name} and {bench.name} fits "
            f"between {history_start.date()} and the entry day {calendar[entry].date()}; move "
            "the history start earlier or shorten the holding period."
        )
    notes = list(notes) + [n for q in (main, bench) if (n := q.entry_note(convention))]
    if history_start < calendar[0]:
        notes.append(
            f"The prices begin {calendar[0].date()}, after the requested history start "
            f"{history_start.date()}; the history starts there."
        )
    if not kept.all():
        notes.append(
            f"{int((~kept).sum())} start day(s) lack a price of {main.name} or {bench.name} "
            "and are left out."
        )
    history = pd.Series(
        excess[kept],
        index=pd.DatetimeIndex(calendar[starts[kept]], name="start_day"),
        name="excess",
    )
    return BaseRate(
        ticker=main.name,
        benchmark=bench.name,
        convention=convention,
        entry_day=calendar[entry],
        end=calendar[exit_],
        holding_days=holding,
        ticker_return=float(ticker_return[0]),
        benchmark_return=float(benchmark_return[0]),
        history=history,
        history_start=history_start,
        notes=tuple(notes),
        stance=stance,
    )
