"""The market model fitted for every possible event day of one stock at once.

For an event on calendar position p, the market model

    R_t = alpha + beta * M_t + e_t,      Var(e_t) = sigma^2

is fitted by ordinary least squares on the days p + first .. p + last of the estimation
window (both included) on which the stock return R and the market return M are both known.
Returns are simple daily returns as fractions; ``alpha`` is per day.

Over an event window of W days the cumulative abnormal return is

    CAR = sum(R_t) - W * alpha - beta * sum(M_t)

and, because alpha and beta are estimated, its variance under the null of no abnormal return
(the prediction-error variance of Campbell, Lo & MacKinlay 1997, ch. 4) is

    Var(CAR) = sigma^2 * (W + W^2 / L + (sum(M_t) - W * mean(M_est))^2 / Sxx),

with L the estimation days, mean(M_est) and Sxx the mean and sum of squared deviations of
the market return over them. SCAR = CAR / sqrt(Var(CAR)) is the standardised CAR that the
BMP and Patell tests use.

Fitting every position at once uses running sums, so a placebo distribution of thousands of
pseudo-events costs no more than the real events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalystlab.analysis.eventstudy.params import Window


@dataclass(frozen=True)
class MarketModelFits:
    """Market-model fits indexed by event position; NaN where no fit was possible.

    ``alpha`` (per day), ``beta``, ``resid_sd`` (sigma, daily fraction, ddof=2), ``n_obs``
    (L), ``market_mean`` and ``market_sxx`` (of the estimation window's market returns).
    """

    alpha: np.ndarray
    beta: np.ndarray
    resid_sd: np.ndarray
    n_obs: np.ndarray
    market_mean: np.ndarray
    market_sxx: np.ndarray


@dataclass(frozen=True)
class WindowCars:
    """CAR, its standard deviation under the null and the SCAR, indexed by event position."""

    car: np.ndarray
    car_sd: np.ndarray
    scar: np.ndarray


def fit_market_model(
    stock: np.ndarray, market: np.ndarray, estimation: Window, *, min_obs: int
) -> MarketModelFits:
    """Fit the market model for every position of the arrays (see the module docstring).

    ``stock`` and ``market`` are daily returns on one calendar, NaN where unknown. A position
    whose estimation window leaves the data, has fewer than ``min_obs`` days with both returns
    or a constant market return gets NaN.
    """
    valid = np.isfinite(stock) & np.isfinite(market)
    x = np.where(valid, market, 0.0)
    y = np.where(valid, stock, 0.0)
    first, last = estimation
    n = window_sums(valid.astype(float), first, last)
    sx, sy = window_sums(x, first, last), window_sums(y, first, last)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean, y_mean = sx / n, sy / n
        sxx = window_sums(x * x, first, last) - sx * x_mean
        sxy = window_sums(x * y, first, last) - sx * y_mean
        syy = window_sums(y * y, first, last) - sy * y_mean
        beta = sxy / sxx
        alpha = y_mean - beta * x_mean
        resid_var = np.maximum(syy - beta * sxy, 0.0) / (n - 2)
    usable = (n >= min_obs) & (sxx > 0)
    return MarketModelFits(
        alpha=np.where(usable, alpha, np.nan),
        beta=np.where(usable, beta, np.nan),
        resid_sd=np.where(usable, np.sqrt(resid_var), np.nan),
        n_obs=np.where(usable, n, np.nan),
        market_mean=np.where(usable, x_mean, np.nan),
        market_sxx=np.where(usable, sxx, np.nan),
    )


def window_cars(
    fits: MarketModelFits, stock: np.ndarray, market: np.ndarray, window: Window
) -> WindowCars:
    """CAR, its null standard deviation and SCAR over ``window`` for every position.

    NaN where the fit is missing, the window leaves the data or a return in it is unknown.
    """
    start, end = window
    days = end - start + 1
    valid = np.isfinite(stock) & np.isfinite(market)
    complete = window_sums(valid.astype(float), start, end) == days
    sum_market = window_sums(np.where(valid, market, 0.0), start, end)
    sum_stock = window_sums(np.where(valid, stock, 0.0), start, end)
    with np.errstate(invalid="ignore", divide="ignore"):
        car = sum_stock - days * fits.alpha - fits.beta * sum_market
        variance = fits.resid_sd**2 * (
            days
            + days**2 / fits.n_obs
            + (sum_market - days * fits.market_mean) ** 2 / fits.market_sxx
        )
        car_sd = np.sqrt(variance)
        scar = np.where(car_sd > 0, car / car_sd, np.nan)  # a perfect fit has no SCAR
    car = np.where(complete, car, np.nan)
    return WindowCars(
        car=car,
        car_sd=np.where(complete, car_sd, np.nan),
        scar=np.where(complete, scar, np.nan),
    )


def window_sums(values: np.ndarray, first: int, last: int) -> np.ndarray:
    """For every position p, the sum of ``values[p + first .. p + last]`` (NaN off the data)."""
    size = len(values)
    cumulative = np.concatenate([[0.0], np.cumsum(values, dtype=float)])
    positions = np.arange(size)
    lo, hi = positions + first, positions + last + 1
    inside = (lo >= 0) & (hi <= size)
    sums = np.full(size, np.nan)
    sums[inside] = cumulative[hi[inside]] - cumulative[lo[inside]]
    return sums
