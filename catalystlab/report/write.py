"""The three results folders: a run's, an event study's and a comparison's (each written
through :func:`catalystlab.report.folder.write_atomically`: all of it appears, or none)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from catalystlab.config import RunConfig, config_as_yaml
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.cross_run import CallComparison, CrossRunComparison
from catalystlab.pipeline.outcome import EventsOutcome, RunOutcome
from catalystlab.report.charts import growth_chart, plot_band, plot_base_rate, plot_car_path
from catalystlab.report.csv_files import write_csv
from catalystlab.report.folder import write_atomically
from catalystlab.report.html import (
    render_call_comparison,
    render_compare_report,
    render_event_report,
    render_report,
)
from catalystlab.report.reuse import (
    MANIFEST,
    folder_record,
    reuse_record,
    save_outcome,
    seal,
)
from catalystlab.report.summary import event_study_summary, jsonable, manifest, summary
from catalystlab.report.tables import RunTables
from catalystlab.report.tearsheet_batch import TearsheetBatch


def write_results(
    outcome: RunOutcome,
    *,
    out_dir: Path,
    command: list[str],
    tearsheets: TearsheetBatch,
    tables: RunTables,
    now: dt.datetime | None = None,
    reuse_key: str | None = None,
) -> Path:
    """Write the results folder of ``outcome`` under ``out_dir`` and return its path.

    The ``tearsheets``, submitted while the run computed, are waited for last (the folder
    appears under its name only when all of it is written). With
    ``reuse_key`` the folder is kept for unchanged re-runs (:mod:`catalystlab.report.reuse`)."""
    now = now or dt.datetime.now(dt.UTC)
    return write_atomically(
        out_dir,
        outcome.config.name,
        lambda folder, run_id: _write_all(
            outcome,
            folder,
            run_id=run_id,
            command=command,
            now=now,
            tearsheets=tearsheets,
            tables=tables,
            reuse_key=reuse_key,
        ),
        now=now,
    )


def _write_all(
    outcome: RunOutcome,
    folder: Path,
    *,
    run_id: str,
    command: list[str],
    now: dt.datetime,
    tearsheets: TearsheetBatch,
    tables: RunTables,
    reuse_key: str | None,
) -> None:
    charts = _write_files(
        outcome, folder, tables, run_id=run_id, command=command, now=now, reuse_key=reuse_key
    )
    written = tearsheets.finish(folder / "tearsheets")
    page = render_report(
        outcome,
        run_id=run_id,
        strategies=tables.ranked,
        tearsheets=written,
        charts=charts,
        files=tuple(sorted(path.name for path in folder.iterdir())),
    )
    (folder / "report.html").write_text(page, encoding="utf-8")
    if reuse_key is not None:
        _record_folder(folder)


def _record_folder(folder: Path) -> None:
    """Add the sha256 of every other file of the finished ``folder`` to its manifest's
    ``reuse`` record (a re-run reuses the folder only while they all match)."""
    document = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if document.get("reuse") is not None:
        document["reuse"]["folder"] = folder_record(folder)
        document["reuse"]["seal"] = seal(document["reuse"])
        _write_json(folder / MANIFEST, document)


def _write_files(
    outcome: RunOutcome,
    folder: Path,
    tables: RunTables,
    *,
    run_id: str,
    command: list[str],
    now: dt.datetime,
    reuse_key: str | None,
) -> dict[str, Path]:
    """Every file but the tearsheets and report.html (``tables``: the outcome's
    :func:`~catalystlab.report.tables.run_tables`); returns the charts."""
    write_csv(
        tables.comparison, folder / "comparison.csv", index_label="strategy", float_format="%.10g"
    )
    equity = tables.equity
    write_csv(equity, folder / "equity.csv", float_format="%.6f")
    write_csv(tables.benchmark, folder / "benchmark.csv", index_label="Date", float_format="%.6f")
    write_csv(tables.trades, folder / "trades.csv", index=False, float_format="%.8g")
    if not tables.signals.empty:
        write_csv(tables.signals, folder / "signals.csv", float_format="%.6g")
    _write_json(folder / "summary.json", summary(outcome, run_id))
    _write_inputs(
        folder,
        config=outcome.config,
        loaded=outcome.loaded,
        tables=outcome.signal_sources,
        data_options=outcome.data_options,
        command=command,
        now=now,
        reuse_key=reuse_key,
    )
    if reuse_key is not None:
        save_outcome(outcome, folder)
    charts = {}
    if not equity.empty:  # a config that tests only the call has no strategy to chart
        charts["equity"] = growth_chart(
            equity, folder / "equity.png", title="Growth of 1, every strategy"
        )
    if outcome.call is not None and not outcome.call.equity.empty:
        charts["call"] = growth_chart(
            outcome.call.equity,
            folder / "call.png",
            title=f"After the call: {outcome.call.ticker} and its benchmarks",
            log_scale=False,
        )
    if outcome.audit is not None:
        write_csv(outcome.audit, folder / "claims.csv", index_label="id")
    if outcome.event_study is not None:
        study = outcome.event_study.result
        write_csv(study.cars, folder / "event_study.csv", index=False, float_format="%.10g")
        charts["car_path"] = plot_car_path(study.paths, folder / "car_path.png")
    uncertainty = outcome.call.uncertainty if outcome.call is not None else None
    if uncertainty is not None:
        charts["band"] = plot_band(uncertainty.band, folder / "band.png")
        first = next(iter(uncertainty.base_rates.values()), None)
        if first is not None:
            charts["base_rate"] = plot_base_rate(first, folder / "base_rate.png")
    return charts


def _write_inputs(
    folder: Path,
    *,
    config: RunConfig,
    loaded: dict[str, LoadedPrices],
    tables: dict[str, dict[str, object]],
    data_options: dict[str, object],
    command: list[str],
    now: dt.datetime,
    reuse_key: str | None = None,
) -> None:
    """What reproduces a run: the resolved ``config.yaml`` and ``manifest.json`` (with
    ``reuse_key``, the record an unchanged re-run matches)."""
    (folder / "config.yaml").write_text(config_as_yaml(config), encoding="utf-8")
    document = manifest(
        loaded=loaded,
        tables=tables,
        data_options=data_options,
        command=command,
        created=now.isoformat(timespec="seconds"),
    )
    if reuse_key is not None:
        document["reuse"] = reuse_record(reuse_key, document["inputs"])
    _write_json(folder / "manifest.json", document)


def _write_json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def write_event_results(
    outcome: EventsOutcome, *, out_dir: Path, command: list[str], now: dt.datetime | None = None
) -> Path:
    """Write the folder of ``runner.py events``: event_study.csv (one row per event and
    window), car_path.png, summary.json, report.html, config.yaml, manifest.json."""
    now = now or dt.datetime.now(dt.UTC)

    def write(folder: Path, run_id: str) -> None:
        study = outcome.study.result
        write_csv(study.cars, folder / "event_study.csv", index=False, float_format="%.10g")
        charts = {"car_path": plot_car_path(study.paths, folder / "car_path.png")}
        _write_json(
            folder / "summary.json",
            jsonable(
                {
                    "run_id": run_id,
                    "config": outcome.config.name,
                    "seed": outcome.config.seed,
                    "event_study": event_study_summary(outcome.study),
                    "notes": list(outcome.notes),
                }
            ),
        )
        _write_inputs(
            folder,
            config=outcome.config,
            loaded=outcome.loaded,
            tables=outcome.sources,
            data_options=outcome.data_options,
            command=command,
            now=now,
        )
        page = render_event_report(outcome, run_id=run_id, charts=charts)
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_atomically(out_dir, f"{outcome.config.name}_events", write, now=now)


COMPARE_LINES = 12  # the compare chart's lines: the best-ranked strategies and the benchmark


def _distinct_lines(comparison: CrossRunComparison) -> list[str]:
    """The benchmark and the best-ranked strategies, ``COMPARE_LINES`` in all, a strategy
    whose curve equals one already taken (the same buy-and-hold in two runs) left out."""
    curves = comparison.curves
    shown = [comparison.benchmark]
    for name in comparison.table.index:
        if len(shown) == COMPARE_LINES:
            break
        if not any(curves[name].equals(curves[other]) for other in shown):
            shown.append(name)
    return sorted(shown, key=list(comparison.table.index).index)


def write_compare_results(
    comparison: CrossRunComparison | CallComparison,
    *,
    out_dir: Path,
    command: list[str],
    now: dt.datetime | None = None,
) -> Path:
    """Write the folder of ``runner.py compare``: comparison.csv (or calls.csv when the runs
    tested calls alone), summary.json, report.html."""
    now = now or dt.datetime.now(dt.UTC)

    def write(folder: Path, run_id: str) -> None:
        if isinstance(comparison, CallComparison):
            write_calls(folder, run_id)
            return
        write_csv(
            comparison.table,
            folder / "comparison.csv",
            index_label="strategy",
            float_format="%.10g",
        )
        _write_json(
            folder / "summary.json",
            jsonable(
                {
                    "run_id": run_id,
                    "command": command,
                    "benchmark": comparison.benchmark,
                    "period": {"start": comparison.first_day, "end": comparison.last_day},
                    "n_trials": comparison.n_trials,
                    "seed": comparison.seed,
                    "inputs": comparison.inputs,
                    "strategies": comparison.table,
                }
            ),
        )
        shown = _distinct_lines(comparison)
        chart = growth_chart(
            comparison.curves[shown],
            folder / "growth.png",
            title=f"Growth of 1 from {comparison.first_day.date()}, best ranked",
        )
        page = render_compare_report(
            comparison, run_id=run_id, growth=chart, lines=len(shown), folder=folder
        )
        (folder / "report.html").write_text(page, encoding="utf-8")

    def write_calls(folder: Path, run_id: str) -> None:
        assert isinstance(comparison, CallComparison)
        write_csv(comparison.table, folder / "calls.csv", index_label="run", float_format="%.10g")
        document = {"run_id": run_id, "command": command, "inputs": comparison.inputs}
        _write_json(folder / "summary.json", jsonable(document | {"calls": comparison.table}))
        page = render_call_comparison(comparison, run_id=run_id)
        (folder / "report.html").write_text(page, encoding="utf-8")

    return write_atomically(out_dir, "compare", write, now=now)
