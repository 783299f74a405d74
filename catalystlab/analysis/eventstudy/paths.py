"""Abnormal-return paths around events and their mean CAR path.

A path runs over the offsets from the earliest event-window start to the latest window end
(default -1 .. +60 trading days); ``car`` at offset k is the sum of the abnormal returns from
the first offset to k (fractions). Offsets past the data's end, or after a missing return,
are NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from catalystlab.analysis.eventstudy.significance import POOLED


def abnormal_path(
    stock: np.ndarray,
    market: np.ndarray,
    *,
    position: int,
    alpha: float,
    beta: float,
    offsets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Abnormal returns R - alpha - beta * M at ``position + offsets`` and their running sum."""
    days = position + offsets
    inside = (days >= 0) & (days < len(stock))
    clipped = np.clip(days, 0, len(stock) - 1)
    ar = np.where(inside, stock[clipped] - alpha - beta * market[clipped], np.nan)
    return ar, np.cumsum(ar)


def mean_car_path(paths: pd.DataFrame, *, by: str | None = "ticker") -> pd.DataFrame:
    """Mean CAR per offset, pooled over all events and (unless ``by`` is None) per group.

    ``paths`` has columns ``event_id``, ``offset``, ``car`` and ``by``. The result has columns
    ``group``, ``offset``, ``n_events`` (events with a CAR at that offset), ``mean_car`` and
    ``se_car`` (cross-sectional standard error, sd / sqrt(n); NaN for one event).
    """
    frames = [paths.assign(group=POOLED)]
    if by is not None:
        frames.append(paths.assign(group=paths[by].astype(str)))
    stacked = pd.concat(frames, ignore_index=True).dropna(subset=["car"])
    grouped = stacked.groupby(["group", "offset"], sort=True)["car"]
    result = grouped.agg(n_events="count", mean_car="mean", sd_car="std").reset_index()
    result["se_car"] = result["sd_car"] / np.sqrt(result["n_events"])
    return result.drop(columns="sd_car")
