"""The stance of a call turned into a sign, and the excess return it is judged by.

A buy is right when the stock beats its benchmark: excess = stock's return - benchmark's.
A sell is right when the stock trails it: excess = benchmark's return - stock's, the run
command's definition for a sell call (issue 10). Both are simple differences of holding
returns (fractions), so a hit is always ``excess > 0``.
"""

from __future__ import annotations

import numpy as np

STANCE_SIGN = {"buy": 1.0, "sell": -1.0}


def stance_sign(stance: str) -> float:
    """+1.0 for ``buy``, -1.0 for ``sell``."""
    return STANCE_SIGN[stance]


def signed_excess(stock: np.ndarray, benchmark: np.ndarray, sign: np.ndarray | float) -> np.ndarray:
    """The call's excess: ``sign * (stock - benchmark)`` (fractions; sign +1 buy, -1 sell)."""
    return np.asarray(sign) * (np.asarray(stock) - np.asarray(benchmark))
