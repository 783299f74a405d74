"""Hansen's test of Superior Predictive Ability: does ANY strategy beat the benchmark?

Null hypothesis: no strategy in the set has a higher expected daily return than the benchmark
strategy (for example buy-and-hold). Testing the best of many strategies this way accounts
for having looked at all of them (White's Reality Check, sharpened by Hansen 2005 with
studentised statistics and recentring). The test runs on daily returns as fractions, with
loss = -return, through ``arch.bootstrap.SPA`` (stationary bootstrap, studentised).

The three p-values differ in how poor strategies are recentred (Hansen 2005): ``lower``
never penalises them, ``upper`` is White's Reality Check (conservative), ``consistent`` is
Hansen's recommended one. The mean block length is
:func:`catalystlab.analysis.stats.bootstrap.block_length` of the daily return differences, at
least ``MIN_BLOCK_DAYS`` (10 trading days, as for the intervals), unless given; ``seed`` makes
the result reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from catalystlab.analysis.stats.bootstrap import MIN_BLOCK_DAYS, block_length
from catalystlab.analysis.stats.relative import check_returns_frame
from catalystlab.core.errors import BadInputError


@dataclass(frozen=True)
class SPAResult:
    """SPA p-values and the strategies found better than the benchmark at ``level``.

    ``better`` holds the strategies whose mean return difference exceeds the consistent
    critical value at ``level``; it is empty when the test does not reject. ``identical``
    holds the strategies whose daily returns equal the benchmark's on every day: they cannot
    beat it, and are left out of the bootstrap (a zero difference has no variance to
    studentise by, which would give a p-value of 0). When every strategy is identical the
    p-values are 1.
    """

    benchmark: str
    strategies: tuple[str, ...]
    pvalue_lower: float
    pvalue_consistent: float
    pvalue_upper: float
    better: tuple[str, ...]
    level: float
    block_size: int
    reps: int
    identical: tuple[str, ...] = ()


def spa_test(
    returns: pd.DataFrame,
    benchmark: str,
    *,
    seed: int,
    strategies: Sequence[str] | None = None,
    reps: int = 1000,
    level: float = 0.05,
    block_size: int | None = None,
    min_block: int = MIN_BLOCK_DAYS,
) -> SPAResult:
    """SPA test of ``strategies`` (default: every other column) against column ``benchmark``.

    ``block_size`` fixes the mean block length; otherwise it is the estimator's, at least
    ``min_block`` trading days (the floor the bootstrap intervals use)."""
    check_returns_frame(returns, benchmark)
    names = [c for c in returns.columns if c != benchmark] if strategies is None else strategies
    unknown = [name for name in names if name not in returns.columns or name == benchmark]
    if unknown or not names:
        raise BadInputError(
            f"The SPA test needs strategies other than the benchmark among the return columns; "
            f"{unknown or 'none'} cannot be used."
        )
    if not 0.0 < level < 1.0:
        raise BadInputError(f"The SPA test's level must lie in (0, 1), got {level}.")
    base = returns[benchmark]
    identical = tuple(str(n) for n in names if bool((returns[n] - base).abs().max() == 0.0))
    tested = [name for name in names if str(name) not in identical]
    if not tested:
        return SPAResult(
            benchmark=benchmark,
            strategies=tuple(str(name) for name in names),
            pvalue_lower=1.0,
            pvalue_consistent=1.0,
            pvalue_upper=1.0,
            better=(),
            level=level,
            block_size=block_size or 1,
            reps=reps,
            identical=identical,
        )
    from arch.bootstrap import SPA  # here, not above: loading a run's results needs no arch

    models = returns[tested]
    block = block_size or max(min_block, block_length(*(models[name] - base for name in tested)))
    test = SPA(-base, -models, block_size=block, reps=reps, seed=seed)
    test.compute()
    pvalues = test.pvalues
    better = tuple(
        str(tested[i]) for i in test.better_models(pvalue=level, pvalue_type="consistent")
    )
    return SPAResult(
        benchmark=benchmark,
        strategies=tuple(str(name) for name in names),
        pvalue_lower=float(pvalues["lower"]),
        pvalue_consistent=float(pvalues["consistent"]),
        pvalue_upper=float(pvalues["upper"]),
        better=better,
        level=level,
        block_size=block,
        reps=reps,
        identical=identical,
    )
