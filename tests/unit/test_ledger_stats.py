"""The ledger's numbers against known answers: Wilson's closed form, the run command's base
rates and engine fills, skill found where calls knew the future, uniform p-values for callers
without skill (clustered or not), and intervals and nulls that widen when calls overlap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_prices
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import kstest

from catalystlab.analysis.call.base_rate import base_rate
from catalystlab.analysis.call.conventions import EntryConvention
from catalystlab.analysis.call.fills import sold_value
from catalystlab.analysis.ledger import evaluate_ledger
from catalystlab.analysis.ledger.calls import NOT_EVALUABLE, OPEN, SCORED, evaluate_calls
from catalystlab.analysis.ledger.permutation import block_days, call_blocks, permutation_nulls
from catalystlab.analysis.ledger.wilson import wilson_interval
from catalystlab.engine.backtest import Costs, run_backtest
from catalystlab.inputs.ledger import LedgerCall
from catalystlab.report.ledger import verdict

HISTORY = pd.Timestamp("2000-01-01")


def _call(i: int, ticker: str, day, stance: str = "buy", **extra) -> LedgerCall:
    fields = {
        "id": f"c{i}",
        "ticker": ticker,
        "date": pd.Timestamp(day).date(),
        "window": None,
        "stance": stance,
        "benchmark": None,
        "horizons": (),
        "source": "",
        "url": "",
        "note": "",
        "line": i + 2,
    }
    return LedgerCall(**(fields | extra))


@pytest.fixture(scope="module")
def prices() -> dict[str, pd.DataFrame]:
    return {
        "AAA": synthetic_prices(seed=1, days=1500, start="2012-01-02"),
        "SPY": synthetic_prices(seed=2, days=1500, start="2012-01-02"),
    }


def test_wilson_interval_closed_form():
    # 8 hits of 10 at 95%: p = 0.8, z = 1.959964; centre 0.7176, half-width 0.2261.
    low, high = wilson_interval(8, 10, 0.95)
    assert low == pytest.approx(0.4901625, abs=1e-6)
    assert high == pytest.approx(0.9433178, abs=1e-6)
    assert wilson_interval(0, 5) == pytest.approx((0.0, 0.4344825), abs=1e-6)
    assert np.isnan(wilson_interval(0, 0)[0])
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_wilson_bounds_are_exact_at_no_hits_and_all_hits():
    # Unclamped, 0 of 3 gives a lower bound of 5.6e-17 and 3 of 3 an upper bound below 1.
    for n in range(1, 60):
        assert wilson_interval(0, n)[0] == 0.0
        assert wilson_interval(n, n)[1] == 1.0


@given(st.integers(1, 5000), st.data(), st.floats(0.5, 0.999))
def test_wilson_bounds_bracket_the_rate_inside_zero_one(n, data, level):
    hits = data.draw(st.integers(0, n))
    low, high = wilson_interval(hits, n, level)
    assert 0.0 <= low <= hits / n <= high <= 1.0


@pytest.mark.parametrize("convention", list(EntryConvention))
def test_returns_and_percentiles_equal_the_run_commands_base_rates(prices, convention):
    calls = [_call(0, "AAA", "2015-03-07", "buy"), _call(1, "AAA", "2015-03-07", "sell")]
    grid = evaluate_calls(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=(1, 3, 6),
        convention=convention,
        history_start=pd.Timestamp("2012-03-01"),
    )
    assert (grid.status == SCORED).all()
    for k, _ in enumerate(grid.horizons):
        exit_day = grid.pairs[0].calendar[grid.exit[0, k]]
        base = base_rate(
            prices,
            ticker="AAA",
            benchmark="SPY",
            entry_day="2015-03-07",
            end=exit_day,
            convention=convention,
            history_start="2012-03-01",
        )
        assert grid.stock[0, k] == base.ticker_return
        assert grid.benchmark[0, k] == base.benchmark_return
        assert grid.excess[0, k] == base.call_excess
        assert grid.percentile[0, k] == base.percentile
        # A sell is judged on benchmark minus stock, ranked among the same windows' sells.
        sell = base_rate(
            prices,
            ticker="AAA",
            benchmark="SPY",
            entry_day="2015-03-07",
            end=exit_day,
            convention=convention,
            history_start="2012-03-01",
            stance="sell",
        )
        assert grid.excess[1, k] == sell.call_excess == -base.call_excess
        assert grid.percentile[1, k] == sell.percentile


@pytest.mark.parametrize("capped", [False, True])
def test_engine_columns_equal_a_backtrader_buy_and_hold_sold_with_costs(prices, capped):
    """``capped``: the entry day opens at its high, so the buy fills at the high, below the
    price it was sized for, and leaves cash uninvested that the sale must not charge."""
    costs = Costs(commission=0.0005, slippage=0.0005)
    calls = [_call(0, "AAA", "2015-03-09", "sell")]
    if capped:
        prices = {t: frame.copy() for t, frame in prices.items()}
        for frame in prices.values():
            frame.loc["2015-03-09", "High"] = frame.loc["2015-03-09", "Open"]
            frame.loc["2015-03-09", "Close"] = frame.loc["2015-03-09", ["Close", "Open"]].min()
    result = evaluate_ledger(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=(3,),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
        draws=10,
        reps=10,
        costs=costs,
    )
    grid, engine = result.grid, result.engine
    calendar = grid.pairs[0].calendar
    decision = calendar[grid.entry[0] - 1]
    after = calendar[calendar >= decision]
    growth = {}
    for ticker in ("AAA", "SPY"):
        schedule = pd.DataFrame({ticker: np.nan}, index=after)
        schedule.iloc[0] = 1.0
        run = run_backtest(
            schedule=schedule, prices={ticker: prices[ticker]}, cash=100_000, costs=costs
        )
        # sold at the exit close, as the run command's legs (analysis/call/fills.py)
        growth[ticker] = sold_value(run, prices, costs) / 100_000 - 1
    exit_day = calendar[grid.exit[0, 0]]
    assert engine.stock[0, 0] == pytest.approx(growth["AAA"][exit_day], abs=1e-12)
    assert engine.benchmark[0, 0] == pytest.approx(growth["SPY"][exit_day], abs=1e-12)
    assert engine.excess[0, 0] == pytest.approx(
        growth["SPY"][exit_day] - growth["AAA"][exit_day], abs=1e-12
    )
    assert engine.end_stock[0] == pytest.approx(growth["AAA"].iloc[-1], abs=1e-12)


def test_open_horizons_are_listed_not_scored_and_missing_tickers_are_not_dropped(prices):
    last = prices["AAA"].index[-1]
    calls = [
        _call(0, "AAA", last - pd.Timedelta(days=60)),
        _call(1, "ZZZ", "2015-01-05"),
        _call(2, "AAA", last + pd.Timedelta(days=3)),
    ]
    grid = evaluate_calls(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=(1, 3),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
        unavailable={"ZZZ": "no file prices/ZZZ.csv"},
    )
    assert list(grid.status[0]) == [SCORED, OPEN]
    assert np.isnan(grid.excess[0, 1]) and np.isfinite(grid.end_excess[0])
    assert grid.entry[1] == -1 and "no prices for ZZZ: no file prices/ZZZ.csv" in grid.reason[1]
    assert grid.entry[2] == -1 and "after the data end" in grid.reason[2]


def test_a_call_before_the_first_price_is_not_evaluable_not_bought_at_the_first_price(prices):
    first = prices["AAA"].index[0]
    calls = [_call(0, "AAA", first - pd.Timedelta(days=1)), _call(1, "AAA", first)]
    grid = evaluate_calls(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=(1,),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
    )
    assert grid.entry[0] == -1 and list(grid.status[0]) == [NOT_EVALUABLE]
    assert f"before AAA's first price ({first.date()})" in grid.reason[0]
    assert grid.entry[1] == 0 and list(grid.status[1]) == [SCORED]


def _future_calls(prices, n: int, seed: int) -> list[LedgerCall]:
    """Calls that knew the 3-month future: buy when AAA will beat SPY, else sell."""
    rng = np.random.default_rng(seed)
    calendar = prices["AAA"].index
    days = rng.choice(np.arange(300, len(calendar) - 80), size=n, replace=False)
    calls = []
    for i, d in enumerate(sorted(days)):
        entry = calendar[d]
        exit_ = calendar[calendar <= entry + pd.DateOffset(months=3)][-1]
        stock = prices["AAA"]["Close"][exit_] / prices["AAA"]["Open"][entry]
        bench = prices["SPY"]["Close"][exit_] / prices["SPY"]["Open"][entry]
        calls.append(_call(i, "AAA", entry, "buy" if stock > bench else "sell"))
    return calls


def test_calls_that_knew_the_future_are_found_skilful(prices):
    result = evaluate_ledger(
        _future_calls(prices, 25, seed=3),
        prices,
        default_benchmark="SPY",
        default_horizons=(3,),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
        seed=11,
        draws=1000,
        reps=200,
    )
    (source,) = result.sources
    pooled = result.pooled(source)
    assert pooled["hits"] == pooled["scored"] == 25
    assert pooled["p_dates"] < 0.01 and pooled["p_stances"] < 0.01
    # No draw of 1,000 reached the caller: the verdict prints the floor, never "p = 0.00".
    assert pooled["p_stances"] == 1 / 1001
    text = verdict(result, source, 0.95)
    assert "p < 0.001 against random stances" in text and "0.00 " not in text


def test_callers_without_skill_get_uniform_p_values(prices):
    """Calibration: 200 callers who place 15 calls on random days with random stances; the
    p-values of both nulls must be uniform (Kolmogorov-Smirnov, and no excess of p < 0.05)."""
    calendar = prices["AAA"].index
    p_dates, p_stances = [], []
    for seed in range(200):
        rng = np.random.default_rng(1000 + seed)
        days = rng.integers(0, len(calendar) - 70, size=15)
        stances = rng.choice(["buy", "sell"], size=15)
        calls = [_call(i, "AAA", calendar[d], stances[i]) for i, d in enumerate(days)]
        grid = evaluate_calls(
            calls,
            prices,
            default_benchmark="SPY",
            default_horizons=(3,),
            convention=EntryConvention.NEXT_OPEN,
            history_start=HISTORY,
        )
        nulls = permutation_nulls(grid, np.ones((15, 1), dtype=bool), draws=199, seed=seed)
        p_dates.append(nulls.p_dates[0])
        p_stances.append(nulls.p_stances[0])
    for values in (np.array(p_dates), np.array(p_stances)):
        assert kstest(values, "uniform").pvalue > 0.01
        assert np.mean(values < 0.05) < 0.1


def test_overlapping_calls_widen_the_interval_against_the_naive_bootstrap(prices):
    """Forty buys of AAA on consecutive days share most of their six months: the calendar-block
    interval of the mean excess must be wider than the one that resamples calls."""
    calendar = prices["AAA"].index
    calls = [_call(i, "AAA", calendar[600 + i]) for i in range(40)]
    result = evaluate_ledger(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=(6,),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
        seed=5,
        draws=50,
        reps=1000,
    )
    (row,) = result.by_horizon
    interval = row.interval
    block = interval.mean_high - interval.mean_low
    naive = interval.naive_mean_high - interval.naive_mean_low
    assert interval.mean_low <= interval.mean <= interval.mean_high
    assert block > 2 * naive
    assert interval.block == pytest.approx(125, abs=6)  # the median holding: six months


def test_portfolio_of_one_call_compounds_to_its_excess_path(prices):
    """One buy held three months: the portfolio's daily excess is that call's daily excess, and
    summing the days' stock and benchmark returns rebuilds each leg's growth path."""
    calls = [_call(0, "AAA", "2014-06-02")]
    result = evaluate_ledger(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=(3,),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
        draws=10,
        reps=10,
    )
    (row,) = result.by_horizon
    grid = result.grid
    days = row.portfolio.excess.index
    entry, exit_ = grid.entry[0], grid.exit[0, 0]
    calendar = grid.pairs[0].calendar
    assert days[0] == calendar[entry] and days[-1] == calendar[exit_]
    assert (row.portfolio.open_calls == 1).all() and len(days) == exit_ - entry + 1
    aaa, spy = prices["AAA"], prices["SPY"]
    first = aaa["Close"].iloc[entry] / aaa["Open"].iloc[entry] - (
        spy["Close"].iloc[entry] / spy["Open"].iloc[entry]
    )
    assert row.portfolio.excess.iloc[0] == pytest.approx(first, abs=1e-12)
    assert np.isnan(row.interval.mean_low)  # one call: no interval


def test_same_seed_same_numbers(prices):
    calls = _future_calls(prices, 10, seed=4)
    kwargs = dict(
        default_benchmark="SPY",
        default_horizons=(1, 3),
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
        seed=9,
        draws=100,
        reps=100,
    )
    first = evaluate_ledger(calls, prices, **kwargs)
    second = evaluate_ledger(calls, prices, **kwargs)
    np.testing.assert_array_equal(first.nulls.dates, second.nulls.dates)
    assert first.by_horizon[0].interval == second.by_horizon[0].interval


def _grid(prices, calls, horizons=(3,)):
    return evaluate_calls(
        calls,
        prices,
        default_benchmark="SPY",
        default_horizons=horizons,
        convention=EntryConvention.NEXT_OPEN,
        history_start=HISTORY,
    )


def test_overlapping_calls_get_a_wider_null_than_independent_ones(prices):
    """Twenty buys of AAA on consecutive days are one bet, not twenty: both nulls must be as
    wide as one call's, while twenty calls more than a block (3 months) apart keep the
    independent width. Stance null, in closed form: independent flips of excesses x_i give a
    mean with standard deviation sqrt(sum x_i^2) / n; flipping all together gives |mean x|."""
    calendar = prices["AAA"].index
    clustered = _grid(prices, [_call(i, "AAA", calendar[300 + i]) for i in range(20)])
    spread = _grid(prices, [_call(i, "AAA", calendar[40 + 70 * i]) for i in range(20)])
    one = np.ones((20, 1), dtype=bool)
    width = {}
    for name, grid in (("clustered", clustered), ("spread", spread)):
        assert grid.scored.all()
        x = grid.excess[:, 0]
        nulls = permutation_nulls(grid, one, draws=2000, seed=4)
        independent = np.sqrt(np.sum(x**2)) / len(x)
        width[name] = (nulls.stances[:, 0].std() / independent, nulls.dates[:, 0].std())
    # 20 calls within 4 weeks share the block of 92 days in most draws (a boundary between
    # them in about 27 of 92 phases): close to all flipped together, |mean x| / independent.
    x = clustered.excess[:, 0]
    together = abs(x.mean()) / (np.sqrt(np.sum(x**2)) / len(x))
    assert together > 2  # the calls move together: the test below has teeth
    assert width["clustered"][0] > 0.85 * together
    assert width["spread"][0] == pytest.approx(1.0, abs=0.1)  # independent: as before
    assert width["clustered"][1] > 2.5 * width["spread"][1]  # the dates null as well


def test_clustered_callers_without_skill_get_uniform_p_values(prices):
    """Calibration on callers whose calls cluster: 200 callers, each with 4 bursts of 5 buys or
    sells of AAA on consecutive days (a random day and one random stance per burst), held 3
    months. Both p-values must be uniform (Kolmogorov-Smirnov, and no excess of p < 0.05),
    where flipping each call's stance on its own finds "skill" far too often."""
    calendar = prices["AAA"].index
    p_dates, p_stances, p_naive = [], [], []
    for seed in range(200):
        rng = np.random.default_rng(5000 + seed)
        starts = rng.integers(0, len(calendar) - 75, size=4)
        stances = rng.choice(["buy", "sell"], size=4)
        calls = [
            _call(5 * b + j, "AAA", calendar[start + j], stances[b])
            for b, start in enumerate(starts)
            for j in range(5)
        ]
        grid = _grid(prices, calls)
        nulls = permutation_nulls(grid, np.ones((20, 1), dtype=bool), draws=199, seed=seed)
        p_dates.append(nulls.p_dates[0])
        p_stances.append(nulls.p_stances[0])
        x = grid.excess[:, 0]
        flips = np.where(rng.random((199, 20)) < 0.5, -1.0, 1.0)
        p_naive.append((1 + np.sum((flips * x).mean(axis=1) >= x.mean())) / 200)
    for values in (np.array(p_dates), np.array(p_stances)):
        assert kstest(values, "uniform").pvalue > 0.01
        assert np.mean(values < 0.05) < 0.1
    assert np.mean(np.array(p_naive) < 0.05) > 0.15  # the independent null is miscalibrated


def test_calendar_blocks_are_the_horizons_length_with_a_random_phase(prices):
    """Blocks of ceil(12 x 365.25 / 12) = 366 days for the pooled null of a ledger scored at 1
    and 12 months (31 days for its 1-month null): two calls d days apart share a block in a
    fraction 1 - d / 366 of the draws, never when d is 366 or more."""
    calls = [
        _call(0, "AAA", "2014-03-03"),
        _call(1, "AAA", "2014-05-02"),  # 60 days later
        _call(2, "AAA", "2015-03-04"),  # 366 days later
    ]
    grid = _grid(prices, calls, horizons=(1, 12))
    assert block_days(grid, np.array([True, True])) == 366
    assert block_days(grid, np.array([True, False])) == 31  # ceil(30.4375)
    blocks = call_blocks(grid, length=366, draws=20_000, rng=np.random.default_rng(0))
    assert np.mean(blocks[:, 0] == blocks[:, 1]) == pytest.approx(1 - 60 / 366, abs=0.01)
    assert not (blocks[:, 0] == blocks[:, 2]).any()
    short = call_blocks(grid, length=31, draws=1000, rng=np.random.default_rng(0))
    assert not (short[:, 0] == short[:, 1]).any()  # 60 days apart: never in one 31-day block


def test_each_horizon_is_tested_in_blocks_of_its_own_length(prices):
    """Calls a month apart do not overlap at 1 month: the 1-month stance null flips them
    independently (sd sqrt(sum x^2) / n), while the pooled one, in blocks of 12 months (the
    longest horizon), keeps them together."""
    calendar = prices["AAA"].index
    calls = [_call(i, "AAA", calendar[300 + 23 * i]) for i in range(12)]
    grid = _grid(prices, calls, horizons=(1, 12))
    nulls = permutation_nulls(grid, np.ones((12, 1), dtype=bool), draws=4000, seed=2)
    x = grid.excess[:, 0]
    independent = np.sqrt(np.sum(x**2)) / len(x)
    assert nulls.stances_by_horizon[:, 0, 0].std() == pytest.approx(independent, rel=0.1)
    # The calls span 253 sessions (about 13 months): 12-month blocks hold them in 2 or 3
    # groups, so the pooled null takes few values (2^3 sign patterns per way of cutting
    # them), where 12 independent flips take up to 4,096.
    distinct = len(np.unique(np.round(nulls.stances[:, 0], 12)))
    assert distinct < 200 < 1000 < len(np.unique(np.round(nulls.stances_by_horizon[:, 0, 0], 12)))
