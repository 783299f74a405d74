"""Hansen's SPA test: a planted outperformer is found, pure noise is not, seeds repeat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.stats.spa import spa_test
from catalystlab.core.errors import BadInputError

DAYS = pd.bdate_range("2018-01-01", periods=1500, name="Date")


def returns(seed: int, *, edge: float) -> pd.DataFrame:
    """Buy-and-hold plus five strategies = it + zero-mean noise; 'planted' adds ``edge`` a day."""
    rng = np.random.default_rng(seed)
    hold = rng.normal(0.0004, 0.012, len(DAYS))
    frame = {"buy_and_hold": hold}
    for i in range(5):
        frame[f"noise_{i}"] = hold + rng.normal(0.0, 0.006, len(DAYS))
    frame["planted"] = hold + edge + rng.normal(0.0, 0.006, len(DAYS))
    return pd.DataFrame(frame, index=DAYS)


def test_planted_outperformer_gives_a_small_p_value_and_is_named() -> None:
    result = spa_test(returns(0, edge=0.0015), "buy_and_hold", seed=1, reps=500)
    assert result.pvalue_consistent < 0.01
    assert result.pvalue_lower <= result.pvalue_consistent <= result.pvalue_upper
    assert "planted" in result.better
    assert not any(name.startswith("noise") for name in result.better)
    assert result.strategies == ("noise_0", "noise_1", "noise_2", "noise_3", "noise_4", "planted")


def test_pure_noise_gives_large_p_values() -> None:
    # Null true for every strategy; over several independent data sets none rejects at 5%.
    for seed in range(5):
        result = spa_test(returns(100 + seed, edge=0.0), "buy_and_hold", seed=seed, reps=500)
        assert result.pvalue_consistent > 0.05
        assert result.better == ()


def test_same_seed_same_p_values() -> None:
    data = returns(7, edge=0.0004)
    first = spa_test(data, "buy_and_hold", seed=3, reps=300)
    assert spa_test(data, "buy_and_hold", seed=3, reps=300) == first
    assert first.block_size >= 1 and first.reps == 300


def test_a_subset_of_strategies_can_be_tested() -> None:
    result = spa_test(
        returns(0, edge=0.0015), "buy_and_hold", seed=1, reps=300, strategies=["noise_0"]
    )
    assert result.strategies == ("noise_0",)
    assert result.pvalue_consistent > 0.05


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"benchmark": "SPY"}, "not among"),
        ({"benchmark": "buy_and_hold", "strategies": ["nope"]}, "cannot be used"),
        ({"benchmark": "buy_and_hold", "strategies": ["buy_and_hold"]}, "cannot be used"),
        ({"benchmark": "buy_and_hold", "level": 5.0}, "level"),
    ],
)
def test_bad_inputs_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        spa_test(returns(0, edge=0.0), seed=0, reps=100, **kwargs)


def test_missing_values_are_refused() -> None:
    data = returns(0, edge=0.0)
    data.iloc[3, 2] = np.nan
    with pytest.raises(BadInputError, match="missing values"):
        spa_test(data, "buy_and_hold", seed=0, reps=100)


def test_the_block_length_has_the_intervals_floor_on_daily_returns() -> None:
    frame = returns(3, edge=0.0)  # white-noise differences: the estimator asks for 1-3 days
    automatic = spa_test(frame, "buy_and_hold", seed=1, reps=200, min_block=1).block_size
    assert automatic < 10
    assert spa_test(frame, "buy_and_hold", seed=1, reps=200).block_size == 10
    assert spa_test(frame, "buy_and_hold", seed=1, reps=200, block_size=4).block_size == 4
