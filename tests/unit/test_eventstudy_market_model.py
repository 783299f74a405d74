"""The rolling market model against a hand-computed example and numpy least squares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from catalystlab.analysis.eventstudy.market_model import fit_market_model, window_cars, window_sums

# Positions 0..9. Estimation for the event at 7 with window (-6, -2) = positions 1..5, where the
# market has mean 0 and Sxx = 0.001; Sxy = 0.00146 -> beta 1.46, alpha = mean(stock) = 0.002.
# Residuals -0.0028, 0.0026, 0, 0.0034, -0.0032: SSR = 3.64e-5, sigma^2 = SSR / 3.
MARKET = np.array([0.003, -0.02, -0.01, 0.0, 0.01, 0.02, 0.005, 0.01, -0.01, 0.0])
STOCK = np.array([np.nan, -0.03, -0.01, 0.002, 0.02, 0.028, 0.004, 0.06, -0.005, 0.001])
SIGMA2 = 3.64e-5 / 3


def test_market_model_fit_by_hand() -> None:
    fits = fit_market_model(STOCK, MARKET, (-6, -2), min_obs=5)
    assert fits.alpha[7] == pytest.approx(0.002)
    assert fits.beta[7] == pytest.approx(1.46)
    assert fits.resid_sd[7] == pytest.approx(math.sqrt(SIGMA2))
    assert fits.n_obs[7] == 5
    # Position 6 needs position 0, whose stock return is missing: 4 days < 5.
    assert np.isnan(fits.alpha[6])
    # Positions 0..5 have no complete estimation window inside the data.
    assert np.isnan(fits.alpha[:6]).all()


def test_cars_and_their_prediction_error_by_hand() -> None:
    fits = fit_market_model(STOCK, MARKET, (-6, -2), min_obs=5)
    # AR_7 = 0.06 - 0.002 - 1.46 * 0.01 = 0.0434; AR_8 = -0.005 - 0.002 + 0.0146 = 0.0076.
    two = window_cars(fits, STOCK, MARKET, (0, 1))
    assert two.car[7] == pytest.approx(0.051)
    # Sum of window market returns 0 = W * mean: Var = sigma^2 (2 + 4/5).
    assert two.car_sd[7] == pytest.approx(math.sqrt(SIGMA2 * 2.8))
    assert two.scar[7] == pytest.approx(0.051 / math.sqrt(SIGMA2 * 2.8))
    one = window_cars(fits, STOCK, MARKET, (0, 0))
    assert one.car[7] == pytest.approx(0.0434)
    # Var = sigma^2 (1 + 1/5 + 0.01^2 / 0.001) = 1.3 sigma^2.
    assert one.car_sd[7] == pytest.approx(math.sqrt(1.3 * SIGMA2))
    # [-1, +1]: AR_6 = 0.004 - 0.002 - 1.46 * 0.005 = -0.0053; market sum 0.005.
    three = window_cars(fits, STOCK, MARKET, (-1, 1))
    assert three.car[7] == pytest.approx(0.0457)
    assert three.car_sd[7] == pytest.approx(math.sqrt(SIGMA2 * (3 + 9 / 5 + 0.005**2 / 0.001)))
    # The window of position 9 leaves the data.
    assert np.isnan(two.car[9])


def test_too_few_estimation_days_give_no_fit() -> None:
    fits = fit_market_model(STOCK, MARKET, (-6, -2), min_obs=6)
    assert np.isnan(fits.alpha).all()


def test_rolling_fits_match_numpy_least_squares_with_gaps() -> None:
    rng = np.random.default_rng(8)
    market = rng.normal(0.0004, 0.01, 400)
    stock = 0.0003 + 1.2 * market + rng.normal(0, 0.015, 400)
    stock[rng.choice(400, 30, replace=False)] = np.nan
    market[rng.choice(400, 10, replace=False)] = np.nan
    fits = fit_market_model(stock, market, (-120, -10), min_obs=80)
    cars = window_cars(fits, stock, market, (0, 5))
    for position in (130, 200, 321, 394):
        x, y = market[position - 120 : position - 9], stock[position - 120 : position - 9]
        ok = np.isfinite(x) & np.isfinite(y)
        slope, intercept = np.polyfit(x[ok], y[ok], 1)
        residuals = y[ok] - intercept - slope * x[ok]
        assert fits.beta[position] == pytest.approx(slope, rel=1e-9)
        assert fits.alpha[position] == pytest.approx(intercept, rel=1e-7, abs=1e-12)
        assert fits.resid_sd[position] == pytest.approx(np.std(residuals, ddof=2), rel=1e-9)
        wx, wy = market[position : position + 6], stock[position : position + 6]
        if np.isfinite(wx).all() and np.isfinite(wy).all():
            assert cars.car[position] == pytest.approx(np.sum(wy - intercept - slope * wx))
        else:
            assert np.isnan(cars.car[position])


def test_window_sums() -> None:
    values = np.arange(6, dtype=float)
    sums = window_sums(values, -2, 0)
    assert np.isnan(sums[:2]).all()
    assert list(sums[2:]) == [3.0, 6.0, 9.0, 12.0]
    assert list(window_sums(values, 0, 1)[:5]) == [1.0, 3.0, 5.0, 7.0, 9.0]
    assert np.isnan(window_sums(values, 0, 1)[5])
