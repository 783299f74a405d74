"""The call under uncertainty: the publication-window band, the entry convention, and base
rates of the call's excess return (see :mod:`catalystlab.analysis.call`).

These numbers are frictionless holding returns computed from prices (entry price under the
configured convention, exit at the close of the run's last day); the engine's out-of-sample
table beside them includes fills and costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from catalystlab.analysis.call.band import WindowBand, window_band
from catalystlab.analysis.call.base_rate import BaseRate, base_rate
from catalystlab.analysis.call.conventions import EntryConvention
from catalystlab.analysis.call.horizons import HorizonRow, horizon_base_rates
from catalystlab.analysis.call.stance import Stance
from catalystlab.core.errors import BadInputError


@dataclass(frozen=True, kw_only=True)
class CallUncertainty:
    """The band over the publication window, and base rates per benchmark and horizon."""

    convention: EntryConvention
    band: WindowBand
    base_rates: dict[str, BaseRate]
    horizons: tuple[HorizonRow, ...]
    notes: tuple[str, ...]


def assess_call(
    priced: dict[str, pd.DataFrame | pd.Series],
    *,
    ticker: str,
    benchmarks: list[str],
    window: tuple[pd.Timestamp, pd.Timestamp],
    call_date: pd.Timestamp,
    end_day: pd.Timestamp,
    convention: EntryConvention,
    horizons_months: tuple[int, ...],
    history_start: pd.Timestamp,
    stance: Stance = Stance.BUY,
) -> CallUncertainty:
    """Band, base rates and horizon percentiles of the call on ``ticker`` against each of
    ``benchmarks``.

    ``priced`` maps the ticker and each benchmark to a price frame on the ticker's calendar
    (``Open``/``Close``...) or to a total-return index series (a basket), up to ``end_day``.
    ``window`` is the first and last day the call may have become public. A base rate that
    cannot be computed (too little history) becomes a note, not an error.
    """
    band = window_band(
        priced,
        ticker=ticker,
        benchmarks=benchmarks,
        first=window[0],
        last=window[1],
        end=end_day,
        convention=convention,
        stance=stance,
    )
    notes = list(band.notes)
    rates: dict[str, BaseRate] = {}
    for name in benchmarks:
        try:
            rates[name] = base_rate(
                priced,
                ticker=ticker,
                benchmark=name,
                entry_day=call_date,
                end=end_day,
                convention=convention,
                history_start=history_start,
                stance=stance,
            )
        except BadInputError as error:
            notes.append(f"No base rate against {name}: {error}")
    try:
        horizons = horizon_base_rates(
            priced,
            ticker=ticker,
            benchmarks=benchmarks,
            entry_day=call_date,
            convention=convention,
            months=horizons_months,
            history_start=history_start,
            stance=stance,
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


def with_horizon_percentiles(table: pd.DataFrame, rows: tuple[HorizonRow, ...]) -> pd.DataFrame:
    """The horizon table (index ``<N>m``) with a ``percentile:<benchmark>`` column per
    benchmark: the base-rate percentile of the call's excess at that horizon (fraction)."""
    table = table.copy()
    for row in rows:
        if row.base is not None:
            table.loc[f"{row.months}m", f"percentile:{row.benchmark}"] = row.base.percentile
    return table
