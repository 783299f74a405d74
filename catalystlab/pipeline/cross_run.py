"""``runner.py compare``: one ranked comparison across the strategies of several run folders.

Each folder is one written by ``runner.py run`` (summary.json, equity.csv, benchmark.csv).
Strategies are compared on the dates all folders share, against the benchmark they share; the
Deflated Sharpe Ratio counts trials the way ``run`` does: the strategies each run searched over
(summary.json's ``comparison.trial_strategies``; buy-and-hold legs and baskets are benchmarks,
not trials), a strategy that two runs share with identical returns once, plus each run's
``extra_trials``. A folder written before summary.json recorded its trials counts every one of
its strategies.

Runs that test a call alone (no strategy: their ``equity.csv`` holds only dates) have nothing to
rank; when no folder has a strategy, their calls are put side by side instead
(:class:`CallComparison`, from each summary.json).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.comparison import comparison_table
from catalystlab.analysis.stats.performance import sharpe
from catalystlab.core.errors import BadInputError
from catalystlab.core.hashing import file_sha256

_REQUIRED = ("summary.json", "equity.csv", "benchmark.csv")
_MIN_DAYS = 60


@dataclass(frozen=True, kw_only=True)
class CrossRunComparison:
    """The ranked table (index ``<config>/<strategy id>``, or the benchmark ticker) and what
    it was computed from; ``curves``: the value of each of them at every shared close
    (currency units, the first day included)."""

    table: pd.DataFrame
    curves: pd.DataFrame
    benchmark: str
    folders: tuple[Path, ...]
    inputs: dict[str, dict[str, str]]
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    n_trials: int
    seed: int


@dataclass(frozen=True, kw_only=True)
class CallComparison:
    """The calls of runs that tested a call alone, side by side: ``table`` has one row per
    folder (index: config name) with the called ``ticker``, ``stance``, ``date``,
    ``entry_day``, ``end_day`` and, against the run's ``benchmark``, the stock's and the
    benchmark's ``total_return`` (fractions, entry to end with the run's costs), the call's
    ``excess_total_return`` (signed by its stance: positive when the call was right), its
    ``annual_excess`` and block-bootstrap interval (``excess_low``, ``excess_high``) and
    whether it was ``right``; a call that could not be evaluated has its ``reason``."""

    table: pd.DataFrame
    folders: tuple[Path, ...]
    inputs: dict[str, dict[str, str]]


def compare_folders(
    folders: list[Path], *, seed: int | None = None
) -> CrossRunComparison | CallComparison:
    """Rank every strategy of ``folders`` (results folders of ``runner.py run``), or when
    none of them has a strategy, put their calls side by side."""
    if not folders:
        raise BadInputError("compare: name at least one results folder.")
    runs = [_read(folder) for folder in folders]
    if not any(len(equity.columns) for _, equity, _ in runs):
        return _compare_calls(folders, [summary for summary, _, _ in runs])
    benchmarks = {summary["benchmark"] for summary, _, _ in runs}
    if len(benchmarks) != 1:
        raise BadInputError(
            f"compare: the folders use different benchmarks ({', '.join(sorted(benchmarks))}); "
            "compare runs that share one."
        )
    (benchmark,) = benchmarks
    columns: dict[str, pd.Series] = {}
    searched: list[str] = []
    extra_trials = 0
    for summary, equity, _ in runs:
        trials, extra = _trials(summary, list(equity.columns))
        extra_trials += extra
        for strategy in equity.columns:
            name = f"{summary['config']}/{strategy}"
            if name in columns:
                raise BadInputError(
                    f"compare: {name} appears in two folders; compare each run once."
                )
            columns[name] = equity[strategy]
            if strategy in trials:
                searched.append(name)
    curves = pd.DataFrame(columns).dropna()
    curves[benchmark] = runs[0][2][benchmark].reindex(curves.index)
    curves = curves.dropna()
    if len(curves) < _MIN_DAYS:
        raise BadInputError(
            f"compare: the folders share only {len(curves)} trading days; at least {_MIN_DAYS} "
            "are needed for a comparison."
        )
    returns = curves.pct_change().iloc[1:]
    # The same strategy in two runs (identical returns) is one variant, not two.
    distinct = list(returns[searched].T.drop_duplicates().index) if searched else []
    n_trials = max(1, len(distinct) + extra_trials)
    seed = seed if seed is not None else int(runs[0][0]["comparison"]["seed"])
    trial_sharpes = [0.0 if pd.isna(v) else v for v in (sharpe(returns[c]) for c in distinct)]
    table = comparison_table(
        returns,
        benchmark,
        n_trials=n_trials,
        seed=seed,
        trial_sharpes=trial_sharpes if n_trials > 1 else None,
    )
    return CrossRunComparison(
        table=table.sort_values("rank"),
        curves=curves,
        benchmark=benchmark,
        folders=tuple(folders),
        inputs=_inputs(folders),
        first_day=returns.index[0],
        last_day=returns.index[-1],
        n_trials=n_trials,
        seed=seed,
    )


def _compare_calls(folders: list[Path], summaries: list[dict]) -> CallComparison:
    """The calls of ``summaries`` (runs without strategies) side by side."""
    rows = {}
    for folder, summary in zip(folders, summaries, strict=True):
        call = summary.get("call")
        if not isinstance(call, dict):
            raise BadInputError(
                f"compare: {folder} has neither a strategy nor a call; there is nothing to "
                "compare. Give folders of runs with strategies, or with a call."
            )
        if summary["config"] in rows:
            raise BadInputError(
                f"compare: {summary['config']} appears in two folders; compare each run once."
            )
        rows[summary["config"]] = _call_row(call, str(summary["benchmark"]))
    return CallComparison(
        table=pd.DataFrame.from_dict(rows, orient="index"),
        folders=tuple(folders),
        inputs=_inputs(folders),
    )


def _call_row(call: dict, benchmark: str) -> dict[str, object]:
    """One call's row of :class:`CallComparison` (missing numbers NaN)."""
    legs = call.get("out_of_sample") or {}
    stock, against = legs.get(call["ticker"], {}), legs.get(benchmark, {})
    interval = (call.get("excess_interval") or {}).get(benchmark, {})
    excess = _number(against.get("excess_total_return"))
    return {
        "ticker": call["ticker"],
        "stance": call["stance"],
        "date": call.get("date"),
        "entry_day": call.get("entry_day"),
        "end_day": call.get("end_day"),
        "benchmark": benchmark,
        "total_return": _number(stock.get("total_return")),
        "total_return_benchmark": _number(against.get("total_return")),
        "excess_total_return": excess,
        "annual_excess": _number(interval.get("annual_excess")),
        "excess_low": _number(interval.get("low")),
        "excess_high": _number(interval.get("high")),
        "right": None if np.isnan(excess) else bool(excess > 0),
        "reason": call.get("reason"),
    }


def _number(value: object) -> float:
    """A number of summary.json (null, or anything else, is NaN)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return np.nan


def _inputs(folders: list[Path]) -> dict[str, dict[str, str]]:
    """Each folder's files read -> their sha256."""
    return {
        str(folder): {name: file_sha256(folder / name) for name in _REQUIRED} for folder in folders
    }


def _trials(summary: dict, strategies: list[str]) -> tuple[set[str], int]:
    """The strategies a run counted as DSR trials and its ``extra_trials``, from its
    summary.json (every strategy and none extra for a folder that predates the record)."""
    comparison = summary["comparison"]
    recorded = comparison.get("trial_strategies") if isinstance(comparison, dict) else None
    if recorded is None:
        return set(strategies), 0
    extra = comparison.get("extra_trials", 0)
    if not isinstance(recorded, list) or not isinstance(extra, int) or extra < 0:
        raise BadInputError(
            "compare: summary.json's comparison.trial_strategies or extra_trials is malformed; "
            "was it edited? Run the config again."
        )
    return {str(s) for s in recorded}, extra


def _read(folder: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    missing = [name for name in _REQUIRED if not (folder / name).is_file()]
    if missing:
        raise BadInputError(
            f"compare: {folder} is not a results folder of 'runner.py run' (it lacks "
            f"{', '.join(missing)})."
        )
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        equity = pd.read_csv(folder / "equity.csv", index_col="Date", parse_dates=True)
        benchmark = pd.read_csv(folder / "benchmark.csv", index_col="Date", parse_dates=True)
    except (ValueError, KeyError, TypeError) as exc:
        raise BadInputError(f"compare: {folder} has an unreadable result file ({exc}).") from None
    for name, frame in (("equity.csv", equity), ("benchmark.csv", benchmark)):
        values = frame.apply(pd.to_numeric, errors="coerce")
        numbers = values.to_numpy(dtype="float64")
        unreadable = (values.isna() & frame.notna()).to_numpy(dtype=bool)
        bad = unreadable | np.isinf(numbers) | (numbers <= 0)
        dated = isinstance(frame.index, pd.DatetimeIndex) or frame.empty  # a call alone: no rows
        if not dated or bad.any():
            row = int(np.flatnonzero(bad.any(axis=1))[0]) + 2 if bad.any() else 2
            raise BadInputError(
                f"compare: {folder}/{name} row {row} holds a value that is not a positive "
                "number, or a date that is not a date; was it edited? Run the config again."
            )
    if not isinstance(summary, dict):
        raise BadInputError(f"compare: {folder}/summary.json is not a mapping; run it again.")
    lacking = [key for key in ("config", "benchmark", "comparison") if key not in summary]
    if lacking:
        raise BadInputError(
            f"compare: {folder}/summary.json lacks {', '.join(lacking)}; was it written by an "
            "older catalystlab? Run the config again."
        )
    return summary, equity, benchmark
