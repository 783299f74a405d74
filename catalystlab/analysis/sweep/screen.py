"""Screening a chunk of trials on the vectorised engine: one ticker, many parameter sets.

A task computes each parameter set's signal once (``signals.base.compute_signal``), turns the
exposures into the schedule the ``signal`` strategy builds (the ticker at the exposure, the
rest in cash; an instruction only on the days the exposure changes, and on the first day),
runs them as one batch through :func:`catalystlab.engine.vectorised.run_weights_batch` and
returns the metrics of each trial over the whole calendar and over each walk-forward fold's
in-sample window. It is a module-level function of picklable arguments, so that any executor
(local processes, Dask) can run it.

The work before and after the engine (exposures, schedules, metrics) goes a block of trials
at a time, about ``BLOCK_BYTES`` per (trials, days) array, so that a block's arrays and their
temporaries stay in the core's cache: whole-task arrays (20 MB for 500 trials of 20 years)
would stream through memory a dozen times, and the workers of a sweep share the memory bus.
Every step is row by row, so the blocks give the same numbers, bit for bit, as whole arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from catalystlab.analysis.sweep.metrics import METRICS, window_metrics, window_sharpe
from catalystlab.analysis.sweep.walkforward import Fold
from catalystlab.core.pit import SignalInputs
from catalystlab.engine.backtest import Costs
from catalystlab.engine.vectorised import Bars, run_weights_batch
from signals.base import compute_signal

ParamSet = tuple[str, tuple[tuple[str, Any], ...]]

# Bytes of one (trials, days) float64 array of a block (module docstring): a core's L2 cache.
BLOCK_BYTES = 2**20


@dataclass(frozen=True, kw_only=True)
class ScreenTask:
    """Trials ``first .. first + len(sets) - 1`` of the trial table: ``sets`` on ``bars``'
    single ticker. ``exposures`` (optional) replaces the signals: a function of the parameter
    set returning the exposure on the calendar (benchmarks and tests of the engine path)."""

    first: int
    sets: tuple[ParamSet, ...]
    bars: Bars
    inputs: SignalInputs | None
    cash: float
    costs: Costs
    folds: tuple[Fold, ...]
    metric: str
    keep_equity: bool = False
    exposures: Callable[[ParamSet], np.ndarray] | None = None


@dataclass(frozen=True, kw_only=True)
class ScreenResult:
    """``metrics``: name -> (trials,) over the whole calendar; ``in_sample``: (trials, folds)
    of the task's metric; ``equity``: (trials, days) when asked for, else None."""

    first: int
    metrics: dict[str, np.ndarray]
    in_sample: np.ndarray
    equity: np.ndarray | None


def exposure_matrix(task: ScreenTask, rows: slice = slice(None)) -> np.ndarray:
    """(trials, days) exposure in [0, 1] of each parameter set on the task's ticker (of the
    sets ``rows`` selects, all by default)."""
    ticker = task.bars.tickers[0]
    sets = task.sets[rows]
    out = np.empty((len(sets), len(task.bars.calendar)))
    for row, (signal, params) in enumerate(sets):
        if task.exposures is not None:
            out[row] = task.exposures((signal, params))
        else:
            assert task.inputs is not None
            frame = compute_signal(signal, task.inputs, [ticker], dict(params))
            out[row] = frame[ticker].to_numpy(dtype="float64")
    return out


def schedule_weights(exposure: np.ndarray) -> np.ndarray:
    """The ``signal`` strategy's target weights of (trials, days) exposures: the exposure on
    the first day and wherever it changes, NaN (no instruction) elsewhere. float32 when that
    holds every value exactly (half the memory), else float64."""
    weights = exposure.copy()
    weights[:, 1:][exposure[:, 1:] == exposure[:, :-1]] = np.nan
    narrow = weights.astype(np.float32)
    same = np.isnan(weights) | (narrow.astype(np.float64) == weights)
    return narrow if same.all() else weights


def task_weights(task: ScreenTask) -> np.ndarray:
    """:func:`schedule_weights` of every trial of the task, a block of trials at a time;
    float32 unless some value needs float64 (then every row is float64, widened exactly)."""
    trials, days = len(task.sets), len(task.bars.calendar)
    weights = np.zeros((trials, days), dtype=np.float32)  # no garbage to widen below
    for rows in _blocks(trials, days):
        block = schedule_weights(exposure_matrix(task, rows))
        if block.dtype != weights.dtype:
            weights = weights.astype(np.float64)
        weights[rows] = block
    return weights


def screen(task: ScreenTask) -> ScreenResult:
    """Run one task (module docstring)."""
    weights = task_weights(task)
    equity = run_weights_batch(weights=weights, bars=task.bars, cash=task.cash, costs=task.costs)
    del weights
    calendar = task.bars.calendar
    trials, days = equity.shape
    metrics = {name: np.empty(trials) for name in METRICS}
    in_sample = np.empty((trials, len(task.folds)))
    for rows in _blocks(trials, days):
        block = equity[rows]
        for name, values in window_metrics(block, calendar, 0, days - 1).items():
            metrics[name][rows] = values
        if task.metric == "sharpe":  # the common case: one pass of returns for every fold
            returns = block[:, 1:] / block[:, :-1] - 1.0
            for column, fold in enumerate(task.folds):
                in_sample[rows, column] = window_sharpe(returns, fold.is_first, fold.is_last)
        else:
            for column, fold in enumerate(task.folds):
                scores = window_metrics(block, calendar, fold.is_first, fold.is_last)
                in_sample[rows, column] = scores[task.metric]
    return ScreenResult(
        first=task.first,
        metrics=metrics,
        in_sample=in_sample,
        equity=equity if task.keep_equity else None,
    )


def _blocks(trials: int, days: int) -> list[slice]:
    """Consecutive slices of ``trials`` rows, about ``BLOCK_BYTES`` of float64 days each."""
    size = max(1, BLOCK_BYTES // (8 * days))
    return [slice(low, min(low + size, trials)) for low in range(0, trials, size)]
