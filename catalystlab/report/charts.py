"""PNG charts of a run (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd


def growth_chart(curves: pd.DataFrame, path: Path, *, title: str, log_scale: bool = True) -> Path:
    """Growth of 1 (each column divided by its first value) over time, saved as PNG."""
    figure, axes = plt.subplots(figsize=(10, 5.2), dpi=110)
    normalized = curves / curves.iloc[0]
    for column in normalized.columns:
        axes.plot(normalized.index, normalized[column], label=str(column), linewidth=1.3)
    if log_scale:
        axes.set_yscale("log")
    axes.set_title(title)
    axes.set_ylabel("growth of 1" + (" (log scale)" if log_scale else ""))
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8, ncols=2)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
