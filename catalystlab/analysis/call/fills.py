"""Fills outside the engine: a leg sold at a close, and the two fills of a short sale.

The engine fills at the open. The call's legs are realised trades: each is sold at the close
of its exit session (a horizon's, or the run's last day) and pays for that sale what the
engine charges a fill (:mod:`catalystlab.engine.vectorised`): the price moved against the trade
by the slippage, capped at the day's low for a sale and its high for a purchase, and the
commission as a fraction of the filled value. Prices are currency units per share, costs
fractions (0.0005 = 5 bp).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from catalystlab.engine.backtest import BacktestResult, Costs


def sale_price(price: np.ndarray | float, low: np.ndarray | float, slippage: float) -> np.ndarray:
    """What a sale at ``price`` (an open or a close) fills at: ``price * (1 - slippage)``, or
    the day's ``low`` when that is lower."""
    return np.maximum(np.asarray(price, dtype=float) * (1 - slippage), low) if slippage else price


def purchase_price(
    price: np.ndarray | float, high: np.ndarray | float, slippage: float
) -> np.ndarray:
    """What a purchase at ``price`` fills at: ``price * (1 + slippage)``, or the day's
    ``high`` when that is higher."""
    return np.minimum(np.asarray(price, dtype=float) * (1 + slippage), high) if slippage else price


def sold_value(
    result: BacktestResult, frames: Mapping[str, pd.DataFrame], costs: Costs
) -> pd.Series:
    """The leg's value at each close if it sold every share it holds at that close (currency
    units): the engine's equity (marked at the close) less, per ticker held, ``shares *
    (close - sale price * (1 - commission))``. Equal to the equity where nothing is held or
    when the costs are zero."""
    equity = result.equity
    trades = result.trades
    if trades.empty or not (costs.commission or costs.slippage):
        return equity.copy()
    traded = trades.pivot_table(index="Date", columns="ticker", values="size", aggfunc="sum")
    shares = traded.reindex(equity.index, fill_value=0.0).fillna(0.0).cumsum()
    cost = pd.Series(0.0, index=equity.index)
    for ticker in shares.columns:
        frame = frames[ticker].loc[equity.index]
        close = frame["Close"].to_numpy(dtype=float)
        fill = sale_price(close, frame["Low"].to_numpy(dtype=float), costs.slippage)
        cost += shares[ticker].to_numpy() * (close - fill * (1 - costs.commission))
    return (equity - cost).rename(equity.name)
