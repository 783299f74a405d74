"""catalystlab.bt.feed: the bars, the catalyst lines (known from the close of the day they
were public, hand-computed), every cerebro mode, and the bad inputs of a feed."""

from __future__ import annotations

from pathlib import Path

import backtrader as bt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import catalystlab.bt as cbt
from catalystlab.bt.feeds import Catalysts, DataNote, build_feed, catalyst_columns
from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.pit import SignalInputs
from tests.conftest import synthetic_prices
from tests.unit.signal_inputs import (
    event,
    quarterly_series,
    random_inputs,
    signal_inputs,
    trading_days,
)

LINES = ("margin_change", "income_growth", "capex_growth", "layoff_days", "layoff_headcount")
PRICE_LINES = ("open", "high", "low", "close", "volume")


class Record(bt.Strategy):
    """Every line of every data, bar by bar, as the strategy sees it at each close."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []

    def next(self) -> None:
        row: dict[str, object] = {"date": self.data.datetime.date(0)}
        row.update({name: getattr(self.data.lines, name)[0] for name in PRICE_LINES + LINES})
        self.rows.append(row)


def run_cerebro(data: bt.feeds.DataBase, **options) -> pd.DataFrame:
    cerebro = bt.Cerebro(stdstats=False, **options)
    cerebro.adddata(data)
    cerebro.addstrategy(Record)
    (strategy,) = cerebro.run()
    return pd.DataFrame(strategy.rows).set_index("date")


def synthetic_feed(inputs: SignalInputs, ticker: str = "AAA") -> cbt.feeds.CatalystFeed:
    """A feed of synthetic bars on ``inputs.calendar`` with the catalysts of ``inputs``."""
    prices = synthetic_prices(start=str(inputs.calendar[0].date()), days=len(inputs.calendar))
    prices.index = inputs.calendar
    return build_feed(prices, Catalysts(ticker=ticker, inputs=inputs, notes=(), loaded=True))


# Eight quarters of 2020-2021 (revenue 100 then 120 a quarter, operating income 10 then 18,
# capex 5 then 8), each published 30 days after its end after the close; and the ninth.
QUARTERS = quarterly_series(
    "AAA",
    "2020-03-31",
    {
        "revenue": [100.0] * 4 + [120.0] * 4 + [120.0],
        "operating_income": [10.0] * 4 + [18.0] * 4 + [12.0],
        "capex": [5.0] * 4 + [8.0] * 4 + [8.0],
    },
)


def test_catalyst_lines_hold_hand_computed_values_from_the_session_after_an_after_close_release():
    calendar = trading_days("2021-12-01", "2022-06-30")
    layoffs = [
        event("AAA", "layoff", "2022-01-05", timing="after_close", headcount=1000.0),
        event("AAA", "layoff", "2022-03-01", timing="intraday"),  # headcount undisclosed
        event("BBB", "layoff", "2022-02-01", timing="intraday", headcount=50.0),  # not AAA's
    ]
    inputs = signal_inputs(calendar, fundamental_rows=QUARTERS, event_rows=layoffs)
    lines = run_cerebro(synthetic_feed(inputs))
    lines.index = pd.DatetimeIndex(lines.index)
    # Q4 2021 (the eighth quarter) is published 2022-01-30 (a Sunday) after the close: it
    # counts from the close of Monday 2022-01-31. Margin then: 4*18/480 - 4*10/400 = 0.05.
    before, after = lines.loc[:"2022-01-28"], lines.loc["2022-01-31":"2022-04-29"]
    assert before["margin_change"].isna().all()
    np.testing.assert_allclose(after["margin_change"], 72 / 480 - 40 / 400, rtol=1e-12)
    np.testing.assert_allclose(after["income_growth"], 72 / 40 - 1, rtol=1e-12)
    np.testing.assert_allclose(after["capex_growth"], 32 / 20 - 1, rtol=1e-12)
    # The ninth quarter (Q1 2022, 2022-04-30, a Saturday): T4Q income 66 vs 40 a year before.
    ninth = lines.loc["2022-05-02":]
    # A year before it, Q2 2020 to Q1 2021: revenue 100+100+100+120, income 10+10+10+18.
    np.testing.assert_allclose(ninth["income_growth"], 66 / 48 - 1, rtol=1e-12)
    np.testing.assert_allclose(ninth["margin_change"], 66 / 480 - 48 / 420, rtol=1e-12)
    # The first layoff, after the close of Wednesday 2022-01-05, enters on Thursday the 6th.
    assert lines.loc[:"2022-01-05", "layoff_days"].isna().all()
    assert lines.loc["2022-01-06", "layoff_days"] == 0
    assert lines.loc["2022-01-07", "layoff_days"] == 1
    assert lines.loc["2022-01-10", "layoff_days"] == 2  # sessions, not calendar days
    assert lines.loc["2022-02-28", "layoff_days"] == 18 + 19  # Jan 6-31, then Feb 1-28
    assert lines.loc["2022-01-06":"2022-02-28", "layoff_headcount"].eq(1000).all()
    # The second, during the session of 2022-03-01, counts that day; its size is unknown.
    assert lines.loc["2022-03-01", "layoff_days"] == 0
    assert lines.loc["2022-03-01":, "layoff_headcount"].isna().all()


def test_the_bars_are_the_price_frame_and_every_cerebro_mode_gives_the_same_lines():
    calendar = trading_days("2021-06-01", "2022-06-30")
    inputs = signal_inputs(
        calendar,
        fundamental_rows=QUARTERS,
        event_rows=[event("AAA", "layoff", "2022-01-05", headcount=1000.0)],
    )
    data = synthetic_feed(inputs)
    preloaded = run_cerebro(data)
    frame = synthetic_prices(start="2021-06-01", days=len(calendar))
    for column in PRICE_LINES:
        np.testing.assert_array_equal(preloaded[column], frame[column.capitalize()])
    assert list(pd.DatetimeIndex(preloaded.index)) == list(calendar)
    for options in ({"runonce": False}, {"preload": False}, {"exactbars": 1}):
        pd.testing.assert_frame_equal(run_cerebro(synthetic_feed(inputs), **options), preloaded)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_each_line_value_was_known_at_that_close(seed):
    """Cut the inputs at any day: the lines up to that day do not change (no look-ahead)."""
    inputs = random_inputs(seed, days=500, quarters=16, n_events=12)
    cutoff = inputs.calendar[len(inputs.calendar) * (seed % 7 + 2) // 10]
    whole = catalyst_columns(inputs, "AAA")
    cut = catalyst_columns(inputs.truncated(cutoff), "AAA")
    for name in LINES:
        np.testing.assert_array_equal(whole[name][: len(cut[name])], cut[name], err_msg=name)


def test_a_ticker_without_fundamentals_or_layoffs_has_nan_lines():
    calendar = trading_days("2022-01-03", "2022-03-31")
    inputs = signal_inputs(calendar, fundamental_rows=QUARTERS)
    lines = catalyst_columns(inputs, "ZZZ")
    assert all(np.isnan(lines[name]).all() for name in LINES)


# ---- the data folder: prices only (the project's CSV layout) ----


def test_a_feed_reads_the_folder_through_the_projects_loader(price_folder):
    folder = price_folder(("AAA",), days=60)
    data = cbt.feed("aaa", data_dir=folder, offline=True, catalysts=False)
    assert data._name == "AAA" and data.catalysts.ticker == "AAA"
    lines = run_cerebro(data)
    np.testing.assert_allclose(lines["close"], synthetic_prices(days=60)["Close"], rtol=1e-6)
    assert lines[list(LINES)].isna().all().all()
    dated = run_cerebro(
        cbt.feed("AAA", data_dir=folder, catalysts=False, start="2019-01-10", end="2019-02-01")
    )
    assert str(dated.index[0]) == "2019-01-10" and str(dated.index[-1]) == "2019-02-01"


def test_a_symbol_without_data_is_a_data_unavailable_error_naming_the_file(price_folder):
    folder = price_folder(("AAA",), days=30)
    with pytest.raises(DataUnavailableError, match=r"No prices for MSFT in .*MSFT\.csv"):
        cbt.feed("MSFT", data_dir=folder, catalysts=False)


def test_a_folder_without_fundamentals_says_to_pass_catalysts_false(price_folder):
    folder = price_folder(("AAA",), days=30)
    with pytest.raises(DataUnavailableError, match="catalysts=False"):
        cbt.feed("AAA", data_dir=folder, offline=True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ticker": "../etc"}, "not a ticker symbol"),
        ({"ticker": "AAA", "start": "2019-13-01"}, "start: '2019-13-01' is not a date"),
        ({"ticker": "AAA", "start": "2019-03-01", "end": "2019-02-01"}, "not after start"),
        ({"ticker": "AAA", "start": "2019-01-07", "end": "2019-01-07"}, "not after start"),
        ({"ticker": "AAA", "start": "2030-01-01"}, "share no trading days"),
    ],
)
def test_bad_feed_arguments_are_bad_input_errors(price_folder, kwargs, message):
    folder = price_folder(("AAA",), days=30)
    with pytest.raises(BadInputError, match=message):
        cbt.feed(data_dir=folder, catalysts=False, **kwargs)


def test_a_missing_folder_is_a_bad_input_error(tmp_path: Path):
    with pytest.raises(BadInputError, match="no such folder"):
        cbt.feed("AAA", data_dir=tmp_path / "nowhere", catalysts=False)


def test_prices_off_the_catalysts_calendar_are_refused():
    inputs = signal_inputs(trading_days("2022-01-03", "2022-01-31"))
    prices = synthetic_prices(start="2022-01-03", days=5)
    with pytest.raises(ValueError, match="calendar"):
        build_feed(prices, Catalysts(ticker="AAA", inputs=inputs, notes=(), loaded=True))


def test_the_loaders_notes_are_warnings_and_stay_on_the_feed(price_folder):
    folder = price_folder(("AAA",), days=30)
    with pytest.warns(DataNote, match="Start moved from 2018-12-03 to 2019-01-02"):
        data = cbt.feed("AAA", data_dir=folder, catalysts=False, start="2018-12-03")
    (note,) = data.catalysts.notes
    assert note == "Start moved from 2018-12-03 to 2019-01-02: AAA's first price."


def test_offline_without_a_data_folder_serves_the_projects_price_cache(tmp_path: Path):
    """No data_dir: Yahoo Finance behind the project's cache; offline, a miss is one error."""
    with pytest.raises(DataUnavailableError, match=r"AMZN is not in the price cache"):
        cbt.feed("AMZN", offline=True, cache_dir=tmp_path, catalysts=False)
