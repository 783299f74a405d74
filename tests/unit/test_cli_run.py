"""``runner.py run`` end to end on synthetic data: the folder it writes, and every bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import synthetic_prices, write_price_csv

from catalystlab.cli import main
from catalystlab.report import folder as results_folder
from catalystlab.report import write as results_writer

CONFIG = {
    "name": "synthetic_call",
    "start": "2019-01-02",
    "cash": 10000,
    "costs": {"commission": 0.0, "slippage": 0.0},
    "benchmark": "SPY",
    "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY", "pair"]},
    "strategies": [
        {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
        {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "SPY": 0.5}},
    ],
}


@pytest.fixture
def setup(tmp_path, price_folder):
    data = price_folder(("AAA", "SPY"), days=300)
    out = tmp_path / "results"

    def run(config: dict | str = CONFIG, *extra: str, data_dir: Path | None = data) -> int:
        path = tmp_path / "run.yaml"
        path.write_text(config if isinstance(config, str) else yaml.safe_dump(config))
        args = ["run", str(path), "--out", str(out), *extra]
        if data_dir is not None:
            args += ["--data-dir", str(data_dir)]
        return main(args)

    return run, data, out


def _folders(out: Path) -> list[Path]:
    return sorted(out.iterdir()) if out.exists() else []


def test_run_writes_the_whole_results_folder(setup):
    run, data, out = setup
    assert run() == 0
    (folder,) = _folders(out)
    assert folder.name.endswith("_synthetic_call")
    names = {p.name for p in folder.iterdir()}
    assert {"summary.json", "equity.csv", "trades.csv", "config.yaml", "manifest.json"} <= names
    assert {"report.html", "tearsheets", "equity.png", "call.png"} <= names
    assert sorted(p.name for p in (folder / "tearsheets").iterdir()) == [
        "hold_aaa.html",
        "pair.html",
    ]
    summary = json.loads((folder / "summary.json").read_text())
    assert set(summary) >= {"call", "strategies"}
    assert set(summary["strategies"]) == {"hold_aaa", "pair"}
    equity = pd.read_csv(folder / "equity.csv")
    assert list(equity.columns) == ["Date", "hold_aaa", "pair"]
    aaa = pd.read_csv(data / "prices" / "AAA.csv", index_col="Date", parse_dates=True)
    expected_end = 10000 * aaa["Close"].iloc[-1] / aaa["Open"].iloc[1]
    assert equity["hold_aaa"].iloc[-1] == pytest.approx(expected_end, rel=1e-6)
    assert summary["strategies"]["hold_aaa"]["total_return"] == pytest.approx(
        expected_end / 10000 - 1, rel=1e-9
    )
    call = summary["call"]
    entry = aaa.index[aaa.index >= "2019-09-02"][0]
    assert call["entry_day"] == str(entry.date())
    expected_call = aaa["Close"].iloc[-1] / aaa.loc[entry, "Open"] - 1
    assert call["out_of_sample"]["AAA"]["total_return"] == pytest.approx(expected_call, rel=1e-9)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["inputs"]) == {"AAA", "SPY"}
    assert manifest["packages"]["backtrader"] == "1.9.78.123"
    report = (folder / "report.html").read_text()
    assert 'href="tearsheets/hold_aaa.html"' in report and call["verdict"][:40] in report
    assert "slippage per trade · fills at the next open</p>" in report  # the engine's fills
    assert yaml.safe_load((folder / "config.yaml").read_text())["strategies"][1]["weights"] == {
        "AAA": 0.5,
        "SPY": 0.5,
    }


def test_existing_result_is_never_overwritten(setup, monkeypatch):
    run, _, out = setup
    monkeypatch.setattr(results_folder, "new_run_id", lambda name, now: f"20260102T030405Z_{name}")
    assert run() == 0
    first = _folders(out)[0]
    stamp = (first / "summary.json").stat().st_mtime_ns
    assert run(CONFIG, "--force") == 0  # without it, the unchanged run reuses the first
    assert [p.name for p in _folders(out)] == [first.name, first.name + "-2"]
    assert (first / "summary.json").stat().st_mtime_ns == stamp


def test_a_failure_while_writing_leaves_no_folder(setup, monkeypatch):
    run, _, out = setup

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(results_writer, "render_report", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run()
    assert list(out.iterdir()) == []


def test_end_before_the_call_still_runs_the_history(setup):
    run, _, out = setup
    assert run(CONFIG, "--end", "2019-06-28") == 0
    summary = json.loads((_folders(out)[0] / "summary.json").read_text())
    assert summary["call"]["evaluable"] is False
    assert "before the call date" in summary["call"]["verdict"]
    assert summary["strategies"]["hold_aaa"]["total_return"] is not None


def _with(**changes):
    config = json.loads(json.dumps(CONFIG))
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = config
        for key in path:
            node = node[key]
        node[last] = value
    return config


@pytest.mark.parametrize(
    ("config", "code", "message"),
    [
        ("name: [unclosed\n", 2, "malformed YAML at line"),
        (_with(colour="red"), 2, "colour: unknown key"),
        (_with(costs={"commission": 0.0, "slipage": 0.01}), 2, "costs.slipage: unknown key"),
        (
            _with(strategies=[{"id": "x", "kind": "moonshot", "ticker": "AAA"}]),
            2,
            "Unknown strategy kind 'moonshot'",
        ),
        (
            _with(strategies=[{"id": "x", "kind": "buy_and_hold", "tickr": "AAA"}]),
            2,
            "unknown parameter\\(s\\) tickr",
        ),
        (_with(call__date="2019-13-45"), 2, "call.date"),
        (
            "name: x\nstrategies: [{id: a, kind: buy_and_hold, ticker: AAA}]\n"
            "call: {ticker: AAA, date: 2019-13-01}\n",
            2,
            "a value cannot be read",
        ),
        (_with(call__window=["2019-10-01", "2019-10-31"]), 2, "lies outside the window"),
        (_with(call__date="2018-06-01"), 2, "not after AAA's first price"),
        (_with(call__ticker="ZZZ"), 3, "No price file for ZZZ"),
        (_with(strategies=[], call=None), 2, "list at least one strategy, or give a call"),
        (_with(call__benchmarks=["SPY", "../x"]), 2, "nor a ticker symbol"),
        (
            _with(
                strategies=[
                    {"id": "p", "kind": "rebalanced_basket", "weights": {"AAA": 0.9, "SPY": 0.9}}
                ]
            ),
            2,
            "weights sum to 1.8000",
        ),
    ],
)
def test_bad_config_is_one_clear_message_and_no_folder(setup, capsys, config, code, message):
    run, _, out = setup
    assert run(config) == code
    err = capsys.readouterr().err
    assert "error:" in err
    assert re.search(message, err.replace("\n", " "))
    assert "Traceback" not in err
    assert _folders(out) == []


@pytest.mark.parametrize(
    ("mutate", "code", "message"),
    [
        (lambda f: f.drop(columns=["Close"]), 2, "lack column\\(s\\) Close"),
        (lambda f: pd.concat([f, f.iloc[[5]]]).sort_index(), 2, "duplicate date"),
        (lambda f: f.iloc[::-1], 2, "not in ascending order"),
        (lambda f: f.assign(Close=f["Close"].where(f.index != f.index[7])), 2, "NaN"),
        (lambda f: f.assign(Low=f["Low"].where(f.index != f.index[7], -3.0)), 2, "negative"),
    ],
)
def test_bad_price_file_is_one_clear_message_and_no_folder(setup, capsys, mutate, code, message):
    run, data, out = setup
    frame = mutate(synthetic_prices(seed=0, days=300))
    write_price_csv(frame, data / "prices" / "AAA.csv", adj_close="Close" in frame.columns)
    assert run() == code
    err = capsys.readouterr().err.replace("\n", " ")
    assert re.search(message, err)
    assert "AAA" in err and "Traceback" not in err
    assert _folders(out) == []


class _FakeTicker:
    """Stands in for yfinance.Ticker at the network boundary."""

    behaviour: str = "empty"

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol

    def history(self, **kwargs):
        if self.behaviour == "network":
            raise ConnectionError("Failed to resolve 'query2.finance.yahoo.com'")
        return pd.DataFrame()


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [("empty", "returned no prices for SPY"), ("network", "Could not download SPY")],
)
def test_yfinance_failures_exit_3_with_no_folder(setup, capsys, monkeypatch, behaviour, message):
    import yfinance

    from catalystlab.inputs.prices import yahoo_source

    run, _, out = setup
    monkeypatch.setattr(_FakeTicker, "behaviour", behaviour)
    monkeypatch.setattr(yfinance, "Ticker", _FakeTicker)
    monkeypatch.setattr(yahoo_source.time, "sleep", lambda seconds: None)
    assert run(CONFIG, "--cache-dir", str(out.parent / "cache"), data_dir=None) == 3
    err = capsys.readouterr().err.replace("\n", " ")
    assert message in err and "Traceback" not in err
    assert _folders(out) == []


def test_offline_with_uncached_ticker_exits_3(setup, capsys):
    run, _, out = setup
    code = run(CONFIG, "--offline", "--cache-dir", str(out.parent / "empty-cache"), data_dir=None)
    assert code == 3
    assert "not in the price cache" in capsys.readouterr().err.replace("\n", " ")
    assert _folders(out) == []


def test_offline_and_refresh_together_are_rejected(setup, capsys):
    run, _, _ = setup
    assert run(CONFIG, "--offline", "--refresh") == 2
    assert "contradict" in capsys.readouterr().err


def test_malformed_date_argument_exits_2(setup, capsys):
    run, _, _ = setup
    with pytest.raises(SystemExit) as exit_info:
        run(CONFIG, "--start", "2019-02-30")
    assert exit_info.value.code == 2
    assert "is not a date" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (["2019-09-02", "2019-08-01"], "reversed"),
        (["2018-06-01", "2019-09-02"], "window"),
        (["2019-09-07", "2019-09-08"], "no trading day"),
    ],
)
def test_bad_publication_window_exits_2_with_no_folder(setup, capsys, window, message):
    run, _, out = setup
    config = _with(call__window=window)
    del config["call"]["date"]
    assert run(config) == 2
    err = capsys.readouterr().err.replace("\n", " ")
    assert message in err and "Traceback" not in err
    assert _folders(out) == []


def test_window_and_convention_are_recorded(setup):
    run, data, out = setup
    config = _with(call__window=["2019-08-26", "2019-09-02"], call__entry="close")
    config["call"]["base_rate_start"] = "2019-01-02"
    assert run(config) == 0
    folder = _folders(out)[0]
    call = json.loads((folder / "summary.json").read_text())["call"]
    assert call["entry_convention"] == "close"
    assert call["window"]["entry_days"]["count"] == 6
    aaa = pd.read_csv(data / "prices" / "AAA.csv", index_col="Date", parse_dates=True)
    spy = pd.read_csv(data / "prices" / "SPY.csv", index_col="Date", parse_dates=True)
    end = aaa.index[-1]
    day = pd.Timestamp("2019-08-27")
    by_day = {row["entry_day"]: row for row in call["window"]["by_entry_day"]}
    expected = (
        aaa.loc[end, "Close"] / aaa.loc[day, "Close"]
        - spy.loc[end, "Close"] / spy.loc[day, "Close"]
    )
    assert by_day["2019-08-27"]["excess"]["SPY"] == pytest.approx(expected, rel=1e-9)
    assert "close" in (folder / "report.html").read_text()
    assert (folder / "band.png").stat().st_size > 1000


def test_out_that_is_a_file_exits_2_before_any_work(setup, tmp_path, capsys):
    _, data, _ = setup
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(CONFIG))
    code = main(["run", str(path), "--data-dir", str(data), "--out", str(target)])
    assert code == 2
    assert "is a file" in capsys.readouterr().err
    assert target.read_text() == "x"


def test_staging_left_by_a_killed_run_is_removed_and_a_live_one_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = tmp_path / f".20260101T000000Z_x.partial-{dead.pid}"
    live = tmp_path / f".20260101T000000Z_y.partial-{os.getpid()}"
    for folder in (abandoned, live):
        folder.mkdir()
        (folder / "equity.csv").write_text("half")
    assert results_folder.remove_abandoned_staging(tmp_path) == [abandoned]
    assert not abandoned.exists() and live.exists()
