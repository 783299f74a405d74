"""Sweeps on synthetic data: the grid, folds, screen metrics, the pipeline (screen = backtrader
on the confirmed trials, every trial counted in the DSR, walk-forward choices), the same trial
table whichever executor, and the results folder."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv

from catalystlab.analysis.stats.performance import max_drawdown, sharpe, total_return
from catalystlab.analysis.stats.sharpe_significance import dsr
from catalystlab.analysis.sweep.findings import walk_forward_findings
from catalystlab.analysis.sweep.grid import expand_grid
from catalystlab.analysis.sweep.metrics import window_metrics, window_sharpe
from catalystlab.analysis.sweep.screen import schedule_weights
from catalystlab.analysis.sweep.walkforward import NO_CHOICE, choose, make_folds
from catalystlab.config import load_config
from catalystlab.core.errors import BadInputError
from catalystlab.core.progress import SilentProgress
from catalystlab.inputs.options import DataOptions
from catalystlab.pipeline.executors import LocalExecutor
from catalystlab.pipeline.sweep import run_sweep
from catalystlab.report import sweep as sweep_report
from catalystlab.report.workers import worker_pool

EVENT_HEADER = (
    "ticker,kind,event_date,timing,headcount,pct,value_usd_bn,status,description,source,confidence"
)


def test_grid_is_the_product_of_each_signals_values_on_every_ticker():
    grid = {
        "layoffs.hold_days": [5, 20],
        "layoffs.min_headcount": [0, 100, 1000],
        "margin.threshold": [0.0, 0.02],
    }
    trials = expand_grid(grid, ["AAA", "BBB"])
    assert len(trials) == 2 * (2 * 3 + 2)
    assert [t.trial for t in trials] == list(range(16))
    assert trials[0].params == (("hold_days", 5), ("min_headcount", 0))
    assert trials[5].params == (("hold_days", 20), ("min_headcount", 1000))
    assert trials[6].signal == "margin" and trials[6].params == (("threshold", 0.0),)
    assert {t.ticker for t in trials[:8]} == {"AAA"} and trials[8].combo == 0


def test_grid_values_are_checked_against_the_signals_parameters():
    with pytest.raises(BadInputError, match="hold_days"):
        expand_grid({"layoffs.hold_days": [0]}, ["AAA"])


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"nosuch.x": [1]}, "Unknown signal"),
        ({"layoffs.hold": [1]}, "hold_days"),
        ({"layoffs.hold_days": []}, "at least one value"),
    ],
)
def test_config_refuses_a_bad_grid(grid, message):
    with pytest.raises(BadInputError, match=message):
        load_config({"sweep": {"tickers": ["AAA"], "grid": grid}})


def test_folds_roll_by_the_out_of_sample_length():
    folds = make_folds(100, in_sample=40, out_of_sample=25, step=None)
    assert [(f.is_first, f.is_last, f.oos_first, f.oos_last) for f in folds] == [
        (0, 40, 41, 65),
        (25, 65, 66, 90),
        (50, 90, 91, 99),
    ]
    with pytest.raises(BadInputError, match="in_sample_days"):
        make_folds(30, in_sample=40, out_of_sample=5, step=None)


def test_choice_is_the_best_score_and_cash_without_one():
    scores = np.array([[1.0, np.nan, np.nan], [2.0, 0.5, np.nan], [2.0, 0.1, np.nan]])
    assert choose(scores).tolist() == [1, 1, NO_CHOICE]


def test_window_metrics_equal_the_series_statistics():
    rng = np.random.default_rng(1)
    calendar = pd.bdate_range("2020-01-01", periods=300)
    equity = 100 * np.cumprod(1 + rng.normal(0.0005, 0.01, (3, 300)), axis=1)
    got = window_metrics(equity, calendar, 50, 250)
    for row in range(3):
        returns = pd.Series(equity[row, 51:251] / equity[row, 50:250] - 1, index=calendar[51:251])
        assert got["sharpe"][row] == pytest.approx(sharpe(returns), rel=1e-12)
        assert got["total_return"][row] == pytest.approx(total_return(returns), rel=1e-12)
        assert got["max_drawdown"][row] == pytest.approx(max_drawdown(returns), rel=1e-12)
    daily = equity[:, 1:] / equity[:, :-1] - 1
    np.testing.assert_allclose(window_sharpe(daily, 50, 250), got["sharpe"], rtol=1e-12)


def test_schedule_instructs_only_on_the_first_day_and_on_changes():
    exposure = np.array([[0.0, 0.0, 1.0, 1.0, 0.5]])
    weights = schedule_weights(exposure)
    assert weights.dtype == np.float32
    np.testing.assert_array_equal(weights, [[0.0, np.nan, 1.0, np.nan, 0.5]])
    assert schedule_weights(np.array([[0.0, 0.3]])).dtype == np.float64  # 0.3 is not a float32


class _Exposure:
    """Picklable exposure of a parameter set: long on the days the seeded coin says."""

    def __init__(self, days: int) -> None:
        self.days = days

    def __call__(self, param_set) -> np.ndarray:
        seed = dict(param_set[1])["seed"]
        level = 0.3 if seed == 7 else 1.0  # one block of float64 weights among float32 ones
        return level * (np.random.default_rng(seed).random(self.days) < 0.5)


def test_screen_in_blocks_of_trials_equals_the_whole_task(monkeypatch):
    from catalystlab.analysis.sweep import screen as screen_module
    from catalystlab.engine.backtest import Costs
    from catalystlab.engine.vectorised import Bars, run_weights_batch

    frame = synthetic_prices(days=400, seed=5)
    bars = Bars.from_frames({"AAA": frame}, tickers=["AAA"], calendar=frame.index)
    task = screen_module.ScreenTask(
        first=0,
        sets=tuple(("x", (("seed", s),)) for s in range(10)),
        bars=bars,
        inputs=None,
        cash=1e5,
        costs=Costs(commission=0.001, slippage=0.0005),
        folds=tuple(make_folds(400, in_sample=120, out_of_sample=60, step=None)),
        metric="sharpe",
        keep_equity=True,
        exposures=_Exposure(400),
    )
    monkeypatch.setattr(screen_module, "BLOCK_BYTES", 3 * 8 * 400)  # blocks of 3 trials
    blocked = screen_module.screen(task)
    exposure = np.stack([task.exposures(s) for s in task.sets])
    equity = run_weights_batch(
        weights=schedule_weights(exposure), bars=bars, cash=task.cash, costs=task.costs
    )
    np.testing.assert_array_equal(blocked.equity, equity)
    whole = window_metrics(equity, frame.index, 0, 399)
    for name, values in whole.items():
        np.testing.assert_array_equal(blocked.metrics[name], values)
    daily = equity[:, 1:] / equity[:, :-1] - 1
    expected = np.column_stack([window_sharpe(daily, f.is_first, f.is_last) for f in task.folds])
    np.testing.assert_array_equal(blocked.in_sample, expected)


@pytest.fixture(scope="module")
def sweep_setup(tmp_path_factory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("sweep")
    for i, ticker in enumerate(["AAA", "BBB", "SPY"]):
        frame = synthetic_prices(start="2015-01-02", days=900, seed=i + 3)
        write_price_csv(frame, root / "prices" / f"{ticker}.csv")
    rows = [EVENT_HEADER]
    for ticker in ("AAA", "BBB"):
        days = pd.bdate_range("2015-03-02", periods=9, freq="70D")
        for k, day in enumerate(days):
            rows.append(
                f"{ticker},layoff,{day.date()},unknown,{(k % 4 + 1) * 500},,,report,x,y,confirmed"
            )
    (root / "events.csv").write_text("\n".join(rows) + "\n")
    config = {
        "name": "unit_sweep",
        "costs": {"commission": 0.001, "slippage": 0.0005},
        "signal_data": {"events": [str(root / "events.csv")]},
        "sweep": {
            "tickers": ["AAA", "BBB"],
            "grid": {"layoffs.hold_days": [5, 20, 60], "layoffs.min_headcount": [0, 1500]},
            "top_k": 2,
            "walk_forward": {"in_sample_days": 300, "out_of_sample_days": 150},
        },
    }
    return config, root


def _sweep(setup, executor):
    config, root = setup
    return run_sweep(
        load_config(config), data=DataOptions(data_dir=root, offline=True), executor=executor
    )


@pytest.fixture(scope="module")
def local_outcome(sweep_setup):
    return _sweep(sweep_setup, LocalExecutor(2, pool_factory=worker_pool))


def test_confirmed_numbers_are_backtraders_and_equal_the_screen(local_outcome):
    table, confirmed = local_outcome.trials, local_outcome.confirmed
    assert len(table) == 12 and list(confirmed.index) == list(table.nsmallest(2, "rank").index)
    for run in local_outcome.confirmed_runs:
        assert run.result.rejected_orders == 0
        assert confirmed.loc[run.trial, "sharpe"] == pytest.approx(sharpe(run.result.returns))
        assert confirmed.loc[run.trial, "screen_sharpe"] == pytest.approx(
            confirmed.loc[run.trial, "sharpe"], rel=1e-9
        )


def test_every_trial_counts_in_the_deflated_sharpe_ratio(local_outcome):
    table = local_outcome.trials
    run = local_outcome.confirmed_runs[0]
    expected = dsr(run.result.returns, n_trials=12, trial_sharpes=table["sharpe"].dropna())
    assert local_outcome.confirmed.loc[run.trial, "n_trials"] == 12
    assert local_outcome.confirmed.loc[run.trial, "dsr"] == pytest.approx(expected, rel=1e-12)
    assert local_outcome.walk_forward_stats["n_trials"] == 12


def test_walk_forward_holds_the_in_sample_best_out_of_sample(local_outcome, sweep_setup):
    folds, calendar = local_outcome.folds, local_outcome.calendar
    assert len(folds) >= 3
    single = LocalExecutor(1, pool_factory=worker_pool)
    for _, fold in folds.iterrows():
        first = calendar.get_loc(pd.Timestamp(fold["in_sample_start"]))
        last = calendar.get_loc(pd.Timestamp(fold["in_sample_end"]))
        assert last - first == 300
        if fold["trial"] == -1:
            continue
        # the chosen trial has the best in-sample Sharpe among the trials
        assert fold["in_sample_sharpe"] == pytest.approx(
            np.nanmax(_in_sample_sharpes(local_outcome, first, last, single, sweep_setup))
        )
    stitched = (1 + local_outcome.walk_forward).prod()
    assert stitched == pytest.approx((1 + folds["out_of_sample_return"]).prod())
    assert local_outcome.walk_forward.index[0] == pd.Timestamp(folds["out_of_sample_start"].iloc[0])


def _in_sample_sharpes(outcome, first, last, executor, setup):
    from catalystlab.analysis.sweep.screen import screen
    from catalystlab.core.pit import SignalInputs
    from catalystlab.engine.backtest import Costs
    from catalystlab.engine.vectorised import Bars
    from catalystlab.inputs.events import load_events
    from catalystlab.inputs.options import load_prices
    from catalystlab.pipeline.sweep import _inputs_of, screen_tasks

    config, root = setup
    settings = load_config(config)
    loaded = load_prices(
        ["AAA", "BBB", "SPY"],
        source=DataOptions(data_dir=root, offline=True).price_source(print),
        start=None,
        end=None,
        progress=SilentProgress(),
    )
    calendar = outcome.calendar
    frames = {t: p.frame.loc[calendar] for t, p in loaded.items()}
    inputs = SignalInputs(
        calendar=calendar,
        close=pd.DataFrame({t: f["Close"] for t, f in frames.items()}),
        events=load_events([root / "events.csv"]),
    )
    trials = expand_grid(settings.sweep.grid, settings.sweep.tickers)
    bars = {t: Bars.from_frames(frames, tickers=[t], calendar=calendar) for t in ("AAA", "BBB")}
    tasks = screen_tasks(
        trials,
        bars=bars,
        inputs=inputs,
        cash=settings.cash,
        costs=Costs(commission=0.001, slippage=0.0005),
        folds=[],
        metric="sharpe",
        workers=1,
    )
    equity = np.concatenate(
        [screen(t.__class__(**{**t.__dict__, "keep_equity": True})).equity for t in tasks]
    )
    assert _inputs_of  # the pipeline's own view of the inputs is what the tasks used
    return window_metrics(equity, calendar, first, last)["sharpe"]


def test_same_trial_table_with_one_worker_and_on_a_dask_local_cluster(sweep_setup, local_outcome):
    distributed = pytest.importorskip("distributed")
    from catalystlab.pipeline.executors import DaskExecutor

    one = _sweep(sweep_setup, LocalExecutor(1, pool_factory=worker_pool))
    pd.testing.assert_frame_equal(one.trials, local_outcome.trials, check_exact=True)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        executor = DaskExecutor(cluster.scheduler_address)
        try:
            on_dask = _sweep(sweep_setup, executor)
        finally:
            executor.close()
    assert on_dask.executor == "dask" and on_dask.workers == 2
    pd.testing.assert_frame_equal(on_dask.trials, local_outcome.trials, check_exact=True)
    pd.testing.assert_frame_equal(on_dask.folds, local_outcome.folds, check_exact=True)


class _Unpicklable:
    """A task that cannot be pickled: local workers must read it from the memory they share."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __reduce__(self):
        raise TypeError("this task is not to be pickled")


def _square(task: _Unpicklable) -> tuple[int, int]:
    if task.value < 0:
        raise ValueError(f"negative task {task.value}")
    return task.value**2, os.getpid()


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_local_sweep_executor_runs_every_task_once_without_pickling_them(workers):
    tasks = [_Unpicklable(v) for v in range(13)]
    answers = dict(LocalExecutor(workers, pool_factory=worker_pool)(_square, tasks))
    assert sorted(answers) == list(range(13))
    assert [answers[i][0] for i in range(13)] == [v * v for v in range(13)]
    assert os.getpid() in {pid for _, pid in answers.values()}  # this process works too


def test_local_sweep_executor_raises_a_tasks_error():
    tasks = [_Unpicklable(v) for v in (*range(6), -1, *range(6))]
    with pytest.raises(ValueError, match="negative task -1"):
        list(LocalExecutor(2, pool_factory=worker_pool)(_square, tasks))


def fake_tearsheet(returns, benchmark, path, *, title):
    """Stands in for quantstats (tested in test_tearsheets.py): the folder's layout only."""
    path.write_text(f"<title>{title}</title>")
    return path


def test_results_folder(local_outcome, tmp_path, monkeypatch):
    monkeypatch.setattr(sweep_report, "write_tearsheet", fake_tearsheet)
    from dataclasses import replace

    outcome = replace(local_outcome, notes=("<script>alert(1)</script>",))
    folder = sweep_report.write_sweep_results(
        outcome, out_dir=tmp_path, command=["runner.py", "sweep"], progress=SilentProgress()
    )
    names = {p.name for p in folder.iterdir()}
    assert {
        "trials.parquet",
        "trials.csv",
        "confirmed.csv",
        "folds.csv",
        "walk_forward_equity.csv",
        "heatmap.png",
        "summary.json",
        "manifest.json",
        "config.yaml",
        "report.html",
    } <= names
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "trials.parquet"), outcome.trials)
    from_csv = pd.read_csv(folder / "trials.csv", index_col="trial")
    np.testing.assert_allclose(from_csv["sharpe"], outcome.trials["sharpe"], rtol=1e-9)
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["n_trials"] == 12 and len(summary["confirmed"]) == 2
    assert len(summary["walk_forward"]["folds"]) == len(outcome.folds)
    assert sorted(p.name for p in (folder / "tearsheets").iterdir()) == sorted(
        f"trial{t}.html" for t in outcome.confirmed.index
    )
    page = (folder / "report.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    equity = pd.read_csv(folder / "walk_forward_equity.csv", index_col="Date")
    assert equity["walk_forward"].iloc[-1] == pytest.approx(
        outcome.config.cash * (1 + outcome.walk_forward).prod()
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--executor", "dask"], "needs --scheduler"),
        (["--scheduler", "tcp://127.0.0.1:1"], "goes with --executor dask"),
        (["--workers", "0"], "--workers must be from 1 to 256"),
        (["--workers", "100000"], "--workers must be from 1 to 256"),
    ],
)
def test_sweep_command_refuses_bad_executor_options(sweep_setup, tmp_path, capsys, flags, message):
    from catalystlab.cli import main

    config, root = sweep_setup
    path = tmp_path / "sweep.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML
    out = tmp_path / "results"
    code = main(
        ["sweep", str(path), "--data-dir", str(root), "--offline", "--out", str(out), *flags]
    )
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())  # refused before anything was written


def test_sweep_command_without_a_sweep_section(tmp_path, capsys):
    from catalystlab.cli import main

    path = tmp_path / "run.yaml"
    path.write_text("strategies: [{id: hold, kind: buy_and_hold, ticker: AAA}]\n")
    assert main(["sweep", str(path), "--offline", "--out", str(tmp_path)]) == 2
    assert "no sweep section" in capsys.readouterr().err


@pytest.fixture(scope="module")
def twin_outcome(sweep_setup):
    """Every layoff in the data has at least 500 roles, so a minimum of 0 or of 100 keeps
    them all: each hold length's two trials per ticker are one strategy."""
    config, root = sweep_setup
    twins = {
        **config,
        "name": "twins",
        "sweep": {
            **config["sweep"],
            "grid": {"layoffs.hold_days": [5, 40], "layoffs.min_headcount": [0, 100]},
            "top_k": 2,
        },
    }
    return run_sweep(
        load_config(twins),
        data=DataOptions(data_dir=root, offline=True),
        executor=LocalExecutor(1, pool_factory=worker_pool),
    )


def test_trials_of_one_exposure_are_confirmed_once_and_counted(twin_outcome):
    trials, confirmed = twin_outcome.trials, twin_outcome.confirmed
    assert len(trials) == 8 and len(confirmed) == 2
    for leader, rest in twin_outcome.merged.items():
        (twin,) = rest  # its other minimum, same ticker and hold length
        assert trials.loc[twin, "ticker"] == trials.loc[leader, "ticker"]
        assert (
            json.loads(trials.loc[twin, "params"])["hold_days"]
            == json.loads(trials.loc[leader, "params"])["hold_days"]
        )
        assert trials.loc[twin, "sharpe"] == trials.loc[leader, "sharpe"]
        assert confirmed.loc[leader, "merged"] == 1
    returns = [run.result.returns for run in twin_outcome.confirmed_runs]
    assert not returns[0].equals(returns[1])  # two strategies, not one twice
    ranked = trials.sort_values("rank").index
    assert list(twin_outcome.merged) == [ranked[0], ranked[2]]


def test_the_sweep_page_answers_first_in_words_with_links(local_outcome, tmp_path, monkeypatch):
    from browser.harness import bad_numbers

    monkeypatch.setattr(sweep_report, "write_tearsheet", fake_tearsheet)
    folder = sweep_report.write_sweep_results(
        local_outcome, out_dir=tmp_path, command=["runner.py", "sweep"], progress=SilentProgress()
    )
    page = (folder / "report.html").read_text()
    body = page.split("<body>", 1)[1]
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<img [^>]*>", "", body))
    assert bad_numbers(html.unescape(text)) == ()
    verdict = page.index("<h2>Verdict</h2>")
    assert verdict < page.index("<h2>Walk-forward</h2>") < page.index("Confirmed in backtrader")
    wf = walk_forward_findings(
        local_outcome.walk_forward, local_outcome.ticker_returns, local_outcome.benchmark_returns
    )
    assert f"returned {wf.total_return:+.1%}" in text
    assert f"{wf.hold_total_return:+.1%} for buying and holding AAA, BBB in equal parts" in text
    assert "layoffs: hold 20 days, min 1,500 on" in text
    assert "hold_days" not in text and "{" not in text  # no JSON parameters
    assert text.count("PSR vs 0") >= 2 and "DSR" in text
    psr = local_outcome.walk_forward_stats["psr"]
    assert f"(PSR vs 0: {psr:.2f})" in text  # the label, then its number
    for trial in local_outcome.confirmed.index:
        assert f'href="tearsheets/trial{trial}.html"' in page
    for name in ("summary.json", "trials.csv", "folds.csv", "walk_forward_equity.csv"):
        assert f'<a href="{name}">' in page
    assert page.count("data:image/png;base64,") == 2  # the walk-forward chart and the heatmap
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["walk_forward"]["hold_total_return"] == pytest.approx(wf.hold_total_return)
    assert summary["merged"] == {str(t): [] for t in local_outcome.confirmed.index}


@pytest.mark.parametrize("width", (60, 80))
def test_the_confirmed_trials_fit_a_narrow_terminal_with_their_labels_whole(local_outcome, width):
    import io

    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    sweep_report.print_sweep(console, local_outcome, Path("/tmp/folder"))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    table = text[text.index("confirmed in backtrader") :]
    body = [line for line in table.splitlines() if line.startswith("│")]
    labels = " ".join(line.split("│")[1].strip() for line in body)
    shown = sweep_report.confirmed_display(local_outcome).index
    assert " ".join(labels.split()) == " ".join(shown)  # every label whole, in order
    assert len(body) <= 3 * len(shown)  # a label on a few lines, not a word a line
    assert "DSR" in table and "PSR" in table
    assert "…" not in table  # no header cut short
    if "left out at this width" in table:
        left_out = table.split("left out at this width")[1]
        assert "DSR" not in left_out and "PSR" not in left_out
