"""The band chart and the base-rate histogram are written as PNG files."""

from __future__ import annotations

import matplotlib
import matplotlib.axes
import numpy as np
import pandas as pd

from catalystlab.analysis.call import base_rate, window_band
from catalystlab.report.charts import plot_band, plot_base_rate

DAYS = pd.bdate_range("2022-01-03", periods=120, name="Date")


def prices() -> dict[str, pd.DataFrame | pd.Series]:
    close = 100.0 * np.cumprod(1.0 + 0.01 * np.sin(np.arange(120)))
    ticker = pd.DataFrame({"Open": close * 0.995, "Close": close}, index=DAYS)
    bench = pd.DataFrame({"Open": 50.0, "Close": 50.0}, index=DAYS)
    return {"T": ticker, "B": bench, "BASKET": pd.Series(np.linspace(1.0, 1.2, 120), DAYS)}


def is_png(path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_band_chart_is_a_png(tmp_path):
    band = window_band(
        prices(),
        ticker="T",
        benchmarks=["B", "BASKET"],
        first=DAYS[90],
        last=DAYS[100],
        end=DAYS[-1],
    )
    path = plot_band(band, tmp_path / "band.png")
    assert path == tmp_path / "band.png"
    assert is_png(path)
    assert matplotlib.get_backend().lower() == "agg"


def test_the_base_rate_histogram_is_a_png(tmp_path):
    base = base_rate(
        prices(),
        ticker="T",
        benchmark="B",
        entry_day=DAYS[100],
        end=DAYS[110],
        history_start=DAYS[0],
    )
    assert is_png(plot_base_rate(base, tmp_path / "base_rate.png"))


def test_the_base_rate_histogram_marks_the_call_with_an_ordinal_percentile(tmp_path, monkeypatch):
    base = base_rate(
        prices(),
        ticker="T",
        benchmark="B",
        entry_day=DAYS[100],
        end=DAYS[110],
        history_start=DAYS[0],
    )
    labels = []
    draw = matplotlib.axes.Axes.axvline

    def record(self, *args, **kwargs):
        labels.append(kwargs.get("label"))
        return draw(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "axvline", record)
    plot_base_rate(base, tmp_path / "base_rate.png")
    rank = round(100 * base.percentile)
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    assert labels == [f"the call: {base.call_excess:+.1%} ({rank}{suffix} percentile)"]
    assert "%)" not in labels[0]
