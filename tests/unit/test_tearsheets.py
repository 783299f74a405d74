"""quantstats tearsheets: offline, tz-safe, and covering the whole run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from catalystlab.report.tearsheets import write_tearsheet


def test_a_rule_that_starts_in_cash_gets_a_sheet_of_the_whole_period(tmp_path):
    days = pd.bdate_range("2021-01-04", periods=120, tz="America/New_York")
    rng = np.random.default_rng(3)
    returns = pd.Series(np.r_[np.zeros(30), rng.normal(0, 0.01, 90)], index=days)
    benchmark = pd.Series(rng.normal(0, 0.01, 120), index=days)
    path = write_tearsheet(returns, benchmark, tmp_path / "rule.html", title="Rule")
    page = path.read_text()
    assert "4 Jan, 2021" in page
    total = float(np.prod(1 + returns.to_numpy()) - 1)
    assert f"{total:.2%}" in page
