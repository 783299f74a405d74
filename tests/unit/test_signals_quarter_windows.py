"""The vectorised quarterly helper against a slow, obvious re-implementation of its rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from signal_inputs import RANDOM_TICKERS, random_inputs

from signals._pit import REPORTING_METRICS, quarter_ordinal, quarter_windows


@pytest.mark.parametrize(
    "ends",
    [
        ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31"],
        ["2023-01-29", "2023-04-30", "2023-07-30", "2023-10-29", "2024-01-28"],  # NVIDIA
        ["2022-06-30", "2022-09-30", "2022-12-31", "2023-03-31"],  # Microsoft FY2023
        ["2023-02-04", "2023-05-06", "2023-08-05", "2023-11-04", "2024-02-03"],  # 52/53 weeks
    ],
)
def test_quarter_ordinal_numbers_consecutive_quarters_consecutively(ends: list[str]) -> None:
    ordinal = quarter_ordinal(pd.Series(pd.to_datetime(ends)))
    assert list(np.diff(ordinal)) == [1] * (len(ends) - 1)


def slow_windows(table: pd.DataFrame, ticker: str, metrics: tuple[str, ...], window: int):
    """Evaluation dates, window quarter and values of one ticker, by brute force per date."""
    rows = table[table["ticker"] == ticker].copy()
    rows = rows[rows["metric"].isin(set(REPORTING_METRICS) | set(metrics))]
    rows["q"] = quarter_ordinal(rows["period_end"])
    rows["order"] = np.arange(len(rows))

    def state(day):
        seen = rows[rows["known_from"] <= day]
        if seen.empty:
            return None
        newest_reported = seen["q"].max()
        have = seen.groupby("q")["metric"].agg(set)
        complete = [q for q, got in have.items() if set(metrics) <= got]
        return newest_reported, max(complete) if complete else None

    out = []
    previous = None
    for day in sorted(rows["known_from"].unique()):
        now = state(day)
        if now == previous:
            continue
        previous = now
        newest_reported, newest_complete = now
        anchor = newest_complete if newest_complete == newest_reported else None
        values = {m: [np.nan] * window for m in metrics}
        if anchor is not None:
            for m in metrics:
                for k in range(window):
                    versions = rows[
                        (rows["metric"] == m)
                        & (rows["q"] == anchor - k)
                        & (rows["known_from"] <= day)
                        & rows["value"].notna()
                    ].sort_values(["known_from", "order"])
                    if len(versions):
                        values[m][k] = versions["value"].iloc[-1]
        end = rows.loc[rows["q"] == anchor, "period_end"].max() if anchor is not None else pd.NaT
        out.append((pd.Timestamp(day), end, values))
    return out


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    quarters=st.integers(0, 20),
    metrics=st.sampled_from([("revenue", "operating_income"), ("capex",), ("net_income",)]),
)
def test_matches_a_brute_force_reading_of_the_rules(seed, quarters, metrics) -> None:
    table = random_inputs(seed, days=260, quarters=quarters, n_events=0).fundamentals
    window = 8
    fast = quarter_windows(table, tickers=RANDOM_TICKERS, metrics=metrics, window=window)
    for ticker in RANDOM_TICKERS:
        mine = np.flatnonzero(fast.keys["ticker"].to_numpy() == ticker)
        expected = slow_windows(table, ticker, metrics, window)
        assert len(mine) == len(expected)
        for i, (day, end, values) in zip(mine, expected, strict=True):
            assert fast.keys["as_of"].iloc[i] == day
            got = fast.keys["period_end"].iloc[i]
            assert (pd.isna(got) and pd.isna(end)) or got == end
            for m in metrics:
                np.testing.assert_array_equal(fast.values[m][i], values[m])
