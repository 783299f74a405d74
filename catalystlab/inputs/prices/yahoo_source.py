"""Prices from Yahoo Finance through yfinance, with retries on rate limits and network errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pandas as pd

from catalystlab.core.errors import DataUnavailableError
from catalystlab.inputs.prices.frame import PRICE_COLUMNS

HistoryFetcher = Callable[[str, pd.Timestamp, pd.Timestamp], pd.DataFrame]


class TickerNotFoundError(Exception):
    """Raised by a fetcher when the source says the ticker does not exist (no retry)."""


def yfinance_history(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Daily total-return bars from yfinance for ``start``..``end`` inclusive.

    Uses ``auto_adjust=True`` (split- and dividend-adjusted OHLC). yfinance hides errors behind
    empty frames by default; they are turned on here so that rate limits and network failures
    can be retried and a missing ticker reported.
    """
    import yfinance as yf
    from yfinance.exceptions import YFTickerMissingError

    hidden = yf.config.debug.hide_exceptions
    yf.config.debug.hide_exceptions = False
    # yfinance also logs what it raises; the error this source reports says it once.
    logger = logging.getLogger("yfinance")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return yf.Ticker(ticker).history(
            start=start.strftime("%Y-%m-%d"),
            end=(end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
            interval="1d",
            auto_adjust=True,
            actions=False,
        )
    except YFTickerMissingError as exc:
        raise TickerNotFoundError(str(exc)) from exc
    finally:
        yf.config.debug.hide_exceptions = hidden
        logger.setLevel(level)


def normalize_yahoo_frame(frame: pd.DataFrame, *, ticker: str) -> pd.DataFrame:
    """Flatten yfinance's (Price, Ticker) column MultiIndex and make the dates tz-naive."""
    if isinstance(frame.columns, pd.MultiIndex):
        level = next(
            (
                i
                for i in range(frame.columns.nlevels)
                if "Close" in frame.columns.get_level_values(i)
            ),
            0,
        )
        other = [i for i in range(frame.columns.nlevels) if i != level]
        if other and ticker in frame.columns.get_level_values(other[0]):
            frame = frame.xs(ticker, axis=1, level=other[0])
        else:
            frame = frame.droplevel(other, axis=1)
    index = pd.DatetimeIndex(frame.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    frame = frame.copy()
    frame.index = pd.DatetimeIndex(index.normalize(), name="Date")
    return frame.loc[:, [c for c in PRICE_COLUMNS if c in frame.columns]].rename_axis(columns=None)


def _is_retryable(exc: Exception) -> bool:
    name = type(exc).__name__
    if name in {"YFRateLimitError", "Timeout", "ConnectTimeout", "ReadTimeout"}:
        return True
    module = type(exc).__module__ or ""
    return isinstance(exc, (ConnectionError, TimeoutError, OSError)) or module.startswith(
        ("requests", "curl_cffi", "urllib3")
    )


class YahooPriceSource:
    """Downloads prices with yfinance; retries with exponential backoff.

    ``history`` is the fetcher (tests pass a fake); ``retries`` is the number of extra tries
    after the first on a rate limit or network error; waits are ``backoff_seconds * 2**k``
    seconds, spent in ``sleep`` (default ``time.sleep``).
    """

    def __init__(
        self,
        *,
        history: HistoryFetcher = yfinance_history,
        retries: int = 4,
        backoff_seconds: float = 2.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._history = history
        self._retries = retries
        self._backoff = backoff_seconds
        self._sleep = sleep or time.sleep

    def fetch(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """Bars for ``start``..``end`` inclusive, normalized; never an empty frame."""
        last_error: Exception | None = None
        for attempt in range(self._retries + 1):
            if attempt:
                self._sleep(self._backoff * 2 ** (attempt - 1))
            try:
                raw = self._history(ticker, start, end)
            except TickerNotFoundError as exc:
                raise DataUnavailableError(
                    f"Yahoo Finance has no prices for {ticker} ({exc}); check the ticker symbol."
                ) from None
            except Exception as exc:
                if not _is_retryable(exc):
                    raise DataUnavailableError(
                        f"Yahoo Finance sent an answer for {ticker} that could not be read "
                        f"({type(exc).__name__}: {exc}); try again later, or run with --offline "
                        "(cached prices) or --data-dir DIR (CSV files)."
                    ) from None
                last_error = exc
                continue
            if raw is None or raw.empty:
                raise DataUnavailableError(
                    f"Yahoo Finance returned no prices for {ticker} between {start.date()} and "
                    f"{end.date()}; check the ticker symbol and the dates."
                )
            return normalize_yahoo_frame(raw, ticker=ticker)
        raise DataUnavailableError(
            f"Could not download {ticker} from Yahoo Finance after {self._retries + 1} tries "
            f"({type(last_error).__name__}: {last_error}). Check the network, or run with "
            "--offline (cached prices) or --data-dir DIR (CSV files)."
        )
