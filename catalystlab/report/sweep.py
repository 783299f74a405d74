"""A sweep's results folder: the trial table, the confirmed strategies, the walk-forward,
a heatmap, quantstats tearsheets, summary.json, manifest.json and a small report.html.

Every file goes through :func:`catalystlab.report.folder.write_atomically`; the tearsheets are
written in worker processes that die with the run (:mod:`catalystlab.report.workers`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from catalystlab.config import config_as_yaml
from catalystlab.core.progress import Progress
from catalystlab.pipeline.sweep import SweepOutcome
from catalystlab.report.csv_files import write_csv
from catalystlab.report.folder import write_atomically
from catalystlab.report.rich_text import literal
from catalystlab.report.summary import jsonable, manifest
from catalystlab.report.tearsheets import write_tearsheet
from catalystlab.report.workers import run_in_pool, worker_pool

_TEARSHEET_WORKERS = 4
_SHOWN_TRIALS = 20


def write_sweep_results(
    outcome: SweepOutcome,
    *,
    out_dir: Path,
    command: list[str],
    progress: Progress,
    now: dt.datetime | None = None,
) -> Path:
    """Write the sweep's folder under ``out_dir`` (``<UTC time>_<config name>_sweep``)."""
    now = now or dt.datetime.now(dt.UTC)

    def write(folder: Path, run_id: str) -> None:
        jobs = _tearsheet_jobs(outcome, folder / "tearsheets", progress)
        workers = max(1, min(len(jobs), os.cpu_count() or 1, _TEARSHEET_WORKERS))
        with worker_pool(workers, preload=("quantstats",)) as pool:
            written = run_in_pool(pool, write_tearsheet, list(jobs.values()))
            _write_files(outcome, folder, run_id=run_id, command=command, now=now)
            for _ in progress.track(written, description="Tearsheets", total=len(jobs)):
                pass
        page = render_sweep_report(
            outcome, run_id=run_id, tearsheets={t: f"tearsheets/trial{t}.html" for t in jobs}
        )
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_atomically(out_dir, f"{outcome.config.name}_sweep", write, now=now)


def walk_forward_equity(outcome: SweepOutcome) -> pd.DataFrame:
    """Growth of the config's cash: the stitched out-of-sample returns and the benchmark
    over the same days (currency units at each close)."""
    returns = outcome.walk_forward
    benchmark = outcome.benchmark_returns.reindex(returns.index).fillna(0.0)
    cash = outcome.config.cash
    frame = pd.DataFrame(
        {
            "walk_forward": cash * (1.0 + returns).cumprod(),
            outcome.benchmark_returns.name: cash * (1.0 + benchmark).cumprod(),
        }
    )
    frame.index.name = "Date"
    return frame


def sweep_summary(outcome: SweepOutcome, run_id: str | None) -> dict[str, Any]:
    """summary.json: what was screened, the best trials, the confirmed numbers (from
    backtrader), the walk-forward and the deflation that counts every trial."""
    settings = outcome.config.sweep
    assert settings is not None
    best = outcome.trials.nsmallest(min(_SHOWN_TRIALS, len(outcome.trials)), "rank")
    return jsonable(
        {
            "run_id": run_id,
            "config": outcome.config.name,
            "seed": outcome.config.seed,
            "period": {"start": outcome.calendar[0], "end": outcome.calendar[-1]},
            "tickers": list(settings.tickers),
            "grid": {k: list(v) for k, v in settings.grid.items()},
            "metric": settings.metric,
            "top_k": settings.top_k,
            "n_trials": outcome.n_trials,
            "executor": {"kind": outcome.executor, "workers": outcome.workers},
            "definitions": {
                "screen": "vectorised engine, same fills and costs as backtrader",
                "confirmed": "numbers from backtrader (engine of record)",
                "dsr": "Deflated Sharpe Ratio counting n_trials, trial Sharpes from the screen",
                "units": "returns, drawdowns and CAGR are fractions (0.1 = 10%)",
            },
            "best_trials": _records(best),
            "confirmed": _records(outcome.confirmed),
            "walk_forward": {
                **outcome.walk_forward_stats,
                "total_return": float((1.0 + outcome.walk_forward).prod() - 1.0),
                "folds": _records(outcome.folds),
            },
            "notes": list(outcome.notes),
        }
    )


def heatmap(outcome: SweepOutcome, path: Path) -> Path:
    """One panel per signal: the median over tickers (and any further parameters) of the
    metric, on the signal's first two grid parameters (one row when it has one)."""
    settings = outcome.config.sweep
    assert settings is not None
    signals = list(dict.fromkeys(k.partition(".")[0] for k in settings.grid))
    fig, axes = plt.subplots(1, len(signals), figsize=(5.5 * len(signals), 4.2), squeeze=False)
    for ax, signal in zip(axes[0], signals, strict=True):
        keys = [k for k in settings.grid if k.startswith(signal + ".")][:2]
        rows = outcome.trials[outcome.trials["signal"] == signal]
        if len(keys) == 1:
            grid = rows.groupby(keys[0])[settings.metric].median().to_frame().T
            grid.index = [settings.metric]
        else:
            grid = rows.pivot_table(
                index=keys[1], columns=keys[0], values=settings.metric, aggfunc="median"
            )
        values = grid.to_numpy(dtype=float)
        image = ax.imshow(values, cmap="RdYlGn", aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=45)
        ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
        ax.set_xlabel(keys[0])
        ax.set_ylabel(keys[1] if len(keys) > 1 else "")
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8)
        ax.set_title(f"{signal}: median {settings.metric} over tickers")
        ax.grid(False)
        fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def render_sweep_report(outcome: SweepOutcome, *, run_id: str, tearsheets: dict[int, str]) -> str:
    """report.html: the setup, the confirmed trials with links to their tearsheets, the
    walk-forward folds and the best trials of the screen; every user text escaped."""
    settings = outcome.config.sweep
    assert settings is not None
    wf = outcome.walk_forward_stats
    confirmed = outcome.confirmed.copy()
    confirmed["tearsheet"] = [
        f'<a href="{html.escape(tearsheets[t])}">tearsheet</a>' if t in tearsheets else ""
        for t in confirmed.index
    ]
    parts = [
        f"<h1>Sweep {html.escape(outcome.config.name)}</h1>",
        f'<p class="muted">{html.escape(run_id)} · {outcome.n_trials} trials on '
        f"{html.escape(', '.join(settings.tickers))}, {outcome.calendar[0].date()} to "
        f"{outcome.calendar[-1].date()} · ranked by {html.escape(settings.metric)} · "
        f"{html.escape(outcome.executor)} executor, {outcome.workers} worker(s)</p>",
        "<h2>Confirmed in backtrader</h2>",
        "<p>The top trials of the screen re-run in backtrader, the engine of record. PSR is the "
        "probability that the true Sharpe ratio exceeds 0; DSR deflates it for the "
        f"{outcome.n_trials} trials screened (their Sharpe ratios from the screen).</p>",
        _table(confirmed, escape_columns={"tearsheet"}),
        "<h2>Walk-forward</h2>",
        f"<p>Chosen on {settings.walk_forward.in_sample_days} in-sample days, held "
        f"{settings.walk_forward.out_of_sample_days} days; stitched out-of-sample return "
        f"{(1.0 + outcome.walk_forward).prod() - 1.0:+.1%}, PSR {wf['psr']:.2f}, DSR "
        f"{wf['dsr']:.2f} ({outcome.n_trials} trials).</p>",
        _table(outcome.folds),
        '<h2>Heatmap</h2><img alt="heatmap" src="heatmap.png">',
        f"<h2>Best {_SHOWN_TRIALS} trials of the screen</h2>",
        _table(outcome.trials.nsmallest(min(_SHOWN_TRIALS, outcome.n_trials), "rank")),
        '<p class="muted">Every trial: trials.csv and trials.parquet.</p>',
    ]
    if outcome.notes:
        parts += ["<h2>Notes</h2><ul>", *(f"<li>{html.escape(n)}</li>" for n in outcome.notes)]
        parts.append("</ul>")
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(outcome.config.name)} sweep</title><style>{_STYLE}</style>"
        f"</head><body>{''.join(parts)}</body></html>"
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;"
    "color:#1d232b}table{border-collapse:collapse;font-size:.85em}th,td{padding:.25em .6em;"
    "border-bottom:1px solid #eee;text-align:right}th:first-child,td:first-child{text-align:"
    "left}thead th{background:#f4f6f8}.muted{color:#667}img{max-width:100%}"
)


def _table(frame: pd.DataFrame, *, escape_columns: set[str] = frozenset()) -> str:
    """An HTML table; values escaped except the columns named (links built here)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [frame.index.name or "", *frame])
    body = []
    for index, row in frame.iterrows():
        cells = [f"<td>{html.escape(str(index))}</td>"]
        for column, value in row.items():
            text = value if column in escape_columns else html.escape(_shown(value))
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _shown(value: object) -> str:
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else f"{value:.4g}"
    return "" if value is None else str(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {frame.index.name or "index": index, **row} for index, row in frame.to_dict("index").items()
    ]


def _tearsheet_jobs(
    outcome: SweepOutcome, folder: Path, progress: Progress
) -> dict[int, tuple[tuple, dict]]:
    """A quantstats tearsheet per confirmed trial, from backtrader's returns."""
    folder.mkdir()
    jobs = {}
    for run in outcome.confirmed_runs:
        returns = run.result.returns
        if returns.std() == 0:
            progress.note(f"No tearsheet for trial {run.trial}: it never held a position.")
            continue
        jobs[run.trial] = (
            (returns, outcome.benchmark_returns, folder / f"trial{run.trial}.html"),
            {"title": run.label},
        )
    return jobs


def _write_files(
    outcome: SweepOutcome, folder: Path, *, run_id: str, command: list[str], now: dt.datetime
) -> None:
    outcome.trials.to_parquet(folder / "trials.parquet")
    write_csv(outcome.trials, folder / "trials.csv", float_format="%.10g")
    write_csv(outcome.confirmed, folder / "confirmed.csv", float_format="%.10g")
    write_csv(outcome.folds, folder / "folds.csv", float_format="%.10g")
    write_csv(walk_forward_equity(outcome), folder / "walk_forward_equity.csv", float_format="%.6f")
    heatmap(outcome, folder / "heatmap.png")
    _json(folder / "summary.json", sweep_summary(outcome, run_id))
    (folder / "config.yaml").write_text(config_as_yaml(outcome.config), encoding="utf-8")
    _json(
        folder / "manifest.json",
        manifest(
            loaded=outcome.loaded,
            tables=outcome.signal_sources,
            data_options=outcome.data_options,
            command=command,
            created=now.isoformat(timespec="seconds"),
        ),
    )


def _json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def print_sweep(console: Console, outcome: SweepOutcome, folder: Path) -> None:
    """The confirmed trials (backtrader's numbers), the walk-forward and the folder."""
    table = Table(
        title=f"Top {len(outcome.confirmed)} of {outcome.n_trials} trials, confirmed in "
        f"backtrader ({outcome.calendar[0].date()} to {outcome.calendar[-1].date()})"
    )
    columns = ("total_return", "cagr", "sharpe", "max_drawdown", "psr", "dsr")
    for name in ("trial", *columns):
        table.add_column(name, justify="left" if name == "trial" else "right")
    for _, row in outcome.confirmed.iterrows():
        cells = [_shown(row[c]) for c in columns]
        table.add_row(literal(row["label"]), *cells)
    console.print(table)
    wf = outcome.walk_forward_stats
    total = (1.0 + outcome.walk_forward).prod() - 1.0
    console.print(
        f"Walk-forward ({len(outcome.folds)} folds, out of sample): {total:+.1%}, "
        f"PSR {wf['psr']:.2f}, DSR {wf['dsr']:.2f} with {outcome.n_trials} trials counted.",
        highlight=False,
    )
    console.print(f"Results: {literal(folder)}", highlight=False)
