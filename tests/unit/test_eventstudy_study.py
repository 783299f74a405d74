"""The event study end to end on synthetic data: planted returns, noise, skips, seeds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from catalystlab.analysis.eventstudy import EventStudyParams, run_event_study, summarise
from catalystlab.analysis.eventstudy.placebo import eligible_days
from catalystlab.analysis.eventstudy.significance import (
    bmp_test,
    cross_sectional_t,
    patell_test,
    placebo_rank,
)
from catalystlab.analysis.eventstudy.timing import event_positions
from catalystlab.core.errors import BadInputError

N_DAYS = 3000
CALENDAR = pd.bdate_range("2010-01-04", periods=N_DAYS, name="Date")
BETAS = {"AAA": 0.8, "BBB": 1.0, "CCC": 1.3}


def market_and_stocks(seed: int, *, days: int = N_DAYS) -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    calendar = CALENDAR[:days]
    market = rng.normal(0.0004, 0.01, days)
    stocks = {t: 0.0001 + b * market + rng.normal(0, 0.01, days) for t, b in BETAS.items()}
    return pd.Series(market, index=calendar), pd.DataFrame(stocks, index=calendar)


def event_table(positions: dict[str, list[int]], calendar: pd.DatetimeIndex) -> pd.DataFrame:
    rows = [
        {"ticker": t, "known_from": calendar[p], "kind": "layoff"}
        for t, ps in positions.items()
        for p in ps
    ]
    return pd.DataFrame(rows)


# Eight events per company, 320 trading days apart (no overlap with another event's windows).
POSITIONS = {t: [300 + 320 * k + 40 * i for k in range(8)] for i, t in enumerate(BETAS)}
PARAMS = EventStudyParams(placebo_draws=300)


def planted_study(jump: float, *, seed: int = 0):
    market, stocks = market_and_stocks(seed)
    for ticker, positions in POSITIONS.items():
        for p in positions:
            stocks.iloc[p, stocks.columns.get_loc(ticker)] += jump
    events = event_table(POSITIONS, CALENDAR)
    return run_event_study(stocks, market, events, seed=seed, params=PARAMS)


def pooled(result, window: str) -> pd.Series:
    summary = result.summary
    return summary[(summary["group"] == "pooled") & (summary["window"] == window)].iloc[0]


def test_recovers_a_planted_abnormal_return() -> None:
    # +5% on day 0 of every event. A 6-day CAR has noise sd 0.01 * sqrt(6) = 0.0245 per event,
    # 0.005 for the mean of 24 events: the mean lies within 0.015 (3 sd) of 0.05.
    result = planted_study(0.05)
    for window in ("[-1,+1]", "[0,+5]"):
        row = pooled(result, window)
        assert row["n_events"] == 24
        assert row["mean_car"] == pytest.approx(0.05, abs=0.015)
        assert row["t_stat"] > 5
        assert row["bmp_pvalue"] < 1e-4
        assert row["patell_pvalue"] < 1e-4
        assert row["placebo_percentile"] == 1.0
        assert row["placebo_pvalue"] == pytest.approx(2 / 301)
        assert abs(row["placebo_mean"]) < 0.01
    per_company = result.summary[result.summary["window"] == "[0,+5]"].set_index("group")
    assert list(per_company.index) == ["pooled", "AAA", "BBB", "CCC"]
    assert (per_company.loc[["AAA", "BBB", "CCC"], "n_events"] == 8).all()
    # One company's mean of 8 has noise sd 0.0087: within 0.03 (3.4 sd) of the jump.
    assert (abs(per_company["mean_car"] - 0.05) < 0.03).all()
    # The market model recovers each company's beta.
    betas = result.cars.groupby("ticker")["beta"].mean()
    for ticker, beta in BETAS.items():
        assert betas[ticker] == pytest.approx(beta, abs=0.1)


def test_finds_nothing_in_pure_noise() -> None:
    # The same data without the jump: no test rejects at 1% in any of the four windows (the
    # false-positive rate itself is checked by the calibration test below).
    result = planted_study(0.0)
    assert result.skipped.empty
    for window in ("[-1,+1]", "[0,+5]", "[0,+20]", "[0,+60]"):
        row = pooled(result, window)
        assert abs(row["mean_car"]) < 0.03
        for column in ("t_pvalue", "bmp_pvalue", "patell_pvalue", "placebo_pvalue"):
            assert row[column] > 0.01, (window, column)


def test_placebo_p_value_is_calibrated_on_noise() -> None:
    # 40 independent noise data sets (4 events per company): the pooled [0,+5] placebo p-value
    # falls below 5% about twice (binomial(40, 0.05)); more than 6 would happen with
    # probability 0.003 if it were calibrated.
    params = EventStudyParams(windows=((0, 5),), placebo_draws=200)
    positions = {t: [300 + 300 * k + 30 * i for k in range(4)] for i, t in enumerate(BETAS)}
    rejections = 0
    for seed in range(40):
        market, stocks = market_and_stocks(500 + seed, days=1600)
        events = event_table(positions, stocks.index)
        result = run_event_study(stocks, market, events, seed=seed, params=params)
        rejections += pooled(result, "[0,+5]")["placebo_pvalue"] < 0.05
    assert rejections <= 6


def test_hand_computed_market_model_through_the_study() -> None:
    # The example of test_eventstudy_market_model: event on position 7, estimation (-6, -2).
    calendar = pd.bdate_range("2024-01-01", periods=10, name="Date")
    market = pd.Series(
        [0.003, -0.02, -0.01, 0.0, 0.01, 0.02, 0.005, 0.01, -0.01, 0.0], index=calendar
    )
    stock = [np.nan, -0.03, -0.01, 0.002, 0.02, 0.028, 0.004, 0.06, -0.005, 0.001]
    stocks = pd.DataFrame({"AAA": stock}, index=calendar)
    events = pd.DataFrame({"ticker": ["AAA"], "known_from": [calendar[7]]})
    params = EventStudyParams(
        estimation=(-6, -2), windows=((-1, 1), (0, 1)), min_estimation_days=5, placebo_draws=0
    )
    result = run_event_study(stocks, market, events, seed=0, params=params)
    cars = result.cars.set_index("window")
    sigma2 = 3.64e-5 / 3
    assert cars.loc["[0,+1]", "alpha"] == pytest.approx(0.002)
    assert cars.loc["[0,+1]", "beta"] == pytest.approx(1.46)
    assert cars.loc["[0,+1]", "resid_sd"] == pytest.approx(math.sqrt(sigma2))
    assert cars.loc["[0,+1]", "n_estimation"] == 5
    assert cars.loc["[0,+1]", "car"] == pytest.approx(0.051)
    assert cars.loc["[0,+1]", "car_sd"] == pytest.approx(math.sqrt(2.8 * sigma2))
    assert cars.loc["[-1,+1]", "car"] == pytest.approx(0.0457)
    assert cars.loc["[0,+1]", "event_day"] == calendar[7]
    path = result.paths.set_index("offset")
    assert list(path.index) == [-1, 0, 1]
    assert list(path["ar"]) == pytest.approx([-0.0053, 0.0434, 0.0076])
    assert list(path["car"]) == pytest.approx([-0.0053, 0.0381, 0.0457])
    assert result.placebo == {}
    assert result.summary["placebo_draws"].eq(0).all()


def test_event_day_is_the_first_trading_day_from_known_from() -> None:
    calendar = pd.bdate_range("2024-01-01", periods=10)  # Mon 1 Jan .. Fri 12 Jan
    known_from = pd.Series(
        pd.to_datetime(["2024-01-03", "2024-01-06", "2024-01-07", None, "2024-01-13", "2023-12-30"])
    )
    # A weekday maps to itself; Saturday and Sunday to Monday 8 Jan (position 5); a missing
    # date or one after the data's end to -1; a date before the data to the first day.
    assert list(event_positions(known_from, calendar)) == [2, 5, 5, -1, -1, 0]


def test_unmeasurable_events_are_skipped_with_a_reason() -> None:
    market, stocks = market_and_stocks(1)
    stocks.loc[stocks.index[:1000], "CCC"] = np.nan  # listed late
    stocks.iloc[2005, stocks.columns.get_loc("BBB")] = np.nan  # one missing day
    events = pd.DataFrame(
        {
            "ticker": ["AAA", "AAA", "ZZZ", "AAA", "AAA", "CCC", "BBB", "BBB"],
            "known_from": [
                CALENDAR[100],
                CALENDAR[N_DAYS - 10],
                CALENDAR[1000],
                CALENDAR[-1] + pd.Timedelta(days=3),
                pd.NaT,
                CALENDAR[1100],
                CALENDAR[2000],
                CALENDAR[1500],
            ],
        }
    )
    result = run_event_study(stocks, market, events, seed=0, params=PARAMS)
    reasons = result.skipped.set_index(["event_id", "window"])["reason"]
    assert "too close to the data start" in reasons[0, "all"]
    assert "too close to the data end" in reasons[1, "[0,+20]"]
    assert "too close to the data end" in reasons[1, "[0,+60]"]
    assert (1, "[0,+5]") not in reasons.index
    assert "no returns for ZZZ" in reasons[2, "all"]
    assert "after the last trading day" in reasons[3, "all"]
    assert "missing" in reasons[4, "all"]
    assert "fewer than 111 days" in reasons[5, "all"]
    assert "missing in the window" in reasons[6, "[0,+20]"]
    assert (6, "[-1,+1]") not in reasons.index
    assert set(result.cars["event_id"]) == {1, 6, 7}
    assert set(result.paths["event_id"]) == {1, 6, 7}


def test_same_seed_same_numbers_other_seed_other_placebo() -> None:
    market, stocks = market_and_stocks(2)
    events = event_table(POSITIONS, CALENDAR)
    first = run_event_study(stocks, market, events, seed=4, params=PARAMS)
    again = run_event_study(stocks, market, events, seed=4, params=PARAMS)
    other = run_event_study(stocks, market, events, seed=5, params=PARAMS)
    pd.testing.assert_frame_equal(first.summary, again.summary)
    for label, draws in first.placebo.items():
        pd.testing.assert_frame_equal(draws, again.placebo[label])
        assert not draws.equals(other.placebo[label])
    pd.testing.assert_frame_equal(first.cars, other.cars)


def test_placebo_days_avoid_real_events() -> None:
    car = np.zeros(20)
    car[:3] = np.nan
    assert list(eligible_days(car, np.array([10]), 2)) == [
        3,
        4,
        5,
        6,
        7,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
    ]
    # Without noise a CAR away from the events is 0 but for a jump inside its estimation
    # window, which moves alpha by 0.05 / 221 a day (0.014 over 61 days) and beta a little. A
    # placebo window holding an event would carry the +5% (at least 0.035 after that shift).
    market, stocks = market_and_stocks(0)
    stocks = pd.DataFrame({t: b * market for t, b in BETAS.items()})
    for ticker, positions in POSITIONS.items():
        for p in positions:
            stocks.iloc[p, stocks.columns.get_loc(ticker)] += 0.05
    result = run_event_study(
        stocks, market, event_table(POSITIONS, CALENDAR), seed=0, params=PARAMS
    )
    for draws in result.placebo.values():
        assert np.abs(draws.to_numpy()).max() < 0.03
    assert (result.cars["car"] > 0.04).all()


def test_overlapping_events_are_flagged() -> None:
    market, stocks = market_and_stocks(3)
    events = event_table({"AAA": [1000, 1010, 1200]}, CALENDAR)
    result = run_event_study(stocks, market, events, seed=0, params=PARAMS)
    nearby = result.cars.set_index(["event_id", "window"])["nearby_events"]
    # Event 0's [0,+20] window holds event 1 (day +10); its [-1,+1] window does not.
    assert nearby[0, "[0,+20]"] == 1 and nearby[0, "[-1,+1]"] == 0
    # Event 1 has event 0 at day -10 (in neither its estimation [-250,-30] nor its windows)
    # and event 2 at day +190 (after them).
    assert nearby[1, "[0,+60]"] == 0
    assert nearby[2, "[-1,+1]"] == 2  # both earlier events sit in its estimation window
    assert (result.cars["kind"] == "layoff").all()


def test_summary_tests_match_scipy_and_the_formulas() -> None:
    cars = np.array([0.02, -0.01, 0.04, 0.03, 0.0])
    t_stat, t_p = cross_sectional_t(cars)
    expected = stats.ttest_1samp(cars, 0.0)
    assert t_stat == pytest.approx(expected.statistic)
    assert t_p == pytest.approx(expected.pvalue)
    scars = np.array([1.5, -0.2, 2.0, 0.7])
    bmp, bmp_p = bmp_test(scars)
    expected = stats.ttest_1samp(scars, 0.0)
    assert bmp == pytest.approx(expected.statistic) and bmp_p == pytest.approx(expected.pvalue)
    z, z_p = patell_test(scars, np.array([221, 221, 200, 150]))
    variance = 2 * 219 / 217 + 198 / 196 + 148 / 146
    assert z == pytest.approx(4.0 / math.sqrt(variance))
    assert z_p == pytest.approx(2 * stats.norm.sf(z))
    assert all(math.isnan(v) for v in cross_sectional_t(np.array([0.1])))
    # Placebo rank: 3 of 4 draws below 0.25; two-sided p = 2 * (1 + 1) / 5.
    assert placebo_rank(0.25, np.array([0.0, 0.1, 0.2, 0.3])) == (0.75, 0.8)
    assert placebo_rank(1.0, np.array([0.0, 0.1, 0.2, 0.3])) == (1.0, 0.4)


def test_summary_by_another_column() -> None:
    result = planted_study(0.05)
    cars = result.cars.assign(kind=np.where(result.cars["event_id"] % 2 == 0, "even", "odd"))
    by_kind = summarise(cars, by="kind", placebo=result.placebo)
    assert set(by_kind["group"]) == {"pooled", "even", "odd"}
    row = by_kind[(by_kind["group"] == "even") & (by_kind["window"] == "[0,+5]")].iloc[0]
    assert row["n_events"] == 12 and row["placebo_draws"] == 300
    assert pooled(result, "[0,+5]").equals(
        by_kind[(by_kind["group"] == "pooled") & (by_kind["window"] == "[0,+5]")].iloc[0]
    )


def test_pooled_placebo_means() -> None:
    result = planted_study(0.0)
    means = result.pooled_placebo_means()
    assert list(means.columns) == ["window", "draw", "mean_car"]
    assert len(means) == 4 * 300
    first = means[means["window"] == "[0,+5]"]["mean_car"].to_numpy()
    assert first == pytest.approx(result.placebo["[0,+5]"].mean(axis=1).to_numpy())


def test_bad_inputs_are_refused() -> None:
    market, stocks = market_and_stocks(0, days=400)
    events = event_table({"AAA": [300]}, stocks.index)
    with pytest.raises(BadInputError, match="known_from"):
        run_event_study(stocks, market, events.drop(columns="known_from"), seed=0)
    with pytest.raises(BadInputError, match="not on the stock returns' trading days"):
        run_event_study(stocks, market.iloc[1:], events, seed=0)
    with pytest.raises(BadInputError, match="DatetimeIndex"):
        run_event_study(stocks.reset_index(drop=True), market, events, seed=0)
    with pytest.raises(BadInputError, match="ascending"):
        run_event_study(stocks.iloc[::-1], market.iloc[::-1], events, seed=0)
