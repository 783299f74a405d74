"""The call test of a run: each leg backtested once from the call's entry, the in-sample
context read off the run's full-calendar backtests, and the call's uncertainty measured on
the legs' prices (see :mod:`catalystlab.analysis.call`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from catalystlab.analysis.call.assess import (
    CallUncertainty,
    assess_call,
    with_horizon_percentiles,
)
from catalystlab.analysis.call.conventions import parse_convention
from catalystlab.analysis.call.fills import sold_value
from catalystlab.analysis.call.legs import CallResult, excess_interval, horizon_table, leg_metrics
from catalystlab.analysis.call.short import short_position
from catalystlab.analysis.call.stance import Stance, parse_stance
from catalystlab.analysis.call.timing import call_timing
from catalystlab.config import CallConfig, RunConfig
from catalystlab.core.pit import SignalInputs
from catalystlab.core.progress import Progress
from catalystlab.engine.backtest import BacktestResult, Costs
from catalystlab.engine.vectorised import run_vectorised
from catalystlab.inputs.prices.align import AlignedPrices, align_prices
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.plan import StrategyPlan, backtest_plan
from strategies.base import ScheduleContext

# The backtest of a plan over the run's whole calendar (shared with the strategies' runs).
FullRun = Callable[[StrategyPlan], BacktestResult]


def evaluate_call(
    config: RunConfig,
    *,
    legs: dict[str, StrategyPlan],
    prices: AlignedPrices,
    loaded: dict[str, LoadedPrices],
    calendar: pd.DatetimeIndex,
    costs: Costs,
    full_run: FullRun,
    progress: Progress,
) -> CallResult:
    """The whole call test: :func:`call_answer` (out of sample, the excess intervals), then
    :func:`complete_call` (in sample, horizons, uncertainty, a sell call's short)."""
    answer = call_answer(config, legs=legs, prices=prices, costs=costs, progress=progress)
    return complete_call(
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


def call_answer(
    config: RunConfig,
    *,
    legs: dict[str, StrategyPlan],
    prices: AlignedPrices,
    costs: Costs,
    progress: Progress,
) -> CallResult:
    """The call's answer, what its headline says: each leg's out-of-sample run, its metrics
    and the bootstrap interval of the call's excess over it; :func:`complete_call` adds the
    rest. Out of sample: each leg bought at the entry open with the run's costs, held to the
    last date; its value at each close is what selling it there would bring
    (:func:`~catalystlab.analysis.call.fills.sold_value`), so every return of the call is a
    realised trade's."""
    assert config.call is not None
    ticker = config.call.ticker
    stance = parse_stance(config.call.stance)
    labels = {name: plan.label for name, plan in legs.items()}
    timing = call_timing(prices.calendar, pd.Timestamp(config.call.date))
    if not timing.evaluable:
        progress.note(f"Call not evaluated: {timing.reason}.")
        return CallResult(ticker=ticker, timing=timing, labels=labels, stance=stance)
    after = prices.calendar[prices.calendar >= timing.decision_day]
    context = ScheduleContext(inputs=SignalInputs(calendar=after, close=prices.close().loc[after]))
    oos = {
        name: sold_value(
            backtest_plan(plan, context, prices.frames, cash=config.cash, costs=costs),
            prices.frames,
            costs,
        ).rename(name)
        for name, plan in progress.track(
            list(legs.items()), description="Call, out of sample", total=len(legs)
        )
    }
    return CallResult(
        ticker=ticker,
        timing=timing,
        labels=labels,
        equity=pd.DataFrame(oos),
        out_of_sample=leg_metrics(oos, ticker, stance),
        excess_interval=excess_interval(
            oos,
            call_id=ticker,
            seed=config.seed,
            reps=config.statistics.bootstrap_reps,
            level=config.statistics.confidence,
            stance=stance,
            min_block=config.statistics.min_block_days,
        ),
        stance=stance,
    )


def complete_call(
    answer: CallResult,
    config: RunConfig,
    *,
    legs: dict[str, StrategyPlan],
    prices: AlignedPrices,
    loaded: dict[str, LoadedPrices],
    calendar: pd.DatetimeIndex,
    costs: Costs,
    full_run: FullRun,
    progress: Progress,
) -> CallResult:
    """``answer`` (:func:`call_answer`) with the in-sample leg metrics, horizons, uncertainty
    and a sell call's short position. In sample: the legs' full-calendar runs up to the
    decision close, valued as out of sample. A sell call's short pays its own costs
    (analysis/call/short.py)."""
    assert config.call is not None
    timing = answer.timing
    if not timing.evaluable:
        return answer
    ticker, stance = answer.ticker, answer.stance
    oos = {name: answer.equity[name] for name in legs}
    before = calendar[calendar <= timing.decision_day]
    in_sample = (
        leg_metrics(
            {
                name: sold_value(full_run(plan), prices.frames, costs).loc[before].rename(name)
                for name, plan in legs.items()
            },
            ticker,
            stance,
        )
        if len(before) > 2
        else pd.DataFrame()
    )
    uncertainty = _uncertainty(config.call, legs=legs, loaded=loaded, end_day=timing.end_day)
    for note in uncertainty.notes:
        progress.note(note)
    return replace(
        answer,
        in_sample=in_sample,
        horizons=with_horizon_percentiles(
            horizon_table(
                oos,
                call_id=ticker,
                entry_day=timing.entry_day,
                months=config.call.horizons_months,
                stance=stance,
            ),
            uncertainty.horizons,
        ),
        uncertainty=uncertainty,
        short=short_position(
            prices.frames[ticker],
            entry_day=timing.entry_day,
            exit_day=timing.end_day,
            costs=costs,
            borrow_fee=config.call.borrow_fee,
        )
        if stance is Stance.SELL
        else None,
    )


def _uncertainty(
    call: CallConfig,
    *,
    legs: dict[str, StrategyPlan],
    loaded: dict[str, LoadedPrices],
    end_day: pd.Timestamp,
) -> CallUncertainty:
    """Band, base rates and horizon percentiles against each leg. A ticker leg uses its own
    prices on the called ticker's calendar; any other leg (a basket) is an index: its
    frictionless equity since ``base_rate_start``."""
    ticker = call.ticker
    own = loaded[ticker].frame.loc[:end_day]
    priced: dict[str, pd.DataFrame | pd.Series] = {ticker: own}
    history_start = pd.Timestamp(call.base_rate_start)
    for name, plan in legs.items():
        if name == ticker:
            continue
        if plan.definition.name == "buy_and_hold":
            frame = loaded[plan.params.ticker].frame
            priced[name] = frame.loc[frame.index.isin(own.index)]
        else:
            priced[name] = _index_series(plan, loaded, ticker, history_start, end_day)
    first, last = call.window or (call.call_date, call.call_date)
    return assess_call(
        priced,
        ticker=ticker,
        benchmarks=[name for name in legs if name != ticker],
        window=(pd.Timestamp(first), pd.Timestamp(last)),
        call_date=pd.Timestamp(call.call_date),
        end_day=end_day,
        convention=parse_convention(call.entry),
        horizons_months=call.horizons_months,
        history_start=history_start,
        stance=parse_stance(call.stance),
    )


def _index_series(
    plan: StrategyPlan,
    loaded: dict[str, LoadedPrices],
    ticker: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.Series:
    """The strategy's value at each close, without costs, on the common days of its tickers
    and the called ticker, from ``start`` (or the first common day) to ``end``.

    A reference series for the base rates, not a reported strategy: it runs in the
    vectorised engine, whose equity equals backtrader's to the bit without costs
    (``tests/unit/test_engine_vectorised.py``), in a fraction of the time."""
    needed = {t: loaded[t] for t in (ticker, *plan.tickers)}
    aligned = align_prices(needed, start=start, end=end)
    context = ScheduleContext(inputs=SignalInputs(calendar=aligned.calendar, close=aligned.close()))
    schedule = plan.definition.build(context, plan.params)
    return run_vectorised(
        schedule=schedule, prices=aligned.frames, cash=1.0, costs=Costs(), name=plan.id
    ).equity
