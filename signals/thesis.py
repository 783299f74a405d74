"""``thesis``: the article's three catalysts combined — margin, layoffs and capex.

Each component is the registered signal of that name, run through
:func:`signals.base.compute_signal` with its own parameters (a nested mapping in YAML)::

    signal: thesis
    params:
      combine: weighted
      margin: {threshold: 0.01}
      layoffs: {hold_days: 40, min_headcount: 1000}
      capex: {mode: growth, threshold: 0.3}
      weights: {margin: 2, layoffs: 1, capex: 1}

``combine``: ``"all"`` = the smallest component exposure (for 0/1 components: long only when
every component is), ``"any"`` = the largest, ``"weighted"`` = the weighted mean of the
components (in [0, 1] because each component is).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from catalystlab.core.pit import SignalInputs
from catalystlab.core.registry import build_params
from signals.base import SIGNALS, DataNeed, compute_signal, register_signal

COMPONENTS: tuple[str, ...] = ("margin", "layoffs", "capex")


@dataclass(frozen=True)
class ThesisParams:
    """Parameters of ``thesis``.

    combine: ``"all"`` (minimum of the components), ``"any"`` (maximum) or ``"weighted"``
        (weighted mean of the component exposures).
    components: which of ``margin``, ``layoffs``, ``capex`` take part (default all three).
    margin, layoffs, capex: parameters of that component signal (mapping; empty = defaults).
    weights: weight of each component for ``"weighted"`` (numbers >= 0, not all zero; a
        component not named has weight 1).
    """

    combine: Literal["all", "any", "weighted"] = "weighted"
    components: tuple[Literal["margin", "layoffs", "capex"], ...] = COMPONENTS
    margin: Mapping[str, Any] = field(default_factory=dict)
    layoffs: Mapping[str, Any] = field(default_factory=dict)
    capex: Mapping[str, Any] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.components:
            raise ValueError("components must name at least one of margin, layoffs, capex")
        if len(set(self.components)) != len(self.components):
            raise ValueError(f"components lists a signal twice: {list(self.components)}")
        for name in COMPONENTS:
            settings = MappingProxyType(dict(getattr(self, name)))
            # Fail at config time, not in the middle of a run: BadInputError names the field.
            build_params(SIGNALS.get(name).params_type, settings, where=f"signal 'thesis', {name}")
            object.__setattr__(self, name, settings)
        unknown = sorted(set(self.weights) - set(COMPONENTS))
        if unknown:
            raise ValueError(
                f"weights name unknown component(s) {', '.join(unknown)}; use margin, layoffs, "
                "capex"
            )
        weights = {name: float(self.weights.get(name, 1.0)) for name in self.components}
        if any(not np.isfinite(w) or w < 0 for w in weights.values()):
            raise ValueError(f"weights must be finite numbers >= 0, got {weights}")
        if sum(weights.values()) <= 0:
            raise ValueError("weights of the chosen components are all zero")
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))

    def weight(self, name: str) -> float:
        """Weight of component ``name`` (1 when not given)."""
        return float(self.weights.get(name, 1.0))


def thesis_needs(params: ThesisParams) -> tuple[tuple[DataNeed, ...], ...]:
    """What each component taking part needs (a weighted component of weight 0 takes none)."""
    groups: list[tuple[DataNeed, ...]] = []
    for name in params.components:
        if params.combine == "weighted" and params.weight(name) == 0:
            continue
        definition = SIGNALS.get(name)
        if definition.needs is not None:
            part = build_params(definition.params_type, getattr(params, name), where=name)
            groups.extend(definition.needs(part))
    return tuple(dict.fromkeys(groups))


@register_signal(
    "thesis",
    params=ThesisParams,
    summary="Margin, layoffs and capex combined: all (min), any (max) or weighted mean",
    needs=thesis_needs,
)
def thesis(inputs: SignalInputs, params: ThesisParams, tickers: list[str]) -> pd.DataFrame:
    """Combine the component exposures day by day and ticker by ticker."""
    parts = {
        name: compute_signal(name, inputs, tickers, getattr(params, name))
        for name in params.components
    }
    stacked = np.stack([part.to_numpy(dtype="float64") for part in parts.values()])
    if params.combine == "all":
        combined = stacked.min(axis=0)
    elif params.combine == "any":
        combined = stacked.max(axis=0)
    else:
        weights = np.array([params.weight(name) for name in parts])
        combined = np.tensordot(weights / weights.sum(), stacked, axes=1)
        combined = np.clip(combined, 0.0, 1.0)
    return pd.DataFrame(combined, index=inputs.calendar, columns=list(tickers))
