"""Beta, alpha, tracking error and information ratio against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.analysis.stats.relative import beta_alpha, information_ratio, tracking_error
from catalystlab.core.errors import BadInputError

DAYS = pd.bdate_range("2024-01-01", periods=4, name="Date")


def test_exact_linear_relation_gives_its_beta_and_annualised_intercept() -> None:
    bench = pd.Series([0.01, -0.01, 0.02, 0.0], index=DAYS)
    strategy = 0.001 + 2.0 * bench
    fit = beta_alpha(strategy, bench)
    assert fit.beta == pytest.approx(2.0)
    assert fit.alpha == pytest.approx(0.001 * 252)


def test_beta_alpha_by_hand_with_residuals() -> None:
    # x has mean 0 and Sxx = 0.001; Sxy = 0.00146 -> beta 1.46; mean y = 0.002 -> alpha/day.
    days = pd.bdate_range("2024-01-01", periods=5)
    x = pd.Series([-0.02, -0.01, 0.0, 0.01, 0.02], index=days)
    y = pd.Series([-0.03, -0.01, 0.002, 0.02, 0.028], index=days)
    fit = beta_alpha(y, x)
    assert fit.beta == pytest.approx(1.46)
    assert fit.alpha == pytest.approx(0.002 * 252)


def test_beta_alpha_match_numpy_least_squares() -> None:
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2020-01-01", periods=300)
    x = pd.Series(rng.normal(0.0004, 0.01, 300), index=days)
    y = 0.0002 + 0.7 * x + rng.normal(0, 0.01, 300)
    slope, intercept = np.polyfit(x.to_numpy(), y.to_numpy(), 1)
    fit = beta_alpha(y, x)
    assert fit.beta == pytest.approx(slope)
    assert fit.alpha == pytest.approx(intercept * 252)


def test_jensen_alpha_subtracts_the_risk_free_rate() -> None:
    bench = pd.Series([0.01, -0.01, 0.02, 0.0], index=DAYS)
    strategy = 0.001 + 2.0 * bench
    rf = 1.03 ** (1 / 252) - 1
    # y - rf = a + 2 (x - rf)  =>  a = 0.001 + rf.
    fit = beta_alpha(strategy, bench, risk_free=0.03)
    assert fit.beta == pytest.approx(2.0)
    assert fit.alpha == pytest.approx((0.001 + rf) * 252)


def test_information_ratio_by_hand() -> None:
    # Active returns 0.01, -0.01, 0.01: mean 1/300, sd (ddof=1) sqrt(12)/300 -> IR sqrt(21).
    days = DAYS[:3]
    strategy = pd.Series([0.02, 0.00, 0.01], index=days)
    bench = pd.Series([0.01, 0.01, 0.00], index=days)
    assert tracking_error(strategy, bench) == pytest.approx(math.sqrt(12) / 300 * math.sqrt(252))
    assert information_ratio(strategy, bench) == pytest.approx(math.sqrt(21))


def test_degenerate_inputs_give_nan() -> None:
    bench = pd.Series([0.01, 0.01, 0.01, 0.01], index=DAYS)
    assert math.isnan(beta_alpha(bench * 2, bench).beta)
    assert math.isnan(information_ratio(bench, bench))
    one = pd.Series([0.01], index=DAYS[:1])
    assert math.isnan(beta_alpha(one, one).alpha)
    assert math.isnan(tracking_error(one, one))


def test_series_on_different_days_are_refused() -> None:
    a = pd.Series([0.01, 0.02, 0.03, 0.04], index=DAYS)
    b = pd.Series([0.01, 0.02, 0.03], index=DAYS[:3])
    with pytest.raises(BadInputError, match="same days"):
        beta_alpha(a, b)
    with pytest.raises(BadInputError, match="same days"):
        information_ratio(a, b)


@given(
    st.lists(st.floats(min_value=-0.1, max_value=0.1), min_size=5, max_size=40),
    st.floats(min_value=-3.0, max_value=3.0),
    st.floats(min_value=-0.01, max_value=0.01),
)
def test_beta_of_an_affine_copy_is_its_slope(
    values: list[float], slope: float, shift: float
) -> None:
    x = pd.Series(values)
    if np.std(values) < 1e-6:
        return
    fit = beta_alpha(shift + slope * x, x)
    assert fit.beta == pytest.approx(slope, abs=1e-6)
    assert fit.alpha == pytest.approx(shift * 252, abs=1e-6)
