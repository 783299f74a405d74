"""The signal contract and its registry.

A signal is a module with a frozen parameter dataclass (defaults and units in its docstring)
and one pure function ``compute(inputs, params, tickers) -> DataFrame``: indexed by
``inputs.calendar``, one column per ticker, values in [0, 1] = target exposure decided at
that day's close. The function uses only rows of ``inputs`` with ``known_from <= day`` for
each day; it never imports backtrader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from catalystlab.core.pit import SignalInputs
from catalystlab.core.registry import Registry, build_params

Compute = Callable[[SignalInputs, Any, Sequence[str]], pd.DataFrame]


@dataclass(frozen=True)
class DataNeed:
    """Data a signal reads for each ticker it trades: rows of the fundamentals table with
    ``metric == name``, or rows of the events table with ``kind == name``."""

    table: Literal["fundamentals", "events"]
    name: str

    def describe(self) -> str:
        """E.g. ``fundamentals metric 'revenue'`` or ``'layoff' events``."""
        if self.table == "fundamentals":
            return f"fundamentals metric {self.name!r}"
        return f"{self.name!r} events"


# What a signal needs for a ticker, for given parameters: every group must be met, and a
# group is met by any one of its needs (e.g. capex "either": capex values or guidance events).
Needs = Callable[[Any], tuple[tuple[DataNeed, ...], ...]]


@dataclass(frozen=True)
class SignalDefinition:
    """A registered signal: its name, parameter dataclass, pure function, one-line summary
    and, when it declares them, the data it needs per ticker (None: not declared, so a run
    cannot check them beforehand)."""

    name: str
    params_type: type
    compute: Compute
    summary: str
    needs: Needs | None = None


SIGNALS: Registry[SignalDefinition] = Registry(
    what="signal", group="catalystlab.signals", builtins="signals.builtin"
)


def register_signal(
    name: str, *, params: type, summary: str, needs: Needs | None = None
) -> Callable[[Compute], Compute]:
    """Decorator: register ``compute`` as signal ``name`` with parameter dataclass ``params``;
    ``needs`` (optional) says which fundamentals and events it reads for a ticker, so that a
    run can report missing data before it starts."""

    def decorate(compute: Compute) -> Compute:
        SIGNALS.add(name, SignalDefinition(name, params, compute, summary, needs))
        return compute

    return decorate


def compute_signal(
    name: str,
    inputs: SignalInputs,
    tickers: Sequence[str],
    params: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run signal ``name`` with config ``params`` and check what it returns.

    Returns exposure in [0, 1] on ``inputs.calendar``, one column per ticker. A signal that
    returns another shape, NaN or a value outside [0, 1] is a bug and raises ValueError.
    """
    definition = SIGNALS.get(name)
    parsed = build_params(definition.params_type, params, where=f"signal {name!r}")
    exposure = definition.compute(inputs, parsed, list(tickers))
    if not exposure.index.equals(inputs.calendar) or list(exposure.columns) != list(tickers):
        raise ValueError(f"signal {name!r} returned a frame not on the run's calendar/tickers")
    values = exposure.to_numpy(dtype="float64")
    if np.isnan(values).any() or (values < 0).any() or (values > 1).any():
        raise ValueError(f"signal {name!r} returned exposure outside [0, 1] or NaN")
    return exposure.astype("float64")
