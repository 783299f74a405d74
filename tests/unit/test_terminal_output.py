"""What a user sees on a terminal: the headline first, tables that fit any width with the
columns that answer the question, paths only once the folder is complete, and ``--json``."""

from __future__ import annotations

import html
import io
import json
import math

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import catalystlab as cl
from catalystlab.cli import main
from catalystlab.report import terminal
from catalystlab.report.formatting import MISSING, format_value, ordinal, percentile_text
from catalystlab.report.verdicts import call_headline, headline

CONFIG = {
    "name": "synthetic_call",
    "start": "2019-01-02",
    "cash": 10000,
    "costs": {"commission": 0.0, "slippage": 0.0},
    "benchmark": "SPY",
    "call": {"ticker": "AAA", "date": "2019-06-03", "benchmarks": ["SPY", "pair"]},
    "strategies": [
        {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
        {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "SPY": 0.5}},
    ],
}
WIDTHS = (60, 80, 100, 160)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from conftest import synthetic_prices, write_price_csv

    folder = tmp_path_factory.mktemp("data")
    for seed, ticker in enumerate(("AAA", "SPY")):
        frame = synthetic_prices(seed=seed, days=420)
        write_price_csv(frame, folder / "prices" / f"{ticker}.csv")
    return folder


@pytest.fixture(scope="module")
def result(data):
    return cl.run(CONFIG, data_dir=data, offline=True, write=False)


@pytest.fixture(scope="module")
def outcome(result):
    return result.outcome


def _printed(width: int, outcome) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    terminal.print_summary(console, outcome)
    return console.export_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_terminal_and_the_answer_survives(outcome, width):
    text = _printed(width, outcome)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    # the headline comes first
    assert lines[0].startswith("AAA ") and "since the call" in text.split("\n\n")[0]
    ranked = text[text.index("Ranked by DSR") :]
    for header in ("DSR", "excess/yr"):
        assert header in ranked, (width, header)
    oos = text[text.index("Out of sample") : text.index("Horizons")]
    for header in ("total", "excess"):
        assert header in oos, (width, header)
    horizons = text[text.index("Horizons") : text.index("Entry on any day")]
    for months in (1, 3, 6, 12):  # every horizon, wrapped into a second table if need be
        assert f"{months}m" in horizons.split(), (width, months)
    for bad in ("nan", "inf", "e+0"):
        assert bad not in text.lower().replace("infer", "")


def test_narrow_terminals_drop_volatility_first_and_keep_dsr(outcome):
    wide, narrow = _printed(160, outcome), _printed(60, outcome)
    assert "volatility" in wide and "left out at this width: " not in wide
    assert "left out at this width: volatility" in narrow  # the first to go
    assert "PSR vs SPY" in wide  # the PSR names the Sharpe ratio it is tested against


def test_headline_numbers_are_the_out_of_sample_table(outcome):
    call = outcome.call
    oos = call.out_of_sample
    own, spy = oos.loc["AAA", "total_return"], oos.loc["SPY", "total_return"]
    excess = own - spy  # a buy call's excess: the stock's return minus the benchmark's
    line = call_headline(call)
    assert line.startswith(f"AAA {own:+.1%} vs SPY {spy:+.1%} since the call: ")
    verb = "beat it" if excess > 0 else "trailed"
    assert f"{verb} by {100 * abs(excess):.1f} points" in line
    low, high = call.excess_interval.loc["SPY", ["low", "high"]]
    assert ("within what luck explains" in line) == (low < 0 < high)
    assert headline(outcome) == line


ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th"}
ORDINALS |= {21: "21st", 22: "22nd", 42: "42nd", 100: "100th", 111: "111th", 0: "0th"}


@pytest.mark.parametrize(("number", "text"), ORDINALS.items())
def test_ordinals(number, text):
    assert ordinal(number) == text


def test_percentiles_are_ordinals():
    assert percentile_text(0.21) == "21st"
    assert format_value(0.93, "percentile:SPY") == "93rd"


@given(
    value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**12), 10**12)),
    column=st.sampled_from(["total_return", "excess_cagr", "sharpe", "percentile", "n", "x"]),
)
def test_no_nan_inf_or_exponent_is_ever_shown(value, column):
    text = format_value(value, column)
    assert not any(bad in text.lower() for bad in ("nan", "inf", "e+", "e-"))
    if isinstance(value, float) and not math.isfinite(value):
        assert text == MISSING
    if isinstance(value, int) and column in ("n", "x", "sharpe"):  # counts: no decimals
        assert text == f"{value:,}"


def test_integers_are_shown_as_integers():
    assert format_value(3629, "windows") == "3,629"
    assert format_value(3629.0, "x") == "3,629"
    assert format_value(465.596, "total_return") == "46,559.6%"


def _run_cli(tmp_path, data, *extra: str) -> int:
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(CONFIG))
    return main(
        ["run", str(path), "--out", str(tmp_path / "results"), "--data-dir", str(data), *extra]
    )


def test_piped_output_honours_columns_and_prints_paths_only_when_complete(
    tmp_path, data, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "70")
    seen = []
    printed = terminal.print_paths

    def check(console, folder):
        seen.append(sorted(p.name for p in folder.iterdir()))
        printed(console, folder)

    monkeypatch.setattr(terminal, "print_paths", check)
    assert _run_cli(tmp_path, data) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].startswith("Results: ") and lines[-1].startswith("Report:  ")
    assert max(len(line) for line in lines[:-2]) <= 70  # a path is never broken
    (names,) = seen
    assert {"report.html", "tearsheets", "summary.json"} <= set(names)
    assert lines[0].startswith("AAA ")


def test_json_says_when_a_run_is_reused(tmp_path, data, capsys):
    assert _run_cli(tmp_path, data, "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert _run_cli(tmp_path, data, "--json") == 0
    second = json.loads(capsys.readouterr().out)
    assert first["reused"] is False and second["reused"] is True
    assert second["folder"] == first["folder"]


def test_json_errors_are_one_json_object_on_stdout(tmp_path, data, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**CONFIG, "cash": -5}))
    code = main(["run", str(bad), "--json", "--data-dir", str(data)])
    document = json.loads(capsys.readouterr().out)
    assert code == 2
    assert document["exit_code"] == 2 and document["kind"] == "BadInputError"
    assert "cash" in document["error"]
    missing = main(["run", str(tmp_path / "nowhere.yaml"), "--json"])
    assert json.loads(capsys.readouterr().out)["exit_code"] == missing != 0


def test_the_run_report_leads_with_the_headline_and_labels_psr(outcome):
    from catalystlab.report.html import render_report
    from catalystlab.report.tables import run_tables

    page = render_report(
        outcome, run_id="r", strategies=run_tables(outcome).ranked, tearsheets={}, charts={}
    )
    assert page.index(html.escape(headline(outcome))) < page.index("<h2>Verdict</h2>")
    assert "<th>PSR vs SPY</th>" in page and "<th>PSR</th>" not in page
    in_sample = page[page.index("In-sample context") :]
    in_sample = in_sample[: in_sample.index("</table>")]
    # a decade's difference of total returns is not shown, the CAGR difference is
    assert "<th>excess</th>" not in in_sample and "<th>excess CAGR</th>" in in_sample


def test_a_run_result_in_a_notebook_is_short_and_leads_with_the_headline(result):
    text = repr(result)
    assert len(text) < 400 and "\n" not in text
    assert text.startswith("RunResult(synthetic_call: AAA ") and "folder=None" in text
    page = result._repr_html_()
    assert page.index(html.escape(result.headline)) < page.index("<table>")
    assert "<th>PSR vs SPY</th>" in page and "Nothing written" in page
    assert len(page) < 20_000


def test_plot_draws_one_growth_curve_per_strategy(result):
    figure = result.plot()
    (axes,) = figure.axes
    assert [line.get_label() for line in axes.get_lines()] == list(result.equity.columns)
    first = axes.get_lines()[0].get_ydata()
    assert first[0] == 1.0  # growth of 1
    growth = result.equity.iloc[:, 0] / result.equity.iloc[0, 0]
    assert first[-1] == pytest.approx(growth.iloc[-1])


def test_notebook_tables_escape_user_text_and_say_how_many_rows_are_hidden():
    from catalystlab.report.notebook import SHOWN_ROWS, html_table

    frame = pd.DataFrame({"sharpe": range(SHOWN_ROWS + 3)}, index=["<b>x</b>"] * (SHOWN_ROWS + 3))
    page = html_table(frame, title="<i>t</i>")
    assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;i&gt;" in page
    assert "3 more rows" in page and page.count("<tr>") == SHOWN_ROWS + 1


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wide_ranking_keeps_dsr_and_the_whole_interval_longest(width):
    # A flagship-like ranking: long ids, a total return of thousands of percent.
    ids = ["thesis_amzn_else_spy", "buy_hold_nvda", "SPY"]
    table = pd.DataFrame(
        {
            "rank": [1, 2, 3],
            "total_return": [465.596, 3.854, 3.581],
            "cagr": [0.689, 0.144, 0.139],
            "sharpe": [1.33, 0.75, 0.83],
            "max_drawdown": [-0.663, -0.337, -0.337],
            "psr": [0.96, 0.39, 0.5],
            "dsr": [1.0, 0.97, 0.98],
            "excess_return": [0.495, 0.012, float("nan")],
            "excess_return_lo": [0.281, -0.041, float("nan")],
            "excess_return_hi": [0.721, 0.064, float("nan")],
        },
        index=ids,
    )
    console = Console(width=width, record=True, file=io.StringIO())
    first, last = pd.Timestamp("2015-01-02"), pd.Timestamp("2026-09-25")
    console.print(
        terminal._ranking(width, table, benchmark="SPY", n_trials=5, first=first, last=last)
    )
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    assert "DSR" in text and "+49.5% [+28.1%, +72.1%]" in text  # the interval on one line
    assert "46,559.6%" in text or width < 80  # the return goes only after PSR
    assert "–: no excess interval for SPY against itself" in " ".join(text.split())
    if "left out at this width" in text:
        assert "max drawdown" in text.split("left out at this width")[1]


def test_compare_sweep_and_ledger_results_show_their_answer_first(tmp_path):
    from types import SimpleNamespace

    from catalystlab.api import CompareResult, LedgerRun, SweepResult

    ranked = pd.DataFrame(
        {"rank": [2, 1], "sharpe": [0.4, 0.9], "psr": [0.2, 0.7], "dsr": [0.5, 0.96]},
        index=["a/hold_x", "b/hold_y"],
    )
    for name in ("excess_return", "excess_return_lo", "excess_return_hi"):
        ranked[name] = [0.01, 0.02]
    compare = CompareResult(
        comparison=SimpleNamespace(table=ranked, folders=(tmp_path, tmp_path), benchmark="SPY"),
        folder=tmp_path,
    )
    assert repr(compare).startswith("CompareResult(2 runs: b/hold_y ranks first of 2 by DSR")
    assert "<th>PSR vs SPY</th>" in compare._repr_html_()
    assert (tmp_path / "report.html").as_uri() in compare._repr_html_()
    outcome = SimpleNamespace(
        walk_forward=pd.Series([0.1, -0.05]),  # (1.1 * 0.95) - 1 = +4.5%
        walk_forward_stats={"psr": 0.61, "dsr": float("nan")},
        folds=pd.DataFrame({"fold": [1, 2, 3]}),
        n_trials=12,
        config=SimpleNamespace(name="sweep_x"),
        confirmed=pd.DataFrame({"label": ["<b>t</b>"], "total_return": [0.2], "sharpe": [1.0]}),
    )
    sweep = SweepResult(outcome=outcome, summary={}, folder=None)
    assert sweep.headline == (
        "Walk-forward over 3 folds, out of sample: 4.5%, PSR vs 0 0.61, DSR – with 12 trials "
        "counted."
    )
    assert "&lt;b&gt;t&lt;/b&gt;" in sweep._repr_html_() and "nan" not in sweep._repr_html_()
    ledger = LedgerRun(
        outcome=None,
        summary={
            "counts": {"calls": 7, "evaluable": 6},
            "verdicts": {"me": "me: 4 of 6 right."},
        },
        calls=pd.DataFrame(),
        sources=pd.DataFrame({"source": ["me"], "hit_rate": [0.667]}),
        folder=None,
    )
    assert repr(ledger) == "LedgerRun(ledger: 7 calls from 1 source(s), folder=None)"
    assert ledger.headline == "7 calls, 6 evaluated. me: 4 of 6 right."
    assert "66.7%" in ledger._repr_html_()


@pytest.mark.parametrize("width", (60, 100))
def test_every_dash_in_the_ranking_has_its_reason(width):
    # capex_nvda never held a position (no Sharpe, PSR or DSR); SPY has no excess over itself;
    # thin_rule holds so rarely that its interval has no bounds.
    nan = float("nan")
    table = pd.DataFrame(
        {
            "rank": [1, 2, 3, 4],
            "total_return": [1.2, 0.5, 0.01, 0.0],
            "cagr": [0.1, 0.05, 0.001, 0.0],
            "sharpe": [0.9, 0.8, 0.1, nan],
            "max_drawdown": [-0.3, -0.3, -0.01, 0.0],
            "psr": [0.7, 0.5, 0.1, nan],
            "dsr": [0.9, 0.8, 0.2, nan],
            "excess_return": [0.05, nan, -0.04, -0.1],
            "excess_return_lo": [0.01, nan, nan, -0.2],
            "excess_return_hi": [0.09, nan, nan, -0.01],
        },
        index=["hold_x", "SPY", "thin_rule", "capex_nvda"],
    )
    console = Console(width=width, record=True, file=io.StringIO())
    first, last = pd.Timestamp("2015-01-02"), pd.Timestamp("2026-09-25")
    console.print(
        terminal._ranking(width, table, benchmark="SPY", n_trials=3, first=first, last=last)
    )
    text = " ".join(console.export_text().split())
    assert "no excess interval for SPY against itself" in text
    assert "capex_nvda never held a position: no Sharpe ratio" in text
    assert "hence no PSR or DSR" in text
    assert "[–]: no interval" in text
    assert "thin_rule never held" not in text and "hold_x never held" not in text


def test_a_ranking_without_dashes_has_no_dash_note():
    table = pd.DataFrame(
        {
            "rank": [1],
            "total_return": [1.2],
            "cagr": [0.1],
            "max_drawdown": [-0.3],
            "sharpe": [0.9],
            "psr": [0.7],
            "dsr": [0.9],
            "excess_return": [0.05],
            "excess_return_lo": [0.01],
            "excess_return_hi": [0.09],
        },
        index=["hold_x"],
    )
    console = Console(width=100, record=True, file=io.StringIO())
    first, last = pd.Timestamp("2015-01-02"), pd.Timestamp("2026-09-25")
    console.print(
        terminal._ranking(100, table, benchmark="SPY", n_trials=1, first=first, last=last)
    )
    assert "–:" not in console.export_text() and "no interval" not in console.export_text()


def test_compare_prints_its_one_line_answer_before_the_ranking(tmp_path):
    from types import SimpleNamespace

    table = pd.DataFrame(
        {
            "rank": [2, 1, 3],
            "total_return": [0.5, 4.6, 3.6],
            "cagr": [0.05, 0.69, 0.14],
            "sharpe": [0.5, 1.33, 0.83],
            "max_drawdown": [-0.3, -0.66, -0.34],
            "psr": [0.2, 0.96, 0.5],
            "dsr": [0.7, 1.0, 0.94],
            "excess_return": [-0.1, 0.495, float("nan")],
            "excess_return_lo": [-0.2, 0.281, float("nan")],
            "excess_return_hi": [0.0, 0.721, float("nan")],
        },
        index=["a/thesis_amzn", "b/buy_hold_nvda", "SPY"],
    )
    comparison = SimpleNamespace(
        table=table,
        benchmark="SPY",
        n_trials=2,
        first_day=pd.Timestamp("2015-01-05"),
        last_day=pd.Timestamp("2026-09-25"),
    )
    console = Console(width=80, record=True, file=io.StringIO())
    terminal.print_comparison(console, comparison, tmp_path)
    lines = console.export_text().splitlines()
    assert lines[0] == "b/buy_hold_nvda ranks first of 3 by DSR (DSR 1.00, Sharpe 1.33)."
    assert lines[1].startswith("Ranked by DSR (2 variants counted)")
    assert lines[-1] == f"Results: {tmp_path}"


def test_a_dash_in_a_column_left_out_needs_no_footnote():
    frame = pd.DataFrame(
        {"excess": ["+2.4%", "+29.7%"], "note": ["–", "unbreakable" * 6]},
        index=["call_a", "call_b"],
    )
    narrow = Console(width=40, record=True, file=io.StringIO())
    narrow.print(terminal._rich_table(40, frame, title="t", priority=("excess",)))
    text = " ".join(narrow.export_text().split())
    assert "left out at this width: note" in text and "not measurable" not in text
    wide = Console(width=200, record=True, file=io.StringIO())
    wide.print(terminal._rich_table(200, frame, title="t", priority=("excess",)))
    assert "–: not measurable" in wide.export_text()


def test_notes_held_back_come_after_the_answer_in_order_and_none_is_lost():
    stream = io.StringIO()
    console = Console(width=80, file=stream, force_terminal=False)
    progress = terminal.TerminalProgress(console)
    progress.hold_notes()
    progress.note("End is 2026-09-25: SPY's last price.")
    progress.note("warning: no layoff events for NVDA.")
    terminal.print_headline(console, "AMZN +14.7% vs SPY +24.6% since the call.")
    progress.release_notes()
    progress.note("Writing the results folder.")
    progress.release_notes()  # a second release shows nothing twice
    assert stream.getvalue().splitlines() == [
        "AMZN +14.7% vs SPY +24.6% since the call.",
        "note: End is 2026-09-25: SPY's last price.",
        "warning: no layoff events for NVDA.",
        "note: Writing the results folder.",
    ]
    assert progress.notes == [
        "End is 2026-09-25: SPY's last price.",
        "warning: no layoff events for NVDA.",
        "Writing the results folder.",
    ]
