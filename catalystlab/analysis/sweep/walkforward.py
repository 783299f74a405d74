"""Walk-forward folds: choose on an in-sample window, hold the choice out of sample.

Days are positions on the sweep's calendar. A fold's in-sample window is the returns of days
``is_first + 1 .. is_last``; its out-of-sample window the returns of ``oos_first .. oos_last``
with ``oos_first = is_last + 1``. The choice is made from what was known at the close of
``is_last`` and held from there, so the out-of-sample returns are those of the chosen trial's
continuous run (a position it already held carries over; nothing is reset at a fold's start).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.sweep.metrics import rank_key
from catalystlab.core.errors import BadInputError


@dataclass(frozen=True)
class Fold:
    """Positions on the calendar: in-sample ``is_first..is_last`` (entry at ``is_first``),
    out-of-sample returns ``oos_first..oos_last``."""

    number: int
    is_first: int
    is_last: int
    oos_first: int
    oos_last: int


def make_folds(days: int, *, in_sample: int, out_of_sample: int, step: int | None) -> list[Fold]:
    """Rolling folds over ``days`` trading days; the last fold's out-of-sample window is cut
    at the calendar's end. ``step`` defaults to ``out_of_sample`` (back-to-back windows)."""
    step = step or out_of_sample
    folds = []
    start = 0
    while start + in_sample + 1 < days:
        is_last = start + in_sample
        oos_last = min(is_last + out_of_sample, days - 1)
        folds.append(Fold(len(folds), start, is_last, is_last + 1, oos_last))
        start += step
    if not folds:
        raise BadInputError(
            f"sweep.walk_forward: {days} trading days hold no fold of {in_sample} in-sample "
            "days and at least one out-of-sample day; shorten in_sample_days or widen the dates."
        )
    return folds


NO_CHOICE = -1


def choose(in_sample_scores: np.ndarray) -> np.ndarray:
    """(folds,) the trial chosen in each fold: the best in-sample score (columns: folds), the
    lowest trial number among ties; ``NO_CHOICE`` when no trial has a score (none invested in
    sample: the fold stays in cash)."""
    keys = rank_key(in_sample_scores)
    best = np.argmax(keys, axis=0)
    scored = np.isfinite(keys).any(axis=0)
    return np.where(scored, best, NO_CHOICE)


def stitch(
    returns: dict[int, pd.Series], folds: list[Fold], chosen: np.ndarray, calendar: pd.DatetimeIndex
) -> pd.Series:
    """The out-of-sample daily returns of the chosen trials, fold after fold (a later fold's
    choice takes over days its window shares with an earlier one; a fold without a choice
    earns 0, in cash)."""
    out = pd.Series(np.nan, index=calendar, name="walk_forward")
    for fold, trial in zip(folds, chosen, strict=True):
        days = calendar[fold.oos_first : fold.oos_last + 1]
        out.loc[days] = 0.0 if trial == NO_CHOICE else returns[int(trial)].loc[days].to_numpy()
    return out.dropna()
