"""Hostile and careless inputs (issue 11): each ends in one clear message and exit 2 or 3,
quickly, with nothing written."""

from __future__ import annotations

import copy
import errno
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import yaml

from catalystlab.cli import main
from catalystlab.core.errors import BadInputError, DataUnavailableError
from catalystlab.core.yamlfile import load_yaml_text
from catalystlab.report import folder as results_folder
from catalystlab.report.tearsheet_batch import TearsheetBatch

CONFIG = {
    "name": "hostile",
    "start": "2019-01-02",
    "cash": 10000,
    "benchmark": "SPY",
    "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY"]},
    "strategies": [
        {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
        {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "SPY": 0.5}},
    ],
}

BOMB = "\n".join(
    ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
)


@contextmanager
def hang_guard(*, seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a YAML bomb once ran for good): not a speed measurement."""

    def hung(signum, frame):
        raise AssertionError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def cli(tmp_path, price_folder, capsys):
    """Run ``runner.py <argv>`` with a synthetic data folder; returns (exit code, stderr)."""
    data = price_folder(("AAA", "SPY"), days=300)
    out = tmp_path / "results"

    def run(config: dict | str, *extra: str, command: str = "run") -> tuple[int, str]:
        path = tmp_path / "hostile.yaml"
        path.write_text(config if isinstance(config, str) else yaml.safe_dump(config))
        args = [command, str(path), "--data-dir", str(data), *extra]
        if "--out" not in extra:
            args += ["--out", str(out)]
        with hang_guard(seconds=60):
            code = main(args)
        err = capsys.readouterr().err.replace("\n", " ")
        assert "Traceback" not in err
        return code, err

    run.out = out
    return run


def _with(**changes) -> dict:
    config = copy.deepcopy(CONFIG)
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        target = config
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[key] = value
    return config


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (_with(strategies__0__ticker="A" * 300), "give 1 to 20 characters"),
        (_with(seed=-5), "seed: give a whole number from 0 to"),
        (_with(call__horizons_months=[100000000]), "horizons are whole months from 1 to 600"),
        (_with(call__horizons_months=[0]), "horizons are whole months from 1 to 600"),
        (_with(strategies__1__weights={"AAA": float("nan"), "SPY": 0.5}), "weights.AAA: nan"),
        (_with(strategies__1__weights={"AAA": True, "SPY": 0.5}), "weights.AAA: true is a yes/no"),
        (_with(cash=True), "cash: true is a yes/no value"),
        (_with(cash=float("inf")), "cash: inf is not a finite number"),
        (_with(cash=float("nan")), "cash: nan is not a finite number"),
        (_with(cash=1e-300), "cash: Input should be greater than or equal to 100"),
        (_with(cash=1e15), "cash: Input should be less than or equal to 1000000000000"),
        (_with(name="a" * 250), "name: 250 characters is longer than a name may be (at most 100"),
        (_with(costs={"commission": float("nan")}), "costs.commission: nan is not a finite"),
        (_with(statistics={"extra_trials": 10**9}), "extra_trials: Input should be less than"),
        (_with(statistics={"bootstrap_reps": True}), "bootstrap_reps: true is a yes/no"),
        (yaml.safe_dump(CONFIG) + "cash: 5\n", "the key 'cash' appears twice"),
        (BOMB, "expands to more than 100,000 values"),
        ("name: x\ndescription: " + "[" * 5000 + "\n", "nested more than 50 levels"),
        ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)), "nested more than 50"),
        ("x" * 1_100_000, "more than a config holds"),
    ],
)
def test_bad_config_values_are_rejected_quickly(cli, config, message):
    code, err = cli(config)
    assert code == 2
    assert message in err
    assert not cli.out.exists()


def test_a_bomb_nested_under_a_strategys_parameters_is_rejected(cli):
    text = yaml.safe_dump(_with(strategies__1__weights={"AAA": 0.5, "SPY": 0.5}))
    nested = "\n".join(
        ["  - id: bomb", "    kind: rebalanced_basket", "    weights:"]
        + ['      p0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
        + [f"      p{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    )
    text = text.replace("strategies:\n", "strategies:\n" + nested + "\n", 1)
    code, err = cli(text)
    assert code == 2 and "expands to more than" in err


@pytest.mark.parametrize("text", [BOMB, "d: " + "[" * 100_000, "a: &a [" + "*a, " * 200 + "]"])
def test_hostile_yaml_is_bad_input_without_hanging(text):
    with hang_guard(seconds=5), pytest.raises(BadInputError):
        load_yaml_text(text, where="f.yaml", hint="h")


def test_merge_keys_may_override_and_anchors_may_be_reused():
    text = "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\nd: *b\n"
    assert load_yaml_text(text, where="f", hint="h") == {
        "base": {"x": 1, "y": 2},
        "c": {"x": 3, "y": 2},
        "d": {"x": 1, "y": 2},
    }


def test_compare_with_a_negative_seed_exits_2(cli, tmp_path, capsys):
    assert main(["compare", str(tmp_path), "--seed", "-1", "--out", str(tmp_path / "o")]) == 2
    assert "--seed -1: give a whole number from 0 to" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_seed_override_out_of_range_names_the_flag():
    from catalystlab.api import run

    with pytest.raises(BadInputError, match="--seed: seed: give a whole number"):
        run(CONFIG, seed=-1, write=False)


@pytest.mark.parametrize("where", ["file", "under_file"])
def test_out_that_cannot_hold_a_folder_exits_2_before_any_work(cli, tmp_path, where):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    out = blocker if where == "file" else blocker / "sub" / "results"
    code, err = cli(CONFIG, "--out", str(out))
    assert code == 2 and "give a folder for the results" in err
    assert blocker.read_text() == "x"


def test_out_that_cannot_be_written_exits_2_before_any_work(cli, tmp_path, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    code, err = cli(CONFIG, "--out", str(tmp_path / "ro"))
    assert code == 2 and "cannot write in" in err and "Permission denied" in err
    assert not (tmp_path / "ro").exists()


def test_a_full_disk_while_writing_exits_3_and_leaves_nothing(cli, monkeypatch):
    from catalystlab.report import write as results_writer

    real = results_writer._write_json

    def full(path: Path, document) -> None:
        real(path, document)  # one file lands in the staging folder, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(results_writer, "_write_json", full)
    monkeypatch.setattr(TearsheetBatch, "submit", lambda self, run, benchmark: None)
    code, err = cli(CONFIG)
    assert code == 3
    assert "No space left on device" in err and "free some space" in err
    assert list(cli.out.iterdir()) == []


def test_a_write_error_in_write_atomically_is_one_message_and_no_folder(tmp_path):
    def write(folder: Path, run_id: str) -> None:
        (folder / "a.csv").write_text("x")
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(DataUnavailableError, match="Input/output error"):
        results_folder.write_atomically(
            tmp_path, "x", write, now=pd.Timestamp("2026-01-01", tz="UTC").to_pydatetime()
        )
    assert list(tmp_path.iterdir()) == []


def _price_file(data: Path, change) -> None:
    path = data / "prices" / "AAA.csv"
    frame = pd.read_csv(path)
    frame = change(frame)
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="Close"), "name the adjusted close 'Close'"),
        (lambda f: f.assign(High=f["High"].where(f.index != 5, float("inf"))), "infinite prices"),
        (
            lambda f: f.assign(Close=f["Close"].where(f.index != 5, 1e308)),
            "prices above 100,000,000",
        ),
        (
            lambda f: f.drop(columns="Adj Close").assign(
                **{c: f[c].where(f.index != 7, 1e308) for c in ("Open", "High", "Low", "Close")}
            ),
            "prices above 100,000,000 on 2019-01-11",
        ),
    ],
)
def test_bad_price_values_are_rejected(cli, tmp_path, change, message):
    _price_file(tmp_path / "data", change)
    code, err = cli(CONFIG)
    assert code == 2 and message in err and "AAA.csv" in err


def test_a_call_dated_on_a_saturday_names_the_closed_market_and_the_next_session(cli):
    code, err = cli(_with(call__date="2019-08-03"))
    assert code == 2
    assert "Saturday 2019-08-03" in err and "the market was closed" in err
    assert "2019-08-05" in err
    assert not cli.out.exists()


def test_extra_trials_with_a_single_searched_rule_says_what_the_dsr_lacks(cli):
    config = _with(statistics={"extra_trials": 5})
    config["strategies"] = config["strategies"][:1]
    config["call"]["benchmarks"] = ["SPY"]
    code, err = cli(config)
    assert code == 2
    assert "statistics.extra_trials" in err and "has 1 (hold_aaa)" in err
    assert "pass every variant's Sharpe ratio" not in err


def test_compare_of_a_folder_whose_equity_holds_text_exits_2(tmp_path, capsys):
    folder = tmp_path / "20260101T000000Z_edited"
    folder.mkdir()
    summary = {"config": "edited", "benchmark": "SPY", "comparison": {"seed": 1}}
    (folder / "summary.json").write_text(json.dumps(summary))
    (folder / "equity.csv").write_text("Date,hold\n2020-01-02,100\n2020-01-03,hello\n")
    (folder / "benchmark.csv").write_text("Date,SPY\n2020-01-02,300\n2020-01-03,301\n")
    code = main(["compare", str(folder), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.replace("\n", " ")
    assert code == 2 and "equity.csv row 3" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
