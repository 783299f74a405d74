"""The call's stance, and the one definition of its excess return.

A **buy** call is right when the stock beats the benchmark: its excess is the stock's holding
return minus the benchmark's. A **sell** call is right when the stock trails the benchmark:
its excess is the benchmark's holding return minus the stock's. Both are simple differences
of fractions over the same entry and exit, so a positive excess always means the call was
right. Every table of the call (out of sample, horizons, window band, base rates, the excess
interval) and the verdict use :func:`call_excess`.

A sell call's own return, as a trader would have earned it, is a short position's: see
:func:`short_position`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError

# Trading days per year over which an annual borrow fee is accrued.
TRADING_DAYS = 252

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


@dataclass(frozen=True, kw_only=True)
class ShortPosition:
    """A short sale of the stock held over the call's out-of-sample period (fractions).

    ``price_return``: minus the long position's total return (the short gains what the long
    loses); ``borrow_cost``: the fee paid to borrow the shares; ``total_return``: the two
    together, as a fraction of the value shorted at entry.
    """

    borrow_fee: float  # annual fraction (0.003 = 0.3% a year)
    days: int  # trading days held
    price_return: float
    borrow_cost: float

    @property
    def total_return(self) -> float:
        return self.price_return - self.borrow_cost

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (fractions; NaN as None)."""
        return {
            "borrow_fee": self.borrow_fee,
            "days": self.days,
            "price_return": _number(self.price_return),
            "borrow_cost": _number(self.borrow_cost),
            "total_return": _number(self.total_return),
            "definition": SHORT_DEFINITION,
        }


SHORT_DEFINITION = (
    "Short position: the stock sold short at the entry and bought back at the last close, not "
    "rebalanced. Its return is minus the long leg's total return (same fills and costs), less "
    "the borrow fee: the annual fee / 252 charged each trading day on the value of the shorted "
    "shares at the previous close, summed, as a fraction of the value shorted at entry."
)


def short_position(long_value: pd.Series, *, borrow_fee: float) -> ShortPosition:
    """The short counterpart of a long position whose value at each close is ``long_value``
    (first value: at entry, before the first day's move). ``borrow_fee``: annual fraction,
    accrued daily over trading days (``borrow_fee / 252`` per day on the shorted shares'
    value at the previous close)."""
    if not (math.isfinite(borrow_fee) and 0 <= borrow_fee < 1):
        raise BadInputError(
            f"borrow_fee {borrow_fee}: give an annual fraction from 0 to 1 (0.003 = 0.3%)."
        )
    values = long_value.to_numpy(dtype="float64")
    if len(values) < 2 or not values[0] > 0:
        return ShortPosition(
            borrow_fee=borrow_fee, days=0, price_return=math.nan, borrow_cost=math.nan
        )
    relative = values / values[0]
    borrow_cost = borrow_fee / TRADING_DAYS * float(relative[:-1].sum())
    return ShortPosition(
        borrow_fee=borrow_fee,
        days=len(values) - 1,
        price_return=float(1.0 - relative[-1]),
        borrow_cost=borrow_cost,
    )


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None
