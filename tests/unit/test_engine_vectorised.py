"""The vectorised engine against backtrader's run_backtest, closed forms, and bad inputs.

Parity is claimed bit for bit, with and without costs: the engine repeats backtrader's
arithmetic in the same order (see the module docstring), so the tolerance on equity is zero
and daily returns then agree within the required 1e-9 relative trivially. Trade prices are the
one exception: backtrader reports an order's price as (size * price) / size, which can differ
from the fill price in the last bit, so they are compared within 1e-15 relative.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_prices
from hypothesis import given, settings
from hypothesis import strategies as st

from catalystlab.core.errors import BadInputError
from catalystlab.engine.backtest import BacktestResult, Costs, run_backtest
from catalystlab.engine.vectorised import Bars, run_vectorised, run_weights_batch

TICKERS = ("AAA", "BBB", "CCC")
WEIGHT = st.one_of(st.none(), st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))
COSTS = st.builds(
    Costs,
    commission=st.one_of(st.just(0.0), st.floats(0.0, 0.01)),
    slippage=st.one_of(st.just(0.0), st.floats(0.0, 0.03)),
)


@st.composite
def schedules(draw: st.DrawFn, *, max_tickers: int = 3) -> tuple[pd.DataFrame, dict]:
    """A schedule of random decisions (weights in [0, 1], row sums up to the ticker count,
    NaN = none, a decision on any day including the last) on seeded synthetic prices."""
    tickers = list(TICKERS[: draw(st.integers(1, max_tickers))])
    days = draw(st.integers(2, 90))
    seed = draw(st.integers(0, 2**16))
    prices = {t: synthetic_prices(days=days, seed=seed + i) for i, t in enumerate(tickers)}
    schedule = pd.DataFrame(np.nan, index=prices[tickers[0]].index, columns=tickers)
    row = st.lists(WEIGHT, min_size=len(tickers), max_size=len(tickers))
    for day, weights in draw(st.dictionaries(st.integers(0, days - 1), row, max_size=20)).items():
        schedule.iloc[day] = [np.nan if w is None else w for w in weights]
    return schedule, prices


def assert_same_run(fast: BacktestResult, engine: BacktestResult) -> None:
    """Equity equal bit for bit (so returns within 1e-9 relative), and the same fills."""
    assert fast.equity.index.equals(engine.equity.index)
    np.testing.assert_array_equal(fast.equity.to_numpy(), engine.equity.to_numpy())
    np.testing.assert_allclose(fast.returns, engine.returns, rtol=1e-9, atol=0.0)
    assert engine.rejected_orders == 0
    ours, theirs = fast.trades, engine.trades
    assert len(ours) == len(theirs)
    for column in ("Date", "ticker", "side"):
        assert list(ours[column]) == list(theirs[column])
    for column in ("size", "commission"):
        np.testing.assert_array_equal(ours[column].to_numpy(float), theirs[column].to_numpy(float))
    for column in ("price", "value"):
        np.testing.assert_allclose(
            ours[column].to_numpy(float), theirs[column].to_numpy(float), rtol=1e-15, atol=0.0
        )


def both(schedule: pd.DataFrame, prices: dict, costs: Costs, cash: float = 100_000.0):
    kwargs = {"schedule": schedule, "prices": prices, "cash": cash, "costs": costs}
    return run_vectorised(**kwargs), run_backtest(**kwargs)


@settings(max_examples=40, deadline=None)
@given(case=schedules())
def test_equal_to_backtrader_without_costs(case):
    schedule, prices = case
    assert_same_run(*both(schedule, prices, Costs()))


@settings(max_examples=40, deadline=None)
@given(case=schedules(), costs=COSTS)
def test_equal_to_backtrader_with_commission_and_slippage(case, costs):
    schedule, prices = case
    assert_same_run(*both(schedule, prices, costs))


def test_equal_to_backtrader_on_a_long_daily_rebalanced_basket_with_costs():
    prices = {t: synthetic_prices(days=1500, seed=i) for i, t in enumerate(TICKERS)}
    rng = np.random.default_rng(11)
    weights = rng.dirichlet(np.ones(4), size=1500)[:, :3]
    schedule = pd.DataFrame(weights, index=prices["AAA"].index, columns=list(TICKERS))
    fast, engine = both(schedule, prices, Costs(commission=0.0005, slippage=0.001))
    assert_same_run(fast, engine)
    assert len(fast.trades) > 3000


def _hold(prices: pd.DataFrame) -> pd.DataFrame:
    schedule = pd.DataFrame({"AAA": np.nan}, index=prices.index)
    schedule.iloc[0] = 1.0
    return schedule


def test_buy_and_hold_is_the_closed_form_without_costs():
    prices = synthetic_prices(days=250, seed=3)
    result = run_vectorised(
        schedule=_hold(prices), prices={"AAA": prices}, cash=10_000.0, costs=Costs()
    )
    expected = 10_000.0 * prices["Close"] / prices["Open"].iloc[1]
    expected.iloc[0] = 10_000.0
    np.testing.assert_allclose(result.equity.to_numpy(), expected.to_numpy(), rtol=1e-11)
    assert list(result.trades["Date"]) == [prices.index[1]]


def test_buy_and_hold_with_costs_sizes_for_the_worst_price_and_keeps_the_rest_in_cash():
    prices = synthetic_prices(days=100, seed=4)
    commission, slippage, cash = 0.001, 0.002, 50_000.0
    result = run_vectorised(
        schedule=_hold(prices),
        prices={"AAA": prices},
        cash=cash,
        costs=Costs(commission=commission, slippage=slippage),
    )
    open_, high = prices["Open"].iloc[1], prices["High"].iloc[1]
    shares = cash / (open_ * (1 + slippage) * (1 + commission))
    fill = min(open_ * (1 + slippage), high)
    left = cash - shares * fill * (1 + commission)
    assert result.equity.iloc[-1] == pytest.approx(shares * prices["Close"].iloc[-1] + left)
    trade = result.trades.iloc[0]
    assert trade["price"] == pytest.approx(fill, rel=1e-15)
    assert trade["commission"] == pytest.approx(shares * fill * commission)


def test_slippage_beyond_the_bar_fills_at_its_high_and_low():
    prices = synthetic_prices(days=5, seed=5)
    schedule = pd.DataFrame({"AAA": [1.0, np.nan, 0.0, np.nan, np.nan]}, index=prices.index)
    result = run_vectorised(
        schedule=schedule, prices={"AAA": prices}, cash=1e4, costs=Costs(slippage=0.5)
    )
    assert list(result.trades["price"]) == [prices["High"].iloc[1], prices["Low"].iloc[3]]


def test_a_decision_on_the_last_day_never_fills():
    prices = synthetic_prices(days=30, seed=6)
    schedule = pd.DataFrame({"AAA": np.nan}, index=prices.index)
    schedule.iloc[-1] = 1.0
    result = run_vectorised(schedule=schedule, prices={"AAA": prices}, cash=1e4, costs=Costs())
    assert result.trades.empty
    assert (result.equity == 1e4).all()


def test_nan_in_a_decided_row_sells_that_ticker_and_an_all_nan_row_keeps_positions():
    prices = {"AAA": synthetic_prices(days=40, seed=7), "BBB": synthetic_prices(days=40, seed=8)}
    schedule = pd.DataFrame(np.nan, index=prices["AAA"].index, columns=["AAA", "BBB"])
    schedule.iloc[0] = [0.5, 0.5]
    schedule.iloc[20] = [0.5, np.nan]
    result = run_vectorised(schedule=schedule, prices=prices, cash=1e4, costs=Costs())
    sells = result.trades[result.trades["side"] == "sell"]
    assert list(sells["ticker"]) == ["BBB"]
    assert list(sells["Date"]) == [prices["AAA"].index[21]]
    bought = result.trades.loc[result.trades["ticker"] == "BBB", "size"].sum()
    assert bought == 0.0


@settings(max_examples=15, deadline=None)
@given(
    case=schedules(),
    costs=COSTS,
    others=st.lists(st.integers(0, 2**16), min_size=1, max_size=4),
)
def test_a_batch_gives_each_schedule_its_single_run_whatever_the_chunks(case, costs, others):
    schedule, prices = case
    rng = np.random.default_rng(others)
    variants = [schedule.to_numpy()]
    for seed in others:
        weights = np.random.default_rng(seed).uniform(0, 1, schedule.shape)
        weights[rng.uniform(size=schedule.shape[0]) < 0.7] = np.nan
        variants.append(weights)
    weights = np.stack(variants)
    bars = Bars.from_frames(prices, tickers=list(schedule.columns), calendar=schedule.index)
    whole = run_weights_batch(weights=weights, bars=bars, cash=1e5, costs=costs)
    one_by_one = np.full_like(whole, np.nan)
    kwargs = {"weights": weights, "bars": bars, "cash": 1e5, "costs": costs}
    assert run_weights_batch(**kwargs, chunk_bytes=1, out=one_by_one) is one_by_one
    for row, combination in enumerate(weights):
        single = pd.DataFrame(combination, index=schedule.index, columns=schedule.columns)
        expected = run_vectorised(schedule=single, prices=prices, cash=1e5, costs=costs).equity
        np.testing.assert_array_equal(whole[row], expected.to_numpy())
        np.testing.assert_array_equal(one_by_one[row], expected.to_numpy())


def test_one_ticker_batch_takes_two_dimensional_float32_weights():
    prices = {"AAA": synthetic_prices(days=300, seed=9)}
    bars = Bars.from_frames(prices, tickers=["AAA"], calendar=prices["AAA"].index)
    rng = np.random.default_rng(3)
    weights = np.where(rng.uniform(size=(6, 300)) < 0.05, rng.integers(0, 2, (6, 300)), np.nan)
    costs = Costs(commission=0.0005, slippage=0.001)
    flat = run_weights_batch(weights=weights.astype("float32"), bars=bars, cash=1e4, costs=costs)
    deep = run_weights_batch(weights=weights[:, :, None], bars=bars, cash=1e4, costs=costs)
    np.testing.assert_array_equal(flat, deep)
    assert flat.shape == (6, 300)
    engine = run_backtest(
        schedule=pd.DataFrame({"AAA": weights[2]}, index=bars.calendar),
        prices=prices,
        cash=1e4,
        costs=costs,
    )
    np.testing.assert_array_equal(flat[2], engine.equity.to_numpy())


def test_an_empty_batch_gives_an_empty_equity_matrix():
    prices = {"AAA": synthetic_prices(days=10, seed=1)}
    bars = Bars.from_frames(prices, tickers=["AAA"], calendar=prices["AAA"].index)
    equity = run_weights_batch(weights=np.empty((0, 10)), bars=bars, cash=1.0, costs=Costs())
    assert equity.shape == (0, 10)


@pytest.mark.parametrize(
    ("weight", "message"),
    [(-0.1, "fractions >= 0"), (np.inf, "finite fractions")],
)
def test_negative_or_infinite_weights_are_refused(weight, message):
    prices = synthetic_prices(days=10, seed=1)
    schedule = _hold(prices)
    schedule.iloc[3] = weight
    with pytest.raises(BadInputError, match=message):
        run_vectorised(schedule=schedule, prices={"AAA": prices}, cash=1.0, costs=Costs())


@pytest.mark.parametrize(
    ("cash", "costs", "message"),
    [
        (0.0, Costs(), "Starting cash is 0.0"),
        (np.nan, Costs(), "Starting cash is nan"),
        (1.0, Costs(commission=-0.001), "commission is -0.001"),
        (1.0, Costs(slippage=1.0), "slippage is 1.0"),
    ],
)
def test_bad_cash_and_costs_are_refused(cash, costs, message):
    prices = synthetic_prices(days=10, seed=1)
    with pytest.raises(BadInputError, match=message):
        run_vectorised(schedule=_hold(prices), prices={"AAA": prices}, cash=cash, costs=costs)


def test_prices_that_do_not_cover_the_schedule_are_refused():
    prices = synthetic_prices(days=10, seed=1)
    with pytest.raises(BadInputError, match="No prices for AAA"):
        run_vectorised(schedule=_hold(prices), prices={}, cash=1.0, costs=Costs())
    with pytest.raises(BadInputError, match="no price on 1 day"):
        run_vectorised(
            schedule=_hold(prices), prices={"AAA": prices.iloc[1:]}, cash=1.0, costs=Costs()
        )
    with pytest.raises(BadInputError, match="schedule is empty"):
        run_vectorised(
            schedule=_hold(prices).iloc[:0], prices={"AAA": prices}, cash=1.0, costs=Costs()
        )


def test_batch_weights_or_outputs_of_the_wrong_shape_are_refused():
    prices = {"AAA": synthetic_prices(days=10, seed=1)}
    bars = Bars.from_frames(prices, tickers=["AAA"], calendar=prices["AAA"].index)
    with pytest.raises(BadInputError, match=r"expected \(combinations, 10, 1\)"):
        run_weights_batch(weights=np.zeros((3, 9)), bars=bars, cash=1.0, costs=Costs())
    with pytest.raises(BadInputError, match=r"give a float64 array of shape \(3, 10\)"):
        run_weights_batch(
            weights=np.zeros((3, 10)), bars=bars, cash=1.0, costs=Costs(), out=np.empty((3, 9))
        )


def test_the_vectorised_engine_loads_without_backtrader():
    # A sweep's Dask workers and the base rates' reference series need no backtrader.
    check = "import sys, catalystlab.engine.vectorised; print('backtrader' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"
