"""metric_total and metric_growth checks on hand-built quarters with hand-computed answers.

AAA operating income: 2023 quarters 10, 20, 30, 40 (total 100), 2024 quarters 30, 40, 50, 60
(total 180), so 2024 growth is 180 / 100 - 1 = 0.8. AAA capex 2024: 5 + 6 + 7 + 8 = 26.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from signal_inputs import events, fundamentals

from catalystlab.analysis.audit import Claim, audit_claims

QUARTER_ENDS = ("03-31", "06-30", "09-30", "12-31")


def quarters(ticker: str, metric: str, year: int, values, *, prefix: str = "") -> list[dict]:
    """Rows of one fiscal year's quarters, each public 30 days after its end (known next day)."""
    rows = []
    for q, (end, value) in enumerate(zip(QUARTER_ENDS, values, strict=True), start=1):
        period_end = pd.Timestamp(f"{year}-{end}")
        public = period_end + pd.Timedelta(days=30)
        rows.append(
            {
                "ticker": ticker,
                "metric": metric,
                "fiscal_period": f"{prefix}{year}Q{q}",
                "period_end": period_end,
                "value": float(value),
                "public_date": public,
                "known_from": public + pd.Timedelta(days=1),
                "source": "synthetic",
            }
        )
    return rows


BASE = [
    *quarters("AAA", "operating_income", 2023, [10, 20, 30, 40]),
    *quarters("AAA", "operating_income", 2024, [30, 40, 50, 60]),
    *quarters("AAA", "capex", 2024, [5, 6, 7, 8]),
    *quarters("BBB", "capex", 2024, [100, 100, 100, 100]),
]


def claim(check: dict, **fields) -> Claim:
    return Claim.model_validate(
        {"id": "c", "text": "words", "source": "here", **fields, "check": check}
    )


def audit_one(check: dict, rows=BASE, *, as_of=None, **fields) -> pd.Series:
    table = audit_claims(
        [claim(check, **fields)],
        fundamentals=fundamentals(rows),
        events=events([]),
        as_of=as_of,
    )
    return table.loc["c"]


def growth(claimed: float, tolerance: float = 0.0, **extra) -> dict:
    return {
        "kind": "metric_growth",
        "ticker": "AAA",
        "metric": "operating_income",
        "fiscal_year": 2024,
        "claimed": claimed,
        "tolerance": tolerance,
        **extra,
    }


def total(claimed: float, comparison: str = "about", tolerance: float = 0.0, **extra) -> dict:
    return {
        "kind": "metric_total",
        "ticker": "AAA",
        "metric": "capex",
        "fiscal_year": 2024,
        "claimed": claimed,
        "comparison": comparison,
        "tolerance": tolerance,
        **extra,
    }


def test_growth_is_the_ratio_of_yearly_sums():
    row = audit_one(growth(0.8))
    assert row["measured"] == pytest.approx(0.8)
    assert row["claimed"] == 0.8
    assert row["unit"] == "fraction"
    assert row["verdict"] == "confirmed"
    assert "$180M vs $100M in 2023, +80.0%" in row["detail"]


@pytest.mark.parametrize(
    ("claimed", "tolerance", "verdict"),
    [
        (0.75, 0.05, "confirmed"),  # exactly on the edge: met
        (0.85, 0.05, "confirmed"),
        (0.749, 0.05, "not supported"),  # just outside
        (0.86, 0.05, "not supported"),
    ],
)
def test_growth_tolerance_edge(claimed, tolerance, verdict):
    assert audit_one(growth(claimed, tolerance))["verdict"] == verdict


@pytest.mark.parametrize(
    ("claimed", "claimed_total", "total_tolerance", "verdict"),
    [
        (0.8, 180, 0, "confirmed"),
        (0.8, 185, 5, "confirmed"),  # total on its edge
        (0.8, 186, 5, "partly"),  # growth right, total wrong
        (0.5, 180, 0, "partly"),  # total right, growth wrong
        (0.5, 200, 5, "not supported"),
    ],
)
def test_growth_with_a_claimed_total(claimed, claimed_total, total_tolerance, verdict):
    check = growth(claimed, claimed_total=claimed_total, total_tolerance=total_tolerance)
    row = audit_one(check)
    assert row["verdict"] == verdict
    assert row["measured"] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("claimed", "comparison", "tolerance", "verdict"),
    [
        (26, "about", 0, "confirmed"),
        (27, "about", 1, "confirmed"),
        (28, "about", 1, "not supported"),
        (26, "at_least", 0, "confirmed"),
        (27, "at_least", 1, "confirmed"),
        (27.5, "at_least", 1, "not supported"),
        (20, "at_least", 0, "confirmed"),
        (26, "at_most", 0, "confirmed"),
        (25, "at_most", 1, "confirmed"),
        (24.5, "at_most", 1, "not supported"),
    ],
)
def test_total_comparisons(claimed, comparison, tolerance, verdict):
    row = audit_one(total(claimed, comparison, tolerance))
    assert row["measured"] == 26
    assert row["unit"] == "USD millions"
    assert row["verdict"] == verdict


def test_total_counts_only_its_ticker_metric_and_year():
    rows = [*BASE, *quarters("AAA", "capex", 2023, [1000, 1000, 1000, 1000])]
    assert audit_one(total(26), rows)["measured"] == 26
    assert audit_one(total(400, ticker="BBB"), rows)["measured"] == 400


def test_fiscal_year_labels_with_fy_prefix():
    rows = quarters("MSFT", "capex", 2025, [1, 2, 3, 4], prefix="FY")
    assert audit_one(total(10, ticker="MSFT", fiscal_year=2025), rows)["verdict"] == "confirmed"


def test_a_missing_quarter_is_not_in_data():
    rows = [r for r in BASE if not (r["metric"] == "capex" and r["fiscal_period"] == "2024Q3")]
    row = audit_one(total(26), rows)
    assert row["verdict"] == "not in data"
    assert math.isnan(row["measured"])
    assert "3 of 4 quarters" in row["detail"]
    assert "2024Q1, 2024Q2, 2024Q4" in row["detail"]


def test_growth_needs_the_previous_year():
    rows = [r for r in BASE if not r["fiscal_period"].startswith("2023")]
    assert audit_one(growth(0.8), rows)["verdict"] == "not in data"


def test_growth_from_a_non_positive_base_is_not_in_data():
    rows = [
        *quarters("AAA", "operating_income", 2023, [-10, 5, 5, 0]),
        *quarters("AAA", "operating_income", 2024, [1, 1, 1, 1]),
    ]
    row = audit_one(growth(0.8), rows)
    assert row["verdict"] == "not in data"
    assert "not positive" in row["detail"]


def test_a_restated_quarter_counts_as_known_at_the_time():
    restated = {**quarters("AAA", "capex", 2024, [5, 6, 7, 8])[3], "value": 18.0}
    restated["known_from"] = pd.Timestamp("2025-06-01")
    rows = [*BASE, restated]
    assert audit_one(total(36), rows)["measured"] == 36  # the latest value: 5 + 6 + 7 + 18
    assert audit_one(total(26), rows, as_of=pd.Timestamp("2025-05-31"))["measured"] == 26


def test_as_of_excludes_quarters_known_later():
    # 2024Q4 ends 2024-12-31, is public 2025-01-30 and known from 2025-01-31.
    assert audit_one(total(26), as_of=pd.Timestamp("2025-01-31"))["verdict"] == "confirmed"
    row = audit_one(total(26), as_of=pd.Timestamp("2025-01-30"))
    assert row["verdict"] == "not in data"
    assert "3 of 4 quarters" in row["detail"]


def test_partial_turns_a_met_check_into_partly():
    row = audit_one(total(20, "at_least"), partial=True, context="Total capex, not AI only.")
    assert row["verdict"] == "partly"
    assert row["context"] == "Total capex, not AI only."
    assert audit_one(total(30, "at_least"), partial=True, context="x")["verdict"] == (
        "not supported"
    )


# A quarter's checks and the operating margin (claims drafted from articles use both).
# AAA revenue 2024: 100, 200, 250, 450 (total 1000); operating income 2024 is 180, so the
# 2024 margin is 0.18; in 2024Q2 it is 40 / 200 = 0.2. Q2 growth: 40 / 20 - 1 = 1.0.
WITH_REVENUE = [*BASE, *quarters("AAA", "revenue", 2024, [100, 200, 250, 450])]


def test_a_quarters_growth_is_against_the_same_quarter_a_year_before():
    row = audit_one(growth(1.0, fiscal_quarter=2))
    assert row["measured"] == pytest.approx(1.0)
    assert row["verdict"] == "confirmed"
    assert "2024Q2: $40M vs $20M in 2023Q2" in row["detail"]


def test_a_quarters_total_is_that_quarter_alone():
    row = audit_one(total(7, fiscal_quarter=3))
    assert (row["measured"], row["verdict"]) == (7.0, "confirmed")
    assert "in the quarter" in row["detail"]
    missing = audit_one(
        total(7, fiscal_quarter=3), [r for r in BASE if r["fiscal_period"] != "2024Q3"]
    )
    assert missing["verdict"] == "not in data"
    assert "0 of 1 quarter in the data" in missing["detail"]


def test_operating_margin_is_income_over_revenue_of_the_period():
    year = audit_one(total(0.18, metric="operating_margin", tolerance=0.0005), WITH_REVENUE)
    assert year["measured"] == pytest.approx(0.18)
    assert (year["unit"], year["verdict"]) == ("fraction", "confirmed")
    assert "18.0%" in year["detail"]
    q2 = audit_one(total(0.25, metric="operating_margin", fiscal_quarter=2), WITH_REVENUE)
    assert q2["measured"] == pytest.approx(0.2)
    assert q2["verdict"] == "not supported"
    no_revenue = audit_one(total(0.18, metric="operating_margin"))
    assert no_revenue["verdict"] == "not in data"
    assert "revenue" in no_revenue["detail"]


def test_a_fiscal_quarter_outside_one_to_four_is_refused():
    with pytest.raises(ValueError, match="fiscal_quarter"):
        claim(total(7, fiscal_quarter=5))
