"""A run's tearsheets, written by worker processes while the run is still computing.

Each strategy's quantstats tearsheet is submitted as soon as its backtest is done (the
benchmark's returns are known first), so the tearsheets, which take most of a run's CPU,
overlap the statistics, the call test, the event study and the report instead of following
them. The workers run at a lower priority than the run, so the verdict still reaches the
terminal first. Pages are written into a temporary folder and moved into the results folder
when all are done; a run that fails leaves none of them behind (one killed outright leaves
its temporary folder, which the next run removes).
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from pathlib import Path

import pandas as pd

from catalystlab.core.progress import Progress
from catalystlab.pipeline.outcome import StrategyRun
from catalystlab.report.folder import process_running
from catalystlab.report.tearsheets import write_tearsheet
from catalystlab.report.workers import worker_pool

_MOST_WORKERS = 4
_SCRATCH_PREFIX = "catalystlab-tearsheets-"  # then the run's pid and a random part
_WORKER_NICENESS = 5  # below the run itself: its verdict prints before the tearsheets end


class TearsheetBatch:
    """Tearsheets in progress: :meth:`submit` one per strategy, :meth:`finish` once."""

    def __init__(self, pool: Pool, scratch: Path, progress: Progress) -> None:
        self._pool = pool
        self._scratch = scratch
        self._progress = progress
        self._files: dict[str, str] = {}
        self._finished: queue.SimpleQueue[object] = queue.SimpleQueue()

    def submit(self, run: StrategyRun, benchmark: pd.Series) -> None:
        """Start the tearsheet of ``run`` against ``benchmark`` (daily returns, fractions,
        named); a strategy whose daily return never varies gets a note instead."""
        strategy_id = run.plan.id
        if run.result.returns.std() == 0:
            self._progress.note(
                f"No tearsheet for {strategy_id}: its daily return never varies (it never held "
                "a position), which quantstats cannot describe."
            )
            return
        name = f"{strategy_id}.html"
        self._files[strategy_id] = name
        self._pool.apply_async(
            write_tearsheet,
            (run.result.returns, benchmark, self._scratch / name),
            {"title": run.plan.label},
            callback=self._finished.put,
            error_callback=self._finished.put,
        )

    def finish(self, folder: Path) -> dict[str, str]:
        """Wait for every tearsheet submitted (shown as progress), move them into
        ``folder`` (created) and return strategy id -> file name, in submission order."""
        waiting = self._progress.track(
            self._each_finished(), description="Tearsheets", total=len(self._files)
        )
        for _ in waiting:
            pass
        folder.mkdir()
        for name in self._files.values():
            shutil.move(self._scratch / name, folder / name)
        return dict(self._files)

    def _each_finished(self) -> Iterator[object]:
        for _ in self._files:
            done = self._finished.get()
            if isinstance(done, BaseException):
                raise done
            yield done


@contextmanager
def tearsheet_batch(progress: Progress) -> Iterator[TearsheetBatch]:
    """A batch whose workers are forked now (quantstats imported first) and joined, or
    terminated on an error, when the block ends."""
    remove_abandoned_scratch()
    workers = max(1, min(os.cpu_count() or 1, _MOST_WORKERS))
    with (
        tempfile.TemporaryDirectory(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-") as scratch,
        worker_pool(workers, preload=("quantstats",), niceness=_WORKER_NICENESS) as pool,
    ):
        yield TearsheetBatch(pool, Path(scratch), progress)


def remove_abandoned_scratch() -> list[Path]:
    """Delete the temporary tearsheet folders of runs that no longer run (killed outright,
    they could not clean up) and return them."""
    removed = []
    for scratch in Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*-*"):
        pid = scratch.name.removeprefix(_SCRATCH_PREFIX).split("-", 1)[0]
        if scratch.is_dir() and pid.isdigit() and not process_running(int(pid)):
            shutil.rmtree(scratch, ignore_errors=True)
            removed.append(scratch)
    return removed
