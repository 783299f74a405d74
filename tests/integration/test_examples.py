"""Every script under ``examples/`` runs offline on the snapshot, as a user runs it, and writes
only under its ``--out``; what it prints and writes is checked against the snapshot's numbers
(the flagship run's call) where the example states them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.py"))


def _run(script: Path, data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, str(script), "--data-dir", str(data), "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def ran(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Each example's completed process and its --out folder, run once for the module."""
    done = {}
    for script in EXAMPLES:
        out = tmp_path_factory.mktemp(script.stem)
        done[script.stem] = (_run(script, shared_data, out), out)
    return done


def test_there_are_examples():
    assert {"rivals_portfolio", "optstrategy_dsr"} <= {s.stem for s in EXAMPLES}


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.stem)
def test_each_example_runs_and_writes_a_results_folder(script, ran):
    process, out = ran[script.stem]
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr
    assert not re.search(r"\b(nan|inf)\b|\de[+-]\d", process.stdout, re.IGNORECASE)
    for folder in (p for p in out.iterdir() if p.is_dir()):  # results folders are complete
        assert (folder / "report.html").is_file() and (folder / "summary.json").is_file()
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no staging left
    printed = re.findall(r"^Results: (.+)$", process.stdout, re.MULTILINE)
    assert all(Path(path).parent == out for path in printed)


def _percent(value: float) -> str:
    return f"{value:+.1%}"


def test_the_rivals_portfolio_tests_the_call_as_run_does(ran, flagship_run):
    process, out = ran["rivals_portfolio"]
    assert process.returncode == 0, process.stderr
    legs = json.loads((flagship_run / "summary.json").read_text())["call"]["out_of_sample"]
    for leg in ("AMZN", "SPY", "QQQ", "MSFT", "NVDA", "META"):
        assert re.search(
            rf"^  {leg}\s+{re.escape(_percent(legs[leg]['total_return']))}$",
            process.stdout,
            re.MULTILINE,
        ), leg
    (folder,) = out.iterdir()
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["call"]["out_of_sample"]["AMZN"]["total_return"] == pytest.approx(
        legs["AMZN"]["total_return"], rel=1e-12
    )
    assert list(summary["strategies"]) == ["rivalsonmargin"]


def test_the_sma_example_enters_only_while_the_catalyst_is_on(ran):
    """Every entry follows a close above the average with the margin line on, and some
    crosses with the catalyst off are skipped."""
    process, out = ran["sma_catalyst_filter"]
    assert process.returncode == 0, process.stderr
    assert "Starting portfolio value: 100,000.00" in process.stdout
    rows = pd.read_csv(out / "sma_catalyst_filter.csv", parse_dates=["date"])
    assert rows["date"].iloc[0] > pd.Timestamp("2015-01-01") and len(rows) > 2800
    flat, long = rows["position"].eq(0), rows["position"].gt(0)
    entries = rows.index[flat.shift(1, fill_value=False) & long]  # filled on these bars
    decided = rows.loc[entries - 1]  # at the previous close
    assert len(entries) >= 5
    assert (decided["catalyst"] == 1).all()
    assert (decided["close"] > decided["sma"]).all()
    above = rows["close"] > rows["sma"]
    cross_up = above & ~above.shift(1, fill_value=True)
    skipped = cross_up & flat & rows["catalyst"].eq(0) & flat.shift(-1, fill_value=True)
    assert skipped.sum() >= 3  # the filter kept the rule out on crosses without the catalyst


def test_the_sma_example_tests_the_call_and_writes_a_tearsheet(ran, flagship_run):
    """Its call numbers are the flagship run's (same call, AMZN against SPY) and the strategy
    beside the call is its own value from the decision close, read from its log."""
    process, out = ran["sma_catalyst_filter"]
    assert process.returncode == 0, process.stderr
    call = json.loads((flagship_run / "summary.json").read_text())["call"]
    legs = call["out_of_sample"]
    amzn, spy = (_percent(legs[leg]["total_return"]) for leg in ("AMZN", "SPY"))
    excess = _percent(legs["SPY"]["excess_total_return"])
    assert (
        f"The call: buy AMZN from the open of {call['entry_day']} to {call['end_day']}: "
        f"AMZN {amzn}, SPY {spy}, excess {excess}\n"
    ) in process.stdout
    assert re.search(
        r"^Whole period: Sharpe -?\d\.\d\d, PSR against SPY \d\.\d\d, against 0 \d\.\d\d, "
        r"DSR \d\.\d\d \(1 trial\)$",
        process.stdout,
        re.MULTILINE,
    )
    page = (out / "sma_catalyst_filter_tearsheet.html").read_text(encoding="utf-8")
    assert "<html" in page.lower() and "SmaCrossWithCatalyst" in page


def test_the_sweep_counts_every_variant(ran):
    process, out = ran["optstrategy_dsr"]
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith("6 variants, each counted as a trial of the DSR")
    (folder,) = out.iterdir()
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["comparison"]["n_trials"] == 6
    assert len(summary["strategies"]) == 6
    ranks = [row["rank"] for row in summary["strategies"].values()]
    dsr = {row["rank"]: row["dsr"] for row in summary["strategies"].values()}
    assert sorted(ranks) == sorted(set(ranks))
    first = min(ranks)
    assert dsr[first] == max(dsr.values())


def test_the_docs_recipe_runs_as_written(shared_data, tmp_path, monkeypatch):
    """docs/backtrader.md's opening script, with the snapshot's path, in a fresh folder."""
    text = (REPO / "docs" / "backtrader.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    code = block.group(1).replace('"../shared/data"', repr(str(shared_data)))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/backtrader.md", "exec"), namespace)
    strategy = namespace["strategy"]
    call = strategy.analyzers.calltest.get_analysis()
    assert set(call["excess"]) == {"SPY"}
    # each leg bought at the entry's open and sold at the last close, 5 bp commission each way
    legs = {}
    for leg in ("AMZN", "SPY"):
        prices = pd.read_csv(shared_data / "prices" / f"{leg}.csv", index_col="Date")
        bought, sold = prices.loc[call["entry_day"], "Open"], prices.loc[call["end_day"], "Close"]
        legs[leg] = sold * (1 - 0.0005) / (bought * (1 + 0.0005)) - 1
    assert call["legs"] == pytest.approx(legs, rel=1e-9)
    assert call["excess"]["SPY"] == pytest.approx(legs["AMZN"] - legs["SPY"], rel=1e-9)
    assert 0.0 <= strategy.analyzers.significance.get_analysis()["dsr"] <= 1.0
    assert (tmp_path / "tearsheet.html").is_file()
    (folder,) = (tmp_path / "results").iterdir()
    assert (folder / "report.html").is_file()


@pytest.mark.parametrize("name", [script.stem for script in EXAMPLES])
def test_an_example_without_data_says_so_in_one_line(name, tmp_path):
    (tmp_path / "data" / "prices").mkdir(parents=True)  # a data folder without AMZN's prices
    process = _run(REPO / "examples" / f"{name}.py", tmp_path / "data", tmp_path / "out")
    assert process.returncode == 3, process.stderr
    assert "AMZN" in process.stderr
    assert process.stderr.startswith("error: ") and process.stderr.count("\n") == 1
    assert "Traceback" not in process.stderr and not (tmp_path / "out").exists()
