"""The companyfacts parser on small documents written for the test.

``tests/fixtures/edgar/companyfacts_example.json`` is a made-up calendar-year company, 2016 to
Q1 2018, in USD. Its capex moves from PaymentsToAcquirePropertyPlantAndEquipment (through Q1
2017) to PaymentsToAcquireProductiveAssets, whose filings re-present 2016 with other values;
its revenue moves from SalesRevenueNet to RevenueFromContractWithCustomerExcludingAssessedTax
in 2018; its Q1 2017 operating income is restated in the Q1 2018 10-Q. Every expected number
below is worked out by hand from that file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import FUNDAMENTAL_COLUMNS, empty_fundamentals
from catalystlab.inputs.fundamentals.edgar_parse import parse_companyfacts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "edgar" / "companyfacts_example.json"


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def table(document) -> pd.DataFrame:
    return parse_companyfacts(document, ticker="exr")


def rows(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    picked = table[table["metric"] == metric]
    return picked.set_index("fiscal_period")


def test_schema_matches_the_point_in_time_table(table):
    assert tuple(table.columns) == FUNDAMENTAL_COLUMNS
    assert table.dtypes.equals(empty_fundamentals().dtypes)
    assert set(table["ticker"]) == {"EXR"}
    assert (table["known_from"] == table["public_date"] + pd.Timedelta(days=1)).all()


def test_capex_year_to_date_values_are_differenced_into_quarters(table):
    capex = rows(table, "capex")
    # 2016 10-Qs: 3M 1000, 6M 2500, 9M 4000; 10-K: 12M 6000 (USD millions)
    assert capex.loc[["2016Q1", "2016Q2", "2016Q3", "2016Q4"], "value"].tolist() == [
        1000.0,
        1500.0,
        1500.0,
        2000.0,
    ]
    assert capex.loc["2016Q4", "public_date"] == pd.Timestamp("2017-02-10")  # Q4 = FY - 9M
    assert capex.loc[["2017Q3", "2017Q4"], "value"].tolist() == [2000.0, 2500.0]


def test_capex_tag_switch_keeps_each_period_as_first_filed(table):
    capex = rows(table, "capex")
    # the old tag gave 2016 first; the new tag's re-presented 2016 values (2900, 4700, 7000)
    # came a year later and are not used
    assert capex.loc["2016Q3", "public_date"] == pd.Timestamp("2016-10-28")
    assert capex.loc["2017Q1", "value"] == 1100.0
    assert "PaymentsToAcquirePropertyPlantAndEquipment" in capex.loc["2017Q1", "source"]
    # Q2 2017 = new-tag 6M (3000, filed 2017-07-28) - new-tag 3M (1300, first filed with the
    # Q1 2018 10-Q): never mixed with the old tag's 1100, so known only from 2018-04-27
    assert capex.loc["2017Q2", "value"] == 1700.0
    assert capex.loc["2017Q2", "public_date"] == pd.Timestamp("2018-04-27")
    assert capex.loc["2018Q1", "value"] == 2000.0
    assert "PaymentsToAcquireProductiveAssets" in capex.loc["2018Q1", "source"]


def test_amazons_old_capex_tag_is_marked_net(document):
    capex = rows(parse_companyfacts(document, ticker="AMZN"), "capex")
    assert capex.loc["2016Q2", "source"].startswith("NET of proceeds/incentives")
    assert capex.loc["2017Q1", "source"].startswith("NET")
    assert not capex.loc["2017Q3", "source"].startswith("NET")


def test_revenue_tag_switch_joins_the_periods(table):
    revenue = rows(table, "revenue")
    assert revenue.loc[["2017Q1", "2017Q2", "2017Q3", "2017Q4"], "value"].sum() == 48000.0
    assert revenue.loc["2017Q4", "value"] == 15000.0  # FY 48000 - 9M 33000
    assert revenue.loc["2018Q1", "value"] == 13000.0
    assert "RevenueFromContractWithCustomer" in revenue.loc["2018Q1", "source"]
    # the Q1 2018 10-Q re-presents Q1 2017 as 10100 under the new tag: not used
    assert revenue.loc["2017Q1", "value"] == 10000.0


def test_comparatives_first_filed_later_are_dated_by_that_filing(table):
    revenue = rows(table, "revenue")
    # 2016 quarters appear only as comparatives in the 2017 10-Qs
    assert revenue.loc["2016Q1", "public_date"] == pd.Timestamp("2017-04-28")
    assert revenue.loc["2016Q2", "value"] == 9500.0
    # an annual value alone never becomes a quarter
    assert not revenue.index.isin(["2016Q3", "2016Q4"]).any()


def test_restatement_keeps_the_first_filed_value_and_date(table):
    income = rows(table, "operating_income")
    assert income.loc["2017Q1", "value"] == 500.0
    assert income.loc["2017Q1", "public_date"] == pd.Timestamp("2017-04-28")
    assert "restated later to 480" in income.loc["2017Q1", "source"]
    assert income.loc["2017Q4", "value"] == 800.0


def test_duplicate_frames_give_one_row_dated_by_the_first_filing(table):
    revenue = rows(table, "revenue")
    # Q3 2017 is in its 10-Q twice (with and without a frame) and again in the 10-K
    assert revenue.index.tolist().count("2017Q3") == 1
    assert revenue.loc["2017Q3", "public_date"] == pd.Timestamp("2017-10-27")
    assert not table.duplicated(["ticker", "metric", "period_end"]).any()


def test_filings_other_than_10q_10k_are_ignored(table):
    # an 8-K carries FY 2017 revenue on 2018-02-01; Q4 is dated by the 10-K
    assert rows(table, "revenue").loc["2017Q4", "public_date"] == pd.Timestamp("2018-02-02")


def fact(start, end, millions, filed, form="10-Q", accn=None):
    return {
        "start": start,
        "end": end,
        "val": millions * 1_000_000,
        "accn": accn or f"acc-{filed}",
        "form": form,
        "filed": filed,
    }


def companyfacts(**tags) -> dict:
    return {"cik": 1, "facts": {"us-gaap": {t: {"units": {"USD": f}} for t, f in tags.items()}}}


def test_52_week_fiscal_year_ending_in_january():
    # NVIDIA-like: fiscal 2025 runs 2024-01-29 .. 2025-01-26 in 13-week quarters
    document = companyfacts(
        PaymentsToAcquireProductiveAssets=[
            fact("2024-01-29", "2024-04-28", 369, "2024-05-29"),
            fact("2024-01-29", "2024-07-28", 715, "2024-08-28"),
            fact("2024-01-29", "2024-10-27", 1528, "2024-11-20"),
            fact("2024-01-29", "2025-01-26", 3236, "2025-02-26", form="10-K"),
        ]
    )
    capex = rows(parse_companyfacts(document, ticker="NVDA"), "capex")
    assert capex["value"].tolist() == [369.0, 346.0, 813.0, 1708.0]
    assert capex.index.tolist() == ["FY2025Q1", "FY2025Q2", "FY2025Q3", "FY2025Q4"]
    assert capex.loc["FY2025Q4", "period_end"] == pd.Timestamp("2025-01-26")


def test_a_shorter_period_first_filed_after_the_longer_one_dates_the_quarter():
    document = companyfacts(
        OperatingIncomeLoss=[
            fact("2020-01-01", "2020-06-30", 300, "2020-07-30"),
            fact("2020-01-01", "2020-03-31", 100, "2021-04-30"),
        ]
    )
    income = rows(parse_companyfacts(document, ticker="X"), "operating_income")
    assert income.loc["2020Q2", "value"] == 200.0
    assert income.loc["2020Q2", "public_date"] == pd.Timestamp("2021-04-30")


def test_a_company_without_the_tags_gives_an_empty_table():
    table = parse_companyfacts(companyfacts(Assets=[]), ticker="X")
    assert table.empty
    assert table.dtypes.equals(empty_fundamentals().dtypes)


def test_unknown_metric_is_refused(document):
    with pytest.raises(BadInputError, match="Unknown SEC metric"):
        parse_companyfacts(document, ticker="X", metrics=["ebitda"])
