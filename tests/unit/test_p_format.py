"""A p-value is never printed as 0.00: the Monte Carlo floor or more digits instead."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.report.formatting import format_p, format_value, p_equals


@pytest.mark.parametrize(
    ("value", "draws", "text"),
    [
        (1 / 1001, 1000, "< 0.001"),  # no draw as extreme of 1000: the floor 1/1001
        (1 / 201, 200, "< 0.005"),  # floor 0.004975: the next 1, 2, 5 x 10^n above it
        (1 / 100, 99, "< 0.02"),  # floor 0.01 itself: "< 0.01" would be false
        (2 / 1001, 1000, "0.002"),  # one draw as extreme: a value, not the floor
        (0.006, None, "0.006"),
        (0.04, None, "0.040"),
        (0.25, None, "0.25"),
        (1.0, None, "1.00"),
        (3e-12, None, "< 0.001"),  # an analytic p far below what three decimals show
        (0.0, None, "< 0.001"),
        (math.nan, None, "–"),
        (None, 1000, "–"),
    ],
)
def test_known_values(value: float | None, draws: int | None, text: str) -> None:
    assert format_p(value, draws=draws) == text


def test_sentence_form() -> None:
    assert p_equals(1 / 1001, draws=1000) == "p < 0.001"
    assert p_equals(0.006) == "p = 0.006"


def test_table_columns_named_pvalue_use_it() -> None:
    assert format_value(0.0, "t_pvalue") == "< 0.001"
    assert format_value(0.0004, "placebo_pvalue") == "< 0.001"
    assert format_value(0.0, "sharpe") == "0.00"  # other columns keep their format


@given(
    st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    st.one_of(st.none(), st.integers(min_value=1, max_value=10**7)),
)
def test_never_zero_never_unreadable(value: float, draws: int | None) -> None:
    """No "0.00", no nan/inf/exponent; a printed bound lies above the value, a printed
    number within rounding of it."""
    text = format_p(value, draws=draws)
    assert re.fullmatch(r"(< )?\d+(\.\d+)?", text), text
    number = float(text.removeprefix("< "))
    assert number > 0
    if text.startswith("<"):
        assert number > value
    else:
        assert abs(number - value) <= 0.005 + 1e-12
