"""Prices from a folder of CSV files in yfinance's layout: ``DIR/prices/<TICKER>.csv``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.hashing import file_sha256
from catalystlab.core.tickers import ticker_file
from catalystlab.core.userfiles import require_folder
from catalystlab.inputs.prices.frame import LoadedPrices, reject_absurd_prices, validate_prices

# A century of daily rows is about 2 MB; a file far larger is not one ticker's daily prices.
MAX_PRICE_CSV_BYTES = 50_000_000


class CsvPriceSource:
    """Reads ``<folder>/prices/<TICKER>.csv`` with columns Date,Open,High,Low,Close,Volume.

    ``Adj Close`` is optional. When it is present and differs from ``Close``, the adjusted
    close is used and Open/High/Low are scaled by the same factor, so every price is total
    return; the loaded prices carry a note saying so.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        require_folder(self.folder, f"--data-dir {self.folder}")

    def path_for(self, ticker: str) -> Path:
        """Where this source expects the ticker's CSV file: the symbol itself
        (``prices/^GSPC.csv``); a symbol that could leave the folder is a BadInputError."""
        return ticker_file(self.folder / "prices", ticker, ".csv")

    def load(
        self, ticker: str, *, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None
    ) -> LoadedPrices:
        """Read, adjust and validate the ticker's whole file (start/end are not applied)."""
        path = self.path_for(ticker)
        if not path.is_file():
            raise DataUnavailableError(
                f"No price file for {ticker}: expected {path}. Add it (yfinance CSV layout) "
                "or drop the ticker from the config."
            )
        frame = read_price_csv(path, ticker=ticker)
        frame, notes = use_adjusted_close(frame, ticker=ticker, origin=str(path))
        prices = validate_prices(frame, ticker=ticker, origin=str(path))
        return LoadedPrices(
            ticker=ticker,
            frame=prices,
            source=f"csv:{path}",
            sha256=file_sha256(path),
            notes=notes,
        )


def read_price_csv(path: Path, *, ticker: str) -> pd.DataFrame:
    """Parse a yfinance-layout CSV into a frame indexed by tz-naive dates; a file larger than
    ``MAX_PRICE_CSV_BYTES`` is refused before it is read."""
    size = path.stat().st_size
    if size > MAX_PRICE_CSV_BYTES:
        raise BadInputError(
            f"{path}: {size:,} bytes is more than a daily price file holds (at most "
            f"{MAX_PRICE_CSV_BYTES:,}); check it is {ticker}'s daily prices in yfinance's layout."
        )
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not a readable CSV file ({exc}).") from None
    if "Date" not in raw.columns:
        raise BadInputError(
            f"{path}: no 'Date' column; expected Date,Open,High,Low,Close[,Adj Close],Volume."
        )
    dates = pd.to_datetime(raw["Date"], errors="coerce", format="ISO8601")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise BadInputError(
            f"{path}: row {row + 2} has date {raw['Date'].iloc[row]!r}, which is not an ISO "
            "date (YYYY-MM-DD)."
        )
    if dates.dt.tz is not None:
        dates = dates.dt.tz_localize(None)
    frame = raw.drop(columns="Date")
    frame.index = pd.DatetimeIndex(dates, name="Date")
    for column in frame.columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def use_adjusted_close(
    frame: pd.DataFrame, *, ticker: str, origin: str
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return the frame with ``Close`` total return, and a note when ``Adj Close`` was used."""
    if "Adj Close" not in frame.columns or "Close" not in frame.columns:
        return frame, ()  # validate_prices names a missing Close
    reject_absurd_prices(frame, ticker=ticker, origin=origin)
    adjusted = frame["Adj Close"]
    differs = ~np.isclose(adjusted, frame["Close"], rtol=1e-7, atol=0.0, equal_nan=True)
    frame = frame.drop(columns="Adj Close")
    if not differs.any():
        return frame, ()
    factor = adjusted / frame["Close"]
    for column in ("Open", "High", "Low", "Close"):
        frame[column] = frame[column] * factor
    note = (
        f"{origin}: 'Adj Close' differs from 'Close' on {int(differs.sum())} of {len(frame)} "
        f"rows; using 'Adj Close' (total return) and scaling Open/High/Low by the same factor."
    )
    return frame, (note,)
