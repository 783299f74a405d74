"""The strategy contract, its registry, and what a strategy may look at."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from catalystlab.core.pit import SignalInputs
from catalystlab.core.registry import Registry
from signals.base import compute_signal

Build = Callable[["ScheduleContext", Any], pd.DataFrame]
Tickers = Callable[[Any], tuple[str, ...]]


@dataclass(frozen=True)
class StrategyDefinition:
    """A registered strategy kind: parameter dataclass, schedule builder, tickers it trades."""

    name: str
    params_type: type
    build: Build
    tickers: Tickers
    summary: str
    signal_tickers: Tickers | None = None


STRATEGIES: Registry[StrategyDefinition] = Registry(
    what="strategy kind", group="catalystlab.strategies", builtins="strategies.builtin"
)


def register_strategy(
    name: str,
    *,
    params: type,
    tickers: Tickers,
    summary: str,
    signal_tickers: Tickers | None = None,
) -> Callable[[Build], Build]:
    """Decorator: register ``build`` as strategy kind ``name``.

    ``tickers(params)`` names every ticker the strategy trades, so that the run loads them;
    ``signal_tickers(params)``, for a strategy that reads catalyst signals, the tickers whose
    fundamentals the signals need.
    """

    def decorate(build: Build) -> Build:
        STRATEGIES.add(
            name, StrategyDefinition(name, params, build, tickers, summary, signal_tickers)
        )
        return build

    return decorate


@dataclass(kw_only=True)
class ScheduleContext:
    """What a strategy sees: the calendar, point-in-time inputs, and signals (computed once).

    ``signals`` collects every signal computed, for the run's ``signals.csv``, named
    ``<signal>:<TICKER>``; a second parameter set of the same signal and ticker is named
    ``<signal>:<TICKER>:<strategy id>`` (``owner``: the strategy being built).
    """

    inputs: SignalInputs
    owner: str = ""
    signals: dict[str, pd.Series] = field(default_factory=dict)
    _labels: dict[tuple[str, str, str], str] = field(default_factory=dict)

    @property
    def calendar(self) -> pd.DatetimeIndex:
        return self.inputs.calendar

    def signal(self, name: str, ticker: str, params: Mapping[str, Any] | None = None) -> pd.Series:
        """Exposure in [0, 1] of signal ``name`` for ``ticker`` on the calendar (cached).

        ``owner``, the id of the strategy being built, names a second parameter set."""
        key = (name, ticker, repr(sorted((params or {}).items())))
        if key not in self._labels:
            label = f"{name}:{ticker}"
            if label in self.signals:
                label = f"{label}:{self.owner or len(self.signals)}"
            frame = compute_signal(name, self.inputs, [ticker], params)
            self.signals[label] = frame[ticker].rename(label)
            self._labels[key] = label
        return self.signals[self._labels[key]]


def empty_schedule(calendar: pd.DatetimeIndex, tickers: Sequence[str]) -> pd.DataFrame:
    """A schedule with no instruction on any day."""
    return pd.DataFrame(float("nan"), index=calendar, columns=list(dict.fromkeys(tickers)))
