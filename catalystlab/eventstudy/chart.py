"""The mean CAR path chart (PNG) of an event study."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: backtrader forces TkAgg, and reports run headless

import matplotlib.pyplot as plt
import pandas as pd

from catalystlab.eventstudy.paths import mean_car_path
from catalystlab.eventstudy.significance import POOLED


def plot_car_path(
    paths: pd.DataFrame,
    path: Path | str,
    *,
    title: str = "Mean cumulative abnormal return around the events",
    by: str | None = "ticker",
) -> Path:
    """Draw the pooled mean CAR path (with a 95% band) and each group's mean path to a PNG.

    ``paths`` is :attr:`EventStudyResult.paths`; the x axis is trading days relative to the
    event day, the y axis the CAR in percent. The band is mean +/- 1.96 cross-sectional
    standard errors. Returns the written path.
    """
    target = Path(path)
    mean = mean_car_path(paths, by=by)
    fig, ax = plt.subplots(figsize=(9, 5))
    try:
        for group, line in mean.groupby("group", sort=True):
            if group == POOLED:
                continue
            ax.plot(
                line["offset"], 100 * line["mean_car"], lw=1, alpha=0.7, label=_label(group, line)
            )
        pooled = mean[mean["group"] == POOLED]
        if not pooled.empty:
            low = 100 * (pooled["mean_car"] - 1.96 * pooled["se_car"])
            high = 100 * (pooled["mean_car"] + 1.96 * pooled["se_car"])
            ax.fill_between(
                pooled["offset"], low, high, color="black", alpha=0.12, label="95% band"
            )
            ax.plot(
                pooled["offset"],
                100 * pooled["mean_car"],
                color="black",
                lw=2.2,
                label=_label(POOLED, pooled),
            )
        ax.axhline(0.0, color="grey", lw=0.8)
        ax.axvline(0.0, color="grey", lw=0.8, ls="--")
        ax.set_xlabel("trading days relative to the event day (day 0)")
        ax.set_ylabel("mean CAR (%)")
        ax.set_title(title)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8, loc="best")
        fig.tight_layout()
        target.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(target, dpi=120)
    finally:
        plt.close(fig)
    return target


def _label(group: str, line: pd.DataFrame) -> str:
    """``"AAA (n=4)"``, or ``"AAA (n=3-4)"`` when events drop out (data ending early)."""
    low, high = int(line["n_events"].min()), int(line["n_events"].max())
    return f"{group} (n={high})" if low == high else f"{group} (n={low}-{high})"
