"""PNG charts of the window band and of the base-rate histogram (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported: backtrader would force TkAgg

import matplotlib.pyplot as plt
from matplotlib.ticker import PercentFormatter

from catalystlab.callwindow.band import WindowBand
from catalystlab.callwindow.base_rate import BaseRate


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
        for name in band.benchmarks:
            axes.plot(
                days,
                band.excess[name],
                linewidth=1.4,
                marker=".",
                label=f"{band.ticker} minus {name}",
            )
        axes.axhline(0.0, color="grey", linewidth=0.8)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel("entry day")
        axes.set_ylabel(f"return to the close of {band.end.date()}")
        axes.set_title(
            f"{band.ticker} by entry day, {band.convention.value}: {band.convention.description}",
            fontsize=10,
        )
        axes.legend(fontsize=8)
        axes.grid(alpha=0.3)
        figure.autofmt_xdate()
        figure.tight_layout()
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
            label=f"the call: {base.call_excess:+.1%} (percentile {base.percentile:.0%})",
        )
        axes.xaxis.set_major_formatter(PercentFormatter(1.0))
        axes.set_xlabel(
            f"{base.ticker} minus {base.benchmark}, {base.holding_days} trading days, "
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
    figure.savefig(path, dpi=110, format="png")
    return path
