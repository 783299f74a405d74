"""``layoffs``: long for a fixed number of sessions after a layoff announcement.

Events of kind ``layoff`` enter at the close of their first tradable session (the first trading
day on or after ``known_from``: an after-close report counts from the next session) and are held
``hold_days`` trading days. A press report and the company's official statement of the same
layoff are two rows of the events table; with ``status="any"`` both are used and, like any
overlapping events, the later one only extends the hold: exposure never exceeds 1 and nothing is
counted twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from catalystlab.core.pit import SignalInputs
from signals._pit import event_holds
from signals.base import DataNeed, register_signal


@dataclass(frozen=True)
class LayoffsParams:
    """Parameters of ``layoffs``.

    hold_days: trading days held after entry, counting the entry session (>= 1).
    min_headcount: keep only layoffs of at least this many roles (None: no filter). A layoff
        whose headcount was not disclosed fails this filter.
    min_pct: keep only layoffs of at least this fraction of the workforce (0.05 = 5%; None: no
        filter). An undisclosed fraction fails this filter.
    match: with both filters set, ``"all"`` keeps a layoff that passes both, ``"any"`` one that
        passes either.
    status: ``"any"`` (press reports and official statements), ``"report"`` (only press
        reports and leaks) or ``"official"`` (only company statements).
    """

    hold_days: int = 60
    min_headcount: float | None = None
    min_pct: float | None = None
    match: Literal["all", "any"] = "all"
    status: Literal["any", "report", "official"] = "any"

    def __post_init__(self) -> None:
        if not 1 <= self.hold_days <= 2520:
            raise ValueError(f"hold_days must be between 1 and 2520 sessions, got {self.hold_days}")
        if self.min_headcount is not None and not (
            math.isfinite(self.min_headcount) and self.min_headcount >= 0
        ):
            raise ValueError(
                f"min_headcount must be a number of roles >= 0, got {self.min_headcount}"
            )
        if self.min_pct is not None and not 0 <= self.min_pct <= 1:
            raise ValueError(
                f"min_pct is a fraction of the workforce (0.05 = 5%) in [0, 1], got {self.min_pct}"
            )


def selected_layoffs(events: pd.DataFrame, params: LayoffsParams) -> pd.DataFrame:
    """The ``layoff`` events that pass the status and size filters of ``params``."""
    rows = events[(events["kind"] == "layoff") & events["known_from"].notna()]
    if params.status != "any":
        rows = rows[rows["status"] == params.status]
    tests = []
    if params.min_headcount is not None:
        tests.append(rows["headcount"].to_numpy(dtype="float64") >= params.min_headcount)
    if params.min_pct is not None:
        tests.append(rows["pct"].to_numpy(dtype="float64") >= params.min_pct)
    if tests:
        combine = np.logical_and if params.match == "all" else np.logical_or
        rows = rows[combine.reduce(tests)]
    return rows


@register_signal(
    "layoffs",
    params=LayoffsParams,
    summary="Long for hold_days sessions after a layoff announcement (size/status filters)",
    needs=lambda params: ((DataNeed("events", "layoff"),),),
)
def layoffs(inputs: SignalInputs, params: LayoffsParams, tickers: list[str]) -> pd.DataFrame:
    """Exposure 1 from the first tradable close of a selected layoff for ``hold_days``
    sessions (overlapping holds merge), else 0."""
    chosen = selected_layoffs(inputs.events, params)
    return event_holds(chosen, inputs.calendar, tickers, params.hold_days)
