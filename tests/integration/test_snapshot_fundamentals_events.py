"""Fundamentals and events of the real snapshot (``../shared/data``) through the loaders.

Known answers come from the snapshot's README (its "Checked" sums and the article's claims)
and Amazon's reports: operating income 68,593 in 2024 and 36,852 in 2023 ($M); Q4-2024
capex released after the close on 2025-02-06; Microsoft FY2024 revenue 245,122 and operating
income 109,433; Alphabet 2023 307,394 / 84,293; NVIDIA FY2024 60,922 / 32,972; Meta 2023
operating income 46,751.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.core.pit import FUNDAMENTAL_COLUMNS, empty_events, empty_fundamentals
from catalystlab.inputs.events import curated_event_paths, load_events, load_snapshot_events
from catalystlab.inputs.fundamentals import load_snapshot_fundamentals

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fundamentals(shared_data) -> pd.DataFrame:
    return load_snapshot_fundamentals(shared_data)


@pytest.fixture(scope="module")
def snapshot_events(shared_data) -> pd.DataFrame:
    return load_snapshot_events(shared_data)


@pytest.fixture(scope="module")
def curated() -> pd.DataFrame:
    return load_events(curated_event_paths())


def total(table, ticker, metric, label_prefix) -> float:
    rows = table[
        (table["ticker"] == ticker)
        & (table["metric"] == metric)
        & table["fiscal_period"].str.startswith(label_prefix)
    ]
    assert len(rows) == 4, rows["fiscal_period"].tolist()
    return float(rows["value"].sum())


def test_table_shape(fundamentals):
    assert tuple(fundamentals.columns) == FUNDAMENTAL_COLUMNS
    assert fundamentals.dtypes.equals(empty_fundamentals().dtypes)
    assert not fundamentals.duplicated(["ticker", "metric", "period_end"]).any()
    assert fundamentals["value"].notna().all()
    assert (fundamentals["known_from"] > fundamentals["period_end"]).all()
    assert fundamentals["fiscal_period"].str.fullmatch(r"(FY)?\d{4}Q[1-4]").all()
    assert {"AMZN", "MSFT", "META", "GOOGL", "NVDA"} == set(fundamentals["ticker"])


def test_amazon_operating_income_of_the_articles_claim(fundamentals):
    assert total(fundamentals, "AMZN", "operating_income", "2024Q") == 68593.0
    assert total(fundamentals, "AMZN", "operating_income", "2023Q") == 36852.0


def test_amazon_q4_2024_capex_counts_from_the_session_after_the_release(fundamentals):
    row = fundamentals[
        (fundamentals["ticker"] == "AMZN")
        & (fundamentals["metric"] == "capex")
        & (fundamentals["fiscal_period"] == "2024Q4")
    ].iloc[0]
    assert row["value"] == 27834.0
    assert row["public_date"] == pd.Timestamp("2025-02-06")
    assert row["known_from"] == pd.Timestamp("2025-02-07")
    # Q1 and Q2 are rounded to $10M in the file (their exact sum is 32,545, the file's 32,550)
    assert total(fundamentals, "AMZN", "capex", "2024Q") == pytest.approx(82999.0, abs=10)


def test_amazon_blank_capex_stays_missing_and_net_capex_is_marked(fundamentals):
    capex = fundamentals[(fundamentals["ticker"] == "AMZN") & (fundamentals["metric"] == "capex")]
    labels = set(capex["fiscal_period"])
    assert not labels & {"2015Q1", "2015Q2", "2016Q1", "2017Q1", "2020Q4"}
    assert capex.set_index("fiscal_period").loc["2015Q3", "source"].startswith("NET")
    # 2009-2014 come from the SEC file's old tag, which Amazon reported net of incentives
    early = capex[capex["period_end"] < pd.Timestamp("2015-01-01")]
    assert len(early) == 24
    assert early["source"].str.startswith("NET").all()


def test_peer_totals_checked_in_the_snapshot_readme(fundamentals):
    assert total(fundamentals, "MSFT", "revenue", "FY2024Q") == 245122.0
    assert total(fundamentals, "MSFT", "operating_income", "FY2024Q") == 109433.0
    assert total(fundamentals, "GOOGL", "revenue", "2023Q") == 307394.0
    assert total(fundamentals, "GOOGL", "operating_income", "2023Q") == 84293.0
    assert total(fundamentals, "NVDA", "revenue", "FY2024Q") == 60922.0
    assert total(fundamentals, "NVDA", "operating_income", "FY2024Q") == 32972.0
    assert total(fundamentals, "META", "operating_income", "2023Q") == 46751.0


def test_amazon_rows_count_from_the_day_after_each_release(fundamentals, shared_data):
    releases = pd.read_csv(shared_data / "fundamentals" / "amzn_quarterly.csv")
    releases = releases[~releases["fiscal_quarter"].str.startswith("FY")]
    expected = pd.to_datetime(releases.set_index("fiscal_quarter")["release_date"])
    revenue = fundamentals[
        (fundamentals["ticker"] == "AMZN") & (fundamentals["metric"] == "revenue")
    ].set_index("fiscal_period")
    known = revenue.loc[expected.index, "known_from"]
    assert (known == expected + pd.Timedelta(days=1)).all()


def test_sec_file_adds_metrics_the_preferred_files_lack(fundamentals):
    metrics = set(fundamentals.loc[fundamentals["ticker"] == "AMZN", "metric"])
    assert {"net_income", "operating_cf", "total_assets", "equity"} <= metrics
    assert "shares_outstanding" not in set(fundamentals["metric"])


def test_snapshot_events_shape(snapshot_events):
    assert snapshot_events.dtypes.equals(empty_events().dtypes)
    assert (snapshot_events["known_from"] >= snapshot_events["event_date"]).all()
    assert set(snapshot_events["ticker"]) == {"AMZN", "META", "MSFT", "GOOGL", "CRM"}


def comparable(events: pd.DataFrame) -> pd.DataFrame:
    columns = ["ticker", "kind", "event_date", "headcount", "status", "timing", "known_from"]
    ordered = events.sort_values(["ticker", "kind", "event_date"], kind="stable")
    return ordered.loc[:, columns].reset_index(drop=True)


def test_curated_amazon_events_agree_with_the_snapshot(curated, snapshot_events):
    ours = comparable(curated[curated["ticker"] == "AMZN"])
    theirs = comparable(snapshot_events[snapshot_events["ticker"] == "AMZN"])
    pd.testing.assert_frame_equal(ours, theirs)
    layoffs = ours[ours["kind"] == "layoff"]
    assert len(layoffs) == 20
    assert layoffs["headcount"].notna().sum() == 14


def test_curated_events_agree_with_the_snapshot_for_every_company(curated, snapshot_events):
    pd.testing.assert_frame_equal(comparable(curated), comparable(snapshot_events))
    both = curated.sort_values(["ticker", "kind", "event_date"]).reset_index(drop=True)
    other = snapshot_events.sort_values(["ticker", "kind", "event_date"]).reset_index(drop=True)
    np.testing.assert_array_equal(both["pct"].to_numpy(), other["pct"].to_numpy())
    np.testing.assert_array_equal(both["value_usd_bn"].to_numpy(), other["value_usd_bn"].to_numpy())
    assert (both["confidence"] == other["confidence"]).all()
