"""The trials of a sweep: every combination of a signal's parameter values, on every ticker."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalystlab.core.errors import BadInputError
from catalystlab.core.registry import build_params
from signals.base import SIGNALS


@dataclass(frozen=True, kw_only=True)
class Trial:
    """One trial: signal ``signal`` with ``params`` (as written in the config) on ``ticker``;
    ``combo`` numbers the signal's parameter set (the same on every ticker)."""

    trial: int
    combo: int
    signal: str
    params: tuple[tuple[str, Any], ...]
    ticker: str

    @property
    def params_dict(self) -> dict[str, Any]:
        return dict(self.params)

    @property
    def label(self) -> str:
        """E.g. ``layoffs(hold_days=20, min_headcount=1000) AMZN``."""
        inner = ", ".join(f"{k}={v}" for k, v in self.params)
        return f"{self.signal}({inner}) {self.ticker}"


def count_trials(grid: Mapping[str, Sequence[Any]], tickers: Sequence[str]) -> int:
    """The number of trials :func:`expand_grid` makes, counted without making them: per
    signal the product of its parameters' value counts, summed, times the tickers."""
    counts: dict[str, list[int]] = {}
    for key, values in grid.items():
        counts.setdefault(key.partition(".")[0], []).append(len(values))
    return sum(math.prod(c) for c in counts.values()) * len(tickers)


def check_trial_count(
    grid: Mapping[str, Sequence[Any]], tickers: Sequence[str], *, max_trials: int
) -> int:
    """The trial count; BadInputError naming it and the limit when above ``max_trials``."""
    trials = count_trials(grid, tickers)
    if trials > max_trials:
        raise BadInputError(
            f"sweep.grid: {trials:,} trials ({trials // len(tickers):,} parameter sets x "
            f"{len(tickers)} ticker(s)) is more than --max-trials {max_trials:,}; narrow the "
            "grid, or raise --max-trials (max_trials= in Python) if you mean to run them all."
        )
    return trials


def parameter_sets(
    grid: Mapping[str, Sequence[Any]],
) -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    """(signal, parameters) of every combination: per signal named in ``grid``
    (``<signal>.<parameter>`` -> values), the product of its parameters' values, in the order
    the grid lists them. Every set is checked against the signal's parameter dataclass."""
    by_signal: dict[str, dict[str, Sequence[Any]]] = {}
    for key, values in grid.items():
        signal, _, name = key.partition(".")
        by_signal.setdefault(signal, {})[name] = list(values)
    sets: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
    for signal, axes in by_signal.items():
        definition = SIGNALS.get(signal)
        names = list(axes)
        for values in itertools.product(*(axes[n] for n in names)):
            params = tuple(zip(names, values, strict=True))
            try:
                build_params(definition.params_type, dict(params), where=f"sweep {signal!r}")
            except (BadInputError, ValueError, TypeError) as error:
                raise BadInputError(f"sweep.grid: {error}") from None
            sets.append((signal, params))
    return sets


def expand_grid(grid: Mapping[str, Sequence[Any]], tickers: Sequence[str]) -> list[Trial]:
    """Every trial of the sweep, ticker-major: all parameter sets on the first ticker, then
    on the next. ``trial`` is the row number of the trial table."""
    sets = parameter_sets(grid)
    return [
        Trial(trial=i * len(sets) + c, combo=c, signal=signal, params=params, ticker=ticker)
        for i, ticker in enumerate(tickers)
        for c, (signal, params) in enumerate(sets)
    ]
