"""The run's ranked comparison: every strategy and the benchmark, with PSR, DSR, bootstrap
intervals, and Hansen's SPA test of "does any catalyst strategy beat buy-and-hold?"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.config import RunConfig
from catalystlab.plan import StrategyPlan
from catalystlab.stats.comparison import comparison_table
from catalystlab.stats.performance import sharpe
from catalystlab.stats.spa import SPAResult, spa_test


@dataclass(frozen=True, kw_only=True)
class RunComparison:
    """``table``: comparison.csv's rows (index = strategy id or the benchmark ticker);
    ``spa``: the SPA test, or None with ``spa_skipped`` saying why; ``n_trials``: the
    variants the DSR counts."""

    table: pd.DataFrame
    benchmark: str
    n_trials: int
    spa: SPAResult | None
    spa_skipped: str = ""


def compare_run(
    config: RunConfig,
    *,
    plans: list[StrategyPlan],
    returns: dict[str, pd.Series],
    benchmark_returns: pd.Series,
) -> RunComparison:
    """Rank the strategies' daily ``returns`` with the benchmark's (column = its ticker)."""
    stats = config.statistics
    benchmark = config.benchmark
    frame = pd.DataFrame({**returns, benchmark: benchmark_returns})
    n_trials = len(plans) + stats.extra_trials
    # A strategy that never held a position has no Sharpe ratio; as a trial it counts as 0.
    trial_sharpes = [
        0.0 if np.isnan(value) else value for value in (sharpe(returns[p.id]) for p in plans)
    ]
    table = comparison_table(
        frame,
        benchmark,
        n_trials=n_trials,
        seed=config.seed,
        trial_sharpes=trial_sharpes if n_trials > 1 else None,
        reps=stats.bootstrap_reps,
        size=stats.confidence,
    )
    labels = {plan.id: plan.label for plan in plans} | {benchmark: f"{benchmark} (benchmark)"}
    table.insert(0, "label", [labels.get(i, i) for i in table.index])
    spa, skipped = _spa(config, plans, frame)
    return RunComparison(
        table=table, benchmark=benchmark, n_trials=n_trials, spa=spa, spa_skipped=skipped
    )


def _spa(
    config: RunConfig, plans: list[StrategyPlan], frame: pd.DataFrame
) -> tuple[SPAResult | None, str]:
    stats = config.statistics
    base = stats.spa_benchmark
    if base is None and config.call is not None:
        base = next(
            (
                p.id
                for p in plans
                if p.definition.name == "buy_and_hold" and p.params.ticker == config.call.ticker
            ),
            None,
        )
    if base is None:
        return None, "no buy-and-hold benchmark strategy (set statistics.spa_benchmark)"
    tested = stats.spa_strategies or tuple(
        p.id for p in plans if p.definition.signal_tickers is not None
    )
    if not tested:
        return None, "no catalyst (signal) strategies to test"
    columns = [base, *tested]
    result = spa_test(
        frame[columns],
        base,
        seed=config.seed,
        strategies=list(tested),
        reps=stats.bootstrap_reps,
        level=1 - stats.confidence,
    )
    return result, ""
