"""Statistics that agree with themselves (issue 11)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.stats.spa import spa_test
from catalystlab.report.verdicts import _one_spa


def _returns(seed: int = 0, days: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=days)
    hold = rng.normal(0.0005, 0.01, days)
    return pd.DataFrame(
        {"hold": hold, "rule": hold.copy(), "noise": rng.normal(0.0, 0.01, days)}, index=index
    )


def test_a_rule_identical_to_the_benchmark_is_reported_as_identical_not_as_beating_it():
    returns = _returns()[["hold", "rule"]]
    spa = spa_test(returns, "hold", seed=1, reps=200)
    assert spa.identical == ("rule",)
    assert (spa.pvalue_lower, spa.pvalue_consistent, spa.pvalue_upper) == (1.0, 1.0, 1.0)
    assert spa.better == ()
    sentence = _one_spa(spa)
    assert "returned exactly what hold did every day" in sentence
    assert "0.000" not in sentence and "better" not in sentence


def test_identical_rules_are_left_out_and_the_others_tested():
    returns = _returns()
    spa = spa_test(returns, "hold", seed=1, reps=200)
    assert spa.identical == ("rule",)
    assert spa.strategies == ("rule", "noise")
    assert 0.0 < spa.pvalue_consistent <= 1.0
    assert spa.better == ()
    sentence = _one_spa(spa)
    assert "none of them beats it" in sentence and "rule returned exactly what hold" in sentence


def test_the_sentence_never_says_none_beats_it_when_the_p_value_rejects():
    returns = _returns(days=600)
    returns["edge"] = returns["hold"] + 0.004  # beats holding by 40 bp a day
    spa = spa_test(returns[["hold", "edge"]], "hold", seed=1, reps=200)
    assert spa.pvalue_consistent < spa.level
    sentence = _one_spa(spa)
    assert "none of them beats it" not in sentence
    assert "edge" in sentence


def _dated_events(timing: str, days: list[int]) -> pd.DataFrame:
    from catalystlab.core.pit import known_from

    calendar = pd.bdate_range("2010-01-04", periods=3000)
    rows = []
    for day in days:
        date = calendar[day]
        rows.append(
            {
                "ticker": "AAA",
                "kind": "layoff",
                "event_date": date,
                "timing": timing,
                "known_from": known_from(date, timing),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("timing", "event_date", "day_zero"),
    [
        ("unknown", "2025-08-05", "2025-08-05"),  # a Tuesday: its own session
        ("intraday", "2025-08-05", "2025-08-05"),
        ("before_open", "2025-08-05", "2025-08-05"),
        ("after_close", "2025-08-05", "2025-08-06"),
        ("unknown", "2025-08-02", "2025-08-04"),  # a Saturday: the next session
        ("after_close", "2025-08-01", "2025-08-04"),  # Friday after the close: Monday
    ],
)
def test_day_zero_is_the_session_of_the_announcement(timing, event_date, day_zero):
    from catalystlab.analysis.eventstudy.timing import event_positions, reaction_dates
    from catalystlab.core.pit import known_from

    calendar = pd.bdate_range("2025-07-01", "2025-08-29")
    date = pd.Timestamp(event_date)
    events = pd.DataFrame(
        {"event_date": [date], "timing": [timing], "known_from": [known_from(date, timing)]}
    )
    (position,) = event_positions(reaction_dates(events), calendar)
    assert calendar[position] == pd.Timestamp(day_zero)


def test_a_reaction_on_the_day_of_an_unknown_time_announcement_is_inside_day_0():
    from catalystlab.analysis.eventstudy import EventStudyParams, run_event_study, window_label

    rng = np.random.default_rng(3)
    calendar = pd.bdate_range("2010-01-04", periods=3000)
    market = pd.Series(rng.normal(0.0004, 0.01, 3000), index=calendar)
    stock = 0.0001 + market + rng.normal(0, 0.005, 3000)
    days = [300 + 320 * k for k in range(8)]
    stock.iloc[days] += 0.05  # the market reacts on the announcement day itself
    stocks = pd.DataFrame({"AAA": stock}, index=calendar)
    params = EventStudyParams(windows=((0, 0), (1, 1)), placebo_draws=100)
    result = run_event_study(stocks, market, _dated_events("unknown", days), seed=0, params=params)
    cars = result.cars.groupby("window")["car"].mean()
    assert cars[window_label((0, 0))] == pytest.approx(0.05, abs=0.01)  # day 0 holds the jump
    assert abs(cars[window_label((1, 1))]) < 0.01  # day +1 does not
    # The trading rules still count the event from the next day (known at that close).
    events = _dated_events("unknown", days)
    assert (events["known_from"] - events["event_date"]).dt.days.eq(1).all()
