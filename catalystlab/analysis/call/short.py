"""A sell call's short position: the stock sold short at the entry open and bought back at the
close of the run's last day, paying its own costs.

For N shares, with commission ``c``, the open ``O`` and close ``C`` of each day, entry session
``E`` and exit session ``T``, as fractions of the value shorted ``N * O_E`` (the shares at the
entry open's price):

- entry: a sale at the open, filled at ``p_in`` = :func:`~.fills.sale_price` of ``O_E``, less
  commission ``c * p_in``; exit: a purchase at the close, filled at ``p_out`` =
  :func:`~.fills.purchase_price` of ``C_T``, plus commission ``c * p_out``;
- borrow fee: ``borrow_fee / 252`` each trading day held (``T - E + 1`` days) on the shares'
  value at the previous close, ``O_E`` on the entry day:
  ``borrow_fee / 252 * (O_E + C_E + ... + C_(T-1)) / O_E``;
- total return ``(p_in * (1 - c) - p_out * (1 + c)) / O_E - borrow cost``.

``price_return`` is the frictionless move ``1 - C_T / O_E``; ``trading_cost`` is what the two
fills took from it, ``(O_E - p_in + c * p_in + p_out - C_T + c * p_out) / O_E``, so that
``total = price - trading - borrow``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from catalystlab.analysis.call.fills import purchase_price, sale_price
from catalystlab.core.errors import BadInputError
from catalystlab.core.jsonable import number
from catalystlab.engine.backtest import Costs

# Trading days per year over which an annual borrow fee is accrued.
TRADING_DAYS = 252

SHORT_DEFINITION = (
    "Short position: the stock sold short at the entry open and bought back at the close of "
    "the last day, not rebalanced, paying its own costs: slippage and commission on both fills "
    "(the sale at the open, the purchase at the close) and the borrow fee, the annual fee / 252 "
    "charged each trading day on the value of the shorted shares at the previous close. "
    "Fractions of the value shorted, the shares at the entry open's price."
)


@dataclass(frozen=True, kw_only=True)
class ShortPosition:
    """The short's returns over the call's out-of-sample period, fractions of the value shorted
    at the entry open (see the module docstring): ``price_return`` (frictionless),
    ``trading_cost`` (slippage and commissions of its two fills), ``borrow_cost``;
    ``total_return`` nets them."""

    borrow_fee: float  # annual fraction (0.003 = 0.3% a year)
    days: int  # trading days held
    price_return: float
    trading_cost: float
    borrow_cost: float

    @property
    def total_return(self) -> float:
        return self.price_return - self.trading_cost - self.borrow_cost

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (fractions; NaN as None)."""
        return {
            "borrow_fee": self.borrow_fee,
            "days": self.days,
            "price_return": number(self.price_return),
            "trading_cost": number(self.trading_cost),
            "borrow_cost": number(self.borrow_cost),
            "total_return": number(self.total_return),
            "definition": SHORT_DEFINITION,
        }


def short_position(
    frame: pd.DataFrame,
    *,
    entry_day: pd.Timestamp,
    exit_day: pd.Timestamp,
    costs: Costs,
    borrow_fee: float,
) -> ShortPosition:
    """The short of the stock whose prices are ``frame`` (Open, High, Low, Close), entered at
    the open of ``entry_day`` and covered at the close of ``exit_day`` (both sessions of
    ``frame``); ``borrow_fee`` is an annual fraction."""
    if not (math.isfinite(borrow_fee) and 0 <= borrow_fee < 1):
        raise BadInputError(
            f"borrow_fee {borrow_fee}: give an annual fraction from 0 to 1 (0.003 = 0.3%)."
        )
    held = frame.loc[entry_day:exit_day]
    first, last = held.iloc[0], held.iloc[-1]
    shorted, covered = float(first["Open"]), float(last["Close"])
    p_in = float(sale_price(shorted, first["Low"], costs.slippage))
    p_out = float(purchase_price(covered, last["High"], costs.slippage))
    c = costs.commission
    paid = (shorted - p_in) + c * p_in + (p_out - covered) + c * p_out
    previous = shorted + float(held["Close"].iloc[:-1].sum())
    return ShortPosition(
        borrow_fee=borrow_fee,
        days=len(held),
        price_return=1 - covered / shorted,
        trading_cost=paid / shorted,
        borrow_cost=borrow_fee / TRADING_DAYS * previous / shorted,
    )
