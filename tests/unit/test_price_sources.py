"""CSV folder source and price validation: every malformed input is a clear BadInputError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from catalystlab.inputs.prices.frame import validate_prices


def _folder(tmp_path, frame, ticker="AAA", **kwargs):
    write_price_csv(frame, tmp_path / "prices" / f"{ticker}.csv", **kwargs)
    return CsvPriceSource(tmp_path)


def test_reads_yfinance_layout_with_and_without_adj_close(tmp_path):
    frame = synthetic_prices(days=30)
    with_adj = _folder(tmp_path / "a", frame).load("AAA")
    without = _folder(tmp_path / "b", frame, adj_close=False).load("AAA")
    pd.testing.assert_frame_equal(with_adj.frame, without.frame)
    np.testing.assert_allclose(with_adj.frame["Close"], frame["Close"], rtol=1e-6)
    assert with_adj.notes == ()
    assert len(with_adj.sha256) == 64


def test_adj_close_that_differs_is_used_and_scales_ohlc(tmp_path):
    frame = synthetic_prices(days=30)
    path = tmp_path / "prices" / "AAA.csv"
    write_price_csv(frame, path)
    raw = pd.read_csv(path)
    raw["Adj Close"] = raw["Close"] * 0.5
    raw.to_csv(path, index=False)
    loaded = CsvPriceSource(tmp_path).load("AAA")
    np.testing.assert_allclose(loaded.frame["Close"], raw["Close"] * 0.5)
    np.testing.assert_allclose(loaded.frame["Open"], raw["Open"] * 0.5)
    assert "using 'Adj Close'" in loaded.notes[0]


def test_missing_csv_is_data_unavailable_naming_the_path(tmp_path):
    (tmp_path / "prices").mkdir()
    with pytest.raises(DataUnavailableError, match=r"expected .*prices/ZZZ\.csv"):
        CsvPriceSource(tmp_path).load("ZZZ")


def test_missing_data_dir_is_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="no such folder"):
        CsvPriceSource(tmp_path / "nowhere")


def test_missing_columns_are_named(tmp_path):
    frame = synthetic_prices(days=10).drop(columns=["High", "Volume"])
    with pytest.raises(BadInputError, match="lack column\\(s\\) High, Volume"):
        _folder(tmp_path, frame, adj_close=False).load("AAA")


def test_unparseable_date_names_the_row(tmp_path):
    path = write_price_csv(synthetic_prices(days=5), tmp_path / "prices" / "AAA.csv")
    text = path.read_text().splitlines()
    text[3] = "03/01/2019" + text[3][10:]
    path.write_text("\n".join(text))
    with pytest.raises(BadInputError, match="row 4 has date '03/01/2019'"):
        CsvPriceSource(tmp_path).load("AAA")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: pd.concat([f, f.iloc[[3]]]).sort_index(), "duplicate date"),
        (lambda f: f.iloc[[0, 2, 1, 3, 4, 5]], "not in ascending order"),
        (
            lambda f: f.assign(Close=f["Close"].where(f.index != f.index[2])),
            "missing or non-numeric \\(NaN\\)",
        ),
        (lambda f: f.assign(Low=f["Low"].where(f.index != f.index[2], -1.0)), "zero or negative"),
        (lambda f: f.assign(Open=f["Open"].where(f.index != f.index[2], 0.0)), "zero or negative"),
        (lambda f: f.assign(High=f["Low"] * 0.9), "High below Low"),
    ],
)
def test_malformed_prices_are_rejected(tmp_path, mutate, message):
    frame = mutate(synthetic_prices(days=6))
    with pytest.raises(BadInputError, match=message):
        _folder(tmp_path, frame).load("AAA")


def test_unadjusted_split_is_detected():
    frame = synthetic_prices(days=40)
    frame.iloc[20:, :4] = frame.iloc[20:, :4] / 20
    with pytest.raises(BadInputError, match="unadjusted 20:1 split"):
        validate_prices(frame, ticker="AAA", origin="test")


@pytest.mark.parametrize("k", [2, 10, 100])
def test_a_k_fold_rise_in_a_day_is_caught_as_a_fall_to_1_over_k_is(k):
    frame = synthetic_prices(days=40)
    day = frame.index[20].date()
    rise = frame.copy()
    rise.iloc[20:, :4] = rise.iloc[20:, :4] * k
    with pytest.raises(BadInputError) as caught:
        validate_prices(rise, ticker="AAA", origin="test")
    assert f"AAA rises to {k} times its price on {day}" in str(caught.value)
    assert f"unadjusted 1:{k} reverse split (or a unit error); use split-" in str(caught.value)
    fall = frame.copy()
    fall.iloc[20:, :4] = fall.iloc[20:, :4] / k
    with pytest.raises(BadInputError, match=f"AAA falls to 1/{k} of its price on {day}"):
        validate_prices(fall, ticker="AAA", origin="test")
    # A rise of 2.5 times is no usual ratio: accepted, as a fall to 1/2.5 is.
    odd = frame.copy()
    odd.iloc[20:, :4] = odd.iloc[20:, :4] * 2.5
    assert len(validate_prices(odd, ticker="AAA", origin="test")) == 40


@pytest.mark.parametrize("k", [10, 100])
@pytest.mark.parametrize("move", [0.91, 1.09])
def test_a_k_fold_step_is_caught_on_a_day_the_stock_also_moved_9_percent(k, move):
    # The unit error on a volatile day (a 100-fold step on NVDA's 2025-03-03, down 8.7%) passed
    # the 3% tolerance; a 10-fold or larger step is caught within 10%, either way.
    frame = synthetic_prices(days=40)
    frame.iloc[20:, :4] = frame.iloc[20:, :4] * move  # the day's own move, kept afterwards
    day = frame.index[20].date()
    for factor, said in ((k, f"rises to {k} times"), (1 / k, f"falls to 1/{k} of")):
        stepped = frame.copy()
        stepped.iloc[20:, :4] = stepped.iloc[20:, :4] * factor
        with pytest.raises(BadInputError, match=f"AAA {said} its price on {day}"):
            validate_prices(stepped, ticker="AAA", origin="test")


def test_large_real_daily_moves_are_accepted():
    # The snapshot's extremes (NVDA +42% and -35% in a day), a 5-fold or 1/5 move off the
    # split ratios' bands, and crashes of 88.5% and 92% (a failed trial, a bankruptcy
    # filing) between the bands of 1/8, 1/10 and 1/15 stay prices, not splits.
    for factor in (1.42, 0.65, 5.8, 1 / 5.8, 0.4, 0.115, 0.08):
        frame = synthetic_prices(days=40)
        frame.iloc[20:, :4] = frame.iloc[20:, :4] * factor
        assert len(validate_prices(frame, ticker="AAA", origin="test")) == 40


def test_tz_aware_dates_are_rejected():
    frame = synthetic_prices(days=5)
    frame.index = frame.index.tz_localize("America/New_York")
    with pytest.raises(BadInputError, match="time zone"):
        validate_prices(frame, ticker="AAA", origin="test")
