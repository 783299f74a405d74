"""Messages name the real problem: a folder given for a file, where an end date came from, a
ledger benchmark without prices."""

from __future__ import annotations

import pytest
import yaml

from catalystlab.cli import main

HOLD = [{"id": "hold_aaa", "kind": "buy_and_hold", "ticker": "AAA"}]


def _config(tmp_path, **keys) -> str:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"name": "c", "strategies": HOLD} | keys))
    return str(path)


@pytest.mark.parametrize("command", ["run", "events", "sweep", "validate", "ledger"])
def test_a_folder_given_for_a_file_is_exit_2_saying_so(command, tmp_path, capsys):
    folder = tmp_path / "configs"
    folder.mkdir()
    assert main([command, str(folder)]) == 2
    error = capsys.readouterr().err
    assert f"{folder} is a folder; give the " in error
    assert "does not exist" not in error and "No " not in error and "Traceback" not in error


@pytest.mark.parametrize("command", ["run", "events", "sweep", "validate", "ledger"])
def test_a_device_given_for_a_file_is_exit_2_saying_so(command, capsys):
    assert main([command, "/dev/null"]) == 2
    error = capsys.readouterr().err
    assert "/dev/null is not a regular file (a device or a pipe); give the " in error
    assert "does not exist" not in error and "No " not in error and "Traceback" not in error


LAYOFFS = [{"id": "cut", "kind": "signal", "signal": "layoffs", "ticker": "AAA"}]
MARGIN = [{"id": "margin", "kind": "signal", "signal": "margin", "ticker": "AAA"}]


@pytest.mark.parametrize(
    "keys",
    [
        {"claims": "FOLDER"},
        {"signal_data": {"events": ["FOLDER"], "fundamentals": "EMPTY"}, "strategies": LAYOFFS},
        {"signal_data": {"fundamentals": "FOLDER"}, "strategies": MARGIN},
    ],
)
def test_a_folder_named_in_the_config_for_a_file_is_exit_2(keys, tmp_path, price_folder, capsys):
    data = price_folder(("AAA", "SPY"), days=120)
    folder = tmp_path / "a folder"
    folder.mkdir()
    empty = tmp_path / "fundamentals.csv"
    empty.write_text("ticker,metric,fiscal_period,period_end,value,public_date,source\n")
    text = yaml.safe_dump(keys).replace("FOLDER", str(folder)).replace("EMPTY", str(empty))
    config = _config(tmp_path, **yaml.safe_load(text))
    code = main(["run", config, "--data-dir", str(data), "--out", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 2, error
    assert f"{folder} is a folder; give the " in error and "Traceback" not in error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_end_before_the_prices_names_where_the_end_came_from(tmp_path, price_folder, capsys):
    data = price_folder(("AAA", "SPY"), days=120)  # prices from 2019-01-02
    from_config = _config(tmp_path, end="2018-06-01")
    argv = ["run", from_config, "--data-dir", str(data), "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "end date 2018-06-01 (from the config's end:)" in error and "--end" not in error
    assert main([*argv, "--end", "2018-07-02"]) == 2
    assert "end date 2018-07-02 (from --end)" in capsys.readouterr().err


def test_a_ledger_benchmark_without_prices_is_exit_3_naming_it(tmp_path, price_folder, capsys):
    data = price_folder(("AAA", "SPY"), days=120)
    ledger = tmp_path / "calls.csv"
    ledger.write_text("id,ticker,date,stance\na1,AAA,2019-02-01,buy\n")
    argv = ["ledger", str(ledger), "--data-dir", str(data), "--offline", "--benchmark", "ZZZZ"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 3
    error = capsys.readouterr().err
    assert "error: --benchmark ZZZZ has no prices" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
