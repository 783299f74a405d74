"""One run from config to numbers: load, align, build schedules, backtest, evaluate the call.

Nothing here writes files or prints; :mod:`catalystlab.results` and the reports do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from catalystlab.call import (
    CallResult,
    call_timing,
    excess_interval,
    horizon_table,
    leg_metrics,
    verdict_text,
)
from catalystlab.call_uncertainty import assess_call, with_horizon_percentiles
from catalystlab.config import RunConfig, StrategyConfig
from catalystlab.data.align import AlignedPrices, align_prices
from catalystlab.data.options import DataOptions, load_prices
from catalystlab.data.prices import LoadedPrices
from catalystlab.engine.backtest import BacktestResult, Costs, run_backtest
from catalystlab.errors import BadInputError
from catalystlab.pit import SignalInputs
from catalystlab.plan import StrategyPlan, plan_call_legs, plan_strategies, plan_strategy
from catalystlab.progress import Progress, SilentProgress
from catalystlab.signal_data import load_signal_data
from catalystlab.stats.performance import headline_metrics
from strategies.base import ScheduleContext

# Calendar days loaded before the call date so that a session before the entry exists.
_CALL_LEAD = pd.Timedelta(days=10)


@dataclass(frozen=True, kw_only=True)
class StrategyRun:
    """One strategy's backtest over the run's calendar and its headline metrics."""

    plan: StrategyPlan
    result: BacktestResult
    metrics: dict[str, float]


@dataclass(frozen=True, kw_only=True)
class RunOutcome:
    """Everything a run computed; the input of the results writer and the reports."""

    config: RunConfig
    prices: AlignedPrices
    loaded: dict[str, LoadedPrices]
    calendar: pd.DatetimeIndex
    strategies: dict[str, StrategyRun]
    benchmark_returns: pd.Series  # buy-and-hold of config.benchmark, same entry and costs
    call: CallResult | None
    signals: pd.DataFrame
    signal_sources: dict[str, dict[str, object]] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default=())
    data_options: dict[str, Any] = field(default_factory=dict)


def run(config: RunConfig, *, data: DataOptions, progress: Progress | None = None) -> RunOutcome:
    """Run every strategy of ``config`` and the call test on the data ``data`` names."""
    progress = progress or SilentProgress()
    plans = plan_strategies(config)
    legs = plan_call_legs(config, plans) if config.call else {}
    tickers = [config.benchmark]
    for plan in [*plans, *legs.values()]:
        tickers.extend(plan.tickers)
    start = pd.Timestamp(config.start) if config.start else None
    end = pd.Timestamp(config.end) if config.end else None
    align_start = load_start = start
    if config.call and start is not None:
        first_call_day = pd.Timestamp((config.call.window or (config.call.call_date,))[0])
        align_start = min(start, first_call_day - _CALL_LEAD)
        load_start = min(align_start, pd.Timestamp(config.call.base_rate_start))
    source = data.price_source(progress.note)
    loaded = load_prices(tickers, source=source, start=load_start, end=end, progress=progress)
    if config.call:
        _check_call_date(config, loaded)
    prices = align_prices(loaded, start=align_start, end=end)
    for note in prices.notes:
        progress.note(note)
    calendar = prices.calendar if start is None else prices.calendar[prices.calendar >= start]
    if len(calendar) < 2:
        raise BadInputError(
            f"Only {len(calendar)} trading day(s) between the start and the end; widen the dates."
        )
    costs = Costs(commission=config.costs.commission, slippage=config.costs.slippage)
    signal_tickers = [
        ticker
        for plan in plans
        if plan.definition.signal_tickers is not None
        for ticker in plan.definition.signal_tickers(plan.params)
    ]
    inputs = SignalInputs(calendar=calendar, close=prices.close().loc[calendar])
    signal_sources: dict[str, dict[str, object]] = {}
    if signal_tickers:
        signal_data = load_signal_data(config.signal_data, tickers=signal_tickers, data=data)
        inputs = SignalInputs(
            calendar=calendar,
            close=inputs.close,
            fundamentals=signal_data.fundamentals,
            events=signal_data.events,
        )
        signal_sources = signal_data.sources
    context = ScheduleContext(inputs=inputs)
    runs: dict[str, StrategyRun] = {}
    for plan in progress.track(plans, description="Backtesting", total=len(plans)):
        context.owner = plan.id
        result = _backtest(plan, context, prices, config.cash, costs)
        runs[plan.id] = StrategyRun(
            plan=plan, result=result, metrics=headline_metrics(result.returns)
        )
    benchmark_plan = plan_strategy(
        StrategyConfig(id=config.benchmark.lower(), kind="buy_and_hold", ticker=config.benchmark)
    )
    benchmark_returns = _backtest(benchmark_plan, context, prices, config.cash, costs).returns
    call = (
        _evaluate_call(config, legs, prices, loaded, calendar, costs, progress)
        if config.call
        else None
    )
    signals = pd.DataFrame(context.signals, index=calendar)
    return RunOutcome(
        config=config,
        prices=prices,
        loaded=loaded,
        calendar=calendar,
        strategies=runs,
        benchmark_returns=benchmark_returns.rename(config.benchmark),
        call=call,
        signals=signals,
        signal_sources=signal_sources,
        notes=tuple(getattr(progress, "notes", ())),
        data_options={
            "data_dir": str(data.data_dir) if data.data_dir else None,
            "offline": data.offline,
            "refresh": data.refresh,
        },
    )


def _backtest(
    plan: StrategyPlan,
    context: ScheduleContext,
    prices: AlignedPrices,
    cash: float,
    costs: Costs,
) -> BacktestResult:
    schedule = plan.definition.build(context, plan.params)
    return run_backtest(
        schedule=schedule, prices=prices.frames, cash=cash, costs=costs, name=plan.id
    )


def _check_call_date(config: RunConfig, loaded: dict[str, LoadedPrices]) -> None:
    assert config.call is not None
    first = loaded[config.call.ticker].first_date
    if pd.Timestamp(config.call.date) <= first:
        raise BadInputError(
            f"call.date {config.call.date} is not after {config.call.ticker}'s first price "
            f"({first.date()}): a call can only be tested on a ticker that was trading."
        )


def _evaluate_call(
    config: RunConfig,
    legs: dict[str, StrategyPlan],
    prices: AlignedPrices,
    loaded: dict[str, LoadedPrices],
    calendar: pd.DatetimeIndex,
    costs: Costs,
    progress: Progress,
) -> CallResult:
    assert config.call is not None
    ticker = config.call.ticker
    timing = call_timing(prices.calendar, pd.Timestamp(config.call.date))
    if not timing.evaluable:
        progress.note(f"Call not evaluated: {timing.reason}.")
        return CallResult(
            ticker=ticker, timing=timing, verdict=f"The call cannot be evaluated: {timing.reason}."
        )
    labels = {name: plan.label for name, plan in legs.items()}
    after = prices.calendar[prices.calendar >= timing.decision_day]
    before = calendar[calendar <= timing.decision_day]
    oos = _leg_equity(legs, after, prices, config.cash, costs, progress, "Call, out of sample")
    uncertainty = assess_call(config.call, legs=legs, loaded=loaded, end_day=timing.end_day)
    for note in uncertainty.notes:
        progress.note(note)
    result = CallResult(
        ticker=ticker,
        timing=timing,
        equity=pd.DataFrame(oos),
        out_of_sample=leg_metrics(oos, ticker),
        in_sample=(
            leg_metrics(
                _leg_equity(legs, before, prices, config.cash, costs, progress, "Call, in sample"),
                ticker,
            )
            if len(before) > 2
            else pd.DataFrame()
        ),
        horizons=with_horizon_percentiles(
            horizon_table(
                oos, call_id=ticker, entry_day=timing.entry_day, months=config.call.horizons_months
            ),
            uncertainty.horizons,
        ),
        excess_interval=excess_interval(oos, call_id=ticker),
        uncertainty=uncertainty,
    )
    return CallResult(**{**result.__dict__, "verdict": verdict_text(result, labels)})


def _leg_equity(
    legs: dict[str, StrategyPlan],
    calendar: pd.DatetimeIndex,
    prices: AlignedPrices,
    cash: float,
    costs: Costs,
    progress: Progress,
    description: str,
) -> dict[str, pd.Series]:
    context = ScheduleContext(
        inputs=SignalInputs(calendar=calendar, close=prices.close().loc[calendar])
    )
    return {
        name: _backtest(plan, context, prices, cash, costs).equity.rename(name)
        for name, plan in progress.track(
            list(legs.items()), description=description, total=len(legs)
        )
    }
