"""No verdict sentence formats a NaN: what cannot be measured is said in words."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd

from catalystlab.analysis.call.legs import CallResult
from catalystlab.analysis.call.short import ShortPosition
from catalystlab.analysis.call.stance import Stance
from catalystlab.analysis.call.timing import CallTiming
from catalystlab.report.verdicts import call_headline, call_sentence, ranking_sentence

NAN = math.nan


def test_ranking_sentence_without_a_sharpe_ratio():
    table = pd.DataFrame(
        {"rank": [1], "label": ["Margin (XLK)"], "sharpe": [NAN], "dsr": [NAN], "psr": [NAN]},
        index=["margin_xlk"],
    )
    text = ranking_sentence(SimpleNamespace(table=table, n_trials=1, benchmark="SPY"))
    assert "nan" not in text.lower() and "cannot be measured" in text


def _timing() -> CallTiming:
    days = pd.bdate_range("2024-01-01", periods=3)
    return CallTiming(call_date=days[1], decision_day=days[0], entry_day=days[1], end_day=days[2])


def test_call_sentence_skips_unmeasured_numbers():
    oos = pd.DataFrame(
        {"total_return": [0.1, NAN], "excess_total_return": [0.0, NAN]}, index=["AAA", "SPY"]
    )
    interval = pd.DataFrame({"annual_excess": [NAN], "low": [NAN], "high": [NAN]}, index=["SPY"])
    short = ShortPosition(
        borrow_fee=0.01, days=0, price_return=NAN, trading_cost=NAN, borrow_cost=NAN
    )
    result = CallResult(
        ticker="AAA",
        timing=_timing(),
        out_of_sample=oos,
        excess_interval=interval,
        labels={"AAA": "AAA", "SPY": "SPY"},
        stance=Stance.SELL,
        short=short,
    )
    text = call_sentence(result)
    assert "nan" not in text.lower() and "+10.0%" in text
    oos.loc["AAA", "total_return"] = NAN
    text = call_sentence(result)
    assert "nan" not in text.lower() and "cannot be measured" in text


def test_the_call_sentence_says_points_like_the_headline():
    # AMZN +14.7%, SPY +24.6% (excess -9.9 points), MSFT -2.8% (excess +17.5 points).
    oos = pd.DataFrame(
        {
            "total_return": [0.147, 0.246, -0.028],
            "excess_total_return": [0.0, 0.147 - 0.246, 0.147 + 0.028],
        },
        index=["AMZN", "SPY", "MSFT"],
    )
    interval = pd.DataFrame({"annual_excess": [NAN], "low": [NAN], "high": [NAN]}, index=["SPY"])
    result = CallResult(
        ticker="AMZN",
        timing=_timing(),
        out_of_sample=oos,
        excess_interval=interval,
        labels={"AMZN": "AMZN", "SPY": "SPY", "MSFT": "MSFT"},
        stance=Stance.BUY,
    )
    text = call_sentence(result)
    assert "It beat MSFT by 17.5 points." in text
    assert "It trailed SPY by 9.9 points." in text
    assert "by 9.9%" not in text and "by 17.5%" not in text
    assert "trailed by 9.9 points" in call_headline(result)


def test_the_headline_of_a_call_without_benchmark_legs_never_prints_nan():
    def result(total: float) -> CallResult:
        oos = pd.DataFrame({"total_return": [total], "excess_total_return": [0.0]}, index=["AAA"])
        return CallResult(
            ticker="AAA",
            timing=_timing(),
            out_of_sample=oos,
            excess_interval=pd.DataFrame(columns=["annual_excess", "low", "high"]),
            labels={"AAA": "AAA"},
            stance=Stance.BUY,
        )

    assert call_headline(result(0.123)) == "AAA +12.3% since the call."
    text = call_headline(result(NAN))
    assert "nan" not in text.lower() and "not measurable" in text
