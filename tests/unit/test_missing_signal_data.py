"""A catalyst rule whose ticker has none of its data: a config error naming strategy, signal,
ticker and what is missing, or (allow_missing_data) a warning, and the rule left out of SPA
and the DSR's trials; no verdict sentence built on a NaN."""

from __future__ import annotations

from pathlib import Path

import yaml
from signal_inputs import event, events, fundamentals, quarter

import catalystlab as cl
from catalystlab.cli import main
from catalystlab.config import StrategyConfig
from catalystlab.core.pit import EVENT_COLUMNS
from catalystlab.pipeline.data_check import missing_signal_data
from catalystlab.pipeline.plan import plan_strategy

EVENT_HEADER = ",".join(c for c in EVENT_COLUMNS if c != "known_from") + "\n"
FUNDAMENTALS_HEADER = "ticker,metric,fiscal_period,period_end,value,public_date,source\n"


def _plan(sid: str, signal: str, **params):
    return plan_strategy(
        StrategyConfig(id=sid, kind="signal", signal=signal, ticker="AAA", signal_params=params)
    )


def test_needs_are_checked_per_signal_and_ticker():
    table = fundamentals(quarter("AAA", "2020-03-31", "2020-04-30", {"revenue": 100.0}))
    layoffs = events([event("BBB", "layoff", "2020-05-01")])
    plans = [
        _plan("m", "margin"),
        _plan("g", "margin", measure="income_growth"),
        _plan("l", "layoffs"),
        _plan("c", "capex", mode="either"),
    ]
    found = {m.strategy: m for m in missing_signal_data(plans, fundamentals=table, events=layoffs)}
    assert (
        found["m"].missing == ("fundamentals metric 'operating_income'",) and not found["m"].blind
    )
    assert found["g"].blind and found["l"].blind and found["c"].blind
    assert found["c"].missing == ("fundamentals metric 'capex' or 'capex_guidance' events",)
    assert found["l"].sentence() == "strategy 'l' (signal 'layoffs') has no 'layoff' events for AAA"


def _setup(tmp_path: Path, price_folder, **extra) -> list[str]:
    data = price_folder(("AAA", "SPY"), days=300)
    fundamentals_csv = tmp_path / "fundamentals.csv"
    fundamentals_csv.write_text(FUNDAMENTALS_HEADER)
    events_csv = tmp_path / "events.csv"
    events_csv.write_text(EVENT_HEADER)
    config = {
        "name": "blind_rule",
        "start": "2019-01-02",
        "statistics": {"bootstrap_reps": 100},
        "signal_data": {"fundamentals": str(fundamentals_csv), "events": [str(events_csv)]},
        "strategies": [
            {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
            {"id": "margin_aaa", "kind": "signal", "signal": "margin", "ticker": "AAA"},
        ],
        **extra,
    }
    path = tmp_path / "blind.yaml"
    path.write_text(yaml.safe_dump(config))
    return [str(path), "--data-dir", str(data), "--out", str(tmp_path / "out")]


def test_a_rule_without_data_is_a_config_error(tmp_path, price_folder, capsys):
    args = _setup(tmp_path, price_folder)
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert "strategy 'margin_aaa' (signal 'margin') has no fundamentals metric 'revenue'" in err
    assert "allow_missing_data" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["validate", *args[:3]]) == 2


def test_allow_missing_data_runs_with_a_warning_and_leaves_the_rule_out(tmp_path, price_folder):
    config, _, data, *_ = _setup(tmp_path, price_folder, allow_missing_data=True)
    result = cl.run(config, data_dir=data, write=False)
    assert any(n.startswith("warning: strategy 'margin_aaa'") for n in result.notes)
    comparison = result.outcome.comparison
    assert comparison.without_data == ("margin_aaa",)
    assert comparison.n_trials == 1 and comparison.spa == ()
    verdict = result.summary["verdict"]
    assert "Left out for lack of data: margin_aaa" in verdict
    assert "nan" not in verdict.lower()


def test_the_event_study_names_tickers_without_events(tmp_path, price_folder):
    data = price_folder(("AAA", "BBB", "SPY"), days=400)
    events_csv = tmp_path / "events.csv"
    day = "2020-03-02"
    events_csv.write_text(
        EVENT_HEADER + f"AAA,layoff,{day},intraday,5000,,,official,test cut,test,confirmed\n"
    )
    config = {
        "name": "study",
        "signal_data": {"events": [str(events_csv)]},
        "event_study": {
            "tickers": ["AAA", "BBB"],
            "market": "SPY",
            "estimation": [-200, -10],
            "windows": [[0, 5]],
            "placebo_draws": 50,
        },
    }
    result = cl.events(config, data_dir=data, write=False)
    assert result.outcome.study.without_events == ("BBB",)
    assert (
        "The events file has no layoff event for BBB." in result.summary["event_study"]["sentence"]
    )
