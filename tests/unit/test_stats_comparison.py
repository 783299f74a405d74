"""The comparison table: hand-computed cells, benchmark row, ranking, seeds, bad inputs."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.stats.comparison import METRIC_COLUMNS, comparison_table
from catalystlab.analysis.stats.performance import sharpe
from catalystlab.analysis.stats.sharpe_significance import dsr
from catalystlab.core.errors import BadInputError

# Monday 2024-01-01 .. Friday 2024-01-12: ten trading days.
DAYS = pd.bdate_range("2024-01-01", periods=10, name="Date")
S = [0.01, -0.02, 0.015, 0.0, 0.02, -0.01, 0.005, 0.01, -0.005, 0.012]
B = [0.005, -0.01, 0.01, 0.002, 0.01, -0.012, 0.0, 0.008, -0.004, 0.006]
SMALL = pd.DataFrame({"strategy": S, "SPY": B}, index=DAYS)


def hand_metrics(r: list[float], b: list[float]) -> dict[str, float]:
    """Every deterministic metric written out with the standard library only."""
    growth = math.prod(1 + x for x in r)
    # Calendar time from the entry (Sunday 2023-12-31, one day before the first) to 2024-01-12.
    cagr = growth ** (365.25 / 12) - 1
    mean, sd = statistics.mean(r), statistics.stdev(r)
    equity, peak, worst = 1.0, 1.0, 0.0
    for x in r:
        equity *= 1 + x
        peak = max(peak, equity)
        worst = min(worst, equity / peak - 1)
    downside = math.sqrt(sum(min(x, 0.0) ** 2 for x in r) / len(r)) * math.sqrt(252)
    mb = statistics.mean(b)
    beta = sum((x - mean) * (y - mb) for x, y in zip(r, b, strict=True)) / sum(
        (y - mb) ** 2 for y in b
    )
    active = [x - y for x, y in zip(r, b, strict=True)]
    return {
        "total_return": growth - 1,
        "cagr": cagr,
        "volatility": sd * math.sqrt(252),
        "sharpe": mean / sd * math.sqrt(252),
        "sortino": mean * 252 / downside,
        "max_drawdown": worst,
        "calmar": cagr / abs(worst),
        "beta": beta,
        "alpha": (mean - beta * mb) * 252,
        "information_ratio": statistics.mean(active) / statistics.stdev(active) * math.sqrt(252),
        "hit_rate": sum(x > 0 for x in r) / len(r),
        "excess_return": statistics.mean(active) * 252,
        "sharpe_diff": (mean / sd - mb / statistics.stdev(b)) * math.sqrt(252),
    }


def test_cells_match_hand_computations() -> None:
    table = comparison_table(SMALL, "SPY", n_trials=1, seed=0, reps=200)
    row = table.loc["strategy"]
    for column, expected in hand_metrics(S, B).items():
        assert row[column] == pytest.approx(expected, rel=1e-9), column
    assert row["excess_return_lo"] < row["excess_return"] < row["excess_return_hi"]
    assert row["sharpe_diff_lo"] < row["sharpe_diff"] < row["sharpe_diff_hi"]


def test_layout_and_benchmark_row() -> None:
    table = comparison_table(SMALL, "SPY", n_trials=1, seed=0, reps=200)
    assert list(table.columns) == list(METRIC_COLUMNS)
    assert table.index.name == "strategy"
    assert sorted(table.index) == ["SPY", "strategy"]
    spy = table.loc["SPY"]
    assert spy["beta"] == pytest.approx(1.0)
    assert spy["alpha"] == pytest.approx(0.0, abs=1e-12)
    # PSR defaults to the benchmark's Sharpe as the bar, so the benchmark itself reads 0.5.
    assert spy["psr"] == pytest.approx(0.5)
    for column in ("information_ratio", "excess_return", "sharpe_diff_lo", "sharpe_diff_hi"):
        assert math.isnan(spy[column])


def simulated(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2019-01-01", periods=750, name="Date")
    spy = rng.normal(0.0004, 0.01, len(days))
    return pd.DataFrame(
        {
            "SPY": spy,
            "good": spy + 0.0008 + rng.normal(0, 0.004, len(days)),
            "meh": spy + rng.normal(0, 0.004, len(days)),
            "bad": spy - 0.0008 + rng.normal(0, 0.004, len(days)),
        },
        index=days,
    )


def test_ranked_by_dsr_then_sharpe() -> None:
    table = comparison_table(simulated(), "SPY", n_trials=10, seed=1, reps=200)
    assert list(table["rank"]) == [1, 2, 3, 4]
    assert table.index[0] == "good" and table.index[-1] == "bad"
    dsrs = table["dsr"].to_numpy()
    assert all(dsrs[:-1] >= dsrs[1:])


def test_saturated_dsr_ties_are_broken_by_sharpe() -> None:
    rng = np.random.default_rng(5)
    days = pd.bdate_range("2020-01-01", periods=500)
    frame = pd.DataFrame(
        {
            "SPY": rng.normal(0.0, 0.01, 500),
            "strong": rng.normal(0.02, 0.01, 500),
            "stronger": rng.normal(0.03, 0.01, 500),
        },
        index=days,
    )
    table = comparison_table(frame, "SPY", n_trials=2, seed=0, reps=100)
    assert table.loc["strong", "dsr"] == table.loc["stronger", "dsr"] == 1.0
    assert list(table.index[:2]) == ["stronger", "strong"]


def test_dsr_counts_the_trials_and_uses_the_strategies_sharpe_ratios() -> None:
    frame = simulated()
    trials = [sharpe(frame[c]) for c in ("good", "meh", "bad")]
    table = comparison_table(frame, "SPY", n_trials=20, seed=1, reps=200)
    assert table.loc["good", "dsr"] == pytest.approx(
        dsr(frame["good"], n_trials=20, trial_sharpes=trials)
    )
    more = comparison_table(frame, "SPY", n_trials=200, seed=1, reps=200)
    assert more.loc["good", "dsr"] < table.loc["good", "dsr"]
    given = comparison_table(
        frame, "SPY", n_trials=50, seed=1, reps=200, trial_sharpes=[0.1, 0.5, 1.5, 2.0]
    )
    assert given.loc["good", "dsr"] == pytest.approx(
        dsr(frame["good"], n_trials=50, trial_sharpes=[0.1, 0.5, 1.5, 2.0])
    )


def test_psr_against_a_given_sharpe() -> None:
    table = comparison_table(simulated(), "SPY", n_trials=3, seed=1, reps=200)
    zero = comparison_table(
        simulated(), "SPY", n_trials=3, seed=1, reps=200, psr_benchmark_sharpe=0.0
    )
    assert zero.loc["SPY", "psr"] > 0.5
    assert zero.loc["meh", "psr"] != table.loc["meh", "psr"]


def test_same_seed_same_table_other_seed_other_intervals() -> None:
    frame = simulated(2)
    first = comparison_table(frame, "SPY", n_trials=5, seed=9, reps=200)
    pd.testing.assert_frame_equal(
        first, comparison_table(frame, "SPY", n_trials=5, seed=9, reps=200)
    )
    other = comparison_table(frame, "SPY", n_trials=5, seed=10, reps=200)
    assert not np.allclose(first["excess_return_lo"].dropna(), other["excess_return_lo"].dropna())
    # A row does not depend on the other columns: every bootstrap uses the same seed.
    alone = comparison_table(
        frame[["SPY", "meh"]],
        "SPY",
        n_trials=5,
        seed=9,
        reps=200,
        trial_sharpes=[sharpe(frame[c]) for c in ("good", "meh", "bad")],
    )
    assert alone.loc["meh", "sharpe_diff_lo"] == first.loc["meh", "sharpe_diff_lo"]


def test_bad_inputs_are_refused() -> None:
    frame = simulated()
    with pytest.raises(BadInputError, match="not among"):
        comparison_table(frame, "QQQ", n_trials=5, seed=0)
    with pytest.raises(BadInputError, match="only 2 trials"):
        comparison_table(frame, "SPY", n_trials=2, seed=0)
    with pytest.raises(BadInputError, match="at least two"):
        comparison_table(frame[["SPY", "good"]], "SPY", n_trials=5, seed=0)
    gappy = frame.copy()
    gappy.iloc[0, 1] = np.nan
    with pytest.raises(BadInputError, match="good have missing values"):
        comparison_table(gappy, "SPY", n_trials=5, seed=0)
    twice = pd.concat([frame, frame["good"]], axis=1)
    with pytest.raises(BadInputError, match="share a name"):
        comparison_table(twice, "SPY", n_trials=5, seed=0)
