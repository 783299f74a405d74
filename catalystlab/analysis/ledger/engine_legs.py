"""Each call's two legs through the vectorised engine, as the run command's out-of-sample
table has them: the stock and the benchmark each bought with all the cash at the open of the
entry session (decided at the close before it), held, and sold at the close of each horizon's
exit session (and of the data end), commission and slippage paid on both fills
(:mod:`catalystlab.analysis.call.fills`). Returns are ``value after the sale / cash - 1``
(fractions); the excess is stance-signed like the frictionless one (:mod:`.stance`). The sale
is charged on the whole equity: the cash the engine's sizing leaves uninvested is below a
millionth of it.

These carry the run command's fills and costs; the ledger's statistics (hit rates,
percentiles, intervals, permutation tests) use the frictionless returns under the entry
convention, which the permutation draws can compute for millions of entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.call.fills import sale_price
from catalystlab.analysis.ledger.calls import SCORED, CallGrid
from catalystlab.analysis.ledger.stance import signed_excess
from catalystlab.core.errors import BadInputError
from catalystlab.engine.backtest import Costs
from catalystlab.engine.vectorised import Bars, run_weights_batch


@dataclass(frozen=True, kw_only=True)
class EngineLegs:
    """(calls, horizons) engine returns of the stock and the benchmark and the signed excess;
    ``end_*`` to the data end. NaN where the grid does not score the cell (or the call has no
    session before its entry to decide on)."""

    stock: np.ndarray
    benchmark: np.ndarray
    excess: np.ndarray
    end_stock: np.ndarray
    end_benchmark: np.ndarray
    end_excess: np.ndarray


def engine_legs(
    grid: CallGrid, prices: Mapping[str, pd.DataFrame], *, costs: Costs, cash: float = 100_000.0
) -> EngineLegs:
    """Run every evaluable call's stock and benchmark legs in batches, one per pair and leg."""
    n, j = grid.status.shape
    stock, bench = np.full((n, j), np.nan), np.full((n, j), np.nan)
    end_stock, end_bench = np.full(n, np.nan), np.full(n, np.nan)
    for p, pair in enumerate(grid.pairs):
        rows = np.flatnonzero((grid.pair_of == p) & (grid.entry >= 1))
        if not len(rows):
            continue
        # The engine runs from the first day both have a price (a benchmark may start later).
        first = int(np.flatnonzero(~np.isnan(pair.bench.close))[0])
        calendar = pair.calendar[first:]
        rows = rows[grid.entry[rows] - 1 >= first]
        if not len(rows):
            continue
        entry = grid.entry[rows] - first
        weights = np.full((len(rows), len(calendar)), np.nan)
        weights[np.arange(len(rows)), entry - 1] = 1.0
        scored = grid.status[rows] == SCORED
        exits = np.where(scored, grid.exit[rows] - first, 0)
        for ticker, out, end_out in (
            (pair.ticker, stock, end_stock),
            (pair.benchmark, bench, end_bench),
        ):
            try:
                bars = Bars.from_frames(prices, tickers=[ticker], calendar=calendar)
            except BadInputError:  # a benchmark without a price on some of the stock's days
                continue
            equity = run_weights_batch(weights=weights, bars=bars, cash=cash, costs=costs)
            close = bars.close[:, 0]
            kept = sale_price(close, bars.low[:, 0], costs.slippage) * (1 - costs.commission)
            growth = equity * (kept / close) / cash - 1.0  # sold at that close
            values = np.take_along_axis(growth, exits, axis=1)
            out[rows] = np.where(scored, values, np.nan)
            end_out[rows] = growth[np.arange(len(rows)), grid.end_exit[rows] - first]
    return EngineLegs(
        stock=stock,
        benchmark=bench,
        excess=signed_excess(stock, bench, grid.sign[:, None]),
        end_stock=end_stock,
        end_benchmark=end_bench,
        end_excess=signed_excess(end_stock, end_bench, grid.sign),
    )
