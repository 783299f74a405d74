"""The call's answer is handed over before the signal data and the full-calendar backtests:
``on_call`` gets the out-of-sample table and the excess intervals, which are the final
call's and say the same headline; the rest of the call test follows in the outcome."""

from __future__ import annotations

import pandas as pd
import pytest

import catalystlab as cl
from catalystlab.pipeline import execute
from catalystlab.report.verdicts import call_headline


@pytest.mark.parametrize("stance", ["buy", "sell"])
def test_the_answer_comes_before_any_full_calendar_backtest(price_folder, monkeypatch, stance):
    data = price_folder(("AAA", "SPY", "BBB"), days=300)
    full_runs: list[str] = []
    original = execute.backtest_plan

    def counted(plan, *args, **kwargs):
        full_runs.append(plan.id)
        return original(plan, *args, **kwargs)

    monkeypatch.setattr(execute, "backtest_plan", counted)
    signal_data = execute._signal_data

    def loading(*args, **kwargs):
        full_runs.append("signal data")
        return signal_data(*args, **kwargs)

    monkeypatch.setattr(execute, "_signal_data", loading)
    answers = []

    def on_call(call):
        answers.append((call, list(full_runs)))

    config = {
        "name": "answer_first",
        "start": "2019-01-02",
        "costs": {"commission": 0.0005, "slippage": 0.0005},
        "call": {
            "ticker": "AAA",
            "date": "2019-09-02",
            "stance": stance,
            "benchmarks": ["SPY", "BBB"],
        },
        "strategies": [{"id": "hold_bbb", "kind": "buy_and_hold", "ticker": "BBB"}],
    }
    result = cl.run(config, data_dir=data, write=False, on_call=on_call)
    final = result.outcome.call
    [(answer, runs_before)] = answers
    # Neither the signal data nor the benchmark's, a leg's or a strategy's full run: they
    # come after.
    assert runs_before == []
    assert full_runs[0] == "signal data" and len(full_runs) >= 3  # the legs AAA, SPY, BBB
    pd.testing.assert_frame_equal(answer.out_of_sample, final.out_of_sample)
    pd.testing.assert_frame_equal(answer.excess_interval, final.excess_interval)
    pd.testing.assert_frame_equal(answer.equity, final.equity)
    assert call_headline(answer) == call_headline(final)
    assert "since the call" in call_headline(answer)
    # What the headline does not need follows in the outcome.
    assert answer.in_sample.empty and answer.horizons.empty and answer.uncertainty is None
    assert not final.in_sample.empty and not final.horizons.empty
    assert final.uncertainty is not None
    assert answer.short is None
    assert (final.short is not None) == (stance == "sell")


def test_an_unevaluable_call_is_answered_too(price_folder):
    data = price_folder(("AAA", "SPY"), days=300)
    answers = []
    config = {
        "name": "too_late",
        "start": "2019-01-02",
        "call": {"ticker": "AAA", "date": "2030-01-02", "benchmarks": ["SPY"]},
    }
    result = cl.run(config, data_dir=data, write=False, on_call=answers.append)
    [answer] = answers
    assert answer is result.outcome.call
    assert "cannot be evaluated" in call_headline(answer)
