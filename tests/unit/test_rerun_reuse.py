"""Unchanged re-runs reuse the earlier results folder; any changed input recomputes."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from catalystlab.api import run
from catalystlab.cli import main
from catalystlab.config import load_config
from catalystlab.core.hashing import file_sha256
from catalystlab.inputs.options import DataOptions
from catalystlab.report import outcome_files, reuse

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
    outcome_files.save({"kept": 1}, folder / reuse.OUTCOME_DIR)
    record = reuse.reuse_record("k", inputs) | {"folder": reuse.folder_record(folder)}
    record["seal"] = reuse.seal(record)
    (folder / "manifest.json").write_text(json.dumps({"reuse": record}), encoding="utf-8")
    found = (folder, {"kept": 1})
    assert reuse.find_reusable(tmp_path / "results", "k") == found
    assert reuse.find_reusable(tmp_path / "results", "other key") is None
    for path in (events, fundamentals):
        original = path.read_bytes()
        path.write_bytes(original + b"2\n")
        assert reuse.find_reusable(tmp_path / "results", "k") is None
        path.write_bytes(original)
    assert reuse.find_reusable(tmp_path / "results", "k") == found
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


# A results folder is data: nothing in it runs code, and a folder whose files differ from
# its manifest is recomputed, never reused.


class _Planted:
    """Unpickling this creates ``marker``: proof that a pickle was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _planted_pickle(marker: Path) -> bytes:
    planted = pickle.dumps(_Planted(marker))
    pickle.loads(planted)  # the planted pickle is live: loading it makes the marker
    assert marker.exists()
    marker.unlink()
    return planted


def _copy(first, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the first run's folder in a results parent of its own."""
    out = tmp_path / "copied"
    folder = out / first.folder.name
    shutil.copytree(first.folder, folder)
    return out, folder


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _rewrite_manifest(folder: Path, change, *, sealed: bool = True) -> None:
    """``change`` the folder's ``reuse`` record, sealed again with this machine's secret (as
    only someone who can read that secret could) unless not ``sealed``."""
    document = _manifest(folder)
    change(document["reuse"])
    if sealed:
        document["reuse"]["seal"] = reuse.seal(document["reuse"])
    (folder / "manifest.json").write_text(json.dumps(document), encoding="utf-8")


def _plant(folder: Path, marker: Path) -> None:
    (folder / "outcome.pickle").write_bytes(_planted_pickle(marker))


def _change(folder: Path, marker: Path) -> None:
    with open(folder / "equity.csv", "a", encoding="utf-8") as handle:
        handle.write("2099-01-01,1,1\n")


def _change_table(folder: Path, marker: Path) -> None:
    (folder / "outcome" / "table-0.parquet").write_bytes(b"PAR1 not a table PAR1")


def _remove(folder: Path, marker: Path) -> None:
    (folder / "comparison.csv").unlink()


def _empty_record(folder: Path, marker: Path) -> None:
    _rewrite_manifest(folder, lambda record: record.update(folder={}))


def _no_record(folder: Path, marker: Path) -> None:
    _rewrite_manifest(folder, lambda record: record.pop("folder"))


def _old_layout(folder: Path, marker: Path) -> None:
    """The layout before data-only outcomes: a pickle and a manifest that checks nothing."""
    shutil.rmtree(folder / "outcome")
    _plant(folder, marker)
    _rewrite_manifest(folder, lambda record: record.update(files={}, folder={}))


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        (_plant, "extra: outcome.pickle"),
        (_change, "changed: equity.csv"),
        (_change_table, "changed: outcome/table-0.parquet"),
        (_remove, "missing: comparison.csv"),
        (_empty_record, "records none of its files"),
        (_no_record, "records none of its files"),
        (_old_layout, "records none of its input files"),
    ],
)
def test_a_folder_whose_files_differ_from_its_manifest_is_not_reused(
    first_run, tmp_path, tamper, said
):
    first, _, _, _, key = first_run
    out, folder = _copy(first, tmp_path)
    assert reuse.find_reusable(out, key) is not None  # the copy itself would be reused
    marker = tmp_path / "marker"
    tamper(folder, marker)
    notes: list[str] = []
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    assert not marker.exists()
    (note,) = notes
    assert str(folder) in note and said in note and note.endswith("Recomputing.")


def test_a_changed_number_with_rewritten_sha256s_is_not_trusted(first_run, tmp_path):
    """Whoever edits a folder can record the new sha256s too, but cannot seal them."""
    first, _, _, _, key = first_run
    out, folder = _copy(first, tmp_path)
    structure = folder / "outcome" / "outcome.json"
    document = json.loads(structure.read_text(encoding="utf-8"))
    document["fields"]["notes"] = {"$": "tuple", "items": ["a better number"]}
    structure.write_text(json.dumps(document), encoding="utf-8")
    record = lambda r: r.update(folder=reuse.folder_record(folder))  # noqa: E731
    _rewrite_manifest(folder, record, sealed=False)
    notes: list[str] = []
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    (note,) = notes
    assert "not sealed on this machine" in note and note.endswith("Recomputing.")
    _rewrite_manifest(folder, lambda r: r.pop("seal"), sealed=False)
    notes.clear()
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    assert "carries no seal (written before folders were sealed)" in notes[0]
    _rewrite_manifest(folder, record)  # sealed here: read back, the edit included
    assert reuse.find_reusable(out, key)[1].notes == ("a better number",)


def test_a_file_swapped_after_the_check_is_not_read(first_run, tmp_path, monkeypatch):
    """The outcome's files are checked again on the bytes parsed: a table swapped between
    the folder's check and the reading (a shared results folder) is not trusted."""
    first, _, _, _, key = first_run
    out, _ = _copy(first, tmp_path)
    checked = reuse._folder_problem

    def check_then_swap(folder: Path, recorded: object) -> str | None:
        problem = checked(folder, recorded)
        shutil.copyfile(
            folder / "outcome" / "table-1.parquet", folder / "outcome" / "table-0.parquet"
        )
        return problem

    monkeypatch.setattr(reuse, "_folder_problem", check_then_swap)
    notes: list[str] = []
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    assert "table-0.parquet is not the file its manifest records" in notes[0]


def test_a_folder_from_another_machine_is_recomputed(first_run, tmp_path, monkeypatch):
    first, _, _, _, key = first_run
    out, _ = _copy(first, tmp_path)
    assert reuse.find_reusable(out, key) is not None
    monkeypatch.setenv("CATALYSTLAB_CACHE", str(tmp_path / "other machine"))
    notes: list[str] = []
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    (note,) = notes
    assert "not sealed on this machine" in note
    secret = tmp_path / "other machine" / reuse.SECRET_FILE
    assert len(secret.read_bytes()) == 32 and secret.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in secret.parent.iterdir()] == [reuse.SECRET_FILE]  # no staged file
    seal = reuse.seal({"key": key})
    assert seal == reuse.seal({"key": key, "seal": "anything"})  # its own seal left out
    secret.write_bytes(b"short")
    notes.clear()
    assert reuse.seal({"key": key}) is None
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    assert "cannot be read" in notes[0] and str(secret) in notes[0]


def test_a_consistent_manifest_never_makes_a_planted_pickle_run(first_run, tmp_path):
    """Whoever plants a pickle can also record its sha256: the folder is then reused from
    its data files, and the pickle is never read."""
    first, _, _, _, key = first_run
    out, folder = _copy(first, tmp_path)
    marker = tmp_path / "marker"
    _plant(folder, marker)
    _rewrite_manifest(folder, lambda record: record.update(folder=reuse.folder_record(folder)))
    found, outcome = reuse.find_reusable(out, key)
    assert found == folder and not marker.exists()
    assert outcome.comparison.table.equals(first.outcome.comparison.table)


@pytest.mark.parametrize(
    "forged",
    [
        {"$": "dataclass", "class": "subprocess:Popen", "fields": {}},
        {"$": "model", "class": "builtins:eval", "value": "1"},
        {"$": "class", "name": "os:system"},
        {"$": "class", "name": "catalystlab.report.folder:remove_abandoned_staging"},
        {"$": "enum", "class": "catalystlab.api:run", "name": "x"},
        {"$": "table", "kind": "DataFrame", "file": "../../manifest.json", "name": None},
        {"$": "scalar", "dtype": "|O", "value": "x"},
        {"$": "call", "name": "print"},
        ["an", "untagged", "list"],
    ],
)
def test_a_forged_outcome_names_nothing_that_runs(first_run, tmp_path, forged):
    """An outcome whose JSON names a function, a class outside the project or a file outside
    its folder is unreadable, even with every sha256 recorded: the run recomputes."""
    first, _, _, _, key = first_run
    out, folder = _copy(first, tmp_path)
    structure = folder / "outcome" / "outcome.json"
    document = json.loads(structure.read_text(encoding="utf-8"))
    document["fields"]["notes"] = forged
    structure.write_text(json.dumps(document), encoding="utf-8")
    _rewrite_manifest(folder, lambda record: record.update(folder=reuse.folder_record(folder)))
    notes: list[str] = []
    assert reuse.find_reusable(out, key, on_note=notes.append) is None
    (note,) = notes
    assert "its outcome cannot be read" in note


def test_the_kept_outcome_reads_back_equal_to_the_computed_one(first_run):
    first, *_ = first_run
    kept = outcome_files.load(first.folder / reuse.OUTCOME_DIR)
    _assert_same(kept, first.outcome, "outcome")
    assert not list(first.folder.rglob("*.pickle"))


def _assert_same(left, right, where: str) -> None:
    """Equal values of equal types, tables with equal dtypes, index and names."""
    assert type(left) is type(right), where
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right, check_exact=True, check_freq=True)
    elif isinstance(left, pd.Series):
        pd.testing.assert_series_equal(left, right, check_exact=True, check_freq=True)
    elif isinstance(left, pd.Index):
        pd.testing.assert_index_equal(left, right, exact=True)
        assert getattr(left, "freq", None) == getattr(right, "freq", None), where
    elif dataclasses.is_dataclass(left) and not isinstance(left, type):
        for field in dataclasses.fields(left):
            name = field.name
            _assert_same(getattr(left, name), getattr(right, name), f"{where}.{name}")
    elif isinstance(left, dict):
        assert list(left) == list(right), where
        for name in left:
            _assert_same(left[name], right[name], f"{where}[{name!r}]")
    elif isinstance(left, (list, tuple)):
        assert len(left) == len(right), where
        for n, (a, b) in enumerate(zip(left, right, strict=True)):
            _assert_same(a, b, f"{where}[{n}]")
    elif isinstance(left, float) and left != left:
        assert right != right, where
    else:
        assert left == right, where


def test_a_planted_pickle_on_the_command_line_recomputes_and_never_runs(
    first_run, tmp_path, capsys
):
    first, config, data, _, _ = first_run
    out, folder = _copy(first, tmp_path)
    marker = tmp_path / "marker"
    _plant(folder, marker)
    code = main(["run", str(config), "--data-dir", str(data), "--out", str(out)])
    assert code == 0
    assert not marker.exists()
    printed = capsys.readouterr()
    assert "extra: outcome.pickle" in printed.err and "Recomputing." in printed.err
    assert "Traceback" not in printed.err
    folders = _folders(out)
    assert len(folders) == 2 and folder in folders  # recomputed into a new folder
    assert (folder / "outcome.pickle").exists()  # the copied folder is left as it was
