"""The price frame every part of catalystlab works with, and its validation.

A price frame is indexed by tz-naive exchange dates (``DatetimeIndex`` named ``Date``, one row
per trading day, ascending) with float columns ``Open, High, Low, Close, Volume``. ``Close`` is
the split- and dividend-adjusted (total-return) close, and Open/High/Low carry the same
adjustment, as yfinance returns them with ``auto_adjust=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError

PRICE_COLUMNS: tuple[str, ...] = ("Open", "High", "Low", "Close", "Volume")
OHLC: tuple[str, ...] = ("Open", "High", "Low", "Close")
_SPLIT_RATIOS = (2, 3, 4, 5, 8, 10, 15, 20, 30, 40, 50)


@dataclass(frozen=True, kw_only=True)
class LoadedPrices:
    """Validated prices of one ticker and where they came from (for the run's manifest)."""

    ticker: str
    frame: pd.DataFrame
    source: str
    sha256: str
    notes: tuple[str, ...] = field(default=())

    @property
    def first_date(self) -> pd.Timestamp:
        return self.frame.index[0]

    @property
    def last_date(self) -> pd.Timestamp:
        return self.frame.index[-1]


def validate_prices(frame: pd.DataFrame, *, ticker: str, origin: str) -> pd.DataFrame:
    """Check a price frame and return it with float columns in the canonical order.

    ``origin`` names where the frame came from (a file path, "yfinance") in error messages.
    Raises BadInputError for: missing columns, unsorted or duplicate dates, NaN, zero or
    negative prices, High below Low, and an unadjusted split (a one-day drop to 1/k of the
    price, k a usual split ratio), which means the prices are not split-adjusted.
    """
    missing = [c for c in PRICE_COLUMNS if c not in frame.columns]
    if missing:
        raise BadInputError(
            f"{origin}: {ticker} prices lack column(s) {', '.join(missing)}; expected "
            f"Date,Open,High,Low,Close[,Adj Close],Volume as yfinance writes them."
        )
    if frame.empty:
        raise BadInputError(f"{origin}: no price rows for {ticker} in the requested dates.")
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex):
        raise BadInputError(f"{origin}: {ticker} dates could not be read as dates.")
    if index.tz is not None:
        raise BadInputError(f"{origin}: {ticker} dates carry a time zone; expected exchange dates.")
    duplicated = index[index.duplicated()]
    if len(duplicated):
        raise BadInputError(
            f"{origin}: {ticker} has duplicate date(s) {_dates(duplicated)}; keep one row per "
            "trading day."
        )
    if not index.is_monotonic_increasing:
        position = int(np.flatnonzero(np.diff(index.asi8) < 0)[0]) + 1
        raise BadInputError(
            f"{origin}: {ticker} dates are not in ascending order (row {position + 1} "
            f"{index[position].date()} comes after {index[position - 1].date()}); sort the file."
        )
    prices = frame.loc[:, list(PRICE_COLUMNS)].astype("float64")
    bad_rows = prices[list(OHLC)].isna().any(axis=1)
    if bad_rows.any():
        raise BadInputError(
            f"{origin}: {ticker} has missing or non-numeric (NaN) prices on "
            f"{_dates(prices.index[bad_rows])}; fill or drop those rows."
        )
    non_positive = (prices[list(OHLC)] <= 0).any(axis=1)
    if non_positive.any():
        raise BadInputError(
            f"{origin}: {ticker} has zero or negative prices on "
            f"{_dates(prices.index[non_positive])}; prices must be positive."
        )
    inverted = prices["High"] < prices["Low"]
    if inverted.any():
        raise BadInputError(
            f"{origin}: {ticker} has High below Low on {_dates(prices.index[inverted])}."
        )
    _reject_unadjusted_split(prices, ticker=ticker, origin=origin)
    prices["Volume"] = prices["Volume"].fillna(0.0)
    prices.index = pd.DatetimeIndex(index.normalize(), name="Date")
    return prices


def _reject_unadjusted_split(prices: pd.DataFrame, *, ticker: str, origin: str) -> None:
    ratio = (prices["Close"] / prices["Close"].shift(1)).to_numpy()
    gap = (prices["Open"] / prices["Close"].shift(1)).to_numpy()
    for k in _SPLIT_RATIOS:
        hits = (np.abs(ratio * k - 1) < 0.03) & (np.abs(gap * k - 1) < 0.06)
        if hits.any():
            day = prices.index[int(np.flatnonzero(hits)[0])].date()
            raise BadInputError(
                f"{origin}: {ticker} falls to 1/{k} of its price on {day}, which looks like an "
                f"unadjusted {k}:1 split; use split- and dividend-adjusted prices "
                "(yfinance auto_adjust=True)."
            )


def _dates(index: pd.Index, most: int = 3) -> str:
    shown = ", ".join(str(pd.Timestamp(d).date()) for d in index[:most])
    more = len(index) - most
    return shown + (f" and {more} more" if more > 0 else "")
