"""Runs started together (issue 11): each gets its own results folder, the cache stays whole."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml
from conftest import REPO, synthetic_prices

from catalystlab.inputs.prices.cache import CachedPriceSource
from catalystlab.report.folder import write_atomically

_NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _write_one(out: str, barrier, results) -> None:
    def write(folder: Path, run_id: str) -> None:
        barrier.wait()  # every process has reserved its name before any renames
        (folder / "run_id.txt").write_text(run_id)

    results.put(str(write_atomically(Path(out), "same", write, now=_NOW)))


def test_processes_writing_one_name_at_once_each_get_their_own_folder(tmp_path):
    context = multiprocessing.get_context("spawn")
    count = 6
    barrier, results = context.Barrier(count), context.Queue()
    workers = [
        context.Process(target=_write_one, args=(str(tmp_path), barrier, results))
        for _ in range(count)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    folders = sorted(Path(results.get(timeout=5)) for _ in range(count))
    stem = "20260102T030405Z_same"
    assert [f.name for f in folders] == [stem] + [f"{stem}-{k}" for k in range(2, count + 1)]
    for folder in folders:  # each folder holds what its own run wrote
        assert (folder / "run_id.txt").read_text() == folder.name
    assert sorted(p.name for p in tmp_path.iterdir()) == [f.name for f in folders]


class _Downloader:
    def __init__(self, seed: int) -> None:
        self.frame = synthetic_prices(days=400, seed=seed)

    def fetch(self, ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        return self.frame.loc[start:end]


def _fill_cache(cache: str, seed: int, rounds: int) -> None:
    source = CachedPriceSource(
        _Downloader(seed), cache, refresh=True, today=pd.Timestamp("2021-01-01")
    )
    for _ in range(rounds):
        source.load("AAA", start=pd.Timestamp("2019-01-02"), end=pd.Timestamp("2020-06-30"))


def test_processes_writing_one_cache_file_never_leave_it_corrupt(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_fill_cache, args=(str(tmp_path), seed, 5)) for seed in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(300)
        assert worker.exitcode == 0
    offline = CachedPriceSource(_Downloader(0), tmp_path, offline=True)
    loaded = offline.load("AAA", start=None, end=pd.Timestamp("2020-06-30"))
    frames = [_Downloader(seed).frame.loc["2019-01-02":"2020-06-30"] for seed in range(4)]
    assert any(loaded.frame["Close"].equals(frame["Close"]) for frame in frames)
    assert [p.name for p in (tmp_path / "prices").iterdir()] == ["AAA.parquet"]


def test_two_runs_started_together_into_one_out_both_finish_with_their_own_folder(
    tmp_path, price_folder
):
    data = price_folder(("AAA", "SPY"), days=260)
    config = tmp_path / "together.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "together",
                "benchmark": "SPY",
                "strategies": [{"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"}],
            }
        )
    )
    out = tmp_path / "results"
    command = [sys.executable, str(REPO / "runner.py"), "run", str(config)]
    command += ["--data-dir", str(data), "--out", str(out)]
    runs = [subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE) for _ in range(2)]
    errors = [run.communicate(timeout=600)[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2 and not any(name.startswith(".") for name in folders)
    for name in folders:
        assert (out / name / "summary.json").is_file() and (out / name / "equity.csv").is_file()
