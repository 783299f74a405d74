"""The mean CAR path and its PNG chart."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.eventstudy import mean_car_path
from catalystlab.report.charts import plot_car_path

PATHS = pd.DataFrame(
    {
        "event_id": [0, 0, 0, 1, 1, 1, 2, 2, 2],
        "ticker": ["AAA"] * 6 + ["BBB"] * 3,
        "offset": [-1, 0, 1] * 3,
        "ar": [0.0] * 9,
        "car": [0.01, 0.03, 0.02, -0.01, 0.05, 0.06, 0.0, 0.01, np.nan],
    }
)


def test_mean_car_path_by_hand() -> None:
    mean = mean_car_path(PATHS).set_index(["group", "offset"])
    assert mean.loc[("pooled", 0), "mean_car"] == pytest.approx(0.03)
    assert mean.loc[("pooled", 0), "n_events"] == 3
    # sd of 0.03, 0.05, 0.01 is 0.02: se = 0.02 / sqrt(3).
    assert mean.loc[("pooled", 0), "se_car"] == pytest.approx(0.02 / math.sqrt(3))
    # Event 2 has no CAR at +1 (past the data's end): the mean there is over two events.
    assert mean.loc[("pooled", 1), "n_events"] == 2
    assert mean.loc[("pooled", 1), "mean_car"] == pytest.approx(0.04)
    assert mean.loc[("AAA", -1), "mean_car"] == pytest.approx(0.0)
    assert math.isnan(mean.loc[("BBB", 0), "se_car"])
    assert set(mean_car_path(PATHS, by=None)["group"]) == {"pooled"}


def test_chart_is_written_as_png_with_the_agg_backend(tmp_path: Path) -> None:
    target = plot_car_path(PATHS, tmp_path / "charts" / "car_path.png", title="Layoffs")
    assert target == tmp_path / "charts" / "car_path.png"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend().lower() == "agg"


def test_chart_of_no_events_is_still_written(tmp_path: Path) -> None:
    empty = PATHS.iloc[:0]
    target = plot_car_path(empty, tmp_path / "empty.png")
    assert target.stat().st_size > 0
