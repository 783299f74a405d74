"""``catalystlab.bt.report``: the results folder of an optstrategy run in a user's cerebro,
its numbers equal to the analyzers' and to the data, and every bad input."""

from __future__ import annotations

import json

import backtrader as bt
import pandas as pd
import pytest

from catalystlab.bt import CallTest, Significance, report
from catalystlab.core.errors import BadInputError
from tests.conftest import synthetic_prices
from tests.unit.test_bt_analyzers import REPS, Flip, Idle


def _cerebro(days: int = 150, **kwargs) -> bt.Cerebro:
    cerebro = bt.Cerebro(stdstats=False, maxcpus=1, **kwargs)
    for seed, name in enumerate(("AAA", "SPY")):
        frame = synthetic_prices(days=days, seed=seed)
        cerebro.adddata(bt.feeds.PandasData(dataname=frame), name=name)
    cerebro.broker.setcommission(commission=0.0005)
    return cerebro


def test_optstrategy_variants_are_ranked_each_a_trial(tmp_path):
    cerebro = _cerebro()
    cerebro.optstrategy(Flip, every=[5, 11])
    cerebro.addanalyzer(Significance, benchmark="SPY", bootstrap_reps=REPS)
    cerebro.addanalyzer(
        CallTest,
        ticker="AAA",
        date="2019-05-01",
        benchmarks=["SPY"],
        base_rate_start="2019-01-01",
        bootstrap_reps=REPS,
    )
    results = cerebro.run()
    folder = report(results, benchmark="spy", out=tmp_path, name="flips", bootstrap_reps=REPS)
    names = {path.name for path in folder.iterdir()}
    assert {"report.html", "comparison.csv", "equity.csv", "summary.json"} <= names
    assert {"manifest.json", "config.yaml", "tearsheets", "call.png"} <= names
    assert sorted(p.name for p in (folder / "tearsheets").iterdir()) == [
        "flip-1.html",
        "flip-2.html",
    ]
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["comparison"]["n_trials"] == 2
    assert summary["comparison"]["trial_strategies"] == ["flip-1", "flip-2"]
    assert summary["comparison"]["spa"][0]["benchmark"] == "SPY"
    table = pd.read_csv(folder / "comparison.csv", index_col="strategy")
    equity = pd.read_csv(folder / "equity.csv", index_col="Date", parse_dates=True)
    for sid, (variant,) in zip(("flip-1", "flip-2"), results, strict=True):
        own = variant.analyzers[0].get_analysis()
        assert table.loc[sid, "sharpe"] == pytest.approx(own["sharpe"], rel=1e-9)
        assert table.loc[sid, "psr"] == pytest.approx(own["psr_vs_benchmark"], rel=1e-9)
        values = variant.analyzers[0].record.values
        assert equity[sid].to_numpy() == pytest.approx(values.to_numpy(), abs=5e-7)
        assert summary["strategies"][sid]["label"] == variant.analyzers[0].record.label
    # two trials deflate: the DSR is below the one-trial DSR (= PSR against 0)
    best = table.index[table["rank"] == table.loc[["flip-1", "flip-2"], "rank"].min()][0]
    one_trial = dict(zip(("flip-1", "flip-2"), results, strict=True))[best][0]
    assert table.loc[best, "dsr"] < one_trial.analyzers[0].get_analysis()["dsr"]
    call = results[0][0].analyzers[1].get_analysis()
    for leg, value in call["legs"].items():
        assert summary["call"]["out_of_sample"][leg]["total_return"] == pytest.approx(value)
    assert summary["benchmark"] == "SPY"
    # the page speaks of the user's strategies and their broker's fills, not of catalyst rules
    page = (folder / "report.html").read_text()
    assert "the strategies fill as their own broker fills them" in page
    assert "slippage per trade · fills at the next open" not in page
    assert "<b>Your strategies.</b> Hansen&#x27;s SPA test of 2 strategies (flip-1, flip-2)" in page
    assert "rules" not in page.lower()


def _ran(strategy: type = Flip, analyzer: type | None = Significance, **kwargs) -> list:
    cerebro = _cerebro(**kwargs)
    cerebro.addstrategy(strategy)
    if analyzer is not None:
        cerebro.addanalyzer(analyzer, benchmark="SPY", bootstrap_reps=REPS)
    return cerebro.run()


def _optimised(strategy: type) -> list:
    cerebro = _cerebro()
    cerebro.optstrategy(strategy)
    cerebro.addanalyzer(Significance, benchmark="SPY", bootstrap_reps=REPS)
    results = cerebro.run()
    assert results[0][0].analyzers[0].get_analysis()["never_traded"] is True
    return results


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: _ran(analyzer=None), r"Flip has no catalystlab analyzer"),
        (lambda: _optimised(Idle), r"no strategy ever held a position"),
        (lambda: [*_ran(days=150), *_ran(days=140)], r"ran on other days"),
        (lambda: [], r"no strategy given"),
    ],
    ids=["no_analyzer", "never_trades", "other_days", "nothing"],
)
def test_bad_input_writes_nothing(make, message, tmp_path):
    with pytest.raises(BadInputError, match=message):
        report(make(), benchmark="SPY", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_benchmark_that_is_not_a_data_is_named(tmp_path):
    with pytest.raises(BadInputError, match=r"report: 'QQQ' is not a data of this cerebro"):
        report(_ran(), benchmark="QQQ", out=tmp_path)
