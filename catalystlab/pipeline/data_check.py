"""Before a run: is every catalyst a strategy asks for backed by data for its ticker?

A signal declares what it reads per ticker (:class:`signals.base.DataNeed`: a fundamentals
metric or an events kind). A rule whose ticker lacks that data would sit in cash silently; it
is reported instead: a config error by default (one message naming strategy, signal, ticker
and what is missing), or, with ``allow_missing_data: true``, a visible warning. A rule that
has none of the data it needs is left out of the SPA test and the DSR's trial count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.core.registry import build_params
from catalystlab.pipeline.plan import StrategyPlan
from signals.base import SIGNALS, DataNeed


@dataclass(frozen=True, kw_only=True)
class MissingData:
    """A signal strategy whose ticker lacks data the signal reads.

    ``missing``: the unmet needs (each a description such as ``fundamentals metric
    'revenue'``); ``blind``: True when no need at all is met (the rule reads nothing).
    """

    strategy: str
    signal: str
    ticker: str
    missing: tuple[str, ...]
    blind: bool

    def sentence(self) -> str:
        """One sentence naming the strategy, signal, ticker and what is missing."""
        return (
            f"strategy {self.strategy!r} (signal {self.signal!r}) has no "
            f"{' and no '.join(self.missing)} for {self.ticker}"
        )


def missing_signal_data(
    plans: Iterable[StrategyPlan], *, fundamentals: pd.DataFrame, events: pd.DataFrame
) -> list[MissingData]:
    """Every signal strategy of ``plans`` whose traded ticker lacks data its signal declares
    (signals that declare nothing are not checked)."""
    have = _available(fundamentals, events)
    found = []
    for plan in plans:
        signal = getattr(plan.params, "signal", None)
        if plan.definition.signal_tickers is None or not isinstance(signal, str):
            continue
        definition = SIGNALS.get(signal)
        if definition.needs is None:
            continue
        params = build_params(
            definition.params_type, getattr(plan.params, "signal_params", {}), where=signal
        )
        groups = definition.needs(params)
        for ticker in plan.definition.signal_tickers(plan.params):
            unmet = _unmet(groups, ticker, have)
            if unmet:
                found.append(
                    MissingData(
                        strategy=plan.id,
                        signal=signal,
                        ticker=ticker,
                        missing=unmet,
                        blind=len(unmet) == len(groups),
                    )
                )
    return found


def unmet_needs(
    groups: tuple[tuple[DataNeed, ...], ...],
    ticker: str,
    *,
    fundamentals: pd.DataFrame,
    events: pd.DataFrame,
) -> tuple[str, ...]:
    """The need groups of a signal (``SignalDefinition.needs``) that ``ticker`` does not meet,
    each described (e.g. ``fundamentals metric 'capex' or 'capex_guidance' events``)."""
    return _unmet(groups, ticker, _available(fundamentals, events))


Available = dict[str, set[tuple[str, str]]]


def _available(fundamentals: pd.DataFrame, events: pd.DataFrame) -> Available:
    return {
        "fundamentals": set(zip(fundamentals["ticker"], fundamentals["metric"], strict=True)),
        "events": set(zip(events["ticker"], events["kind"], strict=True)),
    }


def _unmet(
    groups: tuple[tuple[DataNeed, ...], ...], ticker: str, have: Available
) -> tuple[str, ...]:
    return tuple(
        " or ".join(need.describe() for need in group)
        for group in groups
        if not any((ticker, need.name) in have[need.table] for need in group)
    )


def enforce(missing: list[MissingData], *, allow: bool) -> tuple[str, ...]:
    """BadInputError listing every gap unless ``allow``; else one warning per gap."""
    if not missing:
        return ()
    if not allow:
        raise BadInputError(
            "Catalyst data missing: "
            + "; ".join(m.sentence() for m in missing)
            + ". Add the data (signal_data in the config, or the --data-dir files), drop "
            "those strategies, or set allow_missing_data: true to run them anyway."
        )
    return tuple(
        f"warning: {m.sentence()}: the rule runs without it"
        + (" (it never holds a position and is left out of SPA and DSR)." if m.blind else ".")
        for m in missing
    )


def without_data(missing: Iterable[MissingData]) -> frozenset[str]:
    """Ids of the strategies that have none of the data their signal needs."""
    return frozenset(m.strategy for m in missing if m.blind)
