"""quantstats tearsheets: offline, tz-safe, covering the whole run, and repaired where
quantstats 0.0.86 breaks on pandas 3 or in a browser (see tests/browser for the page in
Chromium)."""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
import quantstats as qs
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.analysis.stats.relative import information_ratio
from catalystlab.report.tearsheets import (
    _percent_ticks,
    calendar_returns,
    eoy_returns_svg,
    monthly_heatmap_table,
    period_returns,
    write_tearsheet,
)

HOSTILE_TITLE = '<script>alert("x")</script> & {{metrics}} "Momentum"'
HOSTILE_BENCHMARK = "<i>SPY</i>"
SVG = "{http://www.w3.org/2000/svg}"


def test_a_rule_that_starts_in_cash_gets_a_sheet_of_the_whole_period(tmp_path):
    days = pd.bdate_range("2021-01-04", periods=120, tz="America/New_York")
    rng = np.random.default_rng(3)
    returns = pd.Series(np.r_[np.zeros(30), rng.normal(0, 0.01, 90)], index=days)
    benchmark = pd.Series(rng.normal(0, 0.01, 120), index=days)
    path = write_tearsheet(returns, benchmark, tmp_path / "rule.html", title="Rule")
    page = path.read_text()
    assert "4 Jan, 2021" in page
    total = float(np.prod(1 + returns.to_numpy()) - 1)
    assert f"{total:.2%}" in page


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    """A tearsheet from 15 Mar 2021 to 19 Jul 2024 (both years cut short), in cash for all of
    April 2021, with a hostile title and benchmark name; (returns, benchmark, page)."""
    days = pd.bdate_range("2021-03-15", "2024-07-19")
    rng = np.random.default_rng(11)
    returns = pd.Series(rng.normal(0.0004, 0.012, len(days)), index=days)
    returns[(days.year == 2021) & (days.month == 4)] = 0.0
    benchmark = pd.Series(rng.normal(0.0003, 0.01, len(days)), index=days, name=HOSTILE_BENCHMARK)
    path = tmp_path_factory.mktemp("sheet") / "sheet.html"
    write_tearsheet(returns, benchmark, path, title=HOSTILE_TITLE)
    return returns, benchmark, path.read_text(encoding="utf-8")


def _div(page: str, div_id: str) -> str:
    return re.search(rf'<div id="{div_id}">(.*?)</div>', page, flags=re.DOTALL).group(1)


def _svg_texts(svg: str) -> list[str]:
    """The texts matplotlib drew (it writes each as a comment before its glyph paths)."""
    return re.findall(r"<!-- (.*?) -->", svg)


def test_nothing_is_fetched_and_no_script_runs_on_load(sheet):
    page = sheet[2]
    assert "qtpylib.io" not in page
    assert 'rel="icon" href="data:,"' in page
    assert "save()" not in page
    assert re.findall(r'\b(?:src|href)="(https?://[^"]*)"', page) == ["http://quantstats.io"]


def test_user_strings_are_escaped(sheet):
    page = sheet[2]
    assert "<script>alert" not in page
    assert "<i>SPY" not in page
    assert f"<h1>{html.escape(HOSTILE_TITLE)} (Compounded)" in page
    assert f"<title>{html.escape(HOSTILE_TITLE)} (tearsheet)</title>" in page
    assert f"Benchmark: {html.escape(HOSTILE_BENCHMARK.upper())} &bull;" in page


def test_cagr_row_has_a_plain_label_naming_its_years(sheet):
    returns, _, page = sheet
    assert "﹪" not in page
    growth = float(np.prod(1 + returns.to_numpy()))
    by_hand = growth ** (252 / len(returns)) - 1  # quantstats: years = return days / 252
    shown = re.search(r"<td>CAGR \(252-day years\)</td><td>[^<]*</td><td>([^<]*)%</td>", page)
    assert float(shown.group(1)) == pytest.approx(by_hand * 100, abs=0.005)


def test_the_probabilistic_sharpe_row_names_its_reference(sheet):
    returns, _, page = sheet
    # quantstats' PSR is against a Sharpe ratio of zero: P(SR > 0) with its own skew/kurtosis
    shown = re.search(r"<td>PSR vs 0 \(Prob. Sharpe\)</td><td>[^<]*</td><td>([^<]*)%</td>", page)
    assert shown is not None and "Prob. Sharpe Ratio" not in page
    assert float(shown.group(1)) == pytest.approx(
        100 * qs.stats.probabilistic_sharpe_ratio(returns), abs=0.005
    )


def test_information_ratio_is_annualised_like_the_report(sheet):
    returns, benchmark, page = sheet
    active = returns - benchmark
    by_hand = active.mean() / active.std(ddof=1) * np.sqrt(252)
    assert information_ratio(returns, benchmark) == pytest.approx(by_hand)
    daily = qs.stats.information_ratio(returns, benchmark)
    assert daily * np.sqrt(252) == pytest.approx(by_hand)
    assert f"<tr><td>Information Ratio (ann.)</td><td>-</td><td>{by_hand:.2f}</td></tr>" in page
    assert "<td>Information Ratio</td>" not in page


def _svg_tree(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_eoy_chart_labels_each_year_under_its_bars(sheet):
    chart = _svg_tree(_div(sheet[2], "eoy_returns"))
    texts = ["".join(t.itertext()) for t in chart.iter(f"{SVG}text")]
    assert [t for t in texts if re.fullmatch(r"\d{4}", t)] == ["2021", "2022", "2023", "2024"]
    assert "15 Mar 2021 - 19 Jul 2024" in texts
    assert "EOY Returns vs Benchmark" in texts
    assert "0%" in texts  # the zero line is labelled


def test_eoy_chart_bars_sit_over_their_year_and_show_its_return():
    days = pd.bdate_range("1999-02-01", "2025-06-30")  # 27 years: quantstats piles these up
    rng = np.random.default_rng(7)
    strategy = pd.Series(rng.normal(0.0004, 0.01, len(days)), index=days, name="Strategy")
    benchmark = pd.Series(rng.normal(0.0003, 0.01, len(days)), index=days, name="SPY")
    chart = _svg_tree(eoy_returns_svg(strategy, benchmark))
    years = [t for t in chart.iter(f"{SVG}text") if t.get("class") == "year"]
    assert [t.text for t in years] == [str(year) for year in range(1999, 2026)]
    assert all("rotate(-90" in t.get("transform") for t in years)  # 27 labels stand upright
    bars = [r for r in chart.iter(f"{SVG}rect") if r.get("class") == "bar"]
    spy, ours = bars[0::2], bars[1::2]
    for year, left, right in zip(years, spy, ours, strict=True):
        # the pair touches at the year's label
        touch = float(left.get("x")) + float(left.get("width"))
        assert touch == pytest.approx(float(right.get("x")), abs=0.11)
        assert touch == pytest.approx(float(year.get("x")) - 3, abs=0.11)
    values = [float(bar.get("data-value")) for bar in ours]
    assert values == pytest.approx((calendar_returns(strategy) * 100).tolist(), abs=1e-6)
    assert [float(bar.get("data-value")) for bar in spy] == pytest.approx(
        (calendar_returns(benchmark) * 100).tolist(), abs=1e-6
    )
    # heights in proportion to the returns, on the side of zero their sign says
    scale = float(ours[0].get("height")) / abs(values[0])
    zero = [line for line in chart.iter(f"{SVG}line") if line.get("stroke") == "black"]
    (zero_y,) = {float(line.get("y1")) for line in zero}
    for bar, value in zip(ours, values, strict=True):
        assert float(bar.get("height")) == pytest.approx(abs(value) * scale, abs=0.15)
        above = float(bar.get("y")) < zero_y - 0.05
        assert above == (value > 0.05) or abs(value) < 0.05
    titles = [bar.find(f"{SVG}title").text for bar in ours]
    assert titles[0] == f"1999 Strategy: {values[0]:.2f}%"


def test_eoy_axis_ticks_are_round_and_cover_the_bars_and_zero():
    assert _percent_ticks(-12.3, 41.0) == [-20.0, -10.0, 0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
    assert _percent_ticks(3.0, 7.5) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert _percent_ticks(-0.4, -0.1) == pytest.approx([-0.4, -0.3, -0.2, -0.1, 0.0])


def test_heatmap_leaves_months_outside_the_period_blank(sheet):
    rows = re.findall(r"<tr><th>(\d{4})</th>(.*?)</tr>", _div(sheet[2], "monthly_heatmap"))
    cells = {year: re.findall(r"<td[^>]*>([^<]*)</td>", row) for year, row in rows}
    assert list(cells) == ["2021", "2022", "2023", "2024"]
    assert all(len(months) == 12 for months in cells.values())
    # 2021 from March, 2024 to July: the months outside the period are blank
    assert cells["2021"][:2] == ["", ""] and cells["2024"][7:] == [""] * 5
    assert cells["2021"][3] == "0.00"  # April 2021 in cash: a real 0.00, inside the period
    monthly = calendar_returns(sheet[0], monthly=True) * 100
    shown = [float(v) for year in cells for v in cells[year] if v]
    assert shown == pytest.approx(monthly.to_numpy(), abs=0.005)


def test_heatmap_cells_are_coloured_around_zero_with_readable_ink():
    days = pd.bdate_range("2022-01-03", "2022-03-31")
    returns = pd.Series(0.0, index=days, name="Rule")
    returns[days.month == 1] = 0.01  # a strong January, a flat February, a weak March
    returns[days.month == 3] = -0.002
    table = monthly_heatmap_table(returns)
    styles = re.findall(r'<td style="background:(#[0-9a-f]{6});color:(#[0-9a-f]{3})">', table)
    (january, february, march) = styles
    assert january == ("#006837", "#fff")  # the darkest green, white ink
    assert february == ("#feffbe", "#000")  # the colour map's middle: zero
    assert march[1] == "#000"
    assert "<h3>Rule - Monthly Returns (%)</h3>" in table


def test_calendar_returns_compound_each_year_and_month_with_data():
    days = pd.to_datetime(["2021-12-30", "2021-12-31", "2022-01-03", "2022-03-01"])
    returns = pd.Series([0.1, -0.1, 0.05, 0.02], index=days)
    yearly = calendar_returns(returns)
    assert yearly.to_dict() == pytest.approx({2021: 1.1 * 0.9 - 1, 2022: 1.05 * 1.02 - 1})
    monthly = calendar_returns(returns, monthly=True)
    assert monthly.to_dict() == pytest.approx(
        {(2021, 12): 1.1 * 0.9 - 1, (2022, 1): 0.05, (2022, 3): 0.02}
    )


def test_calendar_returns_match_quantstats_eoy_table():
    days = pd.bdate_range("2019-06-03", "2022-02-25")
    rng = np.random.default_rng(5)
    returns = pd.Series(rng.normal(0.0005, 0.01, len(days)), index=days, name="Strategy")
    benchmark = pd.Series(rng.normal(0.0003, 0.01, len(days)), index=days, name="SPY")
    table = qs.stats.compare(returns, benchmark, "YE", prepare_returns=False)
    ours = calendar_returns(returns) * 100
    assert ours.to_numpy() == pytest.approx(table["Returns"].to_numpy(dtype=float), abs=0.005)


@given(
    st.lists(st.floats(-0.2, 0.2, allow_nan=False), min_size=1, max_size=600),
    st.dates(
        min_value=pd.Timestamp("2000-01-01").date(), max_value=pd.Timestamp("2030-01-01").date()
    ),
)
def test_calendar_returns_compound_to_the_total(values, start):
    returns = pd.Series(values, index=pd.bdate_range(start, periods=len(values)))
    growth = float(np.prod(1 + returns.to_numpy()))
    assert float(np.prod(1 + calendar_returns(returns).to_numpy())) == pytest.approx(growth)
    assert float(np.prod(1 + calendar_returns(returns, monthly=True).to_numpy())) == pytest.approx(
        growth
    )


def test_chart_text_is_text_in_the_page_font_not_glyph_outlines(sheet):
    page = sheet[2]
    charts = _div(page, "log_returns") + _div(page, "rolling_beta")
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", charts)
    assert "Cumulative Returns vs Benchmark (Log Scaled)" in labels
    assert "Rolling Beta to Benchmark" in labels
    assert "DejaVuSans-" not in page  # no glyph outlines defined anywhere on the page
    assert "svg text{font-family:Arial," in page  # drawn in the page's font


def test_every_period_has_one_quantile_value_even_when_its_last_day_is_not_a_trading_day():
    # 2022 ends on a Saturday and the data end in the middle of 2023: quantstats files a
    # period's return under its calendar last day, so it loses both years; ours keeps them.
    days = pd.to_datetime(["2021-12-30", "2021-12-31", "2022-06-01", "2022-12-30", "2023-02-01"])
    returns = pd.Series([0.1, -0.1, 0.2, -0.5, 0.05], index=days)
    periods = period_returns(returns)
    yearly = {p.year: v for p, v in periods["Yearly"].items()}
    assert yearly == pytest.approx({2021: 1.1 * 0.9 - 1, 2022: 1.2 * 0.5 - 1, 2023: 0.05})
    assert yearly == pytest.approx(calendar_returns(returns).to_dict())  # the EOY table's
    quarters = {(p.year, p.quarter): v for p, v in periods["Quarterly"].items()}
    assert quarters == pytest.approx(
        {(2021, 4): 1.1 * 0.9 - 1, (2022, 2): 0.2, (2022, 4): -0.5, (2023, 1): 0.05}
    )
    assert list(periods["Daily"]) == list(returns)
    # quantstats' chart, as it builds its yearly column, keeps 2021 alone:
    from quantstats._plotting.core import safe_resample

    port = pd.DataFrame({"Daily": returns})
    port["Yearly"] = safe_resample(port["Daily"], "YE", qs.stats.comp)
    assert port["Yearly"].dropna().tolist() == pytest.approx([1.1 * 0.9 - 1])


@given(
    st.lists(st.floats(-0.2, 0.2, allow_nan=False), min_size=1, max_size=400),
    st.dates(
        min_value=pd.Timestamp("2000-01-01").date(), max_value=pd.Timestamp("2030-01-01").date()
    ),
)
def test_each_period_length_compounds_to_the_total_once_per_period(values, start):
    returns = pd.Series(values, index=pd.bdate_range(start, periods=len(values)))
    growth = float(np.prod(1 + returns.to_numpy()))
    for name, found in period_returns(returns).items():
        assert float(np.prod(1 + found.to_numpy())) == pytest.approx(growth), name
        assert found.index.is_unique
    summed = period_returns(returns, compounded=False)
    assert float(summed["Yearly"].sum()) == pytest.approx(float(returns.sum()))


def test_the_page_draws_its_quantiles_from_every_period(tmp_path, monkeypatch):
    from catalystlab.report import tearsheets

    drawn = []

    def spy(returns, **options):
        drawn.append(returns.copy())
        return period_returns(returns, **options)

    monkeypatch.setattr(tearsheets, "period_returns", spy)
    days = pd.bdate_range("2021-11-01", "2023-03-31")
    rng = np.random.default_rng(4)
    returns = pd.Series(rng.normal(0.0, 0.01, len(days)), index=days)
    benchmark = pd.Series(rng.normal(0.0, 0.01, len(days)), index=days, name="SPY")
    page = write_tearsheet(returns, benchmark, tmp_path / "q.html", title="Q").read_text()
    (seen,) = drawn
    np.testing.assert_array_equal(seen.to_numpy(), returns.to_numpy())
    assert "Return Quantiles" in _div(page, "returns_dist")
