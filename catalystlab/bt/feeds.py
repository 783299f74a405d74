"""``feed``: a backtrader data feed of one ticker's validated prices and its catalyst lines.

The prices come through the same loader, cache and checks as ``run`` (total-return daily bars,
tz-naive dates); the fundamentals and events through the same point-in-time tables the
signals read. Each catalyst line holds, on a bar, the value known at that bar's close (rows
with ``known_from`` on or before its date), NaN before the first such value:

==================  ========================================================================
line                meaning
==================  ========================================================================
margin_change       YoY change of the trailing-four-quarter operating margin (fraction:
                    0.02 = 2 percentage points), as last known
income_growth       YoY growth of trailing-four-quarter operating income (fraction)
capex_growth        YoY growth of trailing-four-quarter capex (fraction)
layoff_days         trading sessions since the entry session of the latest layoff
                    announcement (0 on the session at whose close it is first known)
layoff_headcount    roles cut in that announcement (NaN when undisclosed)
==================  ========================================================================

The margin and capex lines are the measures of :mod:`signals.margin` and :mod:`signals.capex`
(NaN while fewer than eight consecutive quarters are known); a ticker without fundamentals or
layoff events (an ETF, an index) has NaN lines throughout.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.config import SignalDataConfig
from catalystlab.core.dates import DateLike, user_date
from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.pit import SignalInputs
from catalystlab.core.progress import SilentProgress
from catalystlab.core.tickers import parse_ticker
from catalystlab.engine.feed import ColumnFeed, price_columns
from catalystlab.inputs.options import DataOptions, data_options, load_prices
from catalystlab.inputs.prices.align import AlignedPrices, align_prices
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from catalystlab.pipeline.signal_data import SignalData, load_signal_data, restated_values_note
from signals._pit import entry_sessions, step_on_calendar
from signals.capex import capex_growth
from signals.margin import margin_measures

CATALYST_LINES: tuple[str, ...] = (
    "margin_change",
    "income_growth",
    "capex_growth",
    "layoff_days",
    "layoff_headcount",
)


class DataNote(UserWarning):
    """What the loaders noticed about a feed's data (the notes a ``run`` prints): the start
    moved to the first price, adjusted closes used, restated fundamentals."""


@dataclass(frozen=True, kw_only=True)
class Catalysts:
    """What a :class:`CatalystFeed` was built from: its ticker, the point-in-time inputs of
    the signals on its calendar (``inputs.close`` has one column, the ticker), the notes the
    loaders gave (start moved, adjusted closes, restated values), and whether fundamentals
    and events were loaded at all (``catalysts=False`` in :func:`feed`)."""

    ticker: str
    inputs: SignalInputs
    notes: tuple[str, ...]
    loaded: bool


class CatalystFeed(ColumnFeed):
    """Daily bars of one ticker plus its catalyst lines (see :mod:`catalystlab.bt.feeds`);
    build it with :func:`feed`. ``catalysts`` holds what the indicators read."""

    lines = CATALYST_LINES
    params = (("catalysts", None), ("columns", None))

    @property
    def catalysts(self) -> Catalysts:
        return self.p.catalysts

    @property
    def dates(self) -> np.ndarray:
        """The daily rows' dates as backtrader date numbers (float days), ascending."""
        return self.p.columns["datetime"]

    def start(self) -> None:
        super().start()
        self._columns = self.p.columns


def feed(
    ticker: str,
    *,
    data_dir: str | Path | None = None,
    offline: bool = False,
    cache_dir: str | Path | None = None,
    start: DateLike = None,
    end: DateLike = None,
    catalysts: bool = True,
) -> CatalystFeed:
    """A backtrader feed of ``ticker``'s daily bars from ``start`` to ``end`` (inclusive;
    default: its whole history) with its catalyst lines, named ``ticker`` in the cerebro.

    ``data_dir``: a folder of CSVs (``prices/``, ``fundamentals/``) instead of Yahoo Finance
    and SEC EDGAR; ``offline``: never download (serve the cache or ``data_dir``); ``cache_dir``:
    where downloads are kept. The loaders' notes are :class:`DataNote` warnings (and stay in
    ``catalysts.notes``). ``catalysts=False`` loads no fundamentals or events (the lines
    stay NaN and the indicators refuse the feed): for a benchmark such as SPY when the
    fundamentals come from SEC EDGAR, which has no filings for funds and indices.
    """
    try:
        symbol = parse_ticker(ticker)
    except ValueError as exc:
        raise BadInputError(f"catalystlab.bt.feed: {exc}.") from None
    data = data_options(data_dir, offline=offline, cache_dir=cache_dir)
    first, last = user_date(start, "start"), user_date(end, "end")
    first = pd.Timestamp(first) if first is not None else None
    last = pd.Timestamp(last) if last is not None else None
    if first is not None and last is not None and last <= first:
        raise BadInputError(f"end {last.date()} is not after start {first.date()}; swap them.")
    progress = SilentProgress()
    prices = _prices(symbol, data, first, last, progress)
    inputs = SignalInputs(calendar=prices.calendar, close=prices.close())
    if catalysts:
        tables = _tables(symbol, data)
        inputs = replace(inputs, fundamentals=tables.fundamentals, events=tables.events)
        note = restated_values_note(tables.fundamentals)
        if note:
            progress.note(note)
    for note in progress.notes:
        warnings.warn(note, DataNote, stacklevel=2)
    found = Catalysts(ticker=symbol, inputs=inputs, notes=tuple(progress.notes), loaded=catalysts)
    return build_feed(prices.frames[symbol], found)


def _prices(
    symbol: str,
    data: DataOptions,
    first: pd.Timestamp | None,
    last: pd.Timestamp | None,
    progress: SilentProgress,
) -> AlignedPrices:
    """The ticker's validated prices from ``first`` to ``last``, loaded as ``run`` loads them."""
    source = data.price_source(progress.note)
    if isinstance(source, CsvPriceSource) and not source.path_for(symbol).is_file():
        raise DataUnavailableError(
            f"No prices for {symbol} in {source.folder}: expected {source.path_for(symbol)}. "
            "Add the file (yfinance CSV layout) or check the symbol."
        )
    loaded = load_prices([symbol], source=source, start=first, end=last, progress=progress)
    prices = align_prices(loaded, start=first, end=last)
    for note in prices.notes:
        progress.note(note)
    if len(prices.calendar) < 2:
        raise BadInputError(
            f"{symbol} has {len(prices.calendar)} trading day(s) between the start and the end; "
            "widen the dates."
        )
    return prices


def _tables(symbol: str, data: DataOptions) -> SignalData:
    """The ticker's fundamentals and the curated events, loaded as ``run`` loads them."""
    try:
        return load_signal_data(SignalDataConfig(), tickers=[symbol], data=data)
    except DataUnavailableError as exc:
        raise DataUnavailableError(
            f"{exc} For a ticker without company filings (a fund, an index) pass catalysts=False."
        ) from None


def build_feed(prices: pd.DataFrame, catalysts: Catalysts) -> CatalystFeed:
    """The feed of validated daily ``prices`` (Open, High, Low, Close, Volume on
    ``catalysts.inputs.calendar``) with the catalyst lines of ``catalysts``, named by its
    ticker; :func:`feed` loads both the way ``run`` does."""
    if not prices.index.equals(catalysts.inputs.calendar):
        raise ValueError("the prices must be on the calendar of the catalysts' inputs")
    columns = price_columns(prices) | catalyst_columns(catalysts.inputs, catalysts.ticker)
    result = CatalystFeed(catalysts=catalysts, columns=columns)
    result._name = catalysts.ticker
    return result


def catalyst_columns(inputs: SignalInputs, ticker: str) -> dict[str, np.ndarray]:
    """The catalyst lines of ``ticker`` on ``inputs.calendar`` (see the module's table)."""
    calendar, tickers = inputs.calendar, [ticker]
    margins = margin_measures(inputs, tickers)
    capex = capex_growth(inputs, tickers)

    def held(table: pd.DataFrame, column: str) -> np.ndarray:
        values = table[column].to_numpy(dtype="float64")
        return step_on_calendar(table, values, calendar, tickers)[ticker].to_numpy()

    days, headcount = _latest_layoff(inputs.events, calendar, ticker)
    return {
        "margin_change": held(margins, "margin_change"),
        "income_growth": held(margins, "income_growth"),
        "capex_growth": held(capex, "growth"),
        "layoff_days": days,
        "layoff_headcount": headcount,
    }


def _latest_layoff(
    events: pd.DataFrame, calendar: pd.DatetimeIndex, ticker: str
) -> tuple[np.ndarray, np.ndarray]:
    """Sessions since the latest layoff's entry session, and its headcount, on each day.

    Of several layoffs entering on the same session, the largest disclosed headcount is kept.
    """
    rows = events[
        (events["kind"] == "layoff") & (events["ticker"] == ticker) & events["known_from"].notna()
    ]
    days = np.full(len(calendar), np.nan)
    headcount = np.full(len(calendar), np.nan)
    if rows.empty:
        return days, headcount
    entry = entry_sessions(rows["known_from"], calendar)
    size = rows["headcount"].to_numpy(dtype="float64")
    order = np.lexsort((np.nan_to_num(size, nan=-np.inf), entry))
    entry, size = entry[order], size[order]
    today = np.arange(len(calendar))
    latest = np.searchsorted(entry, today, side="right") - 1
    known = latest >= 0
    days[known] = today[known] - entry[latest[known]]
    headcount[known] = size[latest[known]]
    return days, headcount
