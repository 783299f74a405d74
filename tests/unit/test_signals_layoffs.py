"""The ``layoffs`` signal: entry session, hold length, overlaps, report/official pairs, filters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from signal_inputs import event, signal_inputs, trading_days

from catalystlab.core.errors import BadInputError
from signals.base import compute_signal

DAYS = trading_days("2023-01-02", "2023-06-30")


def held_days(exposure: pd.Series) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in exposure.index[exposure.to_numpy() == 1]]


def run(rows: list[dict], params: dict | None = None, tickers=("AAA",)) -> pd.DataFrame:
    inputs = signal_inputs(DAYS, tickers=tickers, event_rows=rows)
    return compute_signal("layoffs", inputs, list(tickers), params)


def test_holds_hold_days_sessions_from_the_announcement_session() -> None:
    exposure = run([event("AAA", "layoff", "2023-01-04")], {"hold_days": 3})["AAA"]
    assert held_days(exposure) == ["2023-01-04", "2023-01-05", "2023-01-06"]


def test_an_after_close_announcement_enters_on_the_next_session() -> None:
    # Friday after the close -> known from Saturday -> first tradable close Monday.
    rows = [event("AAA", "layoff", "2023-01-06", timing="after_close")]
    exposure = run(rows, {"hold_days": 2})["AAA"]
    assert held_days(exposure) == ["2023-01-09", "2023-01-10"]


def test_overlapping_events_extend_the_hold_without_stacking() -> None:
    rows = [event("AAA", "layoff", "2023-01-04"), event("AAA", "layoff", "2023-01-06")]
    exposure = run(rows, {"hold_days": 3})["AAA"]
    assert held_days(exposure) == [
        "2023-01-04", "2023-01-05", "2023-01-06", "2023-01-09", "2023-01-10",
    ]  # fmt: skip
    assert exposure.max() == 1


def test_a_report_and_its_official_statement_do_not_double_count() -> None:
    # The report came after Monday's close; the company confirmed on Tuesday during the session.
    report = event("AAA", "layoff", "2023-03-13", timing="after_close", status="report")
    official = event("AAA", "layoff", "2023-03-14", headcount=10_000, status="official")
    both = run([report, official], {"hold_days": 4})["AAA"]
    alone = run([official], {"hold_days": 4})["AAA"]
    pd.testing.assert_series_equal(both, alone)
    assert held_days(both) == ["2023-03-14", "2023-03-15", "2023-03-16", "2023-03-17"]


def test_an_earlier_report_starts_the_hold_and_the_official_row_only_extends_it() -> None:
    report = event("AAA", "layoff", "2023-03-13", status="report")
    official = event("AAA", "layoff", "2023-03-14", status="official")
    exposure = run([report, official], {"hold_days": 2})["AAA"]
    assert held_days(exposure) == ["2023-03-13", "2023-03-14", "2023-03-15"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("any", ["2023-03-13", "2023-03-14", "2023-03-15"]),
        ("report", ["2023-03-13", "2023-03-14"]),
        ("official", ["2023-03-14", "2023-03-15"]),
    ],
)
def test_status_filter(status: str, expected: list[str]) -> None:
    rows = [
        event("AAA", "layoff", "2023-03-13", status="report"),
        event("AAA", "layoff", "2023-03-14", status="official"),
    ]
    assert held_days(run(rows, {"hold_days": 2, "status": status})["AAA"]) == expected


def test_minimum_headcount_drops_small_and_undisclosed_layoffs() -> None:
    rows = [
        event("AAA", "layoff", "2023-02-01", headcount=999),
        event("AAA", "layoff", "2023-03-01"),  # headcount undisclosed
        event("AAA", "layoff", "2023-04-03", headcount=1000),
    ]
    exposure = run(rows, {"hold_days": 1, "min_headcount": 1000})["AAA"]
    assert held_days(exposure) == ["2023-04-03"]


@pytest.mark.parametrize(
    ("match", "expected"),
    [("all", ["2023-04-03"]), ("any", ["2023-02-01", "2023-03-01", "2023-04-03"])],
)
def test_headcount_and_percent_filters_combine_by_match(match: str, expected: list[str]) -> None:
    rows = [
        event("AAA", "layoff", "2023-02-01", headcount=5000, pct=0.01),
        event("AAA", "layoff", "2023-03-01", headcount=200, pct=0.10),
        event("AAA", "layoff", "2023-04-03", headcount=5000, pct=0.05),
        event("AAA", "layoff", "2023-05-01", headcount=200, pct=0.01),
    ]
    params = {"hold_days": 1, "min_headcount": 1000, "min_pct": 0.05, "match": match}
    assert held_days(run(rows, params)["AAA"]) == expected


def test_other_kinds_and_other_tickers_are_ignored() -> None:
    rows = [
        event("AAA", "capex_guidance", "2023-02-01", value_usd_bn=100),
        event("BBB", "layoff", "2023-03-01"),
    ]
    exposure = run(rows, {"hold_days": 5}, tickers=("AAA", "BBB"))
    assert (exposure["AAA"] == 0).all()
    entry = DAYS.searchsorted(pd.Timestamp("2023-03-01"))
    assert held_days(exposure["BBB"]) == [d.strftime("%Y-%m-%d") for d in DAYS[entry : entry + 5]]


def test_events_outside_the_calendar() -> None:
    rows = [
        # Wednesday 2022-12-28: three weekdays before the calendar; 2 of 5 sessions remain.
        event("AAA", "layoff", "2022-12-28"),
        event("AAA", "layoff", "2023-06-30", timing="after_close"),  # counts after the last day
    ]
    exposure = run(rows, {"hold_days": 5})["AAA"]
    assert held_days(exposure) == ["2023-01-02", "2023-01-03"]


def test_a_hold_running_past_the_last_day_is_cut_there() -> None:
    exposure = run([event("AAA", "layoff", "2023-06-29")], {"hold_days": 60})["AAA"]
    assert held_days(exposure) == ["2023-06-29", "2023-06-30"]
    assert np.isin(exposure.to_numpy(), [0.0, 1.0]).all()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"hold": 10}, "unknown parameter"),
        ({"hold_days": 0}, "hold_days"),
        ({"hold_days": 2.5}, "hold_days"),
        ({"min_pct": 5}, "fraction"),
        ({"min_headcount": -1}, "min_headcount"),
        ({"status": "leak"}, "status"),
        ({"match": "both"}, "match"),
    ],
)
def test_bad_parameters_raise_bad_input(params: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        run([], params)
