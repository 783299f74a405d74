"""The snapshot's event formats: text cells to numbers, status, timing, and the loader."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.pit import EVENT_COLUMNS, empty_events
from catalystlab.inputs.events import load_snapshot_events
from catalystlab.inputs.events.snapshot import (
    event_timing,
    layoff_status,
    parse_headcount,
    parse_pct,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("10000", 10000),
        ("10,000", 10000),
        ("~100", 100),
        ("100+", 100),
        ("~3600 (est.)", 3600),
        ("up to 30000 (reported)", 30000),
        ("~500 Twitch + 'several hundred' PV/MGM", 500),
        ("several hundred", math.nan),
        ("dozens", math.nan),
        ("<1000", math.nan),
        ("", math.nan),
    ],
)
def test_parse_headcount(text, number):
    parsed = parse_headcount(text)
    assert parsed == number or (math.isnan(number) and math.isnan(parsed))


@pytest.mark.parametrize(
    ("text", "fraction"),
    [
        ("13%", 0.13),
        ("~3% of corporate", 0.03),
        ("~6% of ~300k corporate; ~1.2% of 1.544M total", 0.06),
        ("10%", 0.10),
        ("~8% of 22k gaming", math.nan),
        ("~10% of Reality Labs", math.nan),
        ("Twitch ~35%", math.nan),
        ("<1%", math.nan),
        ("support 9,000->5,000", math.nan),
        ("", math.nan),
    ],
)
def test_parse_pct(text, fraction):
    parsed = parse_pct(text)
    assert parsed == pytest.approx(fraction) or (math.isnan(fraction) and math.isnan(parsed))


@pytest.mark.parametrize(
    ("scope", "status"),
    [
        ("[REPORT] NYT: ~10,000 roles planned", "report"),
        ("[LEAK] email sent prematurely", "report"),
        ("[MEMO/REPORT] Zuckerberg memo (Bloomberg first)", "report"),
        ("[Axios report] [CNBC via layoffs.fyi]", "report"),
        ("[OFFICIAL] Jassy memo", "official"),
        ("Prime Video (Mike Hopkins memo)", "official"),
        ("WARN filing (Washington)", "official"),
        ("AWS; confirmed by Amazon spokesperson", "official"),
        ("small cut at Amp [layoffs.fyi]", "report"),
    ],
)
def test_layoff_status(scope, status):
    assert layoff_status(scope) == status


def test_event_timing_from_the_readme_then_the_text():
    assert event_timing("AMZN", "2022-11-14", "") == "intraday"
    assert event_timing("amzn", "2025-10-27", "late in US session") == "after_close"
    assert event_timing("AMZN", "2025-02-06", "Q4-24 call (after close): ...") == "after_close"
    assert event_timing("META", "2025-10-29", "stock -8% after hours") == "after_close"
    assert event_timing("AMZN", "2023-01-04", "Jassy memo") == "unknown"


LAYOFFS = """company,ticker,announce_date,headcount,pct,scope,source,confidence
Amazon,AMZN,2022-11-14,10000,~3% of corporate,"[REPORT] NYT: ~10,000 roles",https://a,confirmed
Amazon,AMZN,2023-11-17,,,Alexa: 'several hundred',https://b,single_source
"""
AI_CAPEX = """company,ticker,event_date,kind,description,value_usd_bn,source,confidence
Amazon,AMZN,2025-02-06,capex_guidance,Q4-24 call (after close): ~$105B,105.2,https://c,confirmed
Amazon,AMZN,2024-08-22,ai_claim,Q saved 4500 years,0.26,https://d,uncertain (date); claim confirmed
"""


def folder(tmp_path, **files) -> str:
    events = tmp_path / "data" / "events"
    events.mkdir(parents=True)
    for name, text in files.items():
        (events / f"{name}.csv").write_text(text)
    return tmp_path / "data"


def test_load_snapshot_events(tmp_path):
    events = load_snapshot_events(folder(tmp_path, layoffs=LAYOFFS, ai_capex_events=AI_CAPEX))
    assert tuple(events.columns) == EVENT_COLUMNS
    assert events.dtypes.equals(empty_events().dtypes)
    rows = events.set_index(events["event_date"].dt.strftime("%Y-%m-%d"))
    nyt = rows.loc["2022-11-14"]
    assert (nyt["kind"], nyt["status"], nyt["timing"]) == ("layoff", "report", "intraday")
    assert (nyt["headcount"], nyt["pct"]) == (10000, 0.03)
    assert nyt["known_from"] == pd.Timestamp("2022-11-14")
    assert nyt["description"].startswith("Amazon: [REPORT] NYT")
    assert "pct: ~3% of corporate" in nyt["description"]
    alexa = rows.loc["2023-11-17"]
    assert math.isnan(alexa["headcount"])
    assert alexa["known_from"] == pd.Timestamp("2023-11-18")
    call = rows.loc["2025-02-06"]
    assert (call["status"], call["timing"], call["value_usd_bn"]) == (
        "official",
        "after_close",
        105.2,
    )
    claim = rows.loc["2024-08-22"]
    assert claim["confidence"] == "uncertain"
    assert claim["description"].endswith("[confidence: (date); claim confirmed]")


def test_unknown_format(tmp_path):
    with pytest.raises(BadInputError, match="neither the snapshot's layoffs format"):
        load_snapshot_events(folder(tmp_path, other="a,b\n1,2\n"))


def test_bad_confidence(tmp_path):
    text = LAYOFFS.replace(",single_source", ",probably")
    with pytest.raises(BadInputError, match=r"layoffs.csv, row 3: confidence 'probably'"):
        load_snapshot_events(folder(tmp_path, layoffs=text))


def test_bad_kind_is_caught_by_the_shared_validation(tmp_path):
    text = AI_CAPEX.replace("capex_guidance", "guidance")
    with pytest.raises(BadInputError, match=r"ai_capex_events.csv, row 2: kind 'guidance'"):
        load_snapshot_events(folder(tmp_path, ai_capex_events=text))


def test_missing_event_files(tmp_path):
    with pytest.raises(DataUnavailableError, match="no event files"):
        load_snapshot_events(tmp_path)
