"""The run's ranked comparison: every strategy and the benchmark, with PSR, DSR, bootstrap
intervals, and Hansen's SPA test of "does any catalyst strategy beat buy-and-hold?"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.comparison import comparison_table
from catalystlab.analysis.stats.performance import sharpe
from catalystlab.analysis.stats.spa import SPAResult, spa_test
from catalystlab.config import RunConfig
from catalystlab.core.errors import BadInputError
from catalystlab.pipeline.plan import StrategyPlan


@dataclass(frozen=True, kw_only=True)
class RunComparison:
    """``table``: comparison.csv's rows (index = strategy id or the benchmark ticker);
    ``spa``: the SPA tests, one per buy-and-hold benchmark (none: ``spa_skipped`` says why);
    ``n_trials``: the variants the DSR counts (``trials``, the strategies searched over, plus
    ``extra_trials``); ``without_data``: rules that had none of their catalyst data, left out
    of the DSR's trials and the SPA test."""

    table: pd.DataFrame
    benchmark: str
    n_trials: int
    spa: tuple[SPAResult, ...]
    spa_skipped: str = ""
    without_data: tuple[str, ...] = ()
    trials: tuple[str, ...] = ()
    extra_trials: int = 0


def compare_run(
    config: RunConfig,
    *,
    plans: list[StrategyPlan],
    returns: dict[str, pd.Series],
    benchmark_returns: pd.Series,
    without_data: frozenset[str] = frozenset(),
) -> RunComparison:
    """Rank the strategies' daily ``returns`` with the benchmark's (column = its ticker).
    Strategies in ``without_data`` (rules with none of their catalyst data) are ranked but
    neither counted as DSR trials nor tested by SPA."""
    stats = config.statistics
    benchmark = config.benchmark
    frame = pd.DataFrame({**returns, benchmark: benchmark_returns})
    searched = [p for p in searched_variants(plans) if p.id not in without_data]
    if stats.extra_trials and len(searched) < 2:
        raise BadInputError(
            f"statistics.extra_trials: the Deflated Sharpe Ratio estimates how widely the "
            f"{stats.extra_trials} other variants' Sharpe ratios spread from this config's "
            f"searched rules, and it has {len(searched)} ({', '.join(p.id for p in searched)}); "
            "list at least two rules of the search (e.g. two thresholds) or drop extra_trials."
        )
    # At least one trial: a config of rules without data, or of the call alone, counts one.
    n_trials = max(1, len(searched) + stats.extra_trials)
    # A strategy that never held a position has no Sharpe ratio; as a trial it counts as 0.
    trial_sharpes = [
        0.0 if np.isnan(value) else value for value in (sharpe(returns[p.id]) for p in searched)
    ]
    table = comparison_table(
        frame,
        benchmark,
        n_trials=n_trials,
        seed=config.seed,
        trial_sharpes=trial_sharpes if n_trials > 1 else None,
        reps=stats.bootstrap_reps,
        size=stats.confidence,
        min_block=stats.min_block_days,
    )
    labels = {plan.id: plan.label for plan in plans} | {benchmark: f"{benchmark} (benchmark)"}
    table.insert(0, "label", [labels.get(i, i) for i in table.index])
    spa, skipped = _spa(config, plans, frame, without_data)
    return RunComparison(
        table=table,
        benchmark=benchmark,
        n_trials=n_trials,
        spa=spa,
        spa_skipped=skipped,
        without_data=tuple(p.id for p in plans if p.id in without_data),
        trials=tuple(p.id for p in searched),
        extra_trials=stats.extra_trials,
    )


def searched_variants(plans: list[StrategyPlan]) -> list[StrategyPlan]:
    """The strategies the DSR counts as trials: the rules searched over (signal strategies).
    Buy-and-hold legs and baskets are benchmarks, not variants tried; a config of benchmarks
    alone counts all of them."""
    return [p for p in plans if p.definition.signal_tickers is not None] or list(plans)


def _spa(
    config: RunConfig,
    plans: list[StrategyPlan],
    frame: pd.DataFrame,
    without_data: frozenset[str] = frozenset(),
) -> tuple[tuple[SPAResult, ...], str]:
    """One SPA test per buy-and-hold benchmark: the configured one against the configured
    strategies, or else, per ticker, its buy-and-hold against the signal rules trading it."""
    stats = config.statistics
    if stats.spa_benchmark is not None:
        tested = stats.spa_strategies or tuple(
            p.id for p in plans if p.definition.signal_tickers is not None
        )
        groups = {stats.spa_benchmark: tuple(t for t in tested if t != stats.spa_benchmark)}
    else:
        holds = {p.params.ticker: p.id for p in plans if p.definition.name == "buy_and_hold"}
        groups = {}
        for plan in plans:
            if plan.definition.signal_tickers is None:
                continue
            base = holds.get(plan.params.ticker)
            if base is not None:
                groups[base] = (*groups.get(base, ()), plan.id)
    groups = {
        base: kept
        for base, tested in groups.items()
        if (kept := tuple(t for t in tested if t not in without_data))
    }
    if not groups:
        return (), (
            "no catalyst (signal) strategy shares its ticker with a buy-and-hold strategy "
            "(or set statistics.spa_benchmark)"
        )
    results = tuple(
        spa_test(
            frame[[base, *tested]],
            base,
            seed=config.seed,
            strategies=list(tested),
            reps=stats.bootstrap_reps,
            level=1 - stats.confidence,
            min_block=stats.min_block_days,
        )
        for base, tested in groups.items()
    )
    return results, ""
