"""``runner.py compare``: one ranked comparison across the strategies of several run folders.

Each folder is one written by ``runner.py run`` (summary.json, equity.csv, benchmark.csv).
Strategies are compared on the dates all folders share, against the benchmark they share; the
Deflated Sharpe Ratio counts trials the way ``run`` does: the strategies each run searched over
(summary.json's ``comparison.trial_strategies``; buy-and-hold legs and baskets are benchmarks,
not trials), a strategy that two runs share with identical returns once, plus each run's
``extra_trials``. A folder written before summary.json recorded its trials counts every one of
its strategies.
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


def compare_folders(folders: list[Path], *, seed: int | None = None) -> CrossRunComparison:
    """Rank every strategy of ``folders`` (results folders of ``runner.py run``)."""
    if not folders:
        raise BadInputError("compare: name at least one results folder.")
    runs = [_read(folder) for folder in folders]
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
    inputs = {
        str(folder): {name: file_sha256(folder / name) for name in _REQUIRED} for folder in folders
    }
    return CrossRunComparison(
        table=table.sort_values("rank"),
        curves=curves,
        benchmark=benchmark,
        folders=tuple(folders),
        inputs=inputs,
        first_day=returns.index[0],
        last_day=returns.index[-1],
        n_trials=n_trials,
        seed=seed,
    )


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
        bad = (values.isna() & frame.notna()).to_numpy() | np.isinf(numbers) | (numbers <= 0)
        if not isinstance(frame.index, pd.DatetimeIndex) or bad.any():
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
