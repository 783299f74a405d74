"""The stance of each call of a ledger as a sign, and the excess it is judged by: the run
command's definition (:mod:`catalystlab.analysis.call.stance`), applied call by call.

A buy is right when the stock beats its benchmark (excess = stock - benchmark); a sell is
right when it trails it (excess = benchmark - stock). A hit is always ``excess > 0``.
"""

from __future__ import annotations

import numpy as np

from catalystlab.analysis.call.stance import Stance, call_excess, parse_stance


def stance_sign(stance: str) -> float:
    """+1.0 for ``buy``, -1.0 for ``sell`` (:attr:`Stance.sign`)."""
    return float(parse_stance(stance).sign)


def signed_excess(stock: np.ndarray, benchmark: np.ndarray, sign: np.ndarray | float) -> np.ndarray:
    """:func:`call_excess` of each call, whose stance is given by ``sign`` (+1 buy, -1 sell),
    broadcast against the holding returns ``stock`` and ``benchmark`` (fractions)."""
    stock, benchmark = np.asarray(stock, dtype=float), np.asarray(benchmark, dtype=float)
    return np.where(
        np.asarray(sign) > 0,
        call_excess(Stance.BUY, stock, benchmark),
        call_excess(Stance.SELL, stock, benchmark),
    )
