"""Horizons of 1/3/6/12 calendar months: exit days, unavailable horizons, agreement."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.call import base_rate, holding_return, horizon_base_rates
from catalystlab.core.errors import BadInputError

# Business days without holidays, 2023-01-02 .. 2024-09-30.
DAYS = pd.bdate_range("2023-01-02", "2024-09-30", name="Date")


def prices() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    frames = {}
    for name, drift in (("T", 0.001), ("B", 0.0004), ("C", -0.0002)):
        close = 100.0 * np.cumprod(1.0 + drift + 0.01 * rng.standard_normal(len(DAYS)))
        opened = close * (1.0 + 0.003 * rng.standard_normal(len(DAYS)))
        frames[name] = pd.DataFrame({"Open": opened, "Close": close}, index=DAYS)
    return frames


def table(**kwargs):
    arguments = {
        "ticker": "T",
        "benchmarks": ["B", "C"],
        "entry_day": "2023-12-09",
        "history_start": "2023-01-01",
    } | kwargs
    return horizon_base_rates(prices(), **arguments)


def test_exit_is_the_last_trading_day_on_or_before_entry_plus_n_months():
    rows = table()
    # Saturday 2023-12-09 -> entry Monday 2023-12-11. Targets: 2024-01-11 (Thu),
    # 2024-03-11 (Mon), 2024-06-11 (Tue), 2024-12-11 (after the data).
    assert [(r.months, r.benchmark) for r in rows] == [
        (1, "B"),
        (1, "C"),
        (3, "B"),
        (3, "C"),
        (6, "B"),
        (6, "C"),
        (12, "B"),
        (12, "C"),
    ]
    assert {r.entry_day for r in rows} == {pd.Timestamp("2023-12-11")}
    exits = [r.base.end for r in rows if r.available]
    assert exits == [
        pd.Timestamp(d) for d in ("2024-01-11",) * 2 + ("2024-03-11",) * 2 + ("2024-06-11",) * 2
    ]
    assert [r.available for r in rows] == [True] * 6 + [False] * 2


def test_a_target_on_a_weekend_exits_on_the_friday_before():
    (row,) = table(entry_day="2024-01-10", months=[2], benchmarks=["B"])
    assert row.target == pd.Timestamp("2024-03-10")  # a Sunday
    assert row.base.end == pd.Timestamp("2024-03-08")


def test_unreached_horizons_are_reported_not_computed():
    row = table()[-1]
    assert row.base is None
    summary = row.to_dict()
    assert summary["available"] is False
    assert "excess" not in summary and "percentile" not in summary
    assert summary["reason"] == "not reached: 2024-12-11 is after the last price"


def test_each_row_is_the_call_excess_and_its_base_rate():
    frames = prices()
    for row in table():
        if not row.available:
            continue
        end = row.base.end
        ticker = holding_return(frames["T"], "2023-12-11", end)
        bench = holding_return(frames[row.benchmark], "2023-12-11", end)
        assert row.base.call_excess == pytest.approx(ticker - bench, rel=1e-12)
        direct = base_rate(
            frames,
            ticker="T",
            benchmark=row.benchmark,
            entry_day="2023-12-11",
            end=end,
            history_start="2023-01-01",
        )
        assert row.base.percentile == direct.percentile
        assert row.to_dict()["percentile"] == direct.percentile
        assert row.base.holding_days == DAYS.get_loc(end) - DAYS.get_loc(pd.Timestamp("2023-12-11"))
    json.dumps([row.to_dict() for row in table()])


@pytest.mark.parametrize("months", [[], [0], [1, -3], [1.5]])
def test_bad_horizons_are_bad_input(months):
    with pytest.raises(BadInputError, match="positive whole numbers of months"):
        table(months=months)
