"""A ledger evaluated: the calls at every horizon, and per source (and for all calls) the hit
rate with its Wilson interval, the mean and median excess with calendar-block intervals, the
portfolio of open calls, and the two permutation p-values of skill."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.call.conventions import EntryConvention
from catalystlab.analysis.ledger.bootstrap import LedgerInterval, calendar_block_interval
from catalystlab.analysis.ledger.calls import CallGrid, evaluate_calls
from catalystlab.analysis.ledger.engine_legs import EngineLegs, engine_legs
from catalystlab.analysis.ledger.permutation import Nulls, permutation_nulls
from catalystlab.analysis.ledger.portfolio import OpenCalls, open_call_portfolio
from catalystlab.analysis.ledger.wilson import wilson_interval
from catalystlab.engine.backtest import Costs
from catalystlab.inputs.ledger import LedgerCall

ALL = "all calls"
UNATTRIBUTED = "(no source)"


@dataclass(frozen=True, kw_only=True)
class SourceHorizon:
    """One source at one horizon: counts, hit rate (Wilson interval), excess intervals, the
    permutation p-values, and the portfolio of its open calls."""

    source: str
    months: int
    calls: int
    scored: int
    open: int
    hits: int
    hit_low: float
    hit_high: float
    interval: LedgerInterval
    mean_percentile: float
    p_dates: float
    p_stances: float
    portfolio: OpenCalls

    @property
    def hit_rate(self) -> float:
        return self.hits / self.scored if self.scored else float("nan")


@dataclass(frozen=True, kw_only=True)
class LedgerResult:
    """Everything the ledger report shows; fractions, not %."""

    grid: CallGrid
    engine: EngineLegs
    costs: Costs
    sources: tuple[str, ...]
    by_horizon: tuple[SourceHorizon, ...]
    nulls: Nulls
    seed: int
    draws: int
    reps: int
    level: float

    def pooled(self, source: str) -> dict[str, float]:
        """The source's pooled statistic over all its scored cells and both p-values."""
        g = self.sources.index(source)
        return {
            "mean_excess": float(self.nulls.observed[g]),
            "p_dates": float(self.nulls.p_dates[g]),
            "p_stances": float(self.nulls.p_stances[g]),
            "scored": int(sum(r.scored for r in self.by_horizon if r.source == source)),
            "hits": int(sum(r.hits for r in self.by_horizon if r.source == source)),
        }


def source_of(call: LedgerCall) -> str:
    return call.source or UNATTRIBUTED


def evaluate_ledger(
    calls: Sequence[LedgerCall],
    prices: Mapping[str, pd.DataFrame],
    *,
    default_benchmark: str,
    default_horizons: Sequence[int],
    convention: EntryConvention,
    history_start: pd.Timestamp,
    unavailable: Mapping[str, str] | None = None,
    seed: int = 0,
    draws: int = 1000,
    reps: int = 1000,
    level: float = 0.95,
    costs: Costs | None = None,
) -> LedgerResult:
    """Evaluate the calls (:func:`evaluate_calls`), then every source and all calls together
    at each horizon (``draws`` permutation draws per null, ``reps`` bootstrap resamples,
    ``level`` interval coverage; ``seed`` makes every draw repeatable); the engine legs
    (:mod:`.engine_legs`) pay ``costs`` (default none)."""
    costs = costs or Costs()
    grid = evaluate_calls(
        calls,
        prices,
        default_benchmark=default_benchmark,
        default_horizons=default_horizons,
        convention=convention,
        history_start=history_start,
        unavailable=unavailable,
    )
    named = list(dict.fromkeys(source_of(c) for c in calls))
    sources = (*named, ALL) if len(named) > 1 else (*named,)
    membership = np.array(
        [[source in (source_of(c), ALL) for source in sources] for c in calls], dtype=bool
    ).reshape(len(calls), len(sources))
    nulls = permutation_nulls(grid, membership, draws=draws, seed=seed)
    holding = grid.holding_days()
    rows_out = []
    for g, source in enumerate(sources):
        members = np.flatnonzero(membership[:, g])
        for k, months in enumerate(grid.horizons):
            scored = members[grid.scored[members, k]]
            portfolio = open_call_portfolio(grid, k, members)
            hits = int(grid.hit[scored, k].sum())
            low, high = wilson_interval(hits, len(scored), level)
            interval = calendar_block_interval(
                portfolio,
                grid.excess[portfolio.rows, k],
                holding_days=holding[portfolio.rows, k],
                seed=seed + 7919 * (g + 1) + k,
                reps=reps,
                level=level,
            )
            percentiles = grid.percentile[scored, k]
            rows_out.append(
                SourceHorizon(
                    source=source,
                    months=months,
                    calls=int((grid.status[members, k] != "not asked").sum()),
                    scored=len(scored),
                    open=int((grid.status[members, k] == "open").sum()),
                    hits=hits,
                    hit_low=low,
                    hit_high=high,
                    interval=interval,
                    mean_percentile=float(np.nanmean(percentiles))
                    if np.isfinite(percentiles).any()
                    else float("nan"),
                    p_dates=float(nulls.p_dates_by_horizon[k, g]),
                    p_stances=float(nulls.p_stances_by_horizon[k, g]),
                    portfolio=portfolio,
                )
            )
    return LedgerResult(
        grid=grid,
        engine=engine_legs(grid, prices, costs=costs),
        costs=costs,
        sources=sources,
        by_horizon=tuple(rows_out),
        nulls=nulls,
        seed=seed,
        draws=draws,
        reps=reps,
        level=level,
    )
