"""The signals on the real snapshot (``../shared/data``), through the project's loaders.

Known answers: Amazon releases after the US close, so a quarter first counts on the session
after its ``release_date`` in ``amzn_quarterly.csv`` (read here directly, independently of the
loader); Amazon's 2024 operating income was 68,593 vs 36,852 in 2023 ($M, +86.1%), released
after the close of 2025-02-06; the Reuters report of up to 30,000 Amazon layoffs came near the
close of 2025-10-27 (tradable the next session).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from catalystlab.core.pit import SignalInputs
from catalystlab.inputs.events import load_snapshot_events
from catalystlab.inputs.fundamentals import load_snapshot_fundamentals
from catalystlab.inputs.prices.align import align_prices
from catalystlab.inputs.prices.csv_source import CsvPriceSource
from signals.base import SIGNALS, compute_signal
from signals.margin import margin_measures

pytestmark = pytest.mark.integration

TICKERS = ["AMZN", "MSFT", "META", "GOOGL", "NVDA"]
MARGIN_PARAMS = [
    {},
    {"threshold": 0.01},
    {"threshold": -0.01, "off_exposure": 0.5, "missing_exposure": 0.25},
    {"measure": "income_growth", "threshold": 0.2},
    {"measure": "income_growth", "threshold": 0.9},
]


@pytest.fixture(scope="module")
def inputs(shared_data: Path) -> SignalInputs:
    source = CsvPriceSource(shared_data)
    aligned = align_prices({t: source.load(t) for t in TICKERS}, start=None, end=None)
    return SignalInputs(
        calendar=aligned.calendar,
        close=aligned.close(),
        fundamentals=load_snapshot_fundamentals(shared_data),
        events=load_snapshot_events(shared_data),
    )


@pytest.fixture(scope="module")
def release_sessions(shared_data: Path, inputs: SignalInputs) -> pd.DatetimeIndex:
    """The first session after each quarter's release_date in amzn_quarterly.csv."""
    raw = pd.read_csv(shared_data / "fundamentals" / "amzn_quarterly.csv")
    quarters = raw[~raw["fiscal_quarter"].str.startswith("FY")]
    released = pd.to_datetime(quarters["release_date"], format="ISO8601")
    calendar = inputs.calendar
    return pd.DatetimeIndex(calendar[calendar.searchsorted(released, side="right")])


def change_days(exposure: pd.Series) -> pd.DatetimeIndex:
    moved = exposure.ne(exposure.shift(1))
    moved.iloc[0] = False
    return pd.DatetimeIndex(exposure.index[moved.to_numpy()])


def known_sessions(inputs: SignalInputs, ticker: str) -> set[pd.Timestamp]:
    """Sessions on which a fundamentals row of ``ticker`` first counts."""
    rows = inputs.fundamentals[inputs.fundamentals["ticker"] == ticker]
    positions = inputs.calendar.searchsorted(pd.DatetimeIndex(rows["known_from"]))
    return set(inputs.calendar[positions[positions < len(inputs.calendar)]])


@pytest.mark.parametrize("params", MARGIN_PARAMS)
def test_amazon_margin_moves_only_on_the_session_after_a_release(
    inputs: SignalInputs, release_sessions: pd.DatetimeIndex, params: dict
) -> None:
    exposure = compute_signal("margin", inputs, ["AMZN"], params)["AMZN"]
    moves = change_days(exposure)
    assert len(moves) >= 2
    covered = moves[moves <= release_sessions.max()]  # later quarters come from SEC filings
    assert set(covered) <= set(release_sessions), sorted(set(covered) - set(release_sessions))
    assert not set(covered) & {d - pd.offsets.BDay(1) for d in release_sessions}


def test_amazon_2024_operating_income_counts_from_the_session_after_2025_02_06(
    inputs: SignalInputs,
) -> None:
    measures = margin_measures(inputs, ["AMZN"]).set_index("period_end")
    fy2024 = measures.loc[pd.Timestamp("2024-12-31")]
    assert fy2024["t4q_operating_income"] == 68_593
    assert fy2024["income_growth"] == pytest.approx(68_593 / 36_852 - 1)
    assert fy2024["as_of"] == pd.Timestamp("2025-02-07")
    # Growth fell from 130% (2024Q3) to 86%: a 90% threshold switches off on Friday 2025-02-07,
    # not on Thursday 2025-02-06, the release day.
    params = {"measure": "income_growth", "threshold": 0.9}
    exposure = compute_signal("margin", inputs, ["AMZN"], params)["AMZN"]
    assert exposure[pd.Timestamp("2025-02-06")] == 1
    assert exposure[pd.Timestamp("2025-02-07")] == 0


def test_every_quarterly_signal_moves_only_when_a_quarter_of_its_ticker_becomes_known(
    inputs: SignalInputs,
) -> None:
    for name, params in (("margin", {}), ("capex", {"mode": "growth", "threshold": 0.1})):
        exposure = compute_signal(name, inputs, TICKERS, params)
        for ticker in TICKERS:
            moves = set(change_days(exposure[ticker]))
            assert moves <= known_sessions(inputs, ticker), (name, ticker)


def test_the_amazon_layoff_report_near_the_close_enters_the_next_session(
    inputs: SignalInputs,
) -> None:
    exposure = compute_signal("layoffs", inputs, ["AMZN"], {"hold_days": 5})["AMZN"]
    assert exposure[pd.Timestamp("2025-10-27")] == 0
    assert exposure[pd.Timestamp("2025-10-28")] == 1
    # The official 14,000 the next day only extends the hold by one session.
    assert exposure["2025-10-28":"2025-11-04"].tolist() == [1, 1, 1, 1, 1, 1]
    assert exposure[pd.Timestamp("2025-11-05")] == 0


def test_amazon_capex_growth_ignores_unverified_quarters(inputs: SignalInputs) -> None:
    # amzn_quarterly.csv leaves 2017's capex blank: no T4Q growth can be read in 2017-2018.
    exposure = compute_signal("capex", inputs, ["AMZN"], {"mode": "growth", "threshold": -1})
    assert (exposure.loc["2017-01-01":"2018-12-31", "AMZN"] == 0).all()


@pytest.mark.parametrize("name", ["margin", "layoffs", "capex", "thesis"])
def test_signals_on_the_snapshot_are_the_same_when_cut_at_each_amazon_release(
    inputs: SignalInputs, release_sessions: pd.DatetimeIndex, name: str
) -> None:
    assert name in SIGNALS.all()
    full = compute_signal(name, inputs, TICKERS)
    assert full.to_numpy().max() > 0
    for session in release_sessions[release_sessions <= inputs.calendar[-1]]:
        for cutoff in (session - pd.offsets.BDay(1), session):
            past = inputs.truncated(cutoff)
            cut = compute_signal(name, past, TICKERS)
            pd.testing.assert_frame_equal(cut, full.loc[past.calendar], check_exact=True)
