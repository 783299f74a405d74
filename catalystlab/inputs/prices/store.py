"""The price cache as a user manages it: fetch, status, import and clear (``runner.py data``).

Fetching goes through the same cache and Yahoo source as a run (:class:`CachedPriceSource`,
:class:`YahooPriceSource`); importing validates CSV files in yfinance's layout exactly as
``--data-dir`` does and stores them as cache files, so that a later run without
``--data-dir`` (e.g. ``--offline``) reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from catalystlab.core.errors import BadInputError, CatalystError
from catalystlab.core.tickers import parse_ticker
from catalystlab.core.userfiles import require_folder
from catalystlab.inputs.prices.cache import METADATA_KEY, CachedPriceSource, Downloader
from catalystlab.inputs.prices.csv_source import read_price_csv, use_adjusted_close
from catalystlab.inputs.prices.frame import validate_prices
from catalystlab.inputs.prices.yahoo_source import YahooPriceSource

MAX_IMPORT_FILES = 2_000  # price files one 'data import' validates


@dataclass(frozen=True, kw_only=True)
class CachedTicker:
    """One ticker in the cache: where its rows came from, its first and last dates, rows,
    and whether it is stale (its last date is before the last weekday before today)."""

    ticker: str
    origin: str
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    rows: int
    stale: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (ISO dates)."""
        return {
            "ticker": self.ticker,
            "source": self.origin,
            "first": None if self.first is None else str(self.first.date()),
            "last": None if self.last is None else str(self.last.date()),
            "rows": self.rows,
            "stale": self.stale,
        }


def last_weekday_before(today: pd.Timestamp) -> pd.Timestamp:
    """The last Monday-to-Friday date before ``today`` (exchange holidays are not known, so
    the day after a holiday may call a complete cache stale)."""
    day = today.normalize() - pd.Timedelta(days=1)
    while day.weekday() >= 5:
        day -= pd.Timedelta(days=1)
    return day


def _tickers(values: Iterable[str]) -> list[str]:
    try:
        return list(dict.fromkeys(parse_ticker(v) for v in values))
    except ValueError as error:
        raise BadInputError(f"{error}.") from None


def cache_source(
    cache_dir: Path,
    *,
    refresh: bool = False,
    downloader: Downloader | None = None,
    today: pd.Timestamp | None = None,
    on_note: Callable[[str], None] = lambda note: None,
) -> CachedPriceSource:
    """The run's cache over Yahoo Finance (``downloader`` replaces Yahoo in tests)."""
    return CachedPriceSource(
        downloader or YahooPriceSource(),
        cache_dir,
        refresh=refresh,
        today=today,
        on_note=on_note,
    )


def status(source: CachedPriceSource, *, today: pd.Timestamp | None = None) -> list[CachedTicker]:
    """Every ticker in the cache, alphabetically."""
    today = today if today is not None else pd.Timestamp.now(tz="UTC").tz_localize(None)
    due = last_weekday_before(today)
    found = []
    for path in sorted(source.folder.glob("*.parquet")) if source.folder.is_dir() else []:
        ticker = path.stem
        try:
            entry = source.cached(ticker)
        except BadInputError:  # a file whose name is not a ticker: not the cache's own
            continue
        if entry is None:
            found.append(
                CachedTicker(
                    ticker=ticker, origin="unreadable", first=None, last=None, rows=0, stale=True
                )
            )
            continue
        frame = entry.frame
        last = frame.index[-1] if len(frame) else None
        found.append(
            CachedTicker(
                ticker=ticker,
                origin=entry.origin,
                first=frame.index[0] if len(frame) else None,
                last=last,
                rows=len(frame),
                stale=last is None or last < due,
            )
        )
    return found


def fetch(
    source: CachedPriceSource, tickers: Sequence[str], *, start: pd.Timestamp | None
) -> list[str]:
    """Download what the cache lacks of each ticker from ``start`` (None: as far back as the
    source goes) to the last complete day; returns the tickers fetched. Every ticker is
    tried; the failures are raised together at the end (their tickers named)."""
    done, failed = [], []
    for ticker in _tickers(tickers):
        try:
            source.load(ticker, start=start, end=None)
            done.append(ticker)
        except CatalystError as error:
            failed.append((ticker, error))
    if failed:
        kind = type(failed[0][1])
        message = " ".join(str(error) for _, error in failed)
        fetched = f" Fetched: {', '.join(done)}." if done else ""
        raise kind(message + fetched)
    return done


def import_folder(source: CachedPriceSource, folder: Path) -> list[str]:
    """Validate every ``*.csv`` of ``folder`` (or of ``folder/prices``) in yfinance's layout,
    the file's name being the ticker (``^GSPC.csv``), and store them in the cache. Nothing is
    imported when any file is bad: the BadInputError names each bad file and its problem."""
    folder = Path(folder)
    require_folder(folder, f"data import {folder}")
    where = folder / "prices" if (folder / "prices").is_dir() else folder
    files = sorted(where.glob("*.csv"))
    if not files:
        raise BadInputError(
            f"data import {folder}: no CSV files (expected <TICKER>.csv, e.g. SPY.csv, in it "
            "or in its prices/ folder)."
        )
    if len(files) > MAX_IMPORT_FILES:
        raise BadInputError(
            f"data import {folder}: {len(files):,} CSV files is more than one import takes (at "
            f"most {MAX_IMPORT_FILES:,}); import them in several folders."
        )
    frames, problems = {}, []
    for path in files:
        try:
            ticker = parse_ticker(path.stem)
            if ticker != path.stem:
                raise ValueError(f"name the file {ticker}.csv (tickers are upper case)")
            frame = read_price_csv(path, ticker=ticker)
            frame, _ = use_adjusted_close(frame, ticker=ticker, origin=str(path))
            frames[ticker] = (path, validate_prices(frame, ticker=ticker, origin=str(path)))
        except (BadInputError, ValueError) as error:
            text = str(error)
            problems.append(text if str(path) in text else f"{path}: {text}")
    if problems:
        raise BadInputError(
            f"Nothing imported: {len(problems)} of {len(files)} file(s) are bad. "
            + " ".join(problems)
        )
    for ticker, (path, frame) in frames.items():
        source.put(ticker, frame, origin=f"imported {path.resolve()}")
    return list(frames)


def cache_files(source: CachedPriceSource, tickers: Sequence[str] = ()) -> list[Path]:
    """The price files the cache wrote for ``tickers`` (none given: every one it wrote).
    A named ticker without such a file is a BadInputError naming it; a file the cache did not
    write (no catalystlab metadata, or a name that is not a ticker) is never listed."""
    if tickers:
        chosen = _tickers(tickers)
        absent = [t for t in chosen if not _written_by_cache(source.path_for(t))]
        if absent:
            raise BadInputError(
                f"Not in the cache ({source.folder}): {', '.join(absent)} (a file there that "
                "catalystlab did not write is left alone); see 'data status'."
            )
        return [source.path_for(t) for t in chosen]
    found = sorted(source.folder.glob("*.parquet")) if source.folder.is_dir() else []
    return [path for path in found if _is_ticker(path.stem) and _written_by_cache(path)]


def clear(source: CachedPriceSource, tickers: Sequence[str] = ()) -> list[str]:
    """Delete the files :func:`cache_files` lists; returns their tickers."""
    paths = cache_files(source, tickers)
    for path in paths:
        path.unlink()
    return [path.stem for path in paths]


def _is_ticker(name: str) -> bool:
    try:
        return parse_ticker(name) == name
    except ValueError:
        return False


def _written_by_cache(path: Path) -> bool:
    """A parquet file carrying the cache's metadata (a file the cache wrote)."""
    if not path.is_file():
        return False
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):  # unreadable or not parquet: not recognisably the cache's
        return False
    return METADATA_KEY in metadata
