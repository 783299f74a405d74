"""yfinance source (retries, empty frames, column layout) and the parquet cache, with fakes."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import synthetic_prices

from catalystlab.core.errors import DataUnavailableError
from catalystlab.inputs.prices.cache import CachedPriceSource
from catalystlab.inputs.prices.yahoo_source import (
    TickerNotFoundError,
    YahooPriceSource,
    normalize_yahoo_frame,
)

TODAY = pd.Timestamp("2020-06-01")
HISTORY = synthetic_prices(start="2019-01-02", days=380, seed=11)


class YFRateLimitError(Exception):
    """Stands in for yfinance's exception of the same name (matched by name)."""


class FakeDownloader:
    """Serves HISTORY for any ticker and records every (ticker, start, end) asked."""

    def __init__(self, history: pd.DataFrame = HISTORY) -> None:
        self.history = history
        self.calls: list[tuple[str, pd.Timestamp, pd.Timestamp]] = []

    def fetch(self, ticker, start, end):
        self.calls.append((ticker, start, end))
        return self.history.loc[start:end]


def _yahoo_style(frame: pd.DataFrame, ticker: str) -> pd.DataFrame:
    out = frame.copy()
    out.columns = pd.MultiIndex.from_product([out.columns, [ticker]], names=["Price", "Ticker"])
    out.index = out.index.tz_localize("America/New_York")
    return out


def test_normalize_flattens_multiindex_and_drops_time_zone():
    frame = normalize_yahoo_frame(_yahoo_style(HISTORY.iloc[:5], "AMZN"), ticker="AMZN")
    assert list(frame.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert frame.index.tz is None
    pd.testing.assert_frame_equal(frame, HISTORY.iloc[:5], check_freq=False)


def test_empty_frame_is_an_error_naming_the_ticker():
    source = YahooPriceSource(history=lambda t, s, e: pd.DataFrame(), sleep=lambda s: None)
    with pytest.raises(DataUnavailableError, match="no prices for NOPE"):
        source.fetch("NOPE", TODAY - pd.Timedelta(days=30), TODAY)


def test_missing_ticker_is_not_retried():
    calls = []

    def history(ticker, start, end):
        calls.append(ticker)
        raise TickerNotFoundError("possibly delisted")

    source = YahooPriceSource(history=history, sleep=lambda s: None)
    with pytest.raises(DataUnavailableError, match="has no prices for XXXX"):
        source.fetch("XXXX", TODAY, TODAY)
    assert calls == ["XXXX"]


def test_rate_limit_is_retried_with_backoff_then_succeeds():
    waits: list[float] = []
    attempts = iter([YFRateLimitError("Too Many Requests"), ConnectionError("reset"), None])

    def history(ticker, start, end):
        problem = next(attempts)
        if problem:
            raise problem
        return _yahoo_style(HISTORY.loc[start:end], ticker)

    source = YahooPriceSource(history=history, backoff_seconds=1.5, sleep=waits.append)
    frame = source.fetch("AMZN", HISTORY.index[0], HISTORY.index[9])
    assert len(frame) == 10
    assert waits == [1.5, 3.0]


def test_network_failure_after_all_retries_names_the_fix():
    def history(ticker, start, end):
        raise ConnectionError("Failed to resolve 'query1.finance.yahoo.com'")

    waits: list[float] = []
    source = YahooPriceSource(history=history, retries=2, sleep=waits.append)
    with pytest.raises(DataUnavailableError, match=r"after 3 tries.*--offline"):
        source.fetch("AMZN", TODAY, TODAY)
    assert len(waits) == 2


def _cache(tmp_path, downloader, **kwargs):
    return CachedPriceSource(downloader, tmp_path, today=TODAY, **kwargs)


def test_second_run_makes_no_download(tmp_path):
    downloader = FakeDownloader()
    start, end = pd.Timestamp("2019-03-01"), pd.Timestamp("2019-09-30")
    first = _cache(tmp_path, downloader).load("AMZN", start=start, end=end)
    second = _cache(tmp_path, downloader).load("AMZN", start=start, end=end)
    assert len(downloader.calls) == 1
    pd.testing.assert_frame_equal(first.frame, second.frame)
    pd.testing.assert_frame_equal(first.frame, HISTORY.loc[start:end], check_freq=False)


def test_partial_coverage_fetches_only_the_gap(tmp_path):
    downloader = FakeDownloader()
    _cache(tmp_path, downloader).load(
        "AMZN", start=pd.Timestamp("2019-03-01"), end=pd.Timestamp("2019-09-30")
    )
    later = _cache(tmp_path, downloader).load(
        "AMZN", start=pd.Timestamp("2019-03-01"), end=pd.Timestamp("2019-12-31")
    )
    _, gap_start, gap_end = downloader.calls[1]
    assert gap_end == pd.Timestamp("2019-12-31")
    assert pd.Timestamp("2019-09-15") <= gap_start <= pd.Timestamp("2019-09-30")
    expected = HISTORY.loc["2019-03-01":"2019-12-31"]
    pd.testing.assert_frame_equal(later.frame, expected, check_freq=False)


def test_rebased_history_is_downloaded_again_not_spliced(tmp_path):
    _cache(tmp_path, FakeDownloader()).load(
        "SPY", start=pd.Timestamp("2019-03-01"), end=pd.Timestamp("2019-09-30")
    )
    rebased = HISTORY.copy()
    rebased[["Open", "High", "Low", "Close"]] *= 0.99
    downloader = FakeDownloader(rebased)
    notes: list[str] = []
    loaded = _cache(tmp_path, downloader, on_note=notes.append).load(
        "SPY", start=pd.Timestamp("2019-03-01"), end=pd.Timestamp("2019-12-31")
    )
    assert downloader.calls[-1][1:] == (pd.Timestamp("2019-03-01"), pd.Timestamp("2019-12-31"))
    pd.testing.assert_frame_equal(
        loaded.frame, rebased.loc["2019-03-01":"2019-12-31"], check_freq=False
    )
    assert "re-bases" in notes[0]


def test_truncated_cache_file_is_recovered(tmp_path):
    downloader = FakeDownloader()
    source = _cache(tmp_path, downloader)
    span = {"start": pd.Timestamp("2019-03-01"), "end": pd.Timestamp("2019-06-28")}
    source.load("AMZN", **span)
    path = source.path_for("AMZN")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    notes: list[str] = []
    loaded = _cache(tmp_path, downloader, on_note=notes.append).load("AMZN", **span)
    assert len(downloader.calls) == 2
    assert "unreadable" in notes[0]
    pd.testing.assert_frame_equal(
        loaded.frame, HISTORY.loc["2019-03-01":"2019-06-28"], check_freq=False
    )


def test_refresh_downloads_again(tmp_path):
    downloader = FakeDownloader()
    span = {"start": pd.Timestamp("2019-03-01"), "end": pd.Timestamp("2019-06-28")}
    _cache(tmp_path, downloader).load("AMZN", **span)
    _cache(tmp_path, downloader, refresh=True).load("AMZN", **span)
    assert len(downloader.calls) == 2


def test_offline_with_uncached_ticker_is_data_unavailable(tmp_path):
    downloader = FakeDownloader()
    with pytest.raises(DataUnavailableError, match=r"not in the price cache.*--offline"):
        _cache(tmp_path, downloader, offline=True).load("AMZN", start=None, end=None)
    assert downloader.calls == []


def test_offline_serves_the_cache_without_downloading(tmp_path):
    downloader = FakeDownloader()
    span = {"start": pd.Timestamp("2019-03-01"), "end": pd.Timestamp("2019-06-28")}
    _cache(tmp_path, downloader).load("AMZN", **span)
    loaded = _cache(tmp_path, downloader, offline=True).load("AMZN", start=None, end=None)
    assert len(downloader.calls) == 1
    assert loaded.source.startswith("cache (offline)")


def test_coverage_stops_before_today(tmp_path):
    downloader = FakeDownloader()
    _cache(tmp_path, downloader).load("AMZN", start=pd.Timestamp("2020-05-01"), end=None)
    assert downloader.calls[0][2] == TODAY - pd.Timedelta(days=1)
