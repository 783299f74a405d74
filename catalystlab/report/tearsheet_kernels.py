"""Faster stand-ins for the quantstats and matplotlib internals that cost a tearsheet the
most CPU.

A quantstats tearsheet (0.0.86) spends about a quarter of its time in functions that loop in
Python over pandas objects:

- ``stats.drawdown_details``: one pandas slice, quantile and ``idxmin`` per drawdown period
  (a 12-year daily series has hundreds), called four times per page;
- ``utils.group_returns`` with ``compounded=True`` and ``_compat.safe_resample`` with
  ``stats.comp``: ``groupby(...).apply(comp)`` and ``resample(...).apply(comp)``, one pandas
  product per week, month or year (about 3,000 per page);
- ``utils._prepare_benchmark``, called by every chart and several metrics, which first asks
  whether the benchmark has the strategy's dates by building Python sets of both indexes
  (about 80,000 timestamps hashed per page); here the same question is asked of the sorted
  dates as integers, and the original does the rest;
- matplotlib's text metrics, which it caches per renderer, and every figure has its own: the
  same tick labels and titles are measured again for each of a page's 14 figures, twice
  (for ``tight_layout`` and for the SVG). Here one cache serves every renderer of a kind, for
  as long as the process lives (a size depends only on the renderer's kind and resolution,
  the text, its font properties and the text rcParams, which are all in the key);
- matplotlib's ``savefig``, which draws every figure twice when quantstats has called
  ``tight_layout`` on it first: that call leaves a placeholder layout engine, which has
  nothing to lay out, but makes ``savefig`` draw the whole figure once before the drawing it
  saves. Here a placeholder engine is set aside while the figure is saved, so the figure is
  drawn once, as it is without ``tight_layout`` (a ``bbox_inches="tight"`` save still gets
  the draw it needs).

:func:`fast_internals` swaps them for versions that compute the same numbers for as long as a
tearsheet is written, and puts the originals back afterwards. The page they produce is the
same as quantstats' own (``tests/unit/test_tearsheet_kernels.py`` compares both functions'
results and whole pages with the originals').
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType

import matplotlib as mpl
import matplotlib.text as mtext
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine

_DETAIL_COLUMNS = ("start", "valley", "end", "days", "max drawdown", "99% max drawdown")
_CLEAN_QUANTILE = 0.99  # quantstats' "99% max drawdown" drops the deepest 1% of the days
# What a text's measured size depends on besides the renderer, the text and its font.
_TEXT_SETTINGS = ("text.hinting", "text.hinting_factor", "text.kerning_factor", "text.usetex")
_TEXT_METRICS: dict[tuple, tuple[float, float, float]] = {}  # a few hundred entries a process


@contextmanager
def fast_internals(qs: ModuleType) -> Iterator[None]:
    """While the block runs, quantstats' ``drawdown_details``, compounded ``group_returns``,
    ``safe_resample`` with ``comp`` and ``_prepare_benchmark``, and matplotlib's text
    metrics and ``Figure.savefig``, are this module's versions."""
    stats, utils, compat, plotting = qs.stats, qs.utils, qs._compat, qs._plotting.core
    saved = (stats.drawdown_details, utils.group_returns, compat.safe_resample)
    original_group_returns, original_resample = saved[1], saved[2]
    original_prepare = utils._prepare_benchmark

    def prepare_benchmark(benchmark=None, period="max", rf=0.0, prepare_returns=True):
        if (
            isinstance(benchmark, pd.Series)
            and isinstance(period, pd.DatetimeIndex)
            and same_dates(period, benchmark.index)
        ):
            period = "max"  # quantstats, finding the same dates, would not realign
        return original_prepare(benchmark, period, rf, prepare_returns)

    def group_returns(returns, groupby, compounded=False):
        if not compounded:
            return original_group_returns(returns, groupby, compounded)
        return compounded_by_group(returns, groupby)

    def safe_resample(data, freq, func_name=None, **kwargs):
        if func_name is not stats.comp or kwargs:
            return original_resample(data, freq, func_name, **kwargs)
        return original_resample(data.add(1), freq, "prod") - 1

    def drawdown_details(drawdown):
        if isinstance(drawdown, pd.DataFrame):
            parts = {column: drawdown_periods(drawdown[column]) for column in drawdown.columns}
            return compat.safe_concat(parts, axis=1)
        return drawdown_periods(drawdown)

    stats.drawdown_details, utils.group_returns = drawdown_details, group_returns
    compat.safe_resample = plotting.safe_resample = safe_resample
    utils._prepare_benchmark = prepare_benchmark
    measure = mtext._get_text_metrics_with_cache

    def text_metrics(renderer, text, fontprop, ismath, dpi):
        settings = tuple(mpl.rcParams[name] for name in _TEXT_SETTINGS)
        resolution = getattr(renderer, "dpi", None)
        key = (type(renderer), resolution, text, fontprop.copy(), ismath, dpi, settings)
        if key not in _TEXT_METRICS:
            _TEXT_METRICS[key] = measure(renderer, text, fontprop, ismath, dpi)
        return _TEXT_METRICS[key]

    mtext._get_text_metrics_with_cache = text_metrics
    save = Figure.savefig
    Figure.savefig = saved_without_dry_run(save)
    try:
        yield
    finally:
        Figure.savefig = save
        stats.drawdown_details, utils.group_returns, compat.safe_resample = saved
        plotting.safe_resample = saved[2]
        utils._prepare_benchmark = original_prepare
        mtext._get_text_metrics_with_cache = measure


def saved_without_dry_run(save: Callable[..., object]) -> Callable[..., object]:
    """``Figure.savefig`` that sets a placeholder layout engine aside while the figure is
    saved, and puts it back afterwards."""

    def savefig(figure: Figure, *args: object, **kwargs: object) -> object:
        engine = figure.get_layout_engine()
        if type(engine) is not PlaceHolderLayoutEngine:
            return save(figure, *args, **kwargs)
        figure._layout_engine = None  # set_layout_engine cannot go back to none
        try:
            return save(figure, *args, **kwargs)
        finally:
            figure._layout_engine = engine

    return savefig


def same_dates(dates: pd.DatetimeIndex, index: pd.Index) -> bool:
    """Whether ``index`` holds the same set of instants as ``dates`` (order and repeats
    aside; a naive and an aware timestamp are never the same), as ``set(a) == set(b)``."""
    if not isinstance(index, pd.DatetimeIndex) or (dates.tz is None) != (index.tz is None):
        return False
    return np.array_equal(_instants(dates), _instants(index))


def _instants(dates: pd.DatetimeIndex) -> np.ndarray:
    return np.unique(dates.as_unit("ns").asi8)


def compounded_by_group(returns: pd.Series | pd.DataFrame, groupby: object) -> pd.Series:
    """Compounded return of each group of ``returns`` (daily fractions): the product of
    ``1 + r`` over the group's days minus 1, missing days skipped, as quantstats' ``comp``."""
    return returns.add(1).groupby(groupby).prod() - 1


def drawdown_periods(drawdown: pd.Series) -> pd.DataFrame:
    """quantstats' ``drawdown_details`` of one drawdown series (fractions, 0 at a high):
    each period's start, valley and end (``YYYY-MM-DD``), length in calendar days, deepest
    drawdown and deepest once the worst 1% of its days are dropped (both in percent)."""
    values = drawdown.to_numpy(dtype=float)
    index = pd.DatetimeIndex(drawdown.index)
    at_high = values == 0
    before = np.r_[False, at_high[:-1]]  # quantstats' shift(1) leaves the first day False
    starts = list(np.flatnonzero(~at_high & before))
    recovered = np.r_[False, at_high[1:] & ~at_high[:-1]]
    ends = list(np.flatnonzero(np.r_[recovered[1:], False]))
    if not starts:
        return pd.DataFrame(index=[], columns=_DETAIL_COLUMNS)
    if ends and starts[0] > ends[0]:
        starts.insert(0, 0)
    if not ends or starts[-1] > ends[-1]:
        ends.append(len(values) - 1)
    rows = []
    for first, last in zip(starts, ends, strict=False):
        period = values[first : last + 1]
        deepest = np.nanargmin(period)
        depth = -period
        kept = period[depth < np.nanquantile(depth, _CLEAN_QUANTILE)]
        rows.append(
            (
                index[first],
                index[first + deepest],
                index[last],
                (index[last] - index[first]).days + 1,
                period[deepest] * 100,
                (kept.min() if kept.size else np.nan) * 100,
            )
        )
    frame = pd.DataFrame(data=rows, columns=_DETAIL_COLUMNS)
    frame["days"] = frame["days"].astype(int)
    frame["max drawdown"] = frame["max drawdown"].astype(float)
    frame["99% max drawdown"] = frame["99% max drawdown"].astype(float)
    for column in ("start", "end", "valley"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame
