"""Tests of a group of events' CARs: cross-sectional t, BMP, Patell and the placebo rank.

For N events with cumulative abnormal returns CAR_i, standardised CARs SCAR_i (see
:mod:`catalystlab.analysis.eventstudy.market_model`) and estimation lengths L_i:

- cross-sectional t = mean(CAR) / (sd(CAR) / sqrt(N)), sd with ddof=1, p from Student t with
  N - 1 degrees of freedom (two-sided). Robust to event-induced variance, not to events of
  different companies sharing dates (cross-correlation).
- BMP (Boehmer, Musumeci & Poulsen 1991) = mean(SCAR) / (sd(SCAR) / sqrt(N)), p from Student t
  with N - 1 degrees of freedom (two-sided): standardised like Patell, but the variance comes
  from the cross-section, so a rise of volatility at the events does not inflate it.
- Patell (1976) Z = sum(SCAR) / sqrt(sum((L_i - 2) / (L_i - 4))), p from the normal
  (two-sided); it assumes the event leaves the variance unchanged.
- Placebo: the same mean CAR over random non-event days of the same companies (one per real
  event and draw, see :mod:`catalystlab.analysis.eventstudy.placebo`). ``placebo_percentile`` is the
  share of placebo means <= the real mean; ``placebo_pvalue`` is the two-sided Monte Carlo
  p-value min(1, 2 * min(1 + #below_or_equal, 1 + #above_or_equal) / (draws + 1)).

The t and BMP tests need two events or more and are NaN otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

POOLED = "pooled"

SUMMARY_COLUMNS: tuple[str, ...] = (
    "group",
    "window",
    "window_start",
    "window_end",
    "n_events",
    "mean_car",
    "median_car",
    "sd_car",
    "share_positive",
    "t_stat",
    "t_pvalue",
    "bmp_stat",
    "bmp_pvalue",
    "patell_z",
    "patell_pvalue",
    "placebo_mean",
    "placebo_sd",
    "placebo_percentile",
    "placebo_pvalue",
    "placebo_draws",
)


def cross_sectional_t(cars: np.ndarray) -> tuple[float, float]:
    """Cross-sectional t statistic of the mean CAR and its two-sided p-value."""
    return _one_sample_t(cars)


def bmp_test(scars: np.ndarray) -> tuple[float, float]:
    """Boehmer-Musumeci-Poulsen standardised cross-sectional t and its two-sided p-value."""
    return _one_sample_t(scars)


def patell_test(scars: np.ndarray, n_estimation: np.ndarray) -> tuple[float, float]:
    """Patell Z of the standardised CARs and its two-sided normal p-value."""
    if len(scars) == 0:
        return float("nan"), float("nan")
    from scipy import stats  # here, not above: loading a run's results needs no scipy

    lengths = np.asarray(n_estimation, dtype=float)
    z = float(np.sum(scars) / np.sqrt(np.sum((lengths - 2.0) / (lengths - 4.0))))
    return z, float(2.0 * stats.norm.sf(abs(z)))


def placebo_rank(actual: float, placebo_means: np.ndarray) -> tuple[float, float]:
    """Share of placebo means <= ``actual`` and the two-sided Monte Carlo p-value."""
    draws = len(placebo_means)
    if draws == 0 or np.isnan(actual):
        return float("nan"), float("nan")
    below = int(np.sum(placebo_means <= actual))
    above = int(np.sum(placebo_means >= actual))
    pvalue = min(1.0, 2.0 * (1 + min(below, above)) / (draws + 1))
    return below / draws, pvalue


def summarise(
    cars: pd.DataFrame,
    *,
    by: str = "ticker",
    placebo: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per (group, window): every value of column ``by`` and ``"pooled"`` (all events).

    ``cars`` is the per-event table of :func:`.study.run_event_study`;
    ``placebo`` maps a window label to a frame of placebo CARs (one row per draw, one column
    per ``event_id``). Columns are ``SUMMARY_COLUMNS``; CARs are fractions.
    """
    rows = []
    for (window, start, end), in_window in cars.groupby(
        ["window", "window_start", "window_end"], sort=False
    ):
        draws = None if placebo is None else placebo.get(window)
        groups = [(POOLED, in_window), *in_window.groupby(by, sort=True)]
        for group, events in groups:
            row = {"group": group, "window": window, "window_start": start, "window_end": end}
            rows.append(row | _statistics(events, draws))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _statistics(events: pd.DataFrame, draws: pd.DataFrame | None) -> dict[str, float]:
    car = events["car"].to_numpy(dtype=float)
    scar = events["scar"].to_numpy(dtype=float)
    t_stat, t_pvalue = cross_sectional_t(car)
    bmp_stat, bmp_pvalue = bmp_test(scar)
    patell_z, patell_pvalue = patell_test(scar, events["n_estimation"].to_numpy())
    mean_car = float(np.mean(car))
    result = {
        "n_events": len(car),
        "mean_car": mean_car,
        "median_car": float(np.median(car)),
        "sd_car": float(np.std(car, ddof=1)) if len(car) > 1 else float("nan"),
        "share_positive": float(np.mean(car > 0)),
        "t_stat": t_stat,
        "t_pvalue": t_pvalue,
        "bmp_stat": bmp_stat,
        "bmp_pvalue": bmp_pvalue,
        "patell_z": patell_z,
        "patell_pvalue": patell_pvalue,
    }
    placebo_means = np.array([])
    if draws is not None:
        placebo_means = draws[events["event_id"]].mean(axis=1, skipna=False).dropna().to_numpy()
    percentile, pvalue = placebo_rank(mean_car, placebo_means)
    return result | {
        "placebo_mean": float(np.mean(placebo_means)) if len(placebo_means) else float("nan"),
        "placebo_sd": float(np.std(placebo_means, ddof=1))
        if len(placebo_means) > 1
        else float("nan"),
        "placebo_percentile": percentile,
        "placebo_pvalue": pvalue,
        "placebo_draws": len(placebo_means),
    }


def _one_sample_t(values: np.ndarray) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    count = len(values)
    if count < 2:
        return float("nan"), float("nan")
    spread = float(np.std(values, ddof=1))
    if spread == 0.0:
        return float("nan"), float("nan")
    from scipy import stats

    t_stat = float(np.mean(values) / (spread / np.sqrt(count)))
    return t_stat, float(2.0 * stats.t.sf(abs(t_stat), df=count - 1))
