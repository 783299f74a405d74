"""event_total and event_exists checks on hand-built events with hand-computed answers.

AAA layoffs, modelled on a cumulative official figure: a report of 10,000 (2022-11-14), an
official 18,000 that INCLUDES it (2023-01-04), 9,000 more (2023-03-20), an official cut
without a number (2024-01-10) and 16,000 after the window (2026-01-28). Official rows in
[2022-07-01, 2025-08-01]: 18,000 + 9,000 = 27,000; all rows: 37,000.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from signal_inputs import event, events, fundamentals

from catalystlab.analysis.audit import Claim, audit_claims

ROWS = [
    event("AAA", "layoff", "2022-11-14", headcount=10_000, status="report"),
    event("AAA", "layoff", "2023-01-04", headcount=18_000),
    event("AAA", "layoff", "2023-03-20", headcount=9_000),
    event("AAA", "layoff", "2024-01-10", headcount=np.nan),
    event("AAA", "layoff", "2026-01-28", headcount=16_000),
    event("BBB", "layoff", "2023-02-01", headcount=5_000),
    event("AAA", "ai_investment", "2023-09-25", value_usd_bn=4.0),
    event("AAA", "ai_investment", "2024-11-22", value_usd_bn=2.75),
    {
        **event("AAA", "workforce_memo", "2024-09-16"),
        "description": "CEO memo: raise the Individual-Contributor-to-manager ratio by 15%",
    },
    {
        **event("AAA", "workforce_memo", "2025-06-17", timing="after_close"),
        "description": "CEO memo: fewer people as AI spreads",
    },
]
WINDOW = {"start": "2022-07-01", "end": "2025-08-01"}


def audit_one(check: dict, rows=ROWS, *, as_of=None) -> pd.Series:
    claim = Claim.model_validate({"id": "c", "text": "words", "source": "here", "check": check})
    table = audit_claims([claim], fundamentals=fundamentals([]), events=events(rows), as_of=as_of)
    return table.loc["c"]


def layoffs(claimed: float, comparison: str = "at_least", tolerance: float = 0.0, **extra):
    return {
        "kind": "event_total",
        "ticker": "AAA",
        "event_kind": "layoff",
        "status": "official",
        **WINDOW,
        "claimed": claimed,
        "comparison": comparison,
        "tolerance": tolerance,
        **extra,
    }


def memo(*needles, **extra):
    return {
        "kind": "event_exists",
        "ticker": "AAA",
        "event_kind": "workforce_memo",
        **WINDOW,
        "description_contains": list(needles),
        **extra,
    }


def test_official_total_does_not_double_count_the_cumulative_figure():
    row = audit_one(layoffs(27_000))
    assert row["measured"] == 27_000
    assert row["unit"] == "roles"
    assert row["verdict"] == "confirmed"  # at_least, exactly on the edge
    assert "2023-01-04 18,000; 2023-03-20 9,000; 1 without a number not counted" in row["detail"]


def test_without_a_status_filter_reports_and_official_rows_add_up():
    check = {**layoffs(27_000), "status": None}
    assert audit_one(check)["measured"] == 10_000 + 18_000 + 9_000
    assert audit_one({**layoffs(0), "status": "report"})["measured"] == 10_000


@pytest.mark.parametrize(
    ("claimed", "comparison", "tolerance", "verdict"),
    [
        (27_001, "at_least", 0, "not supported"),
        (27_500, "at_least", 500, "confirmed"),
        (27_100, "about", 100, "confirmed"),
        (27_100, "about", 99, "not supported"),
        (26_999, "at_most", 0, "not supported"),
        (26_999, "at_most", 1, "confirmed"),
    ],
)
def test_total_comparisons_and_tolerance_edges(claimed, comparison, tolerance, verdict):
    assert audit_one(layoffs(claimed, comparison, tolerance))["verdict"] == verdict


def test_date_range_includes_both_ends():
    assert audit_one(layoffs(0, start="2023-03-20", end="2023-03-20"))["measured"] == 9_000
    assert audit_one(layoffs(0, start="2023-01-05", end="2023-03-19"))["measured"] == 0
    assert audit_one(layoffs(0, end="2026-01-28"))["measured"] == 27_000 + 16_000


def test_amounts_in_usd_billions():
    check = {
        **layoffs(6.75, "about"),
        "event_kind": "ai_investment",
        "field": "value_usd_bn",
    }
    row = audit_one(check)
    assert row["measured"] == pytest.approx(6.75)
    assert row["unit"] == "USD billions"
    assert row["verdict"] == "confirmed"
    assert "$6.8B over 2 events" in row["detail"]


def test_no_matching_event_is_evidence_against_the_claim():
    row = audit_one(layoffs(1, start="2024-06-01", end="2025-08-01"))
    assert row["measured"] == 0
    assert row["verdict"] == "not supported"


def test_a_company_without_events_is_not_in_data():
    row = audit_one({**layoffs(1), "ticker": "ZZZ"})
    assert row["verdict"] == "not in data"
    assert math.isnan(row["measured"])
    assert audit_one(memo("ratio", ticker="ZZZ"))["verdict"] == "not in data"


def test_exists_matches_every_text_case_insensitively():
    row = audit_one(memo("individual-contributor-to-manager RATIO", "15%"))
    assert row["verdict"] == "confirmed"
    assert row["measured"] == 1
    assert row["unit"] == "events"
    assert "2024-09-16 (official)" in row["detail"]
    assert audit_one(memo("memo"))["measured"] == 2


def test_exists_fails_when_one_text_is_absent():
    row = audit_one(memo("ratio", "20%"))
    assert row["verdict"] == "not supported"
    assert row["measured"] == 0


def test_exists_respects_kind_status_and_dates():
    assert audit_one(memo("ratio", event_kind="layoff"))["verdict"] == "not supported"
    assert audit_one(memo("ratio", status="report"))["verdict"] == "not supported"
    assert audit_one(memo("ratio", end="2024-09-15"))["verdict"] == "not supported"


def test_a_single_text_is_accepted():
    check = {**memo(), "description_contains": "15%"}
    assert audit_one(check)["verdict"] == "confirmed"


def test_as_of_excludes_events_known_later():
    # The 2025-06-17 memo came after the close (known from 2025-06-18).
    assert audit_one(memo("fewer people"), as_of=pd.Timestamp("2025-06-18"))["measured"] == 1
    assert audit_one(memo("fewer people"), as_of=pd.Timestamp("2025-06-17"))["measured"] == 0
    assert audit_one(layoffs(0), as_of=pd.Timestamp("2023-03-19"))["measured"] == 18_000


def test_a_total_of_events_that_all_lack_a_number_is_not_in_data():
    row = audit_one(layoffs(1, start="2024-01-01", end="2024-12-31"))
    assert row["verdict"] == "not in data"
    assert math.isnan(row["measured"])
    assert "1 event, none with a number" in row["detail"]
