"""The article's six claims audited on the real snapshot, through the project's loaders.

Known answers (the data README's table "The article and its claims, checked against these
data"): Amazon's operating income was $68,593M in 2024 vs $36,852M in 2023 (+86.1%); official
layoff announcements 2022-07-01..2025-08-01 were 18,000 (2023-01-04, cumulative, including the
report of 2022-11-14) + 9,000 (2023-03-20) + 500 (2024-01-10, Twitch) = 27,500; the 15%
individual-contributor-to-manager goal is the Jassy memo of 2024-09-16; 2025 gross capex was
about $131.8B (the quarters sum to 131,817; the annual row says 131,819 because two quarters
are rounded to $10M), total capex rather than AI only; "4,500 developer-years" is Amazon's
own claim; 13% of managers is not an Amazon figure.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from catalystlab.analysis.audit import audit_claims, load_claims, verdict_counts
from catalystlab.inputs.events import curated_event_paths, load_events
from catalystlab.inputs.fundamentals import load_snapshot_fundamentals

pytestmark = pytest.mark.integration

CLAIMS = Path(__file__).resolve().parents[2] / "config" / "claims" / "amazon_ai_call.yaml"
ARTICLE_PUBLIC_BY = pd.Timestamp("2025-08-01")


@pytest.fixture(scope="module")
def tables(shared_data: Path) -> dict[str, pd.DataFrame]:
    return {
        "fundamentals": load_snapshot_fundamentals(shared_data),
        "events": load_events(curated_event_paths()),
    }


@pytest.fixture(scope="module")
def audit(tables) -> pd.DataFrame:
    return audit_claims(load_claims(CLAIMS), **tables)


def test_operating_income_grew_86_percent_to_68_6bn(audit):
    row = audit.loc["operating_income_2024"]
    assert row["verdict"] == "confirmed"
    assert row["measured"] == pytest.approx(68_593 / 36_852 - 1)
    assert round(row["measured"], 3) == 0.861
    assert "$68,593M vs $36,852M in 2023, +86.1%" in row["detail"]


def test_jobs_cut_counts_official_announcements_once(audit):
    row = audit.loc["jobs_cut_three_years"]
    assert row["measured"] == 18_000 + 9_000 + 500
    assert row["verdict"] == "confirmed"
    assert "2023-01-04 18,000; 2023-03-20 9,000; 2024-01-10 500" in row["detail"]
    assert "cumulative" in row["context"]


def test_managers_cut_is_not_in_data(audit):
    row = audit.loc["managers_cut_13pct"]
    assert row["verdict"] == "not in data"
    assert math.isnan(row["measured"])
    assert row["claimed"] == 0.13
    assert "Morgan Stanley" in row["context"]


def test_ratio_goal_is_the_jassy_memo(audit):
    row = audit.loc["ic_manager_ratio_15pct"]
    assert row["verdict"] == "confirmed"
    assert row["measured"] == 1
    assert "2024-09-16 (official)" in row["detail"]


def test_105bn_is_total_capex_not_ai_only(audit):
    row = audit.loc["ai_spend_105bn_2025"]
    assert row["verdict"] == "partly"
    assert 131_800 <= row["measured"] < 131_900
    assert row["measured"] == 25_020 + 32_180 + 35_095 + 39_522
    assert row["unit"] == "USD millions"
    assert "not AI only" in row["context"]


def test_4500_years_is_amazons_claim(audit):
    row = audit.loc["coding_assistant_4500_years"]
    assert row["verdict"] == "confirmed"
    assert "2024-08-22" in row["detail"]
    assert "4,500 developer-years" in row["detail"]


def test_verdict_counts(audit):
    assert verdict_counts(audit) == {
        "confirmed": 4,
        "partly": 1,
        "not supported": 0,
        "not in data": 1,
    }


def test_as_the_articles_reader_could(tables):
    """By 2025-08-01 only 2025Q1 and Q2 capex were out: the $105B cannot yet be measured."""
    audit = audit_claims(load_claims(CLAIMS), **tables, as_of=ARTICLE_PUBLIC_BY)
    capex = audit.loc["ai_spend_105bn_2025"]
    assert capex["verdict"] == "not in data"
    assert "2 of 4 quarters" in capex["detail"]
    assert audit.loc["operating_income_2024", "measured"] == pytest.approx(68_593 / 36_852 - 1)
    assert audit.loc["jobs_cut_three_years", "measured"] == 27_500
    assert audit.drop(index="ai_spend_105bn_2025")["verdict"].to_dict() == {
        "operating_income_2024": "confirmed",
        "jobs_cut_three_years": "confirmed",
        "managers_cut_13pct": "not in data",
        "ic_manager_ratio_15pct": "confirmed",
        "coding_assistant_4500_years": "confirmed",
    }
