"""The permutation p-value never gains from a null draw that has no statistic."""

from __future__ import annotations

import numpy as np
import pytest

from catalystlab.analysis.ledger.permutation import _p_value


def test_p_value_counts_draws_at_or_above_the_observed():
    null = np.array([[0.1, -1.0], [0.3, 0.0], [0.2, 0.5], [-0.1, -0.2]])
    # column 0: 0.3 and 0.2 are at or above 0.2 -> (1 + 2) / 5; column 1: none above 0.6.
    np.testing.assert_allclose(_p_value(null, np.array([0.2, 0.6])), [3 / 5, 1 / 5])


def test_a_draw_without_a_statistic_counts_against_the_caller():
    null = np.array([[0.1], [np.nan], [0.5]])
    # Only 0.5 is above 0.3; the NaN draw counts as above too: (1 + 2) / 4, not (1 + 1) / 4.
    assert _p_value(null, np.array([0.3]))[0] == pytest.approx(3 / 4)


def test_no_observed_statistic_has_no_p_value():
    assert np.isnan(_p_value(np.array([[0.1], [0.2]]), np.array([np.nan]))[0])
