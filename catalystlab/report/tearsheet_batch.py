"""A run's tearsheets, written by worker processes while the run is still computing.

Each strategy's quantstats tearsheet is submitted as soon as its backtest is done (the
benchmark's returns are known first), so the tearsheets, which take most of a run's CPU,
overlap the statistics, the call test, the event study and the report instead of following
them.

The workers belong to a host process forked when the run starts: it imports quantstats (and
matplotlib) while the run loads its data and backtests, forks the workers from itself, and
hands each tearsheet to one of them. The run itself never imports quantstats. A tearsheet's
series reach its worker as parquet files in the run's private temporary folder (readable by
its user alone; data only, nothing that runs code when read). The workers run
at a lower priority than the run, so the verdict still reaches the terminal first. Pages are
written into a temporary folder and moved into the results folder when all are done; a run
that fails leaves none of them behind (one killed outright leaves its temporary folder, which
the next run removes).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from catalystlab.core.progress import Progress
from catalystlab.report.folder import process_running
from catalystlab.report.workers import bound_process, worker_pool

# Only what forking the host needs is imported here, so that the run can fork it before it
# imports the pipeline: the host imports the tearsheet code (quantstats, matplotlib) itself.
if TYPE_CHECKING:
    import pandas as pd

    from catalystlab.pipeline.outcome import StrategyRun

_MOST_WORKERS = 4
_WORKER_NICENESS = 5  # below the run itself: its verdict prints before the tearsheets end
_SCRATCH_PREFIX = "catalystlab-tearsheets-"  # then the run's pid and a random part


class TearsheetBatch:
    """Tearsheets in progress: :meth:`submit` one per strategy, :meth:`finish` once."""

    def __init__(
        self,
        *,
        host: BaseProcess,
        jobs: Connection,
        results: Connection,
        scratch: Path,
        progress: Progress,
    ) -> None:
        self._host = host
        self._jobs = jobs
        self._results = results
        self._scratch = scratch
        self._progress = progress
        self._files: dict[str, str] = {}

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
        # The series go through files: a message this small never waits for the host.
        inputs = (self._scratch / f"{strategy_id}.returns", self._scratch / f"{strategy_id}.bench")
        for series, path in zip((run.result.returns, benchmark), inputs, strict=True):
            series.to_frame("value").to_parquet(path, engine="pyarrow")
        names = (run.result.returns.name, benchmark.name)
        self._jobs.send((inputs, names, self._scratch / name, run.plan.label))

    def finish(self, folder: Path) -> dict[str, str]:
        """Wait for every tearsheet submitted (shown as progress), move them into
        ``folder`` (created) and return strategy id -> file name, in submission order."""
        if not self._files:  # nothing to draw: the host need not finish its imports
            self._host.terminate()
        self._jobs.send(None)
        waiting = self._progress.track(
            self._each_finished(), description="Tearsheets", total=len(self._files)
        )
        for _ in waiting:
            pass
        folder.mkdir()
        for name in self._files.values():
            shutil.move(self._scratch / name, folder / name)
        return dict(self._files)

    def _each_finished(self) -> Iterator[int]:
        for _ in self._files:
            wait([self._results, self._host.sentinel])
            if not self._results.poll():
                self._host.join()
                raise RuntimeError(
                    f"The tearsheet process ended unexpectedly (exit code {self._host.exitcode})."
                )
            position, error = self._results.recv()
            if error is not None:
                raise error
            yield position


@contextmanager
def tearsheet_batch(progress: Progress) -> Iterator[TearsheetBatch]:
    """A batch whose host process starts now; it is joined when the block ends, or
    terminated with its workers on an error."""
    remove_abandoned_scratch()
    workers = max(1, min(os.cpu_count() or 1, _MOST_WORKERS))
    context = multiprocessing.get_context("fork")
    orders, jobs = context.Pipe(duplex=False)
    results, reports = context.Pipe(duplex=False)
    with (
        tempfile.TemporaryDirectory(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-") as scratch,
        bound_process(_serve, (orders, reports, workers)) as host,
    ):
        yield TearsheetBatch(
            host=host, jobs=jobs, results=results, scratch=Path(scratch), progress=progress
        )


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


def _serve(orders: Connection, reports: Connection, workers: int) -> None:
    """The host: import quantstats and the tearsheet code, fork ``workers`` workers and give
    them each job until None comes; report (position, None) or (position, the exception) for
    each."""
    try:
        for module in ("quantstats", "catalystlab.report.tearsheets"):
            importlib.import_module(module)
    except BaseException as error:  # the run raises it when it waits for the first page
        reports.send((0, error))
        return
    with worker_pool(workers, niceness=_WORKER_NICENESS) as pool:
        position = 0
        while (job := orders.recv()) is not None:
            pool.apply_async(
                _write_page,
                job,
                callback=lambda _, done=position: reports.send((done, None)),
                error_callback=lambda error, done=position: reports.send((done, error)),
            )
            position += 1


def _write_page(
    inputs: tuple[Path, Path], names: tuple[object, object], page: Path, title: str
) -> None:
    """In a worker: the tearsheet of the returns and benchmark kept as parquet at ``inputs``
    (series named ``names``)."""
    import pandas as pd

    from catalystlab.report.tearsheets import write_tearsheet

    returns, benchmark = (
        pd.read_parquet(path, engine="pyarrow")["value"].rename(name)
        for path, name in zip(inputs, names, strict=True)
    )
    write_tearsheet(returns, benchmark, page, title=title)
