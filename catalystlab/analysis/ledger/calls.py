"""Every call of a ledger at every horizon: entry and exit sessions, the stock's and the
benchmark's holding returns, the stance-signed excess, hit or miss, and the base-rate
percentile, as (calls, horizons) arrays.

Prices, entry conventions and holding returns are those of the single-call test
(:mod:`catalystlab.analysis.call`): each call is evaluated on its stock's own trading calendar,
the benchmark reindexed to it, both cut at the pair's last common date (the "data end"). A
call entered on day D (the first session on or after its date) under convention ``c`` is
sold at the close of the last session on or before D + N calendar months; a horizon whose
target lies after the data end is open (reported, never scored). A call dated before the
stock's first price or after the data end is not evaluable (with the reason), never scored as
if bought on another day. The "end" holding runs to the
data end, marked to market, as the run command's out-of-sample period does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.call.conventions import EntryConvention
from catalystlab.analysis.call.holding import Quotes, quotes_on_calendar
from catalystlab.analysis.ledger.stance import signed_excess, stance_sign
from catalystlab.inputs.ledger import LedgerCall

SCORED, OPEN, NOT_ASKED, NOT_EVALUABLE = "scored", "open", "not asked", "not evaluable"


@dataclass(frozen=True, kw_only=True)
class Pair:
    """A called stock and its benchmark on the stock's calendar, up to their data end."""

    ticker: str
    benchmark: str
    main: Quotes
    bench: Quotes

    @property
    def calendar(self) -> pd.DatetimeIndex:
        return self.main.calendar

    def returns(
        self, entries: np.ndarray, exits: np.ndarray, convention: EntryConvention
    ) -> tuple[np.ndarray, np.ndarray]:
        """Holding returns of the stock and of the benchmark (fractions, same shape)."""
        return (
            self.main.holding_returns(entries, exits, convention),
            self.bench.holding_returns(entries, exits, convention),
        )

    def first_entry(self, convention: EntryConvention, history_start: pd.Timestamp) -> int:
        """The first session on or after ``history_start`` at which both have an entry price."""
        sessions = np.arange(len(self.calendar))
        priced = ~np.isnan(self.main.entry_prices(sessions, convention)) & ~np.isnan(
            self.bench.entry_prices(sessions, convention)
        )
        priced &= sessions >= int(self.calendar.searchsorted(history_start))
        found = np.flatnonzero(priced)
        return int(found[0]) if len(found) else len(self.calendar)


def make_pair(prices: Mapping[str, pd.DataFrame], ticker: str, benchmark: str) -> Pair:
    """The pair on ``ticker``'s calendar cut at the last date both have (as the run command
    puts a call's benchmarks on the called ticker's calendar)."""
    end = min(prices[ticker].index[-1], prices[benchmark].index[-1])
    own = prices[ticker].loc[:end]
    other = prices[benchmark]
    priced = {ticker: own, benchmark: other.loc[other.index.isin(own.index)]}
    main, (bench,) = quotes_on_calendar(priced, ticker, [benchmark])
    return Pair(ticker=ticker, benchmark=benchmark, main=main, bench=bench)


@dataclass(frozen=True, kw_only=True)
class CallGrid:
    """The ledger's calls (rows) at its horizons (columns, months ascending).

    ``entry`` is each call's entry session on its pair's calendar (-1 when not evaluable,
    ``reason`` says why); ``exit`` the exit session per horizon (-1 unless scored);
    ``stock``, ``benchmark`` and ``excess`` are holding returns and the stance-signed excess
    (fractions, NaN unless scored); ``percentile`` the base-rate percentile of the excess
    among same-length holdings of the same stock entered on earlier days (NaN when there is
    too little history). ``end_*`` hold the same to the data end (marked to market).
    """

    calls: tuple[LedgerCall, ...]
    horizons: tuple[int, ...]
    convention: EntryConvention
    history_start: pd.Timestamp
    pairs: tuple[Pair, ...]
    pair_of: np.ndarray
    sign: np.ndarray
    entry: np.ndarray
    reason: tuple[str, ...]
    status: np.ndarray
    exit: np.ndarray
    stock: np.ndarray
    benchmark: np.ndarray
    excess: np.ndarray
    percentile: np.ndarray
    end_exit: np.ndarray
    end_stock: np.ndarray
    end_benchmark: np.ndarray
    end_excess: np.ndarray
    end_percentile: np.ndarray

    @property
    def scored(self) -> np.ndarray:
        """(calls, horizons) mask of the scored cells."""
        return self.status == SCORED

    @property
    def hit(self) -> np.ndarray:
        """(calls, horizons) hit where scored: the excess is above zero."""
        return self.scored & (np.nan_to_num(self.excess, nan=-1.0) > 0)

    def holding_days(self) -> np.ndarray:
        """(calls, horizons) trading days from entry session to exit session, -1 unless scored."""
        return np.where(self.scored, self.exit - self.entry[:, None], -1)


def evaluate_calls(
    calls: Sequence[LedgerCall],
    prices: Mapping[str, pd.DataFrame],
    *,
    default_benchmark: str,
    default_horizons: Sequence[int],
    convention: EntryConvention,
    history_start: pd.Timestamp,
    unavailable: Mapping[str, str] | None = None,
) -> CallGrid:
    """Evaluate every call (see the module docstring). ``prices`` maps tickers to price
    frames (Open, Close, ...) indexed by tz-naive dates; ``unavailable`` maps tickers that
    could not be loaded to the reason, and their calls become not evaluable."""
    unavailable = dict(unavailable or {})
    horizons = tuple(sorted({int(m) for c in calls for m in (c.horizons or default_horizons)}))
    n, j = len(calls), len(horizons)
    pairs: dict[tuple[str, str], Pair] = {}
    pair_of = np.full(n, -1)
    sign = np.array([stance_sign(c.stance) for c in calls], dtype=float)
    entry = np.full(n, -1)
    reason = [""] * n
    status = np.full((n, j), NOT_ASKED, dtype=object)
    exit_ = np.full((n, j), -1)
    stock, bench, percentile = (np.full((n, j), np.nan) for _ in range(3))
    end_exit = np.full(n, -1)
    end_stock, end_bench, end_percentile = (np.full(n, np.nan) for _ in range(3))
    for i, call in enumerate(calls):
        benchmark = call.benchmark or default_benchmark
        lacking = [t for t in (call.ticker, benchmark) if t in unavailable or t not in prices]
        if call.ticker == benchmark:
            lacking, why = [], f"the benchmark {benchmark} is the called ticker"
        else:
            why = "; ".join(
                f"no prices for {t}: {unavailable.get(t, 'not loaded')}" for t in lacking
            )
        if why:
            reason[i] = why
            status[i, :] = NOT_EVALUABLE
            continue
        key = (call.ticker, benchmark)
        if key not in pairs:
            pairs[key] = make_pair(prices, *key)
        pair = pairs[key]
        pair_of[i] = list(pairs).index(key)
        calendar = pair.calendar
        day = pd.Timestamp(call.date)
        if day > calendar[-1]:
            reason[i] = f"the date {day.date()} is after the data end {calendar[-1].date()}"
            status[i, :] = NOT_EVALUABLE
            continue
        if day < calendar[0]:
            reason[i] = (
                f"the date {day.date()} is before {call.ticker}'s first price "
                f"({calendar[0].date()}): the stock could not be bought then"
            )
            status[i, :] = NOT_EVALUABLE
            continue
        e = int(calendar.searchsorted(day))
        first = np.array([e])
        if np.isnan(pair.main.entry_prices(first, convention)[0]) or np.isnan(
            pair.bench.entry_prices(first, convention)[0]
        ):
            reason[i] = (
                f"no {convention.value} entry price of {call.ticker} or {benchmark} for "
                f"{day.date()} (the data start {calendar[0].date()})"
            )
            status[i, :] = NOT_EVALUABLE
            continue
        entry[i] = e
        asked = set(call.horizons or default_horizons)
        for k, months in enumerate(horizons):
            if months not in asked:
                continue
            target = calendar[e] + pd.DateOffset(months=months)
            if target > calendar[-1]:
                status[i, k] = OPEN
                continue
            status[i, k] = SCORED
            exit_[i, k] = int(calendar.searchsorted(target, side="right")) - 1
        end_exit[i] = len(calendar) - 1
    grid_exit = exit_
    for p, pair in enumerate(pairs.values()):
        rows = np.flatnonzero(pair_of == p)
        rows = rows[entry[rows] >= 0]
        if not len(rows):
            continue
        mask = status[rows] == SCORED
        cells = np.where(mask, grid_exit[rows], entry[rows, None])
        s, b = pair.returns(np.broadcast_to(entry[rows, None], cells.shape), cells, convention)
        stock[rows] = np.where(mask, s, np.nan)
        bench[rows] = np.where(mask, b, np.nan)
        s_end, b_end = pair.returns(entry[rows], end_exit[rows], convention)
        end_stock[rows], end_bench[rows] = s_end, b_end
        cells = [
            (r, k, grid_exit[r, k]) for i, r in enumerate(rows) for k in np.flatnonzero(mask[i])
        ]
        cells += [(r, -1, end_exit[r]) for r in rows]
        values = _percentiles(pair, entry, sign, cells, convention, history_start)
        for (r, k, _), value in zip(cells, values, strict=True):
            if k < 0:
                end_percentile[r] = value
            else:
                percentile[r, k] = value
    return CallGrid(
        calls=tuple(calls),
        horizons=horizons,
        convention=convention,
        history_start=history_start,
        pairs=tuple(pairs.values()),
        pair_of=pair_of,
        sign=sign,
        entry=entry,
        reason=tuple(reason),
        status=status,
        exit=grid_exit,
        stock=stock,
        benchmark=bench,
        excess=signed_excess(stock, bench, sign[:, None]),
        percentile=percentile,
        end_exit=end_exit,
        end_stock=end_stock,
        end_benchmark=end_bench,
        end_excess=signed_excess(end_stock, end_bench, sign),
        end_percentile=end_percentile,
    )


def _percentiles(
    pair: Pair,
    entry: np.ndarray,
    sign: np.ndarray,
    cells: list[tuple[int, int, int]],
    convention: EntryConvention,
    history_start: pd.Timestamp,
) -> list[float]:
    """The run command's base-rate percentile (:mod:`catalystlab.analysis.call.base_rate`)
    of each (call, horizon, exit) cell: the fraction of same-length holdings of the stock
    against the benchmark, entered from ``history_start`` on and exited before the call's
    entry price, whose excess is at or below the call's. A sell is ranked on the sell's
    excess. The excesses of every start are computed once per holding length."""
    first = int(pair.calendar.searchsorted(history_start))
    history: dict[int, np.ndarray] = {}
    out = []
    for r, _, exit_ in cells:
        e = int(entry[r])
        holding = int(exit_) - e
        if holding not in history:
            starts = np.arange(first, len(pair.calendar) - holding)
            s, b = pair.returns(starts, starts + holding, convention)
            history[holding] = s - b
        last = e + convention.session_offset - 1 - holding - first + 1
        sample = history[holding][: max(last, 0)]
        sample = sample[~np.isnan(sample)]
        if pair.calendar[e] <= history_start or not len(sample):
            out.append(np.nan)
            continue
        call_s, call_b = pair.returns(np.array([e]), np.array([int(exit_)]), convention)
        value = sign[r] * (call_s[0] - call_b[0])
        out.append(float(np.count_nonzero(sign[r] * sample <= value) / len(sample)))
    return out
