"""Worker processes that die with their run: the tearsheets are written in a pool of them.

A pool's workers are forked once everything they need is imported (a run's tearsheet workers
by the host process of :mod:`catalystlab.report.tearsheet_batch`, after it has imported
quantstats), so they start at once and import nothing. Forking also means no semaphore needs
multiprocessing's resource tracker, so no tracker process is left behind.

No worker outlives its run, however the run ends:

- a normal end closes the pool and joins every worker before the results folder appears;
- an error, Ctrl-C or SIGTERM in the run terminates the workers and joins them (a worker
  terminated while it is still starting dies all the same: it is forked with SIGINT and
  SIGTERM blocked, so the run's own Python handlers never run in it);
- SIGKILL of the run (nothing of it runs any more): on Linux each worker asked the kernel
  for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere a watchdog
  thread in each worker checks every ``WATCHDOG_SECONDS`` that its parent is still the run
  and ends the worker otherwise. A worker blocked on its task pipe is killed all the same.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.pool import Pool
from multiprocessing.process import BaseProcess
from typing import Any

WATCHDOG_SECONDS = 0.5
_HELD = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1


@contextmanager
def worker_pool(
    processes: int, *, preload: Sequence[str] = (), niceness: int = 0
) -> Iterator[Pool]:
    """A pool of ``processes`` forked workers bound to this process's life (module
    docstring), after importing the modules ``preload`` names here (once, not per worker);
    the workers' scheduling priority is ``niceness`` below this process's.
    Leaving the block normally waits for the tasks submitted and joins the workers; leaving
    it by an exception terminates and joins them."""
    for name in preload:
        importlib.import_module(name)
    context = multiprocessing.get_context("fork")
    with _signals_held():
        pool = context.Pool(processes, initializer=_start_worker, initargs=(os.getpid(), niceness))
    try:
        yield pool
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


@contextmanager
def bound_process(
    target: Callable[..., None], args: tuple = (), *, niceness: int = 0
) -> Iterator[BaseProcess]:
    """A forked process running ``target(*args)``, bound to this process's life as a pool's
    workers are (module docstring), that may have workers of its own. Leaving the block
    normally waits for it to end; leaving it by an exception terminates and joins it."""
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_run_bound, args=(os.getpid(), niceness, target, args))
    with _signals_held():
        process.start()
    try:
        yield process
    except BaseException:
        process.terminate()
        process.join()
        raise
    process.join()


def run_in_pool(
    pool: Pool, function: Callable[..., Any], jobs: Sequence[tuple[tuple, dict]]
) -> Iterator[int]:
    """Submit ``function(*args, **kwargs)`` for every job now; the iterator yields each
    job's position in ``jobs`` as it finishes (a job's exception is raised there)."""
    tasks = [(position, function, args, kwargs) for position, (args, kwargs) in enumerate(jobs)]
    return pool.imap_unordered(_call, tasks, chunksize=1)


def _call(task: tuple[int, Callable[..., Any], tuple, dict]) -> int:
    position, function, args, kwargs = task
    function(*args, **kwargs)
    return position


def _run_bound(parent: int, niceness: int, target: Callable[..., None], args: tuple) -> None:
    _start_worker(parent, niceness)
    target(*args)


def _start_worker(parent: int, niceness: int) -> None:
    """Runs first in each worker: die with the run (module docstring), then lower the
    worker's priority by ``niceness``."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the run died before the request above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # a SIGTERM already sent ends it now
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="watchdog").start()
    if niceness:
        os.nice(niceness)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM blocked in this thread while it forks: a child starts with them
    blocked (pending, not handled by a copy of this process's Python handlers, which would
    raise in the child's start-up code and can leave it stuck), until :func:`_start_worker`
    has set its own and unblocks them."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _watch(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(WATCHDOG_SECONDS):
        if os.getppid() != parent:
            os._exit(1)
