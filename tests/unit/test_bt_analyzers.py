"""The backtrader analyzers on synthetic prices: returns equal backtrader's TimeReturn under the
usages backtrader users have (several datas, sizers, bracket orders, cheat-on-open, intraday
bars), hand-computed statistics and call numbers, and every bad input."""

from __future__ import annotations

import backtrader as bt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from catalystlab.bt import CallTest, Significance, Tearsheet
from catalystlab.core.errors import BadInputError
from tests.conftest import synthetic_prices

REPS = 100  # the fewest resamples the statistics take: these tests check wiring, not intervals


def _cerebro(frames: dict[str, pd.DataFrame], **kwargs) -> bt.Cerebro:
    cerebro = bt.Cerebro(stdstats=False, **kwargs)
    for name, frame in frames.items():
        cerebro.adddata(bt.feeds.PandasData(dataname=frame), name=name)
    cerebro.broker.setcash(10_000.0)
    return cerebro


def _frames(days: int = 120, names: tuple[str, ...] = ("AAA", "SPY")) -> dict[str, pd.DataFrame]:
    return {n: synthetic_prices(days=days, seed=i) for i, n in enumerate(names)}


class Flip(bt.Strategy):
    """In and out of the first data every ``every`` bars with order_target_percent."""

    params = (("every", 7), ("target", 0.9))

    def next(self):
        if len(self) % self.p.every == 0:
            target = 0.0 if self.getposition(self.data0).size else self.p.target
            self.order_target_percent(self.data0, target=target)


class Crossing(bt.Strategy):
    """An SMA crossover: nothing happens before the 20-bar warm-up (backtrader's prenext)."""

    def __init__(self):
        self.cross = bt.ind.CrossOver(self.data0.close, bt.ind.SMA(self.data0, period=20))

    def next(self):
        if self.cross[0]:
            self.order_target_percent(self.data0, target=0.9 if self.cross[0] > 0 else 0.0)


class Rivals(bt.Strategy):
    """Every data but the last held at equal weight, rebalanced every 20 bars."""

    def next(self):
        if len(self) % 20 == 1:
            for data in self.datas[:-1]:
                self.order_target_percent(data, target=0.9 / (len(self.datas) - 1))


class Sized(bt.Strategy):
    """Whole shares from a sizer: buy, then sell after 10 bars."""

    def next(self):
        if len(self) % 10 == 0:
            self.sell() if self.position else self.buy()


class Bracket(bt.Strategy):
    """A bracket order (stop-loss 3% below, take-profit 3% above) whenever flat."""

    def next(self):
        if not self.position and not self.orders_open():
            price = self.data0.close[0]
            self.buy_bracket(size=20, price=price, stopprice=price * 0.97, limitprice=price * 1.03)

    def orders_open(self) -> bool:
        return any(o.alive() for o in self.broker.get_orders_open())


class OnOpen(bt.Strategy):
    """Cheat-on-open: orders sized on the bar's open, filled at that open."""

    def next_open(self):
        if len(self) % 5 == 0:
            target = 0.0 if self.position else 0.8
            self.order_target_percent(self.data0, target=target)


def _run(cerebro: bt.Cerebro, strategy: type, **params) -> bt.Strategy:
    cerebro.addstrategy(strategy, **params)
    cerebro.addanalyzer(Significance, _name="significance", benchmark="SPY", bootstrap_reps=REPS)
    cerebro.addanalyzer(bt.analyzers.TimeReturn, _name="time_return", timeframe=bt.TimeFrame.Days)
    return cerebro.run()[0]


def _assert_time_return(result: bt.Strategy) -> None:
    theirs = pd.Series(result.analyzers.time_return.get_analysis())
    ours = result.analyzers.significance.returns
    assert list(pd.DatetimeIndex(theirs.index).normalize()) == list(ours.index)
    np.testing.assert_array_equal(ours.to_numpy(), theirs.to_numpy())  # to the bit


@pytest.mark.parametrize(
    ("strategy", "frames", "setup"),
    [
        (Flip, ("AAA", "SPY"), {}),
        (Crossing, ("AAA", "SPY"), {}),
        (Rivals, ("AAA", "BBB", "CCC", "SPY"), {}),
        (Sized, ("AAA", "SPY"), {"sizer": (bt.sizers.FixedSize, {"stake": 15})}),
        (Bracket, ("AAA", "SPY"), {}),
        (OnOpen, ("AAA", "SPY"), {"cheat_on_open": True}),
    ],
    ids=[
        "order_target_percent",
        "indicator_warmup",
        "several_datas",
        "sizer",
        "bracket",
        "cheat_on_open",
    ],
)
def test_returns_equal_time_return_under_each_usage(strategy, frames, setup):
    setup = dict(setup)
    sizer = setup.pop("sizer", None)
    cerebro = _cerebro(_frames(names=frames), **setup)
    cerebro.broker.setcommission(commission=0.001)
    if sizer is not None:
        cerebro.addsizer(sizer[0], **sizer[1])
    result = _run(cerebro, strategy)
    _assert_time_return(result)
    record = result.analyzers.significance.record
    assert len(record.trades) > 0 and record.rejected_orders == 0
    # signed as the engine's trades (sells negative): they add up to the positions held
    trades = record.trades
    assert ((trades["size"] < 0) == (trades["side"] == "sell")).all()
    held = trades.groupby("ticker")["size"].sum()
    for data in result.datas:
        assert held.get(data._name, 0.0) == pytest.approx(result.getposition(data).size)
    # the value at the last close is the broker's
    assert record.values.iloc[-1] == pytest.approx(result.broker.getvalue(), rel=1e-12)


@settings(max_examples=8, deadline=None)
@given(every=st.integers(2, 15), target=st.floats(0.1, 0.95), commission=st.floats(0, 0.005))
def test_returns_equal_time_return_for_any_trading_rhythm(every, target, commission):
    cerebro = _cerebro(_frames(days=60))
    cerebro.broker.setcommission(commission=commission)
    _assert_time_return(_run(cerebro, Flip, every=every, target=target))


def test_intraday_bars_give_one_return_per_day():
    days = pd.bdate_range("2021-03-01", periods=40)
    hours = pd.DatetimeIndex([d + pd.Timedelta(hours=h) for d in days for h in (10, 12, 15)])
    frames = {}
    for seed, name in enumerate(("AAA", "SPY")):
        daily = synthetic_prices(days=len(hours), seed=seed)
        frames[name] = daily.set_axis(hours)
    cerebro = _cerebro(frames)
    result = _run(cerebro, Flip, every=5)
    ours = result.analyzers.significance
    values = ours.record.values
    assert list(values.index) == list(days)
    # each day's value is the one at its last bar; the prices are aggregated per day
    spy = ours.record.prices["SPY"]
    assert spy.loc[days[0], "Open"] == frames["SPY"]["Open"].iloc[0]
    assert spy.loc[days[0], "Close"] == frames["SPY"]["Close"].iloc[2]
    assert spy.loc[days[0], "High"] == frames["SPY"]["High"].iloc[:3].max()


def _hand_psr(returns: pd.Series, benchmark_sharpe: float) -> float:
    """Bailey and Lopez de Prado's PSR, per-period Sharpe, Pearson kurtosis."""
    sr = returns.mean() / returns.std(ddof=1)
    skew = stats.skew(returns)
    kurt = stats.kurtosis(returns, fisher=False)
    bench = benchmark_sharpe / np.sqrt(252)
    z = (sr - bench) * np.sqrt(len(returns) - 1) / np.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr**2)
    return float(stats.norm.cdf(z))


def test_significance_numbers_equal_a_hand_computation():
    frames = _frames(days=250)
    result = _run(_cerebro(frames), Flip)
    got = result.analyzers.significance.get_analysis()
    values = result.analyzers.significance.record.values
    returns = values.pct_change().iloc[1:]  # from the first close, as run's statistics
    sharpe = returns.mean() / returns.std(ddof=1) * np.sqrt(252)
    assert got["sharpe"] == pytest.approx(sharpe, rel=1e-12)
    # SPY held without costs: bought at the second day's open, then close to close
    spy = frames["SPY"]
    held = spy["Close"] / spy["Close"].shift(1) - 1
    held.iloc[1] = spy["Close"].iloc[1] / spy["Open"].iloc[1] - 1
    held = held.iloc[1:]
    bench_sharpe = held.mean() / held.std(ddof=1) * np.sqrt(252)
    assert got["benchmark_sharpe"] == pytest.approx(bench_sharpe, rel=1e-9)
    assert got["psr_vs_zero"] == pytest.approx(_hand_psr(returns, 0.0), rel=1e-9)
    assert got["psr_vs_benchmark"] == pytest.approx(_hand_psr(returns, bench_sharpe), rel=1e-9)
    assert got["dsr"] == pytest.approx(got["psr_vs_zero"], rel=1e-12)  # one trial: DSR = PSR
    excess = got["excess_return"]
    assert excess["estimate"] == pytest.approx(252 * (returns - held).mean(), rel=1e-9)
    assert excess["low"] < excess["estimate"] < excess["high"]
    assert got["days"] == len(returns) and got["trials"] == 1


def test_more_trials_lower_the_dsr():
    one = _run(_cerebro(_frames(days=250)), Flip).analyzers.significance.get_analysis()
    cerebro = _cerebro(_frames(days=250))
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(
        Significance,
        benchmark="SPY",
        trials=10,
        trial_sharpes=[0.5, -0.2, 1.0],
        bootstrap_reps=REPS,
    )
    many = cerebro.run()[0].analyzers[0].get_analysis()
    assert many["trials"] == 10 and many["sharpe"] == one["sharpe"]
    assert many["dsr"] < one["dsr"]


def test_call_test_equals_closed_form_holding_returns():
    frames = _frames(days=200)
    cerebro = _cerebro(frames)
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(
        CallTest,
        _name="call",
        ticker="AAA",
        date="2019-06-10",  # a Monday: decided at Friday's close
        benchmarks=["SPY"],
        horizons_months=(1, 3),
        base_rate_start="2019-01-01",
        bootstrap_reps=REPS,
    )
    result = cerebro.run()[0]
    got = result.analyzers.call.get_analysis()
    assert got["decision_day"] == "2019-06-07" and got["entry_day"] == "2019-06-10"
    entry = pd.Timestamp("2019-06-10")
    expected = {n: f["Close"].iloc[-1] / f.loc[entry, "Open"] - 1 for n, f in frames.items()}
    assert got["legs"] == pytest.approx(expected, rel=1e-9)
    assert got["excess"]["SPY"] == pytest.approx(expected["AAA"] - expected["SPY"], rel=1e-9)
    one_month = got["horizons"]["1m"]
    exit_day = pd.Timestamp(one_month["exit_day"])
    assert exit_day == pd.Timestamp("2019-07-10")
    aaa = frames["AAA"]
    assert one_month["return:AAA"] == pytest.approx(
        aaa.loc[exit_day, "Close"] / aaa.loc[entry, "Open"] - 1, rel=1e-9
    )
    values = result.analyzers.call.record.values
    mine = values.iloc[-1] / values.loc[pd.Timestamp("2019-06-07")] - 1
    assert got["strategy"]["total_return"] == pytest.approx(mine, rel=1e-12)
    assert got["strategy"]["minus_call"] == pytest.approx(mine - expected["AAA"], rel=1e-9)


def test_a_sell_call_reverses_the_excess():
    cerebro = _cerebro(_frames(days=150))
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(
        CallTest,
        ticker="AAA",
        date="2019-04-01",
        stance="sell",
        benchmarks=["SPY"],
        base_rate_start="2019-01-01",
        bootstrap_reps=REPS,
    )
    got = cerebro.run()[0].analyzers[0].get_analysis()
    assert got["excess"]["SPY"] == pytest.approx(got["legs"]["SPY"] - got["legs"]["AAA"])
    short = got["short_position"]
    # The call's position is the short: the strategy is measured against it, not the stock.
    assert short["price_return"] == pytest.approx(-got["legs"]["AAA"], rel=1e-9)  # no costs
    assert got["strategy"]["minus_call"] == pytest.approx(
        got["strategy"]["total_return"] - short["total_return"], rel=1e-12
    )


def test_tearsheet_is_written_and_never_overwrites(tmp_path):
    page = tmp_path / "sheet.html"
    cerebro = _cerebro(_frames(days=80))
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(Tearsheet, benchmark="SPY", output=str(page), title="<b>Flip</b>")
    got = cerebro.run()[0].analyzers[0].get_analysis()
    assert got["path"] == str(page)
    text = page.read_text(encoding="utf-8")
    assert "&lt;b&gt;Flip&lt;/b&gt;" in text and "<b>Flip</b>" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.html"]  # no scratch file left
    again = _cerebro(_frames(days=80))
    again.addstrategy(Flip)
    again.addanalyzer(Tearsheet, benchmark="SPY", output=str(page))
    with pytest.raises(BadInputError, match="never overwritten"):
        again.run()


class Idle(bt.Strategy):
    pass


@pytest.mark.parametrize(
    ("analyzer", "params", "message"),
    [
        (Significance, {"benchmark": "QQQ"}, r"'QQQ' is not a data of this cerebro"),
        (Tearsheet, {"benchmark": "QQQ", "output": "x.html"}, r"'QQQ' is not a data"),
        (CallTest, {"date": "2019-03-01", "benchmarks": ["QQQ"]}, r"'QQQ' is not a data"),
        (CallTest, {"ticker": "ZZZ", "date": "2019-03-01", "benchmarks": ["SPY"]}, "'ZZZ'"),
        (CallTest, {"benchmarks": ["SPY"]}, r"give date=YYYY-MM-DD"),
        (CallTest, {"date": "2030-01-01", "benchmarks": ["SPY"]}, r"outside the data"),
        (CallTest, {"date": "2019-01-02", "benchmarks": ["SPY"]}, r"outside the data"),
        (CallTest, {"date": "2019-03-01", "benchmarks": []}, r"give benchmarks"),
        (
            CallTest,
            {"date": "2019-13-01", "benchmarks": ["SPY"]},
            r"^CallTest: date: '2019-13-01' is not a date; write YYYY-MM-DD\.$",
        ),
        (
            CallTest,
            {"window": ("2019-03-01", "03/08/2019"), "benchmarks": ["SPY"]},
            r"^CallTest: window: '03/08/2019' is not a date; write YYYY-MM-DD\.$",
        ),
        (
            CallTest,
            {"date": "2019-03-01", "base_rate_start": "2019", "benchmarks": ["SPY"]},
            r"^CallTest: base_rate_start: '2019' is not a date",
        ),
        (
            CallTest,
            {"date": "2019-03-01", "benchmarks": ["SPY"], "horizons_months": (0,)},
            r"^CallTest: horizons_months: horizons are whole months",
        ),
        (Significance, {"benchmark": "SPY", "trials": 5}, r"needs the Sharpe ratios"),
        (Significance, {"benchmark": "SPY", "trials": 0}, r"1 or more"),
        (Tearsheet, {"benchmark": "SPY"}, r"give output="),
    ],
)
def test_bad_parameters_are_one_readable_error(analyzer, params, message):
    cerebro = _cerebro(_frames(days=60))
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(analyzer, **params)
    with pytest.raises(BadInputError, match=message) as caught:
        cerebro.run()
    error = caught.value  # no other exception chained to it
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


@pytest.mark.parametrize("analyzer", [Significance, Tearsheet])
def test_a_strategy_that_never_trades_is_named(analyzer, tmp_path):
    cerebro = _cerebro(_frames(days=60))
    cerebro.addstrategy(Idle)
    extra = {"output": str(tmp_path / "t.html")} if analyzer is Tearsheet else {}
    cerebro.addanalyzer(analyzer, benchmark="SPY", **extra)
    with pytest.raises(BadInputError, match=r"Idle never held a position"):
        cerebro.run()
    assert not (tmp_path / "t.html").exists()


def test_weekly_bars_are_refused_with_the_fix():
    frames = _frames(days=60)
    cerebro = bt.Cerebro(stdstats=False)
    weekly = bt.feeds.PandasData(dataname=frames["AAA"])
    cerebro.resampledata(weekly, timeframe=bt.TimeFrame.Weeks, name="AAA")
    cerebro.adddata(bt.feeds.PandasData(dataname=frames["SPY"]), name="SPY")
    cerebro.addstrategy(Idle)
    cerebro.addanalyzer(Significance, benchmark="SPY")
    with pytest.raises(BadInputError, match=r"Weeks bars; add daily"):
        cerebro.run()


def test_costs_other_than_percentages_are_refused():
    cerebro = _cerebro(_frames(days=60))
    cerebro.broker.setcommission(commission=1.0, commtype=bt.CommInfoBase.COMM_FIXED)
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(Significance, benchmark="SPY")
    with pytest.raises(BadInputError, match=r"percentage one"):
        cerebro.run()


def test_a_commission_for_one_data_only_is_refused():
    # The held benchmark and the call's legs would otherwise pay the first data's commission.
    cerebro = _cerebro(_frames(days=60))
    cerebro.broker.setcommission(commission=0.0005)
    cerebro.broker.setcommission(commission=0.0, name="SPY")
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(Significance, benchmark="SPY", bootstrap_reps=REPS)
    with pytest.raises(BadInputError, match=r"different commissions .*one commission for all"):
        cerebro.run()


def test_the_broker_costs_are_read_as_fractions():
    cerebro = _cerebro(_frames(days=60))
    cerebro.broker.setcommission(commission=0.0005)
    cerebro.broker.set_slippage_perc(0.0007)
    result = _run(cerebro, Flip)
    costs = result.analyzers.significance.record.costs
    assert (costs.commission, costs.slippage) == (0.0005, 0.0007)


def test_a_benchmark_with_bad_prices_is_named():
    frames = _frames(days=60)
    frames["SPY"].iloc[30, frames["SPY"].columns.get_loc("Close")] = -1.0
    cerebro = _cerebro(frames)
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(Significance, benchmark="SPY")
    with pytest.raises(BadInputError, match=r"^Significance: the cerebro's data SPY: .*negative"):
        cerebro.run()


def test_optstrategy_variants_share_one_call_evaluation(monkeypatch):
    import catalystlab.bt.calltest as calltest

    calls = []
    original = calltest.evaluate_call
    monkeypatch.setattr(
        calltest, "evaluate_call", lambda *a, **k: calls.append(1) or original(*a, **k)
    )
    cerebro = _cerebro(_frames(days=120), maxcpus=1)
    cerebro.optstrategy(Flip, every=[4, 9, 14])
    cerebro.addanalyzer(
        CallTest,
        ticker="AAA",
        date="2019-03-01",
        benchmarks=["SPY"],
        bootstrap_reps=REPS,
        base_rate_start="2019-01-01",
    )
    results = cerebro.run()
    analyses = [variant.analyzers[0].get_analysis() for (variant,) in results]
    assert len(calls) == 1
    assert all(a["legs"] == analyses[0]["legs"] for a in analyses)
    assert len({a["strategy"]["total_return"] for a in analyses}) == 3  # each its own strategy


class Deposit(Flip):
    """Flip, adding 5,000 of cash on the 30th bar."""

    def next(self):
        if len(self) == 30:
            self.broker.add_cash(5_000.0)
        super().next()


def test_cash_added_during_the_run_is_refused_unless_in_fund_mode():
    cerebro = _cerebro(_frames(days=80))
    cerebro.addstrategy(Deposit)
    cerebro.addanalyzer(Significance, benchmark="SPY", bootstrap_reps=REPS)
    with pytest.raises(BadInputError, match=r"added or took cash .*set_fundmode\(True\)"):
        cerebro.run()
    # In fund mode the deposit buys fund shares: no day's return is the deposit's 50%.
    cerebro = _cerebro(_frames(days=80))
    cerebro.broker.set_fundmode(True)
    result = _run(cerebro, Deposit)
    assert result.analyzers.significance.returns.abs().max() < 0.2
    _assert_time_return(result)


@pytest.mark.parametrize(
    "setting", [{"slip_open": False}, {"slip_match": False}, {"slip_out": True}]
)
def test_slippage_that_backtrader_applies_otherwise_than_the_benchmark_is_refused(setting):
    # backtrader's market orders fill at the open unslipped with slip_open=False, while the
    # benchmark held by the statistics pays the slippage at its open fill.
    cerebro = _cerebro(_frames(days=60))
    cerebro.broker.set_slippage_perc(0.0007, **setting)
    cerebro.addstrategy(Flip)
    cerebro.addanalyzer(Significance, benchmark="SPY", bootstrap_reps=REPS)
    with pytest.raises(BadInputError, match=r"set_slippage_perc\(0.0005\) with its defaults"):
        cerebro.run()
