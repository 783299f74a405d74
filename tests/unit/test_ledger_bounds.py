"""Issue 17: every size a ledger's user controls is bounded before work starts, and no call
is silently dropped (comment lines are whole ``#`` lines, counted; a ``#`` line holding a
call is refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import synthetic_prices, write_price_csv

import catalystlab.inputs.ledger as ledger_file
import catalystlab.pipeline.ledger as ledger_pipeline
from catalystlab.cli import main
from catalystlab.core.errors import BadInputError
from catalystlab.inputs.ledger import MAX_CELL_CHARS, read_ledger

HEADER = "id,ticker,date,stance,horizons,note\n"


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    for seed, ticker in enumerate(("AAA", "SPY")):
        frame = synthetic_prices(seed=seed, days=400, start="2016-01-04")
        write_price_csv(frame, folder / "prices" / f"{ticker}.csv")
    return folder


def _write(tmp_path: Path, text: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ledger(tmp_path: Path, data: Path, path: Path, *options: str) -> tuple[int, str]:
    out = tmp_path / "results"
    argv = ["ledger", str(path), "--data-dir", str(data), "--offline", "--out", str(out)]
    code = main([*argv, "--draws", "50", "--reps", "50", "--horizons", "1", *options])
    return code, str(out)


def test_comment_lines_are_whole_hash_lines_counted_and_a_hash_call_is_refused(tmp_path):
    text = (
        "# before the header, commas, and all\n"
        + HEADER
        + '"#1",AAA,2016-03-01,buy,,an id that starts with #\n'
        + "# between rows, a, b\n"
        + "b,AAA,2016-04-01,sell,,\n"
        + "# after the last row\n"
    )
    ledger = read_ledger(_write(tmp_path, text))
    assert [c.id for c in ledger.calls] == ["#1", "b"]
    assert ledger.comments == 3
    hidden = text.replace('"#1",', "#1,")
    with pytest.raises(BadInputError) as caught:
        read_ledger(_write(tmp_path, hidden))
    assert "line 3: a comment line (it starts with #) that holds a call" in str(caught.value)
    assert 'quote its id ("#...")' in str(caught.value)
    short = text.replace(
        '"#1",AAA,2016-03-01,buy,,an id that starts with #', "#1,AAA,2016-03-01,buy"
    )
    with pytest.raises(BadInputError, match=r"line 3: a comment line .* that holds a call"):
        read_ledger(_write(tmp_path, short))  # its optional cells left out, as a call may


def test_the_command_notes_the_comment_lines_it_skipped(tmp_path, data, capsys):
    path = _write(tmp_path, HEADER + "# one\na,AAA,2016-03-01,buy,,\n# two\n")
    code, _ = _ledger(tmp_path, data, path)
    assert code == 0
    assert "2 comment line(s) of calls.csv (starting with #) were skipped; 1 call(s)" in (
        capsys.readouterr().err.replace("\n", " ")
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a,AAA,2016-03-01,buy,,{}".format("x" * 131_100), "the line is 131,"),
        ("a,AAA,2016-03-01,buy,,{}".format("x" * (MAX_CELL_CHARS + 1)), "note (2,001 characters)"),
        ("a,AAA,2016-03-01,buy,²,", "horizons '²' are not whole months from 1 to 600"),
        ("a,AAA,2016-03-01,buy,601,", "horizons '601' are not whole months from 1 to 600"),
        ("a,AAA,2016-03-01,buy,99999999,", "horizons '99999999' are not whole months"),
    ],
)
def test_oversized_cells_and_horizons_are_named_with_their_line(tmp_path, row, message):
    with pytest.raises(BadInputError) as caught:
        read_ledger(_write(tmp_path, HEADER + row + "\n"))
    assert "line 2: " in str(caught.value) and message in str(caught.value)


def test_too_many_calls_and_too_large_files_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(ledger_file, "MAX_CALLS", 3)
    rows = "".join(f"c{i},AAA,2016-03-01,buy,,\n" for i in range(4))
    with pytest.raises(BadInputError, match="4 calls is more than a ledger may hold \\(at most 3"):
        read_ledger(_write(tmp_path, HEADER + rows))
    monkeypatch.setattr(ledger_file, "MAX_CSV_BYTES", 50)
    with pytest.raises(BadInputError, match="bytes is more than a ledger file may hold"):
        read_ledger(_write(tmp_path, HEADER + rows))


def test_an_oversized_header_is_refused(tmp_path):
    with pytest.raises(BadInputError, match="line 2, the header, is 200,001 characters"):
        read_ledger(_write(tmp_path, "# comment\n" + "x" * 200_001 + "\n"))


def test_a_yaml_ledger_of_many_plain_calls_is_bounded_by_the_calls(tmp_path, monkeypatch):
    """The YAML loader's general bound on values (for configs) does not refuse a ledger
    within MAX_CALLS; beyond the ledger's own budget, the message names no alias."""
    import catalystlab.core.yamlfile as yamlfile

    monkeypatch.setattr(yamlfile, "MAX_NODES", 50)  # 5 full calls hold more values than this
    call = (
        "  - {id: c%d, ticker: AAA, date: 2016-03-01, stance: buy, benchmark: SPY,"
        " horizons: [1, 3, 6, 12], source: x, url: 'https://e.com', note: n}\n"
    )
    path = _write(tmp_path, "calls:\n" + "".join(call % i for i in range(5)), "calls.yaml")
    assert [c.id for c in read_ledger(path).calls] == [f"c{i}" for i in range(5)]
    monkeypatch.setattr(ledger_file, "MAX_CALLS", 1)
    with pytest.raises(BadInputError, match="holds more than 40 values") as refused:
        read_ledger(path)
    assert "alias" not in str(refused.value)


def test_a_deeply_nested_yaml_ledger_is_refused(tmp_path):
    for text in (
        "calls:\n  - id: " + "[" * 3000 + "\n",
        "calls:\n  - " + "- " * 3000 + "x\n",
    ):
        with pytest.raises(BadInputError, match="nested more than 50 levels"):
            read_ledger(_write(tmp_path, text, "deep.yaml"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--draws", "1000000000000"], "--draws 1000000000000: give 1 to 100,000"),
        (["--reps", "0"], "--reps 0: give 1 to 10,000"),
        (["--seed", "-1"], "--seed -1: give a whole number from 0 to 4294967295"),
        (["--horizons", "99999999"], "--horizons 99999999: give months from 1 to 600"),
    ],
)
def test_command_options_are_bounded(tmp_path, data, capsys, options, message):
    path = _write(tmp_path, HEADER + "a,AAA,2016-03-01,buy,,\n")
    code, out = _ledger(tmp_path, data, path, *options)
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not Path(out).exists()


def test_the_permutation_nulls_size_is_bounded_before_prices_load(tmp_path, data, monkeypatch):
    monkeypatch.setattr(ledger_pipeline, "MAX_NULL_VALUES", 99)
    loaded = []
    monkeypatch.setattr(ledger_pipeline, "load_prices", lambda *a, **k: loaded.append(a))
    path = _write(tmp_path, HEADER + "a,AAA,2016-03-01,buy,1;3,\nb,AAA,2016-04-01,buy,,\n")
    # 50 draws x 2 calls x 2 horizons (1 and 3 months) = 200 numbers.
    with pytest.raises(BadInputError, match="--draws 50 x 2 calls x 2 horizons is 200 random"):
        import catalystlab as cl

        cl.ledger(path, data_dir=data, offline=True, draws=50, horizons=(1,), write=False)
    assert loaded == []
