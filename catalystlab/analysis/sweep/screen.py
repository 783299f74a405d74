"""Screening a chunk of trials on the vectorised engine: one ticker, many parameter sets.

A task computes each parameter set's signal once (``signals.base.compute_signal``), turns the
exposures into the schedule the ``signal`` strategy builds (the ticker at the exposure, the
rest in cash; an instruction only on the days the exposure changes, and on the first day),
runs them as one batch through :func:`catalystlab.engine.vectorised.run_weights_batch` and
returns the metrics of each trial over the whole calendar and over each walk-forward fold's
in-sample window. It is a module-level function of picklable arguments, so that any executor
(local processes, Dask) can run it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from catalystlab.analysis.sweep.metrics import window_metrics, window_sharpe
from catalystlab.analysis.sweep.walkforward import Fold
from catalystlab.core.pit import SignalInputs
from catalystlab.engine.backtest import Costs
from catalystlab.engine.vectorised import Bars, run_weights_batch
from signals.base import compute_signal

ParamSet = tuple[str, tuple[tuple[str, Any], ...]]


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


def exposure_matrix(task: ScreenTask) -> np.ndarray:
    """(trials, days) exposure in [0, 1] of each parameter set on the task's ticker."""
    ticker = task.bars.tickers[0]
    rows = np.empty((len(task.sets), len(task.bars.calendar)))
    for row, (signal, params) in enumerate(task.sets):
        if task.exposures is not None:
            rows[row] = task.exposures((signal, params))
        else:
            assert task.inputs is not None
            frame = compute_signal(signal, task.inputs, [ticker], dict(params))
            rows[row] = frame[ticker].to_numpy(dtype="float64")
    return rows


def schedule_weights(exposure: np.ndarray) -> np.ndarray:
    """The ``signal`` strategy's target weights of (trials, days) exposures: the exposure on
    the first day and wherever it changes, NaN (no instruction) elsewhere. float32 when that
    holds every value exactly (half the memory), else float64."""
    weights = exposure.copy()
    weights[:, 1:][exposure[:, 1:] == exposure[:, :-1]] = np.nan
    narrow = weights.astype(np.float32)
    same = np.isnan(weights) | (narrow.astype(np.float64) == weights)
    return narrow if same.all() else weights


def screen(task: ScreenTask) -> ScreenResult:
    """Run one task (module docstring)."""
    weights = schedule_weights(exposure_matrix(task))
    equity = run_weights_batch(weights=weights, bars=task.bars, cash=task.cash, costs=task.costs)
    calendar = task.bars.calendar
    metrics = window_metrics(equity, calendar, 0, len(calendar) - 1)
    if task.metric == "sharpe":  # the common case: one pass of returns for every fold
        returns = equity[:, 1:] / equity[:, :-1] - 1.0
        scores = [window_sharpe(returns, f.is_first, f.is_last) for f in task.folds]
    else:
        scores = [
            window_metrics(equity, calendar, f.is_first, f.is_last)[task.metric] for f in task.folds
        ]
    in_sample = np.column_stack(scores) if scores else np.empty((len(task.sets), 0))
    return ScreenResult(
        first=task.first,
        metrics=metrics,
        in_sample=in_sample,
        equity=equity if task.keep_equity else None,
    )
