"""examples/sma_catalyst_filter.py runs on the snapshot, and enters only while its catalyst
is on: every entry follows a close above the average with the margin line on, and some
crosses with the catalyst off are skipped."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sma_catalyst_filter.py"


@pytest.fixture
def main(monkeypatch) -> Callable[[list[str]], int]:
    """The example's ``main``, its module imported under its own name (backtrader looks
    strategy classes up in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location("sma_catalyst_filter", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module.main


def test_the_sma_example_enters_only_while_the_catalyst_is_on(main, shared_data, tmp_path, capsys):
    assert main(["--data-dir", str(shared_data), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "Starting portfolio value: 100,000.00" in printed
    assert "Final portfolio value: " in printed and "nan" not in printed
    rows = pd.read_csv(tmp_path / "sma_catalyst_filter.csv", parse_dates=["date"])
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


def test_a_symbol_without_data_is_one_message_and_exit_3(main, shared_data, tmp_path, capsys):
    code = main(["--data-dir", str(shared_data), "--out", str(tmp_path), "--ticker", "XYZ"])
    assert code == 3
    assert capsys.readouterr().err.startswith("error: No prices for XYZ")
    assert not any(tmp_path.iterdir())
