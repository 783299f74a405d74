"""quantstats HTML tearsheets, one per strategy, against the benchmark's returns."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pandas as pd


def write_tearsheet(returns: pd.Series, benchmark: pd.Series, path: Path, *, title: str) -> Path:
    """Write a quantstats tearsheet of daily ``returns`` (fractions) against ``benchmark``.

    Both series are made tz-naive and restricted to their common dates (quantstats raises on
    a tz-aware benchmark and back-fills benchmark gaps). The benchmark is passed as a series,
    so nothing is downloaded. ``match_dates`` is off: quantstats would otherwise start the
    sheet on the strategy's first non-zero return, hiding a rule's initial time in cash.
    """
    import quantstats as qs

    common = returns.index.intersection(benchmark.index)
    strategy = _naive(returns.loc[common]).rename(title)
    bench = _naive(benchmark.loc[common])
    font_logger = logging.getLogger("matplotlib.font_manager")
    level = font_logger.level
    font_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            qs.reports.html(
                strategy,
                benchmark=bench,
                output=str(path),
                title=title,
                download_filename=path.name,
                match_dates=False,
            )
    finally:
        font_logger.setLevel(level)
    return path


def _naive(series: pd.Series) -> pd.Series:
    index = pd.DatetimeIndex(series.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    return pd.Series(series.to_numpy(dtype="float64"), index=index, name=series.name)
