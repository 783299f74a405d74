"""A file given where a folder is meant (--data-dir, --cache-dir, data import) is named as a
file, exit 2, not "no such folder" (it exists) nor an empty cache or a download."""

from __future__ import annotations

import pytest
from conftest import synthetic_prices, write_price_csv

from catalystlab.cli import main


@pytest.fixture
def a_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("a file, not a folder")
    return path


def test_a_data_dir_that_is_a_file_is_named_a_file(tmp_path, a_file, capsys):
    ledger = tmp_path / "calls.csv"
    ledger.write_text("id,ticker,date,stance\nc1,AAA,2024-01-02,buy\n")
    argv = ["ledger", str(ledger), "--offline", "--out", str(tmp_path / "out")]
    assert main([*argv, "--data-dir", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert f"--data-dir {a_file} is a file, not a folder; give a folder." in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()
    assert main([*argv, "--data-dir", str(tmp_path / "missing")]) == 2
    assert f"--data-dir {tmp_path / 'missing'}: no such folder." in capsys.readouterr().err


def test_a_cache_dir_under_a_file_is_refused_before_any_download(a_file, capsys):
    # Before: "data status" said "Cached: no ticker." and "run" went to download.
    assert main(["data", "status", "--cache-dir", str(a_file / "cache")]) == 2
    err = capsys.readouterr().err
    assert f"--cache-dir {a_file / 'cache'}: {a_file} is a file, not a folder" in err
    assert main(["data", "status", "--cache-dir", str(a_file.parent / "new")]) == 0


def test_data_import_of_a_file_is_named_a_file(tmp_path, a_file, capsys):
    write_price_csv(synthetic_prices(days=30), tmp_path / "AAA.csv")
    cache = tmp_path / "cache"
    argv = ["data", "import", "--cache-dir", str(cache)]
    assert main([*argv, str(tmp_path / "AAA.csv")]) == 2
    assert f"data import {tmp_path / 'AAA.csv'} is a file, not a folder" in (
        capsys.readouterr().err
    )
    assert not (cache / "prices" / "AAA.parquet").exists()
