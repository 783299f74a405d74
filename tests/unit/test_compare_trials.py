"""``compare`` counts DSR trials the way ``run`` does: the strategies the run searched over
(recorded in summary.json), not its buy-and-hold legs, plus its extra_trials."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from catalystlab.cli import main
from catalystlab.core.pit import EVENT_COLUMNS

EVENT_HEADER = ",".join(c for c in EVENT_COLUMNS if c != "known_from") + "\n"
FUNDAMENTALS_HEADER = "ticker,metric,fiscal_period,period_end,value,public_date,source\n"


def _run(tmp_path: Path, price_folder, name: str, **extra) -> Path:
    data = price_folder(("AAA", "BBB", "SPY"), days=320)
    events = tmp_path / "events.csv"
    events.write_text(
        EVENT_HEADER
        + "".join(
            f"{t},layoff,{d},intraday,5000,,,official,test cut,test,confirmed\n"
            for t in ("AAA", "BBB")
            for d in ("2019-04-01", "2019-09-03", "2020-02-03")
        )
    )
    fundamentals = tmp_path / "fundamentals.csv"
    fundamentals.write_text(FUNDAMENTALS_HEADER)
    config = {
        "name": name,
        "start": "2019-01-02",
        "statistics": {"bootstrap_reps": 100, **extra},
        "signal_data": {"fundamentals": str(fundamentals), "events": [str(events)]},
        "strategies": [
            {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
            {"id": "hold_bbb", "kind": "buy_and_hold", "ticker": "BBB"},
            {"id": "cut_aaa", "kind": "signal", "signal": "layoffs", "ticker": "AAA"},
            {"id": "cut_bbb", "kind": "signal", "signal": "layoffs", "ticker": "BBB"},
        ],
    }
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config))
    out = tmp_path / f"out_{name}"
    assert main(["run", str(path), "--data-dir", str(data), "--out", str(out), "--quiet"]) == 0
    (folder,) = out.iterdir()
    return folder


def _compare(tmp_path: Path, *folders: Path) -> tuple[dict, pd.DataFrame]:
    out = tmp_path / "compared"
    assert main(["compare", *map(str, folders), "--out", str(out), "--quiet"]) == 0
    folder = sorted(out.iterdir())[-1]
    summary = json.loads((folder / "summary.json").read_text())
    return summary, pd.read_csv(folder / "comparison.csv", index_col="strategy")


def test_compare_counts_the_trials_the_run_counted(tmp_path, price_folder, capsys):
    run = _run(tmp_path, price_folder, "cuts", extra_trials=7)
    path = run / "summary.json"
    summary = json.loads(path.read_text())
    recorded = summary["comparison"]
    assert sorted(recorded["trial_strategies"]) == ["cut_aaa", "cut_bbb"]
    assert recorded["n_trials"] == 2 + 7
    compared, table = _compare(tmp_path, run)
    assert compared["n_trials"] == recorded["n_trials"]
    single = pd.read_csv(run / "comparison.csv", index_col="strategy")
    for strategy in ("cut_aaa", "hold_aaa"):
        assert table.loc[f"cuts/{strategy}", "dsr"] == pytest.approx(
            single.loc[strategy, "dsr"], rel=1e-9, abs=1e-12
        )

    # A folder written before summary.json recorded its trials: every strategy counts.
    del summary["comparison"]["trial_strategies"], summary["comparison"]["extra_trials"]
    path.write_text(json.dumps(summary))
    compared, _ = _compare(tmp_path, run)
    assert compared["n_trials"] == 4

    summary["comparison"] |= {"trial_strategies": ["cut_aaa"], "extra_trials": -3}
    path.write_text(json.dumps(summary))
    assert main(["compare", str(run), "--out", str(tmp_path / "c")]) == 2
    assert "trial_strategies or extra_trials is malformed" in capsys.readouterr().err
