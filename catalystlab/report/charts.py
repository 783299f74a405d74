"""PNG charts of a run (matplotlib, Agg backend): growth of every strategy, the call's
window band and base-rate histogram, and the event study's mean CAR path."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported: backtrader would force TkAgg

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import LogFormatter, PercentFormatter

from catalystlab.analysis.call.band import WindowBand
from catalystlab.analysis.call.base_rate import BaseRate
from catalystlab.analysis.eventstudy.paths import mean_car_path
from catalystlab.analysis.eventstudy.significance import POOLED
from catalystlab.report.formatting import percentile_text


def growth_chart(curves: pd.DataFrame, path: Path, *, title: str, log_scale: bool = True) -> Path:
    """Growth of 1 (each column divided by its first value) over time, saved as PNG."""
    figure, axes = plt.subplots(figsize=(10, 5.2), dpi=110)
    draw_growth(axes, curves, title=title, log_scale=log_scale)
    figure.savefig(path, bbox_inches="tight")
    plt.close(figure)
    return path


def draw_growth(axes: plt.Axes, curves: pd.DataFrame, *, title: str, log_scale: bool) -> None:
    """Growth of 1 of every column of ``curves`` (values at each close) on ``axes``."""
    normalized = curves / curves.iloc[0]
    for n, column in enumerate(normalized.columns):
        axes.plot(
            normalized.index, normalized[column], label=str(column), linewidth=1.3, **line_style(n)
        )
    if log_scale:
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(PlainLogFormatter())
        axes.yaxis.set_minor_formatter(
            PlainLogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5))
        )
    axes.set_title(title)
    axes.set_ylabel("growth of 1" + (" (log scale)" if log_scale else ""))
    axes.grid(True, alpha=0.3)
    _legend_beside(axes)


class PlainLogFormatter(LogFormatter):
    """A log axis labelled in plain numbers ("0.97", "1", "1,000"), never 9.7×10⁻¹ or 1e+04:
    as many decimals as the axis' span and the number need (the labelled ticks are
    matplotlib's choice)."""

    def _num_to_string(self, x: float, vmin: float, vmax: float) -> str:
        return plain_number(x, abs(vmax - vmin))


def plain_number(x: float, span: float) -> str:
    """``x`` in plain digits, precise enough to tell ticks ``span`` apart, trailing zeros cut."""
    decimals = 2 if span <= 0 else max(0, math.ceil(-math.log10(span)) + 1)
    if 0 < x < 1:
        decimals = max(decimals, math.ceil(-math.log10(x)))
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# Twelve colours that stay apart: matplotlib's tab10, black and indigo (no two closer than
# tab10's own pink and purple, CIE76 distance 27.7); then the same colours dashed, dotted and
# dash-dotted: 48 lines before a colour and a style repeat together.
PALETTE = (*matplotlib.colormaps["tab10"].colors, (0.0, 0.0, 0.0), (0.224, 0.231, 0.475))
LINE_STYLES = ("-", "--", ":", "-.")


def line_style(n: int) -> dict[str, object]:
    """Colour and line style of the ``n``-th line of a chart (no two of the first 48 alike;
    the first 12 solid, each its own colour)."""
    return {
        "color": PALETTE[n % len(PALETTE)],
        "linestyle": LINE_STYLES[(n // len(PALETTE)) % len(LINE_STYLES)],
    }


def walk_forward_chart(
    curves: pd.DataFrame, fold_starts: list[pd.Timestamp], path: Path, *, title: str
) -> Path:
    """Growth of 1 of each column of ``curves`` (the walk-forward first) with a dashed line
    and the fold's number at the first out-of-sample day of each fold, saved as PNG."""
    figure, axes = plt.subplots(figsize=(10, 5.2), dpi=110)
    normalized = curves / curves.iloc[0]
    for n, column in enumerate(normalized.columns):
        axes.plot(
            normalized.index,
            normalized[column],
            label=str(column),
            linewidth=2.0 if n == 0 else 1.2,
            **line_style(n),
        )
    for number, day in enumerate(fold_starts):
        axes.axvline(day, color="grey", linewidth=0.8, linestyle="--")
        axes.annotate(
            f"fold {number}",
            (day, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color="dimgrey",
        )
    axes.set_title(title)
    axes.set_ylabel("growth of 1")
    axes.grid(True, alpha=0.3)
    _legend_beside(axes)
    figure.savefig(path, bbox_inches="tight")
    plt.close(figure)
    return path


def ink_on(colour: tuple[float, ...]) -> str:
    """Black or white, whichever reads on ``colour`` (RGB(A), 0..1), as seaborn picks it:
    white when the colour's relative luminance is below 0.408."""
    channels = np.asarray(colour[:3], dtype=float)
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return "#fff" if luminance < 0.408 else "#000"


def _legend_beside(axes: plt.Axes) -> None:
    """The legend to the right of the plot, where it covers no line."""
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def plot_band(band: WindowBand, path: str | Path) -> Path:
    """Write the band chart: x = entry day; y = the ticker's return to the common end and
    its excess over each benchmark (one line each), in %. Returns the PNG's path."""
    figure, axes = plt.subplots(figsize=(9, 4.8))
    try:
        days = band.returns.index
        axes.plot(
            days,
            band.returns[band.ticker],
            color="black",
            linewidth=2.2,
            marker="o",
            markersize=3,
            label=f"{band.ticker} return",
        )
        for n, name in enumerate(band.benchmarks):
            axes.plot(
                days,
                band.excess[name],
                linewidth=1.4,
                marker=".",
                label=band.stance.difference(band.ticker, name),
                **line_style(n),
            )
        axes.axhline(0.0, color="grey", linewidth=0.8)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("entry day")
        axes.set_ylabel(f"return to the close of {band.end.date()}")
        axes.set_title(
            f"{band.ticker} by entry day, {band.convention.value}: {band.convention.description}",
            fontsize=10,
        )
        _legend_beside(axes)
        axes.grid(alpha=0.3)
        figure.autofmt_xdate()
        return _save(figure, path)
    finally:
        plt.close(figure)


def plot_base_rate(base: BaseRate, path: str | Path, *, bins: int = 60) -> Path:
    """Write the histogram of historical excess returns with the call's excess marked.
    Returns the PNG's path."""
    figure, axes = plt.subplots(figsize=(9, 4.8))
    try:
        axes.hist(base.history.to_numpy(), bins=bins, color="steelblue", alpha=0.8)
        axes.axvline(
            base.call_excess,
            color="crimson",
            linewidth=2,
            label=(
                f"the call: {base.call_excess:+.1%} ({percentile_text(base.percentile)} percentile)"
            ),
        )
        axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel(
            f"{base.stance.difference(base.ticker, base.benchmark)}, {base.holding_days} "
            "trading days, "
            f"{base.convention.value}"
        )
        axes.set_ylabel("start days")
        axes.set_title(
            f"The call ({base.entry_day.date()} to {base.end.date()}) among {base.n_windows} "
            f"windows starting {base.history.index[0].date()} to "
            f"{base.history.index[-1].date()} ({base.n_non_overlapping} non-overlapping)",
            fontsize=10,
        )
        axes.legend(fontsize=8)
        figure.tight_layout()
        return _save(figure, path)
    finally:
        plt.close(figure)


def _save(figure: plt.Figure, path: str | Path) -> Path:
    path = Path(path)
    figure.savefig(path, dpi=110, format="png", bbox_inches="tight")
    return path


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
        groups = [(g, line) for g, line in mean.groupby("group", sort=True) if g != POOLED]
        for n, (group, line) in enumerate(groups):
            ax.plot(
                line["offset"],
                100 * line["mean_car"],
                lw=1,
                alpha=0.8,
                label=_label(group, line),
                **line_style(n),
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
            _legend_beside(ax)
        target.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(target, dpi=120, bbox_inches="tight")
    finally:
        plt.close(fig)
    return target


def _label(group: str, line: pd.DataFrame) -> str:
    """``"AAA (n=4)"``, or ``"AAA (n=3-4)"`` when events drop out (data ending early)."""
    low, high = int(line["n_events"].min()), int(line["n_events"].max())
    return f"{group} (n={high})" if low == high else f"{group} (n={low}-{high})"
