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
from rich.text import Text

from catalystlab.analysis.sweep.findings import (
    hold_curve,
    signal_findings,
    walk_forward_findings,
)
from catalystlab.config import config_as_yaml
from catalystlab.core.progress import Progress
from catalystlab.pipeline.sweep import SweepOutcome
from catalystlab.report.charts import ink_on, walk_forward_chart
from catalystlab.report.csv_files import write_csv
from catalystlab.report.folder import write_atomically
from catalystlab.report.formatting import counted, format_value, header, psr_label
from catalystlab.report.html import _files, _image, _linked, _notes, _page, _table
from catalystlab.report.params import axis_label, axis_tick, parameter_label
from catalystlab.report.rich_text import literal
from catalystlab.report.summary import jsonable, manifest
from catalystlab.report.tearsheets import write_tearsheet
from catalystlab.report.terminal import _rich_table
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
            charts = _write_files(outcome, folder, run_id=run_id, command=command, now=now)
            for _ in progress.track(written, description="Tearsheets", total=len(jobs)):
                pass
        page = render_sweep_report(
            outcome,
            run_id=run_id,
            tearsheets={t: f"trial{t}.html" for t in jobs},
            charts=charts,
            files=tuple(p.name for p in folder.iterdir()),
        )
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_atomically(out_dir, f"{outcome.config.name}_sweep", write, now=now)


def walk_forward_equity(outcome: SweepOutcome) -> pd.DataFrame:
    """Growth of the config's cash: the stitched out-of-sample returns, the swept tickers
    bought in equal parts at the close before the first out-of-sample day and held
    (``hold``, no costs), and the benchmark over the same days (currency units at each
    close)."""
    returns = outcome.walk_forward
    benchmark = outcome.benchmark_returns.reindex(returns.index).fillna(0.0)
    cash = outcome.config.cash
    frame = pd.DataFrame(
        {
            "walk_forward": cash * (1.0 + returns).cumprod(),
            "hold": cash * hold_curve(outcome.ticker_returns, pd.DatetimeIndex(returns.index)),
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
                "merged": "per confirmed trial, the trials with the same exposure on the same "
                "ticker (one strategy, confirmed once)",
                "hold": "the swept tickers bought in equal parts and held, no costs",
            },
            "best_trials": _records(best),
            "confirmed": _records(outcome.confirmed),
            "merged": {str(t): list(rest) for t, rest in outcome.merged.items()},
            "walk_forward": {
                **outcome.walk_forward_stats,
                **vars(
                    walk_forward_findings(
                        outcome.walk_forward, outcome.ticker_returns, outcome.benchmark_returns
                    )
                ),
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
        ax.set_xticks(
            range(grid.shape[1]), [axis_tick(keys[0], c) for c in grid.columns], rotation=45
        )
        ax.set_yticks(
            range(grid.shape[0]),
            [axis_tick(keys[1], i) for i in grid.index] if len(keys) > 1 else list(grid.index),
        )
        ax.set_xlabel(axis_label(keys[0]))
        ax.set_ylabel(axis_label(keys[1]) if len(keys) > 1 else "")
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                ink = ink_on(image.cmap(image.norm(value)))
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8, color=ink)
        ax.set_title(f"{signal}: median {settings.metric} over tickers")
        ax.grid(False)
        fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


SWEEP_FILES = {
    "summary.json": "every number of this page",
    "trials.csv": "every trial's parameters and screen metrics (also trials.parquet)",
    "confirmed.csv": "the confirmed trials, backtrader's numbers",
    "folds.csv": "each walk-forward fold's windows, choice and result",
    "walk_forward_equity.csv": "the walk-forward, the tickers held and the benchmark, daily",
    "walk_forward.png": "the walk-forward chart of this page",
    "heatmap.png": "the screen's metric by parameter",
    "config.yaml": "the resolved config",
    "manifest.json": "inputs, their sha256 digests, package versions, the command",
}
NO_VALUE_NOTE = (
    "–: no value. A trial that never held a position has no Sharpe ratio, PSR or DSR; a "
    "fold in which no trial held a position in sample stays in cash."
)


def trial_label(signal: str, params: dict[str, Any] | str, ticker: str) -> str:
    """A trial in words: ``layoffs: hold 20 days, min 10,000 on AMZN`` (``params`` as a dict
    or the trial table's JSON)."""
    values = json.loads(params) if isinstance(params, str) else params
    return f"{parameter_label(signal, values)} on {ticker}"


def _label_of(outcome: SweepOutcome, trial: int) -> str:
    row = outcome.trials.loc[trial]
    return trial_label(row["signal"], row["params"], row["ticker"])


def sweep_verdict(outcome: SweepOutcome) -> list[tuple[str, str]]:
    """The answer first: the walk-forward against holding the same tickers, what the
    deflation over every trial says, each catalyst's trials, what was confirmed."""
    settings = outcome.config.sweep
    assert settings is not None
    wf = walk_forward_findings(
        outcome.walk_forward, outcome.ticker_returns, outcome.benchmark_returns
    )
    tickers = ", ".join(settings.tickers)
    beat = wf.total_return > wf.hold_total_return
    points = [
        (
            "Walk-forward",
            f"Choosing the best of {counted(outcome.n_trials, 'trial')} by "
            f"{settings.metric} on {settings.walk_forward.in_sample_days} days and holding it "
            f"the next {settings.walk_forward.out_of_sample_days} returned "
            f"{_pct(wf.total_return)} from {wf.first_day.date()} to {wf.last_day.date()} "
            f"({counted(len(outcome.folds), 'fold')}, with costs), against "
            f"{_pct(wf.hold_total_return)} for buying and holding {tickers} in equal parts "
            f"and {_pct(wf.benchmark_total_return)} for {outcome.config.benchmark} (no costs); "
            f"Sharpe {_ratio(wf.sharpe)} against {_ratio(wf.hold_sharpe)}. "
            + (
                "The sweep beat holding its own tickers over these days."
                if beat
                else "The sweep did not beat holding its own tickers."
            ),
        ),
        ("Luck", _luck_sentence(outcome)),
    ]
    for found in signal_findings(outcome.trials, outcome.ticker_returns):
        never = found.trials - found.invested
        points.append(
            (
                found.signal,
                f"{found.beat_hold} of {found.invested} trials that held a position had a "
                "higher Sharpe ratio than holding their own ticker (median "
                f"{_ratio(found.median_sharpe)} against {_ratio(found.median_hold_sharpe)})"
                + (f"; {never} never held one" if never else "")
                + f". Best: {_label_of(outcome, found.best_trial)}, Sharpe "
                f"{_ratio(found.best_sharpe)} in the screen.",
            )
        )
    merged = sum(len(v) for v in outcome.merged.values())
    points.append(
        (
            "Confirmed",
            f"{counted(len(outcome.confirmed), 'distinct trial')} re-run in backtrader"
            + (
                f"; {counted(merged, 'trial')} with the same exposure on the same ticker as "
                "one of them merged into it (one strategy, confirmed once)."
                if merged
                else "."
            ),
        )
    )
    return points


def _luck_sentence(outcome: SweepOutcome) -> str:
    wf = outcome.walk_forward_stats
    text = (
        f"The walk-forward's DSR is {_ratio(wf['dsr'])}: the probability that its Sharpe ratio "
        f"beats the best of {counted(outcome.n_trials, 'trial')} tried by luck alone "
        f"({psr_label('0')}: {_ratio(wf['psr'])})."
    )
    dsr = outcome.confirmed["dsr"] if "dsr" in outcome.confirmed else pd.Series(dtype=float)
    if dsr.notna().any():
        best = dsr.idxmax()
        text += (
            f" The best confirmed trial by DSR, {_label_of(outcome, best)}, has DSR "
            f"{_ratio(dsr[best])}."
        )
    return text


def _pct(value: float) -> str:
    """A signed percent with one decimal, "–" when missing."""
    return format_value(value, "excess")


def _ratio(value: float) -> str:
    """Two decimals, "–" when missing."""
    return format_value(value, "sharpe")


def _cells(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """``frame``'s ``columns`` (metric name -> header) formatted as text, headers renamed."""
    return pd.DataFrame(
        {header: [format_value(v, name) for v in frame[name]] for name, header in columns.items()},
        index=frame.index,
    )


# The confirmed table's columns kept longest on a narrow terminal (the rest go first).
CONFIRMED_PRIORITY = ("DSR", psr_label("0"), "total return", "Sharpe", "CAGR")


def confirmed_display(outcome: SweepOutcome) -> pd.DataFrame:
    """The confirmed trials as text, one row per trial labelled in words."""
    shown = _cells(
        outcome.confirmed,
        {
            "total_return": "total return",
            "cagr": "CAGR",
            "sharpe": "Sharpe",
            "max_drawdown": "max drawdown",
            "psr": psr_label("0"),
            "dsr": "DSR",
            "screen_sharpe": "Sharpe in the screen",
            "merged": "same exposure, merged",
        },
    )
    shown.index = [_label_of(outcome, t) for t in outcome.confirmed.index]
    return shown


def folds_display(outcome: SweepOutcome) -> pd.DataFrame:
    """The walk-forward folds as text: windows, the trial chosen, its in-sample metric and
    its out-of-sample return."""
    folds = outcome.folds
    settings = outcome.config.sweep
    assert settings is not None
    metric = settings.metric
    shown = _cells(
        folds.rename(columns={f"in_sample_{metric}": metric, "out_of_sample_return": "excess"}),
        {metric: f"in-sample {header(metric)}", "excess": "out-of-sample return"},
    )
    windows = {
        "in sample": ("in_sample_start", "in_sample_end"),
        "out of sample": ("out_of_sample_start", "out_of_sample_end"),
    }
    for position, (name, (first, last)) in enumerate(windows.items()):
        spans = [f"{a} to {b}" for a, b in zip(folds[first], folds[last], strict=True)]
        shown.insert(position, name, spans)
    shown.insert(
        2,
        "chosen",
        [
            "cash (no trial held a position in sample)"
            if row["trial"] < 0
            else trial_label(row["signal"], row["params"], row["ticker"])
            for _, row in folds.iterrows()
        ],
    )
    return shown


def best_trials_display(outcome: SweepOutcome) -> pd.DataFrame:
    """The screen's best trials as text, by rank."""
    best = outcome.trials.nsmallest(min(_SHOWN_TRIALS, outcome.n_trials), "rank")
    shown = _cells(
        best,
        {
            "rank": "rank",
            "sharpe": "Sharpe",
            "cagr": "CAGR",
            "total_return": "total return",
            "max_drawdown": "max drawdown",
            "volatility": "volatility",
        },
    )
    shown.index = [_label_of(outcome, t) for t in best.index]
    return shown


def render_sweep_report(
    outcome: SweepOutcome,
    *,
    run_id: str,
    tearsheets: dict[int, str],
    charts: dict[str, Path],
    files: tuple[str, ...] = (),
) -> str:
    """report.html: the verdict, the walk-forward chart and folds, the confirmed trials with
    links to their tearsheets, the heatmap and the best trials of the screen, the folder's
    files; every user text escaped. ``tearsheets``: trial -> file name in tearsheets/."""
    settings = outcome.config.sweep
    assert settings is not None
    points = "".join(
        f"<li><b>{html.escape(topic)}.</b> {html.escape(text)}</li>"
        for topic, text in sweep_verdict(outcome)
    )
    linked = {_label_of(outcome, t): name for t, name in tearsheets.items()}
    tables = {
        "folds": folds_display(outcome),
        "confirmed": confirmed_display(outcome),
        "best": best_trials_display(outcome),
    }
    dashes = any(frame.isin(["–"]).any().any() for frame in tables.values())
    costs = outcome.config.costs
    parts = [
        f"<h1>Sweep: {html.escape(outcome.config.name)}</h1>",
        f'<p class="muted">Run {html.escape(run_id)} · {counted(outcome.n_trials, "trial")} on '
        f"{html.escape(', '.join(settings.tickers))}, {outcome.calendar[0].date()} to "
        f"{outcome.calendar[-1].date()} · ranked by {html.escape(settings.metric)} · costs "
        f"{costs.commission:.2%} commission, {costs.slippage:.2%} slippage per trade · "
        f"{html.escape(outcome.executor)} executor, {counted(outcome.workers, 'worker')}</p>",
        "<h2>Verdict</h2>",
        f'<ul class="verdict">{points}</ul>',
        "<h2>Walk-forward</h2>",
        '<p class="muted">Each fold chooses the trial with the best in-sample '
        f"{html.escape(settings.metric)} over {settings.walk_forward.in_sample_days} trading "
        f"days and holds it the next {settings.walk_forward.out_of_sample_days} (the "
        "screen's fills and costs); the dashed lines mark where each fold's out-of-sample "
        "days start. The tickers are held in equal parts from the first out-of-sample day, "
        "without costs.</p>",
        _image(charts["walk_forward"], "walk-forward growth with fold boundaries")
        if "walk_forward" in charts
        else "",
        _table(tables["folds"], index_label="fold", css="ranked"),
        "<h2>Confirmed in backtrader</h2>",
        '<p class="muted">The best distinct trials of the screen re-run in backtrader, the '
        f"engine of record, over the whole period. {html.escape(psr_label('0'))}: the "
        "probability that the true Sharpe ratio exceeds 0; DSR deflates it for the "
        f"{counted(outcome.n_trials, 'trial')} screened. Trials with the same exposure on the "
        "same ticker trade alike: the best of them is confirmed and the others are merged "
        "into it. Click a trial for its quantstats tearsheet.</p>",
        _linked(_table(tables["confirmed"], index_label="trial", css="ranked"), linked),
        "<h2>The screen</h2>",
        _image(charts["heatmap"], "median metric by parameter") if "heatmap" in charts else "",
        f"<h3>Best {min(_SHOWN_TRIALS, outcome.n_trials)} trials of the screen</h3>",
        _table(tables["best"], index_label="trial", css="ranked"),
        f'<p class="muted">{html.escape(NO_VALUE_NOTE)}</p>' if dashes else "",
    ]
    parts += _notes(outcome.notes)
    parts += _files(files, SWEEP_FILES)
    return _page(f"{outcome.config.name}: sweep", parts)


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
            {"title": _label_of(outcome, run.trial)},
        )
    return jobs


def _write_files(
    outcome: SweepOutcome, folder: Path, *, run_id: str, command: list[str], now: dt.datetime
) -> dict[str, Path]:
    """Every file but the tearsheets and report.html; returns the charts by name."""
    outcome.trials.to_parquet(folder / "trials.parquet")
    write_csv(outcome.trials, folder / "trials.csv", float_format="%.10g")
    write_csv(outcome.confirmed, folder / "confirmed.csv", float_format="%.10g")
    write_csv(outcome.folds, folder / "folds.csv", float_format="%.10g")
    equity = walk_forward_equity(outcome)
    write_csv(equity, folder / "walk_forward_equity.csv", float_format="%.6f")
    tickers = ", ".join(outcome.ticker_returns.columns)
    shown = equity.rename(
        columns={
            "walk_forward": "walk-forward (with costs)",
            "hold": f"hold {tickers} (equal parts, no costs)",
        }
    )
    charts = {
        "heatmap": heatmap(outcome, folder / "heatmap.png"),
        "walk_forward": walk_forward_chart(
            shown,
            [pd.Timestamp(day) for day in outcome.folds["out_of_sample_start"]],
            folder / "walk_forward.png",
            title="Walk-forward out of sample, growth of 1",
        ),
    }
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
    return charts


def _json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def print_sweep(console: Console, outcome: SweepOutcome, folder: Path) -> None:
    """The verdict, the confirmed trials (backtrader's numbers) and the folder."""
    for topic, text in sweep_verdict(outcome):
        console.print(Text.assemble("- ", (f"{topic}.", "bold"), f" {text}"), highlight=False)
    console.print(
        _rich_table(
            console.width,
            confirmed_display(outcome),
            title=f"{counted(len(outcome.confirmed), 'distinct trial')} of {outcome.n_trials}, "
            f"confirmed in backtrader ({outcome.calendar[0].date()} to "
            f"{outcome.calendar[-1].date()})",
            index_label="trial",
            priority=CONFIRMED_PRIORITY,
            dash_note=NO_VALUE_NOTE,
        )
    )
    console.print(f"Results: {literal(folder)}", highlight=False)
