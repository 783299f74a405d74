"""The call under uncertainty, on the run's data: the publication-window band, the entry
convention, and base rates of the call's excess return (see :mod:`catalystlab.callwindow`).

These numbers are frictionless holding returns computed from prices (entry price under the
configured convention, exit at the close of the run's last day); the engine's out-of-sample
table beside them includes fills and costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.callwindow import (
    BaseRate,
    EntryConvention,
    HorizonRow,
    WindowBand,
    base_rate,
    horizon_base_rates,
    parse_convention,
    window_band,
)
from catalystlab.config import CallConfig
from catalystlab.data.align import align_prices
from catalystlab.data.prices import LoadedPrices
from catalystlab.engine.backtest import Costs, run_backtest
from catalystlab.errors import BadInputError
from catalystlab.pit import SignalInputs
from catalystlab.plan import StrategyPlan
from strategies.base import ScheduleContext


@dataclass(frozen=True, kw_only=True)
class CallUncertainty:
    """The band over the publication window, and base rates per benchmark and horizon."""

    convention: EntryConvention
    band: WindowBand
    base_rates: dict[str, BaseRate]
    horizons: tuple[HorizonRow, ...]
    notes: tuple[str, ...]


def assess_call(
    call: CallConfig,
    *,
    legs: dict[str, StrategyPlan],
    loaded: dict[str, LoadedPrices],
    end_day: pd.Timestamp,
) -> CallUncertainty:
    """Band, base rates and horizon percentiles of ``call`` against each of its ``legs``.

    A ticker leg uses its own prices on the called ticker's calendar; any other leg (a basket)
    is an index: the engine's frictionless equity of that strategy since ``base_rate_start``.
    A base rate that cannot be computed (too little history) becomes a note, not an error.
    """
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
    benchmarks = [name for name in legs if name != ticker]
    convention = parse_convention(call.entry)
    first, last = call.window or (call.call_date, call.call_date)
    band = window_band(
        priced,
        ticker=ticker,
        benchmarks=benchmarks,
        first=first,
        last=last,
        end=end_day,
        convention=convention,
    )
    notes = list(band.notes)
    rates: dict[str, BaseRate] = {}
    for name in benchmarks:
        try:
            rates[name] = base_rate(
                priced,
                ticker=ticker,
                benchmark=name,
                entry_day=call.call_date,
                end=end_day,
                convention=convention,
                history_start=history_start,
            )
        except BadInputError as error:
            notes.append(f"No base rate against {name}: {error}")
    try:
        horizons = horizon_base_rates(
            priced,
            ticker=ticker,
            benchmarks=benchmarks,
            entry_day=call.call_date,
            convention=convention,
            months=call.horizons_months,
            history_start=history_start,
        )
    except BadInputError as error:
        horizons = ()
        notes.append(f"No base rates for the horizons: {error}")
    for rate in rates.values():
        notes.extend(rate.notes)
    return CallUncertainty(
        convention=convention,
        band=band,
        base_rates=rates,
        horizons=horizons,
        notes=tuple(dict.fromkeys(notes)),
    )


def _index_series(
    plan: StrategyPlan,
    loaded: dict[str, LoadedPrices],
    ticker: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.Series:
    """The strategy's value at each close, without costs, on the common days of its tickers
    and the called ticker, from ``start`` (or the first common day) to ``end``."""
    needed = {t: loaded[t] for t in (ticker, *plan.tickers)}
    aligned = align_prices(needed, start=start, end=end)
    context = ScheduleContext(inputs=SignalInputs(calendar=aligned.calendar, close=aligned.close()))
    schedule = plan.definition.build(context, plan.params)
    result = run_backtest(schedule=schedule, prices=aligned.frames, cash=1.0, costs=Costs())
    return result.equity.rename(plan.id)


def with_horizon_percentiles(table: pd.DataFrame, rows: tuple[HorizonRow, ...]) -> pd.DataFrame:
    """The horizon table (index ``<N>m``) with a ``percentile:<benchmark>`` column per
    benchmark: the base-rate percentile of the call's excess at that horizon (fraction)."""
    table = table.copy()
    for row in rows:
        if row.base is not None:
            table.loc[f"{row.months}m", f"percentile:{row.benchmark}"] = row.base.percentile
    return table


def band_table(uncertainty: CallUncertainty) -> pd.DataFrame:
    """Min / median / max of the ticker's return and of its excess over each benchmark."""
    band = uncertainty.band
    rows = {f"return of {band.ticker}": band.ticker_stats}
    rows.update({f"excess over {name}": stats for name, stats in band.excess_stats.items()})
    return pd.DataFrame(
        {
            label: {
                "min": stats.minimum,
                "median": stats.median,
                "max": stats.maximum,
                "min_day": stats.min_day.date(),
                "max_day": stats.max_day.date(),
            }
            for label, stats in rows.items()
        }
    ).T


def base_rate_table(uncertainty: CallUncertainty) -> pd.DataFrame:
    """Per benchmark: the call's excess, its percentile, and how many windows back it."""
    return pd.DataFrame(
        {
            name: {
                "call_excess": rate.call_excess,
                "percentile": rate.percentile,
                "windows": rate.n_windows,
                "non_overlapping": rate.n_non_overlapping,
                "first_start": rate.history.index[0].date(),
            }
            for name, rate in uncertainty.base_rates.items()
        }
    ).T
