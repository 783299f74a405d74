"""The one home of a user's dates (core/dates) and data options (inputs/options), which the
Python API and ``catalystlab.bt.feed`` share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalystlab.core.dates import user_date
from catalystlab.core.errors import BadInputError
from catalystlab.inputs.options import DataOptions, data_options


@given(st.dates())
def test_an_iso_string_and_a_date_give_the_same_date(day: dt.date) -> None:
    assert user_date(day.isoformat(), "start") == day
    assert user_date(day, "start") is day


def test_none_stays_none() -> None:
    assert user_date(None, "end") is None


@pytest.mark.parametrize("text", ["2025-13-01", "01/08/2025", "", "yesterday"])
def test_a_string_that_is_not_an_iso_date_names_the_argument_and_the_fix(text: str) -> None:
    with pytest.raises(BadInputError, match=r"^start: .* is not a date; write YYYY-MM-DD\.$"):
        user_date(text, "start")


def test_data_options_makes_paths_and_keeps_the_flags(tmp_path: Path) -> None:
    options = data_options(str(tmp_path), offline=True, cache_dir=str(tmp_path / "cache"))
    assert options == DataOptions(
        data_dir=tmp_path, offline=True, refresh=False, cache_dir=tmp_path / "cache"
    )
    assert data_options() == DataOptions()


def test_offline_with_refresh_is_refused() -> None:
    with pytest.raises(BadInputError, match="--offline and --refresh contradict each other"):
        data_options(offline=True, refresh=True)
