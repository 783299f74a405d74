"""The snapshot adapters on small files in the snapshot's formats, written for the test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.pit import FUNDAMENTAL_COLUMNS, empty_fundamentals
from catalystlab.inputs.fundamentals import load_snapshot_fundamentals


def csv_text(header: str, *rows: tuple) -> str:
    """CSV text: ``header`` (comma-separated names) then one line per tuple."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return out.getvalue()


AMZN = csv_text(
    "fiscal_quarter,period_end,release_date,filing_date,net_sales_usd_m,operating_income_usd_m,"
    "capex_usd_m,capex_derivation,source,confidence",
    ("2016Q3", "2016-09-30", "2016-10-27", "2016-10-28", 32714, 575, 1841,
     "NET basis (old line, net of incentives)", "src-a",
     "sales=confirmed;oi=confirmed;capex=single_source(NET)"),
    ("2023Q1", "2023-03-31", "2023-04-27", "2023-04-28", 127358, 4770, "",
     "MISSING: not verified", "src-b", "sales=confirmed;oi=confirmed_rounded_10M;capex=missing"),
    ("2023Q2", "2023-06-30", "2023-08-03", "2023-08-04", 134383, 7680, 11460, "GROSS, rounded",
     "src-c", "sales=confirmed;oi=confirmed_rounded_10M;capex=single_source_rounded"),
    ("FY2023", "2023-12-31", "2024-02-01", "2024-02-02", 574785, 36852, 52729, "GROSS", "src-d",
     "values=confirmed"),
)  # fmt: skip
PEERS = csv_text(
    "ticker,fiscal_quarter,period_end,available_date,available_date_kind,revenue_usd_m,"
    "operating_income_usd_m,capex_usd_m,source,confidence",
    ("MSFT", "FY2024Q4", "2024-06-30", "2024-07-30", "release", 64727, 27925, 13873, "src-m",
     "rev=confirmed;oi=confirmed;capex=confirmed"),
    ("MSFT", "FY2025Q1", "2024-09-30", "2024-10-30", "filed", 65585, 30552, "", "src-n",
     "rev=confirmed;oi=confirmed;capex=missing"),
    ("NVDA", "FY2021Q2", "2020-07-26", "2020-08-19", "release", 3866, 651, "", "src-v",
     "rev=confirmed;oi=confirmed;capex=missing"),
)  # fmt: skip
SEC_HEADER = (
    "ticker,period_end,metric,value_usd,available_date,date_semantics,source,note,"
    "days_to_available,available_date_suspect"
)
SEC = csv_text(
    SEC_HEADER,
    ("AMZN", "2012-12-31", "capex", 2026e6, "2013-01-30", "SEC filed", "rg",
     "capex = PaymentsToAcquirePropertyPlantAndEquipment", 30, False),
    ("AMZN", "2023-03-31", "capex", 14207e6, "2023-04-28", "SEC filed", "rg", "", 28, False),
    ("AMZN", "2023-03-31", "operating_income", 4774e6, "2023-04-28", "SEC filed", "bl", "", 28,
     False),
    ("AMZN", "2023-06-30", "operating_income", 7781e6, "2023-08-04", "SEC filed", "bl", "", 35,
     False),
    ("AMZN", "2023-03-31", "net_income", 3172e6, "2023-04-28", "SEC filed", "bl", "", 28, False),
    ("AMZN", "2023-03-31", "net_income", 3172e6, "2023-04-27", "SEC filed", "rg", "", 27, False),
    ("MSFT", "2024-09-30", "capex", 14923e6, "2024-10-30", "SEC filed", "rg", "", 30, False),
    ("MSFT", "2024-09-30", "net_income", 24667e6, "2024-10-30", "SEC filed", "rg", "", 30, False),
    ("MSFT", "2009-03-31", "equity", 36943e6, "2010-04-22", "SEC filed", "rg", "", 387, True),
    ("MSFT", "2024-09-30", "shares_outstanding", 7470e6, "2024-10-30", "SEC filed", "rg",
     "shares_outstanding is a share count", 30, False),
    ("MSFT", "2024-09-30", "capex_gross_frames", 14923e6, "", "none in source", "bw", "", "",
     False),
    ("NVDA", "2020-07-31", "revenue", 3866e6, "2020-08-19", "SEC filed", "rg", "", 19, False),
    ("NVDA", "2020-07-26", "net_income", 622e6, "2020-08-19", "SEC filed", "rg", "", 24, False),
)  # fmt: skip


def snapshot(tmp_path, amzn=AMZN, peers=PEERS, sec=SEC) -> Path:
    folder = tmp_path / "data" / "fundamentals"
    folder.mkdir(parents=True)
    for name, text in (
        ("amzn_quarterly.csv", amzn),
        ("peers_quarterly.csv", peers),
        ("sec_quarterly_long.csv", sec),
    ):
        (folder / name).write_text(text)
    return tmp_path / "data"


@pytest.fixture
def table(tmp_path) -> pd.DataFrame:
    return load_snapshot_fundamentals(snapshot(tmp_path))


def cell(table, ticker, metric, period_end) -> pd.Series:
    match = table[
        (table["ticker"] == ticker)
        & (table["metric"] == metric)
        & (table["period_end"] == pd.Timestamp(period_end))
    ]
    assert len(match) == 1, (ticker, metric, period_end, len(match))
    return match.iloc[0]


def has(table, ticker, metric, period_end) -> bool:
    return bool(
        (
            (table["ticker"] == ticker)
            & (table["metric"] == metric)
            & (table["period_end"] == pd.Timestamp(period_end))
        ).any()
    )


def test_schema(table):
    assert tuple(table.columns) == FUNDAMENTAL_COLUMNS
    assert table.dtypes.equals(empty_fundamentals().dtypes)
    assert not table.duplicated(["ticker", "metric", "period_end"]).any()
    assert table["value"].notna().all()


def test_amazon_release_after_the_close_counts_from_the_next_day(table):
    row = cell(table, "AMZN", "revenue", "2023-06-30")
    assert row["value"] == 134383.0
    assert row["public_date"] == pd.Timestamp("2023-08-03")
    assert row["known_from"] == pd.Timestamp("2023-08-04")
    assert row["fiscal_period"] == "2023Q2"


def test_annual_rows_are_not_quarters(table):
    assert not has(table, "AMZN", "revenue", "2023-12-31")
    assert not table["fiscal_period"].str.startswith("FY2023").any()


def test_blank_capex_stays_missing_even_where_the_sec_file_has_it(table):
    assert not has(table, "AMZN", "capex", "2023-03-31")


def test_net_capex_says_so(table):
    assert cell(table, "AMZN", "capex", "2016-09-30")["source"].startswith("NET of incentives")
    assert "GROSS" in cell(table, "AMZN", "capex", "2023-06-30")["source"]


def test_rounded_value_takes_the_exact_figure_within_its_rounding(table):
    exact = cell(table, "AMZN", "operating_income", "2023-03-31")
    assert exact["value"] == 4774.0  # 4770 rounded to $10M in amzn_quarterly
    assert exact["public_date"] == pd.Timestamp("2023-04-27")  # still the release date
    assert "rounded to 4770" in exact["source"]
    # 7781 is 101 away from 7680: not the same figure rounded, so the file's value stays
    assert cell(table, "AMZN", "operating_income", "2023-06-30")["value"] == 7680.0


def test_sec_file_adds_only_what_the_preferred_files_lack(table):
    old_capex = cell(table, "AMZN", "capex", "2012-12-31")
    assert old_capex["value"] == 2026.0  # USD -> USD millions
    assert old_capex["source"].startswith("NET of proceeds/incentives")  # Amazon's old tag
    assert old_capex["known_from"] == pd.Timestamp("2013-01-31")
    assert cell(table, "MSFT", "net_income", "2024-09-30")["fiscal_period"] == "FY2025Q1"
    assert not has(table, "MSFT", "capex", "2024-09-30")  # blank in peers: stays missing


def test_sec_file_duplicates_keep_the_earliest_date(table):
    row = cell(table, "AMZN", "net_income", "2023-03-31")
    assert row["public_date"] == pd.Timestamp("2023-04-27")


def test_quarters_dated_by_month_end_match_the_companys_quarter(table):
    # the sec file dates NVIDIA's quarter ending 2020-07-26 as 2020-07-31
    assert not has(table, "NVDA", "revenue", "2020-07-31")
    assert cell(table, "NVDA", "revenue", "2020-07-26")["value"] == 3866.0
    assert cell(table, "NVDA", "net_income", "2020-07-26")["fiscal_period"] == "FY2021Q2"


def test_suspect_dates_are_kept_and_flagged(table):
    row = cell(table, "MSFT", "equity", "2009-03-31")
    assert row["public_date"] == pd.Timestamp("2010-04-22")
    assert "available_date_suspect" in row["source"]


def test_rows_without_a_date_or_not_in_usd_are_left_out(table):
    assert not table["metric"].isin(["shares_outstanding", "capex_gross_frames"]).any()


def test_peers_release_and_filed_dates(table):
    released = cell(table, "MSFT", "revenue", "2024-06-30")
    filed = cell(table, "MSFT", "revenue", "2024-09-30")
    assert released["known_from"] == pd.Timestamp("2024-07-31")
    assert filed["known_from"] == pd.Timestamp("2024-10-31")
    assert released["fiscal_period"] == "FY2024Q4"
    assert "earnings release" in released["source"]
    assert "SEC filing date" in filed["source"]


def test_missing_files_name_the_expected_path(tmp_path):
    folder = snapshot(tmp_path)
    (folder / "fundamentals" / "peers_quarterly.csv").unlink()
    with pytest.raises(DataUnavailableError) as info:
        load_snapshot_fundamentals(folder)
    assert str(folder / "fundamentals" / "peers_quarterly.csv") in str(info.value)


def test_bad_available_date_kind(tmp_path):
    peers = PEERS.replace(",release,64727", ",press,64727")
    assert peers != PEERS
    with pytest.raises(BadInputError, match=r"peers_quarterly.csv, row 2: .*'press'"):
        load_snapshot_fundamentals(snapshot(tmp_path, peers=peers))


def test_bad_quarter_label(tmp_path):
    amzn = AMZN.replace("2016Q3,", "Q3-2016,")
    assert amzn != AMZN
    with pytest.raises(BadInputError, match=r"amzn_quarterly.csv, row 2: fiscal_quarter 'Q3-2016'"):
        load_snapshot_fundamentals(snapshot(tmp_path, amzn=amzn))


def test_bad_value_names_the_file_and_row(tmp_path):
    amzn = AMZN.replace(",32714,", ",32.7bn,")
    assert amzn != AMZN
    with pytest.raises(BadInputError, match=r"amzn_quarterly.csv, row 2: value '32.7bn'"):
        load_snapshot_fundamentals(snapshot(tmp_path, amzn=amzn))


def test_wrong_header(tmp_path):
    sec = SEC.replace("value_usd,", "value,", 1)
    assert sec != SEC
    with pytest.raises(BadInputError, match="lacks column"):
        load_snapshot_fundamentals(snapshot(tmp_path, sec=sec))


def test_same_quarter_in_both_preferred_files(tmp_path):
    peers = PEERS + "AMZN,2023Q2,2023-06-30,2023-08-04,filed,1,2,3,x,rev=confirmed\n"
    with pytest.raises(BadInputError, match="in more than one of"):
        load_snapshot_fundamentals(snapshot(tmp_path, peers=peers))
