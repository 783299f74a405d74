"""A tearsheet, opened in headless Chromium at 1400 px, holds up: no console error, no
request leaving the page, every chart drawn, every link resolving, no table wider than the
page, and a hostile title shown as text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.report.tearsheets import write_tearsheet

from .harness import check_page

pytestmark = pytest.mark.browser

HOSTILE_TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)> & {{metrics}}'
QUANTSTATS_CREDIT = ("http://quantstats.io/",)


@pytest.fixture(scope="module")
def returns() -> tuple[pd.Series, pd.Series]:
    """Synthetic daily returns (fractions) from 15 Mar 2021 to 19 Jul 2024, strategy and
    benchmark, the strategy in cash for its first month."""
    days = pd.bdate_range("2021-03-15", "2024-07-19")
    rng = np.random.default_rng(21)
    strategy = pd.Series(rng.normal(0.0005, 0.012, len(days)), index=days)
    strategy[days < "2021-04-15"] = 0.0
    benchmark = pd.Series(rng.normal(0.0003, 0.01, len(days)), index=days, name="SPY")
    return strategy, benchmark


@pytest.mark.parametrize("title", ["Momentum 12-1 (AAPL)", HOSTILE_TITLE])
def test_a_tearsheet_holds_up_in_chromium(browser, returns, tmp_path, title):
    path = write_tearsheet(*returns, tmp_path / "tearsheet.html", title=title)
    report = check_page(browser, path, width=1400)
    assert report.problems() == {}
    assert report.external_links == QUANTSTATS_CREDIT
    assert f"{title} (Compounded)" in report.text
    assert "Information Ratio (ann.)" in report.text
