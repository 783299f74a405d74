"""A signed percent never prints "-0.0%" (the catalyst ledger's "mean excess -0.0%")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catalystlab.report.formatting import format_value, signed_percent


def test_known_values():
    assert signed_percent(0.072) == "+7.2%"
    assert signed_percent(-0.036) == "-3.6%"
    assert signed_percent(-0.0004) == "+0.0%"  # f"{-0.0004:+.1%}" is "-0.0%"
    assert signed_percent(-0.0006) == "-0.1%"
    assert signed_percent(12.5) == "+1,250.0%"
    assert format_value(-0.0004, "excess_total_return") == "+0.0%"


@given(st.floats(-10, 10, allow_nan=False))
def test_never_minus_zero_and_within_half_a_digit_of_the_value(value):
    text = signed_percent(value)
    assert text != "-0.0%" and text[0] in "+-"
    assert abs(float(text[:-1].replace(",", "")) - value * 100) <= 0.05 + 1e-9
