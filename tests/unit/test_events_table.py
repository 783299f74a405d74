"""load_events: the project's event schema, known_from, and every bad-input path; the
curated tables in config/events load and hold the facts the signals rely on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.pit import EVENT_COLUMNS, empty_events
from catalystlab.inputs.events import curated_event_paths, load_events
from catalystlab.inputs.events.table import FILE_COLUMNS

HEADER = ",".join(FILE_COLUMNS) + "\n"
GOOD = (
    HEADER
    + "amzn,layoff,2025-10-28,,14000,0.04,,official,memo,https://a,confirmed\n"
    + "AMZN,layoff,2025-10-27,after_close,30000,0.1,,report,Reuters,https://b,confirmed\n"
    + "AMZN,layoff,2022-11-14,intraday,10000,,,report,NYT,https://c ; https://d,confirmed\n"
    + "MSFT,capex_guidance,2025-01-03,before_open,,,80,official,blog,https://e,single_source\n"
)


def write(tmp_path, text: str, name: str = "events.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_good_file(tmp_path):
    events = load_events(write(tmp_path, GOOD))
    assert tuple(events.columns) == EVENT_COLUMNS
    assert events.dtypes.equals(empty_events().dtypes)
    assert events["event_date"].is_monotonic_increasing
    by_date = events.set_index(events["event_date"].dt.strftime("%Y-%m-%d"))
    assert by_date.loc["2022-11-14", "known_from"] == pd.Timestamp("2022-11-14")  # intraday
    assert by_date.loc["2025-10-27", "known_from"] == pd.Timestamp("2025-10-28")  # after close
    assert by_date.loc["2025-10-28", "known_from"] == pd.Timestamp("2025-10-29")  # unknown
    assert by_date.loc["2025-01-03", "known_from"] == pd.Timestamp("2025-01-03")  # before open
    assert by_date.loc["2025-10-28", "timing"] == "unknown"
    assert by_date.loc["2025-10-28", "ticker"] == "AMZN"
    assert by_date.loc["2025-01-03", "value_usd_bn"] == 80.0
    assert np.isnan(by_date.loc["2025-01-03", "headcount"])


def test_several_files_are_joined(tmp_path):
    first = write(tmp_path, GOOD, "a.csv")
    second = write(
        tmp_path, HEADER + "META,layoff,2023-03-14,,10000,0.13,,official,x,https://f,confirmed\n"
    )
    events = load_events([first, second])
    assert len(events) == 5
    assert events["event_date"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("AMZN,layof,2025-10-28,,1,,,official,x,s,confirmed", "kind 'layof' is not one of layoff"),
        ("AMZN,layoff,2025-10-28,evening,1,,,official,x,s,confirmed", "timing 'evening'"),
        ("AMZN,layoff,2025-10-28,,1,,,rumour,x,s,confirmed", "status 'rumour' is not one of"),
        ("AMZN,layoff,2025-10-28,,1,,,,x,s,confirmed", "status '' is not one of"),
        ("AMZN,layoff,2025-10-28,,1,,,official,x,s,sure", "confidence 'sure' is not one of"),
        ("AMZN,layoff,28/10/2025,,1,,,official,x,s,confirmed", "event_date '28/10/2025'"),
        ("AMZN,layoff,2025-10-28,,1,3,,official,x,s,confirmed", "write 3% as 0.03"),
        ("AMZN,layoff,2025-10-28,,1,-0.1,,official,x,s,confirmed", "pct -0.1 is outside [0, 1]"),
        ("AMZN,layoff,2025-10-28,,hundreds,,,official,x,s,confirmed", "headcount 'hundreds'"),
        ("AMZN,layoff,2025-10-28,,-5,,,official,x,s,confirmed", "headcount -5 is negative"),
        ("AMZN,layoff,2025-10-28,,1,,$80B,official,x,s,confirmed", "value_usd_bn '$80B'"),
        ("AMZN,layoff,2025-10-28,,1,,,official,x,,confirmed", "source is blank"),
        ("AMZN,layoff,2025-10-28,,1,,,official,,s,confirmed", "description is blank"),
        (",layoff,2025-10-28,,1,,,official,x,s,confirmed", "ticker is blank"),
    ],
)
def test_bad_rows_name_the_file_and_row(tmp_path, line, message):
    path = write(tmp_path, HEADER + line + "\n")
    with pytest.raises(BadInputError) as info:
        load_events(path)
    assert str(info.value).startswith(f"{path}, row 2: ")
    assert message in str(info.value)


def test_an_identical_repeated_row_is_refused_naming_both_rows(tmp_path):
    repeat = "AMZN,layoff,2025-10-27,after_close,30000,0.1,,report,Reuters,https://b,confirmed\n"
    path = write(tmp_path, GOOD + repeat.replace("AMZN", "amzn"))
    with pytest.raises(BadInputError) as info:
        load_events(path)
    assert str(info.value) == (
        f"{path}, rows 3 and 6: the same layoff event of AMZN on 2025-10-27, cell for cell; "
        "delete the repeat (it would count the event twice)."
    )
    # Same company, kind and day with other wording (a report and the official statement):
    # two events, both kept.
    other = repeat.replace("report,Reuters", "official,memo")
    assert len(load_events(write(tmp_path, GOOD + other))) == 5


def test_header_problems(tmp_path):
    path = write(tmp_path, HEADER.replace("headcount", "head_count") + "\n")
    with pytest.raises(
        BadInputError, match=r"lacks column\(s\) headcount.*unexpected .*head_count"
    ):
        load_events(path)


def test_missing_file(tmp_path):
    with pytest.raises(DataUnavailableError, match="No such file"):
        load_events(tmp_path / "none.csv")


def test_no_rows_gives_an_empty_table(tmp_path):
    events = load_events(write(tmp_path, HEADER))
    assert events.empty
    assert events.dtypes.equals(empty_events().dtypes)


@pytest.fixture(scope="module")
def curated() -> pd.DataFrame:
    paths = curated_event_paths()
    assert [p.name for p in paths] == ["ai_capex.csv", "layoffs.csv"]
    return load_events(paths)


def test_curated_tables_load_and_are_in_range(curated):
    assert set(curated["kind"]) >= {"layoff", "capex_guidance", "ai_investment"}
    assert set(curated["ticker"]) == {"AMZN", "META", "MSFT", "GOOGL", "CRM"}
    assert curated["pct"].dropna().between(0, 1).all()
    assert (curated["known_from"] >= curated["event_date"]).all()
    assert curated["source"].str.contains("http|github:").all()


def amazon_layoff(curated, day: str) -> pd.Series:
    rows = curated[
        (curated["ticker"] == "AMZN")
        & (curated["kind"] == "layoff")
        & (curated["event_date"] == pd.Timestamp(day))
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_curated_amazon_layoffs_keep_report_and_official_rows(curated):
    nyt = amazon_layoff(curated, "2022-11-14")
    assert (nyt["status"], nyt["timing"], nyt["headcount"]) == ("report", "intraday", 10000)
    assert nyt["known_from"] == pd.Timestamp("2022-11-14")
    reuters = amazon_layoff(curated, "2025-10-27")
    assert (reuters["status"], reuters["timing"], reuters["headcount"]) == (
        "report",
        "after_close",
        30000,
    )
    assert reuters["known_from"] == pd.Timestamp("2025-10-28")
    memo = amazon_layoff(curated, "2025-10-28")
    assert (memo["status"], memo["headcount"], memo["pct"]) == ("official", 14000, 0.04)
    assert amazon_layoff(curated, "2023-01-04")["headcount"] == 18000
    assert amazon_layoff(curated, "2023-03-20")["headcount"] == 9000


def test_curated_capex_guidance_behind_the_articles_105bn(curated):
    call = curated[
        (curated["ticker"] == "AMZN")
        & (curated["kind"] == "capex_guidance")
        & (curated["event_date"] == pd.Timestamp("2025-02-06"))
    ].iloc[0]
    assert call["value_usd_bn"] == pytest.approx(105.2)
    assert call["timing"] == "after_close"
    assert call["known_from"] == pd.Timestamp("2025-02-07")
