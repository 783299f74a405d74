"""Fiscal-quarter labels for calendar, June and 52/53-week January fiscal years."""

from __future__ import annotations

import pandas as pd
import pytest

from catalystlab.inputs.fundamentals.periods import (
    fiscal_quarter_label,
    fiscal_year_end_month,
    nearest_month_end,
)


@pytest.mark.parametrize(
    ("day", "month_end"),
    [
        ("2021-05-02", "2021-04-30"),
        ("2024-06-28", "2024-06-30"),
        ("2024-12-31", "2024-12-31"),
        ("2022-01-01", "2021-12-31"),
        ("2025-01-26", "2025-01-31"),
    ],
)
def test_nearest_month_end(day, month_end):
    assert nearest_month_end(pd.Timestamp(day)) == pd.Timestamp(month_end)


@pytest.mark.parametrize(
    ("day", "year_end_month", "label"),
    [
        ("2024-12-31", 12, "2024Q4"),
        ("2024-03-31", 12, "2024Q1"),
        ("2024-09-30", 6, "FY2025Q1"),
        ("2024-06-30", 6, "FY2024Q4"),
        ("2025-03-31", 6, "FY2025Q3"),
        ("2024-04-28", 1, "FY2025Q1"),
        ("2021-05-02", 1, "FY2022Q1"),
        ("2025-01-26", 1, "FY2025Q4"),
        ("2023-10-29", 1, "FY2024Q3"),
    ],
)
def test_fiscal_quarter_label(day, year_end_month, label):
    assert fiscal_quarter_label(pd.Timestamp(day), year_end_month) == label


def test_bad_month_is_a_bug():
    with pytest.raises(ValueError, match=r"1\.\.12"):
        fiscal_quarter_label(pd.Timestamp("2024-12-31"), 13)


def test_year_end_month_from_labelled_quarters():
    ends = pd.Series(pd.to_datetime(["2024-04-28", "2025-01-26", "2024-07-28"]))
    labels = pd.Series(["FY2025Q1", "FY2025Q4", "FY2025Q2"])
    assert fiscal_year_end_month(ends, labels) == 1
    assert fiscal_year_end_month(ends[2:], labels[2:]) == 1  # one Q2 in July is enough
    june = pd.Series(pd.to_datetime(["2024-09-30"]))
    assert fiscal_year_end_month(june, pd.Series(["FY2025Q1"])) == 6
    assert fiscal_year_end_month(ends[:1], pd.Series(["FY2025"])) is None
