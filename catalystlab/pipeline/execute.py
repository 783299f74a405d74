"""One run from config to numbers: load, align, build schedules, backtest, evaluate the call.

Nothing here writes files or prints; :mod:`catalystlab.report.write` and the reports do that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd

from catalystlab.analysis.audit import audit_claims, load_claims
from catalystlab.analysis.call.legs import CallResult
from catalystlab.config import RunConfig, StrategyConfig
from catalystlab.core.errors import BadInputError
from catalystlab.core.pit import SignalInputs
from catalystlab.core.progress import Progress, SilentProgress
from catalystlab.core.tickers import is_price_index, ticker_slug
from catalystlab.engine.backtest import BacktestResult, Costs
from catalystlab.inputs.events import load_events
from catalystlab.inputs.options import DataOptions, load_prices
from catalystlab.inputs.prices.align import align_prices
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.call import call_answer, complete_call
from catalystlab.pipeline.data_check import enforce, missing_signal_data, without_data
from catalystlab.pipeline.outcome import EventsOutcome, RunOutcome, StrategyRun
from catalystlab.pipeline.plan import (
    StrategyPlan,
    backtest_plan,
    plan_call_legs,
    plan_strategies,
    plan_strategy,
)
from catalystlab.pipeline.ranking import compare_run
from catalystlab.pipeline.signal_data import (
    SignalData,
    configured_event_paths,
    describe_table,
    load_signal_data,
    restated_values_note,
)
from catalystlab.pipeline.study import study_events
from strategies.base import ScheduleContext

# Calendar days loaded before the call date so that a session before the entry exists.
_CALL_LEAD = pd.Timedelta(days=10)
# Prices loaded from here when there is an event study: its market model needs 250 sessions
# before the first event.
_STUDY_HISTORY_START = pd.Timestamp("2010-01-01")


def run(
    config: RunConfig,
    *,
    data: DataOptions,
    progress: Progress | None = None,
    on_backtest: Callable[[StrategyRun, pd.Series], None] | None = None,
    on_call: Callable[[CallResult], None] | None = None,
) -> RunOutcome:
    """Run every strategy of ``config``, the comparison, the call test and the event study
    on the data ``data`` names. ``on_backtest(run, benchmark returns)`` is called as soon
    as each strategy's backtest is done (the benchmark's daily returns, fractions, named by
    its ticker), while the rest is still to be computed; ``on_call(call)`` as soon as the
    call's answer is known (:func:`~catalystlab.pipeline.call.call_answer`: the in-sample
    table, horizons, uncertainty and short position are the outcome's ``call``), before the
    signal data are loaded and the strategies backtested."""
    progress = progress or SilentProgress()
    plans = plan_strategies(config)
    legs = plan_call_legs(config, plans) if config.call else {}
    run_tickers = config_tickers(config, [*plans, *legs.values()])
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
        [*run_tickers, *study_tickers],
        source=source,
        start=load_start,
        end=end,
        progress=progress,
        end_origin=config.origin("end"),
    )
    if config.call:
        _check_call_date(config, loaded)
    index_note = price_index_note(run_tickers)
    if index_note:
        progress.note(index_note)
    prices = align_prices({t: loaded[t] for t in run_tickers}, start=align_start, end=end)
    for note in prices.notes:
        progress.note(note)
    calendar = prices.calendar if start is None else prices.calendar[prices.calendar >= start]
    if start is None and len(calendar):
        progress.note(
            f"The config has no start: the run starts on {calendar[0].date()}, the first date "
            "on which every ticker of the run has a price; set start: YYYY-MM-DD to choose."
        )
    if len(calendar) < 2:
        raise BadInputError(
            f"Only {len(calendar)} trading day(s) between the start and the end; widen the dates."
        )
    costs = Costs(commission=config.costs.commission, slippage=config.costs.slippage)
    # The call's answer first, printed while everything else is loaded and computed.
    answer = (
        call_answer(config, legs=legs, prices=prices, costs=costs, progress=progress)
        if config.call
        else None
    )
    if answer is not None and on_call is not None:
        on_call(answer)
    tables = _signal_data(config, plans, data, progress)
    missing = (
        missing_signal_data(plans, fundamentals=tables.fundamentals, events=tables.events)
        if tables is not None
        else []
    )
    for warning in enforce(missing, allow=config.allow_missing_data):
        progress.note(warning)
    inputs = SignalInputs(
        calendar=calendar,
        close=prices.close().loc[calendar],
        **({"fundamentals": tables.fundamentals, "events": tables.events} if tables else {}),
    )
    context = ScheduleContext(inputs=inputs)
    full_run = _FullRuns(context, prices.frames, cash=config.cash, costs=costs)
    benchmark_plan = plan_strategy(
        StrategyConfig(
            id=ticker_slug(config.benchmark), kind="buy_and_hold", ticker=config.benchmark
        )
    )
    context.owner = benchmark_plan.id
    call = (
        complete_call(
            answer,
            config,
            legs=legs,
            prices=prices,
            loaded=loaded,
            calendar=calendar,
            costs=costs,
            full_run=full_run,
            progress=progress,
        )
        if answer is not None
        else None
    )
    benchmark_returns = full_run(benchmark_plan).returns.rename(config.benchmark)
    runs: dict[str, StrategyRun] = {}
    for plan in progress.track(plans, description="Backtesting", total=len(plans)):
        context.owner = plan.id
        runs[plan.id] = StrategyRun(plan=plan, result=full_run(plan))
        if on_backtest is not None:
            on_backtest(runs[plan.id], benchmark_returns)
    comparison = compare_run(
        config,
        plans=plans,
        returns={sid: r.result.returns for sid, r in runs.items()},
        benchmark_returns=benchmark_returns,
        without_data=without_data(missing),
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
        benchmark_returns=benchmark_returns,
        comparison=comparison,
        call=call,
        event_study=event_study,
        audit=audit,
        signals=pd.DataFrame(context.signals, index=calendar),
        signal_sources=tables.sources if tables is not None else {},
        notes=tuple(progress.notes),
        data_options=_data_options(data),
    )


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
        end_origin=config.origin("end"),
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


def config_tickers(config: RunConfig, plans: list[StrategyPlan]) -> list[str]:
    """The benchmark and every ticker the plans trade (the run's shared calendar), once each."""
    tickers = [config.benchmark]
    for plan in plans:
        tickers.extend(plan.tickers)
    return list(dict.fromkeys(tickers))


def price_index_note(tickers: list[str]) -> str | None:
    """A note when a price-only index (``^GSPC``) is compared with tickers whose prices are
    total return: the index leaves out dividends, so it trails them by its dividend yield."""
    indexes = sorted({t for t in tickers if is_price_index(t)})
    others = sorted({t for t in tickers if not is_price_index(t)})
    if not indexes or not others:
        return None
    return (
        f"{', '.join(indexes)} is a price index: its level leaves out dividends, while "
        f"{', '.join(others)} are total-return prices (dividends reinvested), so a comparison "
        "flatters the index's rivals by its dividend yield (about 1-2% a year for ^GSPC); "
        "compare with a total-return ETF such as SPY for a like-for-like test."
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


def _check_call_date(config: RunConfig, loaded: dict[str, LoadedPrices]) -> None:
    assert config.call is not None
    first = loaded[config.call.ticker].first_date
    if pd.Timestamp(config.call.date) <= first:
        raise BadInputError(
            f"call.date {config.call.date} is not after {config.call.ticker}'s first price "
            f"({first.date()}): a call can only be tested on a ticker that was trading."
        )


class _FullRuns:
    """Backtests over the run's whole calendar, one per distinct plan (kind and parameters):
    a call leg or the benchmark that equals a configured strategy reuses its run."""

    def __init__(
        self,
        context: ScheduleContext,
        frames: dict[str, pd.DataFrame],
        *,
        cash: float,
        costs: Costs,
    ) -> None:
        self._context = context
        self._frames = frames
        self._cash = cash
        self._costs = costs
        self._done: dict[tuple[str, str], BacktestResult] = {}

    def __call__(self, plan: StrategyPlan) -> BacktestResult:
        key = (plan.definition.name, repr(plan.params))
        if key not in self._done:
            self._done[key] = backtest_plan(
                plan, self._context, self._frames, cash=self._cash, costs=self._costs
            )
        result = self._done[key]
        return replace(result, equity=result.equity.rename(plan.id))
