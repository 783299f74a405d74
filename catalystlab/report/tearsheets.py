"""quantstats HTML tearsheets, one per strategy, against the benchmark's returns.

The page is quantstats' own (0.0.86), repaired where it breaks on this stack (pandas 3,
matplotlib 3.11) or in a browser:

- its "EOY Returns vs Benchmark" chart is replaced: pandas 3 draws bars of a date-indexed
  frame at period positions while quantstats labels ticks 0, 1, 2, ..., so the year labels
  pile up at the left (or sit one year off) and the bars squeeze to the right;
- its monthly heatmap is replaced by a table of the same numbers and colours: quantstats
  fills the months before the first and after the last day with 0.00; ours leaves them blank
  (a month in cash inside the period still reads 0.00, which is its return). As a table its
  numbers are text (crisp at any zoom, selectable) and it costs no drawing;
- its "Return Quantiles" box plot is replaced: quantstats puts each week's, month's,
  quarter's and year's return on the calendar day that ends it, so a period whose last
  calendar day is not a trading day (2022 ended on a Saturday) and the last, unfinished period
  are left out, and each value it keeps counts once for every day it is carried forward to.
  Ours has one value per period with a day of data (:func:`period_returns`), the yearly
  box the very numbers of the "EOY Returns" table, in quantstats' colours;
- the metric "CAGR﹪" (U+FE6A, a glyph missing from common fonts) reads "CAGR (252-day
  years)": quantstats counts years as return days / 252, the report as calendar time from
  the entry (365.25 days a year), so the two differ slightly;
- its "Prob. Sharpe Ratio" reads "PSR vs 0 (Prob. Sharpe)": it is the probability that the
  Sharpe ratio is above zero, where the report's PSR is against the benchmark's Sharpe ratio
  (one label per meaning, :func:`catalystlab.report.formatting.psr_label`);
- its "Information Ratio" is the daily mean active return over its daily standard deviation,
  not annualised; the row shows ours instead, "Information Ratio (ann.)" from
  :func:`catalystlab.analysis.stats.relative.information_ratio`, the number the run's report
  shows (quantstats' value times sqrt(252));
- its charts' text is SVG text, not glyph outlines (matplotlib's ``svg.fonttype`` "none"
  instead of "path"): the browser draws it in the page's own font, Arial as quantstats asks
  (or Helvetica, Liberation Sans, sans-serif where Arial is missing), selectable and crisp;
  drawing every letter as a path cost about a tenth of a page's time and a sixth of its size;
- nothing leaves the page: no favicon from an outside host, no call of the undefined
  ``save()`` on load;
- the title and the benchmark's name are HTML-escaped.

Two things quantstats would do are skipped, which leaves the page the same and saves about a
quarter of its time: drawing the EOY and heatmap charts that are replaced above (the quantiles
chart is drawn once, ours in place of quantstats'), and the full redraw that
``pyplot.savefig`` makes after saving every figure (for an interactive window there is none).
Its slowest internals run vectorised (:mod:`catalystlab.report.tearsheet_kernels`), which
again leaves the page the same.
"""

from __future__ import annotations

import html
import logging
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.colors import Normalize, to_hex
from matplotlib.ticker import FuncFormatter

from catalystlab.analysis.stats.relative import information_ratio
from catalystlab.report.charts import ink_on
from catalystlab.report.formatting import PSR_VS_ZERO
from catalystlab.report.tearsheet_kernels import fast_internals

# quantstats' colours: the benchmark first, then the strategy.
_BENCHMARK_COLOUR = "#fedd78"
_STRATEGY_COLOUR = "#348dc1"
_STRATEGY_LABEL = "Strategy"
_FEWEST_YEAR_SLOTS = 4  # a chart of fewer years keeps bars this narrow, centred
_EOY_WIDTH, _EOY_HEIGHT = 576.0, 340.0  # the chart's units: quantstats' 8 x 4 inches...
_EOY_PAD = 26.0  # ...and room above and below for the negative margins of its page's CSS
# Given to quantstats as the title and replaced by the escaped title afterwards, so that no
# user text passes through quantstats' template substitution; letters only, nothing to escape.
_TITLE_TOKEN = "catalystlabtearsheettitletoken"
# The charts' text in the page's font (matplotlib writes its own family into each text's
# style, hence !important), and the heatmap table: 13 narrow columns in quantstats' 620 px
# chart column.
_PAGE_CSS = (
    "svg text{font-family:Arial,Helvetica,'Liberation Sans',sans-serif!important}"
    "#monthly_heatmap h3{text-align:center;font-size:14px}"
    "#monthly_heatmap table{table-layout:fixed;border-spacing:1px;margin-bottom:30px}"
    "#monthly_heatmap td,#monthly_heatmap th{text-align:center;padding:3px 1px;font-size:11px}"
    "#monthly_heatmap thead th{background:none;color:#808080;font-weight:400}"
    "#monthly_heatmap tbody th{color:#808080;text-align:right;padding-right:6px}"
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def write_tearsheet(returns: pd.Series, benchmark: pd.Series, path: Path, *, title: str) -> Path:
    """Write a quantstats tearsheet of daily ``returns`` (fractions) against ``benchmark``.

    Both series are made tz-naive and restricted to their common dates (quantstats raises on
    a tz-aware benchmark and back-fills benchmark gaps). The benchmark is passed as a series,
    so nothing is downloaded; its name labels it. ``match_dates`` is off: quantstats would
    otherwise start the sheet on the strategy's first non-zero return, hiding a rule's initial
    time in cash. ``title`` is shown as text, whatever it contains.
    """
    import quantstats as qs

    common = returns.index.intersection(benchmark.index)
    label = "Benchmark" if benchmark.name is None else str(benchmark.name)
    strategy = _naive(returns.loc[common]).rename(_STRATEGY_LABEL)
    bench = _naive(benchmark.loc[common]).rename(label)
    with (
        _quiet(),
        mpl.rc_context({"svg.fonttype": "none"}),
        _no_wasted_drawing(qs),
        _whole_periods(qs),
        fast_internals(qs),
        tempfile.TemporaryDirectory() as folder,
    ):
        raw = Path(folder) / "quantstats.html"
        qs.reports.html(
            strategy,
            benchmark=bench,
            output=str(raw),
            title=_TITLE_TOKEN,
            benchmark_title=label,
            strategy_title=_STRATEGY_LABEL,
            match_dates=False,
        )
        page = raw.read_text(encoding="utf-8")
    page = _repair(
        page, eoy_svg=eoy_returns_svg(strategy, bench), heatmap=monthly_heatmap_table(strategy)
    )
    page = _with_information_ratio(page, information_ratio(strategy, bench))
    page = _with_names(page, title=title, benchmark=label)
    path.write_text(page, encoding="utf-8")
    return path


def calendar_returns(returns: pd.Series, *, monthly: bool = False) -> pd.Series:
    """Compounded return of each calendar year (or year and month) that has data, fractions.

    Indexed by year, or by (year, month) with ``monthly``; periods without a day of data are
    absent, not zero.
    """
    index = pd.DatetimeIndex(returns.index)
    keys = [index.year, index.month] if monthly else [index.year]
    return (1.0 + returns).groupby(keys).prod() - 1.0


# The boxes of the "Return Quantiles" chart: daily returns, then each period's return, with
# the periods quantstats uses (weeks ending on Monday).
_QUANTILE_PERIODS = {"Weekly": "W-MON", "Monthly": "M", "Quarterly": "Q", "Yearly": "Y"}


def period_returns(returns: pd.Series, *, compounded: bool = True) -> dict[str, pd.Series]:
    """Daily returns (fractions, missing as 0) and the return of every calendar week (ending
    Monday), month, quarter and year that has a day of data, compounded (or summed), each
    indexed by its period: one value per period, the first and last partial ones included."""
    daily = returns.fillna(0.0)
    index = pd.DatetimeIndex(daily.index)
    found = {"Daily": daily}
    for name, frequency in _QUANTILE_PERIODS.items():
        periods = index.to_period(frequency)
        found[name] = (
            (1.0 + daily).groupby(periods).prod() - 1.0
            if compounded
            else daily.groupby(periods).sum()
        )
    return found


def return_quantiles(
    returns: pd.Series,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (10, 6),
    compounded: bool = True,
    savefig: dict | str | None = None,
    **quantstats_options: object,
) -> None:
    """quantstats' "Return Quantiles" chart (a box per period length, its colours and
    title) over :func:`period_returns`: in place of ``quantstats.plots.distribution`` while a
    page is drawn, with its arguments (its other options, ``grayscale``, ``ylabel``,
    ``subtitle``..., are those the page passes and change nothing here)."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    from quantstats._plotting.core import _FLATUI_COLORS

    periods = period_returns(returns, compounded=compounded)
    data = pd.DataFrame(
        {
            "period": np.concatenate([[name] * len(v) for name, v in periods.items()]),
            "return": np.concatenate([v.to_numpy(dtype=float) for v in periods.values()]),
        }
    )
    figure, axes = plt.subplots(figsize=figsize)
    try:
        for side in ("top", "right", "bottom", "left"):
            axes.spines[side].set_visible(False)
        figure.suptitle(
            f"{title} - Return Quantiles" if title else "Return Quantiles",
            y=0.94,
            fontweight="bold",
            fontsize=14,
            color="black",
        )
        figure.set_facecolor("white")
        axes.set_facecolor("white")
        sns.boxplot(
            data=data,
            x="period",
            y="return",
            hue="period",
            palette=dict(zip(periods, _FLATUI_COLORS, strict=False)),
            legend=False,
            ax=axes,
        )
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{int(value * 100):,}%"))
        axes.set_xlabel("")
        axes.set_ylabel("")
        figure.tight_layout(w_pad=0, h_pad=0)
        if isinstance(savefig, dict):
            figure.savefig(**savefig)
        elif savefig:
            figure.savefig(savefig)
    finally:
        plt.close(figure)


def eoy_returns_svg(strategy: pd.Series, benchmark: pd.Series) -> str:
    """Grouped bars of each calendar year's compounded return in percent, the benchmark's
    first, each year's label under its pair, as an inline ``<svg>`` (text left to the
    browser; each bar's tooltip gives its number); the subtitle gives the first and last day
    (the first and last year may be partial). Series are daily returns (fractions), named."""
    years = (
        pd.DataFrame(
            {benchmark.name: calendar_returns(benchmark), strategy.name: calendar_returns(strategy)}
        )
        * 100
    )
    first, last = pd.DatetimeIndex(strategy.index)[[0, -1]]
    ticks = _percent_ticks(float(np.nanmin(years.to_numpy())), float(np.nanmax(years.to_numpy())))
    low, high = ticks[0], ticks[-1]
    left, right = 52.0, _EOY_WIDTH - 12.0
    top, bottom = _EOY_PAD + 62.0, _EOY_HEIGHT - _EOY_PAD - 34.0

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (bottom - top)

    slots = max(len(years), _FEWEST_YEAR_SLOTS) + 0.2
    slot = (right - left) / slots
    first_slot = left + slot * ((slots - len(years)) / 2 + 0.5)
    upright = len(years) <= 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_EOY_WIDTH:g} {_EOY_HEIGHT:g}" '
        'font-family="Arial, Helvetica, sans-serif" role="img" '
        'aria-label="EOY Returns vs Benchmark">',
        f'<text x="{_EOY_WIDTH / 2:g}" y="{_EOY_PAD + 22:g}" text-anchor="middle" '
        'font-size="14" font-weight="bold">EOY Returns vs Benchmark</text>',
        f'<text x="{_EOY_WIDTH / 2:g}" y="{_EOY_PAD + 40:g}" text-anchor="middle" '
        f'font-size="10" fill="gray">{first.day} {first:%b %Y} - {last.day} {last:%b %Y}</text>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{left:g}" x2="{right:g}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#e0e0e0"/>'
            f'<text x="{left - 6:g}" y="{y(tick) + 3.5:.1f}" text-anchor="end" font-size="10" '
            f'fill="#808080">{tick:g}%</text>'
        )
    colours = (_BENCHMARK_COLOUR, _STRATEGY_COLOUR)
    for position, (year, row) in enumerate(years.iterrows()):
        centre = first_slot + position * slot
        for offset, name, colour in zip((-0.4, 0.0), years.columns, colours, strict=True):
            value = row[name]
            if np.isnan(value):
                continue
            x = centre + offset * slot
            top_edge, height = min(y(value), y(0)), abs(y(value) - y(0))
            label = html.escape(f"{year} {name}: {value:.2f}%")
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{top_edge:.1f}" width="{0.4 * slot:.1f}" '
                f'height="{height:.1f}" fill="{colour}" data-value="{value:.6f}">'
                f"<title>{label}</title></rect>"
            )
        baseline = bottom + 14
        place = (
            f'x="{centre:.1f}" y="{baseline:g}" text-anchor="middle"'
            if upright
            else f'x="{centre + 3:.1f}" y="{bottom + 6:g}" text-anchor="end" '
            f'transform="rotate(-90 {centre + 3:.1f} {bottom + 6:g})"'
        )
        parts.append(f'<text class="year" {place} font-size="10" fill="#808080">{year}</text>')
    parts.append(
        f'<line x1="{left:g}" x2="{right:g}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="black" '
        'stroke-dasharray="4 3"/>'
    )
    legend_x = right - 150.0
    for n, (name, colour) in enumerate(zip(years.columns, colours, strict=True)):
        x = legend_x + n * 75
        parts.append(
            f'<rect x="{x:g}" y="{_EOY_PAD + 47:g}" width="10" height="8" fill="{colour}"/>'
            f'<text x="{x + 14:g}" y="{_EOY_PAD + 55:g}" font-size="10">'
            f"{html.escape(str(name))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _percent_ticks(low: float, high: float) -> list[float]:
    """Round axis ticks (percent) from at or below ``min(low, 0)`` to at or above
    ``max(high, 0)``, four to eight intervals, one tick at zero."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = high - low or 1.0
    raw = span / 6
    power = 10 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first, last = np.floor(low / step), np.ceil(high / step)
    return [float(k * step) for k in np.arange(first, last + 1)]


def monthly_heatmap_table(strategy: pd.Series) -> str:
    """Years by months of the strategy's compounded returns in percent (daily fractions in),
    as an HTML table whose cells are coloured around zero like quantstats' heatmap; months
    without a day of data are blank. The title names the strategy's series."""
    table = calendar_returns(strategy, monthly=True).unstack().reindex(columns=range(1, 13))
    values = table.to_numpy(dtype=float) * 100
    shown = values[np.isfinite(values)]
    extent = float(np.abs(shown).max()) if shown.size and np.abs(shown).max() > 0 else 1.0
    norm = Normalize(-extent, extent)
    cmap = mpl.colormaps["RdYlGn"]
    rows = []
    for year, months in zip(table.index, values, strict=True):
        cells = []
        for value in months:
            if np.isnan(value):
                cells.append("<td></td>")
                continue
            colour = cmap(norm(value))
            ink = ink_on(colour)
            cells.append(f'<td style="background:{to_hex(colour)};color:{ink}">{value:.2f}</td>')
        rows.append(f"<tr><th>{year}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th>{month}</th>" for month in _MONTHS)
    title = html.escape(f"{strategy.name} - Monthly Returns (%)")
    return (
        f"<h3>{title}</h3><table><thead><tr><th></th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _repair(page: str, *, eoy_svg: str, heatmap: str) -> str:
    """quantstats' page without outside requests, the load error, the odd glyph and its two
    broken charts."""
    page = _replace_once(
        page,
        '<link rel="shortcut icon" href="https://qtpylib.io/favicon.ico" type="image/x-icon">',
        '<link rel="icon" href="data:,">',
    )
    page = _replace_once(page, '<body onload="save()">', "<body>")
    page = _replace_once(page, "<td>CAGR﹪</td>", "<td>CAGR (252-day years)</td>")
    page = _replace_once(
        page, "<td>Prob. Sharpe Ratio</td>", f"<td>{html.escape(PSR_VS_ZERO)} (Prob. Sharpe)</td>"
    )
    page = _replace_once(page, "</head>", f"<style>{_PAGE_CSS}</style></head>")
    page = _replace_div(page, "eoy_returns", eoy_svg)
    return _replace_div(page, "monthly_heatmap", heatmap)


def _with_information_ratio(page: str, value: float) -> str:
    """The metrics row of the information ratio, annualised (none for the benchmark)."""
    shown = "-" if np.isnan(value) else f"{value:.2f}"
    return _sub_once(
        page,
        r"<tr><td>Information Ratio</td><td>[^<]*</td><td>[^<]*</td></tr>",
        f"<tr><td>Information Ratio (ann.)</td><td>-</td><td>{shown}</td></tr>",
    )


def _with_names(page: str, *, title: str, benchmark: str) -> str:
    """Put the escaped title and benchmark name where quantstats wrote them unescaped."""
    shown = html.escape(title)
    page = _replace_once(
        page,
        "<title>Tearsheet (generated by QuantStats)</title>",
        f"<title>{shown} (tearsheet)</title>",
    )
    page = _replace_once(page, f"<h1>{_TITLE_TOKEN} ", f"<h1>{shown} ")
    return _sub_once(
        page,
        r"<h4>Benchmark: .*? &bull; Periods/Year:",
        f"<h4>Benchmark: {html.escape(benchmark.upper())} &bull; Periods/Year:",
    )


def _replace_div(page: str, div_id: str, content: str) -> str:
    """Replace the content of quantstats' ``<div id="div_id">`` (one chart) with ``content``."""
    return _sub_once(page, rf'<div id="{div_id}">.*?</div>', f'<div id="{div_id}">{content}</div>')


def _replace_once(page: str, old: str, new: str) -> str:
    if page.count(old) != 1:
        raise RuntimeError(f"quantstats' tearsheet has changed: {old!r} is not there once.")
    return page.replace(old, new)


def _sub_once(page: str, pattern: str, new: str) -> str:
    result, count = re.subn(pattern, lambda _: new, page, count=0, flags=re.DOTALL)
    if count != 1:
        raise RuntimeError(f"quantstats' tearsheet has changed: {pattern!r} matches {count} times.")
    return result


@contextmanager
def _no_wasted_drawing(qs: ModuleType) -> Iterator[None]:
    """While quantstats writes a page: its EOY and monthly heatmap charts, which
    :func:`_repair` replaces, are left empty, and pyplot's redraw after each save is skipped."""

    def replaced_later(*args: object, savefig: dict, **kwargs: object) -> None:
        savefig["fname"].write(b"<svg></svg>")

    saved = {name: getattr(qs.plots, name) for name in ("yearly_returns", "monthly_heatmap")}
    redraw = FigureCanvasBase.draw_idle
    try:
        for name in saved:
            setattr(qs.plots, name, replaced_later)
        FigureCanvasBase.draw_idle = lambda self, *args, **kwargs: None
        yield
    finally:
        FigureCanvasBase.draw_idle = redraw
        for name, function in saved.items():
            setattr(qs.plots, name, function)


@contextmanager
def _whole_periods(qs: ModuleType) -> Iterator[None]:
    """While quantstats writes a page, its "Return Quantiles" chart is :func:`return_quantiles`."""
    original = qs.plots.distribution
    try:
        qs.plots.distribution = return_quantiles
        yield
    finally:
        qs.plots.distribution = original


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence quantstats' warnings and matplotlib's font fallback messages (quantstats asks
    for Arial, which Debian lacks)."""
    font_logger = logging.getLogger("matplotlib.font_manager")
    level = font_logger.level
    font_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        font_logger.setLevel(level)


def _naive(series: pd.Series) -> pd.Series:
    index = pd.DatetimeIndex(series.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    return pd.Series(series.to_numpy(dtype="float64"), index=index, name=series.name)
