"""Fuzzing the command line (issues 11 and 17): valid configs, price CSVs, fundamentals and
events files, ledger files, sweep grids and ``data import`` folders, mutated by hypothesis,
run through ``catalystlab.cli.main`` as ``runner.py`` does. Every case ends in exit 0, 2 or 3
with no traceback and without hanging; a failed run writes nothing, a successful one exactly
one results folder; an import stores every file or none.

Tearsheets are left out (their worker processes take seconds each and are tested on their
own); the examples are bounded so that the whole file stays within about a minute.
"""

from __future__ import annotations

import copy
import csv
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


# --- issue 17: ledger files, sweep grids and data import folders ------------------------------


def _command(argv: list[str], out: Path | None) -> tuple[int, str]:
    """``runner.py ARGV``: exit 0, 2 or 3, no traceback; with ``out``, a success wrote exactly
    one complete results folder there and a failure nothing."""
    err = io.StringIO()
    with hang_guard(120), redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main(argv)
    message = err.getvalue()
    assert code in (0, 2, 3), message
    assert "Traceback" not in message
    if code != 0:
        assert "error:" in message
    if out is not None:
        written = sorted(out.iterdir()) if out.exists() else []
        if code == 0:
            assert len(written) == 1 and (written[0] / "summary.json").is_file(), message
        else:
            assert written == [], message
    return code, message


LEDGER_HEADER = ["id", "ticker", "date", "window_start", "window_end", "stance", "horizons"]
LEDGER_ROW = ["c", "AAA", "2019-02-01", "", "", "buy", "1"]
LEDGER_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "#1",
            "# x",
            "AAA",
            "SPY",
            "ZZZ",
            "aaa",
            "../x",
            "buy",
            "SELL",
            "hold",
            "2019-03-01",
            "1985-01-02",
            "2099-01-01",
            "2019-02-30",
            "1;3",
            "²",
            "0",
            "601",
            "99999999",
            "1e308",
            '"',
            "a,b",
            "x" * 2_500,
        ]
    ),
    st.text(max_size=8),
)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=st.lists(
        st.lists(st.tuples(st.integers(0, len(LEDGER_ROW) - 1), LEDGER_CELLS), max_size=2),
        min_size=1,
        max_size=3,
    ),
    comments=st.lists(st.integers(0, 5), max_size=2),
    as_yaml=st.booleans(),
)
def test_mutated_ledger_files_end_cleanly(workspace, rows, comments, as_yaml):
    case = workspace / "ledger_case"
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir()
    calls = []
    for number, changes in enumerate(rows):
        cells = [f"c{number}", *LEDGER_ROW[1:]]
        for column, value in changes:
            cells[column] = value
        calls.append(cells)
    if as_yaml:
        path = case / "calls.yaml"
        document = {"calls": [dict(zip(LEDGER_HEADER, c, strict=True)) for c in calls]}
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    else:
        path = case / "calls.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(LEDGER_HEADER)
        writer.writerows(calls)
        lines = buffer.getvalue().splitlines()
        for position in comments:
            lines.insert(min(position, len(lines)), "# a comment, with commas")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = case / "results"
    argv = ["ledger", str(path), "--data-dir", str(workspace / "data"), "--offline"]
    argv += ["--out", str(out), "--draws", "20", "--reps", "20", "--benchmark", "SPY"]
    _command(argv, out)


GRID_KEYS = st.sampled_from(
    [
        "layoffs.hold_days",
        "layoffs.min_headcount",
        "margin.threshold",
        "margin.measure",
        "capex.threshold",
        "nosuch.x",
        "layoffs.nosuch",
        "layoffs",
        "",
    ]
)
GRID_VALUES = st.one_of(
    st.lists(
        st.one_of(st.integers(-3, 400), st.sampled_from([0.0, 0.02, 0.5, "margin_change", None])),
        max_size=3,
    ),
    st.just(list(range(1, 200))),  # many values: with another axis, more than --max-trials
    ODD,
)


def _fake_tearsheet(returns, benchmark, path, *, title):
    """Stands in for quantstats (tested in test_tearsheets.py) in the sweep's workers."""
    path.write_text("<title>t</title>")
    return path


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    changes=st.lists(st.tuples(GRID_KEYS, GRID_VALUES), max_size=2),
    extra=st.lists(st.sampled_from(["SPY", "ZZZ", "a/b"]), max_size=1),
    allow=st.booleans(),
)
def test_mutated_sweep_grids_end_cleanly(workspace, monkeypatch, changes, extra, allow):
    from catalystlab.report import sweep as sweep_report

    monkeypatch.setattr(sweep_report, "write_tearsheet", _fake_tearsheet)
    grid = {"layoffs.hold_days": [5, 20], **dict(changes)}  # a valid grid, mutated
    tickers = ["AAA", *extra]
    case = workspace / "sweep_case"
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir()
    config = {
        "name": "fuzz_sweep",
        "allow_missing_data": allow,
        "signal_data": {
            "fundamentals": str(workspace / "fundamentals.csv"),
            "events": [str(workspace / "events.csv")],
        },
        "sweep": {
            "tickers": tickers,
            "grid": grid,
            "top_k": 1,
            "walk_forward": {"in_sample_days": 60, "out_of_sample_days": 30},
        },
    }
    path = case / "sweep.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    out = case / "results"
    argv = ["sweep", str(path), "--data-dir", str(workspace / "data"), "--offline"]
    argv += ["--out", str(out), "--workers", "1", "--max-trials", "300"]
    _command(argv, out)


IMPORT_NAMES = st.sampled_from(["AAA", "^GSPC", "BRK-B", "aaa", "A B", "..", "X" * 40, "ok"])


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    files=st.dictionaries(
        IMPORT_NAMES,
        st.lists(
            st.tuples(
                st.integers(0, 29),
                st.sampled_from(["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"]),
                PRICE_CHANGES,
            ),
            max_size=2,
        ),
        min_size=1,
        max_size=3,
    ),
    empty=st.booleans(),
)
def test_data_import_folders_import_all_or_nothing(workspace, files, empty):
    case = workspace / "import_case"
    shutil.rmtree(case, ignore_errors=True)
    folder = case / "incoming"
    folder.mkdir(parents=True)
    for seed, (name, cells) in enumerate(files.items()):
        frame = synthetic_prices(seed=seed, days=30)
        frame.insert(4, "Adj Close", frame["Close"])
        frame = frame.reset_index().astype(str)
        for row, column, value in cells:
            frame.loc[row, column] = value
        frame.to_csv(folder / f"{name}.csv", index=False)
    if empty:
        (folder / "EMPTY.csv").write_text("")
    cache = case / "cache"
    code, _ = _command(["data", "import", str(folder), "--cache-dir", str(cache)], None)
    stored = sorted(p.stem for p in (cache / "prices").glob("*.parquet")) if cache.exists() else []
    names = sorted(p.stem for p in folder.glob("*.csv"))
    assert stored == (names if code == 0 else [])
