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
_SPLIT_RATIOS = (2, 3, 4, 5, 8, 10, 15, 20, 30, 40, 50, 100)
# How far the day's close (and open) may sit from exactly k (or 1/k) times the previous close,
# as a fraction: tight for small k, where real days move that much (a 40% rise, a 35% crash);
# wider from a 10-fold move on, so that a split or a unit error on a day the stock also moved
# 9% is caught (NVDA's 2025-03-03), but not so wide that the bands of neighbouring ratios join
# and every real crash of 87-99% is refused. Fractions, not %.
_WIDE_SPLIT = 10
_SPLIT_TOLERANCE = {False: (0.03, 0.06), True: (0.10, 0.10)}
MAX_PRICE = 1e8  # above any listed share (BRK-A trades near 1e6): a unit or file error


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
    negative prices, infinite prices or prices above ``MAX_PRICE``, High below Low, and an
    unadjusted split (a one-day drop to 1/k of the price, k a usual split ratio) or reverse
    split (a one-day rise to k times the price; also a unit error, cents for dollars), which
    means the prices are not split-adjusted.
    """
    missing = [c for c in PRICE_COLUMNS if c not in frame.columns]
    if "Close" in missing and "Adj Close" in frame.columns:
        raise BadInputError(
            f"{origin}: {ticker} prices have an Adj Close column but no Close; name the "
            "adjusted close 'Close' (the prices are expected adjusted, as yfinance writes them "
            "with auto_adjust=True)."
        )
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
    try:
        prices = frame.loc[:, list(PRICE_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    except (TypeError, ValueError):
        raise BadInputError(f"{origin}: {ticker} prices could not be read as numbers.") from None
    prices = prices.astype("float64")
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
    reject_absurd_prices(prices, ticker=ticker, origin=origin)
    if np.isinf(prices["Volume"]).any():
        raise BadInputError(
            f"{origin}: {ticker} has an infinite Volume on "
            f"{_dates(prices.index[np.isinf(prices['Volume'])])}; check those rows."
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


def reject_absurd_prices(frame: pd.DataFrame, *, ticker: str, origin: str) -> None:
    """BadInputError when a price column (Open, High, Low, Close, Adj Close: those present)
    holds an infinite value or one above ``MAX_PRICE`` (NaN is left to the caller)."""
    columns = [c for c in (*OHLC, "Adj Close") if c in frame.columns]
    values = frame[columns].astype("float64")
    absurd = (np.isinf(values) | (values > MAX_PRICE)).any(axis=1)
    if absurd.any():
        raise BadInputError(
            f"{origin}: {ticker} has infinite prices or prices above {MAX_PRICE:,.0f} on "
            f"{_dates(frame.index[absurd])}; check those rows (a unit or export error)."
        )


def _reject_unadjusted_split(prices: pd.DataFrame, *, ticker: str, origin: str) -> None:
    """A close at 1/k (or k times) the previous close, opened there too: a split (or reverse
    split) the prices were not adjusted for."""
    ratio = (prices["Close"] / prices["Close"].shift(1)).to_numpy()
    gap = (prices["Open"] / prices["Close"].shift(1)).to_numpy()
    fix = "use split- and dividend-adjusted prices (yfinance auto_adjust=True)"
    for k in _SPLIT_RATIOS:
        for factor, moved, split in (
            (k, f"falls to 1/{k} of its price", f"unadjusted {k}:1 split"),
            (1 / k, f"rises to {k} times its price", f"unadjusted 1:{k} reverse split"),
        ):
            close_within, open_within = _SPLIT_TOLERANCE[k >= _WIDE_SPLIT]
            hits = (np.abs(ratio * factor - 1) < close_within) & (
                np.abs(gap * factor - 1) < open_within
            )
            if hits.any():
                day = prices.index[int(np.flatnonzero(hits)[0])].date()
                raise BadInputError(
                    f"{origin}: {ticker} {moved} on {day}, which looks like an {split} (or a "
                    f"unit error); {fix}."
                )


def _dates(index: pd.Index, most: int = 3) -> str:
    shown = ", ".join(str(pd.Timestamp(d).date()) for d in index[:most])
    more = len(index) - most
    return shown + (f" and {more} more" if more > 0 else "")
