"""``compare`` of runs that test a call alone (the tutorial's runs): their calls side by side,
never a traceback; a folder with neither a strategy nor a call is a readable exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from catalystlab.cli import main

CALL = {
    "name": "aaa_buy",
    "start": "2019-01-02",
    "costs": {"commission": 0.0, "slippage": 0.0},
    "benchmark": "SPY",
    "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY"]},
    "statistics": {"bootstrap_reps": 100},
}


@pytest.fixture(scope="module")
def call_run(tmp_path_factory) -> tuple[Path, Path]:
    """One run of a call without strategies (its equity.csv holds only a header), and its
    data folder."""
    from conftest import synthetic_prices, write_price_csv

    root = tmp_path_factory.mktemp("calls")
    data = root / "data"
    for seed, ticker in enumerate(("AAA", "SPY")):
        write_price_csv(synthetic_prices(seed=seed, days=300), data / "prices" / f"{ticker}.csv")
    config = root / "aaa_buy.yaml"
    config.write_text(yaml.safe_dump(CALL))
    out = root / "results"
    assert main(["run", str(config), "--data-dir", str(data), "--out", str(out), "--quiet"]) == 0
    (folder,) = out.iterdir()
    assert (folder / "equity.csv").read_text().strip() == "Date"
    return folder, data


def _as_sell(folder: Path, target: Path) -> Path:
    """A copy of ``folder`` whose summary says it was the sell call ``aaa_sell``: the same
    legs, the excess signed the other way."""
    shutil.copytree(folder, target)
    summary = json.loads((target / "summary.json").read_text())
    summary["config"] = "aaa_sell"
    summary["call"]["stance"] = "sell"
    for leg in summary["call"]["out_of_sample"].values():
        leg["excess_total_return"] = -leg["excess_total_return"]
    (target / "summary.json").write_text(json.dumps(summary))
    return target


def test_the_calls_of_runs_without_strategies_are_put_side_by_side(call_run, tmp_path, capsys):
    folder, data = call_run
    sell = _as_sell(folder, tmp_path / "sell")
    out = tmp_path / "compared"
    assert main(["compare", str(folder), str(sell), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err and "Calls side by side" in printed.out
    (compared,) = out.iterdir()
    calls = pd.read_csv(compared / "calls.csv", index_col="run")
    assert list(calls.index) == ["aaa_buy", "aaa_sell"]
    # Bought at the open of the call date (costs 0), held to the last close: by hand.
    prices = {
        t: pd.read_csv(data / "prices" / f"{t}.csv", index_col="Date", parse_dates=True)
        for t in ("AAA", "SPY")
    }
    held = {t: p["Close"].iloc[-1] / p.loc["2019-09-02", "Open"] - 1 for t, p in prices.items()}
    buy, sell_row = calls.loc["aaa_buy"], calls.loc["aaa_sell"]
    assert buy["total_return"] == pytest.approx(held["AAA"], rel=1e-9)
    assert buy["total_return_benchmark"] == pytest.approx(held["SPY"], rel=1e-9)
    assert buy["excess_total_return"] == pytest.approx(held["AAA"] - held["SPY"], rel=1e-9)
    assert sell_row["excess_total_return"] == pytest.approx(held["SPY"] - held["AAA"], rel=1e-9)
    assert bool(buy["right"]) == (held["AAA"] > held["SPY"]) != bool(sell_row["right"])
    assert buy["excess_low"] <= buy["annual_excess"] <= buy["excess_high"]
    assert (buy["entry_day"], buy["end_day"]) == ("2019-09-02", str(prices["AAA"].index[-1].date()))
    summary = json.loads((compared / "summary.json").read_text())
    assert set(summary["inputs"]) == {str(folder), str(sell)}
    page = (compared / "report.html").read_text()
    assert "Calls of several runs, side by side" in page and "nan" not in page.lower()


def test_a_call_that_could_not_be_evaluated_shows_no_number(call_run, tmp_path):
    folder, _ = call_run
    late = _as_sell(folder, tmp_path / "late")
    summary = json.loads((late / "summary.json").read_text())
    summary["call"] |= {"evaluable": False, "reason": "the data end before it", "out_of_sample": {}}
    summary["call"]["excess_interval"] = None
    (late / "summary.json").write_text(json.dumps(summary))
    out = tmp_path / "compared"
    assert main(["compare", str(folder), str(late), "--out", str(out), "--quiet"]) == 0
    (compared,) = out.iterdir()
    row = pd.read_csv(compared / "calls.csv", index_col="run").loc["aaa_sell"]
    assert np.isnan(row["total_return"]) and np.isnan(row["excess_total_return"])
    assert pd.isna(row["right"]) and row["reason"] == "the data end before it"


def test_a_folder_with_neither_strategy_nor_call_is_a_readable_exit_2(call_run, tmp_path, capsys):
    folder, _ = call_run
    empty = _as_sell(folder, tmp_path / "empty")
    summary = json.loads((empty / "summary.json").read_text())
    summary["call"] = None
    (empty / "summary.json").write_text(json.dumps(summary))
    out = tmp_path / "compared"
    assert main(["compare", str(folder), str(empty), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "has neither a strategy nor a call" in error and "Traceback" not in error
    assert not out.exists() or not any(out.iterdir())


def test_the_same_call_run_twice_is_named_once(call_run, tmp_path, capsys):
    folder, _ = call_run
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    assert main(["compare", str(folder), str(copy), "--out", str(tmp_path / "o")]) == 2
    assert "aaa_buy appears in two folders" in capsys.readouterr().err
