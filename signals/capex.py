"""``capex``: long while capital expenditure grows, and/or after a capex-guidance raise.

Two parts, combined by ``mode``:

- *growth*: trailing-four-quarter capex (fundamentals metric ``capex``, gross purchases of
  property and equipment, quarter values in USD m) over the T4Q capex four quarters earlier,
  minus 1 (fraction). Like ``margin`` it needs eight consecutive quarters, is re-read only on the
  day a new quarter becomes public, and is missing when any of the eight is missing: a quarter
  left blank in the data never turns into a signal (no filling, no partial sums).
- *guidance*: events of kind ``capex_guidance``, held ``hold_days`` trading days from their first
  tradable close (overlapping events extend the hold). With ``guidance="raise"`` only an event
  whose ``value_usd_bn`` is above the ticker's previous guidance value counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from catalystlab.core.pit import SignalInputs
from signals._pit import event_holds, quarter_windows, step_on_calendar
from signals.base import DataNeed, register_signal


@dataclass(frozen=True)
class CapexParams:
    """Parameters of ``capex``.

    mode: ``"growth"`` (T4Q capex growth only), ``"guidance"`` (guidance events only),
        ``"either"`` (long when either part is) or ``"both"`` (long when both are).
    threshold: the growth part is long when T4Q capex growth YoY is strictly above this
        fraction (0.2 = +20%); -1 <= threshold <= 5.
    hold_days: trading days held after a guidance event, counting the entry session (>= 1).
    guidance: ``"any"`` counts every ``capex_guidance`` event; ``"raise"`` only one whose
        ``value_usd_bn`` exceeds the previous guidance value of the same ticker known before it
        (the ticker's first valued guidance counts; events without a value never do).
    """

    mode: Literal["growth", "guidance", "either", "both"] = "either"
    threshold: float = 0.2
    hold_days: int = 60
    guidance: Literal["any", "raise"] = "any"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.threshold) and -1 <= self.threshold <= 5):
            raise ValueError(
                f"threshold is a growth fraction (0.2 = +20%) between -1 and 5, got "
                f"{self.threshold}"
            )
        if not 1 <= self.hold_days <= 2520:
            raise ValueError(f"hold_days must be between 1 and 2520 sessions, got {self.hold_days}")


def capex_growth(inputs: SignalInputs, tickers: Sequence[str]) -> pd.DataFrame:
    """T4Q capex growth of each ticker on each date a new quarter became public.

    Columns: ``ticker``, ``as_of``, ``period_end`` (newest quarter; NaT when it was published
    without capex), ``t4q_capex`` (USD m) and ``growth`` (fraction; NaN when any of the eight
    quarters is missing or the earlier sum is zero).
    """
    windows = quarter_windows(inputs.fundamentals, tickers=tickers, metrics=("capex",), window=8)
    capex = windows.values["capex"]
    now, before = capex[:, 0:4].sum(axis=1), capex[:, 4:8].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(before != 0, (now - before) / np.abs(before), np.nan)
    table = windows.keys.copy()
    table["t4q_capex"] = now
    table["growth"] = growth
    return table


def guidance_events(events: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The ``capex_guidance`` events that count under ``rule`` (``"any"`` or ``"raise"``)."""
    rows = events[(events["kind"] == "capex_guidance") & events["known_from"].notna()]
    if rule == "any" or rows.empty:
        return rows
    rows = rows[rows["value_usd_bn"].notna()]
    rows = rows.sort_values(["ticker", "known_from", "event_date"], kind="stable")
    previous = rows.groupby("ticker", sort=False)["value_usd_bn"].shift(1)
    return rows[previous.isna() | (rows["value_usd_bn"] > previous)]


def capex_needs(params: CapexParams) -> tuple[tuple[DataNeed, ...], ...]:
    """Capex values for the growth part, guidance events for the guidance part: either one
    for ``either``, both for ``both``."""
    growth, guidance = DataNeed("fundamentals", "capex"), DataNeed("events", "capex_guidance")
    return {
        "growth": ((growth,),),
        "guidance": ((guidance,),),
        "either": ((growth, guidance),),
        "both": ((growth,), (guidance,)),
    }[params.mode]


@register_signal(
    "capex",
    params=CapexParams,
    summary="Long while T4Q capex grows YoY above a threshold and/or after capex-guidance events",
    needs=capex_needs,
)
def capex(inputs: SignalInputs, params: CapexParams, tickers: list[str]) -> pd.DataFrame:
    """Exposure 1 when the parts chosen by ``mode`` are long, else 0."""
    parts = []
    if params.mode != "guidance":
        table = capex_growth(inputs, tickers)
        long = (table["growth"].to_numpy(dtype="float64") > params.threshold).astype("float64")
        parts.append(step_on_calendar(table, long, inputs.calendar, tickers).fillna(0.0))
    if params.mode != "growth":
        chosen = guidance_events(inputs.events, params.guidance)
        parts.append(event_holds(chosen, inputs.calendar, tickers, params.hold_days))
    if len(parts) == 1:
        return parts[0]
    growth_part, guidance_part = parts
    if params.mode == "both":
        return np.minimum(growth_part, guidance_part)
    return np.maximum(growth_part, guidance_part)
