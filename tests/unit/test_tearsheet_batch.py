"""A run's tearsheets start as each backtest ends, before the statistics, and arrive in the
results folder whole (or not at all)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from catalystlab.config import load_config
from catalystlab.core.progress import SilentProgress
from catalystlab.inputs.options import DataOptions
from catalystlab.pipeline import execute
from catalystlab.report import tearsheet_batch, tearsheets
from catalystlab.report.tearsheet_batch import tearsheet_batch as batch_of
from catalystlab.report.workers import worker_pool

DAYS = pd.bdate_range("2021-01-04", periods=300)


def _run(strategy_id: str, returns: np.ndarray) -> SimpleNamespace:
    series = pd.Series(returns, index=DAYS, name=strategy_id)
    return SimpleNamespace(
        plan=SimpleNamespace(id=strategy_id, label=f"Rule {strategy_id}"),
        result=SimpleNamespace(returns=series),
    )


def _benchmark() -> pd.Series:
    return pd.Series(np.random.default_rng(0).normal(0, 0.01, len(DAYS)), index=DAYS, name="SPY")


def _page_written(returns: pd.Series, benchmark: pd.Series, path: Path, *, title: str) -> Path:
    """A stand-in for the quantstats page: what it was given, as text."""
    path.write_text(f"{title} {returns.name} {len(returns)} {benchmark.name}", encoding="utf-8")
    return path


def _page_failed(returns: pd.Series, benchmark: pd.Series, path: Path, *, title: str) -> Path:
    raise ValueError(f"no page for {title}")


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_each_submitted_sheet_is_moved_into_the_folder(tmp_path, scratch, monkeypatch):
    monkeypatch.setattr(tearsheets, "write_tearsheet", _page_written)
    rng = np.random.default_rng(1)
    progress = SilentProgress()
    with batch_of(progress) as batch:
        batch.submit(_run("rule_a", rng.normal(0, 0.01, len(DAYS))), _benchmark())
        batch.submit(_run("in_cash", np.zeros(len(DAYS))), _benchmark())
        batch.submit(_run("rule_b", rng.normal(0, 0.01, len(DAYS))), _benchmark())
        written = batch.finish(tmp_path / "tearsheets")
    assert written == {"rule_a": "rule_a.html", "rule_b": "rule_b.html"}
    assert (tmp_path / "tearsheets" / "rule_b.html").read_text() == "Rule rule_b rule_b 300 SPY"
    assert sorted(p.name for p in (tmp_path / "tearsheets").iterdir()) == list(written.values())
    assert progress.notes == [
        "No tearsheet for in_cash: its daily return never varies (it never held a position), "
        "which quantstats cannot describe."
    ]
    assert not list(scratch.iterdir())  # the temporary folder went with the batch


def test_a_failed_sheet_fails_the_run_and_leaves_nothing(tmp_path, scratch, monkeypatch):
    monkeypatch.setattr(tearsheets, "write_tearsheet", _page_failed)
    with (
        pytest.raises(ValueError, match="no page for Rule rule_a"),
        batch_of(SilentProgress()) as b,
    ):
        b.submit(_run("rule_a", np.random.default_rng(2).normal(0, 0.01, len(DAYS))), _benchmark())
        b.finish(tmp_path / "tearsheets")
    assert not (tmp_path / "tearsheets").exists()
    assert not list(scratch.iterdir())


def test_workers_run_below_the_run_s_priority():
    with worker_pool(1, niceness=3) as pool:
        worker_niceness = pool.apply(os.nice, (0,))
    assert worker_niceness == os.nice(0) + 3


def test_each_backtest_is_handed_over_before_the_statistics(tmp_path, price_folder, monkeypatch):
    data = price_folder(("AAA", "BBB", "SPY"), days=400)
    config = load_config(
        {
            "name": "handover",
            "benchmark": "SPY",
            "cash": 10000,
            "strategies": [
                {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
                {"id": "hold_bbb", "kind": "buy_and_hold", "ticker": "BBB"},
            ],
        }
    )
    events: list[tuple[str, object]] = []
    compare_run = execute.compare_run

    def compared(*args, **kwargs):
        events.append(("statistics", None))
        return compare_run(*args, **kwargs)

    monkeypatch.setattr(execute, "compare_run", compared)
    outcome = execute.run(
        config,
        data=DataOptions(data_dir=data, offline=True),
        on_backtest=lambda run, benchmark: events.append((run.plan.id, benchmark)),
    )
    assert [name for name, _ in events] == ["hold_aaa", "hold_bbb", "statistics"]
    for name, benchmark in events[:2]:
        pd.testing.assert_series_equal(benchmark, outcome.benchmark_returns)
        assert outcome.strategies[name].result.returns.index.equals(benchmark.index)


def _host_that_dies(orders, reports, workers) -> None:
    os._exit(3)


def test_a_host_that_dies_is_an_error_not_a_hang(tmp_path, scratch, monkeypatch):
    monkeypatch.setattr(tearsheet_batch, "_serve", _host_that_dies)
    with (
        pytest.raises(RuntimeError, match=r"ended unexpectedly \(exit code 3\)"),
        batch_of(SilentProgress()) as batch,
    ):
        batch.submit(
            _run("rule_a", np.random.default_rng(3).normal(0, 0.01, len(DAYS))), _benchmark()
        )
        batch.finish(tmp_path / "tearsheets")
    assert not list(scratch.iterdir())
