"""The ``thesis`` composite: all / any / weighted on components worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from signal_inputs import event, quarterly_series, signal_inputs, trading_days

from catalystlab.core.errors import BadInputError
from catalystlab.core.registry import build_params
from signals.base import compute_signal
from signals.thesis import ThesisParams

DAYS = trading_days("2021-06-01", "2022-06-30")
# Margin: the T4Q margin change turns positive with 2021Q4, known from Monday 2022-01-31.
FUNDAMENTALS = quarterly_series(
    "AAA",
    "2020-03-31",
    {
        "revenue": [100, 100, 100, 100, 110, 120, 130, 140],
        "operating_income": [10, 10, 10, 10, 12, 14, 20, 28],
    },
)
EVENTS = [
    event("AAA", "layoff", "2022-03-01", headcount=5000),  # held 10 sessions: to 2022-03-14
    event("AAA", "capex_guidance", "2022-03-08", value_usd_bn=50),  # held to 2022-03-21
]
INPUTS = signal_inputs(DAYS, fundamental_rows=FUNDAMENTALS, event_rows=EVENTS)
COMPONENTS = {"layoffs": {"hold_days": 10}, "capex": {"mode": "guidance", "hold_days": 10}}
# (margin, layoffs, capex) on a few days.
STATES = {
    "2021-12-01": (0, 0, 0),
    "2022-02-15": (1, 0, 0),
    "2022-03-02": (1, 1, 0),
    "2022-03-09": (1, 1, 1),
    "2022-03-18": (1, 0, 1),
}


def thesis(params: dict) -> pd.Series:
    return compute_signal("thesis", INPUTS, ["AAA"], {**COMPONENTS, **params})["AAA"]


def test_components_are_as_worked_out() -> None:
    for name, column in (("margin", 0), ("layoffs", 1), ("capex", 2)):
        exposure = compute_signal(name, INPUTS, ["AAA"], COMPONENTS.get(name))["AAA"]
        for day, state in STATES.items():
            assert exposure[pd.Timestamp(day)] == state[column], (name, day)


@pytest.mark.parametrize(
    ("params", "rule"),
    [
        ({"combine": "all"}, min),
        ({"combine": "any"}, max),
        ({"combine": "weighted"}, lambda s: sum(s) / 3),
        (
            {"combine": "weighted", "weights": {"margin": 2, "layoffs": 1, "capex": 1}},
            lambda s: (2 * s[0] + s[1] + s[2]) / 4,
        ),
        (
            {"combine": "weighted", "weights": {"capex": 0}},  # unnamed components weigh 1
            lambda s: (s[0] + s[1]) / 2,
        ),
    ],
)
def test_combine_rules(params: dict, rule) -> None:
    exposure = thesis(params)
    for day, state in STATES.items():
        assert exposure[pd.Timestamp(day)] == pytest.approx(rule(state)), day
    assert exposure.between(0, 1).all()


def test_a_subset_of_components() -> None:
    exposure = thesis({"combine": "all", "components": ["margin", "layoffs"]})
    assert exposure[pd.Timestamp("2022-03-02")] == 1
    assert exposure[pd.Timestamp("2022-03-18")] == 0


def test_nested_parameters_reach_the_component() -> None:
    strict = {"threshold": 0.05}  # 2021Q4's change is 4.8pp: not above 5pp
    alone = compute_signal("margin", INPUTS, ["AAA"], strict)["AAA"]
    combined = thesis({"components": ["margin"], "margin": strict})
    pd.testing.assert_series_equal(combined, alone)
    assert (combined == 0).all()


def test_parameters_parse_from_yaml_like_mappings() -> None:
    params = build_params(
        ThesisParams,
        {"combine": "any", "components": ["capex"], "capex": {"threshold": 0.1}},
        where="signal 'thesis'",
    )
    assert params.components == ("capex",)
    assert params.capex["threshold"] == 0.1
    with pytest.raises(TypeError):
        params.capex["threshold"] = 0.2  # frozen like the dataclass


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"combine": "majority"}, "combine"),
        ({"margin": {"treshold": 0.01}}, r"thesis', margin: unknown parameter\(s\) treshold"),
        ({"layoffs": {"hold_days": 0}}, "thesis', layoffs"),
        ({"capex": {"mode": "sometimes"}}, "thesis', capex"),
        ({"margin": 0.01}, "margin"),
        ({"components": []}, "at least one"),
        ({"components": ["margin", "margin"]}, "twice"),
        ({"components": ["margin", "momentum"]}, "components"),
        ({"weights": {"momentum": 1}}, "unknown component"),
        ({"weights": {"margin": -1}}, ">= 0"),
        ({"weights": {"margin": 0, "layoffs": 0, "capex": 0}}, "all zero"),
        ({"weight": {}}, "unknown parameter"),
    ],
)
def test_bad_parameters_raise_bad_input(params: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        compute_signal("thesis", INPUTS, ["AAA"], params)
