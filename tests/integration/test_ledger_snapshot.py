"""The example ledger on the real snapshot: its AMZN row equals the flagship run's call."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from catalystlab.cli import main

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
AMZN = "amzn-ainvest-2025-08"


@pytest.fixture(scope="module")
def ledger_folder(shared_data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ledger")
    ledger = str(REPO / "config" / "ledgers" / "example.csv")
    argv = ["ledger", ledger, "--data-dir", str(shared_data), "--offline", "--out", str(out)]
    assert main([*argv, "--draws", "300", "--reps", "300"]) == 0
    (folder,) = out.iterdir()
    return folder


def test_the_amzn_row_equals_the_flagship_call(ledger_folder, flagship_run):
    """The flagship's horizons and out-of-sample table come from engine fills with costs (the
    ledger's engine_* columns); its percentiles and base rates from frictionless returns under
    the entry convention (the ledger's stock_return, benchmark_return, excess, percentile)."""
    call = json.loads((flagship_run / "summary.json").read_text())["call"]
    rows = pd.read_csv(ledger_folder / "calls.csv").query("id == @AMZN").set_index("horizon")
    assert list(rows.index) == ["1m", "3m", "6m", "12m", "end"]
    assert set(rows["entry_day"]) == {call["entry_day"]} == {"2025-08-01"}
    for label, horizon in call["horizons"].items():
        row = rows.loc[label]
        assert row["exit_day"] == horizon["exit_day"]
        assert row["engine_stock_return"] == pytest.approx(horizon["return:AMZN"], abs=1e-9)
        assert row["engine_benchmark_return"] == pytest.approx(horizon["return:SPY"], abs=1e-9)
        assert row["engine_excess"] == pytest.approx(horizon["excess:SPY"], abs=1e-9)
        assert row["percentile"] == pytest.approx(horizon["percentile:SPY"], abs=1e-9)
    end = rows.loc["end"]
    base = call["base_rates"]["SPY"]
    assert end["exit_day"] == base["end"] == "2026-09-25"
    assert end["stock_return"] == pytest.approx(base["ticker_return"], abs=1e-9)
    assert end["benchmark_return"] == pytest.approx(base["benchmark_return"], abs=1e-9)
    assert end["excess"] == pytest.approx(base["call_excess"], abs=1e-9)
    assert end["percentile"] == pytest.approx(base["percentile"], abs=1e-9)
    oos = call["out_of_sample"]
    assert end["engine_stock_return"] == pytest.approx(oos["AMZN"]["total_return"], abs=1e-9)
    assert end["engine_excess"] == pytest.approx(oos["SPY"]["excess_total_return"], abs=1e-9)


def test_the_example_folder(ledger_folder):
    summary = json.loads((ledger_folder / "summary.json").read_text())
    assert summary["counts"]["calls"] == 7 and summary["counts"]["not_evaluable"] == 0
    assert set(summary["verdicts"]) == {"AInvest", "(no source)", "all calls"}
    assert "little power" in summary["verdicts"]["AInvest"]
    calls = pd.read_csv(ledger_folder / "calls.csv")
    illustrative = calls[calls["id"].str.startswith("illustrative")]
    assert illustrative["source"].isna().all()
    assert illustrative["note"].str.contains("illustrative").all()
    recent = calls.query("id == 'illustrative-amzn-2026-06'").set_index("horizon")
    assert list(recent["status"]) == ["scored", "scored", "open", "open", "to date"]
