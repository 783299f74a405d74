"""The ``capex`` signal: T4Q capex growth worked out by hand, gaps, guidance events, modes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from signal_inputs import change_days, event, quarterly_series, signal_inputs, trading_days

from catalystlab.core.errors import BadInputError
from signals.base import compute_signal
from signals.capex import capex_growth, guidance_events

DAYS = trading_days("2020-01-01", "2023-12-29")
# 2020Q1..2022Q1, published 30 days after each quarter's end, after the close.
CAPEX = [10, 10, 10, 10, 12, 12, 12, 14, 20]
ROWS = quarterly_series("AAA", "2020-03-31", {"capex": CAPEX, "revenue": [100] * 9})


def session(day: str) -> pd.Timestamp:
    """First trading day of DAYS on or after ``day``."""
    return DAYS[DAYS.searchsorted(pd.Timestamp(day))]


def held_days(exposure: pd.Series) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in exposure.index[exposure.to_numpy() == 1]]


def test_t4q_growth_matches_a_hand_computation() -> None:
    table = capex_growth(signal_inputs(DAYS, fundamental_rows=ROWS), ["AAA"])
    growth = table.set_index("period_end")["growth"]
    assert growth.loc["2020-03-31":"2021-09-30"].isna().all()  # fewer than eight quarters
    assert growth.loc[pd.Timestamp("2021-12-31")] == pytest.approx(50 / 40 - 1)  # 12+12+12+14
    assert growth.loc[pd.Timestamp("2022-03-31")] == pytest.approx(58 / 42 - 1)  # 12+12+14+20
    assert table["t4q_capex"].iloc[-1] == 58


def test_growth_mode_is_long_from_the_release_that_lifts_growth_above_threshold() -> None:
    inputs = signal_inputs(DAYS, fundamental_rows=ROWS)
    exposure = compute_signal("capex", inputs, ["AAA"], {"mode": "growth", "threshold": 0.3})
    # 25% at 2021Q4 is not above 30%; 38% at 2022Q1 (released Saturday 2022-04-30) is.
    assert change_days(exposure["AAA"]) == [session("2022-05-01")]
    assert exposure["AAA"].iloc[-1] == 1


def test_a_missing_capex_quarter_is_never_filled() -> None:
    # Capex grows 10% a quarter, but 2021Q2 capex is blank while its revenue row is published.
    capex = [10 * 1.1**i for i in range(16)]
    capex[5] = None
    rows = quarterly_series("AAA", "2020-03-31", {"capex": capex, "revenue": [100] * 16})
    days = trading_days("2020-01-01", "2024-12-31")
    inputs = signal_inputs(days, fundamental_rows=rows)
    table = capex_growth(inputs, ["AAA"]).set_index("as_of")
    # From 2021Q2's release no growth exists until 2023Q2, whose window 2021Q3..2023Q2 is whole.
    assert table.loc["2021-07-31":"2023-05-01", "growth"].isna().all()
    assert table.loc[pd.Timestamp("2023-07-31"), "growth"] == pytest.approx(1.1**4 - 1)
    exposure = compute_signal("capex", inputs, ["AAA"], {"mode": "growth", "threshold": 0.2})
    back = days[days.searchsorted(pd.Timestamp("2023-07-31"))]
    assert (exposure.loc[exposure.index < back, "AAA"] == 0).all()
    assert (exposure.loc[exposure.index >= back, "AAA"] == 1).all()


def test_guidance_mode_holds_after_each_event() -> None:
    rows = [event("AAA", "capex_guidance", "2021-02-04", timing="after_close", value_usd_bn=50)]
    inputs = signal_inputs(DAYS, event_rows=rows)
    exposure = compute_signal("capex", inputs, ["AAA"], {"mode": "guidance", "hold_days": 3})
    assert held_days(exposure["AAA"]) == ["2021-02-05", "2021-02-08", "2021-02-09"]


def test_raise_rule_keeps_events_above_the_previous_guidance_value() -> None:
    values = [75, np.nan, 105, 105, 100, 200]
    dates = ["2021-01-05", "2021-03-02", "2021-05-04", "2021-07-06", "2021-09-07", "2021-11-02"]
    rows = [
        event("AAA", "capex_guidance", day, value_usd_bn=value)
        for day, value in zip(dates, values, strict=True)
    ]
    rows.append(event("BBB", "capex_guidance", "2021-06-01", value_usd_bn=1))
    table = signal_inputs(DAYS, event_rows=rows).events
    kept = guidance_events(table, "raise")
    assert list(kept["event_date"].dt.strftime("%Y-%m-%d")) == [
        "2021-01-05", "2021-05-04", "2021-11-02", "2021-06-01",
    ]  # fmt: skip
    assert len(guidance_events(table, "any")) == 7


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("growth", ["2022-05-02", "2022-05-03", "2022-05-04", "2022-05-05"]),
        ("guidance", ["2022-04-28", "2022-04-29", "2022-05-02"]),
        (
            "either",
            ["2022-04-28", "2022-04-29", "2022-05-02", "2022-05-03", "2022-05-04", "2022-05-05"],
        ),
        ("both", ["2022-05-02"]),
    ],
)
def test_modes_combine_the_two_parts(mode: str, expected: list[str]) -> None:
    days = trading_days("2020-01-01", "2022-05-05")
    rows = [event("AAA", "capex_guidance", "2022-04-28", value_usd_bn=30)]
    inputs = signal_inputs(days, fundamental_rows=ROWS, event_rows=rows)
    params = {"mode": mode, "threshold": 0.3, "hold_days": 3}
    exposure = compute_signal("capex", inputs, ["AAA"], params)["AAA"]
    assert held_days(exposure) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"mode": "all"}, "mode"),
        ({"threshold": 20}, "between -1 and 5"),
        ({"threshold": float("inf")}, "threshold: inf is not a finite number"),
        ({"hold_days": -3}, "hold_days"),
        ({"guidance": "up"}, "guidance"),
        ({"window": 4}, "unknown parameter"),
    ],
)
def test_bad_parameters_raise_bad_input(params: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        compute_signal("capex", signal_inputs(DAYS), ["AAA"], params)
