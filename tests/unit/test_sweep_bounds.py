"""Issue 17: a sweep's size is counted before any work (never by expanding the grid) and
bounded by --max-trials; a repeated grid value is refused (it would be an extra trial in the
DSR); the sweep checks its catalyst data as ``run`` does (same message, same
``allow_missing_data``)."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv
from hypothesis import given, settings
from hypothesis import strategies as st

import catalystlab as cl
from catalystlab.analysis.sweep import grid as grid_module
from catalystlab.analysis.sweep.grid import check_trial_count, count_trials, expand_grid
from catalystlab.cli import main
from catalystlab.config import load_config
from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.progress import SilentProgress
from catalystlab.inputs.options import DataOptions
from catalystlab.pipeline import executors
from catalystlab.pipeline.executors import LocalExecutor, check_scheduler_address
from catalystlab.pipeline.sweep import run_sweep
from catalystlab.report.workers import worker_pool

AXES = {
    "layoffs.hold_days": st.lists(st.integers(1, 400), min_size=1, max_size=4, unique=True),
    "layoffs.min_headcount": st.lists(st.integers(0, 10**5), min_size=1, max_size=3, unique=True),
    "margin.threshold": st.lists(
        st.floats(-0.5, 0.5, allow_nan=False), min_size=1, max_size=3, unique=True
    ),
}


@settings(max_examples=30, deadline=None)
@given(
    grid=st.fixed_dictionaries({}, optional=AXES).filter(bool),
    tickers=st.lists(st.sampled_from(["AAA", "BBB", "CCC"]), min_size=1, max_size=3, unique=True),
)
def test_the_count_is_the_number_of_trials_expand_grid_makes(grid, tickers):
    assert count_trials(grid, tickers) == len(expand_grid(grid, tickers))


def test_a_billion_trials_are_counted_and_refused_without_being_made(monkeypatch):
    monkeypatch.setattr(grid_module, "parameter_sets", lambda grid: pytest.fail("expanded"))
    values = list(range(1, 1001))
    grid = {f"layoffs.{k}": values for k in ("hold_days", "min_headcount", "min_pct")}
    assert count_trials(grid, ["AAA", "BBB"]) == 2 * 10**9
    with pytest.raises(BadInputError) as caught:
        check_trial_count(grid, ["AAA", "BBB"], max_trials=10_000)
    assert str(caught.value) == (
        "sweep.grid: 2,000,000,000 trials (1,000,000,000 parameter sets x 2 ticker(s)) is more "
        "than --max-trials 10,000; narrow the grid, or raise --max-trials (max_trials= in "
        "Python) if you mean to run them all."
    )
    small = {"layoffs.hold_days": [5, 20, 60], "layoffs.min_headcount": [0, 1500]}
    assert check_trial_count(small, ["AAA", "BBB"], max_trials=12) == 12
    with pytest.raises(BadInputError, match=r"12 trials .* more than --max-trials 11"):
        check_trial_count(small, ["AAA", "BBB"], max_trials=11)


@pytest.mark.parametrize(
    ("values", "shown"), [([5, 20, 5], "5"), ([0, 0.0], "0.0"), (["a", "b", "a"], "'a'")]
)
def test_a_repeated_grid_value_is_refused(values, shown):
    key = "margin.measure" if isinstance(values[0], str) else "layoffs.hold_days"
    with pytest.raises(BadInputError) as caught:
        load_config({"sweep": {"tickers": ["AAA"], "grid": {key: values}}})
    assert f"{key}: {shown} is listed twice; list each value once" in str(caught.value)
    assert "another trial in the DSR" in str(caught.value)


EVENT_HEADER = (
    "ticker,kind,event_date,timing,headcount,pct,value_usd_bn,status,description,source,confidence"
)


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("sweep_bounds")
    for i, ticker in enumerate(["AAA", "BBB", "SPY"]):
        frame = synthetic_prices(start="2015-01-02", days=500, seed=i + 3)
        write_price_csv(frame, root / "prices" / f"{ticker}.csv")
    days = pd.bdate_range("2015-03-02", periods=5, freq="70D")
    rows = [EVENT_HEADER] + [
        f"AAA,layoff,{day.date()},unknown,1000,,,report,x,y,confirmed" for day in days
    ]
    (root / "events.csv").write_text("\n".join(rows) + "\n")
    (root / "fundamentals.csv").write_text(
        "ticker,metric,fiscal_period,period_end,value,public_date,timing,source\n"
        "AAA,revenue,2015Q1,2015-03-31,100,2015-04-30,after_close,test\n"
    )
    config = {
        "name": "bounds",
        "signal_data": {
            "events": [str(root / "events.csv")],
            "fundamentals": str(root / "fundamentals.csv"),
        },
        "sweep": {
            "tickers": ["AAA", "BBB"],
            "grid": {"layoffs.hold_days": [5, 20]},
            "top_k": 1,
            "walk_forward": {"in_sample_days": 200, "out_of_sample_days": 100},
        },
    }
    return config, root


def test_the_command_refuses_too_many_trials_before_anything_starts(setup, tmp_path, capsys):
    config, root = setup
    path = tmp_path / "sweep.yaml"
    path.write_text(json.dumps(config))
    out = tmp_path / "results"
    argv = ["sweep", str(path), "--data-dir", str(root), "--offline", "--out", str(out)]
    # Refused before the (unreachable) Dask scheduler is even asked.
    dask = ["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"]
    assert main([*argv, *dask, "--max-trials", "3"]) == 2
    err = capsys.readouterr().err
    assert "4 trials (2 parameter sets x 2 ticker(s)) is more than --max-trials 3" in err
    assert "Traceback" not in err and not out.exists()
    assert main([*argv, "--max-trials", "0"]) == 2
    assert "--max-trials 0: give 1 to 1,000,000." in capsys.readouterr().err
    with pytest.raises(BadInputError, match="more than --max-trials 1"):
        cl.sweep(config, data_dir=root, offline=True, max_trials=1, write=False)


def test_a_ticker_without_the_catalyst_data_is_refused_as_run_refuses_it(setup):
    config, root = setup
    data = DataOptions(data_dir=root, offline=True)
    with pytest.raises(BadInputError) as caught:
        run_sweep(load_config(config), data=data, executor=LocalExecutor(1, pool_factory=None))
    assert str(caught.value).startswith(
        "Catalyst data missing: strategy 'sweep trials of layoffs' (signal 'layoffs') has no "
        "'layoff' events for BBB."
    )
    assert "set allow_missing_data: true to run them anyway" in str(caught.value)
    progress = SilentProgress()
    outcome = run_sweep(
        load_config({**config, "allow_missing_data": True}),
        data=data,
        executor=LocalExecutor(1, pool_factory=worker_pool),
        progress=progress,
    )
    # BBB's two trials never hold a position: screened and listed, but not counted by the DSR.
    assert len(outcome.trials) == 4 and outcome.n_trials == 2
    assert outcome.trials["has_data"].tolist() == [True, True, False, False]
    assert set(outcome.trials.loc[~outcome.trials["has_data"], "ticker"]) == {"BBB"}
    assert outcome.walk_forward_stats["n_trials"] == 2
    assert outcome.confirmed["n_trials"].tolist() == [2]
    assert [n for n in progress.notes if n.startswith("warning:")] == [
        "warning: strategy 'sweep trials of layoffs' (signal 'layoffs') has no 'layoff' events "
        "for BBB: the rule runs without it (it never holds a position and is left out "
        "of SPA and DSR)."
    ]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not a url", "'not a url' is not an address"),
        ("", "'' is not an address"),
        ("127.0.0.1", "give the scheduler's host and port (1 to 65535)"),
        ("tcp://127.0.0.1", "give the scheduler's host and port"),
        ("tcp://127.0.0.1:99999", "give the scheduler's host and port"),
        ("tcp://127.0.0.1:port", "give the scheduler's host and port"),
        ("tcp://:8786", "give the scheduler's host and port"),
        ("http://127.0.0.1:8786", "http:// is not a Dask protocol"),
    ],
)
def test_a_bad_scheduler_address_is_refused_before_connecting(address, message):
    with pytest.raises(BadInputError, match=re.escape(message)):
        check_scheduler_address(address)


def test_good_scheduler_addresses_pass():
    assert check_scheduler_address("127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert check_scheduler_address("tls://[::1]:8786") == "tls://[::1]:8786"


def test_an_unreachable_scheduler_is_exit_3_naming_it(setup, tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 1.0)
    config, root = setup
    path = tmp_path / "sweep.yaml"
    path.write_text(json.dumps(config))
    out = tmp_path / "results"
    argv = ["sweep", str(path), "--data-dir", str(root), "--offline", "--out", str(out)]
    assert main([*argv, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"]) == 3
    err = capsys.readouterr().err
    assert "No Dask scheduler answered at tcp://127.0.0.1:1 within 1 s" in err
    assert "start one there (dask scheduler) or check --scheduler" in err
    assert "Traceback" not in err and not out.exists()


def test_a_listener_that_is_not_a_scheduler_is_exit_3_not_a_hang(monkeypatch):
    # Something that accepts the connection but never answers Dask's handshake (an HTTP
    # server on the port hung the sweep for good; Dask's own connect timeout does not end it).
    pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 0.5)
    monkeypatch.setattr(executors, "_GRACE_SECONDS", 0.5)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(DataUnavailableError) as caught:
            executors.DaskExecutor(address)
        assert time.monotonic() - started < 5
    assert str(caught.value) == (
        f"No Dask scheduler answered at {address} within 0.5 s (something else listens there); "
        "start one there (dask scheduler) or check --scheduler."
    )
    assert caught.value.exit_code == 3


def test_what_is_made_after_the_timeout_is_discarded_and_never_leaks():
    answered, discarded = threading.Event(), []

    def slow() -> str:
        answered.wait(5)
        return "a late client"

    with pytest.raises(TimeoutError):
        executors._within(0.05, slow, discarded.append)
    answered.set()
    for _ in range(100):
        if discarded:
            break
        time.sleep(0.01)
    assert discarded == ["a late client"]
    assert executors._within(1, lambda: "in time", discarded.append) == "in time"
    with pytest.raises(ValueError, match="raised"):
        executors._within(1, lambda: int("raised"), discarded.append)
    assert discarded == ["a late client"]


def test_a_scheduler_without_workers_is_exit_3_naming_what_to_start(monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "WORKER_SECONDS", 0.5)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        with pytest.raises(DataUnavailableError) as caught:
            executors.DaskExecutor(address)
    assert str(caught.value) == (
        f"The Dask scheduler at {address} has no worker after 0.5 s; start one (dask worker "
        f"{address}) and run the sweep again."
    )
    assert caught.value.exit_code == 3


def test_validate_checks_a_sweep_as_the_sweep_would(setup, tmp_path, capsys):
    config, root = setup
    path = tmp_path / "sweep.yaml"
    path.write_text(json.dumps(config))
    assert main(["validate", str(path), "--data-dir", str(root)]) == 2
    err = capsys.readouterr().err
    # One line for the gap all of BBB's trials share, as the sweep says it.
    assert err.count("has no 'layoff' events for BBB") == 1
    path.write_text(json.dumps({**config, "allow_missing_data": True}))
    assert main(["validate", str(path), "--data-dir", str(root)]) == 0
    assert "would run" in capsys.readouterr().out
    values = list(range(1, 201))
    grid = {"layoffs.hold_days": values, "layoffs.min_headcount": values}
    path.write_text(json.dumps({**config, "sweep": {**config["sweep"], "grid": grid}}))
    assert main(["validate", str(path)]) == 2
    assert "80,000 trials (40,000 parameter sets x 2 ticker(s))" in capsys.readouterr().err
