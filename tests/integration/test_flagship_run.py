"""The flagship config on the real snapshot, checked against pandas reading the CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from catalystlab.cli import main
from catalystlab.core.hashing import file_sha256
from catalystlab.report.formatting import percentile_text

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
COMMISSION = SLIPPAGE = 0.0005


def _run_config(name: str, shared_data: Path, out: Path) -> Path:
    """Run ``config/<name>.yaml`` offline on the snapshot and return its results folder."""
    config = str(REPO / "config" / f"{name}.yaml")
    code = main(["run", config, "--data-dir", str(shared_data), "--offline", "--out", str(out)])
    assert code == 0
    (folder,) = out.iterdir()
    return folder


@pytest.fixture(scope="module")
def flagship(flagship_run) -> Path:
    """The session's one flagship results folder (tests/conftest.py)."""
    return flagship_run


def _csv(shared_data: Path, ticker: str) -> pd.DataFrame:
    return pd.read_csv(shared_data / "prices" / f"{ticker}.csv", index_col="Date", parse_dates=True)


def _bought_and_held(frame: pd.DataFrame, entry: str, end: str) -> float:
    """Total return of one buy at ``entry``'s open with the config's costs, held to ``end``.

    Shares are sized for the worst fill, open * (1 + slippage) plus commission; the fill is
    that price capped at the day's high, and what the cap saves stays in cash.
    """
    worst = frame.loc[entry, "Open"] * (1 + SLIPPAGE)
    shares = 1.0 / (worst * (1 + COMMISSION))
    fill = min(worst, frame.loc[entry, "High"])
    cash_left = 1.0 - shares * fill * (1 + COMMISSION)
    return shares * frame.loc[end, "Close"] + cash_left - 1


def _round_trip(frame: pd.DataFrame, entry: str, end: str) -> float:
    """:func:`_bought_and_held`, then sold at ``end``'s close as the call's legs are: the
    close less slippage (no lower than the day's low), less commission on the value sold."""
    held = _bought_and_held(frame, entry, end) + 1
    close = frame.loc[end, "Close"]
    sale = max(close * (1 - SLIPPAGE), frame.loc[end, "Low"])
    worst = frame.loc[entry, "Open"] * (1 + SLIPPAGE)
    shares = 1.0 / (worst * (1 + COMMISSION))
    return held - shares * (close - sale * (1 - COMMISSION)) - 1


def test_call_numbers_agree_with_the_csvs(flagship, shared_data):
    summary = json.loads((flagship / "summary.json").read_text())
    call = summary["call"]
    assert (call["decision_day"], call["entry_day"], call["end_day"]) == (
        "2025-07-31",
        "2025-08-01",
        "2026-09-25",
    )
    for ticker in ("AMZN", "SPY", "QQQ", "MSFT", "NVDA", "META"):
        expected = _round_trip(_csv(shared_data, ticker), "2025-08-01", "2026-09-25")
        got = call["out_of_sample"][ticker]["total_return"]
        assert got == pytest.approx(expected, rel=1e-9), ticker
    amzn = call["out_of_sample"]["AMZN"]["total_return"]
    spy = call["out_of_sample"]["SPY"]["total_return"]
    assert call["out_of_sample"]["SPY"]["excess_total_return"] == pytest.approx(amzn - spy)
    horizon = next(h for h in call["horizons"].values() if h["months"] == 1)
    assert horizon["exit_day"] == "2025-08-29"
    amzn_csv, spy_csv = _csv(shared_data, "AMZN"), _csv(shared_data, "SPY")
    assert horizon["excess:SPY"] == pytest.approx(
        _round_trip(amzn_csv, "2025-08-01", "2025-08-29")
        - _round_trip(spy_csv, "2025-08-01", "2025-08-29"),
        rel=1e-9,
    )
    assert "2025-08-01" in call["verdict"] and "SPY" in call["verdict"]


def test_in_sample_strategies_agree_with_the_csvs(flagship, shared_data):
    summary = json.loads((flagship / "summary.json").read_text())
    assert summary["period"]["start"] == "2015-01-02"
    amzn = _csv(shared_data, "AMZN")
    expected = _bought_and_held(amzn, "2015-01-05", "2026-09-25")
    assert summary["strategies"]["buy_hold_amzn"]["total_return"] == pytest.approx(
        expected, rel=1e-9
    )
    assert all(s["rejected_orders"] == 0 for s in summary["strategies"].values())


def test_amzn_daily_strategy_returns_are_its_close_to_close_returns(flagship, shared_data):
    equity = pd.read_csv(flagship / "equity.csv", index_col="Date", parse_dates=True)
    strategy = equity["buy_hold_amzn"].pct_change().iloc[2:]
    close = _csv(shared_data, "AMZN")["Close"].loc[strategy.index[0] - pd.Timedelta(days=5) :]
    close_to_close = close.pct_change().loc[strategy.index]
    np.testing.assert_allclose(strategy, close_to_close, rtol=0, atol=2e-6)


def test_results_folder_is_complete(flagship):
    names = {p.name for p in flagship.iterdir()}
    assert {
        "summary.json",
        "equity.csv",
        "trades.csv",
        "config.yaml",
        "manifest.json",
        "report.html",
        "tearsheets",
    } <= names
    strategies = json.loads((flagship / "summary.json").read_text())["strategies"]
    assert {p.stem for p in (flagship / "tearsheets").iterdir()} == set(strategies)
    manifest = json.loads((flagship / "manifest.json").read_text())
    files = manifest["inputs"]["fundamentals"]["files"]
    assert {Path(f).name for f in files} == {
        "amzn_quarterly.csv",
        "peers_quarterly.csv",
        "sec_quarterly_long.csv",
    }
    for path, digest in files.items():
        assert digest == file_sha256(path)
    assert manifest["inputs"]["AMZN"]["sha256"] == (
        file_sha256(Path(manifest["inputs"]["AMZN"]["source"].removeprefix("csv:")))
    )


def test_the_kept_outcome_is_data_that_gives_the_same_summary(flagship):
    """The outcome an unchanged re-run prints is JSON and parquet (no pickle anywhere), reads
    back to the numbers of summary.json, and the manifest records every file's sha256."""
    from catalystlab.report import outcome_files
    from catalystlab.report.summary import summary

    assert {p.suffix for p in (flagship / "outcome").iterdir()} == {".json", ".parquet"}
    assert not list(flagship.rglob("*.pickle"))
    kept = outcome_files.load(flagship / "outcome")
    written = json.loads((flagship / "summary.json").read_text())
    assert json.loads(json.dumps(summary(kept, flagship.name))) == written
    recorded = json.loads((flagship / "manifest.json").read_text())["reuse"]["folder"]
    files = {p for p in flagship.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert set(recorded) == {p.relative_to(flagship).as_posix() for p in files}
    for name, digest in recorded.items():
        assert digest == file_sha256(flagship / name)


def test_window_band_and_base_rate_agree_with_the_csvs(flagship, shared_data):
    call = json.loads((flagship / "summary.json").read_text())["call"]
    assert call["entry_convention"] == "next_open"
    amzn, spy = _csv(shared_data, "AMZN"), _csv(shared_data, "SPY")
    spy = spy.loc[spy.index.isin(amzn.index)]
    end = pd.Timestamp("2026-09-25")
    days = amzn.loc["2025-07-01":"2025-08-01"].index
    excess = [
        amzn.loc[end, "Close"] / amzn.loc[d, "Open"] - spy.loc[end, "Close"] / spy.loc[d, "Open"]
        for d in days
    ]
    band = call["window"]["excess"]["SPY"]
    assert band["min"] == pytest.approx(min(excess), rel=1e-9)
    assert band["max"] == pytest.approx(max(excess), rel=1e-9)
    assert call["window"]["entry_days"]["count"] == len(days) == 23

    calendar = amzn.index
    entry, exit_ = calendar.get_loc(pd.Timestamp("2025-08-01")), calendar.get_loc(end)
    hold = exit_ - entry
    call_excess = (
        amzn["Close"].iloc[exit_] / amzn["Open"].iloc[entry]
        - spy["Close"].iloc[exit_] / spy["Open"].iloc[entry]
    )
    starts = np.arange(calendar.searchsorted(pd.Timestamp("2010-01-01")), entry - hold)
    history = (
        amzn["Close"].to_numpy()[starts + hold] / amzn["Open"].to_numpy()[starts]
        - spy["Close"].to_numpy()[starts + hold] / spy["Open"].to_numpy()[starts]
    )
    rate = call["base_rates"]["SPY"]
    assert rate["n_windows"] == len(history)
    assert rate["call_excess"] == pytest.approx(call_excess, rel=1e-9)
    assert rate["percentile"] == pytest.approx(np.mean(history <= call_excess), abs=1e-12)
    assert f"{percentile_text(rate['percentile'])} percentile" in call["verdict"]


def test_catalyst_strategies_and_signals_are_in_the_run(flagship, shared_data):
    summary = json.loads((flagship / "summary.json").read_text())
    catalysts = {"margin_amzn", "layoffs_amzn", "capex_amzn", "thesis_amzn"}
    assert catalysts <= set(summary["strategies"])
    assert {f"{s}.html" for s in catalysts} <= {p.name for p in (flagship / "tearsheets").iterdir()}
    signals = pd.read_csv(flagship / "signals.csv", index_col="Date", parse_dates=True)
    assert list(signals.columns) == ["margin:AMZN", "layoffs:AMZN", "capex:AMZN", "thesis:AMZN"]
    assert ((signals >= 0) & (signals <= 1)).all().all()
    releases = pd.read_csv(shared_data / "fundamentals" / "amzn_quarterly.csv")["release_date"]
    sessions = signals.index
    next_sessions = {
        sessions[sessions.searchsorted(pd.Timestamp(r) + pd.Timedelta(days=1))]
        for r in releases
        if pd.Timestamp(r) + pd.Timedelta(days=1) <= sessions[-1]
    }
    margin = signals["margin:AMZN"]
    changes = set(margin.index[margin.ne(margin.shift(1))][1:])
    assert changes and changes <= next_sessions
    layoffs = signals["layoffs:AMZN"]
    assert layoffs.loc["2025-10-27"] == 0 and layoffs.loc["2025-10-28"] == 1


def test_comparison_audit_and_event_study_are_in_the_run(flagship):
    summary = json.loads((flagship / "summary.json").read_text())
    table = pd.read_csv(flagship / "comparison.csv", index_col="strategy")
    assert set(table.index) == set(summary["strategies"]) | {"SPY"}
    assert {"psr", "dsr", "excess_return_lo", "excess_return_hi"} <= set(table.columns)
    # AMZN capex is blank for 2017-2020, so the capex rule is mostly in cash.
    assert table.loc["capex_amzn", "time_in_market"] < 0.5
    (spa,) = summary["comparison"]["spa"]
    assert spa["benchmark"] == "buy_hold_amzn"
    assert set(spa["strategies"]) == {s for s in summary["strategies"] if "amzn" in s} - {
        "buy_hold_amzn"
    }
    claims = pd.read_csv(flagship / "claims.csv", index_col="id")
    assert claims.loc["operating_income_2024", "verdict"] == "confirmed"
    assert claims.loc["operating_income_2024", "measured"] == pytest.approx(68593 / 36852 - 1)
    assert claims.loc["ai_spend_105bn_2025", "verdict"] == "partly"
    cars = pd.read_csv(flagship / "event_study.csv")
    assert set(cars["ticker"]) <= {"AMZN", "MSFT", "META", "GOOGL"}
    assert (flagship / "car_path.png").stat().st_size > 1000
    study = summary["event_study"]
    assert study["merged_duplicates"] > 0
    report = (flagship / "report.html").read_text()
    for heading in ("Verdict", "ranked", "Event study", "claims", "Publication window"):
        assert heading in report
    verdict = summary["verdict"]
    assert "SPA" in verdict and "layoff announcements" in verdict and "claims" in verdict


def test_peers_config_runs_the_rules_on_the_rivals(shared_data, tmp_path):
    folder = _run_config("peers_catalysts", shared_data, tmp_path)
    signals = pd.read_csv(folder / "signals.csv", index_col="Date")
    for ticker in ("MSFT", "META", "GOOGL", "NVDA"):
        assert {f"margin:{ticker}", f"layoffs:{ticker}", f"thesis:{ticker}"} <= set(signals)
    assert (signals["layoffs:NVDA"] == 0).all()
    summary = json.loads((folder / "summary.json").read_text())
    assert len(summary["strategies"]) == 20
    spa = {test["benchmark"]: set(test["strategies"]) for test in summary["comparison"]["spa"]}
    assert spa["buy_hold_msft"] == {"margin_msft", "layoffs_msft", "capex_msft", "thesis_msft"}
    assert set(spa) == {f"buy_hold_{t}" for t in ("msft", "meta", "googl", "nvda")}
    assert any("latest_not_PIT" in note for note in summary["notes"])
    # NVIDIA announced no layoffs: its layoff rule runs with a warning, outside SPA and the DSR
    assert "layoffs_nvda" not in spa["buy_hold_nvda"] and "thesis_nvda" in spa["buy_hold_nvda"]
    assert summary["comparison"]["n_trials"] == 15
    assert any(n.startswith("warning: strategy 'layoffs_nvda'") for n in summary["notes"])


def test_the_amzn_tearsheet_quantiles_hold_every_year_of_its_yearly_table(flagship):
    """2022 ended on a Saturday: quantstats' own quantile chart loses AMZN's -49.6% that
    year; ours draws its yearly box from every year, the worst and best years of the page's
    table included."""
    from catalystlab.report.tearsheets import calendar_returns, period_returns

    equity = pd.read_csv(flagship / "equity.csv", index_col="Date", parse_dates=True)
    returns = equity["buy_hold_amzn"].pct_change().dropna()
    yearly = period_returns(returns)["Yearly"]
    assert {p.year: v for p, v in yearly.items()} == pytest.approx(
        calendar_returns(returns).to_dict()
    )
    assert yearly[pd.Period("2022", "Y")] == pytest.approx(-0.496, abs=0.001)
    page = (flagship / "tearsheets" / "buy_hold_amzn.html").read_text(encoding="utf-8")
    for row, value in (("Worst Year", yearly.min()), ("Best Year", yearly.max())):
        assert f"<tr><td>{row}</td><td>" in page
        shown = page.split(f"<tr><td>{row}</td>")[1].split("</tr>")[0]
        assert f"{value:.2%}" in shown
