"""Statistics that agree with themselves (issue 11)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from catalystlab.analysis.stats.spa import spa_test
from catalystlab.report.verdicts import _one_spa


def _returns(seed: int = 0, days: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2020-01-01", periods=days)
    hold = rng.normal(0.0005, 0.01, days)
    return pd.DataFrame(
        {"hold": hold, "rule": hold.copy(), "noise": rng.normal(0.0, 0.01, days)}, index=index
    )


def test_a_rule_identical_to_the_benchmark_is_reported_as_identical_not_as_beating_it():
    returns = _returns()[["hold", "rule"]]
    spa = spa_test(returns, "hold", seed=1, reps=200)
    assert spa.identical == ("rule",)
    assert (spa.pvalue_lower, spa.pvalue_consistent, spa.pvalue_upper) == (1.0, 1.0, 1.0)
    assert spa.better == ()
    sentence = _one_spa(spa)
    assert "returned exactly what hold did every day" in sentence
    assert "0.000" not in sentence and "better" not in sentence


def test_identical_rules_are_left_out_and_the_others_tested():
    returns = _returns()
    spa = spa_test(returns, "hold", seed=1, reps=200)
    assert spa.identical == ("rule",)
    assert spa.strategies == ("rule", "noise")
    assert 0.0 < spa.pvalue_consistent <= 1.0
    assert spa.better == ()
    sentence = _one_spa(spa)
    assert "none of them beats it" in sentence and "rule returned exactly what hold" in sentence


def test_the_sentence_never_says_none_beats_it_when_the_p_value_rejects():
    returns = _returns(days=600)
    returns["edge"] = returns["hold"] + 0.004  # beats holding by 40 bp a day
    spa = spa_test(returns[["hold", "edge"]], "hold", seed=1, reps=200)
    assert spa.pvalue_consistent < spa.level
    sentence = _one_spa(spa)
    assert "none of them beats it" not in sentence
    assert "edge" in sentence
