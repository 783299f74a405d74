"""``runner.py ledger`` and ``cl.ledger``: the results folder, calls without data listed, user
text escaped in the report, and a single sell call equal to the run command's numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv

import catalystlab as cl
from catalystlab.cli import main
from catalystlab.report.formatting import percentile_text


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    for seed, ticker in enumerate(("AAA", "BBB", "SPY")):
        frame = synthetic_prices(seed=seed, days=900, start="2016-01-04")
        write_price_csv(frame, folder / "prices" / f"{ticker}.csv")
    return folder


HOSTILE = "<script>alert('x')</script> & Co"


def _ledger(tmp_path: Path) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text(
        "id,ticker,date,stance,source,url,note\n"
        f'a1,AAA,2017-03-01,buy,"{HOSTILE}",https://example.com/?a=1&b="2",<b>bold</b>\n'
        f'a2,BBB,2017-06-01,sell,"{HOSTILE}",,\n'
        "a3,AAA,2018-09-03,buy,Other site,,\n"
        "a4,ZZZ,2017-03-01,buy,Other site,,no prices for this one\n"
        "a5,BBB,2019-05-01,buy,Other site,,too recent for 3 and 12 months\n",
        encoding="utf-8",
    )
    return path


def test_the_command_writes_the_folder_and_lists_calls_without_data(tmp_path, data, capsys):
    out = tmp_path / "results"
    argv = ["ledger", str(_ledger(tmp_path)), "--data-dir", str(data), "--offline"]
    argv += ["--out", str(out), "--draws", "200", "--horizons", "1,3,12", "--seed", "3"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "5 calls: 4 evaluated, 1 not evaluable" in printed
    (folder,) = out.iterdir()
    names = {p.name for p in folder.iterdir()}
    assert {"calls.csv", "sources.csv", "summary.json", "report.html", "manifest.json"} <= names
    assert {"cumulative_excess.png", "null_distribution.png", "hit_rate.png"} <= names

    calls = pd.read_csv(folder / "calls.csv")
    missing = calls[calls["id"] == "a4"]
    assert set(missing["status"]) == {"not evaluable"}
    assert missing["reason"].str.contains("no prices for ZZZ").all()
    recent = calls[(calls["id"] == "a5")].set_index("horizon")
    # The prices end 2019-06-14: a5's 3 and 12 months, and a3's 12, are still open.
    assert recent.loc["12m", "status"] == "open" and pd.isna(recent.loc["12m", "excess"])
    assert recent.loc["3m", "status"] == "open" and recent.loc["1m", "status"] == "scored"
    assert recent.loc["end", "status"] == "to date"
    assert set(calls["horizon"]) == {"1m", "3m", "12m", "end"}

    summary = json.loads((folder / "summary.json").read_text())
    assert summary["counts"] == {
        "calls": 5,
        "evaluable": 4,
        "not_evaluable": 1,
        "scored_cells": 9,
        "open_cells": 3,
    }
    assert summary["not_evaluable"][0]["id"] == "a4"
    assert set(summary["verdicts"]) == {HOSTILE, "Other site", "all calls"}
    assert summary["settings"]["seed"] == 3 and summary["settings"]["permutation_draws"] == 200
    sources = pd.read_csv(folder / "sources.csv")
    pooled = sources[sources["horizon"] == "pooled"].set_index("source")
    assert pooled.loc["all calls", "scored"] == 9
    assert 0 < pooled.loc["all calls", "p_random_dates"] <= 1

    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["inputs"]["ledger"]["sha256"]) == 64
    assert {"AAA", "BBB", "SPY"} <= set(manifest["inputs"])

    page = (folder / "report.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page
    every_call = page[page.index("<h2>Every call</h2>") :]
    head = every_call[every_call.index("<thead>") : every_call.index("</thead>")]
    for column in ("call", "stance", "source", "note"):  # words: header aligned like cells
        assert f'<th class="text">{column}</th>' in head
    assert "<th>1m</th>" in head and "<th>to date</th>" in head
    assert 'href="https://example.com/?a=1&amp;b=&quot;2&quot;"' in page


def test_calls_prints_every_call_with_its_excess_per_horizon(tmp_path, data, capsys, monkeypatch):
    from browser.harness import bad_numbers

    monkeypatch.setenv("COLUMNS", "250")  # a row per call, whatever terminal runs the tests
    out = tmp_path / "results"
    argv = ["ledger", str(_ledger(tmp_path)), "--data-dir", str(data), "--offline", "--calls"]
    assert (
        main([*argv, "--out", str(out), "--draws", "50", "--reps", "50", "--horizons", "1,3,12"])
        == 0
    )
    printed = capsys.readouterr().out
    (folder,) = out.iterdir()
    calls = pd.read_csv(folder / "calls.csv").set_index(["id", "horizon"])
    lines = {line.split("│")[1].strip(): line for line in printed.splitlines() if "│ a" in line}
    assert set(lines) == {"a1", "a2", "a3", "a4", "a5"}  # every call, in its own row
    a1 = calls.loc[("a1", "3m")]
    assert f"{a1['excess']:+.1%} ({percentile_text(a1['percentile'])})" in lines["a1"]
    assert "open" in lines["a5"] and "not evaluable" in lines["a4"]
    assert "<script>alert('x')</script>" in printed  # user text as text, not rich markup
    assert bad_numbers(printed) == ()  # no nan, inf or 1e+04


def test_bad_ledger_and_options_exit_2(tmp_path, data, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,ticker,date,stance\nx,AAA,2017-02-30,long\n", encoding="utf-8")
    assert main(["ledger", str(bad), "--data-dir", str(data), "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "line 2:" in error and "YYYY-MM-DD" in error and "write buy or sell" in error
    with pytest.raises(cl.BadInputError, match="--benchmark"):
        cl.ledger(_ledger(tmp_path), data_dir=data, benchmark="not a ticker!", write=False)
    with pytest.raises(cl.BadInputError, match="entry convention"):
        cl.ledger(_ledger(tmp_path), data_dir=data, entry="tomorrow", write=False)
    assert not (tmp_path / "results").exists()


def test_a_single_sell_call_equals_the_run_command(tmp_path, data):
    """The run command's call test of a sell, and the same call in a ledger: engine excess per
    horizon and to the end (out of sample), base-rate percentiles, frictionless excess."""
    config = {
        "name": "sell_call",
        "start": "2016-01-04",
        "cash": 100000,
        "costs": {"commission": 0.0005, "slippage": 0.0005},
        "benchmark": "SPY",
        "call": {
            "ticker": "AAA",
            "date": "2018-06-01",
            "stance": "sell",
            "benchmarks": ["SPY"],
            "base_rate_start": "2016-01-04",
            "horizons_months": [1, 3, 6],
        },
        "strategies": [{"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"}],
    }
    run = cl.run(config, data_dir=data, write=False)
    path = tmp_path / "one.csv"
    path.write_text("id,ticker,date,stance\ns,AAA,2018-06-01,sell\n", encoding="utf-8")
    ledger = cl.ledger(
        path,
        data_dir=data,
        horizons=(1, 3, 6),
        history_start="2016-01-04",
        draws=20,
        reps=20,
        write=False,
    )
    rows = ledger.calls.set_index("horizon")
    horizons = run.call.horizons
    for label in ("1m", "3m", "6m"):
        assert rows.loc[label, "engine_excess"] == pytest.approx(
            horizons.loc[label, "excess:SPY"], abs=1e-12
        )
        assert rows.loc[label, "engine_stock_return"] == pytest.approx(
            horizons.loc[label, "return:AAA"], abs=1e-12
        )
        assert rows.loc[label, "percentile"] == horizons.loc[label, "percentile:SPY"]
    base = run.summary["call"]["base_rates"]["SPY"]
    assert rows.loc["end", "excess"] == pytest.approx(base["call_excess"], abs=1e-15)
    assert rows.loc["end", "percentile"] == pytest.approx(base["percentile"], abs=1e-15)
    assert rows.loc["end", "engine_excess"] == pytest.approx(
        run.call.out_of_sample.loc["SPY", "excess_total_return"], abs=1e-12
    )
    assert rows.loc["end", "excess"] > 0 or rows.loc["end", "hit"] is False


def test_json_and_quiet_print_only_the_summary_or_the_folder(tmp_path, data, capsys):
    argv = ["ledger", str(_ledger(tmp_path)), "--data-dir", str(data), "--draws", "20"]
    argv += ["--reps", "20", "--out", str(tmp_path / "results")]
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["counts"]["calls"] == 5 and Path(document["folder"]).is_dir()
    assert main([*argv, "--quiet"]) == 0
    captured = capsys.readouterr()
    assert Path(captured.out.strip()).is_dir() and captured.err == ""


@pytest.mark.parametrize("width", (60, 80, 100))
def test_the_per_call_table_fits_the_terminal_and_keeps_every_horizon(width):
    from rich.console import Console

    from catalystlab.report.ledger import print_ledger_calls

    def record(line, ident, horizon, status, excess, percentile, **rest):
        return dict(
            line=line,
            id=ident,
            horizon=horizon,
            status=status,
            excess=excess,
            percentile=percentile,
            stance="buy",
            ticker="AMZN",
            benchmark="SPY",
            source="A source whose name is long",
            entry_day="2025-08-01",
            engine_excess=rest.get("engine_excess", float("nan")),
            reason=rest.get("reason", float("nan")),
            note="Amazon's AI-Driven Workforce Transformation (address ends -2507); entered",
            url="",
        )

    calls = pd.DataFrame(
        [
            record(2, "amzn-ainvest-2025-08", "1m", "scored", 0.0237, 0.60),
            record(2, "amzn-ainvest-2025-08", "3m", "scored", 0.0322, 0.50),
            record(2, "amzn-ainvest-2025-08", "12m", "open", float("nan"), float("nan")),
            record(
                2, "amzn-ainvest-2025-08", "end", "to date", -0.0991, 0.21, engine_excess=-0.099
            ),
            record(3, "nvda", "1m", "scored", 0.2966, 0.97),
            record(3, "nvda", "3m", "scored", 0.714, 0.99),
            record(3, "nvda", "12m", "scored", 1.5548, 0.87),
            record(3, "nvda", "end", "to date", 2.897, 0.73, engine_excess=2.891),
        ]
    )
    console = Console(width=width, record=True, file=io.StringIO())
    print_ledger_calls(console, calls, ["1m", "3m", "12m"])
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    header = text[: text.index("┡")]
    flat = " ".join(text.split())
    left_out = flat.split("left out at this width: ")[1] if "left out" in flat else ""
    assert "to date" in header  # the answer so far is never dropped
    for column in ("1m", "3m", "12m"):  # a horizon goes only after every other column
        assert column in header or column in left_out
    if any(column in left_out for column in ("1m", "3m", "12m")):
        assert all(c in left_out for c in ("stance", "entry", "engine", "source", "note"))
    body = [line.split("│") for line in text.splitlines() if line.startswith("│")]
    cells = " ".join(" ".join(cell.split()) for row in body for cell in row)
    for number in ("+2.4%", "+29.7%", "+289.7%", "(60th)", "(97th)", "(21st)"):
        assert number in cells  # never cut inside a number
    assert "%)" not in cells  # percentiles are ordinals, not percentages
    if width < 100:
        assert "note" in left_out
