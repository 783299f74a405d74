"""Probabilistic and Deflated Sharpe Ratios (Bailey & López de Prado 2012, 2014).

Units. The core functions take the PER-PERIOD (non-annualised) Sharpe ratio ``sr`` of ``n_obs``
returns: daily mean excess return / daily standard deviation (ddof=1), the same estimator as
:func:`catalystlab.analysis.stats.performance.sharpe` divided by sqrt(252). The wrappers :func:`psr`
and :func:`dsr` take a daily return series and ANNUALISED Sharpe ratios (as the comparison
table prints them) and convert. Results are probabilities in [0, 1].

Kurtosis convention. ``kurtosis`` is the PEARSON kurtosis, E[(r - mu)^4] / sigma^4, which is 3
for a normal distribution (NOT the excess kurtosis, which is 0 for a normal). With it the
standard error of the estimated Sharpe ratio is (Mertens 2002; Bailey & López de Prado 2012)

    sigma(SR) = sqrt((1 - skew * SR + (kurtosis - 1) / 4 * SR^2) / (n_obs - 1)),

equivalently 1 + SR^2 / 2 - skew * SR + (kurtosis - 3) / 4 * SR^2 inside the root. Every
distribution has kurtosis >= 1 + skew^2, which keeps the root real; a smaller value means an
excess kurtosis was passed by mistake and is refused. Skewness and kurtosis of a return series
are the sample moments (population form, ``scipy.stats`` with ``bias=True``).

    PSR(SR*) = Phi((SR - SR*) / sigma(SR))        probability that the true SR exceeds SR*

The Deflated Sharpe Ratio is the PSR against the Sharpe ratio that the best of ``n_trials``
independent trials with no skill would be expected to reach:

    SR0 = sqrt(V) * ((1 - g) * Phi^-1(1 - 1/N) + g * Phi^-1(1 - 1/(N e))),   g = 0.5772...
    DSR = PSR(SR0)

where V is the variance of the trials' (per-period) Sharpe ratios, N the number of trials and
g the Euler-Mascheroni constant. With N = 1 there is no selection and SR0 = 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.performance import PERIODS_PER_YEAR, sharpe
from catalystlab.core.errors import BadInputError


def return_moments(returns: pd.Series) -> tuple[float, float]:
    """Sample skewness and PEARSON kurtosis (normal = 3) of a return series."""
    from scipy import stats  # here, not above: loading a run's results needs no scipy

    values = returns.to_numpy(dtype=float)
    skew = float(stats.skew(values, bias=True))
    kurtosis = float(stats.kurtosis(values, fisher=False, bias=True))
    return skew, kurtosis


def sharpe_standard_error(sr: float, *, n_obs: int, skew: float, kurtosis: float) -> float:
    """Standard error of a per-period Sharpe ratio estimated from ``n_obs`` returns.

    ``kurtosis`` is Pearson's (normal = 3); see the module docstring.
    """
    if n_obs < 2:
        raise BadInputError(f"A Sharpe ratio's standard error needs >= 2 returns, got {n_obs}.")
    if kurtosis < 1.0 + skew**2 - 1e-9:
        raise BadInputError(
            f"Kurtosis {kurtosis:g} is below 1 + skew^2 = {1.0 + skew**2:g}, impossible for "
            "Pearson kurtosis; pass kurtosis with normal = 3 (excess kurtosis + 3)."
        )
    variance = (1.0 - skew * sr + (kurtosis - 1.0) / 4.0 * sr**2) / (n_obs - 1)
    return float(np.sqrt(max(variance, 0.0)))


def probabilistic_sharpe_ratio(
    sr: float, *, sr_benchmark: float, n_obs: int, skew: float, kurtosis: float
) -> float:
    """PSR: probability that the true per-period Sharpe ratio exceeds ``sr_benchmark``.

    ``sr`` and ``sr_benchmark`` are per-period (not annualised); ``kurtosis`` is Pearson's.
    NaN when ``sr`` is NaN or its standard error is zero.
    """
    if np.isnan(sr) or np.isnan(sr_benchmark):
        return float("nan")
    from scipy import stats

    error = sharpe_standard_error(sr, n_obs=n_obs, skew=skew, kurtosis=kurtosis)
    if error == 0.0:
        return float("nan")
    return float(stats.norm.cdf((sr - sr_benchmark) / error))


def expected_max_sharpe(n_trials: int, sr_variance: float) -> float:
    """Expected maximum per-period Sharpe ratio of ``n_trials`` skill-less trials (SR0).

    ``sr_variance`` is the variance of the trials' per-period Sharpe ratios. One trial gives 0.
    """
    if n_trials < 1:
        raise BadInputError(f"The number of trials must be at least 1, got {n_trials}.")
    if sr_variance < 0 or np.isnan(sr_variance):
        raise BadInputError(f"The variance of the trials' Sharpe ratios is {sr_variance}.")
    if n_trials == 1:
        return 0.0
    from scipy import stats

    gamma = np.euler_gamma
    z = (1.0 - gamma) * stats.norm.ppf(1.0 - 1.0 / n_trials) + gamma * stats.norm.ppf(
        1.0 - 1.0 / (n_trials * np.e)
    )
    return float(np.sqrt(sr_variance) * z)


def trial_sharpe_variance(trial_sharpes: Sequence[float], *, n_trials: int) -> float:
    """Variance (ddof=1) of the trials' Sharpe ratios, in the units they are given in.

    There must be at least two of them and no more than ``n_trials``: every variant whose
    Sharpe ratio is known was a trial.
    """
    values = np.asarray(trial_sharpes, dtype=float)
    if np.isnan(values).any():
        raise BadInputError("A trial's Sharpe ratio is NaN; drop trials that have no returns.")
    if len(values) < 2:
        raise BadInputError(
            f"The DSR with {n_trials} trials needs the Sharpe ratios of at least two of them to "
            f"estimate their variance, got {len(values)}; pass every variant's Sharpe ratio."
        )
    if len(values) > n_trials:
        raise BadInputError(
            f"{len(values)} trial Sharpe ratios were given but only {n_trials} trials counted; "
            "count every variant tried in n_trials."
        )
    return float(np.var(values, ddof=1))


def deflated_sharpe_ratio(
    sr: float,
    *,
    n_obs: int,
    skew: float,
    kurtosis: float,
    n_trials: int,
    sr_variance: float | None = None,
    trial_sharpes: Sequence[float] | None = None,
) -> float:
    """DSR: PSR of a per-period ``sr`` against the expected maximum of ``n_trials`` trials.

    Give either ``sr_variance`` (variance of the trials' per-period Sharpe ratios) or
    ``trial_sharpes`` (the trials' per-period Sharpe ratios, whose variance is then computed);
    neither is needed when ``n_trials`` is 1. ``kurtosis`` is Pearson's.
    """
    if n_trials == 1:
        variance = 0.0
    elif (sr_variance is None) == (trial_sharpes is None):
        raise BadInputError("Give exactly one of sr_variance and trial_sharpes for the DSR.")
    elif sr_variance is not None:
        variance = sr_variance
    else:
        assert trial_sharpes is not None
        variance = trial_sharpe_variance(trial_sharpes, n_trials=n_trials)
    benchmark = expected_max_sharpe(n_trials, variance)
    return probabilistic_sharpe_ratio(
        sr, sr_benchmark=benchmark, n_obs=n_obs, skew=skew, kurtosis=kurtosis
    )


def psr(returns: pd.Series, *, benchmark_sharpe: float = 0.0, risk_free: float = 0.0) -> float:
    """PSR of a daily return series against an ANNUALISED benchmark Sharpe ratio."""
    skew, kurtosis = return_moments(returns)
    return probabilistic_sharpe_ratio(
        _per_period(sharpe(returns, risk_free)),
        sr_benchmark=_per_period(benchmark_sharpe),
        n_obs=len(returns),
        skew=skew,
        kurtosis=kurtosis,
    )


def dsr(
    returns: pd.Series,
    *,
    n_trials: int,
    trial_sharpes: Sequence[float] | None = None,
    risk_free: float = 0.0,
) -> float:
    """DSR of a daily return series; ``trial_sharpes`` are the trials' ANNUALISED Sharpe ratios."""
    skew, kurtosis = return_moments(returns)
    return deflated_sharpe_ratio(
        _per_period(sharpe(returns, risk_free)),
        n_obs=len(returns),
        skew=skew,
        kurtosis=kurtosis,
        n_trials=n_trials,
        trial_sharpes=None if trial_sharpes is None else [_per_period(s) for s in trial_sharpes],
    )


def _per_period(annual_sharpe: float) -> float:
    return annual_sharpe / np.sqrt(PERIODS_PER_YEAR)
