"""The statistics a run writes (comparison.csv, SPA, seeds), 'runner.py events' on a planted
abnormal return, and 'runner.py compare', end to end on synthetic data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import synthetic_prices, write_price_csv

from catalystlab.analysis.stats.performance import sharpe
from catalystlab.cli import main
from catalystlab.core.pit import EVENT_COLUMNS

EVENT_HEADER = ",".join(c for c in EVENT_COLUMNS if c != "known_from") + "\n"


def _config(name: str = "stats_run", **extra) -> dict:
    return {
        "name": name,
        "benchmark": "SPY",
        "costs": {"commission": 0.0, "slippage": 0.0},
        "statistics": {
            "bootstrap_reps": 200,
            "spa_benchmark": "hold_aaa",
            "spa_strategies": ["hold_bbb", "pair"],
        },
        "strategies": [
            {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
            {"id": "hold_bbb", "kind": "buy_and_hold", "ticker": "BBB"},
            {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "BBB": 0.5}},
        ],
        **extra,
    }


def _run(tmp_path: Path, config: dict, *args: str, command: str = "run") -> int:
    path = tmp_path / f"{config['name']}.yaml"
    path.write_text(yaml.safe_dump(config))
    return main([command, str(path), "--out", str(tmp_path / "out"), *args])


@pytest.fixture
def data(price_folder) -> Path:
    return price_folder(("AAA", "BBB", "SPY"), days=320)


def _folder(tmp_path: Path, suffix: str) -> Path:
    (folder,) = [p for p in (tmp_path / "out").iterdir() if p.name.endswith(suffix)]
    return folder


def test_comparison_csv_ranks_every_strategy_and_the_benchmark(tmp_path, data):
    assert _run(tmp_path, _config(), "--data-dir", str(data)) == 0
    folder = _folder(tmp_path, "_stats_run")
    table = pd.read_csv(folder / "comparison.csv", index_col="strategy")
    assert set(table.index) == {"hold_aaa", "hold_bbb", "pair", "SPY"}
    assert {"psr", "dsr", "sharpe", "sortino", "calmar", "beta", "alpha"} <= set(table.columns)
    assert all(c == c.lower() for c in table.columns)
    assert sorted(table["rank"]) == [1, 2, 3, 4]
    assert table["dsr"].between(0, 1).all() and table["psr"].between(0, 1).all()
    equity = pd.read_csv(folder / "equity.csv", index_col="Date", parse_dates=True)
    expected = sharpe(equity["hold_aaa"].pct_change().iloc[1:])
    assert table.loc["hold_aaa", "sharpe"] == pytest.approx(expected, rel=1e-9)
    assert table.loc["SPY", "psr"] == pytest.approx(0.5)
    # Bought at the second day's open and held: its value moves on every day from then on.
    assert table.loc["hold_aaa", "time_in_market"] == 1.0
    low, high = table.loc["pair", ["excess_return_lo", "excess_return_hi"]]
    assert low <= table.loc["pair", "excess_return"] <= high
    summary = json.loads((folder / "summary.json").read_text())
    (spa,) = summary["comparison"]["spa"]
    assert spa["benchmark"] == "hold_aaa" and spa["strategies"] == ["hold_bbb", "pair"]
    assert 0 <= spa["pvalue_lower"] <= spa["pvalue_consistent"] <= spa["pvalue_upper"] <= 1
    assert summary["comparison"]["n_trials"] == 3
    assert "SPA" in summary["verdict"] and "Deflated Sharpe" in summary["verdict"]


def test_the_same_seed_gives_the_same_numbers(tmp_path, data):
    assert _run(tmp_path, _config("first"), "--data-dir", str(data)) == 0
    assert _run(tmp_path, _config("second"), "--data-dir", str(data)) == 0
    assert _run(tmp_path, _config("third", seed=7), "--data-dir", str(data)) == 0
    first, second, third = (
        pd.read_csv(_folder(tmp_path, f"_{n}") / "comparison.csv", index_col="strategy")
        for n in ("first", "second", "third")
    )
    pd.testing.assert_frame_equal(first, second)
    assert not np.allclose(first["excess_return_lo"].dropna(), third["excess_return_lo"].dropna())
    pd.testing.assert_series_equal(first["sharpe"], third["sharpe"])


def test_unknown_spa_strategy_is_a_config_error(tmp_path, data, capsys):
    config = _config()
    config["statistics"]["spa_strategies"] = ["nope"]
    assert _run(tmp_path, config, "--data-dir", str(data)) == 2
    assert "'nope' is not a strategy id" in capsys.readouterr().err


def _planted_event_data(folder: Path, day: int, jump: float) -> pd.Timestamp:
    """AAA gains ``jump`` over the market at the close of trading day ``day``."""
    frame = synthetic_prices(seed=0, days=320)
    factor = np.where(np.arange(len(frame)) >= day, 1 + jump, 1.0)
    frame["Close"] *= factor
    frame["High"] = np.maximum(frame["High"] * factor, frame["Close"])
    later = np.arange(len(frame)) > day
    frame.loc[later, ["Open", "Low"]] = frame.loc[later, ["Open", "Low"]].mul(1 + jump)
    frame["Low"] = np.minimum(frame["Low"], frame[["Open", "Close"]].min(axis=1))
    frame["High"] = np.maximum(frame["High"], frame[["Open", "Close"]].max(axis=1))
    write_price_csv(frame, folder / "prices" / "AAA.csv")
    return frame.index[day]


def _layoff_file(tmp_path: Path, day: pd.Timestamp) -> Path:
    """An events CSV with one official AAA layoff announced during the session of ``day``."""
    path = tmp_path / "events.csv"
    path.write_text(
        EVENT_HEADER + f"AAA,layoff,{day.date()},intraday,5000,,,official,test cut,test,confirmed\n"
    )
    return path


def test_events_command_recovers_a_planted_abnormal_return(tmp_path, data):
    event_day = _planted_event_data(data, day=250, jump=0.12)
    events = _layoff_file(tmp_path, event_day)
    config = _config(
        "planted",
        signal_data={"events": [str(events)]},
        event_study={
            "tickers": ["AAA"],
            "market": "SPY",
            "estimation": [-200, -10],
            "windows": [[0, 0], [0, 5]],
            "placebo_draws": 200,
        },
    )
    assert _run(tmp_path, config, "--data-dir", str(data), command="events") == 0
    folder = _folder(tmp_path, "_planted_events")
    assert {"event_study.csv", "car_path.png", "report.html", "summary.json"} <= {
        p.name for p in folder.iterdir()
    }
    cars = pd.read_csv(folder / "event_study.csv")
    day0 = cars[cars["window"] == "[0,0]"].iloc[0]
    assert day0["event_day"] == str(event_day.date())
    assert day0["car"] == pytest.approx(0.12, abs=0.05)
    assert abs(day0["scar"]) > 3


def test_events_command_without_an_event_study_section_exits_2(tmp_path, data, capsys):
    assert _run(tmp_path, _config(), "--data-dir", str(data), command="events") == 2
    assert "no event_study section" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_compare_ranks_the_strategies_of_two_runs_together(tmp_path, data):
    assert _run(tmp_path, _config("alpha"), "--data-dir", str(data)) == 0
    assert _run(tmp_path, _config("beta"), "--data-dir", str(data)) == 0
    runs = [_folder(tmp_path, "_alpha"), _folder(tmp_path, "_beta")]
    out = tmp_path / "compared"
    assert main(["compare", *map(str, runs), "--out", str(out)]) == 0
    (folder,) = out.iterdir()
    table = pd.read_csv(folder / "comparison.csv", index_col="strategy")
    assert "alpha/hold_aaa" in table.index and "beta/pair" in table.index and "SPY" in table.index
    assert len(table) == 7
    single = pd.read_csv(runs[0] / "comparison.csv", index_col="strategy")
    assert table.loc["alpha/hold_aaa", "sharpe"] == pytest.approx(
        single.loc["hold_aaa", "sharpe"], rel=1e-6
    )
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["n_trials"] == 3  # the two runs hold the same three strategies
    first = table.sort_values("rank").iloc[0]
    answer = (
        f"{table.sort_values('rank').index[0]} ranks first of {len(table)} by DSR "
        f"(DSR {first['dsr']:.2f}, Sharpe {first['sharpe']:.2f})."
    )
    page = (folder / "report.html").read_text()
    assert f'<p class="headline"><strong>{answer}</strong></p>' in page
    assert page.index("headline") < page.index("<table")  # the answer before the tables


def test_compare_rejects_a_folder_that_is_not_a_run(tmp_path, capsys):
    stray = tmp_path / "stray"
    stray.mkdir()
    assert main(["compare", str(stray), "--out", str(tmp_path / "out")]) == 2
    assert "is not a results folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_events_after_the_end_date_are_not_studied(tmp_path, data):
    event_day = _planted_event_data(data, day=250, jump=0.12)
    events = _layoff_file(tmp_path, event_day)
    config = _config(
        "cut",
        signal_data={"events": [str(events)]},
        event_study={"tickers": ["AAA"], "estimation": [-200, -10], "windows": [[0, 0]]},
    )
    end = str((event_day - pd.Timedelta(days=1)).date())
    code = _run(tmp_path, config, "--data-dir", str(data), "--end", end, command="events")
    assert code == 0
    summary = json.loads((_folder(tmp_path, "_cut_events") / "summary.json").read_text())
    assert summary["event_study"]["events"] == 0
