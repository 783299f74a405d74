"""Reading a ledger file: the good rows as calls, and every bad row named with its line and fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.inputs.ledger import read_ledger

HEADER = "id,ticker,date,window_start,window_end,stance,benchmark,horizons,source,url,note\n"


def _write(tmp_path: Path, text: str, name: str = "ledger.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows_become_calls_with_their_lines(tmp_path):
    path = _write(
        tmp_path,
        "# a comment line\n"
        + HEADER
        + "a,amzn,2025-08-01,,,buy,,,AInvest,https://example.com/a,first\n"
        + "b,META,,2025-07-01,2025-07-15,SELL,QQQ,3;12,,,\n",
    )
    ledger = read_ledger(path)
    first, second = ledger.calls
    assert (first.id, first.ticker, first.date, first.stance, first.line) == (
        "a",
        "AMZN",
        dt.date(2025, 8, 1),
        "buy",
        3,
    )
    assert first.url == "https://example.com/a" and first.source == "AInvest"
    # A window without a date is entered on its last day; horizons parsed, stance lower-cased.
    assert second.date == dt.date(2025, 7, 15) and second.window == (
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 15),
    )
    assert (second.stance, second.sign, second.benchmark, second.horizons) == (
        "sell",
        -1,
        "QQQ",
        (3, 12),
    )
    assert len(ledger.sha256) == 64


def test_every_bad_row_is_named_with_its_line_and_fix(tmp_path):
    rows = [
        ",AMZN,2025-08-01,,,buy,,,,,",  # 2: empty id
        "b,not a ticker!,2025-08-01,,,buy,,,,,",  # 3: ticker
        "c,AMZN,2025-13-01,,,buy,,,,,",  # 4: date
        "d,AMZN,2025-08-01,,,hold,,,,,",  # 5: stance
        "e,AMZN,,2025-08-01,2025-07-01,buy,,,,,",  # 6: reversed window
        "f,AMZN,2025-09-01,2025-07-01,2025-08-01,buy,,,,,",  # 7: date outside window
        "g,AMZN,,,,buy,,,,,",  # 8: no date
        "h,AMZN,2025-08-01,,,buy,AMZN,,,,",  # 9: benchmark = ticker
        "i,AMZN,2025-08-01,,,buy,,0;x,,,",  # 10: horizons
        "j,AMZN,2025-08-01,,,buy,,,,javascript:alert(1),",  # 11: url
        "k,AMZN,2025-08-01,,,buy,,,,,",  # 12: good
        "k,AMZN,2025-08-01,,,buy,,,,,",  # 13: repeated id
        "l,AMZN,2025-08-01,,,buy,,,,,,extra",  # 14: too many cells
    ]
    path = _write(tmp_path, HEADER + "\n".join(rows) + "\n")
    with pytest.raises(BadInputError) as caught:
        read_ledger(path)
    message = str(caught.value)
    expected = {
        2: "id is empty",
        3: "ticker: 'not a ticker!' is not a ticker symbol",
        4: "date '2025-13-01' is not a date; write it as YYYY-MM-DD",
        5: "stance 'hold' is not buy or sell; write buy or sell",
        6: "is reversed; put the earlier day in window_start",
        7: "lies outside the window",
        8: "no date; give date (YYYY-MM-DD) or window_start and window_end",
        9: "benchmark AMZN is the called ticker; pick another benchmark",
        10: "horizons '0;x' are not whole months from 1 to 600; write them as 1;3;6;12",
        11: "is not an http(s) address",
        13: "id 'k' repeats line 12; give each call its own id",
        14: "12 cells for 11 columns; quote cells that contain commas",
    }
    assert "12 problem(s)" in message
    for line, text in expected.items():
        assert f"line {line}: " in message and text in message, (line, message)
    assert "line 12:" not in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the ledger is empty"),
        ("id,ticker,stance\n", "lacks column(s) date (or window_start and window_end)"),
        ("id,ticker,date,stance,colour\n", "has unknown column(s) colour"),
        ("id,ticker,date,stance,stance\n", "repeats column(s) stance"),
        (HEADER, "holds no call"),
    ],
)
def test_bad_headers_and_empty_files(tmp_path, text, problem):
    with pytest.raises(BadInputError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        read_ledger(_write(tmp_path, text))


def test_missing_file_and_wrong_suffix(tmp_path):
    with pytest.raises(DataUnavailableError, match="No ledger file"):
        read_ledger(tmp_path / "nothing.csv")
    with pytest.raises(BadInputError, match=r"\.csv or \.yaml"):
        read_ledger(_write(tmp_path, "x", "ledger.txt"))


def test_yaml_ledger_with_lines_and_bad_entries(tmp_path):
    good = _write(
        tmp_path,
        "calls:\n"
        "  - id: a\n    ticker: AMZN\n    date: 2025-08-01\n    stance: buy\n"
        "    horizons: [1, 3]\n"
        "  - id: b\n    ticker: MSFT\n    window_start: 2025-07-01\n"
        "    window_end: 2025-07-10\n    stance: sell\n",
        "ledger.yaml",
    )
    first, second = read_ledger(good).calls
    assert (first.line, first.horizons, second.line, second.date) == (
        2,
        (1, 3),
        7,
        dt.date(2025, 7, 10),
    )
    bad = _write(
        tmp_path,
        "calls:\n  - id: a\n    ticker: AMZN\n    date: 2025-08-01\n    stance: buy\n"
        "    colour: red\n  - just text\n",
        "bad.yaml",
    )
    with pytest.raises(BadInputError) as caught:
        read_ledger(bad)
    assert "line 2: unknown field(s) colour" in str(caught.value)
    assert "line 7: a call must be a mapping" in str(caught.value)
    twice = _write(
        tmp_path,
        "calls:\n  - id: a\n    ticker: AMZN\n    ticker: MSFT\n    date: 2025-08-01\n"
        "    stance: buy\n",
        "twice.yaml",
    )
    with pytest.raises(BadInputError, match="the key 'ticker' appears twice \\(again at line 4\\)"):
        read_ledger(twice)
    for text, problem in (
        ("a: &x [1, 2]\nb: [*x, *x]\ncalls: []\n", "aliases"),
        ("calls: [", "malformed YAML"),
        ("- id: a\n", "expected a mapping with a 'calls:' list"),
        ("calls: []\nextra: 1\n", "unknown top-level key"),
    ):
        with pytest.raises(BadInputError, match=problem):
            read_ledger(_write(tmp_path, text, "other.yaml"))
