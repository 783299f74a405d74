"""Hold a ticker at a signal's target exposure; the rest in cash or an off-signal asset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from catalystlab.core.registry import build_params
from catalystlab.core.tickers import parse_ticker
from signals.base import SIGNALS
from strategies.base import ScheduleContext, empty_schedule, register_strategy


@dataclass(frozen=True, kw_only=True)
class SignalStrategyParams:
    """``signal``: a registered signal name; ``ticker``: what it trades; ``signal_params``:
    the signal's parameters; ``off_signal``: a ticker that holds the part of the portfolio
    the signal leaves out (None: cash, earning nothing)."""

    signal: str
    ticker: str
    signal_params: dict[str, Any] = field(default_factory=dict)
    off_signal: str | None = None

    def __post_init__(self) -> None:
        definition = SIGNALS.get(self.signal)
        build_params(definition.params_type, self.signal_params, where=f"signal {self.signal!r}")
        object.__setattr__(self, "ticker", parse_ticker(self.ticker))
        if self.off_signal is not None:
            off = parse_ticker(self.off_signal)
            if off == self.ticker:
                raise ValueError("off_signal must differ from ticker")
            object.__setattr__(self, "off_signal", off)


def _tickers(params: SignalStrategyParams) -> tuple[str, ...]:
    return (params.ticker,) + ((params.off_signal,) if params.off_signal else ())


@register_strategy(
    "signal",
    params=SignalStrategyParams,
    tickers=_tickers,
    summary="Hold a ticker at a signal's exposure; trade only when the exposure changes.",
    signal_tickers=lambda p: (p.ticker,),
)
def signal_strategy(context: ScheduleContext, params: SignalStrategyParams) -> pd.DataFrame:
    exposure = context.signal(params.signal, params.ticker, params.signal_params)
    changes = exposure.ne(exposure.shift(1))
    schedule = empty_schedule(context.calendar, _tickers(params))
    schedule.loc[changes, params.ticker] = exposure[changes]
    if params.off_signal:
        schedule.loc[changes, params.off_signal] = 1.0 - exposure[changes]
    return schedule
