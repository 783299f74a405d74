"""Turning the config's strategy entries into runnable plans (kind + validated parameters),
and running a plan in the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from catalystlab.config import RunConfig, StrategyConfig
from catalystlab.core.errors import BadInputError
from catalystlab.core.registry import build_params
from catalystlab.core.tickers import parse_ticker, ticker_slug
from catalystlab.engine.backtest import BacktestResult, Costs, run_backtest
from strategies.base import STRATEGIES, ScheduleContext, StrategyDefinition


@dataclass(frozen=True, kw_only=True)
class StrategyPlan:
    """A strategy ready to run: its id, display label, kind and parsed parameters."""

    id: str
    label: str
    definition: StrategyDefinition
    params: Any

    @property
    def tickers(self) -> tuple[str, ...]:
        return self.definition.tickers(self.params)


def plan_strategy(entry: StrategyConfig) -> StrategyPlan:
    """Validate one config entry against its kind's parameters."""
    definition = STRATEGIES.get(entry.kind)
    params = build_params(definition.params_type, entry.params, where=f"strategy {entry.id!r}")
    return StrategyPlan(
        id=entry.id, label=entry.label or entry.id, definition=definition, params=params
    )


def plan_strategies(config: RunConfig) -> list[StrategyPlan]:
    """Every strategy of the config, validated, in config order."""
    return [plan_strategy(entry) for entry in config.strategies]


def plan_call_legs(config: RunConfig, plans: list[StrategyPlan]) -> dict[str, StrategyPlan]:
    """The call's legs, keyed by the name the config uses: the called ticker first, then each
    benchmark, which is a strategy id of the config or else a ticker held outright."""
    assert config.call is not None
    by_id = {plan.id: plan for plan in plans}
    legs = {config.call.ticker: _hold(config.call.ticker)}
    for name in config.call.benchmarks:
        if name in by_id:
            legs[name] = by_id[name]
            continue
        try:
            ticker = parse_ticker(name)
        except ValueError:
            raise BadInputError(
                f"call.benchmarks: {name!r} is neither a strategy id of this config nor a "
                "ticker symbol."
            ) from None
        legs[ticker] = _hold(ticker)
    return legs


def _hold(ticker: str) -> StrategyPlan:
    return plan_strategy(
        StrategyConfig(id=ticker_slug(ticker), kind="buy_and_hold", label=ticker, ticker=ticker)
    )


def backtest_plan(
    plan: StrategyPlan,
    context: ScheduleContext,
    frames: dict[str, pd.DataFrame],
    *,
    cash: float,
    costs: Costs,
) -> BacktestResult:
    """Build the plan's target-weight schedule on ``context`` and run it in the engine."""
    schedule = plan.definition.build(context, plan.params)
    return run_backtest(schedule=schedule, prices=frames, cash=cash, costs=costs, name=plan.id)
