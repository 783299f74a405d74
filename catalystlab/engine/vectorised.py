"""A numpy engine that runs target-weight schedules the way the backtrader adapter does.

It repeats, operation for operation, what :func:`catalystlab.engine.backtest.run_backtest`
does with :class:`catalystlab.engine.target_weights.TargetWeightStrategy` and backtrader's
broker, so that both give the same equity to the last bits of a float:

- A schedule row with any non-NaN weight is a decision taken at that day's close (NaN weights
  in such a row mean 0); it fills at the next day's open. A decision on the last day never fills.
- At the open, portfolio value is cash plus shares at the open; each ticker's wanted shares are
  ``weight * value / open`` (fractional). Trades worth at most ``MIN_TRADE_FRACTION`` of the
  value are skipped. Sells execute first; buys are scaled by one common factor so that their
  cost at the worst price (open plus slippage, plus commission) fits the cash the sells leave
  (valued at open minus slippage, minus commission), less ``SIZING_HEADROOM``.
- Fill prices: a buy pays ``open * (1 + slippage)``, a sell gets ``open * (1 - slippage)``,
  each capped at the day's high/low; without slippage both fill at the open. Commission is
  ``commission * shares * fill price``, paid in cash.
- Equity is cash plus shares at each day's close, after that day's fills. Cash and the value
  of holdings are booked as backtrader books them (cost basis plus profit and loss, the
  position's average price), which is what makes the results equal bit for bit.

All prices are in currency units per share, weights and costs are fractions (not %), cash and
equity are in currency units; weights are long-only (>= 0), as every strategy's schedule is.
The single-schedule path (:func:`run_vectorised`) is a batch of one through the same kernel as
the sweep path (:func:`run_weights_batch`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from catalystlab.core.errors import BadInputError
from catalystlab.engine.backtest import (
    MIN_TRADE_FRACTION,
    SIZING_HEADROOM,
    TRADE_COLUMNS,
    BacktestResult,
    Costs,
)

# Working memory of one chunk of combinations, bytes (state records, targets, prices, indexes).
CHUNK_BYTES = 256 * 2**20
# Elements of one block of the valuation step: small enough to stay in a core's cache.
VALUATION_BLOCK = 2**16


@dataclass(frozen=True, kw_only=True)
class Bars:
    """Daily prices of ``tickers`` on ``calendar``: (days, tickers) float64 arrays in
    currency units per share (total-return adjusted, like every price frame)."""

    calendar: pd.DatetimeIndex
    tickers: tuple[str, ...]
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray

    @classmethod
    def from_frames(
        cls,
        prices: Mapping[str, pd.DataFrame],
        *,
        tickers: Sequence[str],
        calendar: pd.DatetimeIndex,
    ) -> Bars:
        """Take ``tickers``' rows on ``calendar`` from price frames (Open, High, Low, Close)."""
        if not len(tickers) or not len(calendar):
            raise BadInputError("The schedule is empty; give it trading days and tickers.")
        columns: dict[str, list[np.ndarray]] = {"Open": [], "High": [], "Low": [], "Close": []}
        for ticker in tickers:
            if ticker not in prices:
                raise BadInputError(f"No prices for {ticker}: add its price frame or drop it.")
            frame = prices[ticker]
            rows = frame.index.get_indexer(calendar)
            if (rows < 0).any():
                missing = calendar[rows < 0]
                raise BadInputError(
                    f"{ticker} has no price on {len(missing)} day(s) of the schedule (first "
                    f"{missing[0].date()}); align the prices and the schedule first."
                )
            for name, arrays in columns.items():
                arrays.append(frame[name].to_numpy(dtype="float64")[rows])
        open_, high, low, close = (np.column_stack(a) for a in columns.values())
        if not (np.isfinite([open_, high, low, close]).all() and (open_ > 0).all()):
            raise BadInputError("Prices must be finite and opens positive; validate them first.")
        return cls(
            calendar=calendar, tickers=tuple(tickers), open=open_, high=high, low=low, close=close
        )


def run_vectorised(
    *,
    schedule: pd.DataFrame,
    prices: Mapping[str, pd.DataFrame],
    cash: float,
    costs: Costs,
    name: str = "strategy",
) -> BacktestResult:
    """Execute ``schedule`` on ``prices`` as ``run_backtest`` does, and return its result type.

    Same arguments and meaning as :func:`catalystlab.engine.backtest.run_backtest`: target
    weights decided at each close, filled at the next open with fractional shares; ``cash``
    is the starting capital in currency units. ``rejected_orders`` is always 0: the sizing
    leaves no order that backtrader's broker would refuse.
    """
    bars = Bars.from_frames(prices, tickers=list(schedule.columns), calendar=schedule.index)
    weights = schedule.to_numpy(dtype="float64")[np.newaxis]
    _check_weights(weights)
    market = _Market.at(bars, costs)
    equity = np.empty((1, len(bars.calendar)))
    fills: list[tuple[int, np.ndarray]] = []
    _simulate(
        weights,
        _decisions(weights),
        market,
        cash=_checked_cash(cash),
        equity=equity,
        fills=fills,
    )
    return BacktestResult(
        equity=pd.Series(equity[0], index=bars.calendar.rename("Date"), name=name),
        trades=_trades(fills, bars, market),
        rejected_orders=0,
    )


def run_weights_batch(
    *,
    weights: np.ndarray,
    bars: Bars,
    cash: float,
    costs: Costs,
    chunk_bytes: int = CHUNK_BYTES,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Equity of many schedules over the same ``bars``: a (combinations, days) float64 array.

    ``weights`` is (combinations, days, tickers), or (combinations, days) when ``bars`` has one
    ticker (the rest in cash): target weights decided at each day's close, NaN = no
    instruction, exactly as the rows of a ``run_backtest`` schedule. Row ``i`` of the result
    is schedule ``i``'s equity at each close (currency units), starting from ``cash``.
    Any float dtype will do (float32 halves the memory of 0/1 schedules; values are widened
    exactly). Combinations run in chunks of about ``chunk_bytes`` of working memory each; the
    result and a (combinations, days) mask of the decision days come on top. ``out``, a
    (combinations, days) float64 array, receives the result instead of a new array (reusing
    one buffer, across tickers say, saves the operating system zeroing fresh pages each time).
    """
    if weights.ndim == 2:
        weights = weights[:, :, np.newaxis]
    days, tickers = bars.open.shape
    if weights.ndim != 3 or weights.shape[1:] != (days, tickers):
        raise BadInputError(
            f"weights have shape {weights.shape}; expected (combinations, {days}, {tickers}) "
            "for these bars, or (combinations, days) for one ticker."
        )
    market = _Market.at(bars, costs)
    start_cash = _checked_cash(cash)
    combos = weights.shape[0]
    equity = np.empty((combos, days)) if out is None else out
    if equity.shape != (combos, days) or equity.dtype != np.float64:
        raise BadInputError(
            f"out is a {equity.dtype} array of shape {equity.shape}; give a float64 array of "
            f"shape ({combos}, {days}), or none."
        )
    if not combos:
        return equity
    decided = np.empty((combos, days - 1), dtype=bool)
    scan = max(1, chunk_bytes // (8 * days * tickers))
    for low in range(0, combos, scan):
        _check_weights(weights[low : low + scan])
        decided[low : low + scan] = _decisions(weights[low : low + scan])
    # Bytes per combination, per fill: two state records (step by step and combination by
    # combination), its targets, prices and indexes.
    fills = decided.sum(axis=1)
    need = 8 * ((fills + 1) * (1 + 2 * tickers) * 2 + fills * (4 * tickers + 4))
    edges = np.flatnonzero(np.diff((np.cumsum(need) - 1) // chunk_bytes)) + 1
    for low, high in pairwise([0, *edges.tolist(), combos]):
        _simulate(
            weights[low:high],
            decided[low:high],
            market,
            cash=start_cash,
            equity=equity[low:high],
            fills=None,
        )
    return equity


def _decisions(weights: np.ndarray) -> np.ndarray:
    """(combos, days - 1) bool: the rows of (combos, days, tickers) ``weights`` with a
    decision (any weight not NaN) that fills, at the next open (the last day's never does)."""
    decided = np.zeros(weights.shape[:2], dtype=bool)[:, :-1]
    for ticker in range(weights.shape[2]):
        decided |= ~np.isnan(weights[:, :-1, ticker])
    return decided


@dataclass(frozen=True, kw_only=True)
class _Market:
    """What the kernel reads, (tickers, days) float64: the open (for sizing), the prices a buy
    and a sell fill at on that open, and the close (for valuing); plus the costs."""

    open: np.ndarray
    buy_fill: np.ndarray
    sell_fill: np.ndarray
    close: np.ndarray
    costs: Costs

    @classmethod
    def at(cls, bars: Bars, costs: Costs) -> _Market:
        """Fill prices as backtrader's ``_slip_up``/``_slip_down`` with ``slip_open`` and
        ``slip_match``: the open moved by the slippage, or the high/low when that is beyond."""
        for what, value in (("commission", costs.commission), ("slippage", costs.slippage)):
            if not 0 <= value < 1:
                raise BadInputError(
                    f"{what} is {value}; give a fraction in [0, 1) (5 bp = 0.0005)."
                )
        buy, sell = bars.open, bars.open
        if costs.slippage:
            up, down = bars.open * (1 + costs.slippage), bars.open * (1 - costs.slippage)
            buy = np.where(up <= bars.high, up, bars.high)
            sell = np.where(down >= bars.low, down, bars.low)
        return cls(
            open=np.ascontiguousarray(bars.open.T),
            buy_fill=np.ascontiguousarray(buy.T),
            sell_fill=np.ascontiguousarray(sell.T),
            close=np.ascontiguousarray(bars.close.T),
            costs=costs,
        )


@dataclass(frozen=True, kw_only=True)
class _Records:
    """Portfolio states, one per column: ``cash`` (states,), ``shares`` and their average
    entry price ``basis`` (tickers, states), as backtrader's broker keeps its cash and each
    Position's size and price."""

    cash: np.ndarray
    shares: np.ndarray
    basis: np.ndarray

    def take(self, index: np.ndarray | slice) -> _Records:
        return _Records(
            cash=self.cash[index], shares=self.shares[:, index], basis=self.basis[:, index]
        )

    def put(self, index: slice, state: _Records) -> None:
        self.cash[index] = state.cash
        self.shares[:, index] = state.shares
        self.basis[:, index] = state.basis


def _simulate(
    weights: np.ndarray,
    decided: np.ndarray,
    market: _Market,
    *,
    cash: float,
    equity: np.ndarray,
    fills: list[tuple[int, np.ndarray]] | None,
) -> None:
    """Run (combos, days, tickers) float ``weights`` whose ``decided`` rows (see
    ``_decisions``) fill; write equity (combos, days) at each close.

    Combinations are sorted by their number of fills, most first, so that the combinations
    with a ``j``-th fill are a prefix of that order; step ``j`` executes all those fills at
    once, each on its own day. States are recorded step by step (the state a step starts from
    is the previous step's record at the same position); between two fills a state is
    constant, so every close is valued from the records in one vectorised pass at the end.
    ``fills``, when given, receives (day, signed shares by ticker) of combination 0's fills.
    """
    combos, _, tickers = weights.shape
    counts = decided.sum(axis=1)
    order = np.argsort(-counts, kind="stable")
    counts = counts[order]
    widths = np.searchsorted(-counts, -np.arange(counts[0]), side="left")
    offsets = np.cumsum(widths) - widths
    # Fills, listed step by step (the fills of step j are a contiguous run, in sorted order).
    combo, decision = np.nonzero(decided[order])
    slot = offsets[np.arange(len(combo)) - np.repeat(np.cumsum(counts) - counts, counts)] + combo
    fill_day = np.empty(len(combo), dtype=np.int64)
    fill_day[slot] = decision + 1
    targets = np.empty((tickers, len(combo)))
    targets[:, slot] = np.fmax(weights[order[combo], decision], 0.0).T  # NaN in a decided row: 0
    opens, buy_fill, sell_fill = (
        prices[:, fill_day] for prices in (market.open, market.buy_fill, market.sell_fill)
    )
    # States, step by step: the start of every combination, then one per fill.
    records = _Records(
        cash=np.full(combos + len(combo), cash),
        shares=np.zeros((tickers, combos + len(combo))),
        basis=np.zeros((tickers, combos + len(combo))),
    )
    before = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        for start, width in zip(offsets.tolist(), widths.tolist(), strict=True):
            here = slice(start, start + width)
            state, traded = _fill(
                records.take(slice(before, before + width)),
                targets[:, here],
                opens[:, here],
                buy_fill[:, here],
                sell_fill[:, here],
                market.costs,
            )
            before = combos + start
            records.put(slice(before, before + width), state)
            if fills is not None:
                fills.append((int(fill_day[start]), traded[:, 0]))
    # Back to combination by combination: each start, then its fills in order.
    first_record = np.cumsum(counts + 1) - (counts + 1)
    source = np.arange(combos).repeat(counts + 1)
    fill_rows = np.ones(combos + len(combo), dtype=bool)
    fill_rows[first_record] = False
    source[fill_rows] = combos + slot
    state_day = np.zeros(combos + len(combo), dtype=np.int64)
    state_day[fill_rows] = fill_day[slot]
    _value(records.take(source), state_day, first_record, market, order, equity)


def _fill(
    state: _Records,
    targets: np.ndarray,
    opens: np.ndarray,
    buy_fill: np.ndarray,
    sell_fill: np.ndarray,
    costs: Costs,
) -> tuple[_Records, np.ndarray]:
    """Trade m states to ``targets`` at the open: (tickers, m) arrays of target weights, the
    opens, and the prices a buy and a sell fill at.

    Returns the states after the fills and the signed shares traded (tickers, m).
    """
    cash, held, basis = state.cash, state.shares, state.basis
    # Sizing, as TargetWeightStrategy.next_open: wanted shares, and trades above the threshold.
    value = cash + _running_sum(held * opens)
    gap = targets * value
    gap /= opens
    gap -= held
    size = np.abs(gap)
    size *= opens
    gap = np.where(size > MIN_TRADE_FRACTION * value, gap, 0.0)
    sold = np.maximum(-gap, 0.0)
    bought = np.maximum(gap, 0.0)
    # Sells first, booked as backtrader's broker books them, ticker after ticker; the cash they
    # leave at their worst price is the buys' budget.
    budget = cash
    if sold.any():
        worst = sold * opens
        worst *= (1 - costs.slippage) * (1 - costs.commission)
        budget = _book(cash, worst)
        gain = sell_fill - basis
        gain *= sold
        cash = _book(cash, sold * basis + gain, _fees(sold, sell_fill, costs))
        held = held - sold
        basis = np.where(held == 0, 0.0, basis)
    # Then buys, scaled by one factor so that their worst-case cost fits the budget.
    if bought.any():
        worst = bought * opens
        worst *= (1 + costs.slippage) * (1 + costs.commission)
        scale = budget / _running_sum(worst)
        np.fmin(scale, 1.0, out=scale)
        bought *= scale
        bought *= 1 - SIZING_HEADROOM
        cost = bought * buy_fill
        cash = _book(cash, -cost, _fees(bought, buy_fill, costs))
        total = held + bought
        entry = basis * held
        entry += cost
        entry /= total
        entry = np.where(held == 0, buy_fill, entry)
        basis = np.where(bought > 0, entry, basis)
        held = total
    return _Records(cash=cash, shares=held, basis=basis), bought - sold


def _fees(shares: np.ndarray, price: np.ndarray, costs: Costs) -> np.ndarray | None:
    """Commission of fills, as backtrader computes it (None without commission)."""
    if not costs.commission:
        return None
    fees = shares * costs.commission
    fees *= price
    return fees


def _book(cash: np.ndarray, amounts: np.ndarray, fees: np.ndarray | None = None) -> np.ndarray:
    """``cash`` plus each ticker's row of ``amounts`` (then less its ``fees``), one ticker
    after the other, as the broker books one order after the other."""
    for ticker, amount in enumerate(amounts):
        cash = cash + amount
        if fees is not None:
            cash = cash - fees[ticker]
    return cash


def _running_sum(rows: np.ndarray) -> np.ndarray:
    """The rows added left to right, as Python's ``sum`` adds (numpy's sum pairs terms,
    which rounds differently)."""
    total = rows[0]
    for row in rows[1:]:
        total = total + row
    return total


def _value(
    records: _Records,
    day: np.ndarray,
    first: np.ndarray,
    market: _Market,
    order: np.ndarray,
    equity: np.ndarray,
) -> None:
    """Equity at each close from states listed combination by combination (each from its
    ``day``; ``first``: where each combination's states begin): cash plus holdings.

    Holdings are valued as backtrader's broker values a long position: shares * close less
    the unrealised gain, plus that gain, added ticker by ticker.
    """
    combos, days = equity.shape
    end = np.roll(day, -1)
    end[np.append(first[1:], len(day)) - 1] = days
    lengths = end - day
    bounds = np.append(first, len(day))
    block = max(1, VALUATION_BLOCK // days)
    for low in range(0, combos, block):
        high = min(low + block, combos)
        span = slice(bounds[low], bounds[high])
        repeat = lengths[span]
        total = np.repeat(records.cash[span], repeat).reshape(high - low, days)
        holdings = None
        for ticker, close in enumerate(market.close):
            held = np.repeat(records.shares[ticker, span], repeat).reshape(high - low, days)
            gain = np.repeat(records.basis[ticker, span], repeat).reshape(high - low, days)
            np.subtract(close, gain, out=gain)
            gain *= held
            held *= close
            held -= gain
            if holdings is None:
                holdings = held
            else:
                holdings += held
            holdings += gain
        total += holdings
        equity[order[low:high]] = total


def _trades(fills: list[tuple[int, np.ndarray]], bars: Bars, market: _Market) -> pd.DataFrame:
    """One row per fill of a single schedule, in backtrader's order: by day, sells before
    buys, each by ticker. ``size`` is signed (sells negative), ``value`` = size * price."""
    traded = np.zeros(bars.open.shape)
    for day, shares in fills:
        traded[day] = shares
    days, tickers = np.nonzero(traded)
    sizes = traded[days, tickers]
    order = np.lexsort((tickers, sizes > 0, days))
    days, tickers, sizes = days[order], tickers[order], sizes[order]
    buy = sizes > 0
    prices = np.where(buy, market.buy_fill[tickers, days], market.sell_fill[tickers, days])
    return pd.DataFrame(
        {
            "Date": bars.calendar[days].rename(None),
            "ticker": [bars.tickers[ticker] for ticker in tickers],
            "side": ["buy" if bought else "sell" for bought in buy],
            "size": sizes,
            "price": prices,
            "value": sizes * prices,
            "commission": np.abs(sizes) * market.costs.commission * prices,
        },
        columns=list(TRADE_COLUMNS),
    )


def _check_weights(weights: np.ndarray) -> None:
    if np.isinf(weights).any() or (weights < 0).any():
        raise BadInputError(
            "Target weights must be finite fractions >= 0 (NaN = no instruction); this engine "
            "is long-only, as the strategies that make schedules are."
        )


def _checked_cash(cash: float) -> float:
    if not (np.isfinite(cash) and cash > 0):
        raise BadInputError(f"Starting cash is {cash}; give a positive amount.")
    return float(cash)
