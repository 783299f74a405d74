"""Where a run's data comes from, as chosen on the command line or in the Python API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.core.progress import Progress
from catalystlab.inputs.prices.cache import CachedPriceSource, default_cache_dir
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.inputs.prices.sources import PriceSource
from catalystlab.inputs.prices.yahoo_source import YahooPriceSource


@dataclass(frozen=True, kw_only=True)
class DataOptions:
    """``data_dir``: a folder of CSVs (prices/, fundamentals/, events/) used instead of the
    network; ``offline``: never download (serve the cache or ``data_dir``); ``refresh``:
    download cached prices again; ``cache_dir``: where downloads are kept."""

    data_dir: Path | None = None
    offline: bool = False
    refresh: bool = False
    cache_dir: Path | None = None

    def price_source(self, on_note: Callable[[str], None]) -> PriceSource:
        """The CSV folder when ``data_dir`` is set, else yfinance behind the cache."""
        if self.data_dir is not None:
            return CsvPriceSource(self.data_dir)
        return CachedPriceSource(
            YahooPriceSource(),
            self.cache_dir or default_cache_dir(),
            refresh=self.refresh,
            offline=self.offline,
            on_note=on_note,
        )


def data_options(
    data_dir: str | Path | None = None,
    *,
    offline: bool = False,
    refresh: bool = False,
    cache_dir: str | Path | None = None,
) -> DataOptions:
    """The :class:`DataOptions` of the arguments a user gives (the API's, the command
    line's); ``offline`` with ``refresh`` is a :class:`BadInputError`."""
    if offline and refresh:
        raise BadInputError("--offline and --refresh contradict each other; use one.")
    return DataOptions(
        data_dir=Path(data_dir) if data_dir is not None else None,
        offline=offline,
        refresh=refresh,
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
    )


def load_prices(
    tickers: Iterable[str],
    *,
    source: PriceSource,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    progress: Progress,
    end_origin: str = "--end",
) -> dict[str, LoadedPrices]:
    """Load and validate every ticker, showing progress; notes go to ``progress.note``.

    Rows after ``end`` are dropped whatever the source returns: nothing later than the run's
    end is ever seen (earlier rows stay, for base rates and event-study estimation windows).
    ``end_origin`` names where the end came from in a message (``--end``, ``the config's
    end:``).
    """
    tickers = list(dict.fromkeys(tickers))
    loaded: dict[str, LoadedPrices] = {}
    for ticker in progress.track(tickers, description="Loading prices", total=len(tickers)):
        prices = source.load(ticker, start=start, end=end)
        if end is not None and prices.last_date > end:
            cut = prices.frame.loc[:end]
            if cut.empty:
                raise BadInputError(
                    f"{ticker} has no price on or before the end date {end.date()} (from "
                    f"{end_origin}); move the end after its first price "
                    f"({prices.first_date.date()})."
                )
            prices = replace(prices, frame=cut)
        loaded[ticker] = prices
        for note in loaded[ticker].notes:
            progress.note(note)
    return loaded
