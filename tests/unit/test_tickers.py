"""Ticker symbols as Yahoo Finance spells them, and no symbol that names a path outside the
data folder or the cache."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv

import catalystlab as cl
from catalystlab.core.errors import BadInputError
from catalystlab.core.tickers import (
    MAX_TICKER_LENGTH,
    is_price_index,
    parse_ticker,
    ticker_file,
    ticker_slug,
)
from catalystlab.inputs.prices.cache import CachedPriceSource
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from catalystlab.pipeline.execute import price_index_note

HOSTILE = ["../x", "/etc/passwd", "a/b", "a\\b", "A\x00B", "..", ".", "A..B", "", " ", "A" * 21]


@pytest.mark.parametrize("symbol", ["^GSPC", "^IXIC", "BRK-B", "BTC-USD", "7203.T", "GC=F", "spy"])
def test_yahoo_symbols_are_tickers(symbol):
    assert parse_ticker(symbol) == symbol.upper()


@pytest.mark.parametrize("symbol", HOSTILE)
def test_symbols_that_could_leave_a_folder_are_refused(symbol, tmp_path):
    with pytest.raises(ValueError, match="not a ticker symbol"):
        parse_ticker(symbol)
    with pytest.raises(BadInputError):
        ticker_file(tmp_path, symbol, ".csv")
    with pytest.raises(BadInputError):
        CsvPriceSource(tmp_path).path_for(symbol)
    with pytest.raises(BadInputError):
        CachedPriceSource(downloader=None, cache_dir=tmp_path).path_for(symbol)


def test_length_bound_and_slugs():
    assert parse_ticker("A" * MAX_TICKER_LENGTH) == "A" * MAX_TICKER_LENGTH
    assert ticker_slug("^GSPC") == "index_gspc"
    assert ticker_slug("7203.T") == "7203_t"
    assert ticker_slug("BRK-B") == "brk-b"
    assert is_price_index("^GSPC") and not is_price_index("SPY")


def test_file_is_the_symbol_itself(tmp_path):
    assert CsvPriceSource(tmp_path).path_for("^GSPC") == tmp_path / "prices" / "^GSPC.csv"
    assert CachedPriceSource(None, tmp_path).path_for("BRK-B").name == "BRK-B.parquet"


def test_a_hostile_ticker_in_a_config_is_a_config_error(tmp_path):
    for symbol in ("../x", "/etc/passwd", "a/b", ".."):
        with pytest.raises(BadInputError, match=r"call\.ticker"):
            cl.load_config({"call": {"ticker": symbol, "date": "2020-01-02"}})


def test_a_call_against_an_index_from_a_data_folder(tmp_path):
    data = tmp_path / "data"
    write_price_csv(synthetic_prices(seed=1, days=300), data / "prices" / "AAA.csv")
    write_price_csv(synthetic_prices(seed=2, days=300), data / "prices" / "^GSPC.csv")
    config = {
        "name": "index_call",
        "start": "2019-01-02",
        "benchmark": "^GSPC",
        "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["^GSPC"]},
    }
    result = cl.run(config, data_dir=data, write=False)
    assert list(result.call.out_of_sample.index) == ["AAA", "^GSPC"]
    assert any("^GSPC is a price index" in note for note in result.notes)
    frame = pd.read_csv(data / "prices" / "^GSPC.csv", index_col="Date", parse_dates=True)
    entry = frame.index[frame.index >= "2019-09-02"][0]
    expected = frame["Close"].iloc[-1] / frame.loc[entry, "Open"] - 1
    assert result.call.out_of_sample.loc["^GSPC", "total_return"] == pytest.approx(
        expected, rel=1e-9
    )


def test_price_index_note_only_beside_total_return_tickers():
    assert price_index_note(["^GSPC", "^IXIC"]) is None
    assert price_index_note(["SPY", "QQQ"]) is None
    assert "dividends" in price_index_note(["AAA", "^GSPC"])
