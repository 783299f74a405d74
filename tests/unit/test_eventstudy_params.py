"""Event-study parameters: defaults, YAML lists, labels and every refused value."""

from __future__ import annotations

import pytest

from catalystlab.analysis.eventstudy import EventStudyParams, window_label
from catalystlab.core.errors import BadInputError


def test_defaults_follow_the_issue() -> None:
    params = EventStudyParams()
    assert params.estimation == (-250, -30)
    assert params.windows == ((-1, 1), (0, 5), (0, 20), (0, 60))
    # Placebo days keep the span of the windows (-1 .. +60) from every real event day.
    assert params.exclusion == 61
    # Half of the 221 estimation days, rounded up.
    assert params.min_obs == 111
    assert EventStudyParams(min_estimation_days=200).min_obs == 200
    assert EventStudyParams(placebo_exclusion=5).exclusion == 5


def test_lists_from_yaml_become_tuples() -> None:
    params = EventStudyParams(estimation=[-120, -20], windows=[[0, 1], [0, 10]])
    assert params.estimation == (-120, -20)
    assert params.windows == ((0, 1), (0, 10))
    assert params.min_obs == 51
    hash(params)


def test_window_labels() -> None:
    assert [window_label(w) for w in EventStudyParams().windows] == [
        "[-1,+1]",
        "[0,+5]",
        "[0,+20]",
        "[0,+60]",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"estimation": (-30, -250)}, "start before it ends"),
        ({"windows": ()}, "at least one"),
        ({"windows": ((5, 0),)}, "not end before"),
        ({"windows": ((-40, 5),)}, "end before the event window"),
        ({"windows": ((0, "x"),)}, "two whole"),
        ({"windows": ((0, 1, 2),)}, "two whole"),
        ({"estimation": (-10.5, -2)}, "two whole"),
        ({"min_estimation_days": 4}, "min_estimation_days"),
        ({"min_estimation_days": 222}, "min_estimation_days"),
        ({"placebo_draws": -1}, "placebo_draws"),
        ({"placebo_exclusion": -1}, "placebo_exclusion"),
    ],
)
def test_bad_values_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        EventStudyParams(**kwargs)
