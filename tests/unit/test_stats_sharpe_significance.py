"""PSR and DSR: the paper's worked example, independent computations, the kurtosis convention."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from catalystlab.analysis.stats.performance import sharpe
from catalystlab.analysis.stats.sharpe_significance import (
    deflated_sharpe_ratio,
    dsr,
    expected_max_sharpe,
    probabilistic_sharpe_ratio,
    psr,
    return_moments,
    sharpe_standard_error,
)
from catalystlab.core.errors import BadInputError


def test_deflated_sharpe_reproduces_the_published_worked_example() -> None:
    # Bailey & López de Prado (2014), "The Deflated Sharpe Ratio", numerical example: N = 100
    # trials whose ANNUALISED Sharpe ratios have variance 1/2, a best annualised Sharpe of 2.5
    # over T = 1250 daily returns (5 years of 250 days), skewness -3, (Pearson) kurtosis 10.
    # Published: E[max SR] = 0.1132 per day (non-annualised) and DSR = 0.9004.
    days_per_year = 250
    sr0 = expected_max_sharpe(100, 0.5 / days_per_year)
    assert sr0 == pytest.approx(0.1132, abs=5e-5)
    value = deflated_sharpe_ratio(
        2.5 / math.sqrt(days_per_year),
        n_obs=1250,
        skew=-3.0,
        kurtosis=10.0,
        n_trials=100,
        sr_variance=0.5 / days_per_year,
    )
    assert value == pytest.approx(0.9004, abs=5e-5)


def test_psr_matches_a_direct_scipy_evaluation_of_the_mertens_form() -> None:
    # Independent algebra: Var(SR) = (1 + SR^2/2 - skew SR + (kurt - 3)/4 SR^2) / (n - 1).
    sr, sr_star, n, skew, kurt = 0.08, 0.02, 750, -0.7, 6.5
    variance = (1 + sr**2 / 2 - skew * sr + (kurt - 3) / 4 * sr**2) / (n - 1)
    expected = stats.norm.cdf((sr - sr_star) / math.sqrt(variance))
    got = probabilistic_sharpe_ratio(sr, sr_benchmark=sr_star, n_obs=n, skew=skew, kurtosis=kurt)
    assert got == pytest.approx(expected, rel=1e-12)


def test_kurtosis_is_pearson_normal_three() -> None:
    # For normal returns (skew 0, kurtosis 3) the standard error is Lo's sqrt((1 + SR^2/2)/(n-1)).
    assert sharpe_standard_error(0.2, n_obs=101, skew=0.0, kurtosis=3.0) == pytest.approx(
        math.sqrt((1 + 0.2**2 / 2) / 100)
    )
    # An excess kurtosis (normal = 0) is impossible as a Pearson kurtosis and is refused.
    with pytest.raises(BadInputError, match="Pearson"):
        sharpe_standard_error(0.2, n_obs=101, skew=0.0, kurtosis=0.0)


def test_standard_error_with_pearson_kurtosis_matches_simulation() -> None:
    # Shifted exponential returns: skew 2, Pearson kurtosis 9 (excess 6), per-period SR 0.5.
    # The spread of estimated Sharpe ratios over many samples must match the formula with
    # kurtosis 9 (0.0224); plugging in the excess kurtosis 6 would give 0.0177 (21% low).
    rng = np.random.default_rng(7)
    n = 1000
    samples = rng.exponential(1.0, (5000, n)) - 1.0 + 0.5
    estimates = samples.mean(axis=1) / samples.std(axis=1, ddof=1)
    simulated = float(np.std(estimates, ddof=1))
    assert simulated == pytest.approx(
        sharpe_standard_error(0.5, n_obs=n, skew=2.0, kurtosis=9.0), rel=0.05
    )
    assert simulated != pytest.approx(
        sharpe_standard_error(0.5, n_obs=n, skew=2.0, kurtosis=6.0), rel=0.1
    )


def test_return_moments_are_sample_skewness_and_pearson_kurtosis() -> None:
    values = pd.Series([0.01, -0.02, 0.03, -0.01, 0.0, 0.05])
    x = values.to_numpy() - values.mean()
    m2, m3, m4 = (np.mean(x**k) for k in (2, 3, 4))
    skew, kurtosis = return_moments(values)
    assert skew == pytest.approx(m3 / m2**1.5)
    assert kurtosis == pytest.approx(m4 / m2**2)
    normal = pd.Series(np.random.default_rng(0).normal(size=200_000))
    assert return_moments(normal)[1] == pytest.approx(3.0, abs=0.05)


def test_expected_max_sharpe_approximates_the_exact_expected_maximum() -> None:
    # Exact E[max of N standard normals] = integral of x d(Phi(x)^N), by quadrature; the
    # paper's closed form is an approximation, within 3% from N = 10 (2.3% there, 0.9% at 100).
    for n_trials in (10, 100, 1000):
        exact, _ = integrate.quad(
            lambda x, n=n_trials: x * n * stats.norm.pdf(x) * stats.norm.cdf(x) ** (n - 1),
            -10,
            10,
        )
        assert expected_max_sharpe(n_trials, 1.0) == pytest.approx(exact, rel=0.03)
    # It scales with the standard deviation of the trials' Sharpe ratios.
    assert expected_max_sharpe(100, 4.0) == pytest.approx(2 * expected_max_sharpe(100, 1.0))


def test_one_trial_means_no_deflation() -> None:
    assert expected_max_sharpe(1, 0.3) == 0.0
    kwargs = {"n_obs": 500, "skew": -0.5, "kurtosis": 5.0}
    assert deflated_sharpe_ratio(0.05, n_trials=1, **kwargs) == probabilistic_sharpe_ratio(
        0.05, sr_benchmark=0.0, **kwargs
    )


def test_trial_sharpes_give_their_sample_variance() -> None:
    trials = [0.01, 0.05, -0.02, 0.03, 0.04]
    kwargs = {"n_obs": 500, "skew": 0.0, "kurtosis": 3.0, "n_trials": 20}
    assert deflated_sharpe_ratio(0.06, trial_sharpes=trials, **kwargs) == pytest.approx(
        deflated_sharpe_ratio(0.06, sr_variance=float(np.var(trials, ddof=1)), **kwargs)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_trials": 5}, "exactly one"),
        ({"n_trials": 5, "sr_variance": 0.1, "trial_sharpes": [0.1, 0.2]}, "exactly one"),
        ({"n_trials": 5, "trial_sharpes": [0.1]}, "at least two"),
        ({"n_trials": 2, "trial_sharpes": [0.1, 0.2, 0.3]}, "only 2 trials"),
        ({"n_trials": 5, "trial_sharpes": [0.1, float("nan")]}, "NaN"),
        ({"n_trials": 0, "sr_variance": 0.1}, "at least 1"),
        ({"n_trials": 5, "sr_variance": -0.1}, "variance"),
    ],
)
def test_bad_dsr_inputs_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        deflated_sharpe_ratio(0.05, n_obs=500, skew=0.0, kurtosis=3.0, **kwargs)


def test_too_few_returns_are_refused() -> None:
    with pytest.raises(BadInputError, match=">= 2 returns"):
        sharpe_standard_error(0.1, n_obs=1, skew=0.0, kurtosis=3.0)


def test_return_wrappers_use_annualised_sharpe_ratios() -> None:
    rng = np.random.default_rng(11)
    returns = pd.Series(rng.normal(0.0008, 0.01, 1000))
    skew, kurtosis = return_moments(returns)
    daily = sharpe(returns) / math.sqrt(252)
    assert psr(returns, benchmark_sharpe=0.5) == pytest.approx(
        probabilistic_sharpe_ratio(
            daily, sr_benchmark=0.5 / math.sqrt(252), n_obs=1000, skew=skew, kurtosis=kurtosis
        )
    )
    trials = [0.2, 1.1, 0.6, -0.3]
    assert dsr(returns, n_trials=10, trial_sharpes=trials) == pytest.approx(
        deflated_sharpe_ratio(
            daily,
            n_obs=1000,
            skew=skew,
            kurtosis=kurtosis,
            n_trials=10,
            sr_variance=float(np.var(trials, ddof=1)) / 252,
        )
    )


def test_risk_free_rate_lowers_the_psr() -> None:
    returns = pd.Series(np.random.default_rng(2).normal(0.0005, 0.01, 500))
    assert psr(returns, risk_free=0.05) < psr(returns)


moments = st.tuples(
    st.floats(min_value=-2.0, max_value=2.0), st.floats(min_value=0.0, max_value=20.0)
).map(lambda pair: (pair[0], 1.0 + pair[0] ** 2 + pair[1]))


@given(
    st.floats(min_value=-0.3, max_value=0.3),
    st.floats(min_value=0.001, max_value=0.1),
    moments,
    st.integers(min_value=20, max_value=5000),
    st.integers(min_value=2, max_value=10_000),
)
def test_psr_rises_with_sharpe_and_deflation_never_raises_it(
    sr: float, step: float, moment: tuple[float, float], n_obs: int, n_trials: int
) -> None:
    skew, kurtosis = moment
    kwargs = {"n_obs": n_obs, "skew": skew, "kurtosis": kurtosis}
    low = probabilistic_sharpe_ratio(sr, sr_benchmark=0.0, **kwargs)
    high = probabilistic_sharpe_ratio(sr + step, sr_benchmark=0.0, **kwargs)
    assert 0.0 <= low <= 1.0
    # PSR rises with the observed Sharpe ratio wherever |skew * SR| < 2 (true in this range).
    assert high >= low
    deflated = deflated_sharpe_ratio(sr, n_trials=n_trials, sr_variance=0.001, **kwargs)
    assert deflated <= low + 1e-12
