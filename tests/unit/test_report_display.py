"""What a reader sees on the pages: parameters in words, integers as integers, no nan, inf
or 1e+04, intervals without bounds footnoted, distinct colours, readable ink, and the
sweep's findings and distinct trials computed by hand."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_rgb

from catalystlab.analysis.sweep.distinct import distinct_leaders
from catalystlab.analysis.sweep.findings import (
    hold_curve,
    signal_findings,
    walk_forward_findings,
)
from catalystlab.report.charts import PALETTE, ink_on, line_style
from catalystlab.report.formatting import psr_label
from catalystlab.report.params import number, parameter_label
from catalystlab.report.tables import NO_INTERVAL, ranked_display

UNREADABLE = re.compile(r"nan|inf|\de[+-]?\d", re.IGNORECASE)


@pytest.mark.parametrize(
    ("signal", "params", "label"),
    [
        ("margin", {"measure": "income_growth", "threshold": 0.02}, "margin: income growth > 2%"),
        (
            "margin",
            {"measure": "margin_change", "threshold": -0.02},
            "margin: margin change > -2 pts",
        ),
        ("margin", {"threshold": 0.1}, "margin: margin change > 10 pts"),
        (
            "layoffs",
            {"hold_days": 20, "min_headcount": 10000.0},
            "layoffs: hold 20 days, min 10,000",
        ),
        ("layoffs", {"hold_days": 5, "min_headcount": 0}, "layoffs: hold 5 days, any size"),
        (
            "layoffs",
            {"min_pct": 0.05, "status": "official"},
            "layoffs: min 5% of staff, status official",
        ),
        ("capex", {"lag_days": 3.0, "growth": 0.125}, "capex: lag days 3, growth 0.125"),
        ("thesis", {}, "thesis"),
    ],
)
def test_parameters_read_as_words(signal, params, label):
    assert parameter_label(signal, params) == label


@given(st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=False)))
def test_a_parameter_value_is_never_nan_or_scientific(value):
    shown = number(value)
    assert not UNREADABLE.search(shown), shown
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        assert shown.replace(",", "").lstrip("-") == str(abs(int(value)))


@given(st.floats(-1, 5, allow_nan=False), st.sampled_from(["margin_change", "income_growth"]))
def test_a_threshold_label_is_never_scientific(threshold, measure):
    label = parameter_label("margin", {"measure": measure, "threshold": threshold})
    assert not UNREADABLE.search(label), label


def test_psr_label_names_its_reference():
    assert psr_label("SPY") == "PSR vs SPY"
    assert psr_label("0") == "PSR vs 0"


def test_an_interval_without_bounds_reads_a_dash_not_nan():
    table = pd.DataFrame(
        {
            "excess_return": [0.05, np.nan, -0.131],
            "excess_return_lo": [0.01, np.nan, np.nan],
            "excess_return_hi": [0.09, np.nan, np.nan],
            "sharpe_diff": [0.2, np.nan, -0.614],
            "sharpe_diff_lo": [-0.1, np.nan, np.nan],
            "sharpe_diff_hi": [0.5, np.nan, np.nan],
        },
        index=["a", "b", "c"],
    )
    shown = ranked_display(table, ("excess_return", "sharpe_diff"))
    assert shown.loc["a"].tolist() == ["+5.0% [+1.0%, +9.0%]", "+0.20 [-0.10, +0.50]"]
    assert shown.loc["b"].tolist() == ["–", "–"]
    assert shown.loc["c"].tolist() == [f"-13.1% {NO_INTERVAL}", f"-0.61 {NO_INTERVAL}"]


def test_distinct_leaders_merge_trials_of_one_exposure_in_rank_order():
    keys = {5: "a", 3: "a", 8: "b", 1: "c", 9: "c", 4: "d"}
    looked = []

    def key(trial):
        looked.append(trial)
        return keys[trial]

    ranked = [5, 3, 8, 1, 9, 4]
    assert distinct_leaders(ranked, key, 2) == {5: (3,), 8: ()}
    assert looked == [5, 3, 8, 1]  # stops at the first trial of a third exposure
    assert distinct_leaders(ranked, keys.get, 3) == {5: (3,), 8: (), 1: (9,)}
    assert distinct_leaders(ranked, keys.get, 10) == {5: (3,), 8: (), 1: (9,), 4: ()}
    assert distinct_leaders(ranked, keys.get, 3, limit=2) == {5: (3,)}


def test_walk_forward_findings_by_hand():
    days = pd.bdate_range("2024-01-01", periods=3)
    walk = pd.Series([0.1, -0.05, 0.02], index=days)
    tickers = pd.DataFrame({"A": [0.1, 0.1, 0.0], "B": [-0.5, 0.0, 1.0]}, index=days)
    bench = pd.Series([0.01, 0.01, 0.01], index=days)
    found = walk_forward_findings(walk, tickers, bench)
    assert found.total_return == pytest.approx(1.1 * 0.95 * 1.02 - 1)
    # half in each, never rebalanced: A grows to 1.21, B to 1.0
    assert found.hold_total_return == pytest.approx((1.21 + 1.0) / 2 - 1)
    assert hold_curve(tickers, days).tolist() == pytest.approx([0.8, 0.855, 1.105])
    assert found.benchmark_total_return == pytest.approx(1.01**3 - 1)
    assert (found.first_day, found.last_day, found.days) == (days[0], days[-1], 3)


def test_signal_findings_count_trials_that_beat_holding_their_ticker():
    days = pd.bdate_range("2024-01-01", periods=4)
    tickers = pd.DataFrame(
        {"A": [0.01, 0.02, 0.0, 0.01], "B": [0.01, -0.01, 0.01, -0.01]}, index=days
    )
    hold_a = tickers["A"].mean() / tickers["A"].std() * np.sqrt(252)
    trials = pd.DataFrame(
        {
            "signal": ["x", "x", "x", "y"],
            "ticker": ["A", "A", "B", "B"],
            "sharpe": [hold_a + 1, np.nan, 0.5, -1.0],
        },
        index=[10, 11, 12, 13],
    )
    x, y = signal_findings(trials, tickers)
    assert (x.signal, x.trials, x.invested, x.best_trial) == ("x", 3, 2, 10)
    assert x.beat_hold == 2  # B's holding Sharpe is 0 (mean 0): 0.5 beats it
    assert x.median_sharpe == pytest.approx(np.median([hold_a + 1, 0.5]))
    assert (y.trials, y.invested, y.beat_hold, y.best_sharpe) == (1, 1, 0, -1.0)


def _lab(colour) -> np.ndarray:
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    matrix = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = matrix @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_twelve_lines_get_twelve_solid_colours_far_apart():
    styles = [line_style(n) for n in range(12)]
    assert {s["linestyle"] for s in styles} == {"-"}
    colours = [_lab(s["color"]) for s in styles]
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(colours) for b in colours[:i]]
    assert min(gaps) > 25  # CIE76: tab10's closest pair (pink, purple) is 27.7
    assert len(PALETTE) == 12
    seen = {(tuple(line_style(n)["color"]), line_style(n)["linestyle"]) for n in range(48)}
    assert len(seen) == 48


@pytest.mark.parametrize(
    ("colour", "ink"),
    [
        ((1.0, 1.0, 1.0), "#000"),
        ((0.0, 0.0, 0.0), "#fff"),
        ((0.65, 0.0, 0.15), "#fff"),
        ((1.0, 1.0, 0.75), "#000"),
    ],
)
def test_ink_reads_on_its_cell(colour, ink):
    assert ink_on(colour) == ink


def test_a_dash_in_the_ranked_table_has_its_footnote():
    from catalystlab.report.html import _ranked_tables
    from catalystlab.report.tables import NO_INTERVAL_NOTE, NO_VALUE_NOTE

    def notes(table: pd.DataFrame) -> str:
        shown = ranked_display(table, ("rank", "sharpe", "excess_return"))
        return "".join(_ranked_tables(shown, {}, benchmark="SPY")[1:])

    never = pd.DataFrame(
        {
            "rank": [1, 2],
            "sharpe": [0.5, np.nan],
            "excess_return": [0.1, np.nan],
            "excess_return_lo": [0.0, np.nan],
            "excess_return_hi": [0.2, np.nan],
        },
        index=["a", "b"],
    )
    assert "no value" in notes(never) and "no interval" not in notes(never)
    rare = never.assign(sharpe=[0.5, 0.1], excess_return=[0.1, -0.1])
    assert "no interval" in notes(rare) and "no value" not in notes(rare)
    assert notes(never.iloc[:1]) == ""
    assert NO_INTERVAL_NOTE.startswith("[–]") and NO_VALUE_NOTE.startswith("–")


def test_the_compare_table_heads_its_psr_with_the_benchmark():
    from catalystlab.report.html import _ranked_tables

    table = pd.DataFrame({"rank": [1], "psr": [0.5], "volatility": [0.2]}, index=["a"])
    main, details = _ranked_tables(table, {}, benchmark="SPY")
    assert "<th>PSR vs SPY</th>" in main and "<td>0.50</td>" in main
    assert "PSR" not in details and "volatility" in details
    assert "<th>PSR vs QQQ</th>" in _ranked_tables(table, {}, benchmark="QQQ")[0]


def test_the_sweep_heatmap_shows_fractions_in_percent_and_whole_numbers_whole(
    tmp_path, monkeypatch
):
    from types import SimpleNamespace

    import matplotlib.axes

    from catalystlab.report import sweep as sweep_report

    grid = {
        "margin.measure": ["margin_change", "income_growth"],
        "margin.threshold": [-0.02, 0.0, 0.05],
        "layoffs.hold_days": [5, 120],
        "layoffs.min_headcount": [0, 10000],
    }
    rows = [
        {"signal": "margin", "margin.measure": m, "margin.threshold": t, "sharpe": 0.5}
        for m in grid["margin.measure"]
        for t in grid["margin.threshold"]
    ] + [
        {"signal": "layoffs", "layoffs.hold_days": d, "layoffs.min_headcount": h, "sharpe": 0.3}
        for d in grid["layoffs.hold_days"]
        for h in grid["layoffs.min_headcount"]
    ]
    outcome = SimpleNamespace(
        config=SimpleNamespace(sweep=SimpleNamespace(grid=grid, metric="sharpe")),
        trials=pd.DataFrame(rows),
    )
    ticks, labels = [], []
    set_xticks, set_yticks = matplotlib.axes.Axes.set_xticks, matplotlib.axes.Axes.set_yticks
    set_ylabel = matplotlib.axes.Axes.set_ylabel

    def record(original, store):
        def wrapped(self, *args, **kwargs):
            store.append(args[1] if len(args) > 1 else args[0])
            return original(self, *args, **kwargs)

        return wrapped

    monkeypatch.setattr(matplotlib.axes.Axes, "set_xticks", record(set_xticks, ticks))
    monkeypatch.setattr(matplotlib.axes.Axes, "set_yticks", record(set_yticks, ticks))
    monkeypatch.setattr(matplotlib.axes.Axes, "set_ylabel", record(set_ylabel, labels))
    sweep_report.heatmap(outcome, tmp_path / "heatmap.png")
    shown = [list(t) for t in ticks if len(t) and isinstance(t[0], str)]
    assert ["-2", "0", "5"] in shown  # margin thresholds: points or percent, not -0.02
    assert ["income growth", "margin change"] in shown
    assert ["5", "120"] in shown and ["0", "10,000"] in shown  # no 5.0, no 1e+04
    assert "threshold (margin change: points; income growth: %)" in labels
    assert "min headcount" in labels


def test_a_bootstrap_block_length_reads_as_whole_days():
    from catalystlab.report.formatting import format_value

    # The interval table's block column: an int block size stored in a float column.
    assert format_value(10.0, "block") == "10"
    assert format_value(np.float64(15.0), "block") == "15"
    assert format_value(float("nan"), "block") == "–"
