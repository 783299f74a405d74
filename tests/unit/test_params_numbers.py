"""Parameter values on a page: infinities and numpy's numbers never read 'inf' or '1e-05'."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.report.params import number, parameter_label

_UNREADABLE = re.compile(r"nan|inf|\de[+-]?\d", re.I)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (float("inf"), "∞"),
        (float("-inf"), "-∞"),
        (np.float32(1e-5), "0.00001"),
        (np.int64(10_000), "10,000"),
        (np.float64("nan"), "none"),
    ],
)
def test_infinite_and_numpy_values(value, shown):
    assert number(value) == shown


def test_a_threshold_of_infinity_and_a_missing_share_read_as_words():
    assert parameter_label("margin", {"threshold": float("inf")}) == "margin: margin change > ∞ pts"
    assert (
        parameter_label("layoffs", {"hold_days": 20, "min_pct": float("nan")})
        == "layoffs: hold 20 days, min none of staff"
    )


@given(st.floats(allow_nan=True, allow_infinity=True, width=32).map(np.float32))
def test_no_float32_reads_as_nan_inf_or_an_exponent(value):
    assert not _UNREADABLE.search(number(value))
