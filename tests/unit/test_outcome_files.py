"""The run kept as data: any value of the kinds an outcome holds reads back equal, and a file
that names anything but data is refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalystlab.analysis.call.stance import Stance
from catalystlab.core.hashing import file_sha256
from catalystlab.report import outcome_files
from catalystlab.report.outcome_files import UnreadableOutcome

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates().map(lambda d: d),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)).map(pd.Timestamp),
    st.sampled_from(list(Stance)),
    st.integers(-100, 100).map(np.int64),
    st.floats(allow_nan=False, width=32).map(np.float32),
)


def _frames() -> st.SearchStrategy[pd.DataFrame]:
    def build(rows: int, names: list[str], seed: int) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        frame = pd.DataFrame(
            {
                "x": rng.normal(size=rows),
                "n": rng.integers(0, 9, rows),
                "text": [names[i % len(names)] for i in range(rows)],
                "day": [dt.date(2020, 1, 1 + i % 28) for i in range(rows)],
            },
            index=pd.bdate_range("2021-01-04", periods=rows, name="Date", unit="s"),
        )
        return frame.set_axis([2, "two words", ("a", 1), None], axis=1)

    return st.builds(
        build, st.integers(0, 12), st.lists(st.text(max_size=8), min_size=1), st.integers(0, 9)
    )


_VALUES = st.recursive(
    st.one_of(_SCALARS, _frames(), _frames().map(lambda f: f.iloc[:, 0].rename("s"))),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers(), st.dates()), inner),
    ),
    max_leaves=12,
)


def _same(left: object, right: object) -> None:
    assert type(left) is type(right)
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right, check_exact=True, check_freq=True)
    elif isinstance(left, pd.Series):
        pd.testing.assert_series_equal(left, right, check_exact=True, check_freq=True)
    elif isinstance(left, dict):
        assert list(left) == list(right)
        for key in left:
            _same(left[key], right[key])
    elif isinstance(left, (list, tuple)):
        assert len(left) == len(right)
        for a, b in zip(left, right, strict=True):
            _same(a, b)
    elif isinstance(left, (float, np.floating)) and np.isnan(left):
        assert np.isnan(right)
    else:
        assert left == right


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_VALUES)
def test_every_value_reads_back_equal(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("kept")
    outcome_files.save(value, folder)
    assert {p.suffix for p in folder.iterdir()} <= {".json", ".parquet"}
    _same(outcome_files.load(folder), value)


def test_a_value_that_is_not_data_is_not_kept(tmp_path):
    with pytest.raises(TypeError, match="cannot keep a builtin_function_or_method as data"):
        outcome_files.save({"f": print}, tmp_path)
    with pytest.raises(TypeError, match="cannot keep a function as data"):
        outcome_files.save([lambda: None], tmp_path / "x")


def _forged(tmp_path: Path, document: object) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / outcome_files.STRUCTURE_FILE).write_text(json.dumps(document))
    return tmp_path


@pytest.mark.parametrize(
    "document",
    [
        {"$": "dataclass", "class": "subprocess:Popen", "fields": {"args": "touch x"}},
        {"$": "dataclass", "class": "catalystlab.pipeline.outcome:StrategyRun", "fields": {}},
        {"$": "class", "name": "builtins:eval"},
        # third-party classes reached through a project module's imports
        {"$": "class", "name": "catalystlab.report.outcome_files:pd.DataFrame"},
        {"$": "enum", "class": "catalystlab.report.rich_text:re.RegexFlag", "name": "IGNORECASE"},
        {
            "$": "model",
            "class": "catalystlab.report.outcome_files:BaseModel",
            "value": {},
            "private": {"$": "dict", "items": []},
        },
        {"$": "enum", "class": "os:environ", "name": "PATH"},
        {"$": "model", "class": "catalystlab.api:run", "value": {}, "private": None},
        {"$": "array", "dtype": "|O", "shape": [1], "values": ["x"]},
        {"$": "table", "kind": "DataFrame", "file": "../x.parquet", "name": None},
        {"$": "reduce", "callable": "os:system", "args": ["touch x"]},
        "not json {",
    ],
)
def test_a_forged_file_is_refused(tmp_path, document):
    folder = _forged(tmp_path / "kept", document)
    if document == "not json {":
        (folder / outcome_files.STRUCTURE_FILE).write_text(document)
    with pytest.raises(UnreadableOutcome):
        outcome_files.load(folder)
    assert not (Path.cwd() / "x").exists()


def test_with_digests_only_the_recorded_bytes_are_read(tmp_path):
    frame = pd.DataFrame({"x": [1.5, -2.0]})
    outcome_files.save({"t": frame}, tmp_path)
    digests = {p.name: file_sha256(p) for p in tmp_path.iterdir()}
    assert outcome_files.load(tmp_path, digests)["t"].equals(frame)
    frame.assign(x=[1.5, 99.0]).to_parquet(tmp_path / "table-0.parquet")  # a changed number
    with pytest.raises(UnreadableOutcome, match=r"table-0\.parquet is not the file its manifest"):
        outcome_files.load(tmp_path, digests)
    with pytest.raises(UnreadableOutcome, match=r"outcome\.json is not the file its manifest"):
        outcome_files.load(tmp_path, {})


def test_a_structure_file_larger_than_a_run_is_not_read(tmp_path, monkeypatch):
    outcome_files.save({"kept": list(range(100))}, tmp_path)
    monkeypatch.setattr(outcome_files, "MAX_STRUCTURE_BYTES", 100)
    with pytest.raises(UnreadableOutcome, match="more than a run"):
        outcome_files.load(tmp_path)
