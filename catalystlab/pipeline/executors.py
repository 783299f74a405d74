"""Where a sweep's tasks run: local worker processes, or a Dask distributed cluster.

An executor maps a module-level function over a list of tasks and yields ``(position,
result)`` as each task finishes, in whatever order they finish; the caller puts results back
by position, so the outcome does not depend on the executor or on the order of completion.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from multiprocessing.pool import Pool
from typing import Any, Protocol

from catalystlab.core.errors import BadInputError

PoolFactory = Callable[..., AbstractContextManager[Pool]]


class Executor(Protocol):
    """Runs ``function(task)`` for every task; yields (position in ``tasks``, result)."""

    name: str
    workers: int

    def __call__(
        self, function: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]: ...


def _indexed(job: tuple[int, Callable[[Any], Any], Any]) -> tuple[int, Any]:
    position, function, task = job
    return position, function(task)


class LocalExecutor:
    """``workers`` local processes (default: every core) from ``pool_factory`` (a context
    manager yielding a ``multiprocessing`` pool whose workers die with the run, such as
    :func:`catalystlab.report.workers.worker_pool`); one worker runs the tasks in this process."""

    name = "local"

    def __init__(self, workers: int | None, *, pool_factory: PoolFactory) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        if self.workers < 1:
            raise BadInputError(f"--workers must be at least 1, got {self.workers}.")
        self._pool_factory = pool_factory

    def __call__(
        self, function: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        jobs = [(i, function, task) for i, task in enumerate(tasks)]
        if self.workers == 1 or len(jobs) <= 1:
            yield from map(_indexed, jobs)
            return
        with self._pool_factory(min(self.workers, len(jobs))) as pool:
            yield from pool.imap_unordered(_indexed, jobs, chunksize=1)


class DaskExecutor:
    """The Dask distributed scheduler at ``scheduler`` (``tcp://host:8786``, or a cluster's
    ``scheduler_address``). Its workers need catalystlab installed: tasks name its functions."""

    name = "dask"

    def __init__(self, scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise BadInputError(
                "--executor dask needs Dask distributed: pip install 'catalystlab[dask]'."
            ) from None
        try:
            self._client = Client(scheduler, set_as_default=False, timeout="20s")
        except OSError as error:
            raise BadInputError(
                f"No Dask scheduler answers at {scheduler} ({error}); start one "
                "(dask scheduler) or check --scheduler."
            ) from None
        self.workers = max(1, sum(self._client.nthreads().values()))

    def __call__(
        self, function: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        jobs = [(i, function, task) for i, task in enumerate(tasks)]
        futures = self._client.map(_indexed, jobs, pure=False)
        try:
            with self._client.as_current():  # as_completed asks for the current client
                completed = as_completed(futures)
            for future in completed:
                yield future.result()
        finally:
            self._client.cancel(futures)

    def close(self) -> None:
        self._client.close()
