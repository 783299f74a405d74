"""Where a sweep's tasks run: local worker processes, or a Dask distributed cluster.

An executor maps a module-level function over a list of tasks and yields ``(position,
result)`` as each task finishes, in whatever order they finish; the caller puts results back
by position, so the outcome does not depend on the executor or on the order of completion.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from multiprocessing.pool import Pool
from multiprocessing.sharedctypes import Synchronized
from typing import Any, Protocol, TypeVar

from catalystlab.core.errors import BadInputError, DataUnavailableError

T = TypeVar("T")
PoolFactory = Callable[..., AbstractContextManager[Pool]]
MAX_WORKERS = 256  # local worker processes: more than the cores only adds processes


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
    """``workers`` local processes (default: every core): this process and ``workers - 1``
    workers from ``pool_factory``, a context manager yielding a pool of forked workers that
    die with the run (:func:`catalystlab.report.workers.worker_pool`).

    The workers are forked after the tasks exist, so they read the tasks from the memory they
    share with this process: a job names a task by its position, and only results travel
    back. Every process takes the next task not yet taken (a counter they share), this one
    between its own tasks handing on the workers' results as they come; a worker never waits
    for a task while one is left. One worker runs the tasks in this process alone."""

    name = "local"

    def __init__(self, workers: int | None, *, pool_factory: PoolFactory) -> None:
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        if not 1 <= self.workers <= MAX_WORKERS:
            raise BadInputError(
                f"--workers must be from 1 to {MAX_WORKERS} (one process each; this machine has "
                f"{os.cpu_count() or 1} cores), got {self.workers}."
            )
        self._pool_factory = pool_factory

    def __call__(
        self, function: Callable[[Any], Any], tasks: Sequence[Any]
    ) -> Iterator[tuple[int, Any]]:
        if self.workers == 1 or len(tasks) <= 1:
            yield from ((i, function(task)) for i, task in enumerate(tasks))
            return
        token = next(_tokens)
        taken = multiprocessing.get_context("fork").Value("q", 0)
        _SHARED[token] = (function, tasks, taken)
        try:
            with self._pool_factory(min(self.workers, len(tasks)) - 1) as pool:
                # One job per task: a job that finds every task taken returns None at once.
                finished = pool.imap_unordered(_take, [token] * len(tasks), chunksize=1)
                left = len(tasks)
                while left:
                    try:  # the workers' results first, so that the progress bar moves
                        answer = finished.next(timeout=0)
                    except multiprocessing.TimeoutError:
                        position = _next(taken, len(tasks))
                        answer = (
                            finished.next()
                            if position is None
                            else (position, function(tasks[position]))
                        )
                    if answer is not None:
                        left -= 1
                        yield answer
        finally:
            del _SHARED[token]


# Tasks of the local executors running now, by token: (function, tasks, the count taken).
# Forked workers inherit it; nothing of it is pickled.
_SHARED: dict[int, tuple[Callable[[Any], Any], Sequence[Any], Synchronized]] = {}
_tokens = itertools.count()


def _next(taken: Synchronized, total: int) -> int | None:
    """Take the next task: its position, or None when all ``total`` are taken."""
    with taken.get_lock():
        position = taken.value
        if position >= total:
            return None
        taken.value = position + 1
    return position


def _take(token: int) -> tuple[int, Any] | None:
    """In a forked worker: run the next task not yet taken; None when none is left."""
    function, tasks, taken = _SHARED[token]
    position = _next(taken, len(tasks))
    return None if position is None else (position, function(tasks[position]))


DASK_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
CONNECT_SECONDS = 10.0  # waiting for the scheduler to answer
WORKER_SECONDS = 30.0  # waiting, once connected, for a first worker


_GRACE_SECONDS = 5.0  # beyond CONNECT_SECONDS before a handshake that never ends is given up


def _within(seconds: float, make: Callable[[], T], discard: Callable[[T], None]) -> T:
    """``make()``, or TimeoutError after ``seconds``. Dask's own connect timeout does not cover
    a listener that accepts the connection but never answers its handshake (an HTTP server on
    that port hangs the client for good): ``make`` runs in a daemon thread, left behind; what
    it makes after the caller gave up is handed to ``discard`` (a late client is closed)."""
    done: dict[str, Any] = {}
    lock = threading.Lock()

    def target() -> None:
        try:
            value = make()
        except BaseException as error:  # handed to the caller as raised
            with lock:
                done["error"] = error
            return
        with lock:
            late = "abandoned" in done
            done["value"] = value
        if late:
            discard(value)

    thread = threading.Thread(target=target, name="dask-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    with lock:
        if "value" not in done and "error" not in done:
            done["abandoned"] = True
            raise TimeoutError()
    if "error" in done:
        raise done["error"]
    return done["value"]


def check_scheduler_address(address: str) -> str:
    """``address`` once it reads as a Dask scheduler's (``tcp://host:port``; a bare
    ``host:port`` is taken as tcp); BadInputError naming what is wrong, before connecting."""
    from urllib.parse import urlsplit

    example = "e.g. tcp://127.0.0.1:8786"
    text = address.strip()
    if not text or len(text) > 300 or any(c.isspace() or not c.isprintable() for c in text):
        raise BadInputError(f"--scheduler {address!r} is not an address; give one, {example}.")
    full = text if "://" in text else f"tcp://{text}"
    scheme = full.partition("://")[0].lower()
    if scheme not in DASK_SCHEMES:
        raise BadInputError(
            f"--scheduler {address}: {scheme}:// is not a Dask protocol (use one of "
            f"{', '.join(DASK_SCHEMES)}); {example}."
        )
    if scheme == "inproc":
        return full
    try:
        parts = urlsplit(full)
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or port is None or not 0 < port < 65536 or parts.path not in ("", "/"):
        raise BadInputError(
            f"--scheduler {address}: give the scheduler's host and port (1 to 65535), {example}."
        )
    return full


class DaskExecutor:
    """The Dask distributed scheduler at ``scheduler`` (``tcp://host:8786``, or a cluster's
    ``scheduler_address``). Its workers need catalystlab installed: tasks name its functions.

    The address is checked before connecting; a scheduler that does not answer within
    ``CONNECT_SECONDS``, or has no worker within ``WORKER_SECONDS`` of connecting, is a
    DataUnavailableError (exit 3) naming the scheduler and what to start."""

    name = "dask"

    def __init__(self, scheduler: str) -> None:
        address = check_scheduler_address(scheduler)
        try:
            from distributed import Client
        except ImportError:
            raise BadInputError(
                "--executor dask needs Dask distributed: pip install 'catalystlab[dask]'."
            ) from None
        try:
            self._client = _within(
                CONNECT_SECONDS + _GRACE_SECONDS,
                lambda: Client(address, set_as_default=False, timeout=CONNECT_SECONDS),
                lambda late: late.close(),
            )
        except (OSError, TimeoutError) as error:
            raise DataUnavailableError(
                f"No Dask scheduler answered at {address} within {CONNECT_SECONDS:g} s "
                f"({str(error) or 'something else listens there'}); start one there (dask "
                "scheduler) or check --scheduler."
            ) from None
        try:
            self._client.wait_for_workers(1, timeout=WORKER_SECONDS)
        except (OSError, TimeoutError):
            self._client.close()
            raise DataUnavailableError(
                f"The Dask scheduler at {address} has no worker after {WORKER_SECONDS:g} s; "
                f"start one (dask worker {address}) and run the sweep again."
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
