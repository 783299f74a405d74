"""Placebo CARs: the same measurement on random days without an event.

For each real event of a company and each draw, one trading day of THAT company is drawn
uniformly (with replacement) among the days that

- have a complete market-model fit and event window (the CAR could be measured there), and
- lie more than ``exclusion`` trading days from every real event day of the company.

The placebo CAR of the draw is the CAR measured on that day exactly as for a real event, so
the distribution of the placebo mean CAR shows what the study finds when nothing happens:
market-model misfit, drifts and fat tails included. Draws come from the ``numpy`` generator
passed in; companies are visited in sorted order, so one seed gives one result.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def eligible_days(car: np.ndarray, event_positions: np.ndarray, exclusion: int) -> np.ndarray:
    """Positions with a measurable CAR, farther than ``exclusion`` days from every event."""
    allowed = np.isfinite(car)
    for position in event_positions:
        allowed[max(0, position - exclusion) : position + exclusion + 1] = False
    return np.flatnonzero(allowed)


def placebo_cars(
    events: pd.DataFrame,
    car_by_ticker: Mapping[str, np.ndarray],
    event_positions_by_ticker: Mapping[str, np.ndarray],
    *,
    draws: int,
    exclusion: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Placebo CARs: one row per draw, one column per ``event_id`` of ``events``.

    ``events`` holds the analysed events of one window (columns ``event_id`` and ``ticker``);
    ``car_by_ticker`` the window's CAR at every calendar position of each company and
    ``event_positions_by_ticker`` every real event day of each company. A company without an
    eligible day gets NaN columns.
    """
    columns = {}
    for ticker, own in events.groupby("ticker", sort=True):
        days = eligible_days(car_by_ticker[ticker], event_positions_by_ticker[ticker], exclusion)
        if len(days) == 0:
            sample = np.full((draws, len(own)), np.nan)
        else:
            sample = car_by_ticker[ticker][rng.choice(days, size=(draws, len(own)))]
        for event_id, values in zip(own["event_id"], sample.T, strict=True):
            columns[event_id] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(draws, name="draw"))
