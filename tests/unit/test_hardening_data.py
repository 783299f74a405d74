"""Data checks (issue 11): fundamentals and events rows that cannot be right are rejected,
naming the file, the row and the fix."""

from __future__ import annotations

import pandas as pd
import pytest

from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import EVENT_COLUMNS
from catalystlab.inputs.events.table import build_events
from catalystlab.inputs.fundamentals.table import build_fundamentals


def _fundamentals(**changes) -> pd.DataFrame:
    row = {
        "ticker": "AAA",
        "metric": "revenue",
        "fiscal_period": "2024Q4",
        "period_end": "2024-12-31",
        "value": "1000",
        "public_date": "2025-02-01",
        "timing": "after_close",
        "source": "test",
    }
    frame = pd.DataFrame(
        [
            row,
            {
                **row,
                "fiscal_period": "2025Q1",
                "period_end": "2025-03-31",
                "public_date": "2025-04-30",
                **changes,
            },
        ]
    )
    frame["row"] = [2, 3]
    return frame


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "0"}, "row 3: revenue 0 is not positive"),
        ({"value": "-5"}, "row 3: revenue -5 is not positive"),
        ({"value": "n/a"}, "row 3: value 'n/a' is not a number"),
        ({"value": "inf"}, "row 3: value 'inf' is not a number"),
        ({"ticker": "../etc"}, "row 3: ticker '../ETC' is not a ticker symbol"),
    ],
)
def test_fundamentals_that_cannot_be_right_are_rejected(changes, message):
    with pytest.raises(BadInputError, match=r"fundamentals\.csv, row 3") as error:
        build_fundamentals(_fundamentals(**changes), origin="fundamentals.csv")
    assert message in str(error.value)


def test_negative_operating_income_is_a_fact_not_an_error():
    table = build_fundamentals(
        _fundamentals(metric="operating_income", value="-5"), origin="fundamentals.csv"
    )
    assert table["value"].min() == -5


def _events(**changes) -> pd.DataFrame:
    row = {c: "" for c in EVENT_COLUMNS if c != "known_from"}
    row.update(
        ticker="AAA",
        kind="layoff",
        event_date="2023-01-18",
        timing="unknown",
        status="report",
        description="cuts",
        source="https://example.com",
        confidence="confirmed",
    )
    frame = pd.DataFrame([row, {**row, **changes}])
    frame["row"] = [2, 3]
    return frame


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ticker": "../../AAA"}, "ticker '../../AAA' is not a ticker symbol"),
        ({"ticker": "A" * 300}, "is not a ticker symbol"),
        ({"event_date": "1900-01-02"}, "event_date 1900-01-02 lies outside 1990..today"),
        ({"event_date": "2099-01-02"}, "event_date 2099-01-02 lies outside 1990..today"),
        ({"event_date": "-5"}, "event_date '-5' is not a date"),
        ({"event_date": "9999-01-01"}, "event_date '9999-01-01' is not a date"),
    ],
)
def test_event_rows_with_an_impossible_ticker_or_date_are_rejected(changes, message):
    with pytest.raises(BadInputError, match=r"events\.csv, row 3") as error:
        build_events(_events(**changes), origin="events.csv")
    assert message in str(error.value)


def test_a_bad_release_date_is_reported_under_its_own_name_once(tmp_path):
    from catalystlab.inputs.fundamentals.snapshot import read_amzn_quarterly

    path = tmp_path / "amzn_quarterly.csv"
    header = (
        "fiscal_quarter,period_end,release_date,filing_date,net_sales_usd_m,"
        "operating_income_usd_m,capex_usd_m,capex_derivation,source,confidence"
    )
    path.write_text(
        header + "\n2024Q4,2024-12-31,2025-02-06,2025-02-07,187792,21203,27834,,10-K,high\n"
        "2025Q1,2025-03-31,someday,2025-05-02,155667,18405,24271,,10-Q,high\n"
    )
    with pytest.raises(BadInputError) as error:
        read_amzn_quarterly(path)
    message = str(error.value)
    assert "row 3: release_date 'someday' is not a date" in message
    assert "more row" not in message and "public_date" not in message
