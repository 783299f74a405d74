"""The SPA sentence names what it tested: a config's rules, a user's cerebro's strategies,
counted in the singular for one (``report.verdicts.spa_sentence``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from catalystlab.analysis.stats.spa import spa_test
from catalystlab.report.verdicts import _one_spa


def _spa(columns: list[str]):
    rng = np.random.default_rng(3)
    index = pd.bdate_range("2021-01-01", periods=300)
    frame = pd.DataFrame({name: rng.normal(0.0, 0.01, len(index)) for name in columns}, index)
    return spa_test(frame, "hold", seed=1, reps=100)


@pytest.mark.parametrize(
    ("columns", "noun", "said"),
    [
        (["hold", "a"], "rules", "SPA test of 1 rule (a) "),
        (["hold", "a", "b"], "rules", "SPA test of 2 rules (a, b) "),
        (["hold", "a"], "strategies", "SPA test of 1 strategy (a) "),
        (["hold", "a", "b"], "strategies", "SPA test of 2 strategies (a, b) "),
    ],
)
def test_the_spa_sentence_counts_what_it_tested(columns, noun, said):
    assert said in _one_spa(_spa(columns), noun=noun)


def test_the_default_noun_is_a_configs_rules():
    assert "SPA test of 2 rules (a, b) " in _one_spa(_spa(["hold", "a", "b"]))


def test_one_strategy_that_does_not_beat_the_benchmark_is_not_called_a_search():
    sentence = _one_spa(_spa(["hold", "a"]), noun="strategies")
    assert sentence.endswith("; it does not beat it.")
    assert "none of them" not in sentence and "search" not in sentence


def test_the_claims_sentence_counts_every_claim_and_calls_none_unchecked_checkable():
    from catalystlab.report.verdicts import audit_sentence

    audit = pd.DataFrame(
        {
            "claim": ["a", "b", "c"],
            "verdict": ["confirmed", "partly", "not in data"],
        }
    )
    text = audit_sentence(audit)
    assert text.startswith("Of the article's 3 claims in the claims file, the data give: ")
    assert "1 confirmed, 1 partly, 1 not in data" in text and "checkable" not in text
    assert "Of the article's 1 claim in" in audit_sentence(audit.iloc[:1])
