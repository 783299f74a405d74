"""What a run computed: the input of the results writer, the reports and the Python API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from catalystlab.analysis.call.legs import CallResult
from catalystlab.config import RunConfig
from catalystlab.engine.backtest import BacktestResult
from catalystlab.inputs.prices.align import AlignedPrices
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.plan import StrategyPlan
from catalystlab.pipeline.ranking import RunComparison
from catalystlab.pipeline.study import EventStudyRun


@dataclass(frozen=True, kw_only=True)
class StrategyRun:
    """One strategy's backtest over the run's calendar (its metrics: ``RunOutcome.comparison``)."""

    plan: StrategyPlan
    result: BacktestResult


@dataclass(frozen=True, kw_only=True)
class RunOutcome:
    """Everything a run computed; the input of the results writer and the reports."""

    config: RunConfig
    prices: AlignedPrices
    loaded: dict[str, LoadedPrices]
    calendar: pd.DatetimeIndex
    strategies: dict[str, StrategyRun]
    benchmark_returns: pd.Series  # buy-and-hold of config.benchmark, same entry and costs
    comparison: RunComparison
    call: CallResult | None
    event_study: EventStudyRun | None
    audit: pd.DataFrame | None  # one row per claim: measured, claimed, verdict, detail
    signals: pd.DataFrame
    signal_sources: dict[str, dict[str, object]] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default=())
    data_options: dict[str, Any] = field(default_factory=dict)
    # True when the strategies ran in a user's own cerebro (catalystlab.bt.report): their
    # fills and sizing are their broker's, not the engine's next-open fills.
    user_strategies: bool = False


@dataclass(frozen=True, kw_only=True)
class EventsOutcome:
    """An event study on its own (``runner.py events``) and the inputs it read."""

    config: RunConfig
    study: EventStudyRun
    loaded: dict[str, LoadedPrices]
    sources: dict[str, dict[str, object]]
    notes: tuple[str, ...]
    data_options: dict[str, Any]
