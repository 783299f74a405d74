"""Proof that no signal sees the future (issue 3, deliverable 7).

1. Truncation: for any cut date T, every registered signal computed on ``inputs.truncated(T)``
   equals the full-data signal on every day <= T (hypothesis, on random synthetic fundamentals,
   events and prices with gaps, restatements, late metrics, every timing and weekend dates).
2. Perturbation: changing, adding or removing anything known after T (fundamental values,
   restatements of old quarters, events, prices) leaves every value on days <= T unchanged.
3. Known-at: an earnings release after the close moves ``margin`` on the next session, not the
   same day; a release before the open moves it the same day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from signal_inputs import (
    RANDOM_METRICS,
    RANDOM_TICKERS,
    change_days,
    event,
    events,
    fundamentals,
    quarter,
    random_inputs,
    trading_days,
)

from catalystlab.core.pit import TIMINGS, SignalInputs, known_from
from signals.base import SIGNALS, compute_signal

TICKERS = RANDOM_TICKERS

# Parameter sets tried per built-in signal; other registered signals run with their defaults.
PARAMS: dict[str, list[dict]] = {
    "margin": [
        {},
        {"measure": "income_growth", "threshold": 0.1, "off_exposure": 0.3},
        {"threshold": -0.02, "missing_exposure": 0.5},
    ],
    "layoffs": [
        {},
        {"hold_days": 3, "status": "report"},
        {"hold_days": 15, "min_headcount": 500, "min_pct": 0.05, "match": "any"},
        {"hold_days": 7, "status": "official", "min_headcount": 1000},
    ],
    "capex": [
        {},
        {"mode": "growth", "threshold": 0.0},
        {"mode": "both", "hold_days": 40, "guidance": "raise"},
        {"mode": "guidance", "hold_days": 5, "guidance": "raise"},
    ],
    "thesis": [
        {},
        {"combine": "all", "capex": {"mode": "growth", "threshold": -0.5}},
        {"combine": "any", "layoffs": {"hold_days": 5}, "margin": {"threshold": 0.01}},
        {"combine": "weighted", "weights": {"margin": 3, "capex": 0.5}},
    ],
}


def params_for(name: str, choice: int) -> dict:
    options = PARAMS.get(name, [{}])
    return options[choice % len(options)]


def perturb_future(inputs: SignalInputs, cutoff: pd.Timestamp, seed: int) -> SignalInputs:
    """The same past, another future: everything known after ``cutoff`` changed or added."""
    rng = np.random.default_rng(seed)
    table = inputs.fundamentals.copy()
    future = (table["known_from"] > cutoff).to_numpy()
    table.loc[future, "value"] = table.loc[future, "value"] * rng.uniform(-3, 3, future.sum())
    extra = []
    for ticker in TICKERS:  # restatements of past quarters and quarters published later
        for metric in RANDOM_METRICS:
            end = cutoff - pd.Timedelta(days=int(rng.integers(0, 400)))
            later = cutoff + pd.Timedelta(days=int(rng.integers(1, 30)))
            extra += quarter(
                ticker,
                end.strftime("%Y-%m-%d"),
                later.strftime("%Y-%m-%d"),
                {metric: rng.uniform(-100, 500)},
                timing=str(rng.choice(TIMINGS)),
            )
    table = pd.concat([table, fundamentals(extra)], ignore_index=True)
    stream = inputs.events.copy()
    later = (stream["known_from"] > cutoff).to_numpy()
    stream.loc[later, "headcount"] = 50_000.0
    stream.loc[later, "pct"] = 0.5
    stream.loc[later, "value_usd_bn"] = 1_000.0
    stream.loc[later, "status"] = "official"
    stream = stream.drop(index=stream.index[later][: int(later.sum()) // 2])
    new_events = [
        event(ticker, kind, (cutoff + pd.Timedelta(days=1)).strftime("%Y-%m-%d"), timing="unknown")
        for ticker in TICKERS
        for kind in ("layoff", "capex_guidance")
    ]
    stream = pd.concat([stream, events(new_events)], ignore_index=True)
    close = inputs.close.copy()
    close.loc[close.index > cutoff] *= 1.5
    return SignalInputs(calendar=inputs.calendar, close=close, fundamentals=table, events=stream)


def cutoff_from(inputs: SignalInputs, position: float, offset_days: int) -> pd.Timestamp:
    """A cut date inside the calendar, sometimes a weekend or holiday (offset_days > 0)."""
    day = inputs.calendar[int(position * (len(inputs.calendar) - 1))]
    return min(day + pd.Timedelta(days=offset_days), inputs.calendar[-1])


SEARCH = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DRAWN = {
    "seed": st.integers(0, 2**32 - 1),
    "days": st.integers(200, 1300),
    "quarters": st.integers(0, 24),
    "n_events": st.integers(0, 30),
    "position": st.floats(0, 1),
    "offset_days": st.sampled_from([0, 0, 1, 2]),
    "choice": st.integers(0, 11),
}


def test_every_built_in_signal_is_checked() -> None:
    assert {"margin", "layoffs", "capex", "thesis"} <= set(SIGNALS.all())


@SEARCH
@given(**DRAWN)
def test_truncated_inputs_give_the_same_signal_up_to_the_cut(
    seed, days, quarters, n_events, position, offset_days, choice
) -> None:
    inputs = random_inputs(seed, days=days, quarters=quarters, n_events=n_events)
    cutoff = cutoff_from(inputs, position, offset_days)
    past = inputs.truncated(cutoff)
    for name in SIGNALS.all():
        params = params_for(name, choice)
        full = compute_signal(name, inputs, TICKERS, params)
        cut = compute_signal(name, past, TICKERS, params)
        pd.testing.assert_frame_equal(cut, full.loc[past.calendar], check_exact=True, obj=name)


@SEARCH
@given(**DRAWN)
def test_changing_the_future_leaves_the_past_unchanged(
    seed, days, quarters, n_events, position, offset_days, choice
) -> None:
    inputs = random_inputs(seed, days=days, quarters=quarters, n_events=n_events)
    cutoff = cutoff_from(inputs, position, offset_days)
    other = perturb_future(inputs, cutoff, seed + 1)
    for table in ("fundamentals", "events", "close"):  # the past really is the same
        pd.testing.assert_frame_equal(
            getattr(other.truncated(cutoff), table).reset_index(drop=True),
            getattr(inputs.truncated(cutoff), table).reset_index(drop=True),
        )
    past = inputs.calendar[inputs.calendar <= cutoff]
    for name in SIGNALS.all():
        params = params_for(name, choice)
        original = compute_signal(name, inputs, TICKERS, params).loc[past]
        changed = compute_signal(name, other, TICKERS, params).loc[past]
        pd.testing.assert_frame_equal(changed, original, check_exact=True, obj=name)


def test_truncation_at_every_release_and_event_date() -> None:
    """Seeded and exhaustive over the dates that matter: each known_from and the day before,
    for every parameter set."""
    inputs = random_inputs(2024, days=900, quarters=20, n_events=30)
    dates = pd.DatetimeIndex(
        list(inputs.fundamentals["known_from"]) + list(inputs.events["known_from"])
    )
    cutoffs = sorted({d - pd.Timedelta(days=k) for d in dates for k in (0, 1)})
    cutoffs = [c for c in cutoffs if inputs.calendar[0] <= c <= inputs.calendar[-1]]
    assert len(cutoffs) > 80
    for name in SIGNALS.all():
        # thesis only combines its components day by day: its default set is enough here.
        for params in PARAMS.get(name, [{}])[: 1 if name == "thesis" else None]:
            full = compute_signal(name, inputs, TICKERS, params)
            for cutoff in cutoffs:
                past = inputs.truncated(cutoff)
                cut = compute_signal(name, past, TICKERS, params)
                pd.testing.assert_frame_equal(
                    cut, full.loc[past.calendar], check_exact=True, obj=f"{name} {params}"
                )


def test_perturbation_really_changes_the_future() -> None:
    """Guard against a vacuous perturbation test: the future does move."""
    inputs = random_inputs(7, days=1300, quarters=24, n_events=30)
    cutoff = inputs.calendar[600]
    other = perturb_future(inputs, cutoff, 8)
    moved = [
        name
        for name in ("margin", "layoffs", "capex")
        if not compute_signal(name, inputs, TICKERS).equals(compute_signal(name, other, TICKERS))
    ]
    assert moved == ["margin", "layoffs", "capex"]


# --- known-at: the release timing decides the first session that sees a quarter -------------

EIGHT_QUARTERS = [
    # (period end, revenue, operating income): the T4Q margin goes from 10% to 15%.
    ("2022-06-30", 100, 10), ("2022-09-30", 100, 10), ("2022-12-31", 100, 10),
    ("2023-03-31", 100, 10), ("2023-06-30", 100, 15), ("2023-09-30", 100, 15),
    ("2023-12-31", 100, 15),
]  # fmt: skip


def margin_after_release(release: str, timing: str) -> pd.Series:
    """The margin signal when the eighth quarter (2024Q1, margin 15%) is released on
    ``release`` with ``timing``; the first seven were public long before."""
    rows = []
    for end, revenue, income in EIGHT_QUARTERS:
        public = (pd.Timestamp(end) + pd.Timedelta(days=30)).strftime("%Y-%m-%d")
        rows += quarter("AMZN", end, public, {"revenue": revenue, "operating_income": income})
    rows += quarter(
        "AMZN", "2024-03-31", release, {"revenue": 100, "operating_income": 15}, timing=timing
    )
    days = trading_days("2024-01-02", "2024-06-28")
    inputs = SignalInputs(
        calendar=days,
        close=pd.DataFrame({"AMZN": 180.0}, index=days),
        fundamentals=fundamentals(rows),
    )
    return compute_signal("margin", inputs, ["AMZN"])["AMZN"]


def test_an_after_close_release_moves_the_signal_on_the_next_session() -> None:
    # Amazon released 2024Q1 on Tuesday 2024-04-30 after the close.
    assert known_from(pd.Timestamp("2024-04-30"), "after_close") == pd.Timestamp("2024-05-01")
    exposure = margin_after_release("2024-04-30", "after_close")
    assert exposure[pd.Timestamp("2024-04-30")] == 0  # the release day's close: not yet
    assert exposure[pd.Timestamp("2024-05-01")] == 1  # next session's close: long
    assert change_days(exposure) == [pd.Timestamp("2024-05-01")]


def test_a_friday_after_close_release_counts_from_monday() -> None:
    exposure = margin_after_release("2024-05-03", "after_close")
    assert change_days(exposure) == [pd.Timestamp("2024-05-06")]


@pytest.mark.parametrize("timing", ["before_open", "intraday"])
def test_a_release_during_or_before_the_session_counts_the_same_day(timing: str) -> None:
    exposure = margin_after_release("2024-04-30", timing)
    assert change_days(exposure) == [pd.Timestamp("2024-04-30")]


def test_an_unknown_release_time_is_treated_as_after_the_close() -> None:
    exposure = margin_after_release("2024-04-30", "unknown")
    assert change_days(exposure) == [pd.Timestamp("2024-05-01")]


def test_an_after_close_layoff_report_enters_on_the_next_session() -> None:
    days = trading_days("2025-10-01", "2025-11-28")
    report = event("AMZN", "layoff", "2025-10-27", timing="after_close", status="report")
    inputs = SignalInputs(
        calendar=days,
        close=pd.DataFrame({"AMZN": 220.0}, index=days),
        events=events([report]),
    )
    exposure = compute_signal("layoffs", inputs, ["AMZN"], {"hold_days": 5})["AMZN"]
    assert exposure[pd.Timestamp("2025-10-27")] == 0
    assert exposure[pd.Timestamp("2025-10-28")] == 1
