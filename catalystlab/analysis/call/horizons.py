"""The call at fixed calendar horizons: excess return and base-rate percentile per benchmark.

A horizon of N months exits at the close of the last trading day on or before the entry day
plus N calendar months (``pd.DateOffset``: 31 January + 1 month = 28/29 February). A horizon
whose target date lies after the last price is not yet reached and is reported unavailable,
never computed on a shorter holding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import pandas as pd

from catalystlab.analysis.call.base_rate import (
    DEFAULT_HISTORY_START,
    BaseRate,
    session_base_rate,
)
from catalystlab.analysis.call.conventions import (
    DEFAULT_CONVENTION,
    EntryConvention,
    parse_convention,
)
from catalystlab.analysis.call.holding import Priced, quotes_on_calendar
from catalystlab.analysis.call.sessions import DateLike, as_day, entry_session, exit_session
from catalystlab.analysis.call.stance import Stance, parse_stance
from catalystlab.core.errors import BadInputError
from catalystlab.core.jsonable import day, number

DEFAULT_MONTHS: tuple[int, ...] = (1, 3, 6, 12)


@dataclass(frozen=True, kw_only=True)
class HorizonRow:
    """One horizon against one benchmark; ``base`` is None when the horizon is not reached."""

    months: int
    benchmark: str
    entry_day: pd.Timestamp
    target: pd.Timestamp
    base: BaseRate | None

    @property
    def available(self) -> bool:
        return self.base is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready row (fractions; ISO dates); values are None when not available."""
        row: dict[str, Any] = {
            "months": self.months,
            "benchmark": self.benchmark,
            "entry_day": day(self.entry_day),
            "target": day(self.target),
            "available": self.available,
        }
        base = self.base
        if base is None:
            return row | {"reason": f"not reached: {self.target.date()} is after the last price"}
        return row | {
            "exit_day": day(base.end),
            "holding_days": base.holding_days,
            "ticker_return": number(base.ticker_return),
            "benchmark_return": number(base.benchmark_return),
            "excess": number(base.call_excess),
            "percentile": number(base.percentile),
            "n_windows": base.n_windows,
            "n_non_overlapping": base.n_non_overlapping,
        }


def horizon_base_rates(
    prices: Mapping[str, Priced],
    *,
    ticker: str,
    benchmarks: Sequence[str],
    entry_day: DateLike,
    convention: str | EntryConvention = DEFAULT_CONVENTION,
    months: Sequence[int] = DEFAULT_MONTHS,
    history_start: DateLike = DEFAULT_HISTORY_START,
    stance: str | Stance = Stance.BUY,
) -> tuple[HorizonRow, ...]:
    """One row per horizon (ascending) and benchmark (in the given order).

    ``entry_day`` resolves to the first trading day on or after it; each available row holds
    the call's excess and its base rate over the same history (see :mod:`.base_rate`).
    """
    if len(months) == 0 or any(
        isinstance(m, bool) or not isinstance(m, Integral) or m <= 0 for m in months
    ):
        raise BadInputError(
            f"Horizons {list(months)} must be positive whole numbers of months, e.g. [1, 3, 6, 12]."
        )
    convention = parse_convention(convention)
    stance = parse_stance(stance)
    main, others = quotes_on_calendar(prices, ticker, benchmarks)
    calendar = main.calendar
    entry = entry_session(calendar, entry_day)
    start = as_day(history_start, what="history start")
    rows = []
    for n in sorted({int(m) for m in months}):
        target = calendar[entry] + pd.DateOffset(months=n)
        exit_ = exit_session(calendar, target) if target <= calendar[-1] else None
        for bench in others:
            base = None
            if exit_ is not None:
                base = session_base_rate(
                    main,
                    bench,
                    entry=entry,
                    exit_=exit_,
                    convention=convention,
                    history_start=start,
                    stance=stance,
                )
            rows.append(
                HorizonRow(
                    months=n,
                    benchmark=bench.name,
                    entry_day=calendar[entry],
                    target=target,
                    base=base,
                )
            )
    return tuple(rows)
