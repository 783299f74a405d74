"""The ledger's results folder: calls.csv, sources.csv, summary.json, report.html, three
charts and manifest.json, written through :func:`catalystlab.report.folder.write_atomically`.

Words live here: the verdict sentence per source, the definitions, the table headers.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter
from rich.console import Console

from catalystlab.analysis.call.band import EXCESS_DEFINITION
from catalystlab.analysis.call.base_rate import PERCENTILE_DEFINITION
from catalystlab.analysis.ledger import LedgerResult
from catalystlab.analysis.ledger.calls import NOT_EVALUABLE, SCORED
from catalystlab.pipeline.ledger import LedgerOutcome
from catalystlab.report.charts import line_style
from catalystlab.report.csv_files import write_csv
from catalystlab.report.folder import write_atomically
from catalystlab.report.formatting import format_p, p_equals, percentile_text, signed_percent
from catalystlab.report.html import _image, _page, scrolling
from catalystlab.report.summary import jsonable, manifest
from catalystlab.report.terminal import _rich_table

DEFINITIONS = {
    "excess": EXCESS_DEFINITION
    + " A sell call's excess is the benchmark's return minus the stock's (the run command's "
    "definition), so a hit is always an excess above zero.",
    "percentile": PERCENTILE_DEFINITION
    + " Historical windows: the same stock and benchmark, same holding length, entered from "
    "the history start on and exited before the call's entry.",
    "returns": "stock_return, benchmark_return, excess and percentile are frictionless holding "
    "returns under the entry convention (the run command's band and base rates); engine_* are "
    "the vectorised engine's next-open fills with the given costs, sold at the exit close "
    "with the same costs (the run command's out-of-sample table). Statistics use the "
    "frictionless returns.",
    "open": "A horizon whose target date (entry day + N calendar months) lies after the data "
    "end is open: listed, never scored. The 'end' row holds every call to the data end.",
    "interval": "Mean and median excess per call and the annualised daily excess of the "
    "portfolio of open calls (equal weights, rebalanced daily), with stationary block "
    "bootstrap intervals over calendar days (mean block = the median holding period), not "
    "over calls; naive_mean_* resample calls as if independent, for comparison.",
    "p_random_dates": "One-sided permutation p-value of the mean excess against the same "
    "stocks, benchmarks and stances entered on random days (since the history start) held for "
    "the same number of sessions; the calls of one calendar block (as long as the horizon, "
    "the longest for the pooled test) move together, keeping their spacing.",
    "p_random_stances": "One-sided permutation p-value against the same stocks and dates with "
    "the stances of each calendar block (as long as the horizon, the longest for the pooled "
    "test) all kept or all flipped at random (probability 1/2).",
    "hit_rate": "Hits (excess > 0) over scored calls, with a Wilson score interval.",
}


def calls_table(outcome: LedgerOutcome) -> pd.DataFrame:
    """calls.csv: one row per call and horizon (``1m``...) plus ``end`` (to the data end)."""
    result = outcome.result
    grid, engine = result.grid, result.engine
    default = outcome.settings.benchmark
    rows = []
    for i, call in enumerate(grid.calls):
        pair = grid.pairs[grid.pair_of[i]] if grid.pair_of[i] >= 0 else None
        calendar = pair.calendar if pair is not None else None
        entry_day = calendar[grid.entry[i]].date() if grid.entry[i] >= 0 else None
        base = {
            "id": call.id,
            "line": call.line,
            "ticker": call.ticker,
            "benchmark": call.benchmark or default,
            "stance": call.stance,
            "source": call.source,
            "date": call.date,
            "window_start": call.window[0] if call.window else None,
            "window_end": call.window[1] if call.window else None,
            "entry_day": entry_day,
        }
        cells = [(f"{m}m", m, k) for k, m in enumerate(grid.horizons)] + [("end", None, -1)]
        for label, months, k in cells:
            if k >= 0 and grid.status[i, k] == "not asked":
                continue
            row = dict(base, horizon=label, months=months)
            if k >= 0:
                status = grid.status[i, k]
                scored = status == SCORED
                exit_ = grid.exit[i, k]
                values = (
                    grid.stock[i, k],
                    grid.benchmark[i, k],
                    grid.excess[i, k],
                    grid.percentile[i, k],
                    engine.stock[i, k],
                    engine.benchmark[i, k],
                    engine.excess[i, k],
                )
            else:
                scored = grid.entry[i] >= 0
                status = "to date" if scored else NOT_EVALUABLE
                exit_ = grid.end_exit[i]
                values = (
                    grid.end_stock[i],
                    grid.end_benchmark[i],
                    grid.end_excess[i],
                    grid.end_percentile[i],
                    engine.end_stock[i],
                    engine.end_benchmark[i],
                    engine.end_excess[i],
                )
            if k >= 0 and status == "open" and calendar is not None:
                target = calendar[grid.entry[i]] + pd.DateOffset(months=int(months))
                reason = f"horizon ends {target.date()}, after the data end {calendar[-1].date()}"
            else:
                reason = grid.reason[i]
            row.update(
                status=status,
                exit_day=calendar[exit_].date() if scored and calendar is not None else None,
                holding_days=int(exit_ - grid.entry[i]) if scored else None,
                stock_return=values[0],
                benchmark_return=values[1],
                excess=values[2],
                hit=bool(values[2] > 0) if scored and not math.isnan(values[2]) else None,
                percentile=values[3],
                engine_stock_return=values[4],
                engine_benchmark_return=values[5],
                engine_excess=values[6],
                reason=reason,
                url=call.url,
                note=call.note,
            )
            rows.append(row)
    return pd.DataFrame(rows)


def sources_table(result: LedgerResult) -> pd.DataFrame:
    """sources.csv: per source (and ``all calls``), one row per horizon and a pooled row
    (``horizon`` = ``pooled``: every scored call and horizon together)."""
    rows = []
    for source in result.sources:
        for r in (x for x in result.by_horizon if x.source == source):
            i = r.interval
            rows.append(
                {
                    "source": source,
                    "horizon": f"{r.months}m",
                    "calls": r.calls,
                    "scored": r.scored,
                    "open": r.open,
                    "hits": r.hits,
                    "hit_rate": r.hit_rate,
                    "hit_low": r.hit_low,
                    "hit_high": r.hit_high,
                    "mean_excess": i.mean,
                    "mean_low": i.mean_low,
                    "mean_high": i.mean_high,
                    "naive_mean_low": i.naive_mean_low,
                    "naive_mean_high": i.naive_mean_high,
                    "median_excess": i.median,
                    "median_low": i.median_low,
                    "median_high": i.median_high,
                    "portfolio_annual_excess": i.annual,
                    "portfolio_low": i.annual_low,
                    "portfolio_high": i.annual_high,
                    "portfolio_days": i.days,
                    "block_days": i.block,
                    "mean_percentile": r.mean_percentile,
                    "p_random_dates": r.p_dates,
                    "p_random_stances": r.p_stances,
                }
            )
        pooled = result.pooled(source)
        rows.append(
            {
                "source": source,
                "horizon": "pooled",
                "scored": pooled["scored"],
                "hits": pooled["hits"],
                "hit_rate": pooled["hits"] / pooled["scored"] if pooled["scored"] else np.nan,
                "mean_excess": pooled["mean_excess"],
                "p_random_dates": pooled["p_dates"],
                "p_random_stances": pooled["p_stances"],
            }
        )
    return pd.DataFrame(rows)


def verdict(result: LedgerResult, source: str, level: float) -> str:
    """One sentence (or two) on ``source``: hit rate, mean excess, and the two tests."""
    pooled = result.pooled(source)
    scored = pooled["scored"]
    rows = [r for r in result.by_horizon if r.source == source]
    still_open = max((r.open for r in rows), default=0)
    if scored == 0:
        return (
            f"{source}: no call has reached a horizon yet ({still_open} still open); nothing "
            "can be said about skill."
        )
    where = max(rows, key=lambda r: (r.scored, r.months))
    head = (
        f"{source}: {pooled['hits']} of {scored} scored call-horizons beat their benchmark "
        f"({pooled['hits'] / scored:.0%}); mean excess {signed_percent(pooled['mean_excess'])}. At "
        f"{where.months} months, {where.hits} of {where.scored} "
        f"(hit rate {level:.0%} interval {where.hit_low:.0%} to {where.hit_high:.0%})"
    )
    interval = where.interval
    if where.scored > 1 and math.isfinite(interval.mean_low):
        head += (
            f", mean excess {signed_percent(interval.mean)} (calendar-block interval "
            f"{signed_percent(interval.mean_low)} to {signed_percent(interval.mean_high)})"
        )
    p_dates, p_stances = pooled["p_dates"], pooled["p_stances"]
    if p_dates < 0.05 and p_stances < 0.05:
        judgement = "Better than random picks of the same stocks and than random stances"
    elif p_dates < 0.05:
        judgement = (
            "Better than the same stocks on random dates, but no better than random stances "
            "on the same dates"
        )
    elif p_stances < 0.05:
        judgement = (
            "Right about the direction more often than random stances, but no better than "
            "random picks of the same stocks"
        )
    else:
        judgement = "No better than random picks of the same stocks"
    draws = result.draws
    tail = (
        f" ({p_equals(p_dates, draws=draws)} against random dates, "
        f"{p_equals(p_stances, draws=draws)} against random stances)."
    )
    if scored < 10:
        tail += (
            f" With {scored} scored call-horizon(s) the tests have little power: this says "
            "almost nothing about the caller."
        )
    if still_open:
        tail += f" {still_open} call(s) still open at the longest horizon."
    return f"{head}. {judgement}{tail}"


def ledger_summary(outcome: LedgerOutcome, run_id: str | None, calls: pd.DataFrame) -> dict:
    """The content of summary.json."""
    result, settings = outcome.result, outcome.settings
    grid = result.grid
    not_evaluable = [
        {"id": c.id, "line": c.line, "ticker": c.ticker, "reason": grid.reason[i]}
        for i, c in enumerate(grid.calls)
        if grid.entry[i] < 0
    ]
    return jsonable(
        {
            "run_id": run_id,
            "ledger": {"path": str(outcome.ledger.path), "sha256": outcome.ledger.sha256},
            "settings": {
                "benchmark": settings.benchmark,
                "horizons_months": list(settings.horizons),
                "entry_convention": settings.convention.value,
                "entry_description": settings.convention.description,
                "history_start": settings.history_start.date().isoformat(),
                "permutation_draws": settings.draws,
                "bootstrap_reps": settings.reps,
                "confidence": settings.level,
                "seed": settings.seed,
                "costs": {
                    "commission": settings.costs.commission,
                    "slippage": settings.costs.slippage,
                },
            },
            "counts": {
                "calls": len(grid.calls),
                "evaluable": int((grid.entry >= 0).sum()),
                "not_evaluable": len(not_evaluable),
                "scored_cells": int(grid.scored.sum()),
                "open_cells": int((grid.status == "open").sum()),
            },
            "data_end": {
                f"{p.ticker}/{p.benchmark}": p.calendar[-1].date().isoformat() for p in grid.pairs
            },
            "verdicts": {s: verdict(result, s, settings.level) for s in result.sources},
            "sources": {
                s: {
                    "pooled": result.pooled(s),
                    "by_horizon": sources_table(result)
                    .query("source == @s and horizon != 'pooled'")
                    .set_index("horizon")
                    .drop(columns="source"),
                }
                for s in result.sources
            },
            "not_evaluable": not_evaluable,
            "unavailable_tickers": outcome.unavailable,
            "definitions": DEFINITIONS,
            "calls": calls.to_dict(orient="records"),
            "notes": list(outcome.notes),
        }
    )


def write_ledger_results(
    outcome: LedgerOutcome, *, out_dir: Path, command: list[str], now: dt.datetime | None = None
) -> Path:
    """Write the ledger's results folder under ``out_dir`` and return its path."""
    now = now or dt.datetime.now(dt.UTC)

    def write(folder: Path, run_id: str) -> None:
        calls = calls_table(outcome)
        write_csv(calls, folder / "calls.csv", index=False, float_format="%.10g")
        sources = sources_table(outcome.result)
        write_csv(sources, folder / "sources.csv", index=False, float_format="%.10g")
        document = ledger_summary(outcome, run_id, calls)
        _json(folder / "summary.json", document)
        _json(
            folder / "manifest.json",
            manifest(
                loaded=outcome.loaded,
                tables={
                    "ledger": {
                        "kind": "ledger",
                        "source": str(outcome.ledger.path),
                        "rows": len(outcome.ledger.calls),
                        "sha256": outcome.ledger.sha256,
                    }
                },
                data_options=outcome.data_options,
                command=command,
                created=now.isoformat(timespec="seconds"),
            ),
        )
        charts = {
            "cumulative": plot_cumulative(outcome.result, folder / "cumulative_excess.png"),
            "null": plot_null(outcome.result, folder / "null_distribution.png"),
            "hit_rate": plot_hit_rate(outcome.result, folder / "hit_rate.png"),
        }
        page = render_ledger_report(outcome, run_id=run_id, calls=calls, charts=charts)
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_atomically(out_dir, f"ledger_{outcome.ledger.path.stem}", write, now=now)


def _json(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")


# Charts ------------------------------------------------------------------------------------

_SHOWN_SOURCES = 6


def _shown(result: LedgerResult) -> list[str]:
    """The sources drawn: 'all calls' first, then the most-scored ones."""
    scored = {s: result.pooled(s)["scored"] for s in result.sources}
    order = sorted(result.sources, key=lambda s: (s != "all calls", -scored[s]))
    return order[:_SHOWN_SOURCES]


def _grid(count: int) -> tuple[plt.Figure, np.ndarray]:
    columns = min(count, 3)
    rows = -(-count // columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(4.4 * columns + 1, 3.4 * rows + 0.6), dpi=110, squeeze=False
    )
    for extra in axes.ravel()[count:]:
        extra.set_visible(False)
    return figure, axes.ravel()


def plot_cumulative(result: LedgerResult, path: Path) -> Path:
    """Cumulative excess of the portfolio of open calls, one panel per source, a line per
    horizon (compounded daily excess)."""
    sources = _shown(result)
    figure, axes = _grid(len(sources))
    for axis, source in zip(axes, sources, strict=False):
        drawn = False
        for r in (x for x in result.by_horizon if x.source == source):
            series = r.portfolio.excess
            if series.empty:
                continue
            growth = (1 + series).cumprod() - 1
            axis.plot(
                series.index,
                growth,
                label=f"{r.months}m",
                lw=1.2,
                drawstyle="steps-post",
                **line_style(len(axis.lines)),
            )
            drawn = True
        axis.axhline(0, color="#888", lw=0.8)
        axis.set_title(_short(source), fontsize=10)
        axis.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axis.tick_params(labelsize=8)
        axis.tick_params(axis="x", rotation=30)
        if drawn:
            axis.legend(fontsize=7, title="held", title_fontsize=7)
        else:
            axis.text(0.5, 0.5, "no scored call", ha="center", transform=axis.transAxes)
    figure.suptitle("Cumulative excess of the open calls (equal weights), by horizon")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_null(result: LedgerResult, path: Path) -> Path:
    """The caller's mean excess against both permutation nulls, one panel per source."""
    sources = _shown(result)
    figure, axes = _grid(len(sources))
    nulls = result.nulls
    for axis, source in zip(axes, sources, strict=False):
        g = result.sources.index(source)
        observed = nulls.observed[g]
        for values, label, colour in (
            (nulls.dates[:, g], "random dates", "#4c78a8"),
            (nulls.stances[:, g], "random stances", "#f58518"),
        ):
            values = values[np.isfinite(values)]
            if len(values):
                axis.hist(
                    values, bins=40, alpha=0.55, color=colour, label=label, histtype="stepfilled"
                )
        if math.isfinite(observed):
            axis.axvline(observed, color="#c00", lw=1.6, label=f"caller {observed:+.1%}")
        axis.set_title(_short(source), fontsize=10)
        axis.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axis.tick_params(labelsize=8)
        axis.legend(fontsize=7)
    figure.suptitle("Mean excess per call: the caller against random dates and random stances")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_hit_rate(result: LedgerResult, path: Path) -> Path:
    """Hit rate by horizon with Wilson intervals, bars grouped by source."""
    sources = _shown(result)
    horizons = result.grid.horizons
    figure, axis = plt.subplots(figsize=(10, 4.2), dpi=110)
    width = 0.8 / max(len(sources), 1)
    for s, source in enumerate(sources):
        rows = {r.months: r for r in result.by_horizon if r.source == source}
        x = np.arange(len(horizons)) + (s - (len(sources) - 1) / 2) * width
        rates = np.array([rows[m].hit_rate for m in horizons])
        low = np.array([rows[m].hit_low for m in horizons])
        high = np.array([rows[m].hit_high for m in horizons])
        errors = np.nan_to_num(np.vstack([rates - low, high - rates]))
        axis.bar(x, np.nan_to_num(rates), width, label=_short(source), alpha=0.85)
        axis.errorbar(x, np.nan_to_num(rates), yerr=errors, fmt="none", ecolor="#333", lw=1)
    axis.axhline(0.5, color="#888", lw=0.8, ls="--")
    axis.set_xticks(
        np.arange(len(horizons)), [f"{m} month{'s' if m > 1 else ''}" for m in horizons]
    )
    axis.set_ylim(0, 1)
    axis.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axis.set_ylabel("calls that beat their benchmark")
    axis.set_title("Hit rate by horizon (bars: Wilson interval)")
    axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# HTML --------------------------------------------------------------------------------------

_HTML_CALL_ROWS = 400


def _pct(value: object, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value:+.1%}" if signed else f"{value:.0%}"


def _ordinal(percentile: object) -> str:
    """A base-rate percentile (a fraction) as an ordinal, "60th"; a dash when unknown."""
    if not isinstance(percentile, (int, float)) or not math.isfinite(percentile):
        return "–"
    return percentile_text(percentile)


def _html_table(header: list[str], rows: list[list[str]], text_columns: set[int]) -> str:
    head = "".join(
        f'<th class="text">{html.escape(h)}</th>'
        if c in text_columns
        else f"<th>{html.escape(h)}</th>"
        for c, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text">{cell}</td>' if c in text_columns else f'<td class="num">{cell}</td>'
            for c, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return scrolling(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _sources_rows(result: LedgerResult) -> list[list[str]]:
    rows = []
    for r in result.by_horizon:
        i = r.interval
        rows.append(
            [
                html.escape(_short(r.source, 48)),
                f"{r.months}m",
                f"{r.scored} ({r.open} open)",
                f"{_pct(r.hit_rate)} [{_pct(r.hit_low)}, {_pct(r.hit_high)}]",
                f"{_pct(i.mean, True)} [{_pct(i.mean_low, True)}, {_pct(i.mean_high, True)}]",
                f"[{_pct(i.naive_mean_low, True)}, {_pct(i.naive_mean_high, True)}]",
                f"{_pct(i.median, True)}",
                f"{_pct(i.annual, True)} [{_pct(i.annual_low, True)}, {_pct(i.annual_high, True)}]",
                _pct(r.mean_percentile),
                format_p(r.p_dates, draws=result.draws),
                format_p(r.p_stances, draws=result.draws),
            ]
        )
    return rows


def per_call_table(calls: pd.DataFrame, horizons: list[str]) -> pd.DataFrame:
    """One row per call (in ledger order) as text: the call, its stance, source and entry
    day, its excess at each horizon with its base-rate percentile in brackets (or why there
    is none: open, not evaluable), to date, the engine's excess to date and a note (the
    reason a call was not evaluated, else the ledger's note). ``url``: the call's link or
    empty. ``calls`` is :func:`calls_table`; ``horizons`` its horizon labels ("1m", ...)."""
    per_call: dict[int, dict[str, dict[str, Any]]] = {}
    for record in calls.to_dict(orient="records"):
        per_call.setdefault(record["line"], {})[record["horizon"]] = record
    rows = []
    for line in sorted(per_call):
        by = per_call[line]
        first = next(iter(by.values()))
        cells = {}
        for label in [*horizons, "end"]:
            record = by.get(label)
            if record is None:
                cells[label] = ""
            elif record["status"] in (SCORED, "to date"):
                cells[label] = f"{_pct(record['excess'], True)} ({_ordinal(record['percentile'])})"
            else:
                cells[label] = str(record["status"])
        remark = first["reason"] if first["status"] == NOT_EVALUABLE else first["note"]
        rows.append(
            {
                "call": str(first["id"]),
                "stance": f"{first['stance']} {first['ticker']} vs {first['benchmark']}",
                "source": str(first["source"] or "–"),
                "entry": str(first["entry_day"] or "–"),
                **{label: cells[label] for label in horizons},
                "to date": cells["end"],
                "engine": _pct(by.get("end", {}).get("engine_excess"), True),
                "note": "" if _missing(remark) else str(remark),
                "url": first["url"] if isinstance(first["url"], str) else "",
            }
        )
    return pd.DataFrame(rows)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _call_rows(table: pd.DataFrame) -> list[list[str]]:
    """The rows of :func:`per_call_table` as escaped HTML cells, each call linked to its
    URL; at most ``_HTML_CALL_ROWS``."""
    rows = []
    for record in table.head(_HTML_CALL_ROWS).to_dict(orient="records"):
        ident = html.escape(record["call"])
        if record["url"]:
            link = html.escape(record["url"], quote=True)
            ident = f'<a href="{link}" rel="noopener noreferrer">{ident}</a>'
        rest = [
            html.escape(_short(str(v), 30) if k == "source" else str(v))
            for k, v in record.items()
            if k not in ("call", "url")
        ]
        rows.append([ident, *rest])
    return rows


def print_ledger_calls(console: Console, calls: pd.DataFrame, horizons: list[str]) -> None:
    """``ledger --calls``: the per-call table in the terminal (every call; user text
    escaped). On a narrow terminal the note, source, engine's excess, entry and stance go
    first, then the longest horizons; the excess to date stays; the caption names what went."""
    table = per_call_table(calls, horizons).drop(columns="url").set_index("call")
    console.print(
        _rich_table(
            console.width,
            table,
            title=f"{len(table)} calls: excess over the benchmark (base-rate percentile)",
            index_label="call",
            priority=("to date", *horizons, "stance", "entry", "engine", "source"),
        )
    )


def render_ledger_report(
    outcome: LedgerOutcome, *, run_id: str, calls: pd.DataFrame, charts: dict[str, Path]
) -> str:
    """report.html: verdicts, the table per source and horizon, the charts, every call."""
    result, settings = outcome.result, outcome.settings
    grid = result.grid
    name = outcome.ledger.path.name
    parts = [
        f"<h1>Call ledger: {html.escape(name)}</h1>",
        f'<p class="muted">Run {html.escape(run_id)} · {len(grid.calls)} calls · benchmark '
        f"{html.escape(settings.benchmark)} unless a call names its own · entry: "
        f"{html.escape(settings.convention.description)} · horizons "
        f"{', '.join(f'{m}m' for m in grid.horizons)} · {settings.draws} permutation draws, "
        f"{settings.reps} bootstrap resamples, seed {settings.seed}</p>",
        "<h2>Verdict per source</h2>",
        '<ul class="verdict">'
        + "".join(
            f"<li>{html.escape(verdict(result, s, settings.level))}</li>" for s in result.sources
        )
        + "</ul>",
        "<h2>Per source and horizon</h2>",
        _html_table(
            [
                "source",
                "horizon",
                "scored",
                f"hit rate [{settings.level:.0%}]",
                "mean excess [block]",
                "naive [per call]",
                "median",
                "open calls /yr [block]",
                "pctile",
                "p dates",
                "p stances",
            ],
            _sources_rows(result),
            {0},
        ),
        '<p class="muted">Block intervals resample calendar days in blocks (calls that overlap '
        "in time move together); the naive interval resamples calls as if independent. "
        "pctile: mean base-rate percentile of the calls' excess among same-length holdings of "
        "the same stock. p dates / p stances: one-sided permutation p-values. –: no value "
        "(an interval needs two scored calls, a rate one).</p>",
        "<h2>Cumulative excess per source</h2>",
        _image(charts["cumulative"], "cumulative excess of the open calls per source"),
        "<h2>The caller against chance</h2>",
        _image(charts["null"], "distribution of mean excess under both nulls"),
        "<h2>Hit rate by horizon</h2>",
        _image(charts["hit_rate"], "hit rate by horizon with Wilson intervals"),
    ]
    unavailable = [
        f"<li>{html.escape(c.id)} (line {c.line}, {html.escape(c.ticker)}): "
        f"{html.escape(grid.reason[i])}</li>"
        for i, c in enumerate(grid.calls)
        if grid.entry[i] < 0
    ]
    if unavailable:
        parts += ["<h2>Calls not evaluated</h2><ul>", *unavailable, "</ul>"]
    labels = [f"{m}m" for m in grid.horizons]
    shown = min(len(grid.calls), _HTML_CALL_ROWS)
    parts += [
        "<h2>Every call</h2>",
        f'<p class="muted">{shown} of {len(grid.calls)} calls (all of them in calls.csv). '
        "Excess at each horizon and to date (the data end), with its base-rate percentile in "
        "brackets: frictionless under the entry convention. Engine: next-open fills with costs "
        f"({settings.costs.commission:.2%} commission, {settings.costs.slippage:.2%} "
        "slippage), to date.</p>",
        _html_table(
            ["call", "stance", "source", "entry", *labels, "to date", "engine", "note"],
            _call_rows(per_call_table(calls, labels)),
            {0, 1, 2, len(labels) + 6},
        ),
        "<h2>Definitions</h2><ul>",
        *(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in DEFINITIONS.items()),
        "</ul>",
    ]
    if outcome.notes:
        parts += ["<h2>Notes on the data</h2><ul>"]
        parts += [f"<li>{html.escape(n)}</li>" for n in outcome.notes]
        parts += ["</ul>"]
    parts.append(
        '<h2>Files</h2><p><a href="calls.csv">calls.csv</a> · <a href="sources.csv">'
        'sources.csv</a> · <a href="summary.json">summary.json</a> · '
        '<a href="manifest.json">manifest.json</a></p>'
    )
    return _page(f"ledger {name}", parts)
