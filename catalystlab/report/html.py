"""``report.html``: the verdict, the call tables, the ranked strategies, charts and links."""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path

import pandas as pd

from catalystlab.analysis.call.assess import CallUncertainty
from catalystlab.pipeline.cross_run import CallComparison, CrossRunComparison
from catalystlab.pipeline.outcome import EventsOutcome, RunOutcome
from catalystlab.pipeline.study import EventStudyRun
from catalystlab.report.formatting import (
    PSR_VS_ZERO,
    counted,
    formatted,
    is_words,
    out_of_sample_period,
    psr_label,
)
from catalystlab.report.tables import (
    NO_INTERVAL,
    NO_INTERVAL_NOTE,
    NO_VALUE_NOTE,
    STATISTIC_COLUMNS,
    band_table,
    base_rate_table,
    ranked_display,
)
from catalystlab.report.verdicts import (
    event_study_sentence,
    event_study_table,
    fills_note,
    headline,
    ranking_headline,
    spa_sentence,
    strategies_noun,
    verdict_points,
)

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1d232b;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
.wide{overflow-x:auto;max-width:100%;margin:.6em 0}
table{border-collapse:collapse;font-size:.9em}
th,td{padding:.3em .7em;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f4f6f8}
th.text,td.text{text-align:left;min-width:8em;max-width:28em;overflow-wrap:anywhere}
td.num{white-space:nowrap}
.verdict{background:#f6f8fa;border-left:4px solid #2f6fde;padding:.8em 1em .8em 2em}
.verdict li{margin:.35em 0}
.muted{color:#667;font-size:.9em}img{max-width:100%;height:auto}
.ranked{font-size:.85em}.ranked td{white-space:nowrap}
.ranked th,.ranked td{padding:.3em .45em}
details{margin:.6em 0}summary{cursor:pointer;color:#2f6fde}
ul.files{columns:3;padding-left:1.2em}ul.files li{break-inside:avoid}
@media (max-width:1000px){ul.files{columns:1}body{margin:1em auto}}
"""  # The ranked table's columns shown at once (the page is 1100 px wide); the rest of the
# statistics follow in a details block, so that no table runs off the page.
MAIN_RANKED = (
    "rank",
    "total_return",
    "cagr",
    "sharpe",
    "max_drawdown",
    "psr",
    "dsr",
    "excess_return",
    "sharpe_diff",
    "time_in_market",
)
# Why a tearsheet's numbers may differ from this page's for the same strategy (measured by
# tests/unit/test_terminal_output.py against quantstats' own functions).
TEARSHEET_DIFFERENCES = (
    "The tearsheets are quantstats' own pages: their CAGR counts years as trading days / 252 "
    "where this page counts calendar years, their "
    "time in market is rounded up to a whole percent, and their Prob. Sharpe Ratio is "
    f"{PSR_VS_ZERO} (against a Sharpe ratio of zero), not against the benchmark's."
)
# The files of a results folder worth opening, with what each holds (linked when present).
FOLDER_FILES = {
    "summary.json": "every number of this page, with the verdict",
    "comparison.csv": "the ranked table, all columns and interval bounds",
    "equity.csv": "each strategy's value at every close",
    "benchmark.csv": "the benchmark bought and held",
    "trades.csv": "every fill",
    "signals.csv": "each catalyst signal's daily exposure",
    "event_study.csv": "each event's abnormal returns",
    "claims.csv": "the article's claims and their checks",
    "config.yaml": "the resolved config",
    "manifest.json": "inputs, their sha256 digests, package versions, the command",
}


def _table(
    frame: pd.DataFrame, *, index_label: str = "", by_row: bool = False, css: str = ""
) -> str:
    shown = formatted(frame, by_row=by_row)
    text = [not by_row and is_words(frame[column].dropna(), share=0.5) for column in frame.columns]
    head = f"<th>{html.escape(index_label)}</th>" + "".join(
        f"<th{_TEXT if left else ''}>{html.escape(str(c))}</th>"
        for c, left in zip(shown.columns, text, strict=True)
    )
    body = "".join(
        "<tr>"
        + f"<td>{html.escape(str(idx))}</td>"
        + "".join(
            f"<td{_TEXT if left else ''}>{html.escape(v)}</td>"
            for v, left in zip(row, text, strict=True)
        )
        + "</tr>"
        for idx, row in zip(shown.index, shown.to_numpy().tolist(), strict=True)
    )
    attribute = f' class="{css}"' if css else ""
    return scrolling(
        f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


_TEXT = ' class="text"'  # a column of words (formatting.is_words): from the left, wrapped


def scrolling(table: str) -> str:
    """``table`` in a box that scrolls sideways on its own when the page is narrower than the
    table, so that the page itself never does."""
    return f'<div class="wide">{table}</div>'


def _image(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def render_report(
    outcome: RunOutcome,
    *,
    run_id: str,
    strategies: pd.DataFrame,
    tearsheets: dict[str, str],
    charts: dict[str, Path],
    files: tuple[str, ...] = (),
) -> str:
    """The whole report as one self-contained HTML page (charts embedded); ``files``: the
    names of the results folder's files, linked at the end."""
    config = outcome.config
    parts = [
        f"<h1>{html.escape(config.name)}</h1>",
        f"<p>{html.escape(config.description)}</p>" if config.description else "",
        f'<p class="muted">Run {html.escape(run_id)} · {outcome.calendar[0].date()} to '
        f"{outcome.calendar[-1].date()} ({len(outcome.calendar)} trading days) · benchmark "
        f"{html.escape(config.benchmark)} · costs {config.costs.commission:.2%} commission, "
        f"{config.costs.slippage:.2%} slippage per trade · {fills_note(outcome)}</p>",
    ]
    points = "".join(
        f"<li><b>{html.escape(topic)}.</b> {html.escape(text)}</li>"
        for topic, text in verdict_points(outcome)
    )
    parts += [
        f'<p class="headline"><strong>{html.escape(headline(outcome))}</strong></p>',
        "<h2>Verdict</h2>",
        f'<ul class="verdict">{points}</ul>',
    ]
    call = outcome.call
    if call is not None:
        parts.append("<h2>The call</h2>")
        if call.timing.evaluable:
            parts += [
                "<h3>Out of sample: "
                + out_of_sample_period(
                    call.timing.entry_day, call.timing.decision_day, call.timing.end_day
                )
                + "</h3>",
                '<p class="muted">The engine fills at the open after the close at which it '
                "decides, with costs, and each leg is sold at the close of its exit day with "
                "the same costs (the horizons and out-of-sample tables), whatever the "
                f"entry convention of the frictionless sections below. "
                f"{html.escape(call.stance.excess_definition)}</p>",
                _table(call.out_of_sample, index_label="leg"),
                _image(charts["call"], "call legs after the call date") if "call" in charts else "",
                "<h3>Horizons after the entry</h3>",
                '<p class="muted">Returns and excess from the engine (fills and costs); '
                "percentile: where the call's excess at that horizon falls among every "
                "same-length holding since the base-rate start (frictionless, the configured "
                "entry convention).</p>",
                _table(call.horizons.drop(columns=["months"]).T, by_row=True),
                "<h3>Annualised excess return, with its interval</h3>",
                '<p class="muted">Mean daily excess return times 252; interval: stationary '
                f"block bootstrap ({config.statistics.confidence:.0%}, "
                f"{config.statistics.bootstrap_reps} resamples, seed {config.seed}; block = "
                "mean block length in days).</p>",
                _table(call.excess_interval, index_label="versus"),
            ]
            if call.uncertainty is not None:
                parts += _uncertainty_section(call.uncertainty, charts)
            if not call.in_sample.empty:
                parts += [
                    f"<h3>In-sample context: {outcome.calendar[0].date()} to "
                    f"{call.timing.decision_day.date()}</h3>",
                    '<p class="muted">Over years, a difference of total returns runs to '
                    "thousands of percent and measures little; the excess shown is the "
                    "difference of CAGRs (points a year).</p>",
                    _table(call.in_sample.drop(columns=["excess_total_return"]), index_label="leg"),
                ]
    tables = _ranked_tables(ranked_display(strategies), tearsheets, benchmark=config.benchmark)
    comparison = outcome.comparison
    parts += [
        "<h2>Strategies and benchmark, ranked</h2>",
        f'<p class="muted">Over the whole run, against {html.escape(config.benchmark)}. Rank '
        f"by Deflated Sharpe Ratio (DSR: the probability that the Sharpe ratio beats the best "
        f"of {counted(comparison.n_trials, 'variant')} tried by luck alone), ties by Sharpe. "
        f"{html.escape(psr_label(config.benchmark))}: the "
        f"probability that the true Sharpe exceeds {html.escape(config.benchmark)}'s. "
        f"Intervals: {config.statistics.confidence:.0%} stationary block bootstrap, "
        f"{config.statistics.bootstrap_reps} resamples, seed {config.seed}. Click a strategy "
        "for its quantstats tearsheet; a strategy that never held a position has none. "
        f"{TEARSHEET_DIFFERENCES}</p>",
        *tables,
        f"<p>{html.escape(spa_sentence(comparison, noun=strategies_noun(outcome)))}</p>",
        _image(charts["equity"], "growth of every strategy") if "equity" in charts else "",
    ]
    if outcome.event_study is not None:
        parts += _event_study_section(outcome.event_study, charts)
    if outcome.audit is not None:
        parts += [
            "<h2>The article's claims, checked against the data</h2>",
            '<p class="muted">Claims and their checks are data: '
            f"{html.escape(str(config.claims))}. Checked on what was public "
            + (
                f"by {config.claims_as_of}"
                if config.claims_as_of
                else f"by the run's end ({outcome.calendar[-1].date()})"
            )
            + ".</p>",
            _table(outcome.audit[["claim", "verdict", "detail"]], index_label="claim id"),
        ]
    shown = set(call.uncertainty.notes) if call and call.uncertainty else set()
    parts += _notes(tuple(n for n in outcome.notes if n not in shown))
    parts += _files(files)
    return _page(f"{config.name}: report", parts)


def _ranked_tables(
    display: pd.DataFrame, tearsheets: dict[str, str], *, benchmark: str
) -> list[str]:
    """The ranked table with the columns of ``MAIN_RANKED``, and the other statistics in a
    details block below it; strategy ids linked to their tearsheets; the PSR column named
    with the Sharpe ratio it is tested against (``benchmark``'s)."""
    main = [c for c in display.columns if c in MAIN_RANKED]
    rest = display.drop(columns=main)
    display = display.rename(columns={"psr": psr_label(benchmark)})
    main = [psr_label(benchmark) if c == "psr" else c for c in main]
    parts = [_linked(_table(display[main], index_label="strategy", css="ranked"), tearsheets)]
    if display.map(lambda v: isinstance(v, str) and v.endswith(NO_INTERVAL)).any().any():
        parts.append(f'<p class="muted">{html.escape(NO_INTERVAL_NOTE)}</p>')
    if formatted(display).isin(["–"]).any().any():
        parts.append(f'<p class="muted">{html.escape(NO_VALUE_NOTE)}</p>')
    if not rest.columns.empty:
        names = ", ".join(formatted(rest.head(0)).columns)
        parts.append(
            f"<details><summary>More statistics: {html.escape(names)}</summary>"
            + _linked(_table(rest, index_label="strategy", css="ranked"), tearsheets)
            + "</details>"
        )
    return parts


def _linked(table: str, tearsheets: dict[str, str]) -> str:
    """``table`` with each strategy id that has a tearsheet linked to it."""
    for strategy_id, name in tearsheets.items():
        table = table.replace(
            f"<td>{html.escape(strategy_id)}</td>",
            f'<td><a href="tearsheets/{html.escape(name)}">{html.escape(strategy_id)}</a></td>',
            1,
        )
    return table


def _files(files: tuple[str, ...], described: dict[str, str] = FOLDER_FILES) -> list[str]:
    """The folder's files worth opening (``described``: name -> what it holds), linked."""
    present = [name for name in described if name in files]
    if not present:
        return []
    items = "".join(
        f'<li><a href="{html.escape(name)}">{html.escape(name)}</a>: '
        f"{html.escape(described[name])}</li>"
        for name in present
    )
    return ["<h2>Files of this run</h2>", f'<ul class="files">{items}</ul>']


def render_event_report(outcome: EventsOutcome, *, run_id: str, charts: dict[str, Path]) -> str:
    """The page of ``runner.py events``: the event study alone."""
    parts = [
        f"<h1>{html.escape(outcome.config.name)}: event study</h1>",
        f'<p class="muted">Run {html.escape(run_id)} · seed {outcome.config.seed}</p>',
        f'<p class="verdict">{html.escape(event_study_sentence(outcome.study))}</p>',
        *_event_study_section(outcome.study, charts),
        *_notes(outcome.notes),
        '<p class="muted">Per-event CARs: <a href="event_study.csv">event_study.csv</a>. '
        'Inputs: <a href="manifest.json">manifest.json</a>.</p>',
    ]
    return _page(f"{outcome.config.name}: event study", parts)


def render_compare_report(
    comparison: CrossRunComparison, *, run_id: str, growth: Path, lines: int, folder: Path
) -> str:
    """The page of ``runner.py compare``: strategies of several runs, ranked together, the
    growth chart of the ``lines`` best ranked (with the benchmark) and a link to each run's
    report (relative to the compare results ``folder``, or its staging folder beside it)."""
    folders = "".join(
        f'<li><a href="{html.escape(_relative(f / "report.html", folder))}">'
        f"{html.escape(str(f))}</a></li>"
        if (f / "report.html").is_file()
        else f"<li>{html.escape(str(f))}</li>"
        for f in comparison.folders
    )
    parts = [
        "<h1>Strategies of several runs, ranked</h1>",
        f'<p class="muted">Run {html.escape(run_id)} · {comparison.first_day.date()} to '
        f"{comparison.last_day.date()} (the dates all runs share) · benchmark "
        f"{html.escape(comparison.benchmark)} · "
        f"DSR counts {counted(comparison.n_trials, 'variant')} · "
        f"bootstrap seed {comparison.seed}</p>",
        '<p class="headline"><strong>'
        f"{html.escape(ranking_headline(comparison.table))}</strong></p>",
        *_ranked_tables(
            ranked_display(comparison.table, STATISTIC_COLUMNS), {}, benchmark=comparison.benchmark
        ),
        f'<p class="muted">Growth of the benchmark and the best-ranked strategies '
        f"({counted(lines, 'line')}; a strategy with the same curve as a better-ranked one, "
        "such as the same buy-and-hold in two runs, is drawn once) on the dates all runs "
        "share; every strategy's value: each run's equity.csv.</p>",
        _image(growth, "growth of the best-ranked strategies"),
        f'<h2>Runs compared</h2><p class="muted">Each run\'s report:</p><ul>{folders}</ul>',
        '<p class="muted">Every column and interval bound: <a href="comparison.csv">'
        'comparison.csv</a>; the inputs\' sha256 digests: <a href="summary.json">summary.json'
        "</a>.</p>",
    ]
    return _page("comparison of runs", parts)


def render_call_comparison(comparison: CallComparison, *, run_id: str) -> str:
    """The page of ``runner.py compare`` of runs that tested calls alone: the calls side by
    side (nothing to rank: each call has its own dates and benchmark)."""
    folders = "".join(f"<li>{html.escape(str(f))}</li>" for f in comparison.folders)
    parts = [
        "<h1>Calls of several runs, side by side</h1>",
        f'<p class="muted">Run {html.escape(run_id)} · the runs test calls without '
        "strategies, so there is nothing to rank: each call is measured from its own entry "
        "to its own end against its run's benchmark; the excess is positive when the call was "
        "right (a sell call's is the benchmark's return minus the stock's).</p>",
        _table(comparison.table.T, index_label="", by_row=True),
        f"<h2>Runs compared</h2><ul>{folders}</ul>",
        '<p class="muted">The same numbers: <a href="calls.csv">calls.csv</a>; the inputs\' '
        'sha256 digests: <a href="summary.json">summary.json</a>.</p>',
    ]
    return _page("comparison of calls", parts)


def _relative(target: Path, start: Path) -> str:
    """``target`` as a link from a page in ``start`` (a relative URL path)."""
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def _notes(notes: tuple[str, ...]) -> list[str]:
    if not notes:
        return []
    return [
        "<h2>Notes on the data</h2><ul>",
        *(f"<li>{html.escape(n)}</li>" for n in notes),
        "</ul>",
    ]


def _page(title: str, parts: list[str]) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def _uncertainty_section(uncertainty: CallUncertainty, charts: dict[str, Path]) -> list[str]:
    band = uncertainty.band
    parts = [
        f"<h3>Publication window: entry on any day from {band.window[0].date()} to "
        f"{band.window[1].date()}</h3>",
        f'<p class="muted">Entry convention: {html.escape(uncertainty.convention.value)} '
        f"({html.escape(uncertainty.convention.description)}); exit at the close of "
        f"{band.end.date()}. Frictionless returns from prices.</p>",
        _table(band_table(uncertainty), index_label=""),
        _image(charts["band"], "outcome by entry day") if "band" in charts else "",
    ]
    if uncertainty.base_rates:
        first = next(iter(uncertainty.base_rates.values()))
        parts += [
            f"<h3>Base rate: {html.escape(band.stance.difference(band.ticker, 'the benchmark'))}"
            " on an arbitrary day</h3>",
            '<p class="muted">percentile: the share of historical entry days whose excess '
            "over the same holding length was at or below the call's.</p>",
            _table(base_rate_table(uncertainty), index_label="versus"),
            f'<p class="muted">{html.escape(first.caveat)}</p>',
            _image(charts["base_rate"], "base-rate histogram") if "base_rate" in charts else "",
        ]
    if uncertainty.notes:
        parts.append(
            "<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in uncertainty.notes) + "</ul>"
        )
    return parts


def _event_study_section(study: EventStudyRun, charts: dict[str, Path]) -> list[str]:
    settings = study.settings
    return [
        "<h2>Event study: the market's reaction to the catalysts</h2>",
        f'<p class="muted">{len(study.events)} events of kind '
        f"{html.escape(', '.join(settings.kinds))} "
        f"({study.merged} report/official duplicates within {settings.merge_days} days "
        f"merged into the first report). Market model on {settings.market}, estimation "
        f"window [{settings.estimation[0]}, {settings.estimation[1]}] trading days; day 0 is "
        "the session of the announcement (the next one for news after the close). t: "
        "cross-sectional t-test; BMP: standardized test; placebo: rank of the mean CAR among "
        "random non-event days of the same companies.</p>",
        _table(event_study_table(study), index_label=""),
        _image(charts["car_path"], "mean CAR path") if "car_path" in charts else "",
    ]
