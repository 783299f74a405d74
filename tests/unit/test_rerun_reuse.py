"""Unchanged re-runs reuse the earlier results folder; any changed input recomputes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from catalystlab.api import run
from catalystlab.cli import main
from catalystlab.config import load_config
from catalystlab.core.hashing import file_sha256
from catalystlab.inputs.options import DataOptions
from catalystlab.report import reuse

REPO = Path(__file__).resolve().parents[2]

CONFIG = {
    "name": "reuse_call",
    "start": "2019-01-02",
    "cash": 10000,
    "costs": {"commission": 0.0, "slippage": 0.0},
    "benchmark": "SPY",
    "call": {"ticker": "AAA", "date": "2019-09-02", "benchmarks": ["SPY"]},
    "strategies": [
        {"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"},
        {"id": "pair", "kind": "rebalanced_basket", "weights": {"AAA": 0.5, "SPY": 0.5}},
    ],
}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One real run, its config, data folder, results parent and key."""
    from conftest import synthetic_prices, write_price_csv

    root = tmp_path_factory.mktemp("reuse")
    data = root / "data"
    for seed, ticker in enumerate(("AAA", "SPY")):
        write_price_csv(synthetic_prices(seed=seed, days=300), data / "prices" / f"{ticker}.csv")
    config = root / "reuse.yaml"
    config.write_text(yaml.safe_dump(CONFIG))
    out = root / "results"
    result = run(config, data_dir=data, out=out)
    key = reuse.run_key(load_config(config), DataOptions(data_dir=data))
    return result, config, data, out, key


def _folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith("."))


def test_unchanged_rerun_reuses_the_folder_and_force_recomputes(first_run):
    first, config, data, out, key = first_run
    manifest = json.loads((first.folder / "manifest.json").read_text())
    assert manifest["reuse"]["key"] == key
    assert set(manifest["reuse"]["files"]) == {
        str((data / "prices" / f"{t}.csv").resolve()) for t in ("AAA", "SPY")
    }
    notes = []

    class Notes:
        def track(self, items, **kwargs):
            yield from items

        def note(self, message):
            notes.append(message)

    again = run(config, data_dir=data, out=out, progress=Notes())
    assert again.reused and not first.reused
    assert again.folder == first.folder
    assert _folders(out) == [first.folder]  # nothing written, nothing overwritten
    assert again.comparison.equals(first.comparison)
    assert again.summary == first.summary
    assert any("--force recomputes" in note for note in notes)
    forced = run(config, data_dir=data, out=out, force=True)
    assert not forced.reused
    assert _folders(out) == [first.folder, forced.folder]
    assert forced.comparison.equals(first.comparison)


def test_found_only_while_every_input_file_is_unchanged(first_run):
    _, _, data, out, key = first_run
    assert reuse.find_reusable(out, key) is not None
    prices = data / "prices" / "AAA.csv"
    original = prices.read_bytes()
    try:
        prices.write_bytes(original.replace(b"1", b"2", 1))  # one byte of one price
        assert reuse.find_reusable(out, key) is None
    finally:
        prices.write_bytes(original)
    assert reuse.find_reusable(out, key) is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c | {"cash": 20000},
        lambda c: c | {"costs": {"commission": 0.001, "slippage": 0.0}},
        lambda c: c | {"seed": 7},
        lambda c: c | {"statistics": {"min_block_days": 1}},
    ],
)
def test_a_changed_config_key_is_another_run(first_run, tmp_path, change):
    _, _, data, out, key = first_run
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(change(dict(CONFIG))))
    other = reuse.run_key(load_config(changed), DataOptions(data_dir=data))
    assert other != key
    assert reuse.find_reusable(out, other) is None


def test_a_seed_or_date_override_is_another_run(first_run):
    _, config, data, _, key = first_run
    options = DataOptions(data_dir=data)
    loaded = load_config(config)
    assert reuse.run_key(loaded.with_overrides(start=None, end=None, seed=3), options) != key
    assert reuse.run_key(loaded, DataOptions(data_dir=data, offline=True)) != key


def test_changed_code_or_package_versions_are_another_run(first_run, monkeypatch):
    _, config, data, _, key = first_run
    loaded, options = load_config(config), DataOptions(data_dir=data)
    assert reuse.run_key(loaded, options) == key
    monkeypatch.setattr(reuse, "code_digest", lambda: "other code")
    assert reuse.run_key(loaded, options) != key
    monkeypatch.undo()
    monkeypatch.setattr(reuse, "_version", lambda name: "99.0")
    assert reuse.run_key(loaded, options) != key


def test_changed_events_or_fundamentals_files_are_another_run(tmp_path):
    events = tmp_path / "events.csv"
    fundamentals = tmp_path / "fundamentals.csv"
    prices = tmp_path / "AAA.csv"
    for path in (events, fundamentals, prices):
        path.write_text(f"{path.stem}\n1\n")
    inputs = {
        "AAA": {"kind": "prices", "source": f"csv:{prices}", "sha256": file_sha256(prices)},
        "events": {"kind": "table", "files": {str(events): file_sha256(events)}},
        "fundamentals": {"kind": "table", "files": {str(fundamentals): file_sha256(fundamentals)}},
    }
    folder = tmp_path / "results" / "20260101T000000Z_x"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps({"reuse": reuse.reuse_record("k", inputs)}), encoding="utf-8"
    )
    (folder / reuse.OUTCOME_FILE).write_bytes(b"")
    assert reuse.find_reusable(tmp_path / "results", "k") == folder
    assert reuse.find_reusable(tmp_path / "results", "other key") is None
    for path in (events, fundamentals):
        original = path.read_bytes()
        path.write_bytes(original + b"2\n")
        assert reuse.find_reusable(tmp_path / "results", "k") is None
        path.write_bytes(original)
    assert reuse.find_reusable(tmp_path / "results", "k") == folder
    events.unlink()
    assert reuse.find_reusable(tmp_path / "results", "k") is None


def test_downloaded_prices_are_never_reused():
    inputs = {"AAA": {"kind": "prices", "source": "yfinance", "sha256": "x"}}
    assert reuse.input_files(inputs) is None
    assert reuse.reuse_record("k", inputs) is None


def test_a_claims_file_change_is_another_run(first_run, tmp_path):
    _, _, data, _, _ = first_run
    claims = tmp_path / "claims.yaml"
    claims.write_text("claims: []\n")
    config = tmp_path / "with_claims.yaml"
    config.write_text(yaml.safe_dump(CONFIG | {"claims": str(claims)}))
    options = DataOptions(data_dir=data)
    before = reuse.run_key(load_config(config), options)
    claims.write_text("claims: []\n# edited\n")
    assert reuse.run_key(load_config(config), options) != before


# The command line in a fresh interpreter, then the heavy packages it imported on stdout's
# last line: an unchanged re-run checks, loads and prints without the pipeline's packages.
_HEAVY = ("arch", "backtrader", "matplotlib", "quantstats", "scipy", "statsmodels")
_CLI_THEN_IMPORTS = f"""
import sys
from catalystlab.cli import main
code = main(sys.argv[1:])
print(sorted({{m.partition('.')[0] for m in sys.modules}} & set({_HEAVY!r})))
sys.exit(code)
"""


def test_an_unchanged_rerun_of_the_command_line_imports_none_of_the_pipeline(
    first_run, tmp_path, capsys
):
    _, config, data, _, _ = first_run
    args = ["run", str(config), "--data-dir", str(data), "--out", str(tmp_path / "results")]
    assert main(args) == 0
    first = capsys.readouterr()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")}
    again = subprocess.run(
        [sys.executable, "-c", _CLI_THEN_IMPORTS, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "Nothing changed since" in again.stderr and "Nothing changed" not in first.err
    *printed, imported = again.stdout.splitlines()
    assert printed == first.out.splitlines()  # the same summary, of the same folder
    assert imported == "[]"
