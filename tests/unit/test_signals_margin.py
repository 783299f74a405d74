"""The ``margin`` signal on tiny synthetic inputs whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from signal_inputs import change_days, quarter, quarterly_series, signal_inputs, trading_days

from catalystlab.core.errors import BadInputError
from signals.base import compute_signal
from signals.margin import margin_measures

DAYS = trading_days("2020-01-01", "2023-12-29")

# Nine calendar quarters 2020Q1..2022Q1, each published 30 days after its end, after the close.
REVENUE = [100, 100, 100, 100, 110, 120, 130, 140, 150]
INCOME = [10, 10, 10, 10, 12, 14, 20, 28, 30]
ROWS = quarterly_series(
    "AAA", "2020-03-31", {"revenue": REVENUE, "operating_income": INCOME}, lag_days=30
)


def first_session_from(day: str) -> pd.Timestamp:
    """First trading day of DAYS on or after ``day``."""
    return DAYS[DAYS.searchsorted(pd.Timestamp(day))]


def test_measures_match_a_hand_computation() -> None:
    measures = margin_measures(signal_inputs(DAYS, fundamental_rows=ROWS), ["AAA"])
    by_quarter = measures.set_index("period_end")
    q4_2020 = by_quarter.loc[pd.Timestamp("2020-12-31")]
    assert q4_2020["t4q_revenue"] == 400
    assert q4_2020["t4q_operating_income"] == 40
    assert q4_2020["t4q_margin"] == pytest.approx(0.10)
    assert np.isnan(q4_2020["margin_change"])  # needs eight quarters
    q4_2021 = by_quarter.loc[pd.Timestamp("2021-12-31")]
    # 2021: revenue 110+120+130+140 = 500, income 12+14+20+28 = 74 -> 14.8 %, was 40/400.
    assert q4_2021["t4q_margin"] == pytest.approx(0.148)
    assert q4_2021["margin_change"] == pytest.approx(0.048)
    assert q4_2021["income_growth"] == pytest.approx(74 / 40 - 1)
    q1_2022 = by_quarter.loc[pd.Timestamp("2022-03-31")]
    # 2021Q2..2022Q1: 92 / 540; four quarters earlier 2020Q2..2021Q1: 42 / 410.
    assert q1_2022["t4q_margin"] == pytest.approx(92 / 540)
    assert q1_2022["margin_change"] == pytest.approx(92 / 540 - 42 / 410)
    assert q1_2022["income_growth"] == pytest.approx(92 / 42 - 1)
    # Each row holds from the day after the after-close release (30 days after quarter end).
    assert q1_2022["as_of"] == pd.Timestamp("2022-05-01")


def test_long_from_the_session_after_the_release_that_lifts_the_change_above_threshold() -> None:
    inputs = signal_inputs(DAYS, fundamental_rows=ROWS)
    exposure = compute_signal("margin", inputs, ["AAA"], {"threshold": 0.05})["AAA"]
    # 2021Q4's change (4.8pp) is below 5pp; 2022Q1's (6.8pp) is above. 2022Q1 was released
    # after the close of Saturday 2022-04-30, so it first counts on Monday 2022-05-02.
    entry = first_session_from("2022-05-01")
    assert entry == pd.Timestamp("2022-05-02")
    assert (exposure[exposure.index < entry] == 0).all()
    assert (exposure[exposure.index >= entry] == 1).all()


def test_income_growth_measure() -> None:
    inputs = signal_inputs(DAYS, fundamental_rows=ROWS)
    params = {"measure": "income_growth", "threshold": 1.0}
    exposure = compute_signal("margin", inputs, ["AAA"], params)["AAA"]
    # growth 0.85 at 2021Q4 (not above 1.0), 1.19 at 2022Q1.
    assert change_days(exposure) == [first_session_from("2022-05-01")]
    assert exposure.iloc[-1] == 1


def test_off_and_missing_exposure() -> None:
    inputs = signal_inputs(DAYS, fundamental_rows=ROWS)
    params = {"threshold": 0.05, "off_exposure": 0.25, "missing_exposure": 0.5}
    exposure = compute_signal("margin", inputs, ["AAA"], params)["AAA"]
    q4_2021_known = first_session_from("2022-01-31")
    assert (exposure[exposure.index < q4_2021_known] == 0.5).all()  # fewer than 8 quarters
    assert exposure[q4_2021_known] == 0.25  # 4.8pp is not above 5pp
    assert exposure.iloc[-1] == 1.0


def test_default_exposure_is_zero_before_eight_quarters() -> None:
    short = quarterly_series(
        "AAA",
        "2020-03-31",
        {"revenue": REVENUE[:7], "operating_income": INCOME[:7]},
    )
    exposure = compute_signal("margin", signal_inputs(DAYS, fundamental_rows=short), ["AAA"])
    assert (exposure["AAA"] == 0).all()


def test_exposure_changes_only_on_days_a_new_quarter_becomes_known() -> None:
    rng = np.random.default_rng(7)
    revenue = list(100 + np.cumsum(rng.uniform(0, 10, 16)))
    income = list(rng.uniform(5, 25, 16))
    rows = quarterly_series(
        "AAA", "2020-03-31", {"revenue": revenue, "operating_income": income}, lag_days=33
    )
    days = trading_days("2020-01-01", "2024-12-31")
    exposure = compute_signal("margin", signal_inputs(days, fundamental_rows=rows), ["AAA"])
    releases = {days[days.searchsorted(row["known_from"])] for row in rows}
    moves = change_days(exposure["AAA"])
    assert len(moves) >= 2
    assert set(moves) <= releases


def test_a_gap_leaves_the_measure_missing_until_eight_consecutive_quarters_return() -> None:
    # 2021Q1 (index 4) was published without revenue and operating income rows: the company's
    # quarter is known (its capex row is there) but the margin cannot be computed.
    values = {
        "revenue": [100.0] * 16,
        "operating_income": [10.0] * 8 + [20.0] * 8,
        "capex": [5.0] * 16,
    }
    values["revenue"][4] = None
    values["operating_income"][4] = None
    rows = quarterly_series("AAA", "2020-03-31", values, lag_days=30)
    days = trading_days("2020-01-01", "2024-12-31")
    inputs = signal_inputs(days, fundamental_rows=rows)
    measures = margin_measures(inputs, ["AAA"]).set_index("as_of")
    # The gap quarter itself: newest published quarter lacks the metrics -> no quarter, no value.
    gap_row = measures.loc[pd.Timestamp("2021-05-01")]
    assert pd.isna(gap_row["period_end"]) and np.isnan(gap_row["t4q_margin"])
    # Windows containing the gap (anchors 2021Q2..2022Q4 for the 8-quarter change) are missing;
    # 2023Q1 (window 2021Q2..2023Q1) is the first with eight consecutive quarters again.
    dated = measures.dropna(subset=["period_end"]).set_index("period_end")
    change = dated["margin_change"]
    assert change.loc["2021-06-30":"2022-12-31"].isna().all()
    # 2023Q1: income 2022Q2..2023Q1 = 80 of 400, four quarters earlier 10+10+10+20 = 50 of 400.
    assert change.loc[pd.Timestamp("2023-03-31")] == pytest.approx(0.2 - 0.125)
    exposure = compute_signal("margin", inputs, ["AAA"])["AAA"]
    back = days[days.searchsorted(pd.Timestamp("2023-05-01"))]
    assert (exposure[exposure.index < back] == 0).all()
    assert exposure[back] == 1
    assert change_days(exposure)[0] == back


def test_a_quarter_published_without_operating_income_does_not_keep_the_old_signal() -> None:
    values = {
        "revenue": [100.0] * 10,
        "operating_income": [10.0] * 4 + [20.0] * 5 + [None],
    }
    rows = quarterly_series("AAA", "2020-03-31", values, lag_days=30)
    days = trading_days("2020-01-01", "2023-12-29")
    exposure = compute_signal("margin", signal_inputs(days, fundamental_rows=rows), ["AAA"])
    # 2021Q4 (change +10pp) and 2022Q1 (+7.5pp) are long; 2022Q2 has revenue but no operating
    # income: the signal goes flat on its release instead of holding 2022Q1's reading.
    assert change_days(exposure["AAA"]) == [
        days[days.searchsorted(pd.Timestamp("2022-01-31"))],
        days[days.searchsorted(pd.Timestamp("2022-07-31"))],
    ]


def test_a_restatement_counts_from_the_next_quarter_not_on_its_own_day() -> None:
    rows = list(ROWS)
    # 2021Q3 operating income restated from 20 to 0 in a filing of 2022-03-15 (intraday).
    rows += quarter("AAA", "2021-09-30", "2022-03-15", {"operating_income": 0}, timing="intraday")
    inputs = signal_inputs(DAYS, fundamental_rows=rows)
    measures = margin_measures(inputs, ["AAA"]).set_index("period_end")
    assert pd.Timestamp("2022-03-15") not in set(measures["as_of"])
    assert measures.loc[pd.Timestamp("2021-12-31"), "t4q_operating_income"] == 74
    # 2022Q1 (known 2022-05-01) uses the restated 0: 14 + 0 + 28 + 30.
    assert measures.loc[pd.Timestamp("2022-03-31"), "t4q_operating_income"] == 72


def test_fiscal_quarters_ending_late_in_the_month_are_consecutive() -> None:
    # NVIDIA-style 52/53-week quarters: ends on the last Sunday of Jan/Apr/Jul/Oct.
    ends = [
        "2022-01-30", "2022-05-01", "2022-07-31", "2022-10-30",
        "2023-01-29", "2023-04-30", "2023-07-30", "2023-10-29",
    ]  # fmt: skip
    rows = []
    for i, end in enumerate(ends):
        public = (pd.Timestamp(end) + pd.Timedelta(days=25)).strftime("%Y-%m-%d")
        rows += quarter("NNN", end, public, {"revenue": 100, "operating_income": 10 + 5 * (i > 3)})
    measures = margin_measures(
        signal_inputs(DAYS, tickers=("NNN",), fundamental_rows=rows), ["NNN"]
    )
    assert measures["margin_change"].iloc[-1] == pytest.approx(0.05)


def test_a_ticker_without_fundamentals_gets_missing_exposure() -> None:
    inputs = signal_inputs(DAYS, tickers=("AAA", "BBB"), fundamental_rows=ROWS)
    exposure = compute_signal("margin", inputs, ["AAA", "BBB"], {"missing_exposure": 0.2})
    assert (exposure["BBB"] == 0.2).all()
    assert list(exposure.columns) == ["AAA", "BBB"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"treshold": 0.01}, "unknown parameter"),
        ({"threshold": "high"}, "threshold"),
        ({"threshold": 2}, "between -1 and 1"),
        ({"threshold": float("nan")}, "finite"),
        ({"measure": "income_growth", "threshold": 7}, "between -1 and 5"),
        ({"measure": "margin_level"}, "measure"),
        ({"off_exposure": 1.5}, "off_exposure"),
        ({"missing_exposure": -0.1}, "missing_exposure"),
    ],
)
def test_bad_parameters_raise_bad_input(params: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        compute_signal("margin", signal_inputs(DAYS), ["AAA"], params)
