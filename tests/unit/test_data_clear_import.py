"""Issue 17 and issue 18: ``data clear`` deletes only the files the cache wrote and lists
them; without tickers it asks on a terminal, refuses without --yes when stdin is not one;
``data import`` bounds file sizes and counts before reading."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import synthetic_prices, write_price_csv

import catalystlab as cl
from catalystlab.cli import main
from catalystlab.inputs.prices import csv_source, store


@pytest.fixture
def cache(tmp_path) -> Path:
    """A cache with AAA and ^GSPC imported, and a parquet file catalystlab did not write."""
    folder = tmp_path / "incoming"
    for seed, ticker in enumerate(("AAA", "^GSPC")):
        write_price_csv(synthetic_prices(seed=seed, days=30), folder / f"{ticker}.csv")
    target = tmp_path / "cache"
    cl.data_import(folder, cache_dir=target)
    pd.DataFrame({"x": [1, 2]}).to_parquet(target / "prices" / "MINE.parquet")
    (target / "prices" / "notes.parquet").write_text("not even parquet")
    return target


def _names(cache: Path) -> set[str]:
    return {p.name for p in (cache / "prices").iterdir()}


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_without_a_terminal_clear_all_is_refused_and_yes_deletes_only_the_caches_files(
    cache, capsys, monkeypatch
):
    monkeypatch.setattr(sys, "stdin", _Stdin("", tty=False))
    argv = ["data", "clear", "--cache-dir", str(cache)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "deletes all 2 cached ticker(s)" in err and "add --yes to confirm" in err
    assert _names(cache) == {"AAA.parquet", "^GSPC.parquet", "MINE.parquet", "notes.parquet"}
    assert main([*argv, "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"cleared": ["AAA", "^GSPC"]}
    assert _names(cache) == {"MINE.parquet", "notes.parquet"}


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("\n", False), ("no\n", False)])
def test_on_a_terminal_clear_all_lists_the_files_and_asks(
    cache, capsys, monkeypatch, answer, deleted
):
    monkeypatch.setattr(sys, "stdin", _Stdin(answer, tty=True))
    assert main(["data", "clear", "--cache-dir", str(cache)]) == 0
    captured = capsys.readouterr()
    assert "AAA.parquet" in captured.err and "^GSPC.parquet" in captured.err
    assert "MINE.parquet" not in captured.err
    assert "Delete these 2 file(s)? [y/N]" in captured.out
    left = _names(cache)
    assert ("AAA.parquet" not in left) is deleted and "MINE.parquet" in left
    assert ("Cleared 2 ticker(s): AAA, ^GSPC" in captured.out) is deleted
    assert ("Nothing deleted." in captured.err) is not deleted


def test_the_question_prints_a_cache_folder_with_brackets_as_written(cache, capsys, monkeypatch):
    # rich read "[/x]" in the folder's name as a closing tag (MarkupError traceback) and
    # dropped "[bold]"; the folder is user text, printed as written.
    (cache.parent / "[").mkdir()
    hostile = cache.rename(cache.parent / "[" / "x][bold]cache")  # the path holds "[/x][bold]"
    monkeypatch.setattr(sys, "stdin", _Stdin("\n", tty=True))
    assert main(["data", "clear", "--cache-dir", str(hostile)]) == 0
    err = capsys.readouterr().err
    assert f"The cache {hostile / 'prices'} holds:\n" in err
    assert "Traceback" not in err and "Nothing deleted." in err


def test_a_named_file_the_cache_did_not_write_is_not_deleted(cache, capsys):
    assert main(["data", "clear", "MINE", "--cache-dir", str(cache)]) == 2
    assert "Not in the cache" in capsys.readouterr().err
    assert "MINE.parquet" in _names(cache)
    assert main(["data", "clear", "AAA", "--cache-dir", str(cache)]) == 0
    assert "Cleared 1 ticker(s): AAA" in capsys.readouterr().out
    assert _names(cache) == {"^GSPC.parquet", "MINE.parquet", "notes.parquet"}
    rows = {r.ticker: r.origin for r in cl.data_status(cache_dir=cache)}
    assert rows["MINE"] == "unreadable" and rows["^GSPC"].startswith("imported")


def test_import_refuses_oversized_files_and_too_many_before_reading(tmp_path, monkeypatch):
    folder = tmp_path / "incoming"
    write_price_csv(synthetic_prices(days=30), folder / "AAA.csv")
    with (folder / "BIG.csv").open("wb") as handle:  # a sparse 1 GB file: nothing to read
        handle.truncate(10**9)
    read, real = [], pd.read_csv
    monkeypatch.setattr(
        csv_source.pd, "read_csv", lambda path, **k: read.append(path) or real(path, **k)
    )
    with pytest.raises(cl.BadInputError) as caught:
        cl.data_import(folder, cache_dir=tmp_path / "cache")
    assert "BIG.csv: 1,000,000,000 bytes is more than a daily price file holds" in str(caught.value)
    assert "Nothing imported" in str(caught.value)
    assert [Path(p).name for p in read] == ["AAA.csv"]  # BIG.csv never read
    assert not (tmp_path / "cache" / "prices").exists()
    monkeypatch.setattr(store, "MAX_IMPORT_FILES", 1)
    with pytest.raises(cl.BadInputError, match="2 CSV files is more than one import takes"):
        cl.data_import(folder, cache_dir=tmp_path / "cache")


def test_fundamentals_and_events_tables_are_bounded_before_reading(tmp_path):
    from catalystlab.inputs import csvrows
    from catalystlab.inputs.events import load_events

    path = tmp_path / "events.csv"
    with path.open("wb") as handle:  # sparse: nothing to read
        handle.truncate(csvrows.MAX_TABLE_BYTES + 1)
    with pytest.raises(cl.BadInputError) as caught:
        load_events(path)
    assert f"{path}: 100,000,001 bytes is more than a fundamentals or events table may hold" in (
        str(caught.value)
    )
