"""``report()``: the project's results folder from strategies run in a user's own cerebro.

The strategies are ranked as ``run`` ranks a config's (:func:`catalystlab.pipeline.ranking.
compare_run`: PSR, DSR counting every strategy given as a trial, bootstrap intervals) with
Hansen's SPA test of "does any of them beat holding the benchmark?", and written by
:func:`catalystlab.report.write.write_results` (atomically, never over an existing folder).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from catalystlab.analysis.stats.bootstrap import MIN_BLOCK_DAYS
from catalystlab.analysis.stats.spa import spa_test
from catalystlab.bt.analyzers import CallTest, Recorder, data_key
from catalystlab.bt.record import CerebroRecord
from catalystlab.bt.significance import daily_returns, never_traded
from catalystlab.config import RunConfig, load_config
from catalystlab.core.errors import BadInputError
from catalystlab.core.hashing import frame_sha256
from catalystlab.core.progress import Progress, SilentProgress
from catalystlab.engine.backtest import BacktestResult
from catalystlab.inputs.prices.align import AlignedPrices
from catalystlab.inputs.prices.frame import LoadedPrices
from catalystlab.pipeline.outcome import RunOutcome, StrategyRun
from catalystlab.pipeline.plan import StrategyPlan
from catalystlab.pipeline.ranking import compare_run
from strategies.base import StrategyDefinition

_WHO = "report"
_KIND = "backtrader"


def _runs_in_cerebro(*_: Any) -> pd.DataFrame:
    raise BadInputError(
        "A strategy of a user's cerebro runs in that cerebro, not in catalystlab's engine; "
        "run the script that built it."
    )


# The kind of every strategy of the folder: run in the user's cerebro, not by a schedule.
_USER_STRATEGY = StrategyDefinition(
    name=_KIND,
    params_type=dict,
    build=_runs_in_cerebro,
    tickers=lambda _: (),
    summary="a strategy run in a user's own backtrader cerebro",
)


def report(
    strategies: Any,
    *,
    benchmark: str,
    out: str | Path = "results",
    name: str = "cerebro",
    description: str = "",
    seed: int = 20250801,
    bootstrap_reps: int = 1000,
    confidence: float = 0.95,
    min_block_days: int = MIN_BLOCK_DAYS,
    extra_trials: int = 0,
    progress: Progress | None = None,
) -> Path:
    """Write the results folder of ``strategies`` under ``out`` and return its path.

    ``strategies``: what ``cerebro.run()`` returned (a list of strategies; a list of lists
    from ``cerebro.optstrategy``), or several of those in one list; each strategy needs one
    of the plugin's analyzers (``Significance``, ``CallTest`` or ``Tearsheet``), which
    records its value at each close. ``benchmark``: the name of a data of the cerebro, held
    from the first close with the broker's costs. Every strategy counts as a trial of the
    DSR (plus ``extra_trials`` tried elsewhere). The first ``CallTest`` found adds the call
    section. The folder holds report.html, comparison.csv, equity.csv, benchmark.csv,
    trades.csv, tearsheets/, summary.json, config.yaml and manifest.json; it leaves out what
    needs a config's catalyst data: the event study, the claims audit and signals.csv."""
    records, call = _collect(strategies)
    ids = _ids(records)
    _check_same_days(records)
    held = records[0].hold_equity(data_key(benchmark), who=_WHO)
    calendar, benchmark = held.index, str(held.name)
    if all(never_traded(r.returns) for r in records):
        raise BadInputError(
            f"{_WHO}: no strategy ever held a position (their values never changed), so there "
            "is nothing to rank; check that their orders are placed and filled."
        )
    config = _config(
        records,
        ids,
        benchmark=benchmark,
        name=name,
        description=description,
        call=call,
        seed=seed,
        statistics={
            "bootstrap_reps": bootstrap_reps,
            "confidence": confidence,
            "min_block_days": min_block_days,
            "extra_trials": extra_trials,
        },
    )
    plans = [
        StrategyPlan(id=sid, label=record.label, definition=_USER_STRATEGY, params=record.params)
        for sid, record in zip(ids, records, strict=True)
    ]
    runs = {
        plan.id: StrategyRun(
            plan=plan,
            result=BacktestResult(
                equity=record.equity_on(calendar).rename(plan.id),
                trades=record.trades,
                rejected_orders=record.rejected_orders,
            ),
        )
        for plan, record in zip(plans, records, strict=True)
    }
    benchmark_returns = daily_returns(held)
    returns = {sid: run.result.returns for sid, run in runs.items()}
    comparison = compare_run(
        config, plans=plans, returns=returns, benchmark_returns=benchmark_returns
    )
    frame = pd.DataFrame({benchmark: benchmark_returns, **returns})
    spa = spa_test(
        frame,
        benchmark,
        seed=seed,
        strategies=list(returns),
        reps=bootstrap_reps,
        level=1 - confidence,
        min_block=min_block_days,
    )
    outcome = RunOutcome(
        config=config,
        prices=AlignedPrices(
            frames={n: f.loc[f.index.isin(calendar)] for n, f in records[0].prices.items()},
            calendar=calendar,
            notes=(),
        ),
        loaded=_loaded(records),
        calendar=calendar,
        strategies=runs,
        benchmark_returns=benchmark_returns,
        comparison=replace(comparison, spa=(spa,), spa_skipped=""),
        call=call.result if call is not None else None,
        event_study=None,
        audit=None,
        signals=pd.DataFrame(index=calendar),
        notes=_call_notes(call),
        data_options={"source": "the datas of a backtrader cerebro"},
        user_strategies=True,
    )
    return _write(outcome, Path(out), progress or SilentProgress())


def _call_notes(call: CallTest | None) -> tuple[str, ...]:
    uncertainty = call.result.uncertainty if call is not None else None
    return uncertainty.notes if uncertainty is not None else ()


def _write(outcome: RunOutcome, out: Path, progress: Progress) -> Path:
    from catalystlab.report.tables import run_tables
    from catalystlab.report.tearsheet_batch import tearsheet_batch
    from catalystlab.report.write import write_results

    with tearsheet_batch(progress) as tearsheets:
        for run in outcome.strategies.values():
            tearsheets.submit(run, outcome.benchmark_returns)
        return write_results(
            outcome,
            out_dir=out,
            command=["python", *sys.argv],
            tearsheets=tearsheets,
            tables=run_tables(outcome),
        )


def _collect(strategies: Any) -> tuple[list[CerebroRecord], CallTest | None]:
    """Each strategy's record (from its first catalystlab analyzer) and the first CallTest."""
    records: list[CerebroRecord] = []
    call: CallTest | None = None
    for strategy in _flatten(strategies):
        analyzers = list(getattr(strategy, "analyzers", ()))
        recorders = [a for a in analyzers if isinstance(a, Recorder) and a.record is not None]
        if not recorders:
            kind = getattr(strategy, "strategycls", type(strategy)).__name__
            raise BadInputError(
                f"{_WHO}: {kind} has no catalystlab analyzer; add one before cerebro.run(), "
                "e.g. cerebro.addanalyzer(catalystlab.bt.Significance, benchmark='SPY')."
            )
        records.append(recorders[0].record)
        if call is None:
            call = next((a for a in recorders if isinstance(a, CallTest)), None)
    if not records:
        raise BadInputError(f"{_WHO}: no strategy given; pass what cerebro.run() returned.")
    return records, call


def _flatten(strategies: Any) -> Iterable[Any]:
    if isinstance(strategies, (list, tuple)):
        for item in strategies:
            yield from _flatten(item)
    else:
        yield strategies


def _ids(records: list[CerebroRecord]) -> list[str]:
    """A strategy id per record: its class name as a slug, numbered when a class repeats
    (the variants of ``optstrategy``)."""
    slugs = [re.sub(r"[^a-z0-9_\-]", "_", r.strategy.lower()).strip("_") or "s" for r in records]
    seen: dict[str, int] = {}
    ids = []
    for slug in slugs:
        seen[slug] = seen.get(slug, 0) + 1
        ids.append(f"{slug}-{seen[slug]}" if slugs.count(slug) > 1 else slug)
    return ids


def _check_same_days(records: list[CerebroRecord]) -> None:
    first = records[0].calendar
    for record in records[1:]:
        if not record.calendar.equals(first):
            raise BadInputError(
                f"{_WHO}: {record.label} ran on other days than {records[0].label} "
                f"({len(record.calendar)} and {len(first)} days); rank strategies run on the "
                "same datas."
            )


def _config(
    records: list[CerebroRecord],
    ids: list[str],
    *,
    benchmark: str,
    name: str,
    description: str,
    call: CallTest | None,
    seed: int,
    statistics: dict[str, Any],
) -> RunConfig:
    costs = records[0].costs
    try:
        return load_config(
            {
                "name": name,
                "description": description
                or (
                    "Strategies run in a backtrader cerebro, ranked by catalystlab.bt.report: "
                    "their fills and sizing are their own broker's; the benchmark is held from "
                    "the first close, filled at the next open with the broker's costs."
                ),
                "cash": records[0].start_value,
                "costs": {"commission": costs.commission, "slippage": costs.slippage},
                "benchmark": benchmark,
                "call": call.config.call.model_dump() if call is not None else None,
                "strategies": [
                    {"id": sid, "kind": _KIND, "label": record.label}
                    for sid, record in zip(ids, records, strict=True)
                ],
                "seed": seed,
                "statistics": statistics,
            }
        )
    except BadInputError as error:
        raise BadInputError(f"{_WHO}: {str(error).removeprefix('the config mapping: ')}") from None


def _loaded(records: list[CerebroRecord]) -> dict[str, LoadedPrices]:
    return {
        name: LoadedPrices(
            ticker=name, frame=frame, source="backtrader data", sha256=frame_sha256(frame)
        )
        for name, frame in records[0].prices.items()
    }
