"""Fuzzing the command line (issue 11): valid configs, price CSVs, fundamentals and events
files, mutated by hypothesis, run through ``catalystlab.cli.main`` as ``runner.py run`` does.
Every case ends in exit 0, 2 or 3 with no traceback and without hanging; a failed run writes
nothing, a successful one exactly one results folder.

Tearsheets are left out (their worker processes take seconds each and are tested on their
own); the examples are bounded so that the whole file stays within about a minute.
"""

from __future__ import annotations

import copy
import io
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import synthetic_prices, write_price_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalystlab.cli import main
from catalystlab.report.tearsheet_batch import TearsheetBatch

DAYS = 160
EVENTS = pd.DataFrame(
    {
        "ticker": ["AAA", "AAA", "AAA"],
        "kind": ["layoff"] * 3,
        "event_date": ["2019-02-12", "2019-04-03", "2019-06-20"],
        "timing": ["unknown", "after_close", "intraday"],
        "headcount": ["1000", "", "250"],
        "pct": ["0.05", "", ""],
        "value_usd_bn": ["", "", ""],
        "status": ["report", "official", "report"],
        "description": ["cuts", "more cuts", "a team"],
        "source": ["https://example.com/a"] * 3,
        "confidence": ["confirmed", "single_source", "confirmed"],
    }
)
FUNDAMENTALS = pd.DataFrame(
    [
        {
            "ticker": "AAA",
            "metric": metric,
            "fiscal_period": f"{year}Q{q}",
            "period_end": str(pd.Timestamp(year=year, month=3 * q, day=1) + pd.offsets.MonthEnd(0))[
                :10
            ],
            "value": str(value),
            "public_date": str(
                pd.Timestamp(year=year, month=3 * q, day=1)
                + pd.offsets.MonthEnd(0)
                + pd.Timedelta(days=30)
            )[:10],
            "timing": "after_close",
            "source": "test",
        }
        for year in (2016, 2017, 2018, 2019)
        for q in (1, 2, 3, 4)
        for metric, value in (("revenue", 1000 + 10 * q), ("operating_income", 50 + 3 * q))
    ]
)
CONFIG = {
    "name": "fuzz",
    "start": "2019-01-02",
    "cash": 10000,
    "benchmark": "SPY",
    "costs": {"commission": 0.0005, "slippage": 0.0005},
    "signal_data": {"fundamentals": "FUNDAMENTALS", "events": ["EVENTS"]},
    "statistics": {"bootstrap_reps": 100},
    "strategies": [
        {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
        {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "SPY": 0.5}},
        {
            "id": "layoffs_aaa",
            "kind": "signal",
            "signal": "layoffs",
            "ticker": "AAA",
            "signal_params": {"hold_days": 10},
        },
        {"id": "margin_aaa", "kind": "signal", "signal": "margin", "ticker": "AAA"},
    ],
}

# Values a careless or hostile user writes where any value goes.
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "../../etc/passwd", "A" * 300, "2019-02-30", "1e308", "[" * 200]),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(-5, 5), max_size=2),
)


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: not a speed measurement."""

    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    for seed, ticker in enumerate(("AAA", "SPY")):
        write_price_csv(
            synthetic_prices(seed=seed, days=DAYS), folder / "data/prices" / f"{ticker}.csv"
        )
    EVENTS.to_csv(folder / "events.csv", index=False)
    FUNDAMENTALS.to_csv(folder / "fundamentals.csv", index=False)
    return folder


@pytest.fixture(autouse=True)
def _no_tearsheets(monkeypatch):
    monkeypatch.setattr(TearsheetBatch, "submit", lambda self, run, benchmark: None)


def _run(workspace: Path, config: dict | str, data: Path | None = None) -> int:
    """``runner.py run`` into a fresh --out; checks the exit code, the absence of a traceback
    and what was written."""
    case = workspace / "case"
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir()
    text = config if isinstance(config, str) else yaml.safe_dump(config, allow_unicode=True)
    text = text.replace("FUNDAMENTALS", str(workspace / "fundamentals.csv"))
    text = text.replace("EVENTS", str(workspace / "events.csv"))
    (case / "run.yaml").write_text(text)
    out = case / "results"
    err = io.StringIO()
    args = ["run", str(case / "run.yaml"), "--out", str(out)]
    args += ["--data-dir", str(data or workspace / "data"), "--offline"]
    args += ["--cache-dir", str(case / "cache")]
    with hang_guard(120), redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main(args)
    message = err.getvalue()
    assert code in (0, 2, 3), message
    assert "Traceback" not in message
    written = sorted(out.iterdir()) if out.exists() else []
    if code == 0:
        assert len(written) == 1 and (written[0] / "summary.json").is_file()
    else:
        assert written == [], message
        assert "error:" in message
    return code


def test_the_unmutated_inputs_run(workspace):
    assert _run(workspace, CONFIG) == 0


def _paths(node, prefix=()) -> list[tuple]:
    """Every key path of a nested config (lists by position)."""
    found = []
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        found.append((*prefix, key))
        if isinstance(value, dict | list) and value:
            found += _paths(value, (*prefix, key))
    return found


PATHS = _paths(CONFIG)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(st.tuples(st.sampled_from(PATHS), ODD), min_size=1, max_size=2),
    drop=st.booleans(),
)
def test_mutated_configs_end_cleanly(workspace, changes, drop):
    config = copy.deepcopy(CONFIG)
    for path, value in changes:
        target = config
        try:
            for key in path[:-1]:
                target = target[key]
            if drop and isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent
    _run(workspace, config)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`\n ,?0.1")), max_size=200))
def test_arbitrary_yaml_ends_cleanly(workspace, text):
    _run(workspace, text)


PRICE_CHANGES = st.sampled_from(
    ["nan", "inf", "-inf", "0", "-1", "1e308", "abc", "", "1e-300", "2019-13-45"]
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cells=st.lists(
        st.tuples(
            st.integers(0, DAYS - 1),
            st.sampled_from(["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"]),
            PRICE_CHANGES,
        ),
        min_size=1,
        max_size=3,
    ),
    drop_column=st.one_of(st.none(), st.sampled_from(["Close", "Adj Close", "Volume", "Date"])),
    shuffle=st.booleans(),
)
def test_mutated_price_files_end_cleanly(workspace, cells, drop_column, shuffle):
    data = workspace / "mutated_data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(workspace / "data", data)
    path = data / "prices" / "AAA.csv"
    frame = pd.read_csv(path, dtype=str)
    for row, column, value in cells:
        frame.loc[row, column] = value
    if drop_column:
        frame = frame.drop(columns=drop_column)
    if shuffle:
        frame = frame.sample(frac=1.0, random_state=0)
    frame.to_csv(path, index=False)
    _run(workspace, CONFIG, data=data)


def _mutated_table(original: pd.DataFrame, cells, path: Path) -> None:
    frame = original.copy()
    for row, column, value in cells:
        frame.loc[row % len(frame), column] = value
    frame.to_csv(path, index=False)


TABLE_VALUES = st.one_of(
    st.sampled_from(
        ["", "nan", "inf", "-5", "0", "1900-01-01", "2099-12-31", "../x", "A" * 300, "zz"]
    ),
    st.text(max_size=12),
)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cells=st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from(list(FUNDAMENTALS.columns)), TABLE_VALUES),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_fundamentals_end_cleanly(workspace, cells):
    original = workspace / "fundamentals.csv"
    kept = original.read_bytes()
    try:
        _mutated_table(FUNDAMENTALS, cells, original)
        _run(workspace, CONFIG)
    finally:
        original.write_bytes(kept)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cells=st.lists(
        st.tuples(st.integers(0, 10), st.sampled_from(list(EVENTS.columns)), TABLE_VALUES),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_events_end_cleanly(workspace, cells):
    original = workspace / "events.csv"
    kept = original.read_bytes()
    try:
        _mutated_table(EVENTS, cells, original)
        _run(workspace, CONFIG)
    finally:
        original.write_bytes(kept)


def test_fuzz_inputs_are_what_they_claim():
    assert np.all(
        pd.to_datetime(FUNDAMENTALS["public_date"]) > pd.to_datetime(FUNDAMENTALS["period_end"])
    )
