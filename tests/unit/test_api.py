"""The public Python API (``import catalystlab as cl``): the same numbers as the command line,
nothing written or printed unless asked, and the project's exceptions instead of exits."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

import catalystlab as cl
from catalystlab.cli import main

CONFIG = {
    "name": "api_call",
    "start": "2019-01-02",
    "cash": 10000,
    "costs": {"commission": 0.0005, "slippage": 0.0005},
    "benchmark": "SPY",
    "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY", "pair"]},
    "strategies": [
        {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
        {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "SPY": 0.5}},
    ],
}


@pytest.fixture
def data(price_folder) -> Path:
    return price_folder(("AAA", "SPY"), days=300)


def _cli_folder(tmp_path: Path, data: Path, config: dict) -> Path:
    path = tmp_path / "api_call.yaml"
    path.write_text(yaml.safe_dump(config))
    out = tmp_path / "cli_results"
    assert main(["run", str(path), "--data-dir", str(data), "--out", str(out)]) == 0
    (folder,) = list(out.iterdir())
    return folder


def test_a_dict_config_without_writing_matches_the_cli(tmp_path, data, monkeypatch, capsys):
    before = sorted(tmp_path.rglob("*"))
    monkeypatch.chdir(tmp_path)
    result = cl.run(CONFIG, data_dir=data, write=False)
    assert result.folder is None
    assert sorted(tmp_path.rglob("*")) == before, "write=False wrote something"
    assert capsys.readouterr() == ("", ""), "the API printed without progress=True"

    folder = _cli_folder(tmp_path, data, CONFIG)
    written = json.loads((folder / "summary.json").read_text())
    assert written.pop("run_id") and result.summary.pop("run_id") is None
    assert result.summary == written
    equity = pd.read_csv(folder / "equity.csv", index_col="Date", parse_dates=True)
    pd.testing.assert_frame_equal(
        result.equity, equity, check_freq=False, check_index_type=False, atol=5e-7, rtol=0
    )
    comparison = pd.read_csv(folder / "comparison.csv", index_col="strategy")
    assert list(result.comparison.index) == list(comparison.index)
    pd.testing.assert_series_equal(
        result.comparison["sharpe"], comparison["sharpe"], check_names=False, rtol=1e-9
    )
    trades = pd.read_csv(folder / "trades.csv")
    assert len(result.trades) == len(trades) and result.trades["size"].sum() == pytest.approx(
        trades["size"].sum(), rel=1e-7
    )


def test_the_call_numbers_are_the_engines(data):
    result = cl.run(CONFIG, data_dir=data, write=False)
    prices = pd.read_csv(data / "prices" / "AAA.csv", index_col="Date", parse_dates=True)
    entry = prices.index[prices.index >= "2019-09-02"][0]
    fill = prices.loc[entry, "Open"] * 1.0005  # slippage against the buy
    shares = 10000 / (fill * 1.0005)  # commission paid from the cash
    # Sold at the last close: slippage against the sale (the day's low at worst), commission.
    sale = max(prices["Close"].iloc[-1] * (1 - 0.0005), prices["Low"].iloc[-1])
    last = shares * sale * (1 - 0.0005)
    assert result.call.out_of_sample.loc["AAA", "total_return"] == pytest.approx(
        last / 10000 - 1, rel=1e-6
    )
    assert result.summary["call"]["entry_day"] == str(entry.date())


def test_write_returns_the_folder_and_its_summary(tmp_path, data):
    result = cl.run(CONFIG, data_dir=data, out=tmp_path / "res", seed=7)
    assert result.folder is not None and result.folder.parent == tmp_path / "res"
    assert result.summary == json.loads((result.folder / "summary.json").read_text())
    assert result.summary["comparison"]["seed"] == 7
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["command"] == ["catalystlab.run(...)"]


def test_overrides_apply_like_the_command_line(data):
    result = cl.run(CONFIG, data_dir=data, write=False, start="2019-03-01", end="2019-12-31")
    assert result.equity.index[0] >= pd.Timestamp("2019-03-01")
    assert result.equity.index[-1] <= pd.Timestamp("2019-12-31")


def test_a_bad_config_raises_the_message_the_cli_prints(tmp_path, data, capsys):
    bad = {**CONFIG, "costs": {"commision": 0.001}}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(cl.BadInputError) as raised:
        cl.run(path, data_dir=data, write=False)
    assert main(["run", str(path), "--data-dir", str(data), "--out", str(tmp_path)]) == 2
    printed = capsys.readouterr().err
    assert str(raised.value) in " ".join(printed.split())
    assert "costs.commision: unknown key" in str(raised.value)


def test_a_dict_config_reports_its_errors_too():
    with pytest.raises(cl.BadInputError, match=r"^the config mapping: config: strategies: list"):
        cl.load_config({"name": "x", "strategies": []})


def test_errors_are_exceptions_never_exits(tmp_path, data):
    with pytest.raises(cl.DataUnavailableError, match="ZZZ"):
        cl.run(
            {**CONFIG, "strategies": [{"id": "z", "kind": "buy_and_hold", "ticker": "ZZZ"}]},
            data_dir=data,
            write=False,
        )
    with pytest.raises(cl.BadInputError, match="is not a date"):
        cl.run(CONFIG, data_dir=data, write=False, end="31/12/2019")
    with pytest.raises(cl.BadInputError, match="contradict"):
        cl.run(CONFIG, offline=True, refresh=True, write=False)
    target = tmp_path / "a_file"
    target.write_text("")
    with pytest.raises(cl.BadInputError, match="is a file"):
        cl.run(CONFIG, data_dir=data, out=target)


def test_load_config_accepts_a_path_a_mapping_or_a_config(tmp_path):
    path = tmp_path / "from_file.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in CONFIG.items() if k != "name"}))
    loaded = cl.load_config(path)
    assert loaded.name == "from_file"
    assert cl.load_config(loaded) is loaded
    assert cl.load_config(CONFIG).strategies == loaded.strategies


def test_events_and_compare_work_without_writing(tmp_path, data):
    first = cl.run(CONFIG, data_dir=data, out=tmp_path / "a")
    renamed = {**CONFIG, "name": "api_other", "costs": {"commission": 0.0, "slippage": 0.0}}
    second = cl.run(renamed, data_dir=data, out=tmp_path / "a")
    ranked = cl.compare([first.folder, second.folder], write=False)
    assert ranked.folder is None
    assert {"api_call/hold_aaa", "api_other/hold_aaa", "SPY"} <= set(ranked.table.index)
    with pytest.raises(cl.BadInputError, match="no event_study section"):
        cl.events(CONFIG, data_dir=data, write=False)
