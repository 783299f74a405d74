"""The AMZN call against SPY on the real snapshot, checked against pandas straight from the CSVs.

The package reads the files through CsvPriceSource and align_prices; the expected values here
come from reading the CSVs with pandas and computing each return in one line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.call import base_rate, horizon_base_rates, window_band
from catalystlab.inputs.prices.align import align_prices
from catalystlab.inputs.prices.csv_source import CsvPriceSource

pytestmark = pytest.mark.integration

FIRST, LAST = pd.Timestamp("2025-07-01"), pd.Timestamp("2025-08-01")
CONVENTIONS = ("prev_close", "next_open", "close")


@pytest.fixture(scope="module")
def aligned(shared_data):
    source = CsvPriceSource(shared_data)
    return align_prices({t: source.load(t) for t in ("AMZN", "SPY")}, start=None, end=None)


@pytest.fixture(scope="module")
def raw(aligned, shared_data) -> dict[str, pd.DataFrame]:
    """Open and close (total return) on the dates both files share, read with pandas."""
    frames = {}
    for ticker in ("AMZN", "SPY"):
        path = shared_data / "prices" / f"{ticker}.csv"
        csv = pd.read_csv(path, index_col="Date", parse_dates=True)
        factor = csv["Adj Close"] / csv["Close"]
        frames[ticker] = pd.DataFrame({"Open": csv["Open"] * factor, "Close": csv["Adj Close"]})
    common = frames["AMZN"].index.intersection(frames["SPY"].index)
    return {ticker: frame.loc[common] for ticker, frame in frames.items()}


def expected_returns(frame: pd.DataFrame, convention: str, end: pd.Timestamp) -> pd.Series:
    paid = {
        "prev_close": frame["Close"].shift(1),
        "next_open": frame["Open"],
        "close": frame["Close"],
    }[convention]
    return (frame["Close"].loc[end] / paid - 1).loc[FIRST:LAST]


def amzn_band(aligned, convention: str):
    """AMZN against SPY for every entry day of the window, sold at the last common close."""
    return window_band(
        aligned.frames,
        ticker="AMZN",
        benchmarks=["SPY"],
        first=FIRST,
        last=LAST,
        end=aligned.calendar[-1],
        convention=convention,
    )


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_the_window_band_agrees_with_pandas_on_the_csvs(aligned, raw, convention):
    end = raw["AMZN"].index[-1]
    assert end == aligned.calendar[-1] == pd.Timestamp("2026-09-25")
    band = amzn_band(aligned, convention)
    amzn = expected_returns(raw["AMZN"], convention, end)
    excess = amzn - expected_returns(raw["SPY"], convention, end)
    assert list(band.returns.index) == list(amzn.index)
    assert len(amzn) == 23  # July 2025 has 22 sessions (4 July closed), plus 1 August
    np.testing.assert_allclose(band.returns["AMZN"], amzn, rtol=1e-12)
    np.testing.assert_allclose(band.excess["SPY"], excess, rtol=1e-12, atol=1e-15)
    for stats, values in ((band.ticker_stats, amzn), (band.excess_stats["SPY"], excess)):
        assert stats.minimum == pytest.approx(values.min(), rel=1e-12)
        assert stats.median == pytest.approx(values.median(), rel=1e-12)
        assert stats.maximum == pytest.approx(values.max(), rel=1e-12)
        assert stats.min_day == values.idxmin()
        assert stats.max_day == values.idxmax()


def test_the_earnings_gap_separates_prev_close_from_next_open(aligned, raw):
    bands = {c: amzn_band(aligned, c) for c in ("prev_close", "next_open")}
    day = pd.Timestamp("2025-08-01")
    gap = raw["AMZN"]["Open"][day] / raw["AMZN"]["Close"][pd.Timestamp("2025-07-31")]
    assert -0.08 < gap - 1 < -0.06  # Amazon opened about 7% lower after its 31 July report
    ratio = (1 + bands["prev_close"].returns["AMZN"][day]) / (
        1 + bands["next_open"].returns["AMZN"][day]
    )
    assert ratio == pytest.approx(gap, rel=1e-12)


def test_the_base_rate_agrees_with_pandas_on_the_csvs(aligned, raw):
    entry, end = pd.Timestamp("2025-08-01"), aligned.calendar[-1]
    result = base_rate(
        aligned.frames,
        ticker="AMZN",
        benchmark="SPY",
        entry_day=entry,
        end=end,
    )
    dates = raw["AMZN"].index
    e, x = dates.get_loc(entry), len(dates) - 1
    holding = x - e
    amzn, spy = raw["AMZN"], raw["SPY"]
    windows = (amzn["Close"].shift(-holding) / amzn["Open"]) - (
        spy["Close"].shift(-holding) / spy["Open"]
    )
    # Starts from 2010 whose exit close (start + holding) is at most the close before entry.
    windows = windows.iloc[dates.searchsorted(pd.Timestamp("2010-01-01")) : e - holding]
    call = (amzn["Close"].iloc[x] / amzn["Open"].iloc[e]) - (
        spy["Close"].iloc[x] / spy["Open"].iloc[e]
    )
    assert result.holding_days == holding
    assert result.history.index[0] == pd.Timestamp("2010-01-04")
    assert result.history.index[-1] == windows.index[-1]
    assert dates[dates.get_loc(result.history.index[-1]) + holding] < entry
    np.testing.assert_allclose(result.history, windows, rtol=1e-9, atol=1e-12)
    assert result.call_excess == pytest.approx(call, rel=1e-12)
    assert result.percentile == pytest.approx(float((windows <= call).mean()), abs=1e-12)
    assert result.n_windows == len(windows)


def test_horizons_exit_on_the_last_session_before_each_target(aligned, raw):
    rows = horizon_base_rates(
        aligned.frames,
        ticker="AMZN",
        benchmarks=["SPY"],
        entry_day="2025-08-01",
    )
    exits = {r.months: r.base.end for r in rows}
    # 1 September 2025 was Labor Day; 1 August 2026 is a Saturday.
    assert exits == {
        1: pd.Timestamp("2025-08-29"),
        3: pd.Timestamp("2025-10-31"),
        6: pd.Timestamp("2026-01-30"),
        12: pd.Timestamp("2026-07-31"),
    }
    amzn, spy = raw["AMZN"], raw["SPY"]
    entry = pd.Timestamp("2025-08-01")
    for row in rows:
        expected = (amzn["Close"][row.base.end] / amzn["Open"][entry]) - (
            spy["Close"][row.base.end] / spy["Open"][entry]
        )
        assert row.base.call_excess == pytest.approx(expected, rel=1e-12)
