"""One run from config to numbers: load, align, build schedules, backtest, evaluate the call.

Nothing here writes files or prints; :mod:`catalystlab.results` and the reports do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from catalystlab.audit import audit_claims, load_claims
from catalystlab.call import (
    CallResult,
    call_timing,
    excess_interval,
    horizon_table,
    leg_metrics,
    verdict_text,
)
from catalystlab.call_uncertainty import assess_call, with_horizon_percentiles
from catalystlab.comparison_run import RunComparison, compare_run
from catalystlab.config import RunConfig, StrategyConfig
from catalystlab.data.align import AlignedPrices, align_prices
from catalystlab.data.options import DataOptions, load_prices
from catalystlab.data.prices import LoadedPrices
from catalystlab.engine.backtest import BacktestResult, Costs, run_backtest
from catalystlab.errors import BadInputError
from catalystlab.event_run import EventStudyRun, study_events
from catalystlab.events import load_events
from catalystlab.pit import SignalInputs
from catalystlab.plan import StrategyPlan, plan_call_legs, plan_strategies, plan_strategy
from catalystlab.progress import Progress, SilentProgress
from catalystlab.signal_data import (
    SignalData,
    configured_event_paths,
    describe_table,
    load_signal_data,
    restated_values_note,
)
from strategies.base import ScheduleContext

# Calendar days loaded before the call date so that a session before the entry exists.
_CALL_LEAD = pd.Timedelta(days=10)
# Prices loaded from here when there is an event study: its market model needs 250 sessions
# before the first event.
_STUDY_HISTORY_START = pd.Timestamp("2010-01-01")


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


def run(config: RunConfig, *, data: DataOptions, progress: Progress | None = None) -> RunOutcome:
    """Run every strategy of ``config``, the comparison, the call test and the event study
    on the data ``data`` names."""
    progress = progress or SilentProgress()
    plans = plan_strategies(config)
    legs = plan_call_legs(config, plans) if config.call else {}
    run_tickers = [config.benchmark]
    for plan in [*plans, *legs.values()]:
        run_tickers.extend(plan.tickers)
    study = config.event_study
    study_tickers = [*study.tickers, study.market] if study else []
    start = pd.Timestamp(config.start) if config.start else None
    end = pd.Timestamp(config.end) if config.end else None
    align_start = load_start = start
    if config.call and start is not None:
        first_call_day = pd.Timestamp((config.call.window or (config.call.call_date,))[0])
        align_start = min(start, first_call_day - _CALL_LEAD)
        load_start = min(align_start, pd.Timestamp(config.call.base_rate_start))
    if study and load_start is not None:
        load_start = min(load_start, _STUDY_HISTORY_START)
    source = data.price_source(progress.note)
    loaded = load_prices(
        [*run_tickers, *study_tickers], source=source, start=load_start, end=end, progress=progress
    )
    if config.call:
        _check_call_date(config, loaded)
    prices = align_prices({t: loaded[t] for t in run_tickers}, start=align_start, end=end)
    for note in prices.notes:
        progress.note(note)
    calendar = prices.calendar if start is None else prices.calendar[prices.calendar >= start]
    if len(calendar) < 2:
        raise BadInputError(
            f"Only {len(calendar)} trading day(s) between the start and the end; widen the dates."
        )
    costs = Costs(commission=config.costs.commission, slippage=config.costs.slippage)
    tables = _signal_data(config, plans, data, progress)
    inputs = SignalInputs(
        calendar=calendar,
        close=prices.close().loc[calendar],
        **({"fundamentals": tables.fundamentals, "events": tables.events} if tables else {}),
    )
    context = ScheduleContext(inputs=inputs)
    runs: dict[str, StrategyRun] = {}
    for plan in progress.track(plans, description="Backtesting", total=len(plans)):
        context.owner = plan.id
        runs[plan.id] = StrategyRun(
            plan=plan, result=_backtest(plan, context, prices, config.cash, costs)
        )
    benchmark_plan = plan_strategy(
        StrategyConfig(id=config.benchmark.lower(), kind="buy_and_hold", ticker=config.benchmark)
    )
    benchmark_returns = _backtest(benchmark_plan, context, prices, config.cash, costs).returns
    comparison = compare_run(
        config,
        plans=plans,
        returns={sid: r.result.returns for sid, r in runs.items()},
        benchmark_returns=benchmark_returns,
    )
    call = (
        _evaluate_call(config, legs, prices, loaded, calendar, costs, progress)
        if config.call
        else None
    )
    event_study = (
        study_events(study, events=tables.events, loaded=loaded, seed=config.seed)
        if study and tables is not None
        else None
    )
    audit = (
        audit_claims(
            load_claims(config.claims),
            fundamentals=tables.fundamentals,
            events=tables.events,
            as_of=_audit_date(config, end),
        )
        if config.claims is not None and tables is not None
        else None
    )
    return RunOutcome(
        config=config,
        prices=prices,
        loaded=loaded,
        calendar=calendar,
        strategies=runs,
        benchmark_returns=benchmark_returns.rename(config.benchmark),
        comparison=comparison,
        call=call,
        event_study=event_study,
        audit=audit,
        signals=pd.DataFrame(context.signals, index=calendar),
        signal_sources=tables.sources if tables is not None else {},
        notes=tuple(progress.notes),
        data_options=_data_options(data),
    )


@dataclass(frozen=True, kw_only=True)
class EventsOutcome:
    """An event study on its own (``runner.py events``) and the inputs it read."""

    config: RunConfig
    study: EventStudyRun
    loaded: dict[str, LoadedPrices]
    sources: dict[str, dict[str, object]]
    notes: tuple[str, ...]
    data_options: dict[str, Any]


def run_events(
    config: RunConfig, *, data: DataOptions, progress: Progress | None = None
) -> EventsOutcome:
    """The config's event study alone: prices of its companies and market, and the events
    whose ``event_date`` lies within the config's start and end (when given)."""
    progress = progress or SilentProgress()
    study = config.event_study
    if study is None:
        raise BadInputError(
            f"Config {config.name!r} has no event_study section; add one with at least "
            "'tickers' (see config/amazon_ai_call.yaml)."
        )
    start = pd.Timestamp(config.start) if config.start else None
    end = pd.Timestamp(config.end) if config.end else None
    loaded = load_prices(
        [*study.tickers, study.market],
        source=data.price_source(progress.note),
        start=_STUDY_HISTORY_START if start is None else min(start, _STUDY_HISTORY_START),
        end=end,
        progress=progress,
    )
    paths = configured_event_paths(config.signal_data)
    events = load_events(paths)
    dates = events["event_date"]
    inside = dates.between(start or dates.min(), end or dates.max())
    events = events[inside]
    return EventsOutcome(
        config=config,
        study=study_events(study, events=events, loaded=loaded, seed=config.seed),
        loaded=loaded,
        sources={"events": describe_table(events, "events csv", files=paths)},
        notes=tuple(progress.notes),
        data_options=_data_options(data),
    )


def _audit_date(config: RunConfig, end: pd.Timestamp | None) -> pd.Timestamp | None:
    """The claims are checked on what was known by ``claims_as_of`` and by the run's end."""
    dates = [d for d in (end, config.claims_as_of) if d is not None]
    return pd.Timestamp(min(pd.Timestamp(d) for d in dates)) if dates else None


def _data_options(data: DataOptions) -> dict[str, Any]:
    return {
        "data_dir": str(data.data_dir) if data.data_dir else None,
        "offline": data.offline,
        "refresh": data.refresh,
    }


def _signal_data(
    config: RunConfig, plans: list[StrategyPlan], data: DataOptions, progress: Progress
) -> SignalData | None:
    """Fundamentals and events, loaded only when a signal, the event study or the claims
    audit needs them; fundamentals of the signals' tickers and the call's ticker."""
    tickers = [
        ticker
        for plan in plans
        if plan.definition.signal_tickers is not None
        for ticker in plan.definition.signal_tickers(plan.params)
    ]
    if not (tickers or config.event_study or config.claims):
        return None
    if config.call is not None:
        tickers.append(config.call.ticker)
    tables = load_signal_data(config.signal_data, tickers=tickers, data=data)
    note = restated_values_note(tables.fundamentals)
    if note:
        progress.note(note)
    return tables


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
        excess_interval=excess_interval(
            oos,
            call_id=ticker,
            seed=config.seed,
            reps=config.statistics.bootstrap_reps,
            level=config.statistics.confidence,
        ),
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
