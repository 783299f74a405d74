"""The vectorised stand-ins for quantstats internals give quantstats' own results, and a
tearsheet written with them is the page quantstats writes without them."""

from __future__ import annotations

import contextlib
import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.text as mtext
import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from pandas.testing import assert_frame_equal, assert_series_equal

from catalystlab.report import tearsheets
from catalystlab.report.tearsheet_kernels import (
    compounded_by_group,
    drawdown_periods,
    fast_internals,
    same_dates,
)

ORIGINAL_DETAILS = qs.stats.drawdown_details
ORIGINAL_GROUP_RETURNS = qs.utils.group_returns
ORIGINAL_RESAMPLE = qs._compat.safe_resample
ORIGINAL_PREPARE = qs.utils._prepare_benchmark
ORIGINAL_TEXT_METRICS = mtext._get_text_metrics_with_cache
ORIGINAL_SAVEFIG = Figure.savefig
DAYS = pd.bdate_range("2021-01-04", periods=50)


def _returns(values, start="2019-01-01") -> pd.Series:
    index = pd.bdate_range(start, periods=len(values))
    return pd.Series(np.asarray(values, dtype=float), index=index, name="Strategy")


def _random_returns(seed: int, days: int = 800, cash_days: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    values = rng.normal(0.0005, 0.015, days)
    values[:cash_days] = 0.0
    return _returns(values)


daily_returns = st.lists(
    st.one_of(st.just(0.0), st.floats(-0.2, 0.2, allow_nan=False)), min_size=2, max_size=300
)


@settings(max_examples=150, deadline=None)
@given(daily_returns)
def test_drawdown_periods_equal_quantstats_drawdown_details(values):
    drawdown = qs.stats.to_drawdown_series(_returns(values))
    assert_frame_equal(drawdown_periods(drawdown), ORIGINAL_DETAILS(drawdown))


@pytest.mark.parametrize(
    "values",
    [
        [-0.01, 0.0, 0.02, -0.03, -0.01, 0.05],  # starts in a drawdown
        [0.01, -0.02, -0.01, 0.005, -0.004],  # ends in one
        [0.0, 0.0, 0.0],  # never falls
        [0.01, 0.02, 0.03],  # only rises
    ],
)
def test_drawdown_periods_edge_cases_equal_quantstats(values):
    drawdown = qs.stats.to_drawdown_series(_returns(values))
    if values[0] < 0:  # quantstats' series starts at the first day's value, not at 0
        drawdown.iloc[0] = values[0]
    assert_frame_equal(drawdown_periods(drawdown), ORIGINAL_DETAILS(drawdown))


def test_a_hand_computed_drawdown_period():
    # Growth 1.0, 0.9, 0.81, 0.891, 1.0 (recovered), 1.1: one period, 2019-01-02 to 01-04.
    returns = _returns([0.0, -0.1, -0.1, 0.1, 1.0 / 0.891 - 1.0, 0.1])
    (row,) = drawdown_periods(qs.stats.to_drawdown_series(returns)).itertuples(index=False)
    assert (row.start, row.valley, row.end, row.days) == (
        "2019-01-02",
        "2019-01-03",
        "2019-01-04",
        3,
    )
    assert row[4] == pytest.approx(-19.0)  # max drawdown, percent


@settings(max_examples=60, deadline=None)
@given(daily_returns, st.sampled_from(["year", "month", "year-month"]))
def test_compounded_groups_equal_quantstats(values, keys):
    returns = _returns(values, start="2018-11-20")
    index = returns.index
    groupby = {
        "year": index.year,
        "month": index.month,
        "year-month": [index.year, index.month],
    }[keys]
    expected = ORIGINAL_GROUP_RETURNS(returns, groupby, compounded=True)
    assert_series_equal(compounded_by_group(returns, groupby), expected, check_names=False)
    frame = pd.DataFrame({"a": returns, "b": returns[::-1].to_numpy()}, index=index)
    assert_frame_equal(
        compounded_by_group(frame, groupby),
        ORIGINAL_GROUP_RETURNS(frame, groupby, compounded=True),
    )


def test_compounded_groups_by_hand():
    returns = pd.Series(
        [0.1, 0.1, -0.5], index=pd.to_datetime(["2020-12-30", "2020-12-31", "2021-01-04"])
    )
    grouped = compounded_by_group(returns, returns.index.year)
    assert grouped.loc[2020] == pytest.approx(0.21)
    assert grouped.loc[2021] == pytest.approx(-0.5)


@pytest.mark.parametrize("rule", ["ME", "W", "QE", "YE"])
def test_resampled_compounding_equals_quantstats(rule):
    returns = _random_returns(3)
    with fast_internals(qs):
        fast = qs._compat.safe_resample(returns, rule, qs.stats.comp)
    assert_series_equal(fast, ORIGINAL_RESAMPLE(returns, rule, qs.stats.comp))


def test_the_originals_are_back_after_the_block_even_after_an_error():
    with pytest.raises(RuntimeError), fast_internals(qs):
        assert qs.stats.drawdown_details is not ORIGINAL_DETAILS
        assert qs._plotting.core.safe_resample is not ORIGINAL_RESAMPLE
        raise RuntimeError("a tearsheet failed")
    assert qs.stats.drawdown_details is ORIGINAL_DETAILS
    assert qs.utils.group_returns is ORIGINAL_GROUP_RETURNS
    assert qs._compat.safe_resample is ORIGINAL_RESAMPLE
    assert qs._plotting.core.safe_resample is ORIGINAL_RESAMPLE
    assert qs.utils._prepare_benchmark is ORIGINAL_PREPARE
    assert mtext._get_text_metrics_with_cache is ORIGINAL_TEXT_METRICS
    assert Figure.savefig is ORIGINAL_SAVEFIG


def test_a_tearsheet_is_the_same_page_with_and_without_them(tmp_path, monkeypatch):
    # Fixed SVG ids and dates, so that two drawings of the same page are the same text.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.setitem(mpl.rcParams, "svg.hashsalt", "fixed")
    strategy = _random_returns(1, days=900, cash_days=40)
    benchmark = _random_returns(2, days=900).rename("SPY")
    fast = tearsheets.write_tearsheet(strategy, benchmark, tmp_path / "fast.html", title="T")
    monkeypatch.setattr(tearsheets, "fast_internals", lambda _: contextlib.nullcontext())
    stock = tearsheets.write_tearsheet(strategy, benchmark, tmp_path / "stock.html", title="T")
    assert fast.read_text(encoding="utf-8") == stock.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (DAYS, DAYS),
        (DAYS, DAYS[::-1]),  # order aside
        (DAYS, DAYS.append(DAYS[:3])),  # repeats aside
        (DAYS, DAYS[:-1]),  # a day missing
        (DAYS, DAYS.as_unit("s")),  # another unit, the same instants
        (DAYS, DAYS.tz_localize("UTC")),  # naive against aware
        (DAYS.tz_localize("UTC"), DAYS.tz_localize("UTC").tz_convert("America/New_York")),
        (DAYS, pd.Index(range(50))),  # not dates at all
    ],
)
def test_same_dates_is_set_equality(left, right):
    assert same_dates(left, right) == (set(left) == set(right))


@pytest.mark.parametrize("shift", [0, 1])
def test_prepared_benchmark_equals_quantstats(shift):
    strategy = _random_returns(4, days=300)
    benchmark = _random_returns(5, days=300 + shift)[shift:]  # shifted: other dates
    expected = ORIGINAL_PREPARE(benchmark, strategy.index)
    with fast_internals(qs):
        assert_series_equal(qs.utils._prepare_benchmark(benchmark, strategy.index), expected)


@pytest.mark.parametrize("dpi", [72, 100, 200])
def test_text_sizes_are_the_renderer_s_own_whichever_figure_asks(dpi):
    font = FontProperties(family="DejaVu Sans", size=11)
    renderers = [RendererAgg(400, 300, dpi), RendererSVG(400, 300, io.StringIO())]
    expected = [r.get_text_width_height_descent("2016 -23.75%", font, False) for r in renderers]
    with fast_internals(qs):
        for _ in range(2):  # measured, then served from the shared cache
            for renderer, size in zip(renderers, expected, strict=True):
                shared = mtext._get_text_metrics_with_cache(
                    renderer, "2016 -23.75%", font, False, dpi
                )
                assert shared == size


def _saved_chart(monkeypatch, **savefig) -> tuple[bytes, int, object]:
    """An SVG of a laid-out chart, how many times the figure was drawn, and its layout
    engine afterwards."""
    draws = []
    draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda figure, r: draws.append(1) or draw(figure, r))
    figure, axes = plt.subplots(figsize=(4, 3))
    axes.plot(DAYS, np.linspace(-1.0, 2.0, len(DAYS)), label="Strategy")
    axes.set_title("Cumulative Returns")
    axes.legend()
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", **savefig)
    plt.close(figure)
    return buffer.getvalue(), len(draws), figure.get_layout_engine()


@pytest.mark.parametrize("savefig", [{}, {"bbox_inches": "tight"}])
def test_a_laid_out_figure_is_saved_as_before_and_drawn_once_more_only_when_tight(
    monkeypatch, savefig
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.setitem(mpl.rcParams, "svg.hashsalt", "fixed")
    stock, stock_draws, stock_engine = _saved_chart(monkeypatch, **savefig)
    with fast_internals(qs):
        fast, fast_draws, fast_engine = _saved_chart(monkeypatch, **savefig)
    assert fast == stock
    assert stock_draws == 2  # matplotlib's dry run, then the drawing it saves
    assert fast_draws == (2 if savefig else 1)
    assert type(fast_engine) is type(stock_engine)  # the placeholder is back
