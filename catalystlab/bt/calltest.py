"""The ``CallTest`` analyzer's numbers: the call tested on the cerebro's own datas by the
pipeline's call test (:func:`catalystlab.pipeline.call.evaluate_call`), as ``run`` tests it,
and the user's strategy over the same dates beside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from catalystlab.analysis.call.legs import CallResult
from catalystlab.bt.record import CerebroRecord
from catalystlab.config import RunConfig, load_config
from catalystlab.core.dates import user_date
from catalystlab.core.errors import BadInputError
from catalystlab.core.hashing import frame_sha256
from catalystlab.core.jsonable import number
from catalystlab.core.pit import SignalInputs
from catalystlab.core.progress import SilentProgress
from catalystlab.engine.backtest import BacktestResult, Costs
from catalystlab.inputs.prices.align import align_prices
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.call import evaluate_call
from catalystlab.pipeline.plan import StrategyPlan, backtest_plan, plan_call_legs
from catalystlab.report.summary import jsonable
from strategies.base import ScheduleContext

_WHO = "CallTest"
# The last call evaluated, by its config and its legs' price digests.
_EVALUATED: dict[tuple[str, tuple[tuple[str, str], ...]], CallResult] = {}


def call_config(
    record: CerebroRecord,
    *,
    ticker: str,
    benchmarks: Sequence[str],
    date: dt.date | str | None = None,
    window: tuple[dt.date | str, dt.date | str] | None = None,
    stance: str = "buy",
    entry: str = "next_open",
    horizons_months: Sequence[int] = (1, 3, 6, 12),
    borrow_fee: float = 0.003,
    base_rate_start: dt.date | str = "2010-01-01",
    seed: int = 20250801,
    reps: int = 1000,
    confidence: float = 0.95,
) -> RunConfig:
    """The call as the run's config would state it, with the broker's cash and costs; a
    problem is a BadInputError naming the analyzer's parameter."""
    if not benchmarks:
        raise BadInputError(f"{_WHO}: give benchmarks=[...], the datas the call is tested on.")
    date = user_date(date, f"{_WHO}: date")
    base_rate_start = user_date(base_rate_start, f"{_WHO}: base_rate_start")
    if window is not None:
        window = tuple(user_date(day, f"{_WHO}: window") for day in window)
    call: dict[str, Any] = {
        "ticker": ticker,
        "stance": stance,
        "entry": entry,
        "borrow_fee": borrow_fee,
        "benchmarks": list(benchmarks),
        "horizons_months": list(horizons_months),
        "base_rate_start": base_rate_start,
    }
    if date is not None:
        call["date"] = date
    if window is not None:
        call["window"] = list(window)
    try:
        return load_config(
            {
                "name": "cerebro",
                "cash": record.start_value,
                "costs": {"commission": record.costs.commission, "slippage": record.costs.slippage},
                "benchmark": benchmarks[0],
                "call": call,
                "seed": seed,
                "statistics": {"bootstrap_reps": reps, "confidence": confidence},
            }
        )
    except BadInputError as error:
        message = str(error).removeprefix("the config mapping: ").replace("call.", "")
        raise BadInputError(f"{_WHO}: {message}") from None


def evaluate(record: CerebroRecord, config: RunConfig) -> CallResult:
    """The call of ``config`` on the datas of ``record``: each leg bought at the entry with
    the broker's costs and held to the last bar, with horizons, band and base rates. The
    variants of an ``optstrategy`` sweep (same call, costs and prices) share one evaluation."""
    assert config.call is not None
    legs = plan_call_legs(config, [])
    loaded = {
        name: LoadedPrices(
            ticker=name,
            frame=frame,
            source="backtrader data",
            sha256=frame_sha256(frame),
        )
        for name in legs
        for frame in [record.price_frame(name, who=_WHO)]
    }
    key = (config.model_dump_json(), tuple((n, p.sha256) for n, p in loaded.items()))
    if key not in _EVALUATED:
        _EVALUATED.clear()  # one call at a time: the variants of one sweep share it
        _EVALUATED[key] = _evaluate(config, legs, loaded)
    return _EVALUATED[key]


def _evaluate(
    config: RunConfig, legs: dict[str, StrategyPlan], loaded: dict[str, LoadedPrices]
) -> CallResult:
    assert config.call is not None
    prices = align_prices(loaded, start=None, end=None)
    call_day = pd.Timestamp(config.call.call_date)
    first, last = prices.calendar[0], prices.calendar[-1]
    if not first < call_day <= last:
        raise BadInputError(
            f"{_WHO}: the call date {call_day.date()} is outside the data ({first.date()} to "
            f"{last.date()}: a close before the entry is needed); load data that cover it or "
            "give a date inside them."
        )
    close = prices.close()

    def full_run(plan: StrategyPlan) -> BacktestResult:
        context = ScheduleContext(inputs=SignalInputs(calendar=prices.calendar, close=close))
        return backtest_plan(plan, context, prices.frames, cash=config.cash, costs=_costs(config))

    return evaluate_call(
        config,
        legs=legs,
        prices=prices,
        loaded=loaded,
        calendar=prices.calendar,
        costs=_costs(config),
        full_run=full_run,
        progress=SilentProgress(),
    )


def call_analysis(result: CallResult, record: CerebroRecord) -> dict[str, Any]:
    """``CallTest.get_analysis()``: plain numbers (fractions, ISO dates) of the call and of
    the user's strategy from the call's decision close to the last day."""
    timing = result.timing
    oos = result.out_of_sample
    legs = {name: number(value) for name, value in oos["total_return"].items()}
    excess = {
        name: number(value)
        for name, value in oos["excess_total_return"].items()
        if name != result.ticker
    }
    values = record.values
    held = values.loc[timing.decision_day : timing.end_day]
    mine = float(held.iloc[-1] / held.iloc[0] - 1.0) if len(held) > 1 else float("nan")
    uncertainty = result.uncertainty
    # The call's own position: the stock bought, or for a sell call its short (costs and fee).
    call = result.short.total_return if result.short is not None else legs[result.ticker]
    return jsonable(
        {
            "ticker": result.ticker,
            "stance": result.stance.value,
            "excess_definition": result.stance.excess_definition,
            "call_date": timing.call_date,
            "decision_day": timing.decision_day,
            "entry_day": timing.entry_day,
            "end_day": timing.end_day,
            "legs": legs,
            "excess": excess,
            "horizons": result.horizons.drop(columns=["months"]).T.to_dict(),
            "excess_interval": result.excess_interval,
            "band": uncertainty.band.to_dict() if uncertainty else None,
            "base_rates": (
                {k: v.to_dict() for k, v in uncertainty.base_rates.items()} if uncertainty else {}
            ),
            "short_position": result.short.to_dict() if result.short is not None else None,
            "strategy": {
                "label": record.label,
                "total_return": mine,
                "minus_call": mine - call,
                "minus_leg": {name: mine - value for name, value in legs.items()},
            },
            "notes": list(uncertainty.notes) if uncertainty else [],
        }
    )


def _costs(config: RunConfig) -> Costs:
    return Costs(commission=config.costs.commission, slippage=config.costs.slippage)
