"""User text is text: printed literally by rich, and never a formula in a CSV cell."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from catalystlab.cli import _print_status, main
from catalystlab.report.csv_files import FORMULA_STARTS, neutralised, spreadsheet_safe, write_csv
from catalystlab.report.rich_text import console, literal
from catalystlab.report.terminal import TerminalProgress, _rich_table

MARKUP = (
    "[/x]",
    "[bold]loud[/bold]",
    "[link=https://example.com]here[/link]",
    "give [first, last]",
)


def _printed(*renderables: object, width: int = 200) -> str:
    console = Console(record=True, width=width, file=open("/dev/null", "w"))  # noqa: SIM115
    for item in renderables:
        console.print(item, highlight=False, soft_wrap=True)
    return console.export_text()


@pytest.mark.parametrize("text", MARKUP)
def test_literal_text_prints_as_written(text):
    assert _printed(literal(text)).rstrip("\n") == text
    assert _printed(f"[bold]error:[/bold] {literal(text)}").rstrip("\n") == f"error: {text}"


@given(st.text(alphabet=st.sampled_from("[]/\\ab=@#link "), max_size=30))
def test_any_text_prints_as_written(text):
    assert _printed(literal(text)).removesuffix("\n") == text
    assert _printed(f"[bold]{literal(text)}.[/bold]").removesuffix("\n") == f"{text}."


def test_the_projects_consoles_print_emoji_codes_as_written():
    shown = console(width=80)
    shown.file = io.StringIO()
    shown.print(literal(":smile: [bold]:thumbs_up:"), highlight=False)
    assert shown.file.getvalue() == ":smile: [bold]:thumbs_up:\n"


def test_notes_and_tables_print_user_text_literally():
    progress = TerminalProgress(Console(record=True, width=200, file=open("/dev/null", "w")))  # noqa: SIM115
    for text in MARKUP:
        progress.note(f"warning: {text}")
        progress.note(text)
    notes = progress._console.export_text()
    for text in MARKUP:
        assert f"warning: {text}" in notes and f"note: {text}" in notes
    frame = pd.DataFrame({MARKUP[0]: [MARKUP[1]], "n": [1.5]}, index=pd.Index([MARKUP[2]]))
    shown = _printed(_rich_table(400, frame, title=MARKUP[3], index_label=MARKUP[0]))
    for text in MARKUP:
        assert text in shown


def test_the_cache_status_table_prints_tickers_literally(capsys):
    row = SimpleNamespace(
        to_dict=lambda: {
            "ticker": "[/x]",
            "source": "[link=https://e.com]yf[/link]",
            "first": "[bold]",
            "last": "2020-01-01",
            "rows": 1,
            "stale": False,
        }
    )
    args = SimpleNamespace(json=False, quiet=False)
    _print_status(args, Console(width=200), [row], "Cached")
    printed = capsys.readouterr().out
    assert "[/x]" in printed and "[link=https://e.com]yf[/link]" in printed and "[bold]" in printed


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "cfg[/x].yaml"],
        ["events", "cfg[bold].yaml"],
        ["sweep", "cfg[link=mailto:a@e.com]x.yaml"],
        ["validate", "cfg[/x].yaml"],
        ["compare", "folder[/x]", "folder[bold]"],
        ["ledger", "calls[/x].csv"],
        ["ledger", "calls.csv", "--benchmark", "[/x]"],
        ["init", "[bold]name", "--ticker", "AAA", "--date", "2020-01-02"],
        ["data", "import", "prices[link=mailto:a@e.com]"],
    ],
)
def test_every_command_prints_its_error_literally(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "calls.csv").write_text("id,ticker,date,stance\na1,AAA,2020-01-02,buy\n")
    code = main([*argv, *(["--out", str(tmp_path / "out")] if argv[0] == "init" else [])])
    printed = capsys.readouterr()
    assert code in (2, 3)
    assert "Traceback" not in printed.err and printed.err.startswith("error: ")
    marked = next(part for part in argv if "[" in part)
    assert marked in printed.err


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(start):
    assert neutralised(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


@pytest.mark.parametrize("value", ["AInvest", "", " =not first", "'=already", 1.5, -2, None])
def test_other_values_are_left_as_they_are(value):
    assert neutralised(value) == value


@given(
    st.lists(st.text(max_size=12), min_size=1, max_size=6),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=6, max_size=6),
)
def test_written_text_never_starts_a_formula_and_numbers_are_unchanged(texts, numbers):
    frame = pd.DataFrame(
        {"text": texts, "number": numbers[: len(texts)]},
        index=pd.Index([f"-id{n}" for n in range(len(texts))], name="=name"),
    )
    safe = spreadsheet_safe(frame)
    assert safe["number"].to_numpy().tolist() == numbers[: len(texts)]
    for original, written in zip(frame["text"], safe["text"], strict=True):
        assert not written.startswith(FORMULA_STARTS)
        assert written == original or written == "'" + original
    assert list(safe.index) == [f"'-id{n}" for n in range(len(texts))]
    assert safe.index.name == "'=name"
    assert frame.index[0] == "-id0"  # the frame itself is not changed


def test_write_csv_keeps_negative_numbers_and_quotes_formulas(tmp_path):
    frame = pd.DataFrame(
        {"source": ['=HYPERLINK("http://e.com","x")', "@SUM(A1)"], "excess": [-0.25, 0.5]},
        index=pd.Index(["a1", "-a2"], name="id"),
    )
    write_csv(frame, tmp_path / "x.csv")
    rows = list(csv.reader((tmp_path / "x.csv").open(encoding="utf-8")))
    assert rows == [
        ["id", "source", "excess"],
        ["a1", '\'=HYPERLINK("http://e.com","x")', "-0.25"],
        ["'-a2", "'@SUM(A1)", "0.5"],
    ]


def test_multi_level_labels_and_their_names_are_quoted_too(tmp_path):
    frame = pd.DataFrame(
        [[1.5, -2.0]],
        index=pd.MultiIndex.from_tuples([("=HYPERLINK(1)", 3)], names=["@who", "n"]),
        columns=pd.MultiIndex.from_tuples([("+a", "x"), ("b", "-y")]),
    )
    write_csv(frame, tmp_path / "x.csv")
    rows = list(csv.reader((tmp_path / "x.csv").open(encoding="utf-8")))
    assert rows == [
        ["", "", "'+a", "b"],
        ["", "", "x", "'-y"],
        ["'@who", "n", "", ""],
        ["'=HYPERLINK(1)", "3", "1.5", "-2.0"],
    ]


def test_a_ledgers_formulas_reach_calls_and_sources_csv_as_text(tmp_path, capsys):
    data = tmp_path / "data"
    for seed, ticker in enumerate(("AAA", "SPY")):
        frame = synthetic_prices(seed=seed, days=400, start="2016-01-04")
        write_price_csv(frame, data / "prices" / f"{ticker}.csv")
    ledger = tmp_path / "calls.csv"
    ledger.write_text(
        "id,ticker,date,stance,source,url,note\n"
        'a1,AAA,2016-03-01,buy,"=HYPERLINK(""http://e.com"",""x"")",,"=cmd|\' /C calc\'!A0"\n'
        'a2,AAA,2016-06-01,sell,"+1-2",,@SUM(1)\n'
        "a3,AAA,2016-07-01,buy,[/x][bold]site[link=mailto:a@e.com],,\n",
        encoding="utf-8",
    )
    out = tmp_path / "results"
    argv = ["ledger", str(ledger), "--data-dir", str(data), "--offline", "--out", str(out)]
    assert main([*argv, "--draws", "50", "--reps", "50", "--horizons", "1"]) == 0
    assert "- [/x][bold]site[link=mailto:a@e.com]" in capsys.readouterr().out  # its verdict
    (folder,) = out.iterdir()
    cells = [
        cell
        for name in ("calls.csv", "sources.csv")
        for row in csv.reader((folder / name).open(encoding="utf-8"))
        for cell in row
    ]
    assert '\'=HYPERLINK("http://e.com","x")' in cells and "'+1-2" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
