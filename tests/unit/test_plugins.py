"""A signal from another package, found through its entry point, is listed and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from catalystlab.core.pit import EVENT_COLUMNS

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "tests" / "fixtures" / "plugin"


def _runner(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PLUGIN), str(REPO)])}
    return subprocess.run(
        [sys.executable, str(REPO / "runner.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_plugin_signal_is_listed():
    done = _runner("list")
    assert done.returncode == 0, done.stderr
    assert "half_in" in done.stdout and "Demo plugin" in done.stdout
    assert "exposure = 0.5" in done.stdout


def test_plugin_signal_runs_from_a_config(tmp_path, price_folder):
    data = price_folder(("AAA", "SPY"), days=120)
    config = {
        "name": "plugin_run",
        "strategies": [
            {
                "id": "half_aaa",
                "kind": "signal",
                "signal": "half_in",
                "ticker": "AAA",
                "signal_params": {"exposure": 0.25},
            }
        ],
    }
    fundamentals = tmp_path / "fundamentals.csv"
    fundamentals.write_text("ticker,metric,fiscal_period,period_end,value,public_date,source\n")
    events = tmp_path / "events.csv"
    config["signal_data"] = {"fundamentals": str(fundamentals), "events": [str(events)]}
    path = tmp_path / "plugin.yaml"
    path.write_text(yaml.safe_dump(config))
    events.write_text(",".join(c for c in EVENT_COLUMNS if c != "known_from") + "\n")
    done = _runner("run", str(path), "--data-dir", str(data), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "out").iterdir()
    signals = pd.read_csv(folder / "signals.csv")
    assert list(signals.columns) == ["Date", "half_in:AAA"]
    assert (signals["half_in:AAA"] == 0.25).all()
    trades = pd.read_csv(folder / "trades.csv")
    first = trades.iloc[0]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["strategies"]["half_aaa"]["trades"] == 1
    assert first["value"] == pytest.approx(0.25 * 100_000, rel=1e-6)
