"""The call's stance, and the one definition of its excess return.

A **buy** call is right when the stock beats the benchmark: its excess is the stock's holding
return minus the benchmark's. A **sell** call is right when the stock trails the benchmark:
its excess is the benchmark's holding return minus the stock's. Both are simple differences
of fractions over the same entry and exit, so a positive excess always means the call was
right. Every table of the call (out of sample, horizons, window band, base rates, the excess
interval) and the verdict use :func:`call_excess`.

A sell call's own return, as a trader would have earned it, is a short position's: see
:mod:`.short`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError

T = TypeVar("T", float, np.ndarray, pd.Series)


class Stance(StrEnum):
    """What the call says to do with the stock."""

    BUY = "buy"
    SELL = "sell"

    @property
    def sign(self) -> int:
        """+1 for buy, -1 for sell: the excess is ``sign * (stock - benchmark)``."""
        return 1 if self is Stance.BUY else -1

    def difference(self, ticker: str, benchmark: str) -> str:
        """How the excess is taken, for labels: ``"AMZN minus SPY"`` (buy) or ``"SPY minus
        META"`` (sell)."""
        first, second = (ticker, benchmark) if self is Stance.BUY else (benchmark, ticker)
        return f"{first} minus {second}"

    @property
    def excess_definition(self) -> str:
        """One sentence defining the excess return under this stance."""
        if self is Stance.BUY:
            return (
                "Excess return (buy call) = the stock's holding return minus the benchmark's "
                "over the same entry and exit: a simple difference of fractions, not a ratio of "
                "growth factors; positive when the call was right."
            )
        return (
            "Excess return (sell call) = the benchmark's holding return minus the stock's over "
            "the same entry and exit: a simple difference of fractions, not a ratio of growth "
            "factors; positive when the stock trailed the benchmark, i.e. the call was right."
        )


def parse_stance(value: str | Stance) -> Stance:
    """``"buy"`` or ``"sell"`` (any case) as a Stance; BadInputError otherwise."""
    if isinstance(value, Stance):
        return value
    try:
        return Stance(str(value).strip().lower())
    except ValueError:
        raise BadInputError(f"stance {value!r}: use buy or sell.") from None


def call_excess(stance: Stance, stock: T, benchmark: T) -> T:
    """The call's excess return (fractions): stock minus benchmark for a buy call, benchmark
    minus stock for a sell call. Works on numbers, arrays and aligned Series."""
    return stance.sign * (stock - benchmark) + 0.0  # + 0.0: no -0.0 on the call's own row
