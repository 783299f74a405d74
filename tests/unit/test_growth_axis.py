"""The growth chart's log axis reads in plain numbers at any span: no 10^k mathtext, no
scientific notation (a flat strategy's 0.97..1.04 and a long run's 1..15,000 alike)."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.report.charts import draw_growth, plain_number


def _labels(low: float, high: float) -> list[str]:
    figure, axes = plt.subplots()
    curve = pd.DataFrame(
        {"s": np.linspace(low, high, 50)}, index=pd.bdate_range("2020-01-01", periods=50)
    )
    draw_growth(axes, curve, title="growth", log_scale=True)
    figure.canvas.draw()
    labels = [t.get_text() for t in axes.yaxis.get_ticklabels(which="both") if t.get_text()]
    plt.close(figure)
    return labels


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (1.0, 1.04, {"1.01", "1.02", "1.03", "1.04"}),
        (1.0, 1.002, {"1.001", "1.0015", "1.002"}),
        (1.0, 15_000.0, {"1", "10", "100", "1,000", "10,000"}),
        (1.0, 0.3, {"0.3", "0.4", "0.6", "1"}),
    ],
)
def test_the_log_axis_is_labelled_in_plain_numbers(low, high, shown):
    labels = _labels(low, high)
    assert shown <= set(labels)
    assert not [label for label in labels if re.search(r"mathdefault|\\times|e[+-]\d", label)]
    assert len(set(labels)) == len(labels)  # precise enough to tell the ticks apart


@given(
    st.floats(min_value=1e-4, max_value=1e6, allow_nan=False),
    st.floats(min_value=1e-5, max_value=1e6, allow_nan=False),
)
def test_a_plain_number_is_digits_within_a_twentieth_of_the_span(x, span):
    text = plain_number(x, span)
    assert re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d*[1-9])?", text)
    assert abs(float(text.replace(",", "")) - x) <= span / 20 * (1 + 1e-9)
