"""On-disk parquet cache of downloaded prices: one file per ticker with its coverage.

A file holds the rows of ``coverage_start``..``coverage_end`` (inclusive dates the cache has
asked the source for; a range with no trading day simply has no rows). A later request
downloads only the missing stretch before or after the coverage, with a few days of overlap:
if the overlap disagrees (the source re-based its dividend adjustment), the whole range is
downloaded again rather than splicing two adjustment bases together.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from catalystlab.core.atomic import replace_file
from catalystlab.core.errors import DataUnavailableError
from catalystlab.core.hashing import frame_sha256
from catalystlab.core.tickers import ticker_file
from catalystlab.core.userfiles import require_folder
from catalystlab.inputs.prices.frame import LoadedPrices, validate_prices

EARLIEST = pd.Timestamp("1970-01-01")
_OVERLAP = pd.Timedelta(days=10)
_MISSING_TAIL = pd.Timedelta(days=7)  # longer than any market holiday stretch
METADATA_KEY = b"catalystlab"


class Downloader(Protocol):
    """What the cache needs from a source: ``fetch(ticker, start, end)`` (inclusive dates)."""

    def fetch(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame: ...


@dataclass(frozen=True)
class CacheEntry:
    frame: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    origin: str = "yfinance"  # where the rows came from: yfinance, or an imported CSV


def default_cache_dir() -> Path:
    """``$CATALYSTLAB_CACHE``, else ``$XDG_CACHE_HOME/catalystlab``, else
    ``~/.cache/catalystlab``."""
    if os.environ.get("CATALYSTLAB_CACHE"):
        return Path(os.environ["CATALYSTLAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "catalystlab"


class CachedPriceSource:
    """Serves prices from the cache, downloading only what it lacks.

    ``refresh`` downloads the requested range again; ``offline`` never downloads and serves
    what the cache holds. ``today`` caps coverage at the last complete day (the day before).
    ``on_note`` receives one-line notices (a corrupt file replaced, a re-based download).
    """

    def __init__(
        self,
        downloader: Downloader,
        cache_dir: str | Path,
        *,
        refresh: bool = False,
        offline: bool = False,
        today: pd.Timestamp | None = None,
        on_note: Callable[[str], None] = lambda note: None,
    ) -> None:
        self._downloader = downloader
        require_folder(Path(cache_dir) / "prices", f"--cache-dir {cache_dir}", may_be_missing=True)
        self.folder = Path(cache_dir) / "prices"
        self._refresh = refresh
        self._offline = offline
        self._today = (today or pd.Timestamp.now(tz="UTC").tz_localize(None)).normalize()
        self._on_note = on_note

    def cached(self, ticker: str) -> CacheEntry | None:
        """What the cache holds for ``ticker`` (None: no file, or an unreadable one)."""
        return self._read(ticker)

    def put(self, ticker: str, frame: pd.DataFrame, *, origin: str) -> None:
        """Store validated prices as the ticker's cache file, covering their first to last
        date (``data import``); ``origin`` says where they came from."""
        self._write(ticker, CacheEntry(frame, frame.index[0], frame.index[-1], origin))

    def path_for(self, ticker: str) -> Path:
        """The ticker's parquet file, directly inside the cache folder (checked)."""
        return ticker_file(self.folder, ticker, ".parquet")

    def load(
        self, ticker: str, *, start: pd.Timestamp | None, end: pd.Timestamp | None
    ) -> LoadedPrices:
        """Prices of ``ticker`` covering ``start``..``end`` (None: from 1970 / to yesterday)."""
        start = start or EARLIEST
        end = min(end or self._today, self._today - pd.Timedelta(days=1))
        if end < start:
            raise DataUnavailableError(
                f"{ticker}: the requested range {start.date()}..{end.date()} holds no "
                "complete trading day yet."
            )
        entry = self._read(ticker)
        if self._offline:
            return self._serve_offline(ticker, entry)
        if self._refresh or entry is None:
            entry = self._download(ticker, start, end)
        else:
            entry = self._extend(ticker, entry, start, end)
        entry = self._without_missing_tail(ticker, entry)
        self._write(ticker, entry)
        return self._loaded(ticker, entry, "yfinance (cached)")

    def _without_missing_tail(self, ticker: str, entry: CacheEntry) -> CacheEntry:
        """Coverage that ends at the last row when the source left out more than a week of
        recent days (a lagging or partial answer), so that the next run asks for them again
        instead of taking them for days without trading."""
        if entry.frame.empty or entry.end - entry.frame.index[-1] <= _MISSING_TAIL:
            return entry
        last = entry.frame.index[-1]
        self._on_note(
            f"{ticker}: the source's prices end on {last.date()}, {(entry.end - last).days} "
            f"days before the requested {entry.end.date()}; the run uses them as they are and "
            "the missing days are asked for again next time."
        )
        return replace(entry, end=last)

    def _serve_offline(self, ticker: str, entry: CacheEntry | None) -> LoadedPrices:
        if entry is None or entry.frame.empty:
            raise DataUnavailableError(
                f"{ticker} is not in the price cache ({self.path_for(ticker)}) and --offline "
                "forbids downloading it: run once without --offline, or pass --data-dir DIR."
            )
        return self._loaded(ticker, entry, "cache (offline)")

    def _loaded(self, ticker: str, entry: CacheEntry, how: str) -> LoadedPrices:
        path = self.path_for(ticker)
        prices = validate_prices(entry.frame, ticker=ticker, origin=str(path))
        coverage = f"{entry.start.date()}..{entry.end.date()}"
        return LoadedPrices(
            ticker=ticker,
            frame=prices,
            source=f"{how}:{path} (coverage {coverage})",
            sha256=frame_sha256(prices),
        )

    def _download(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> CacheEntry:
        frame = self._downloader.fetch(ticker, start, end)
        return CacheEntry(frame.loc[start:end], start, end)

    def _extend(
        self, ticker: str, entry: CacheEntry, start: pd.Timestamp, end: pd.Timestamp
    ) -> CacheEntry:
        frame = entry.frame
        if start < entry.start:
            earlier = self._downloader.fetch(ticker, start, entry.start + _OVERLAP)
            if not _overlap_agrees(earlier, frame):
                return self._rebase(ticker, min(start, entry.start), max(end, entry.end))
            frame = pd.concat([earlier.loc[: entry.start - pd.Timedelta(days=1)], frame])
        if end > entry.end:
            later = self._downloader.fetch(ticker, entry.end - _OVERLAP, end)
            if not _overlap_agrees(later, frame):
                return self._rebase(ticker, min(start, entry.start), max(end, entry.end))
            frame = pd.concat([frame, later.loc[entry.end + pd.Timedelta(days=1) :]])
        return CacheEntry(frame, min(start, entry.start), max(end, entry.end))

    def _rebase(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> CacheEntry:
        self._on_note(
            f"{ticker}: the source's adjusted prices changed since they were cached (a new "
            "dividend or split re-bases history); downloaded the whole range again."
        )
        return self._download(ticker, start, end)

    def _read(self, ticker: str) -> CacheEntry | None:
        path = self.path_for(ticker)
        if not path.exists():
            return None
        try:
            table = pq.read_table(path)
            meta = json.loads(table.schema.metadata[METADATA_KEY])
            frame = table.to_pandas()
            frame.index = pd.DatetimeIndex(frame.index, name="Date")
            return CacheEntry(
                frame,
                pd.Timestamp(meta["start"]),
                pd.Timestamp(meta["end"]),
                meta.get("origin", "yfinance"),
            )
        except Exception as exc:  # any unreadable file is replaced, whatever broke it
            if self._offline:
                raise DataUnavailableError(
                    f"{ticker}: cache file {path} is corrupt ({type(exc).__name__}) and "
                    "--offline forbids downloading it again: run without --offline, or pass "
                    "--data-dir DIR."
                ) from None
            self._on_note(
                f"{ticker}: cache file {path} is unreadable ({type(exc).__name__}); "
                "it will be downloaded again."
            )
            return None

    def _write(self, ticker: str, entry: CacheEntry) -> None:
        table = pa.Table.from_pandas(entry.frame, preserve_index=True)
        meta = {
            "start": str(entry.start.date()),
            "end": str(entry.end.date()),
            "origin": entry.origin,
        }
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(meta).encode()}
        )
        replace_file(self.path_for(ticker), lambda temporary: pq.write_table(table, temporary))


def _overlap_agrees(fresh: pd.DataFrame, cached: pd.DataFrame) -> bool:
    common = fresh.index.intersection(cached.index)
    if common.empty:
        return False
    return bool(
        np.allclose(fresh.loc[common, "Close"], cached.loc[common, "Close"], rtol=1e-6, atol=0)
    )
